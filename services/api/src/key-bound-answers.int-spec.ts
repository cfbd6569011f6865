import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createApiKey } from '@paperwire/db';
import { createTestDb, dropQueuePrefix, seedSource, uniqueName, type TestDb } from '@paperwire/testing';
import { createTestApp } from './testing/app';

jest.setTimeout(60_000);

interface Op {
  'x-required-scope'?: string;
  responses: Record<string, { headers?: Record<string, { $ref?: string }> }>;
}
type Doc = { paths: Record<string, Record<string, Op>> };

// What a route that needs a subscriptions or admin key answers belongs to that key: a tenant's subscriptions and their
// deliveries, the operator's keys, sources and failed jobs. X-API-Key (unlike Authorization) does not keep an answer
// out of a shared cache, so a proxy or CDN in front of the api that stores unmarked 200s could hand one tenant's
// subscriptions to the next caller. Each such answer says `Cache-Control: private, no-cache` and varies by key.
describe('answers that belong to one key', () => {
  let db: TestDb;
  let app: INestApplication;
  let prefix: string;
  let admin: string;
  let tenant: string;
  let doc: Doc;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    db = await createTestDb('t_key_bound');
    prefix = `{${uniqueName('t-keybound')}}`;
    app = await createTestApp(db, prefix, { WEBHOOK_ALLOW_PRIVATE: 'true' });
    admin = (await createApiKey(db.ds, { name: 'admin', scopes: ['admin'] })).key;
    tenant = (await createApiKey(db.ds, { name: 'tenant', scopes: ['subscriptions'] })).key;
    ids.source = await seedSource(db.ds, 'feed', 'arxiv-rss');
    const created = await request(app.getHttpServer())
      .post('/v1/subscriptions')
      .set('X-API-Key', tenant)
      .send({ name: 'hook', channel: 'webhook', target: 'http://127.0.0.1:9/hook' })
      .expect(201);
    ids.subscription = (created.body as { id: string }).id;
    doc = (await request(app.getHttpServer()).get('/docs-json').expect(200)).body as Doc;
  });

  afterAll(async () => {
    await app?.close();
    await dropQueuePrefix(prefix);
    await db?.drop();
  });

  const keyBound = (r: request.Response) => ({
    status: r.status,
    cacheControl: r.headers['cache-control'],
    variesByKey: /\bAuthorization\b/.test(String(r.headers.vary)) && /\bX-API-Key\b/.test(String(r.headers.vary)),
  });

  it('every keyed GET, read with its key, is private to it, and the document says so', async () => {
    const keyed = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method, op]) => method === 'get' && ['subscriptions', 'admin'].includes(op['x-required-scope'] ?? ''))
        .map(([, op]) => ({ path, op })),
    );
    // The tenant's and the operator's lists and records: not a handful picked by hand, every one the document lists.
    expect(keyed.map((k) => k.path)).toEqual(
      expect.arrayContaining(['/v1/subscriptions', '/v1/subscriptions/{id}/deliveries', '/v1/admin/keys', '/v1/sources/{id}']),
    );
    for (const { path, op } of keyed) {
      const url = path.replace('{id}', path.startsWith('/v1/sources') ? ids.source : ids.subscription);
      const key = op['x-required-scope'] === 'subscriptions' ? tenant : admin;
      const r = await request(app.getHttpServer()).get(url).set('X-API-Key', key);
      expect({ url, ...keyBound(r) }).toEqual({ url, status: 200, cacheControl: 'private, no-cache', variesByKey: true });
      expect(op.responses['200'].headers?.['Cache-Control']?.$ref).toBe('#/components/headers/KeyBoundCacheControl');
    }
  });

  it('a write answered with a body, a Bearer key and a refusal of the wrong key are private too', async () => {
    const http = () => request(app.getHttpServer());
    const answers = [
      await http().post('/v1/admin/keys').set('X-API-Key', admin).send({ name: 'k', scopes: ['read'] }),
      await http().get('/v1/subscriptions').set('Authorization', `Bearer ${tenant}`),
      await http()
        .patch(`/v1/subscriptions/${ids.subscription}`)
        .set('X-API-Key', tenant)
        .send({ status: 'paused' }),
      // a subscriptions key on an admin route: a 403 that names the scope, never stored for the next caller
      await http().get('/v1/admin/keys').set('X-API-Key', tenant),
    ].map(keyBound);
    expect(answers).toEqual([
      { status: 201, cacheControl: 'private, no-cache', variesByKey: true },
      { status: 200, cacheControl: 'private, no-cache', variesByKey: true },
      { status: 200, cacheControl: 'private, no-cache', variesByKey: true },
      { status: 403, cacheControl: 'private, no-cache', variesByKey: true },
    ]);
  });

  it('a client keeps its copy and revalidates it: the ETag it was given is a 304', async () => {
    const first = await request(app.getHttpServer()).get('/v1/admin/keys').set('X-API-Key', admin).expect(200);
    expect(first.headers.etag).toBeTruthy();
    await request(app.getHttpServer())
      .get('/v1/admin/keys')
      .set('X-API-Key', admin)
      .set('If-None-Match', String(first.headers.etag))
      .expect(304);
  });

  it('public reads keep their own caching: anonymous is public, with a key private for a while', async () => {
    const anon = await request(app.getHttpServer()).get('/v1/topics').expect(200);
    expect(anon.headers['cache-control']).toMatch(/^public, max-age=\d+$/);
    const keyed = await request(app.getHttpServer()).get('/v1/topics').set('X-API-Key', tenant).expect(200);
    expect(keyed.headers['cache-control']).toMatch(/^private, max-age=\d+$/);
  });
});
