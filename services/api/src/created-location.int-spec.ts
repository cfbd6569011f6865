import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createApiKey } from '@paperwire/db';
import { createTestDb, dropQueuePrefix, uniqueName, type TestDb } from '@paperwire/testing';
import { createTestApp } from './testing/app';

jest.setTimeout(60_000);

// A 201 says where the created resource is (RFC 9110 §15.3.2): a client follows `Location` rather than building the
// path from the body's id. Created subscriptions and sources carry it, an idempotent replay of the create as well.
describe('Location on a 201', () => {
  let db: TestDb;
  let app: INestApplication;
  let prefix: string;
  let admin: string;
  let tenant: string;

  beforeAll(async () => {
    db = await createTestDb('t_created_location');
    prefix = `{${uniqueName('t-location')}}`;
    app = await createTestApp(db, prefix, { WEBHOOK_ALLOW_PRIVATE: 'true' });
    admin = (await createApiKey(db.ds, { name: 'admin', scopes: ['admin'] })).key;
    tenant = (await createApiKey(db.ds, { name: 'tenant', scopes: ['subscriptions'] })).key;
  });

  afterAll(async () => {
    await app?.close();
    await dropQueuePrefix(prefix);
    await db?.drop();
  });

  const http = () => request(app.getHttpServer());

  it('a created subscription is read where Location says, and a replay of the create points to the same one', async () => {
    const body = { name: 'hook', channel: 'webhook', target: 'http://127.0.0.1:9/hook' };
    const created = await http().post('/v1/subscriptions').set('X-API-Key', tenant).set('Idempotency-Key', 'create-1').send(body).expect(201);
    const id = (created.body as { id: string }).id;
    expect(created.headers.location).toBe(`/v1/subscriptions/${id}`);
    const read = await http().get(String(created.headers.location)).set('X-API-Key', tenant).expect(200);
    expect(read.body).toMatchObject({ id, name: 'hook' });

    const replay = await http().post('/v1/subscriptions').set('X-API-Key', tenant).set('Idempotency-Key', 'create-1').send(body).expect(201);
    expect(replay.headers.location).toBe(`/v1/subscriptions/${id}`);
  });

  it('a created source is read where Location says', async () => {
    const created = await http()
      .post('/v1/sources')
      .set('X-API-Key', admin)
      .send({ name: 'cs-ro', kind: 'arxiv-rss', url: 'https://rss.arxiv.org/rss/cs.RO' })
      .expect(201);
    const id = (created.body as { id: string }).id;
    expect(created.headers.location).toBe(`/v1/sources/${id}`);
    expect((await http().get(String(created.headers.location)).set('X-API-Key', admin).expect(200)).body).toMatchObject({ id, name: 'cs-ro' });
  });
});
