import 'reflect-metadata';
import { createApiKey } from '@paperwire/db';
import { removeTopic, saveTopic } from '@paperwire/actions';
import { seedPaper, seedSource, seedTopic } from '@paperwire/testing';
import { useTestApi } from './testing/use-test-api';

jest.setTimeout(90_000);

// Query filters naming a value that can match nothing answer 400 naming the parameter and the value, with the
// closest known values (session 23's review: topic=nope and claimMetric=acuracy answered 200 with an empty list).

describe('filter values that can match nothing', () => {
  let subsKey = '';
  const api = useTestApi(
    't_filter_values',
    async ({ ds }) => {
      await seedTopic(ds, 'efficiency', 'Efficiency');
      await seedTopic(ds, 'sparse-attention', 'Sparse attention');
      await seedPaper(ds, {
        title: 'Faster kernels',
        abstract: 'Our kernels are 3.1x faster than FlashAttention.',
        arxivId: '2612.00002',
        topics: [{ slug: 'efficiency', score: 0.9, primary: true }],
        claims: [
          { value: 91.2, unit: '%', kind: 'absolute_score', metric: 'accuracy', isHeadline: true },
          { value: 7, unit: 'x', kind: 'absolute_score', metric: 'widget throughput' },
        ],
      });
      subsKey = (await createApiKey(ds, { name: 'filters', scopes: ['subscriptions'] })).key;
    },
    { RATE_LIMIT_PER_MINUTE: '100000', AUTH_FAILURE_LIMIT: '100000' },
  );
  const http = () => api.http();

  it('refuses an unknown topic on every listing that filters by topic, with suggestions and where topics are listed', async () => {
    for (const path of ['/v1/papers', '/v1/claims', '/v1/trending', '/v1/daily', '/v1/feeds/search.atom']) {
      const res = await http().get(path).query({ topic: 'effciency' }).expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.errors).toEqual([
        { field: 'topic', detail: 'no such topic "effciency" (did you mean efficiency?); the topics are listed at /v1/topics' },
      ]);
    }
    const far = await http().get('/v1/papers?topic=nope').expect(400);
    expect(far.body.errors[0].detail).toBe('no such topic "nope"; the topics are listed at /v1/topics');
    // a slug that is part of a topic's slug
    const part = await http().get('/v1/papers?topic=efficiency,sparse').expect(400);
    expect(part.body.errors).toEqual([{ field: 'topic', detail: expect.stringContaining('"sparse" (did you mean sparse-attention?)') }]);
  });

  it('keeps answering known topics, disabled ones included (their past papers are still assigned)', async () => {
    expect((await http().get('/v1/papers?topic=efficiency').expect(200)).body.items).toHaveLength(1);
    await saveTopic(api.db.ds, { slug: 'agents', name: 'Agents', description: 'LLM agents that plan and act.' });
    await removeTopic(api.db.ds, 'agents');
    expect((await http().get('/v1/papers?topic=agents').expect(200)).body.items).toEqual([]);
  });

  it('a topic is a path resource in a feed address: 404 there, as before', async () => {
    await http().get('/v1/feeds/topics/nope.json').expect(404);
  });

  it('refuses a metric that no claim names and the metric table does not know, suggesting the closest names', async () => {
    for (const path of ['/v1/claims', '/v1/papers', '/v1/feeds/search.json']) {
      const res = await http().get(path).query({ claimMetric: 'acuracy' }).expect(400);
      expect(res.body.errors).toEqual([{ field: 'claimMetric', detail: expect.stringMatching(/^no claim names the metric "acuracy" \(did you mean accuracy\?\)/) }]);
    }
  });

  it('refuses a source filter that names no source and no kind, suggesting kinds only', async () => {
    await api.db.ds.query(`INSERT INTO sources (name, kind, url) VALUES ('team-private-feed', 'arxiv-rss', 'https://rss.arxiv.org/rss/cs.CL')`);
    const res = await http().get('/v1/papers?source=arxiv-rs').expect(400);
    expect(res.body.errors).toEqual([{ field: 'source', detail: 'no source is named or of the kind "arxiv-rs" (did you mean arxiv-rss?); source kinds: arxiv-rss' }]);
    expect(JSON.stringify(res.body)).not.toContain('team-private-feed');
    await http().get('/v1/papers?source=team-private-feed').expect(200);
    await http().get('/v1/papers?source=arxiv-rss').expect(200);
  });

  it('a source value names a source in any case (as a subscription\'s sources: source-filter-agreement); a near miss is a 400', async () => {
    const feed = await seedSource(api.db.ds, 'Team-Feed', 'arxiv-rss');
    const paperId = await seedPaper(api.db.ds, { title: 'Seen on the team feed', abstract: 'An abstract.', sightings: [{ sourceId: feed, sourceKind: 'arxiv-rss' }] });
    for (const value of ['Team-Feed', 'team-feed', 'TEAM-FEED', 'ARXIV-RSS', 'Arxiv-Rss']) {
      const listed = (await http().get('/v1/papers').query({ source: value }).expect(200)).body.items.map((i: { id: string }) => i.id);
      expect([value, listed]).toEqual([value, [paperId]]);
    }
    const near = await http().get('/v1/papers?source=ARXIV-RS').expect(400);
    expect(near.body.errors).toEqual([{ field: 'source', detail: expect.stringContaining('"ARXIV-RS" (did you mean arxiv-rss?)') }]);
    const sub = await http()
      .post('/v1/subscriptions')
      .set('Authorization', `Bearer ${subsKey}`)
      .send({ channel: 'email', target: 'src@example.com', filters: { sources: ['ARXIV-RS'] } })
      .expect(400);
    expect(sub.body.errors).toEqual([{ field: '/filters/sources/0', detail: expect.stringContaining('(did you mean arxiv-rss?)') }]);
  });

  it('says the same from `paperwire claims --metric`', async () => {
    const run = await api.cli(['claims', '--metric', 'acuracy']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/no claim names the metric "acuracy" \(did you mean accuracy\?\)/);
    const ok = await api.cli(['claims', '--metric', 'accuracy']);
    expect([ok.code, ok.stderr]).toEqual([0, '']);
  });

  it('accepts a metric the table knows even when no claim names it yet, and one outside the table that claims name', async () => {
    expect((await http().get('/v1/claims?claimMetric=F1-score').expect(200)).body.items).toEqual([]);
    expect((await http().get('/v1/claims?claimMetric=Top-1%20accuracy').expect(200)).body.items).toHaveLength(1);
    expect((await http().get('/v1/claims?claimMetric=Widget%20Throughput').expect(200)).body.items).toHaveLength(1);
  });

  it('says which shape a body expects and suggests a known key for an unknown one', async () => {
    const post = (body: object) =>
      http()
        .post('/v1/subscriptions')
        .set('Authorization', `Bearer ${subsKey}`)
        .send({ channel: 'email', target: 'u@example.com', ...body })
        .expect(400);
    const arr = await post({ filters: { topics: ['efficiency'] } });
    expect(arr.body.errors).toEqual([{ field: '/filters/topics', detail: 'filters.topics must be an object such as {"slugs": […]} (got array)' }]);
    const tz = await post({ mode: 'daily', schedule: { hour: 8, tz: 'Europe/Paris' } });
    expect(tz.body.errors).toEqual([
      { field: '/schedule', detail: 'schedule has an unknown key "tz" (did you mean timeZone?); accepted: hour, minute, timeZone, weekday, limit' },
    ]);
  });
  // Review 25: `hasCode=TRUE` and `sort=TRENDING` were 400s while `source` and topic slugs took any case.
  it('takes fixed query values in any case, on the API and the HF-compatible API alike', async () => {
    const all = (await http().get('/v1/papers').expect(200)).body.items.length;
    const yes = await http().get('/v1/papers?hasCode=TRUE').expect(200);
    const no = await http().get('/v1/papers?hasCode=False').expect(200);
    expect([yes.body.items.length, no.body.items.length]).toEqual([0, all]);
    expect(all).toBeGreaterThan(0);
    expect((await http().get('/v1/papers?sort=RECENT&claimKind=Absolute_Score').expect(200)).body.items).toHaveLength(1);
    expect((await http().get('/v1/daily?sort=Trending').expect(200)).body).toHaveProperty('items');
    await http().get('/api/daily_papers?sort=PUBLISHEDAT').expect(200);
    // a kind as the paper page names it (review 26d: the page said "improvement", the filter refused it)
    expect((await http().get('/v1/papers?claimKind=score').expect(200)).body.items).toHaveLength(1);
    expect((await http().get('/v1/claims?claimKind=Score').expect(200)).body.items.length).toBeGreaterThan(0);
    expect((await http().get('/v1/papers?claimKind=speed-up').expect(200)).body.items).toEqual([]);
    const run = await api.cli(['claims', '--kind', 'score', '--json']);
    expect([run.code, run.stderr]).toEqual([0, '']);
    const bad = await http().get('/v1/papers?hasCode=yes').expect(400);
    expect(bad.body.errors).toEqual([{ field: 'hasCode', detail: 'hasCode must be one of true, false, 1, 0 (got yes)' }]);
  });
});
