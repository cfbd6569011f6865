import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { refreshReadModel } from '@paperwire/db';
import { parseDocument } from '@paperwire/feeds';
import { createTestDb, hfSeedSighting, seedPaper, seedSource, type TestDb, uniqueName } from '@paperwire/testing';
import { createTestApp } from '../testing/app';
import { HF_UNKNOWABLE } from './hf-shape';

jest.setTimeout(90_000);

// The contract: Hugging Face's own /api/daily_papers response (fixtures/, see PROVENANCE.md). The same 30
// papers are stored through PaperWire's HF parser, then PaperWire's answer is compared with HF's key by key.

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };
const FIXTURE = join(__dirname, 'fixtures', 'sotawhat_daily_papers_limit30_2026-06-12.json');
const hf = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Obj[];
// A second day: titles with "--" as HF gives them, media on the paper and the item, authors taking part.
const FIXTURE_2 = join(__dirname, 'fixtures', 'all-news-ai_daily_papers_5items_2026-07-31.json');
const hf2 = JSON.parse(readFileSync(FIXTURE_2, 'utf8')) as Obj[];
const DAYS: [string, Obj[]][] = [['2026-06-12', hf], ['2026-07-31', hf2]];

const jsonType = (v: Json) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Keys (with their JSON types) HF sends at each path, over all items; arrays of objects are merged. */
function keyTypes(values: Json[], path: string, into = new Map<string, Map<string, Set<string>>>()) {
  for (const v of values) {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const at = into.get(path) ?? new Map<string, Set<string>>();
      into.set(path, at);
      for (const [k, x] of Object.entries(v)) {
        at.set(k, (at.get(k) ?? new Set()).add(jsonType(x)));
        keyTypes([x], `${path}.${k}`, into);
      }
    } else if (Array.isArray(v)) keyTypes(v, `${path}[]`, into);
  }
  return into;
}

/** Every difference between ours and theirs (HF's item for the same paper): keys at each level, JSON types. */
function compare(ours: Json, theirs: Json, path: string, unknowable: (path: string) => readonly string[], out: string[] = []): string[] {
  if (jsonType(ours) !== jsonType(theirs)) {
    out.push(`${path}: type ${jsonType(ours)} vs HF ${jsonType(theirs)}`);
    return out;
  }
  if (Array.isArray(ours) && Array.isArray(theirs)) {
    if (ours.length !== theirs.length) out.push(`${path}: ${ours.length} elements vs HF ${theirs.length}`);
    for (let i = 0; i < Math.min(ours.length, theirs.length); i++) compare(ours[i], theirs[i], `${path}[]`, unknowable, out);
    return out;
  }
  if (ours && typeof ours === 'object' && theirs && typeof theirs === 'object' && !Array.isArray(ours) && !Array.isArray(theirs)) {
    const skip = new Set(unknowable(path));
    for (const k of Object.keys(theirs)) if (!skip.has(k) && !(k in ours)) out.push(`${path}.${k}: missing (HF has it)`);
    for (const k of Object.keys(ours)) {
      if (path === '' && k === 'paperwire') continue;
      if (path === '.paper' && k === 'paperwire') continue;
      // A key HF sends only on some items (githubRepo, projectPage, organization …) may be known to
      // PaperWire for a paper where HF left it out: then it must be one HF sends elsewhere, same type.
      if (!(k in theirs)) {
        const types = HF_KEYS.get(path.replace(/\[\]/g, '[]'))?.get(k);
        if (!types) out.push(`${path}.${k}: PaperWire sends it, HF never does`);
        else if (!types.has(jsonType(ours[k]))) out.push(`${path}.${k}: type ${jsonType(ours[k])} vs HF ${[...types].join('|')}`);
      }
      else compare(ours[k], theirs[k], `${path}.${k}`, unknowable, out);
    }
  }
  return out;
}

const HF_KEYS = keyTypes([...hf, ...hf2], '');
const HF_PAPER_KEYS = keyTypes([...hf, ...hf2].map((i) => i.paper), '.paper');
for (const [k, v] of HF_PAPER_KEYS) HF_KEYS.set(k, v);

/** What PaperWire cannot know, by path (documented in the OpenAPI description of the routes). */
function unknowableAt(path: string): readonly string[] {
  if (path === '' ) return HF_UNKNOWABLE.item;
  if (path === '.paper') return HF_UNKNOWABLE.paper;
  if (path === '.paper.authors[]') return HF_UNKNOWABLE.author;
  if (/(submittedBy|submittedOnDailyBy)$/.test(path)) return HF_UNKNOWABLE.user;
  if (/organization$/.test(path)) return ['_id', 'avatar'];
  return [];
}

describe('the Hugging Face Daily Papers drop-in API', () => {
  let db: TestDb;
  let app: INestApplication;
  const prefix = `{${uniqueName('t-hfapi')}}`;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    db = await createTestDb('t_hfapi');
    const source = await seedSource(db.ds, 'hf-daily', 'hf-daily-papers');
    const parsed = parseDocument({ body: readFileSync(FIXTURE), format: 'hf-daily-papers' });
    expect(parsed.papers).toHaveLength(30);
    const parsed2 = parseDocument({ body: readFileSync(FIXTURE_2), format: 'hf-daily-papers' });
    expect(parsed2.papers).toHaveLength(5);
    const seeded: string[] = [];
    for (const p of [...parsed.papers, ...parsed2.papers]) {
      seeded.push(await seedPaper(db.ds, {
        title: p.title,
        abstract: p.abstract,
        arxivId: p.externalIds.arxiv,
        authors: p.authors.map((a) => a.name),
        publishedAt: p.publishedAt ?? null,
        links: p.links,
        sightings: [hfSeedSighting(source, p.sighting)],
      }));
    }
    // Each item's position in HF's response, as the parser keeps it (parser.service capturePositions).
    await refreshReadModel(db.ds, seeded, seeded.map((paperId, pos) => ({ paperId, sourceId: source, pos })));
    // An older paper on another day of the same week and month, submitted by someone else.
    await seedPaper(db.ds, {
      title: 'An older paper of the week',
      abstract: 'Something from earlier that week.',
      arxivId: '2606.00001',
      publishedAt: '2026-06-08T00:00:00Z',
      sightings: [{ sourceId: source, sourceKind: 'hf-daily-papers', upvotes: 7, featuredAt: '2026-06-09T00:00:00Z', submittedBy: 'someone-else' }],
    });
    app = await createTestApp(db, prefix, { PUBLIC_URL: 'https://pw.example.org' });
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it.each(DAYS)('/api/daily_papers?date=%s answers HF’s keys with HF’s JSON types and values, item by item', async (day, hf) => {
    const res = await http().get(`/api/daily_papers?date=${day}&limit=100`).expect(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    const ours = res.body as Obj[];
    expect(ours).toHaveLength(hf.length);
    const theirs = new Map(hf.map((i) => [(i.paper as Obj).id as string, i]));
    const problems: string[] = [];
    for (const item of ours) {
      const id = (item.paper as Obj).id as string;
      const hfItem = theirs.get(id);
      expect(hfItem).toBeDefined();
      problems.push(...compare(item, hfItem!, '', unknowableAt).map((p) => `${id} ${p}`));
      // Values PaperWire knows are HF's values.
      expect((item.paper as Obj).upvotes).toBe((hfItem!.paper as Obj).upvotes);
      expect(item.numComments).toBe(hfItem!.numComments);
      // titles as HF gives them ("Extension -- More", not "Extension – More"), the item's as HF's item title
      expect(item.title).toBe(hfItem!.title);
      expect((item.paper as Obj).title).toBe((hfItem!.paper as Obj).title);
      // who submitted it, as HF shows them (handle and display name), and which authors HF hides
      for (const [ours, theirs] of [[item.submittedBy, hfItem!.submittedBy], [(item.paper as Obj).submittedOnDailyBy, (hfItem!.paper as Obj).submittedOnDailyBy]] as [Obj, Obj][])
        expect({ id, name: ours?.name, fullname: ours?.fullname }).toEqual({ id, name: theirs?.name, fullname: theirs?.fullname });
      expect(((item.paper as Obj).authors as Obj[]).map((a) => [a.name, a.hidden])).toEqual(((hfItem!.paper as Obj).authors as Obj[]).map((a) => [a.name, a.hidden]));
      // what HF says of the item, kept: its media (item and paper) and whether an author takes part
      expect(item.isAuthorParticipating).toBe(hfItem!.isAuthorParticipating);
      expect(item.mediaUrls).toEqual(hfItem!.mediaUrls);
      expect((item.paper as Obj).mediaUrls).toEqual((hfItem!.paper as Obj).mediaUrls);
      expect((item.paper as Obj).submittedOnDailyAt).toBe((hfItem!.paper as Obj).submittedOnDailyAt);
      // the item's publishedAt is HF's own item timestamp (its submission), neither the listing day nor the paper's date
      expect(item.publishedAt).toBe(hfItem!.publishedAt);
      expect(item.publishedAt).not.toBe((hfItem!.paper as Obj).submittedOnDailyAt);
      expect(((item.paper as Obj).authors as Obj[]).map((a) => a.name)).toEqual(((hfItem!.paper as Obj).authors as Obj[]).map((a) => a.name));
      expect(item.thumbnail).toBe(hfItem!.thumbnail);
      // HF's own fields of the paper, as HF gave them, and its summary verbatim (line breaks, "--", "~")
      for (const k of ['discussionId', 'ai_summary', 'ai_keywords', 'ai_summary_model', 'githubRepoAddedBy'])
        expect({ id, k, v: (item.paper as Obj)[k] }).toEqual({ id, k, v: (hfItem!.paper as Obj)[k] });
      expect((item.paper as Obj).summary).toBe((hfItem!.paper as Obj).summary);
      expect(item.summary).toBe(hfItem!.summary);
      // PaperWire's own fields under one key.
      expect(Object.keys(item.paperwire as Obj)).toEqual(expect.arrayContaining(['id', 'url', 'topics', 'headlineClaim']));
      expect((item.paperwire as Obj).url).toBe(`https://pw.example.org/papers/${id}`);
    }
    expect(problems).toEqual([]);
    // Every key HF sends on every item is sent by PaperWire too, unless PaperWire cannot know it.
    const hfKeys = keyTypes(hf, '');
    const ourKeys = keyTypes(ours as Json[], '');
    for (const [path, keys] of hfKeys) {
      if (!/^(|\.paper|\.paper\.authors\[\])$/.test(path)) continue;
      for (const k of keys.keys()) {
        const always = hf.every((i) => {
          const at = path === '' ? i : path === '.paper' ? (i.paper as Obj) : null;
          return at ? k in at : true;
        });
        if (always && !unknowableAt(path).includes(k)) expect({ path, key: k, sent: ourKeys.get(path)?.has(k) }).toEqual({ path, key: k, sent: true });
      }
    }
  });

  it('/api/papers/{arxivId} answers HF’s paper object (plus paperwire with every claim)', async () => {
    for (const hfItem of hf.slice(0, 10)) {
      const hfPaper = hfItem.paper as Obj;
      const res = await http().get(`/api/papers/${hfPaper.id as string}`).expect(200);
      const { paperwire, ...paper } = res.body as Obj;
      expect(compare(paper, hfPaper, '.paper', unknowableAt)).toEqual([]);
      expect([paper.summary, paper.discussionId, paper.ai_summary]).toEqual([hfPaper.summary, hfPaper.discussionId, hfPaper.ai_summary]);
      expect(Object.keys(paperwire as Obj)).toEqual(expect.arrayContaining(['id', 'url', 'claims', 'topics']));
    }
    const missing = await http().get('/api/papers/2699.99999').expect(404);
    expect(missing.body).toEqual({ error: 'Paper not found' });
  });

  it('answers invalid dates, weeks, months and parameters with 400 {"error": ...}, never a 5xx', async () => {
    for (const qs of ['date=2026-02-30', 'date=yesterday', 'week=2026-W60', 'week=2026-13', 'month=2026-13', 'month=26-01', 'date=2026-06-12&week=2026-W24', 'sort=votes', 'limit=0', 'limit=101', 'p=-1', 'p=x', 'p=10000&limit=100']) {
      const res = await http().get(`/api/daily_papers?${qs}`);
      expect({ qs, status: res.status }).toEqual({ qs, status: 400 });
      expect(typeof (res.body as { error: unknown }).error).toBe('string');
    }
    const res = await http().get('/api/papers/search');
    expect(res.status).toBe(400);
    expect(typeof (res.body as { error: unknown }).error).toBe('string');
  });

  it('week, month, sort, submitter and paging work like HF’s', async () => {
    const week = (await http().get('/api/daily_papers?week=2026-W24&limit=100').expect(200)).body as Obj[];
    expect(week).toHaveLength(31);
    const month = (await http().get('/api/daily_papers?month=2026-06&limit=100').expect(200)).body as Obj[];
    expect(month).toHaveLength(31);
    expect((await http().get('/api/daily_papers?month=2026-05').expect(200)).body).toEqual([]);
    // Without sort, what the OpenAPI says: a day in HF's own API order (the fixture's: neither upvotes nor a date);
    // a week or a month by trending score (the order the period's index keeps), which is not the upvote order here.
    const upvotes = (items: Obj[]) => items.map((i) => (i.paper as Obj).upvotes as number);
    for (const [date, theirs] of DAYS) {
      const day = (await http().get(`/api/daily_papers?date=${date}&limit=100`).expect(200)).body as Obj[];
      expect(day.map((i) => (i.paper as Obj).id)).toEqual(theirs.map((i) => (i.paper as Obj).id));
      expect(upvotes(day)).not.toEqual([...upvotes(day)].sort((a, b) => b - a));
      // paged the same way
      const second = (await http().get(`/api/daily_papers?date=${date}&limit=2&p=1`).expect(200)).body as Obj[];
      expect(second.map((i) => (i.paper as Obj).id)).toEqual(theirs.slice(2, 4).map((i) => (i.paper as Obj).id));
    }
    for (const items of [week, month]) {
      const scores = items.map((i) => (i.paperwire as Obj).trendingScore as number);
      expect(scores.every((x) => typeof x === 'number')).toBe(true);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      // a signal decayed to a served 0 is told from none, as on /v1 (hasTrendingSignal)
      for (const i of items) {
        const { hasTrendingSignal, trendingScore } = i.paperwire as Obj;
        expect(typeof hasTrendingSignal).toBe('boolean');
        if (((i.paper as Obj).upvotes as number) > 0 || trendingScore !== 0) expect(hasTrendingSignal).toBe(true);
      }
      expect(upvotes(items)).not.toEqual([...upvotes(items)].sort((a, b) => b - a));
    }
    const bySubmitter = (await http().get('/api/daily_papers?week=2026-W24&submitter=someone-else').expect(200)).body as Obj[];
    expect(bySubmitter.map((i) => (i.paper as Obj).id)).toEqual(['2606.00001']);
    // sort=publishedAt: newest on Daily Papers first (the day it was submitted, else first seen).
    const byPublished = (await http().get('/api/daily_papers?week=2026-W24&sort=publishedAt&limit=100').expect(200)).body as Obj[];
    const submitted = byPublished.map((i) => Date.parse((i.paper as Obj).submittedOnDailyAt as string));
    expect(submitted).toEqual([...submitted].sort((a, b) => b - a));
    // each item's publishedAt is HF's own item timestamp where the HF source gave one; the paper seeded without one
    // (as a sighting read before PaperWire kept it) falls back to its listing time
    const hfItemDate = new Map(hf.map((i) => [(i.paper as Obj).id as string, i.publishedAt]));
    for (const i of byPublished) {
      const id = (i.paper as Obj).id as string;
      expect({ id, publishedAt: i.publishedAt }).toEqual({ id, publishedAt: hfItemDate.get(id) ?? (i.paper as Obj).submittedOnDailyAt });
    }
    expect(byPublished.find((i) => (i.paper as Obj).id === '2606.00001')?.publishedAt).toBe('2026-06-09T00:00:00.000Z');
    const paperDates = byPublished.map((i) => Date.parse((i.paper as Obj).publishedAt as string));
    expect(paperDates).not.toEqual([...paperDates].sort((a, b) => b - a));
    expect((byPublished[byPublished.length - 1].paper as Obj).id).toBe('2606.00001');
    const p0 = (await http().get('/api/daily_papers?date=2026-06-12&limit=10&p=0').expect(200)).body as Obj[];
    const p1 = (await http().get('/api/daily_papers?date=2026-06-12&limit=10&p=1').expect(200)).body as Obj[];
    const all = (await http().get('/api/daily_papers?date=2026-06-12&limit=20').expect(200)).body as Obj[];
    expect([...p0, ...p1].map((i) => (i.paper as Obj).id)).toEqual(all.map((i) => (i.paper as Obj).id));
    const trending = (await http().get('/api/daily_papers?date=2026-06-12&sort=trending&limit=100').expect(200)).body as Obj[];
    expect(trending.length).toBeGreaterThan(0);
  });

  it('documents the routes in the OpenAPI, with what PaperWire leaves out and how trending works', async () => {
    const doc = (await http().get('/docs-json').expect(200)).body as { paths: Record<string, { get?: { description?: string; parameters?: { name: string }[] } }> };
    for (const path of ['/api/daily_papers', '/api/papers/search', '/api/papers/{id}']) expect(doc.paths[path]?.get).toBeDefined();
    const daily = doc.paths['/api/daily_papers'].get!;
    expect(daily.parameters?.map((p) => p.name).sort()).toEqual(['date', 'limit', 'month', 'p', 'sort', 'submitter', 'week']);
    expect(daily.description).toContain('discussionId');
    expect(daily.description).toMatch(/signal = upvotes \+ 2·comments \+ GitHub stars \(max over sightings\) \+ 3 when both Hugging Face and arXiv listed the paper/);
    expect(daily.description).toContain('a day in Hugging Face\'s own API order');
    expect(daily.description).toContain('a week or a month by trending score');
    expect(daily.description).not.toContain('Without sort, the Daily Papers order (upvotes)');
  });

  it('/api/papers/search?q= finds papers in the daily-papers item shape', async () => {
    const title = (hf[0].paper as Obj).title as string;
    const res = await http().get(`/api/papers/search?q=${encodeURIComponent(title.split(':')[0])}`).expect(200);
    const items = res.body as Obj[];
    expect(items.length).toBeGreaterThan(0);
    expect((items[0].paper as Obj).id).toBe((hf[0].paper as Obj).id);
    expect(compare(items[0], hf[0], '', unknowableAt)).toEqual([]);
  });
});
