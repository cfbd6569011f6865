import 'reflect-metadata';
import { XMLParser } from 'fast-xml-parser';
import { sitemapDayPapers, sitemapDays, type Db } from '@paperwire/db';
import { seedPaper, seedSource } from '@paperwire/testing';
import { useTestApi } from '../testing/use-test-api';

jest.setTimeout(120_000);

// What crawlers read: robots.txt and a sitemap index of one sitemap per listed day.

const xml = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'url' || name === 'sitemap' });
const BASE = 'https://papers.example.org';

describe('robots.txt and the sitemaps', () => {
  const ids: Record<string, string> = {};
  const api = useTestApi(
    't_site_maps',
    async ({ ds }) => {
      const hf = await seedSource(ds, 'hf-daily');
      ids.a = await seedPaper(ds, { title: 'Paper A', abstract: 'A.', arxivId: '2606.00001', sightings: [{ sourceId: hf, sourceKind: 'hf-daily-papers', upvotes: 3 }] });
      ids.b = await seedPaper(ds, { title: 'Paper B', abstract: 'B.', sightings: [{ sourceId: hf, sourceKind: 'hf-daily-papers', upvotes: 1 }] });
      // two listed days: A on both, B on the earlier one
      await ds.query(`DELETE FROM paper_days`);
      await ds.query(
        `INSERT INTO paper_days (paper_id, day, sighted_at) VALUES ($1, '2026-06-11', now()), ($1, '2026-06-12', now()), ($2, '2026-06-11', now())`,
        [ids.a, ids.b],
      );
    },
    { PUBLIC_URL: BASE },
  );
  const http = () => api.http();

  it('robots.txt lets crawlers read the pages, not the API, searches or operator pages, and names the sitemap', async () => {
    const res = await http().get('/robots.txt').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const lines = res.text.split('\n');
    expect(lines).toEqual(expect.arrayContaining(['User-agent: *', 'Allow: /', 'Disallow: /v1/', 'Disallow: /api/', 'Disallow: /ops', 'Disallow: /*?q=', `Sitemap: ${BASE}/sitemap.xml`]));
  });

  it('robots.txt keeps crawlers off every mail link (unsubscribe, confirm, the digest pages) and still lets them read the pages', async () => {
    const rules = (await http().get('/robots.txt').expect(200)).text
      .split('\n')
      .map((l) => /^(Allow|Disallow):\s*(\S*)$/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null && m[2] !== '')
      .map((m) => ({ allow: m[1] === 'Allow', pattern: m[2] }));
    // RFC 9309: the longest matching rule wins, Allow on a tie; `*` is any run of characters, `$` the end
    const allowed = (path: string): boolean => {
      let best: { allow: boolean; pattern: string } | null = null;
      for (const r of rules) {
        const re = new RegExp(`^${r.pattern.replace(/[.+?^{}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\\?\$$/, '$')}`);
        if (!re.test(path)) continue;
        if (!best || r.pattern.length > best.pattern.length || (r.pattern.length === best.pattern.length && r.allow)) best = r;
      }
      return best?.allow ?? true;
    };
    // the addresses services/notifier/src/links.ts mails, and the digest page's own page links
    const mailLinks = [
      '/v1/unsubscribe?t=abc.def',
      '/v1/subscriptions/confirm?t=abc.def',
      '/digests/0b7e4b7e-5d0a-4d7e-9a55-0c3f3c1d2e11?t=abc.def',
      '/digests/0b7e4b7e-5d0a-4d7e-9a55-0c3f3c1d2e11?t=abc.def&page=2',
      '/digests/0b7e4b7e-5d0a-4d7e-9a55-0c3f3c1d2e11',
      '/anything-new?page=2&t=abc.def',
    ];
    for (const link of mailLinks) expect([link, allowed(link)]).toEqual([link, false]);
    for (const page of ['/', '/?date=2026-06-11', '/papers/2606.00001', '/topics/nlp', '/sitemap.xml']) expect([page, allowed(page)]).toEqual([page, true]);
  });

  it('indexes one sitemap per listed day, newest first, and each lists the day and its papers\' pages', async () => {
    const index = await http().get('/sitemap.xml').expect(200);
    expect(index.headers['content-type']).toMatch(/^application\/xml/);
    const locs = xml.parse(index.text).sitemapindex.sitemap.map((s: { loc: string }) => s.loc);
    expect(locs).toEqual([`${BASE}/sitemaps/2026-06-12.xml`, `${BASE}/sitemaps/2026-06-11.xml`]);

    const day = await http().get('/sitemaps/2026-06-11.xml').expect(200);
    const urls = xml.parse(day.text).urlset.url as { loc: string; lastmod?: string }[];
    expect(urls.map((u) => u.loc).sort()).toEqual([`${BASE}/?date=2026-06-11`, `${BASE}/papers/2606.00001`, `${BASE}/papers/${ids.b}`].sort());
    expect(urls.find((u) => u.loc.endsWith('2606.00001'))?.lastmod).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    // every address it gives is a page that answers
    for (const u of urls) await http().get(u.loc.slice(BASE.length)).expect(200);
    // conditional requests
    await http().get('/sitemaps/2026-06-11.xml').set('If-None-Match', day.headers.etag).expect(304);
  });

  it('answers a day without papers, or what is no day, with a 404', async () => {
    for (const f of ['2026-06-13.xml', '2026-02-30.xml', '0000-01-01.xml', '1990-12-31.xml', '9999-12-31.xml', 'nope.xml', '2026-06-11.txt']) await http().get(`/sitemaps/${f}`).expect(404);
  });

  it('costs one index descent per day and one day\'s rows, at any catalogue size (EXPLAIN)', async () => {
    const { ds } = api.db;
    await ds.query(
      `INSERT INTO papers (paper_key, arxiv_id, title, abstract, content_hash)
       SELECT 'arxiv:2501.' || lpad(i::text, 5, '0'), '2501.' || lpad(i::text, 5, '0'), 'Bulk ' || i, 'Bulk ' || i, md5(i::text)
         FROM generate_series(1, 30000) i`,
    );
    await ds.query(
      `INSERT INTO paper_days (paper_id, day, sighted_at)
       SELECT id, date '2025-01-01' + (abs(hashtext(id::text)) % 300), now() FROM papers WHERE paper_key LIKE 'arxiv:2501.%'`,
    );
    await ds.query('ANALYZE paper_days');
    await ds.query('ANALYZE papers');
    const plans: string[] = [];
    const explaining = {
      query: async (sql: string, params?: unknown[]) => {
        const [row] = await ds.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`, params);
        plans.push(JSON.stringify(row['QUERY PLAN']));
        return [];
      },
    } as unknown as Db;
    await sitemapDays(explaining);
    await sitemapDayPapers(explaining, '2025-03-01');
    for (const plan of plans) expect(plan).not.toContain('Seq Scan');
    const buffers = plans.map((p) => {
      const top = JSON.parse(p)[0].Plan;
      return top['Shared Hit Blocks'] + top['Shared Read Blocks'];
    });
    // 302 days × one descent (a few buffers each), far below the ~30k rows' pages; one day: ~100 rows' lookups
    expect(buffers[0]).toBeLessThan(302 * 6);
    expect(buffers[1]).toBeLessThan(100 * 6);
    expect((await sitemapDays(ds)).length).toBe(302);
  });
});
