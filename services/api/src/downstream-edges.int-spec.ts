import 'reflect-metadata';
import { createApiKey } from '@paperwire/db';
import { removeTopic, saveTopic } from '@paperwire/actions';
import { seedPaper, seedTopic } from '@paperwire/testing';
import { useTestApi } from './testing/use-test-api';

jest.setTimeout(90_000);

// The edges a downstream team trips over (session 21's review): subscriptions naming topics that do not
// exist, query parameters the API does not read, browsers answered with problem JSON on pages.

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

describe('downstream edges', () => {
  let subsKey = '';
  let adminKey = '';
  const api = useTestApi(
    't_downstream_edges',
    async ({ ds }) => {
      await seedTopic(ds, 'rag', 'Retrieval-augmented generation');
      await seedTopic(ds, 'efficiency', 'Efficiency');
      await seedPaper(ds, {
        title: 'Retrieval agents that plan',
        abstract: 'A retrieval agent improves success by 12% over ReAct.',
        arxivId: '2612.00001',
        topics: [{ slug: 'rag', score: 0.9, primary: true }],
      });
      await seedPaper(ds, {
        title: 'Faster kernels',
        abstract: 'Our kernels are 3.1x faster than FlashAttention.',
        arxivId: '2612.00002',
        topics: [{ slug: 'efficiency', score: 0.9, primary: true }],
        claims: [{ value: 3.1, unit: 'x', kind: 'speedup', metric: 'speed', isHeadline: true }],
      });
      subsKey = (await createApiKey(ds, { name: 'edges', scopes: ['subscriptions'] })).key;
      adminKey = (await createApiKey(ds, { name: 'edges-admin', scopes: ['admin'] })).key;
    },
    { RATE_LIMIT_PER_MINUTE: '100000', AUTH_FAILURE_LIMIT: '100000' },
  );
  const http = () => api.http();

  describe('a subscription names topics that exist', () => {
    const digest = { channel: 'email', target: 'u2@example.com', mode: 'daily', schedule: { hour: 8 } };

    it('refuses an unknown topic slug with a 400 naming it, on create and on update, and counts user-added topics', async () => {
      const refused = await http()
        .post('/v1/subscriptions')
        .set('Authorization', `Bearer ${subsKey}`)
        .send({ ...digest, filters: { topics: { slugs: ['rag', 'no-such-topic', 'effciency'] } } })
        .expect(400);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.body.detail).toBe('no such topic: no-such-topic, effciency (did you mean efficiency for effciency?)');
      expect(refused.body.errors).toEqual([{ field: '/filters/topics/slugs', detail: expect.stringContaining('no such topic: no-such-topic, effciency') }]);
      expect(await api.db.ds.query(`SELECT id FROM subscriptions`)).toEqual([]);

      const created = await http()
        .post('/v1/subscriptions')
        .set('Authorization', `Bearer ${subsKey}`)
        .send({ ...digest, filters: { topics: { slugs: ['rag'] } } })
        .expect(201);
      const patch = (slugs: string[]) =>
        http()
          .patch(`/v1/subscriptions/${created.body.id}`)
          .set('Authorization', `Bearer ${subsKey}`)
          .send({ filters: { topics: { slugs } } });
      const badPatch = await patch(['efficiency', 'nope']).expect(400);
      expect(badPatch.body.detail).toBe('no such topic: nope');
      const [stored] = await api.db.ds.query(`SELECT filters FROM subscriptions WHERE id = $1`, [created.body.id]);
      expect(stored.filters.topics.slugs).toEqual(['rag']);

      // Topics are the taxonomy as it is now: a user-added one counts, a removed one does not.
      await saveTopic(api.db.ds, { slug: 'agents', name: 'Agents', description: 'LLM agents that plan and act.' });
      await patch(['agents', 'efficiency']).expect(200);
      await removeTopic(api.db.ds, 'agents');
      expect((await patch(['agents']).expect(400)).body.detail).toBe('no such topic: agents');
    });

    it('says so from the CLI too', async () => {
      const run = await api.cli(['subscriptions', 'add', 'typo', 'email', 't@example.com', '--topics', 'effciency', '--mode', 'daily', '--hour', '8']);
      expect(run.code).toBe(1);
      expect(run.stderr.match(/no such topic: effciency/g)).toHaveLength(1);
      expect(await api.db.ds.query(`SELECT id FROM subscriptions WHERE target = 't@example.com'`)).toEqual([]);
    });
  });

  describe('query parameters on /v1', () => {
    it('refuses mistyped parameters, naming them and the accepted ones', async () => {
      const res = await http().get('/v1/claims?metric=speed&kind=nope&min=abc').expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.detail).toMatch(/^unknown query parameters "metric", "kind", "min" \(accepted: .*claimMetric.*claimKind.*claimMin/);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['metric', 'kind', 'min']);
      expect(res.body.errors[0].detail).toMatch(/did you mean claimMetric\?/);
      expect((await http().get('/v1/daily?week=2026-W60').expect(400)).body.errors[0].field).toBe('week');
      expect((await http().get('/v1/papers?from=2026-02-30').expect(400)).body.errors[0].field).toBe('from');
      // A known parameter with a value it cannot read is refused too, never dropped.
      expect((await http().get('/v1/papers?since=2026-02-30').expect(400)).body.errors[0].field).toBe('since');
      // The names as documented still work.
      const titles = async (query: string) =>
        ((await http().get(`/v1/claims?${query}`).expect(200)).body.items as { paperTitle: string }[]).map((c) => c.paperTitle);
      expect(await titles('claimKind=speedup&claimMin=2')).toEqual(['Faster kernels']);
      expect(await titles('claimKind=speedup&claimMin=5')).toEqual([]);
    });

    it('every /v1 operation takes exactly the query parameters its OpenAPI operation lists', async () => {
      const doc = (await http().get('/docs-json').expect(200)).body as {
        paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>>;
      };
      const checked: string[] = [];
      for (const [template, item] of Object.entries(doc.paths)) {
        if (!template.startsWith('/v1/') || /^\/v1\/(unsubscribe|subscriptions\/confirm)$/.test(template)) continue;
        const path = template.replace(/\{[^}]+\}/g, (p) => (p === '{file}' ? 'rag.atom' : p === '{format}' ? 'atom' : '00000000-0000-4000-8000-000000000000'));
        for (const method of HTTP_METHODS) {
          const op = item[method];
          if (!op) continue;
          const documented = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
          const res = await http()[method](`${path}?zzz=1`).set('Authorization', `Bearer ${adminKey}`).send(method === 'get' || method === 'delete' ? undefined : {});
          const where = `${method.toUpperCase()} ${template}`;
          expect({ where, status: res.status, field: res.body?.errors?.[0]?.field }).toEqual({ where, status: 400, field: 'zzz' });
          expect({ where, accepted: res.body.detail }).toEqual({
            where,
            accepted: documented.length > 0 ? expect.stringContaining(`(accepted: ${documented.join(', ')})`) : expect.stringContaining('takes no query parameters'),
          });
          checked.push(where);
        }
      }
      expect(checked.length).toBeGreaterThan(30);
      expect(checked).toEqual(expect.arrayContaining(['GET /v1/papers', 'GET /v1/papers/{id}', 'POST /v1/subscriptions', 'GET /v1/topics', 'GET /v1/stats/pipeline', 'PATCH /v1/subscriptions/{id}']));
    });

    it('leaves the HF-compatible /api and the links in mails as they were: they ignore what they do not read', async () => {
      await http().get('/api/daily_papers?zzz=1').expect(200);
      const plain = await http().get('/v1/unsubscribe?token=nope');
      const tracked = await http().get('/v1/unsubscribe?token=nope&utm_source=newsletter');
      expect({ status: tracked.status, detail: tracked.body.detail }).toEqual({ status: plain.status, detail: plain.body.detail });
      expect(tracked.body.detail).not.toMatch(/query parameter/);
    });
  });

  describe('pages answer browsers with pages', () => {
    it('GET /subscribe (a reloaded "Check your inbox") goes to the form on the home page', async () => {
      const res = await http().get('/subscribe').set('Accept', BROWSER_ACCEPT).expect(303);
      expect(res.headers.location).toBe('/');
    });

    it('a NUL in a page URL, a wrong method on a page: HTML pages for a browser, problem documents for API clients', async () => {
      const nul = await http().get('/?q=%00').set('Accept', BROWSER_ACCEPT).expect(400);
      expect(nul.headers['content-type']).toMatch(/^text\/html/);
      expect(nul.text).toContain('NUL characters are not allowed');
      expect((await http().get('/?q=%00').expect(400)).headers['content-type']).toMatch(/^application\/problem\+json/);
      const put = await http().put('/subscribe').set('Accept', BROWSER_ACCEPT).expect(405);
      expect(put.headers['content-type']).toMatch(/^text\/html/);
      expect(put.headers.allow).toContain('POST');
      expect((await http().get('/v1/papers?q=%00').set('Accept', BROWSER_ACCEPT).expect(400)).headers['content-type']).toMatch(/^application\/problem\+json/);
    });

    it('a topic that does not exist is a 404 page, never every paper', async () => {
      const res = await http().get('/?topic=nope').set('Accept', BROWSER_ACCEPT).expect(404);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.text).toContain('There is no topic &quot;nope&quot;');
      expect(res.text).not.toContain('Retrieval agents that plan');
      const known = await http().get('/?topic=rag').set('Accept', BROWSER_ACCEPT).expect(200);
      expect(known.text).toContain('<option value="rag" selected>');
    });
  });

  it('says where the next page is in a Link header (rel="next", the body\'s nextCursor) on every cursor-paged list', async () => {
    const follow = async (path: string, key?: string) => {
      const seen: string[] = [];
      let next: string | null = path;
      for (let guard = 0; next && guard < 10; guard++) {
        const req = http().get(next);
        const res = await (key ? req.set('Authorization', `Bearer ${key}`) : req).expect(200);
        const link = res.headers.link as string | undefined;
        if (res.body.nextCursor) {
          expect(link).toBe(`<${path.split('?')[0]}?${new URLSearchParams({ ...Object.fromEntries(new URL(next, 'http://x').searchParams), cursor: res.body.nextCursor })}>; rel="next"`);
          next = /^<([^>]+)>; rel="next"$/.exec(link!)![1];
        } else {
          expect(link).toBeUndefined();
          next = null;
        }
        seen.push(...res.body.items.map((i: { id: string }) => i.id));
      }
      return seen;
    };
    const papers = await follow('/v1/papers?limit=1&sort=recent');
    expect(papers).toHaveLength(2);
    expect(new Set(papers).size).toBe(2);
    for (const target of ['l1@example.com', 'l2@example.com']) {
      await http()
        .post('/v1/subscriptions')
        .set('Authorization', `Bearer ${subsKey}`)
        .send({ channel: 'email', target, mode: 'daily', schedule: { hour: 8 } })
        .expect(201);
    }
    const subs = await follow('/v1/subscriptions?limit=1', subsKey);
    expect(subs.length).toBeGreaterThanOrEqual(2);
    expect(new Set(subs).size).toBe(subs.length);
  });
});

describe('the CLI says what the API says', () => {
  const api = useTestApi('t_downstream_cli', async ({ ds }) => {
    await seedTopic(ds, 'rag', 'Retrieval-augmented generation');
  });

  it('names a paper id it cannot read as not a paper id, a missing one as missing', async () => {
    const bad = await api.cli(['paper', 'nope']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^paperwire: "nope" is not a paper id: give a PaperWire uuid, an arXiv id \(2401\.12345/);
    const missing = await api.cli(['paper', '2401.99999']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no paper with id 2401.99999 in the catalogue');
  });

  it('says a refusal once, naming its own options', async () => {
    const slug = await api.cli(['topics', 'add', 'Bad Slug', '--name', 'Bad', '--description', 'a topic with a bad slug']);
    expect(slug.code).toBe(1);
    expect(slug.stderr.match(/topic slugs are lower-case letters/g)).toHaveLength(1);
    const kind = await api.cli(['claims', '--kind', 'nonsense']);
    expect(kind.code).toBe(1);
    expect(kind.stderr).toMatch(/^paperwire: --kind must be one of relative_improvement, /);
    expect(kind.stderr).not.toContain('claimKind');
    expect(kind.stderr.match(/must be one of/g)).toHaveLength(1);
  });
});

describe('a rate-limited browser', () => {
  const api = useTestApi('t_downstream_429', async () => {}, { RATE_LIMIT_PER_MINUTE: '2' });

  it('is told the seconds to wait, not to read a header', async () => {
    let res = await api.http().get('/').set('Accept', BROWSER_ACCEPT);
    for (let i = 0; i < 5 && res.status !== 429; i++) res = await api.http().get('/').set('Accept', BROWSER_ACCEPT);
    expect(res.status).toBe(429);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    const seconds = Number(res.headers['retry-after']);
    expect(seconds).toBeGreaterThan(0);
    expect(res.text).toContain(`Try again in ${seconds} second`);
    expect(res.text).not.toContain('Retry-After');
  });
});
