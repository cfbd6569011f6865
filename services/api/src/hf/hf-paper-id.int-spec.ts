import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createTestDb, seedPaper, seedSource, type TestDb, uniqueName } from '@paperwire/testing';
import { createTestApp } from '../testing/app';

jest.setTimeout(90_000);

// Hugging Face gives every paper its arXiv id as `paper.id` (it lists arXiv papers only). A paper PaperWire read
// without one keeps its uuid there; the HF-compatible routes say so the same way everywhere: `paperwire.arxivId`.

type Obj = Record<string, unknown>;
const DAY = '2026-06-20';

describe('the Hugging Face drop-in: what paper.id is for a paper without an arXiv id', () => {
  let db: TestDb;
  let app: INestApplication;
  let withoutArxiv: string;
  let withArxiv: string;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    db = await createTestDb('t_hfpaperid');
    const hf = await seedSource(db.ds, 'hf-daily-id', 'hf-daily-papers');
    const sighting = (upvotes: number) => ({ sourceId: hf, sourceKind: 'hf-daily-papers', upvotes, featuredAt: `${DAY}T08:00:00Z` });
    withArxiv = await seedPaper(db.ds, {
      title: 'Quokka retrieval with an arXiv id',
      abstract: 'A paper with an arXiv id.',
      arxivId: '2606.01234',
      publishedAt: `${DAY}T00:00:00Z`,
      sightings: [sighting(9)],
    });
    withoutArxiv = await seedPaper(db.ds, {
      title: 'Quokka retrieval from a text capture',
      abstract: 'A paper no source gave an arXiv id for.',
      publishedAt: null,
      sightings: [sighting(5)],
    });
    app = await createTestApp(db, `{${uniqueName('t-hfid')}}`, { PUBLIC_URL: 'https://pw.example.org' });
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  const byUuid = (items: Obj[]) => new Map(items.map((i) => [(i.paperwire as Obj).id as string, i]));

  it('gives the same paper.id and paperwire.arxivId in the day list, the search and the paper record', async () => {
    const daily = byUuid((await http().get(`/api/daily_papers?date=${DAY}`).expect(200)).body as Obj[]);
    const search = byUuid((await http().get('/api/papers/search?q=quokka').expect(200)).body as Obj[]);
    for (const list of [daily, search]) {
      expect([...list.keys()].sort()).toEqual([withArxiv, withoutArxiv].sort());
      expect((list.get(withArxiv)!.paper as Obj).id).toBe('2606.01234');
      expect((list.get(withArxiv)!.paperwire as Obj).arxivId).toBe('2606.01234');
      expect((list.get(withoutArxiv)!.paper as Obj).id).toBe(withoutArxiv);
      expect((list.get(withoutArxiv)!.paperwire as Obj).arxivId).toBeNull();
    }
    // The id a list gives answers the same paper, with the same id and arXiv id.
    const one = (await http().get(`/api/papers/${withoutArxiv}`).expect(200)).body as Obj;
    expect(one.id).toBe(withoutArxiv);
    expect((one.paperwire as Obj).arxivId).toBeNull();
    const arxiv = (await http().get(`/api/papers/${withArxiv}`).expect(200)).body as Obj;
    expect(arxiv.id).toBe('2606.01234');
    expect((arxiv.paperwire as Obj).arxivId).toBe('2606.01234');
  });

  it('documents it on every route', async () => {
    const doc = (await http().get('/docs-json').expect(200)).body as { paths: Record<string, { get?: { description?: string } }> };
    for (const path of ['/api/daily_papers', '/api/papers/search', '/api/papers/{id}']) {
      expect(doc.paths[path].get?.description).toContain('`paperwire.arxivId` is then null');
    }
  });
});
