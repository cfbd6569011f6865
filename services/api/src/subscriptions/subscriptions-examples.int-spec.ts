import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createApiKey } from '@paperwire/db';
import { createTestDb, dropQueuePrefix, uniqueName, type TestDb } from '@paperwire/testing';
import { createTestApp } from '../testing/app';

jest.setTimeout(60_000);

// `examples` filters against the api in-process (real Postgres and Redis): example papers named in any form the
// shared paper-id parser reads (catalogue id, arXiv id, `arXiv:` prefix, arxiv.org URL, DOI) are stored resolved;
// one not in the catalogue is a 400 naming it.
describe('subscriptions with example papers', () => {
  let db: TestDb;
  let app: INestApplication;
  let prefix: string;
  let key: string;
  let byUuid: string;
  let byArxiv: string;
  let byDoi: string;
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
    byDoi = await insert('doi:10.1145/3292500.3330701', null);
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

  it('reads example papers the way every paper lookup does: arXiv: prefix, arxiv.org URLs, DOIs', async () => {
    const res = await create({
      examples: {
        papers: [
          'arXiv:2401.01234v2',
          'https://arxiv.org/abs/2401.01234',
          'http://export.arxiv.org/pdf/2401.01234v3.pdf',
          '10.1145/3292500.3330701',
          'https://doi.org/10.1145/3292500.3330701',
          'doi:10.1145/3292500.3330701',
          byUuid.toUpperCase(),
        ],
        minSimilarity: 0.6,
      },
    });
    expect(res.status).toBe(201);
    // stored as catalogue ids, one per paper, in the order first named
    expect(res.body.filters.examples).toEqual({ papers: [byArxiv, byDoi, byUuid], minSimilarity: 0.6 });
    const stored: { filters: { examples: { papers: string[] } } }[] = await db.ds.query(
      `SELECT filters FROM subscriptions WHERE id = $1`,
      [res.body.id],
    );
    expect(stored[0].filters.examples.papers).toEqual([byArxiv, byDoi, byUuid]);
    const patched = await http()
      .patch(`/v1/subscriptions/${res.body.id}`)
      .set('X-API-Key', key)
      .send({
        filters: { examples: { papers: ['https://doi.org/10.1145/3292500.3330701'], minSimilarity: 0.7 } },
      })
      .expect(200);
    expect(patched.body.filters.examples).toEqual({ papers: [byDoi], minSimilarity: 0.7 });
  });

  it('arXiv:2401.01234v2, its arxiv.org/abs URL and its arXiv DOI are one example paper', async () => {
    const res = await create({
      examples: {
        papers: ['arXiv:2401.01234v2', 'https://arxiv.org/abs/2401.01234', '10.48550/arXiv.2401.01234'],
        minSimilarity: 0.6,
      },
    }).expect(201);
    expect(res.body.filters.examples).toEqual({ papers: [byArxiv], minSimilarity: 0.6 });
    const byDoiUrl = await create({
      examples: { papers: ['https://doi.org/10.48550/arXiv.2401.01234'], minSimilarity: 0.6 },
    }).expect(201);
    expect(byDoiUrl.body.filters.examples.papers).toEqual([byArxiv]);
  });

  it("a journal DOI finds the arXiv paper that carries it, as an example, in the JSON and on the page", async () => {
    const carrier = (
      await db.ds.query(
        `INSERT INTO papers (paper_key, arxiv_id, doi, title, abstract, content_hash)
         VALUES ('arxiv:2402.05555', '2402.05555', '10.18653/V1/2024.ACL-LONG.7', 'T', 'A', md5('c')) RETURNING id`,
      )
    )[0].id;
    const res = await create({
      examples: { papers: ['https://doi.org/10.18653/v1/2024.acl-long.7'], minSimilarity: 0.6 },
    }).expect(201);
    expect(res.body.filters.examples.papers).toEqual([carrier]);
    // a paper keyed by a DOI still wins over one that only carries it
    await db.ds.query(`UPDATE papers SET doi = '10.1145/3292500.3330701' WHERE id = $1`, [byArxiv]);
    const keyed = await create({ examples: { papers: ['doi:10.1145/3292500.3330701'], minSimilarity: 0.6 } });
    expect(keyed.body.filters.examples.papers).toEqual([byDoi]);
    await db.ds.query(`UPDATE papers SET doi = NULL WHERE id = $1`, [byArxiv]);
    const json = await http().get('/v1/papers/doi:10.18653%2Fv1%2F2024.acl-long.7').expect(200);
    expect(json.body.id).toBe(carrier);
    const abs = await http().get('/abs/10.18653/v1/2024.acl-long.7').set('Accept', 'text/html');
    expect(abs.status).toBe(301);
    expect(abs.headers.location).toBe('/papers/2402.05555');
    const page = await http().get('/papers/doi%3A10.18653%2Fv1%2F2024.acl-long.7').set('Accept', 'text/html');
    expect(page.status).toBe(200);
    expect(page.text).toContain('2402.05555');
  });

  it('a pasted form naming no paper is a 400 naming it as written; junk is a 400 naming the field', async () => {
    const missing = await create({
      examples: { papers: ['arXiv:2501.99999v2', 'https://doi.org/10.1145/nowhere'], minSimilarity: 0.6 },
    }).expect(400);
    expect(missing.body.errors).toEqual([
      {
        field: '/filters/examples/papers',
        detail: expect.stringContaining(
          'not in the catalogue: arXiv:2501.99999v2, https://doi.org/10.1145/nowhere',
        ),
      },
    ]);
    for (const junk of [
      'arXiv:hello',
      'https://example.org/abs/2401.01234',
      'https://arxiv.org/list/cs.LG',
      '<script>',
    ]) {
      const res = await create({ examples: { papers: [byUuid, junk], minSimilarity: 0.6 } });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([
        expect.objectContaining({
          field: expect.stringMatching(/^\/filters\/examples\/papers\/1$/),
          detail: expect.stringMatching(/an example paper is a catalogue paper id/),
        }),
      ]);
      expect(JSON.stringify(res.body)).not.toContain('<script>');
    }
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
