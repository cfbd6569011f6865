import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createTestDb, seedPaper, seedSource, seedTopic, type TestDb, uniqueName } from '@paperwire/testing';
import { createTestApp } from '../testing/app';

jest.setTimeout(60_000);

// The feeds as a real reader sees them: Debian's python3-feedparser (Universal Feed Parser) parses each one.
const PARSE = `
import feedparser, sys, json
d = feedparser.parse(sys.stdin.read(), response_headers={"content-type": sys.argv[1]})
print(json.dumps({
  "bozo": bool(d.bozo), "bozo_exception": str(d.get("bozo_exception", "")), "version": d.version,
  "feed_author": d.feed.get("author"),
  "entries": [{"title": e.get("title"), "author": e.get("author"), "authors": [a.get("name") for a in e.get("authors", [])],
               "link": e.get("link"), "id": e.get("id"), "updated": e.get("updated")} for e in d.entries],
}))
`;

interface Parsed {
  bozo: boolean;
  bozo_exception: string;
  version: string;
  feed_author: string | null;
  entries: { title: string; author: string | null; authors: string[]; link: string; id: string; updated: string | null }[];
}

function feedparser(body: string, contentType: string): Parsed {
  const r = spawnSync('/usr/bin/python3', ['-c', PARSE, contentType], { input: body, encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) throw new Error(`feedparser failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Parsed;
}

describe('feeds parsed by a real feed reader (python3-feedparser)', () => {
  let db: TestDb;
  let app: INestApplication;
  const prefix = `{${uniqueName('t-feedreader')}}`;
  const ids: string[] = [];
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    db = await createTestDb('t_feedreader');
    await seedTopic(db.ds, 'peft', 'Parameter-efficient fine-tuning');
    const hf = await seedSource(db.ds, 'hf', 'hf-daily-papers');
    const topics = [{ slug: 'peft', score: 0.9, primary: true }];
    ids.push(await seedPaper(db.ds, { title: 'LoRA & friends <v2>', abstract: 'Low-rank adapters for fine-tuning.', arxivId: '2602.00001', authors: ['Edward Hu', 'Yelong Shen'], topics, sightings: [{ sourceId: hf, sourceKind: 'hf-daily-papers', upvotes: 3 }] }));
    ids.push(await seedPaper(db.ds, { title: 'An adapter paper without authors', abstract: 'Adapters again, fine-tuning.', authors: [], topics }));
    ids.push(await seedPaper(db.ds, { title: 'Adapters with a blank author', abstract: 'Fine-tuning adapters.', authors: ['  '], topics, publishedAt: null }));
    app = await createTestApp(db, prefix, { PUBLIC_URL: 'https://pw.example.org' });
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it.each([['/v1/feeds/topics/peft.atom'], ['/v1/feeds/search.atom?q=fine-tuning'], ['/papers/2602.00001.atom']])(
    '%s is valid Atom: no bozo, an author on the feed and on every entry with authors (none made up), links to the paper pages',
    async (path) => {
      const res = await http().get(path).expect(200);
      const d = feedparser(res.text, String(res.headers['content-type']));
      expect(d.bozo_exception).toBe('');
      expect(d.bozo).toBe(false);
      expect(d.version).toBe('atom10');
      expect(d.feed_author).toBe('PaperWire');
      expect(d.entries.length).toBeGreaterThan(0);
      for (const e of d.entries) {
        expect(/without authors|blank author/.test(e.title) || e.authors.length > 0).toBe(true);
        expect(e.authors).not.toContain('Unknown authors');
        expect(e.link).toMatch(/^https:\/\/pw\.example\.org\/papers\/[^/]+$/);
        expect(e.id).toMatch(/^urn:uuid:/);
        expect(e.updated).toBeTruthy();
      }
      if (path.includes('peft')) {
        const byTitle = new Map(d.entries.map((e) => [e.title, e]));
        expect(byTitle.get('LoRA & friends <v2>')?.authors).toEqual(['Edward Hu', 'Yelong Shen']);
        expect(byTitle.get('LoRA & friends <v2>')?.link).toBe('https://pw.example.org/papers/2602.00001');
        // no author of their own (the feed's applies): the source gave none
        expect(byTitle.get('An adapter paper without authors')?.authors).toEqual([]);
        expect(byTitle.get('Adapters with a blank author')?.authors).toEqual([]);
        expect(res.text).not.toMatch(/Unknown authors/);
        expect(d.entries).toHaveLength(3);
      }
    },
  );

  // Debian's feedparser 6.0.10 reads no JSON Feed, so JSON Feed 1.1 is checked against the spec's rules
  // (https://jsonfeed.org/version/1.1): required keys and their types, RFC 3339 dates, authors objects.
  it.each([['/v1/feeds/topics/peft.json'], ['/v1/feeds/search.json?q=adapters']])('%s follows JSON Feed 1.1', async (path) => {
    const res = await http().get(path).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/feed\+json/);
    expect(jsonFeedProblems(JSON.parse(res.text))).toEqual([]);
    const feed = JSON.parse(res.text) as { authors: { name: string }[]; items: { url: string; authors: { name: string }[] }[] };
    expect(feed.authors[0].name).toBe('PaperWire');
    expect(feed.items.length).toBeGreaterThan(0);
    for (const item of feed.items) {
      expect(item.url).toMatch(/^https:\/\/pw\.example\.org\/papers\//);
      // an item's own authors when the source gave some; none made up (the feed's authors apply)
      if (/without authors|blank author/.test(String((item as { title?: string }).title))) expect(item.authors).toBeUndefined();
      else expect(item.authors.length).toBeGreaterThan(0);
    }
    expect(res.text).not.toMatch(/Unknown authors/);
  });

  it('the JSON Feed checker catches what it should', () => {
    expect(jsonFeedProblems({ version: 'https://jsonfeed.org/version/1', items: [{ id: 1, date_published: 'yesterday', authors: [{}] }] })).toEqual(
      expect.arrayContaining(['version', 'title', 'items[0].id', 'items[0].content', 'items[0].date_published', 'items[0].authors[0]']),
    );
  });
});

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const isUrl = (v: unknown) => typeof v === 'string' && /^https?:\/\/\S+$/.test(v);

function authorProblems(authors: unknown, at: string): string[] {
  if (authors === undefined) return [];
  if (!Array.isArray(authors)) return [at];
  return authors.flatMap((a: Record<string, unknown>, i) =>
    a && (typeof a.name === 'string' || isUrl(a.url) || isUrl(a.avatar)) ? [] : [`${at}[${i}]`],
  );
}

/** The JSON Feed 1.1 rules a reader relies on; returns the paths that break them. */
function jsonFeedProblems(f: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (f.version !== 'https://jsonfeed.org/version/1.1') out.push('version');
  if (typeof f.title !== 'string') out.push('title');
  for (const k of ['home_page_url', 'feed_url', 'favicon', 'icon']) if (f[k] !== undefined && !isUrl(f[k])) out.push(k);
  out.push(...authorProblems(f.authors, 'authors'));
  if (!Array.isArray(f.items)) return [...out, 'items'];
  (f.items as Record<string, unknown>[]).forEach((it, i) => {
    const at = `items[${i}]`;
    if (typeof it.id !== 'string' || !it.id) out.push(`${at}.id`);
    if (typeof it.content_text !== 'string' && typeof it.content_html !== 'string') out.push(`${at}.content`);
    for (const k of ['url', 'external_url', 'image']) if (it[k] !== undefined && !isUrl(it[k])) out.push(`${at}.${k}`);
    for (const k of ['date_published', 'date_modified']) if (it[k] !== undefined && !(typeof it[k] === 'string' && RFC3339.test(it[k] as string))) out.push(`${at}.${k}`);
    if (it.tags !== undefined && !(Array.isArray(it.tags) && it.tags.every((t) => typeof t === 'string'))) out.push(`${at}.tags`);
    out.push(...authorProblems(it.authors, `${at}.authors`));
  });
  return out;
}
