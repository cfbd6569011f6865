import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createApiKey } from '@paperwire/db';
import { createTestDb, dropQueuePrefix, seedSource, uniqueName, type TestDb } from '@paperwire/testing';
import { createTestApp } from '../testing/app';

jest.setTimeout(60_000);

// `GET /v1/sources` lists sources by name, `sources list`, /ops and every CLI command name them, and the
// source routes took only the uuid: `GET /v1/sources/hf-daily-papers` was a 404 "no such source" beside a list
// naming it. `{id}` is the id or the name, on every source route.
describe('a source addressed by its name', () => {
  let db: TestDb;
  let app: INestApplication;
  let prefix: string;
  let admin: string;
  let id: string;

  beforeAll(async () => {
    db = await createTestDb('t_sources_by_name');
    prefix = `{${uniqueName('t-srcname')}}`;
    app = await createTestApp(db, prefix);
    admin = (await createApiKey(db.ds, { name: 'admin', scopes: ['admin'] })).key;
    id = await seedSource(db.ds, 'rss-cs', 'arxiv-rss');
  });

  afterAll(async () => {
    await app?.close();
    await dropQueuePrefix(prefix);
    await db?.drop();
  });

  const http = () => request(app.getHttpServer());
  const as = (t: request.Test) => t.set('X-API-Key', admin);

  it('reads, updates, switches, polls and deletes by name as by id; an unknown name is a 404 naming it', async () => {
    const byId = await as(http().get(`/v1/sources/${id}`)).expect(200);
    const byName = await as(http().get('/v1/sources/rss-cs')).expect(200);
    expect(byName.body).toEqual(byId.body);

    const patched = await as(http().patch('/v1/sources/rss-cs')).send({ everySeconds: 7200 }).expect(200);
    expect(patched.body).toMatchObject({ id, everySeconds: 7200 });
    expect((await as(http().post('/v1/sources/rss-cs/disable')).expect(200)).body).toMatchObject({ id, enabled: false });
    expect((await as(http().post('/v1/sources/rss-cs/enable')).expect(200)).body).toMatchObject({ id, enabled: true });
    expect((await as(http().post('/v1/sources/rss-cs/poll')).expect(202)).body).toMatchObject({ queue: 'fetch' });

    const unknown = await as(http().get('/v1/sources/no-such-feed')).expect(404);
    expect(unknown.body).toMatchObject({ detail: 'no source named no-such-feed' });
    // a name no source can have (names are at most 100 characters) is not echoed back whole
    const long = await as(http().get(`/v1/sources/${'a'.repeat(3000)}`)).expect(404);
    expect(long.body.detail).toBe(`no source named ${'a'.repeat(100)}… (a source's name is at most 100 characters)`);

    await as(http().delete('/v1/sources/rss-cs')).expect(204);
    await as(http().get(`/v1/sources/${id}`)).expect(404);
  });

  it('the document says so on every source route', async () => {
    const doc = (await http().get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { parameters?: { name: string; in: string; description?: string }[] }>>;
    };
    const described = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/v1/sources/{id}'))
      .flatMap(([path, item]) =>
        Object.entries(item).map(([method, op]) => [`${method} ${path}`, op.parameters?.find((p) => p.in === 'path')?.description]),
      );
    expect(described.length).toBe(6);
    expect(described.filter(([, d]) => d !== "the source's id (uuid) or its name")).toEqual([]);
  });
});
