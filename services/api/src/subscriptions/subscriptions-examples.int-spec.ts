import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createApiKey } from '@paperwire/db';
import { createTestDb, dropQueuePrefix, uniqueName, type TestDb } from '@paperwire/testing';
import { createTestApp } from '../testing/app';

jest.setTimeout(60_000);

// `examples` filters against the api in-process (real Postgres and Redis): example papers named by catalogue id
// or arXiv id are stored resolved; one not in the catalogue is a 400 naming it.
describe('subscriptions with example papers', () => {
  let db: TestDb;
  let app: INestApplication;
  let prefix: string;
  let key: string;
  let byUuid: string;
  let byArxiv: string;
  const http = () => request(app.getHttpServer());
  const create = (filters: unknown) =>
    http()
      .post('/v1/subscriptions')
      .set('X-API-Key', key)
      .send({ channel: 'webhook', target: 'https://93.184.215.14/hook', filters });

  beforeAll(async () => {
    db = await createTestDb('t_examples');
    prefix = `{${uniqueName('t-examples')}}`;
    app = await createTestApp(db, prefix, {
      RATE_LIMIT_PER_MINUTE: '100000',
      WEBHOOK_ALLOW_PRIVATE: 'false',
    });
    key = (await createApiKey(db.ds, { name: 'tenant', scopes: ['subscriptions'] })).key;
    const insert = async (paperKey: string, arxivId: string | null): Promise<string> =>
      (
        await db.ds.query(
          `INSERT INTO papers (paper_key, arxiv_id, title, abstract, content_hash) VALUES ($1, $2, 'T', 'A', md5($1)) RETURNING id`,
          [paperKey, arxivId],
        )
      )[0].id;
    byUuid = await insert('title:example one', null);
    byArxiv = await insert('arxiv:2401.01234', '2401.01234');
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
    await dropQueuePrefix(prefix);
  });

  it('stores example papers as catalogue ids, whether named by uuid or arXiv id (any version)', async () => {
    const res = await create({ examples: { papers: [byUuid, '2401.01234v2'], minSimilarity: 0.6 } });
    expect(res.status).toBe(201);
    expect(res.body.filters.examples).toEqual({ papers: [byUuid, byArxiv], minSimilarity: 0.6 });
    const patched = await http()
      .patch(`/v1/subscriptions/${res.body.id}`)
      .set('X-API-Key', key)
      .send({ filters: { examples: { papers: ['2401.01234'], minSimilarity: 0.7 } } })
      .expect(200);
    expect(patched.body.filters.examples).toEqual({ papers: [byArxiv], minSimilarity: 0.7 });
  });

  it('answers 400 naming the example papers not in the catalogue (create and update), never a 5xx', async () => {
    const unknownUuid = '00000000-0000-4000-8000-000000000042';
    const res = await create({
      examples: { papers: [byUuid, '2501.99999', unknownUuid], minSimilarity: 0.6 },
    }).expect(400);
    expect(JSON.stringify(res.body)).toContain('2501.99999');
    expect(JSON.stringify(res.body)).toContain(unknownUuid);
    expect(res.body.errors).toEqual([
      {
        field: '/filters/examples/papers',
        detail: expect.stringMatching(/not in the catalogue: 2501\.99999, /),
      },
    ]);
    const ok = await create({ keywords: ['x'] }).expect(201);
    await http()
      .patch(`/v1/subscriptions/${ok.body.id}`)
      .set('X-API-Key', key)
      .send({ filters: { examples: { papers: ['2501.99999'], minSimilarity: 0.5 } } })
      .expect(400);
    // malformed refs and a missing papers list are the schema's 400s
    await create({ examples: { papers: ['not an id'], minSimilarity: 0.6 } }).expect(400);
    const legacy = await create({ examples: { minSimilarity: 0.6 } }).expect(400);
    expect(JSON.stringify(legacy.body)).toContain('examples need papers');
  });
});
