import 'reflect-metadata';
import { listPaperRows, refreshPaperSearch, searchedPaperIds, type Db } from '@paperwire/db';
import { seedPaper, seedSource, seedTopic } from '@paperwire/testing';
import { useTestApi } from './testing/use-test-api';

jest.setTimeout(90_000);

// Session 21's reader review: a search that is a paper's id or link finds that paper (the home page, /v1 and the HF
// search), by an index lookup; a paper's links are labelled by what they are, never shown twice; abstracts read as
// text (\% \eg ~ $…$) on the page, the cards and the feeds, with the stored abstract untouched.

const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString();

const RAW_ABSTRACT =
  'We gain 2.19\\% over strong baselines on new contexts (\\eg text prompts) as Fig.~1 shows, at $O(n^2)$ cost; <script>alert(1)</script> stays text.';

describe('reader: ids as searches, labelled links, abstracts as text', () => {
  const ids: Record<string, string> = {};
  const api = useTestApi('t_reader_ids_links', async ({ ds }) => {
    await seedTopic(ds, 'efficiency', 'Efficient inference');
    const hf = await seedSource(ds, 'hf-daily', 'hf-daily-papers');
    const sighting = [{ sourceId: hf, sourceKind: 'hf-daily-papers', upvotes: 5, featuredAt: daysAgo(1) }];
    ids.msa = await seedPaper(ds, {
      title: 'MiniMax Sparse Attention',
      abstract: 'A blockwise sparse attention built upon grouped query attention.',
      arxivId: '2606.13392',
      publishedAt: daysAgo(1),
      topics: [{ slug: 'efficiency', score: 0.9, primary: true }],
      sightings: sighting,
      links: {
        code: [
          'https://github.com/MiniMax-AI/MSA',
          'https://huggingface.co/MiniMaxAI/MiniMax-M3',
          'https://huggingface.co/datasets/org/set',
        ],
        // the same repository again (a trailing slash), and a project page as the source gave it
        project: ['https://github.com/MiniMax-AI/MSA/', 'https://evoarena.github.io/EvoArena/'],
      },
    });
    // a paper that cites the first one: its text has the id, but a search for the id names the paper itself
    ids.citing = await seedPaper(ds, {
      title: 'A follow-up on sparse attention',
      abstract: 'We build on MiniMax Sparse Attention (arXiv 2606.13392) and cite 2501.00007 as prior work.',
      arxivId: '2606.20001',
      publishedAt: daysAgo(1),
      topics: [{ slug: 'efficiency', score: 0.8, primary: true }],
      sightings: sighting,
    });
    ids.old = await seedPaper(ds, {
      title: 'An old-style string theory paper',
      abstract: 'Strings, branes and dualities.',
      arxivId: 'hep-th/9901001',
      publishedAt: daysAgo(400),
    });
    ids.journal = await seedPaper(ds, {
      title: 'A journal paper without an arXiv id',
      abstract: 'Published in a journal only.',
      publishedAt: daysAgo(30),
    });
    await ds.query(`UPDATE papers SET doi = '10.1145/3292500.3330701' WHERE id = $1`, [ids.journal]);
    ids.latex = await seedPaper(ds, {
      title: 'Adapters from context',
      abstract: RAW_ABSTRACT,
      arxivId: '2606.30003',
      publishedAt: daysAgo(1),
      topics: [{ slug: 'efficiency', score: 0.7, primary: true }],
      sightings: sighting,
      claims: [
        {
          text: '2.19\\%',
          start: RAW_ABSTRACT.indexOf('2.19'),
          end: RAW_ABSTRACT.indexOf('2.19') + '2.19\\%'.length,
          value: 2.19,
          unit: '%',
          kind: 'relative_improvement',
          metric: 'accuracy',
          isHeadline: true,
        },
      ],
    });
  });
  const http = api.http;

  describe('a search that is an id or a link finds that paper', () => {
    const forms: [string, string][] = [
      ['2606.13392', 'msa'],
      ['arXiv:2606.13392', 'msa'],
      ['2606.13392v2', 'msa'],
      ['https://arxiv.org/abs/2606.13392', 'msa'],
      ['https://arxiv.org/pdf/2606.13392v1', 'msa'],
      ['arxiv.org/html/2606.13392v1/', 'msa'],
      ['https://huggingface.co/papers/2606.13392', 'msa'],
      ['10.48550/arXiv.2606.13392', 'msa'],
      ['hep-th/9901001', 'old'],
      ['https://arxiv.org/abs/hep-th/9901001v2', 'old'],
      ['https://doi.org/10.1145/3292500.3330701', 'journal'],
    ];

    it.each(forms)('%p: /v1/papers and /api/papers/search list that paper only', async (q, which) => {
      for (const sort of ['relevance', 'recent', 'trending']) {
        const v1 = await http().get('/v1/papers').query({ q, sort }).expect(200);
        expect({ sort, ids: v1.body.items.map((p: { id: string }) => p.id) }).toEqual({
          sort,
          ids: [ids[which]],
        });
      }
      const hf = await http().get('/api/papers/search').query({ q }).expect(200);
      expect(hf.body.map((i: { paperwire: { id: string } }) => i.paperwire.id)).toEqual([ids[which]]);
    });

    it.each(forms)('%p: the home page goes to the paper page', async (q, which) => {
      const res = await http().get('/').query({ q }).expect(302);
      const key = which === 'msa' ? '2606.13392' : which === 'old' ? 'hep-th/9901001' : ids.journal;
      expect(res.headers.location).toBe(`/papers/${encodeURIComponent(key)}`);
      await http().get(res.headers.location).expect(200);
    });

    it('words are still searched as text; an id no paper has finds none (an index lookup, never a text scan)', async () => {
      const words = await http().get('/v1/papers').query({ q: 'sparse attention' }).expect(200);
      expect(words.body.items.map((p: { id: string }) => p.id).sort()).toEqual([ids.msa, ids.citing].sort());
      // the citing paper's text has 2501.00007, but no paper is 2501.00007
      const cited = await http().get('/v1/papers').query({ q: '2501.00007' }).expect(200);
      expect(cited.body.items).toEqual([]);
      expect(
        (await http().get('/api/papers/search').query({ q: 'arXiv:2501.00007' }).expect(200)).body,
      ).toEqual([]);
      const page = await http().get('/').query({ q: '2501.00007' }).expect(200);
      expect(page.text).toContain('No papers match.');
      // the day's listing reads it the same way
      const day = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
      const daily = await http().get('/api/daily_papers').query({ date: day }).expect(200);
      expect(daily.body.length).toBeGreaterThan(1);
    });

    it('is one index lookup at any catalogue size (EXPLAIN), analysed or not', async () => {
      const { ds } = api.db;
      await ds.query(
        `INSERT INTO papers (paper_key, arxiv_id, doi, title, abstract, content_hash)
         SELECT 'arxiv:2501.' || lpad(i::text, 5, '0'), '2501.' || lpad(i::text, 5, '0'), CASE WHEN i % 3 = 0 THEN '10.9999/x.' || i END,
                'Bulk paper ' || i, 'Bulk abstract ' || i, md5(i::text)
           FROM generate_series(1, 30000) i`,
      );
      const plans: string[] = [];
      const explaining = {
        query: async (sql: string, params?: unknown[]) => {
          const [row] = await ds.query(`EXPLAIN (FORMAT JSON) ${sql}`, params);
          plans.push(JSON.stringify(row['QUERY PLAN']));
          return [];
        },
      } as unknown as Db;
      for (const analysed of [false, true]) {
        if (analysed) await ds.query('ANALYZE papers');
        for (const q of ['arXiv:2501.00042', 'https://doi.org/10.9999/x.42', ids.msa]) {
          plans.length = 0;
          await searchedPaperIds(explaining, q);
          expect(plans).toHaveLength(1);
          expect({ q, analysed, seq: plans[0].includes('Seq Scan') }).toEqual({ q, analysed, seq: false });
          expect(plans[0]).toMatch(/idx_papers_arxiv_id|idx_papers_doi|PK_|UQ_/);
        }
        // the listing of the named papers reads them by primary key, never a walk of the catalogue
        plans.length = 0;
        for (const sort of ['relevance', 'recent'] as const)
          await listPaperRows(explaining, { filters: { q: '2501.00042', qIds: [ids.msa] }, sort, limit: 20 });
        // The catalogue (papers) is never scanned or walked in date order; a small side table (the few full-text rows
        // of the seeded papers) may be scanned as the planner likes. Checked once analysed: before, the planner may take
        // the just-filled papers table for a few pages and scan it.
        if (analysed)
          for (const plan of plans) {
            const nodes: Record<string, unknown>[] = [];
            const walk = (n: Record<string, unknown>) => {
              nodes.push(n);
              for (const child of (n.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
            };
            walk((JSON.parse(plan) as { Plan: Record<string, unknown> }[])[0].Plan);
            const catalogueWalks = nodes.filter(
              (n) => (n['Node Type'] === 'Seq Scan' && n['Relation Name'] === 'papers') || n['Index Name'] === 'idx_papers_sort_at',
            );
            expect(catalogueWalks.map((n) => `${n['Node Type']} ${n['Relation Name'] ?? ''} ${n['Index Name'] ?? ''}`)).toEqual([]);
          }
      }
      // and found: the oldest of them first
      expect((await searchedPaperIds(ds, 'arXiv:2501.00042'))?.map((p) => p.arxiv_id)).toEqual([
        '2501.00042',
      ]);
      expect(await searchedPaperIds(ds, 'arXiv:2501.99999')).toEqual([]);
      expect(await searchedPaperIds(ds, 'sparse attention')).toBeNull();
      expect(await searchedPaperIds(ds, 'title:sparse-attention')).toBeNull();
    });
  });

  describe('links are labelled by what they are, each page once', () => {
    it('the paper page: code on GitHub, a Hugging Face model and dataset, the project page, no duplicates', async () => {
      const html = (await http().get('/papers/2606.13392').expect(200)).text;
      const links = [
        ...html.matchAll(
          /<a href="([^"]+)" data-testid="link-(code|model|dataset|space|project)">([^<]+)<\/a>/g,
        ),
      ].map((m) => [m[2], m[3], m[1]]);
      expect(links).toEqual([
        ['code', 'Code on GitHub', 'https://github.com/MiniMax-AI/MSA'],
        ['model', 'Model on Hugging Face', 'https://huggingface.co/MiniMaxAI/MiniMax-M3'],
        ['dataset', 'Dataset on Hugging Face', 'https://huggingface.co/datasets/org/set'],
        ['project', 'Project page', 'https://evoarena.github.io/EvoArena/'],
      ]);
      const labels = links.map((l) => l[1]);
      expect(new Set(labels).size).toBe(labels.length);
    });

    it('the Atom feed titles each link by its kind; the HF API gives the repository and the project page as stored', async () => {
      const atom = (await http().get('/v1/feeds/topics/efficiency.atom').expect(200)).text;
      const entry = atom.split('<entry>').find((e) => e.includes(`urn:uuid:${ids.msa}`)) ?? '';
      const related = [...entry.matchAll(/<link rel="related" title="([^"]+)" href="([^"]+)"\/>/g)].map(
        (m) => [m[1], m[2]],
      );
      expect(related).toEqual([
        ['code', 'https://github.com/MiniMax-AI/MSA'],
        ['model', 'https://huggingface.co/MiniMaxAI/MiniMax-M3'],
        ['dataset', 'https://huggingface.co/datasets/org/set'],
        ['project', 'https://evoarena.github.io/EvoArena/'],
      ]);
      const hf = (await http().get('/api/papers/2606.13392').expect(200)).body;
      expect(hf.githubRepo).toBe('https://github.com/MiniMax-AI/MSA');
      expect(hf.projectPage).toBe('https://evoarena.github.io/EvoArena/');
      // a card shows the repository as its code link
      const day = (await http().get('/').expect(200)).text;
      const card =
        day
          .split('<article')
          .find((a) => a.includes('data-testid="paper-title">MiniMax Sparse Attention<')) ?? '';
      expect(card).toContain(
        'href="https://github.com/MiniMax-AI/MSA" data-testid="link-code" data-kind="code" title="Code on GitHub">Code</a>',
      );
    });
  });

  describe('abstracts read as text wherever they are shown', () => {
    it('the paper page renders \\%, \\eg, ties and inline math, escapes the rest, and marks the claim on the stored offsets', async () => {
      const html = (await http().get('/papers/2606.30003').expect(200)).text;
      const abstract = /<p class="abstract" data-testid="abstract">([\s\S]*?)<\/p>/.exec(html)?.[1] ?? '';
      const text = abstract
        .replace(/<span class="tip"[\s\S]*?<\/span><\/mark>/g, '</mark>')
        .replace(/<[^>]+>/g, '');
      expect(text).toBe(
        'We gain 2.19% over strong baselines on new contexts (e.g. text prompts) as Fig. 1 shows, at O(n2) cost; &lt;script&gt;alert(1)&lt;/script&gt; stays text.',
      );
      expect(abstract).toContain('O(n<sup>2</sup>)');
      expect(abstract).toMatch(/data-testid="claim-mark"[^>]*>2\.19%<span class="tip"/);
      expect(abstract).not.toMatch(/\\%|\\eg|~|\$|<script/);
      // the meta description reads the same
      expect(html).toMatch(
        /<meta name="description" content="[^"]*We gain 2\.19% over strong baselines on new contexts \(e\.g\. text prompts\)/,
      );
      // the stored abstract is untouched
      const json = (await http().get(`/v1/papers/${ids.latex}`).expect(200)).body;
      expect(json.abstract).toBe(RAW_ABSTRACT);
    });

    it('cards and feeds read it the same way', async () => {
      const day = (await http().get('/').expect(200)).text;
      const card =
        day.split('<article').find((a) => a.includes('data-testid="paper-title">Adapters from context<')) ??
        '';
      expect(card).toContain(
        'We gain 2.19% over strong baselines on new contexts (e.g. text prompts) as Fig. 1 shows, at O(n²) cost; &lt;script&gt;',
      );
      const atom = (await http().get('/v1/feeds/topics/efficiency.atom').expect(200)).text;
      const entry = atom.split('<entry>').find((e) => e.includes(`urn:uuid:${ids.latex}`)) ?? '';
      expect(entry).toContain(
        'We gain 2.19% over strong baselines on new contexts (e.g. text prompts) as Fig. 1 shows, at O(n²) cost; &lt;script&gt;',
      );
      expect(entry).toContain('— “2.19%”');
      expect(entry).not.toMatch(/\\%|\\eg/);
      const feed = JSON.parse((await http().get('/v1/feeds/topics/efficiency.json').expect(200)).text);
      const item = feed.items.find((i: { id: string }) => i.id === ids.latex);
      expect(item.summary).toContain(
        '2.19% over strong baselines on new contexts (e.g. text prompts) as Fig. 1 shows',
      );
      expect(item.content_text).toContain('(e.g. text prompts)');
      expect(item.content_text).not.toMatch(/\\%|\\eg|Fig\.~/);
    });
  });
});

// The HF-compatible API answers every error in HF's shape, whoever answers it: the route (400), no route (404), a
// wrong method (405), the rate limiter (429); /v1 keeps problem documents.
describe('HF-compatible API errors are HF-shaped', () => {
  const api = useTestApi('t_reader_hf_errors', async () => undefined, { RATE_LIMIT_PER_MINUTE: '6' });

  it('400, 404, 405 and 429 on /api/* are {"error": …} as application/json, with the same headers', async () => {
    const hfError = (
      res: { status: number; headers: Record<string, string>; body: unknown },
      status: number,
    ) => {
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual({ error: expect.any(String) });
      expect((res.body as { error: string }).error.length).toBeGreaterThan(0);
    };
    hfError(await api.http().get('/api/papers/search'), 400);
    hfError(await api.http().get('/api/no-such-route'), 404);
    const wrong = await api.http().post('/api/daily_papers').send({});
    hfError(wrong, 405);
    expect(wrong.headers.allow).toContain('GET');
    // the budget of 6 a minute spent (what no route answered is not counted), then 429s
    const statuses: number[] = [];
    let limited = await api.http().get('/api/daily_papers');
    for (let i = 0; i < 8 && limited.status !== 429; i++) {
      statuses.push(limited.status);
      limited = await api.http().get('/api/daily_papers');
    }
    expect(statuses.every((s) => s === 200)).toBe(true);
    hfError(limited, 429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    const v1 = await api.http().get('/v1/papers').expect(429);
    expect(v1.headers['content-type']).toMatch(/problem\+json/);
    expect(v1.body).toMatchObject({ status: 429, title: 'Too Many Requests' });
  });
});

// A dated paper gives that one date on every surface: /v1, the feeds and the HF API, not the ingest time (an undated
// one, as a text capture's, gives none anywhere: undated-papers.int-spec).
describe('a paper dated by its page date shows that date on every surface', () => {
  const api = useTestApi('t_reader_capture_date', async () => undefined);

  it('2025-09-01 in /v1, Atom, JSON Feed and the HF API', async () => {
    const { ds } = api.db;
    const day = '2025-09-01T00:00:00.000Z';
    const id = await seedPaper(ds, {
      title: 'Cognitive Visual-Language Mapper for captured pages',
      abstract: 'We map cognitive visual language for captured pages.',
      publishedAt: day,
    });
    expect((await http().get(`/v1/papers/${id}`).expect(200)).body.publishedAt).toBe(day);
    expect((await http().get(`/api/papers/${id}`).expect(200)).body.publishedAt).toBe(day);
    await refreshPaperSearch(ds, [id]);
    const atom = (
      await http().get('/v1/feeds/search.atom').query({ q: 'Cognitive Visual-Language Mapper' }).expect(200)
    ).text;
    const entry = atom.split('<entry>').find((e) => e.includes(`urn:uuid:${id}`)) ?? '';
    expect(/<published>([^<]+)<\/published>/.exec(entry)?.[1]).toBe(day);
    const json = JSON.parse(
      (await http().get('/v1/feeds/search.json').query({ q: 'Cognitive Visual-Language Mapper' }).expect(200))
        .text,
    );
    expect(json.items.find((i: { id: string }) => i.id === id)?.date_published).toBe(day);
  });
  const http = api.http;
});
