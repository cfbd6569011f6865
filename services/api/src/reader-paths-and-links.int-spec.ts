import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import { seedPaper, seedSource, seedTopic } from '@paperwire/testing';
import { PapersService } from './papers/papers.service';
import { useTestApi } from './testing/use-test-api';

jest.setTimeout(60_000);

// Over real HTTP against the api on a real Postgres: stored links that are not web addresses stay out of every
// JSON answer (as they stay out of pages and feeds), arxiv.org's /abs and /pdf paths on this host, and the
// classifier's predicted arXiv category.

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const HOSTILE = /javascript:|data:text|data:application|vbscript:/i;
const FEATURED = new Date(Date.now() - 3600_000).toISOString();

describe('reader paths and links', () => {
  const ids: Record<string, string> = {};
  const api = useTestApi('t_reader_paths', async ({ ds }) => {
    await seedTopic(ds, 'rag', 'Retrieval-augmented generation');
    const hf = await seedSource(ds, 'hf-daily', 'hf-daily-papers');
    const sightings = [
      { sourceId: hf, sourceKind: 'hf-daily-papers', upvotes: 7, comments: 1, featuredAt: FEATURED },
    ];
    // From Hugging Face (no arXiv categories): the classifier predicted one.
    ids.hostile = await seedPaper(ds, {
      title: 'Hostile links in a retrieval paper',
      abstract: 'Its stored links are javascript and data addresses, beside two good ones.',
      arxivId: '2612.00201',
      topics: [{ slug: 'rag', score: 0.9, primary: true }],
      sightings,
      hasCode: true,
      links: {
        abs: 'javascript:alert(1)',
        pdf: 'data:application/pdf;base64,JVBERi0xLjQ=',
        code: [
          ' JavaScript:alert(2)',
          'https://github.com/good/repo',
          'data:text/html,<script>alert(3)</script>',
        ],
        project: ['data:text/html,<b>x</b>', 'http://project.example.org/'],
      },
    });
    await ds.query(`UPDATE papers SET predicted_category = 'cs.CL' WHERE id = $1`, [ids.hostile]);
    // From arXiv: its categories are known, so a prediction left from before is not served.
    ids.withPdf = await seedPaper(ds, {
      title: 'A retrieval paper with a PDF',
      abstract: 'Retrieval with a stored PDF link.',
      arxivId: '2612.00202',
      topics: [{ slug: 'rag', score: 0.8, primary: true }],
      links: {
        abs: 'https://arxiv.org/abs/2612.00202',
        pdf: 'https://arxiv.org/pdf/2612.00202v3',
        code: [],
        project: [],
      },
    });
    await ds.query(
      `UPDATE papers SET categories = '{cs.LG,cs.AI}', predicted_category = 'cs.CV' WHERE id = $1`,
      [ids.withPdf],
    );
    ids.noArxiv = await seedPaper(ds, {
      title: 'A paper known by its uuid only',
      abstract: 'No arXiv id, a PDF elsewhere.',
      links: { pdf: 'https://pdfs.example.org/paper.pdf', code: [], project: [] },
    });
    ids.oldStyle = await seedPaper(ds, {
      title: 'An old-style arXiv paper',
      abstract: 'Strings.',
      arxivId: 'hep-th/9901001',
    });
  });
  const http = api.http;

  describe('stored links that are not http(s) are in no /v1 JSON answer (nor the HF API)', () => {
    const DAY = FEATURED.slice(0, 10);
    it.each([
      '/v1/papers?topic=rag',
      '/v1/papers?q=hostile',
      '/v1/papers/2612.00201',
      '/v1/papers/{uuid}',
      `/v1/daily?date=${DAY}`,
      '/v1/trending?window=7d',
      '/v1/feeds/topics/rag.json',
      `/api/daily_papers?date=${DAY}`,
      '/api/papers/2612.00201',
      '/api/papers/search?q=hostile',
    ])('GET %s', async (template) => {
      const path = template.replace('{uuid}', ids.hostile!);
      const res = await http().get(path).expect(200);
      expect(res.headers['content-type']).toMatch(/json/);
      // The paper is in the answer, with its good links; its hostile ones are not.
      expect({ path, has: res.text.includes('2612.00201') || res.text.includes(ids.hostile) }).toEqual({
        path,
        has: true,
      });
      expect({ path, hostile: HOSTILE.exec(res.text)?.[0] ?? null }).toEqual({ path, hostile: null });
      expect(res.text).toContain('https://github.com/good/repo');
    });

    it('the paper, its list item and its Daily Papers card keep the web links and leave abs / pdf out', async () => {
      const web = {
        code: ['https://github.com/good/repo'],
        project: ['http://project.example.org/'],
        // each link by what it is (servedLinks), web addresses only too
        labelled: [
          { kind: 'code', label: 'Code on GitHub', short: 'Code', url: 'https://github.com/good/repo', listedAs: 'code' },
          { kind: 'project', label: 'Project page', short: 'Project', url: 'http://project.example.org/', listedAs: 'project' },
        ],
      };
      expect((await http().get('/v1/papers/2612.00201').expect(200)).body.links).toEqual(web);
      const list = (await http().get('/v1/papers?topic=rag').expect(200)).body.items;
      expect(list.find((p: { id: string }) => p.id === ids.hostile).links).toEqual(web);
      const day = (
        await http()
          .get(`/v1/daily?date=${FEATURED.slice(0, 10)}`)
          .expect(200)
      ).body.items;
      expect(day.find((p: { id: string }) => p.id === ids.hostile).links).toEqual(web);
      // A paper whose stored links are all web addresses keeps them as stored.
      expect((await http().get('/v1/papers/2612.00202').expect(200)).body.links).toEqual({
        abs: 'https://arxiv.org/abs/2612.00202',
        pdf: 'https://arxiv.org/pdf/2612.00202v3',
        code: [],
        project: [],
        labelled: [],
      });
    });
  });

  describe("arxiv.org's /abs and /pdf paths on this host", () => {
    it.each(['2612.00201', '2612.00201v2', 'arXiv:2612.00201v1', 'https://arxiv.org/abs/2612.00201'])(
      '/abs/%s moves permanently to the paper page',
      async (raw) => {
        const res = await http()
          .get(`/abs/${encodeURIComponent(raw)}`)
          .expect(301);
        expect(res.headers.location).toBe('/papers/2612.00201');
        expect(res.headers['cache-control']).toBe('public, max-age=86400');
        const page = await http().get(res.headers.location!).expect(200);
        expect(page.text).toContain('data-testid="paper-page"');
      },
    );

    it('/abs takes old-style ids with their slash and uuids; HEAD answers the same', async () => {
      for (const path of ['/abs/hep-th/9901001', '/abs/hep-th/9901001v3', `/abs/hep-th%2F9901001`]) {
        const res = await http().get(path);
        expect({ path, status: res.status, location: res.headers.location }).toEqual({
          path,
          status: 301,
          location: '/papers/hep-th%2F9901001',
        });
      }
      const byUuid = await http().get(`/abs/${ids.noArxiv}`).expect(301);
      expect(byUuid.headers.location).toBe(`/papers/${ids.noArxiv}`);
      const head = await http().head('/abs/2612.00201v2').expect(301);
      expect(head.headers.location).toBe('/papers/2612.00201');
    });

    it('/pdf goes to the stored PDF link (302) when it is an http(s) address on arxiv.org, else to the paper page (301)', async () => {
      for (const path of [
        '/pdf/2612.00202',
        '/pdf/2612.00202v3',
        '/pdf/2612.00202v3.pdf',
        '/pdf/arXiv:2612.00202',
      ]) {
        const res = await http().get(path);
        expect({ path, status: res.status, location: res.headers.location }).toEqual({
          path,
          status: 302,
          location: 'https://arxiv.org/pdf/2612.00202v3',
        });
      }
      // A stored PDF link on another host is no redirect target (this host would be an open redirect): the page.
      const other = await http().get(`/pdf/${ids.noArxiv}`).expect(301);
      expect(other.headers.location).toBe(`/papers/${ids.noArxiv}`);
      // A stored data: PDF is no link: the paper page.
      const hostile = await http().get('/pdf/2612.00201v1.pdf').expect(301);
      expect(hostile.headers.location).toBe('/papers/2612.00201');
      expect(hostile.headers['cache-control']).toBe('public, max-age=3600');
      const old = await http().get('/pdf/hep-th/9901001v2').expect(301);
      expect(old.headers.location).toBe('/papers/hep-th%2F9901001');
    });

    // A redirect needs the page key and the PDF link: one statement, one lookup by key, nothing else of the paper.
    it('locates a paper for /abs and /pdf in one statement that reads only its key columns and PDF link', async () => {
      const sent: string[] = [];
      const ds = api.db.ds;
      const spy = { query: (sql: string, params?: unknown[]) => (sent.push(sql), ds.query(sql, params)) } as unknown as DataSource;
      const papers = new PapersService(spy);
      const cases: [string, { pageKey: string; pdf?: string } | 404][] = [
        ['2612.00202v3', { pageKey: '2612.00202', pdf: 'https://arxiv.org/pdf/2612.00202v3' }],
        ['https://arxiv.org/pdf/2612.00201v1', { pageKey: '2612.00201' }], // its stored data: PDF is no link
        [ids.noArxiv, { pageKey: ids.noArxiv }], // its PDF link is on another host
        ['hep-th/9901001v2', { pageKey: 'hep-th/9901001' }],
        ['10.1145/0000000.0000000', 404],
        ['2612.99999', 404],
      ];
      for (const [id, want] of cases) {
        sent.length = 0;
        const got = await papers.locate(id).catch((e: { getStatus?: () => number }) => e.getStatus?.());
        expect({ id, got }).toEqual({ id, got: want });
        expect({ id, statements: sent.length }).toEqual({ id, statements: 1 });
        const [, columns] = /^\(?SELECT (.*?) FROM papers/s.exec(sent[0]) ?? [];
        expect(columns).toBe("id, arxiv_id, links->>'pdf' AS pdf");
      }
    });

    it('an id of no paper is the HTML 404 page for a browser and a problem document for an API client; no id is a 400', async () => {
      for (const path of [
        '/abs/2612.99999',
        '/abs/2612.99999v2',
        '/pdf/2612.99999.pdf',
        '/abs/hep-th/9912999',
        '/pdf/00000000-0000-4000-8000-000000000000',
      ]) {
        const page = await http().get(path).set('Accept', BROWSER_ACCEPT);
        expect({ path, status: page.status, type: page.headers['content-type'] }).toEqual({
          path,
          status: 404,
          type: 'text/html; charset=utf-8',
        });
        expect(page.text).toContain('data-status="404"');
        expect(page.headers.vary).toMatch(/Accept/);
        const json = await http().get(path).set('Accept', 'application/json');
        expect({ path, status: json.status, type: json.headers['content-type'] }).toEqual({
          path,
          status: 404,
          type: 'application/problem+json; charset=utf-8',
        });
        expect(JSON.parse(json.text)).toMatchObject({
          status: 404,
          detail: expect.stringContaining('no paper'),
        });
      }
      for (const path of ['/abs/nonsense', '/pdf/%3Cscript%3E', '/abs/a/b/c']) {
        const page = await http().get(path).set('Accept', BROWSER_ACCEPT);
        expect({ path, status: page.status, type: page.headers['content-type'] }).toEqual({
          path,
          status: 400,
          type: 'text/html; charset=utf-8',
        });
        expect(page.text).not.toContain('<script>');
        expect((await http().get(path)).headers['content-type']).toMatch(/application\/problem\+json/);
      }
    });
  });

  describe("the classifier's arXiv category", () => {
    it('is served as predictedCategory when the source gave no categories, and shown as predicted on the page', async () => {
      const detail = (await http().get('/v1/papers/2612.00201').expect(200)).body;
      expect(detail).toMatchObject({ categories: [], predictedCategory: 'cs.CL' });
      const page = (await http().get('/papers/2612.00201').expect(200)).text;
      expect(page).toMatch(
        /data-testid="categories" data-predicted="true">Category: cs\.CL <small>\(predicted/,
      );
    });

    it('is null once the paper has categories (which the page shows instead)', async () => {
      const detail = (await http().get('/v1/papers/2612.00202').expect(200)).body;
      expect(detail).toMatchObject({ categories: ['cs.LG', 'cs.AI'], predictedCategory: null });
      const page = (await http().get('/papers/2612.00202').expect(200)).text;
      expect(page).toContain('<p class="meta" data-testid="categories">Categories: cs.LG, cs.AI</p>');
      expect(page).not.toContain('cs.CV');
      // Neither categories nor a prediction: no line.
      const bare = (await http().get(`/papers/${ids.noArxiv}`).expect(200)).text;
      expect(bare).not.toContain('data-testid="categories"');
      expect((await http().get(`/v1/papers/${ids.noArxiv}`).expect(200)).body.predictedCategory).toBeNull();
    });
  });
});
