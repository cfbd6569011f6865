import 'reflect-metadata';
import type { CanonicalPaper } from '@paperwire/contracts';
import { saveClassifications, saveExtractions, upsertPapers, type ExtractedClaimRow } from '@paperwire/db';
import { seedPaper, seedSource, seedTopic } from '@paperwire/testing';
import { useTestApi } from './testing/use-test-api';

jest.setTimeout(60_000);

// The read-side audit's leftovers: feed entries dated by their last visible change, paper ids pasted
// the way people paste them, stored links that are not http(s), and the HF API's paging limit.

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString();

/** `<updated>` and `<published>` of the entry with this id, and the feed's own `<updated>`. */
function atomDates(xml: string, id: string): { feed: string; updated?: string; published?: string } {
  const feed = /<feed[^>]*>[\s\S]*?<updated>([^<]+)<\/updated>/.exec(xml)?.[1] ?? '';
  const entry = xml.split('<entry>').find((e) => e.includes(`<id>urn:uuid:${id}</id>`)) ?? '';
  return {
    feed,
    updated: /<updated>([^<]+)<\/updated>/.exec(entry)?.[1],
    published: /<published>([^<]+)<\/published>/.exec(entry)?.[1],
  };
}

describe('reader leftovers', () => {
  const ids: Record<string, string> = {};
  const api = useTestApi('t_reader_leftovers', async ({ ds }) => {
    await seedTopic(ds, 'rag', 'Retrieval-augmented generation');
    await seedTopic(ds, 'agents', 'Agents');
    const hf = await seedSource(ds, 'hf-daily', 'hf-daily-papers');
    const sighting = (h: number) => [
      {
        sourceId: hf,
        sourceKind: 'hf-daily-papers',
        upvotes: 3,
        featuredAt: new Date(Date.now() - h * 3600_000).toISOString(),
      },
    ];
    ids.versioned = await seedPaper(ds, {
      title: 'Versioned retrieval paper',
      abstract: 'Version one of a retrieval paper.',
      arxivId: '2612.00101',
      publishedAt: daysAgo(3),
      topics: [{ slug: 'rag', score: 0.9, primary: true }],
      sightings: sighting(3),
    });
    ids.reclassified = await seedPaper(ds, {
      title: 'Reclassified retrieval paper',
      abstract: 'A retrieval paper the classifier will see again.',
      arxivId: '2612.00102',
      publishedAt: daysAgo(2),
      stage: 'parsed',
      topics: [{ slug: 'rag', score: 0.8, primary: true }],
      sightings: sighting(2),
    });
    ids.reextracted = await seedPaper(ds, {
      title: 'Re-extracted retrieval paper',
      abstract: 'Retrieval improves accuracy by 12% and recall by 30%.',
      arxivId: '2612.00104',
      publishedAt: daysAgo(2),
      stage: 'classified',
      stageAgo: { parsed: 60, classified: 60, extracted: 60 },
      topics: [{ slug: 'rag', score: 0.8, primary: true }],
      claims: [
        {
          text: '12%',
          start: 38,
          end: 41,
          value: 12,
          unit: '%',
          kind: 'relative_improvement',
          metric: 'accuracy',
          isHeadline: true,
        },
      ],
      sightings: sighting(2),
    });
    ids.unsafe = await seedPaper(ds, {
      title: 'Paper with hostile links',
      abstract: 'Its stored links are not web addresses.',
      arxivId: '2612.00103',
      publishedAt: daysAgo(1),
      topics: [{ slug: 'rag', score: 0.7, primary: true }],
      sightings: sighting(1),
      links: {
        abs: 'javascript:alert(1)',
        pdf: 'data:text/html,<script>alert(2)</script>',
        code: [' JavaScript:alert(3)', 'https://github.com/good/repo', 'vbscript:msgbox(4)'],
        project: ['java\tscript:alert(5)', 'http://project.example.org/'],
      },
    });
  });
  const http = api.http;

  describe('feed entries are dated by their last change a reader sees', () => {
    it("a new arXiv version changes the entry's <updated> and date_modified, not <published>", async () => {
      const before = atomDates(
        (await http().get('/v1/feeds/topics/rag.atom').expect(200)).text,
        ids.versioned,
      );
      expect(before.published).toBeDefined();
      await sleep(20);
      const p: CanonicalPaper = {
        title: 'Versioned retrieval paper',
        abstract: 'Version two of a retrieval paper, with more results.',
        authors: [{ name: 'A. Author' }],
        externalIds: { arxiv: '2612.00101' },
        version: 2,
        categories: ['cs.CL'],
        links: { code: [], project: [] },
        sighting: {},
      };
      await api.db.ds.transaction((em) =>
        upsertPapers(em, [{ key: 'arxiv:2612.00101', hash: 'v2-hash', paper: p }]),
      );
      const res = await http().get('/v1/feeds/topics/rag.atom').expect(200);
      const after = atomDates(res.text, ids.versioned);
      expect(after.published).toBe(before.published);
      expect(Date.parse(after.updated!)).toBeGreaterThan(Date.parse(before.updated!));
      // The feed is dated by its newest entry.
      expect(after.feed).toBe(after.updated);
      const json = JSON.parse((await http().get('/v1/feeds/topics/rag.json').expect(200)).text);
      const item = json.items.find((i: { id: string }) => i.id === ids.versioned);
      expect(item.date_published).toBe(after.published);
      expect(item.date_modified).toBe(after.updated);
      // Another source adds a code repository (the same version): the entry's links change, so does <updated>.
      await sleep(20);
      const withCode = { ...p, links: { code: ['https://github.com/v/two'], project: [] } };
      await api.db.ds.transaction((em) =>
        upsertPapers(em, [{ key: 'arxiv:2612.00101', hash: 'v2-hash', paper: withCode }]),
      );
      const linked = atomDates(
        (await http().get('/v1/feeds/topics/rag.atom').expect(200)).text,
        ids.versioned,
      );
      expect(Date.parse(linked.updated!)).toBeGreaterThan(Date.parse(after.updated!));
      // The same document again: nothing changed, nothing moves.
      await sleep(20);
      await api.db.ds.transaction((em) =>
        upsertPapers(em, [{ key: 'arxiv:2612.00101', hash: 'v2-hash', paper: withCode }]),
      );
      expect(
        atomDates((await http().get('/v1/feeds/topics/rag.atom').expect(200)).text, ids.versioned).updated,
      ).toBe(linked.updated);
    });

    it('a re-classification that changes the topics changes <updated>; one that changes nothing does not', async () => {
      const before = atomDates(
        (await http().get('/v1/feeds/topics/rag.atom').expect(200)).text,
        ids.reclassified,
      );
      await sleep(20);
      // seedPaper writes topics without a classification run; mark it classified once, as the pipeline would have
      // (a paper's first classification does not move updated_at).
      await api.db.ds.query(
        `UPDATE paper_stages SET classified_at = now() - interval '1 hour' WHERE paper_id = $1`,
        [ids.reclassified],
      );
      const [{ content_hash: hash }] = await api.db.ds.query(
        `SELECT content_hash FROM paper_stages WHERE paper_id = $1`,
        [ids.reclassified],
      );
      const classify = (primary: string) =>
        saveClassifications(
          api.db.ds,
          [
            {
              paperId: ids.reclassified,
              contentHash: hash,
              primaryTopic: primary,
              contribution: 'method',
              predictedCategory: null,
              classifierVersion: 'test-2',
            },
          ],
          [
            {
              paper_id: ids.reclassified,
              topic_slug: 'rag',
              score: 0.8,
              is_primary: primary === 'rag',
              evidence: ['retrieval'],
            },
            {
              paper_id: ids.reclassified,
              topic_slug: 'agents',
              score: 0.6,
              is_primary: primary === 'agents',
              evidence: ['agent'],
            },
          ],
        );
      expect(await classify('agents')).toHaveLength(1);
      const changed = atomDates(
        (await http().get('/v1/feeds/topics/rag.atom').expect(200)).text,
        ids.reclassified,
      );
      expect(changed.published).toBe(before.published);
      expect(Date.parse(changed.updated!)).toBeGreaterThan(Date.parse(before.updated!));
      // Classified again (a reclassify run) with the same outcome: nothing a reader sees changed.
      await api.db.ds.query(
        `UPDATE paper_stages SET stage = 'parsed', stage_at = now() WHERE paper_id = $1`,
        [ids.reclassified],
      );
      await sleep(20);
      expect(await classify('agents')).toHaveLength(1);
      const same = atomDates(
        (await http().get('/v1/feeds/topics/rag.atom').expect(200)).text,
        ids.reclassified,
      );
      expect(same.updated).toBe(changed.updated);
    });

    it('a re-extraction that changes the claims changes <updated>; one that finds the same claims does not', async () => {
      const entry = async () =>
        atomDates((await http().get('/v1/feeds/topics/rag.atom').expect(200)).text, ids.reextracted);
      const before = await entry();
      const [{ content_hash: hash }] = await api.db.ds.query(
        `SELECT content_hash FROM paper_stages WHERE paper_id = $1`,
        [ids.reextracted],
      );
      const claim = (text: string, start: number, value: number, metric: string): ExtractedClaimRow => ({
        paper_id: ids.reextracted,
        start,
        end: start + text.length,
        text,
        value,
        low: null,
        unit: '%',
        unit_text: '%',
        category: 'result',
        kind: 'relative_improvement',
        metric,
        improvement: true,
        baseline: null,
        compared_to: null,
        dataset: null,
        qualifier: null,
        is_headline: metric === 'recall',
      });
      const extract = async (rows: ExtractedClaimRow[]) => {
        await api.db.ds.query(
          `UPDATE paper_stages SET stage = 'classified', stage_at = now() WHERE paper_id = $1`,
          [ids.reextracted],
        );
        await sleep(20);
        expect(
          await saveExtractions(api.db.ds, [{ paperId: ids.reextracted, contentHash: hash }], rows, 'test-2'),
        ).toHaveLength(1);
        return entry();
      };
      const claims = [claim('12%', 38, 12, 'accuracy'), claim('30%', 60, 30, 'recall')];
      const changed = await extract(claims);
      expect(changed.published).toBe(before.published);
      expect(Date.parse(changed.updated!)).toBeGreaterThan(Date.parse(before.updated!));
      const same = await extract(claims);
      expect(same.updated).toBe(changed.updated);
    });

    it('an empty feed is dated by the current minute, not 1970, and keeps its ETag within the minute', async () => {
      const minute = () => Math.floor(Date.now() / 60_000);
      for (let attempt = 0; ; attempt++) {
        const at = minute();
        const res = await http().get('/v1/feeds/search.atom?q=zzzunmatchedzzz').expect(200);
        expect(res.text).not.toContain('<entry>');
        const updated = /<updated>([^<]+)<\/updated>/.exec(res.text)?.[1] ?? '';
        expect(updated).not.toMatch(/^1970/);
        const again = await http()
          .get('/v1/feeds/search.atom?q=zzzunmatchedzzz')
          .set('If-None-Match', res.headers.etag as string);
        const json = JSON.parse(
          (await http().get('/v1/feeds/search.json?q=zzzunmatchedzzz').expect(200)).text,
        );
        if (minute() !== at && attempt === 0) continue;
        expect(Date.parse(updated)).toBe(at * 60_000);
        expect(again.status).toBe(304);
        expect(json.items).toEqual([]);
        return;
      }
    });

    it('/v1/papers items carry updatedAt', async () => {
      const res = await http().get('/v1/papers?topic=rag').expect(200);
      for (const item of res.body.items)
        expect(Date.parse(item.updatedAt)).toBeGreaterThanOrEqual(Date.parse(item.createdAt));
    });
  });

  describe('paper ids pasted the way people paste them', () => {
    const pasted = [
      'arXiv:2612.00103',
      'arxiv:2612.00103v2',
      ' 2612.00103 ',
      'ARXIV: 2612.00103',
      'https://arxiv.org/abs/2612.00103',
      'https://arxiv.org/pdf/2612.00103v1.pdf',
      'arxiv.org/abs/2612.00103v3',
    ];

    it.each(pasted)(
      'the page %p redirects (301) to /papers/2612.00103, its Atom alternate likewise',
      async (raw) => {
        const res = await http()
          .get(`/papers/${encodeURIComponent(raw)}`)
          .expect(301);
        expect(res.headers.location).toBe('/papers/2612.00103');
        const atom = await http()
          .get(`/papers/${encodeURIComponent(raw)}.atom`)
          .expect(301);
        expect(atom.headers.location).toBe('/papers/2612.00103.atom');
      },
    );

    it('an arXiv URL pasted after /papers/ unencoded redirects too; other paths under /papers/ are no id (400)', async () => {
      for (const path of [
        '/papers/https://arxiv.org/abs/2612.00103',
        '/papers/arxiv.org/abs/2612.00103v2',
        '/papers/https://arxiv.org/pdf/2612.00103v1.pdf',
      ]) {
        const res = await http().get(path);
        expect({ path, status: res.status, location: res.headers.location }).toEqual({
          path,
          status: 301,
          location: '/papers/2612.00103',
        });
      }
      for (const path of [
        '/v1/papers/https://arxiv.org/abs/2612.00103',
        '/api/papers/arxiv.org/abs/2612.00103',
      ]) {
        const res = await http().get(path);
        expect({ path, status: res.status }).toEqual({ path, status: 200 });
      }
      const bad = await http().get('/papers/a/b/c').set('Accept', BROWSER_ACCEPT);
      expect(bad.status).toBe(400);
      expect(bad.headers['content-type']).toMatch(/text\/html/);
    });

    it('a version suffix on the page redirects too; an id as stored (arXiv id or uuid) is the page', async () => {
      const v = await http().get('/papers/2612.00103v2').expect(301);
      expect(v.headers.location).toBe('/papers/2612.00103');
      await http().get('/papers/2612.00103').expect(200);
      await http().get(`/papers/${ids.unsafe}`).expect(200);
      const old = await http().get('/papers/hep-th/9901001v2').expect(301);
      expect(old.headers.location).toBe('/papers/hep-th%2F9901001');
    });

    it.each(pasted)('/v1/papers/%p and /api/papers/%p answer the paper', async (raw) => {
      const v1 = await http()
        .get(`/v1/papers/${encodeURIComponent(raw)}`)
        .expect(200);
      expect(v1.body.id).toBe(ids.unsafe);
      const hf = await http()
        .get(`/api/papers/${encodeURIComponent(raw)}`)
        .expect(200);
      expect(hf.body.id).toBe('2612.00103');
    });

    it('a well-formed id of no paper is 404; what can never be an id is 400', async () => {
      for (const raw of [
        'arXiv:2612.99999',
        '2612.99999v2',
        'https://arxiv.org/abs/2612.99999',
        '00000000-0000-4000-8000-000000000000',
        'doi:10.1234/none',
      ]) {
        await http()
          .get(`/v1/papers/${encodeURIComponent(raw)}`)
          .expect(404);
        await http()
          .get(`/api/papers/${encodeURIComponent(raw)}`)
          .expect(404);
        await http()
          .get(`/papers/${encodeURIComponent(raw)}`)
          .expect((r) => expect([301, 404]).toContain(r.status));
      }
      for (const raw of [
        'nonsense',
        'arXiv:hello',
        '<script>',
        'https://example.org/abs/2612.00103',
        '   ',
      ]) {
        const v1 = await http().get(`/v1/papers/${encodeURIComponent(raw)}`);
        expect({ raw, status: v1.status }).toEqual({ raw, status: 400 });
        expect(v1.headers['content-type']).toMatch(/application\/problem\+json/);
        const hf = await http().get(`/api/papers/${encodeURIComponent(raw)}`);
        expect({ raw, status: hf.status }).toEqual({ raw, status: 400 });
        expect(hf.body.error).toMatch(/not a paper id/);
        const page = await http()
          .get(`/papers/${encodeURIComponent(raw)}`)
          .set('Accept', BROWSER_ACCEPT);
        expect({ raw, status: page.status }).toEqual({ raw, status: 400 });
        expect(page.headers['content-type']).toMatch(/text\/html/);
        expect(page.text).not.toContain('<script>');
      }
    });
  });

  describe('stored links that are not http(s)', () => {
    const hostile = /javascript:|vbscript:|data:text|java\tscript/i;
    it('are not links on the paper page, the Daily Papers page, the feeds or the HF API', async () => {
      const page = (await http().get('/papers/2612.00103').expect(200)).text;
      expect(page).not.toMatch(hostile);
      expect(page).toContain('href="https://github.com/good/repo"');
      expect(page).toContain('href="http://project.example.org/"');
      // The arXiv abstract page stands in for a stored abstract link that is not a web address.
      expect(page).toContain('href="https://arxiv.org/abs/2612.00103"');
      const home = (await http().get('/?topic=rag').expect(200)).text;
      expect(home).toContain('data-paper-id="' + ids.unsafe + '"');
      expect(home).not.toMatch(hostile);
      for (const path of [
        '/v1/feeds/topics/rag.atom',
        '/v1/feeds/topics/rag.json',
        '/papers/2612.00103.atom',
      ]) {
        const feed = (await http().get(path).expect(200)).text;
        expect({ path, hostile: hostile.test(feed) }).toEqual({ path, hostile: false });
      }
      const hf = await http().get('/api/papers/2612.00103').expect(200);
      expect(hf.body.githubRepo).toBe('https://github.com/good/repo');
      expect(hf.body.projectPage).toBe('http://project.example.org/');
      const search = await http().get('/api/papers/search?q=hostile').expect(200);
      expect(search.body.map((i: { paper: { id: string } }) => i.paper.id)).toContain('2612.00103');
      expect(JSON.stringify(search.body)).not.toMatch(hostile);
    });
  });

  describe('the HF-compatible API paging limit', () => {
    it('tells the client what it can do in that API (it has no cursor)', async () => {
      const res = await http().get('/api/daily_papers?p=200&limit=100').expect(400);
      expect(res.body.error).not.toMatch(/cursor/i);
      expect(res.body.error).toMatch(/10000/);
      expect(res.body.error).toMatch(/date=|week=/);
    });
  });
});
