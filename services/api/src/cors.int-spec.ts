import 'reflect-metadata';
import { createApiKey } from '@paperwire/db';
import { seedPaper, seedTopic } from '@paperwire/testing';
import request from 'supertest';
import { createTestApp } from './testing/app';
import { useTestApi } from './testing/use-test-api';

jest.setTimeout(90_000);

// Cross-origin reads: a dashboard on another origin reads the public API (GET/HEAD), never writes, never the admin
// API or the operator pages, never with ambient credentials.

const ORIGIN = 'https://dashboard.example.net';

describe('CORS on the public read API', () => {
  let readKey = '';
  const api = useTestApi(
    't_cors',
    async ({ ds }) => {
      await seedTopic(ds, 'rag', 'Retrieval-augmented generation');
      await seedPaper(ds, { title: 'Retrieval agents that plan', abstract: 'A retrieval agent.', arxivId: '2612.00011', topics: [{ slug: 'rag', score: 0.9, primary: true }] });
      readKey = (await createApiKey(ds, { name: 'cors', scopes: ['read'] })).key;
    },
    { RATE_LIMIT_PER_MINUTE: '100000', AUTH_FAILURE_LIMIT: '100000' },
  );
  const http = () => api.http();

  it('lets any origin read /v1, /api/* and the OpenAPI document, exposing ETag and the rate-limit headers', async () => {
    for (const path of ['/v1/papers?limit=1', '/v1/papers/2612.00011', '/api/daily_papers', '/v1/feeds/topics/rag.json', '/docs-json']) {
      const res = await http().get(path).set('Origin', ORIGIN).set('Authorization', `Bearer ${readKey}`).expect(200);
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
      expect(res.headers['access-control-expose-headers']).toMatch(/\bETag\b.*X-RateLimit-Remaining/);
    }
  });

  it('answers a preflight for a keyed read, and refuses one for a write or an unlisted header', async () => {
    const ok = await http()
      .options('/v1/papers')
      .set('Origin', ORIGIN)
      .set('Access-Control-Request-Method', 'GET')
      .set('Access-Control-Request-Headers', 'authorization, if-none-match, content-type')
      .expect(204);
    expect(ok.headers['access-control-allow-origin']).toBe('*');
    expect(ok.headers['access-control-allow-methods']).toBe('GET, HEAD');
    // (clients that send Content-Type on every request, a GET too, can read)
    expect(ok.headers['access-control-allow-headers']).toBe('authorization, if-none-match, content-type');
    expect(Number(ok.headers['access-control-max-age'])).toBeGreaterThan(0);

    for (const [method, headers] of [
      ['POST', 'content-type, authorization'],
      ['DELETE', 'authorization'],
      ['GET', 'x-custom-thing'],
    ]) {
      const refused = await http()
        .options('/v1/subscriptions')
        .set('Origin', ORIGIN)
        .set('Access-Control-Request-Method', method)
        .set('Access-Control-Request-Headers', headers)
        .expect(204);
      expect(refused.headers['access-control-allow-origin']).toBeUndefined();
      expect(refused.headers['access-control-allow-methods']).toBeUndefined();
    }
  });

  it("follows /papers/{id}.json's redirect to the paper as JSON cross-origin", async () => {
    const hop = await http().get('/papers/2612.00011.json').set('Origin', ORIGIN).expect(303);
    expect(hop.headers['access-control-allow-origin']).toBe('*');
    const json = await http().get(hop.headers.location).set('Origin', ORIGIN).expect(200);
    expect(json.headers['access-control-allow-origin']).toBe('*');
  });

  it('gives no cross-origin access to the admin API, the pages or the operator page', async () => {
    for (const path of ['/v1/admin/subscriptions', '/v1/sources', '/', '/papers/2612.00011', '/ops']) {
      const res = await http().get(path).set('Origin', ORIGIN);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    }
    const pre = await http().options('/v1/admin/keys').set('Origin', ORIGIN).set('Access-Control-Request-Method', 'GET');
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('reads only for the listed origins when API_CORS_ORIGINS lists them, and not at all when it is empty', async () => {
    // with the shared response cache on: a cached answer carries the origin of the request it answers
    const listed = await createTestApp(api.db, api.prefix, { API_CORS_ORIGINS: `${ORIGIN}/, https://other.example.org`, API_CACHE_MS: '5000' });
    try {
      const mine = await request(listed.getHttpServer()).get('/v1/papers?limit=1').set('Origin', ORIGIN).expect(200);
      expect(mine.headers['access-control-allow-origin']).toBe(ORIGIN);
      expect(mine.headers.vary).toMatch(/Origin/);
      const theirs = await request(listed.getHttpServer()).get('/v1/papers?limit=1').set('Origin', 'https://evil.example.com').expect(200);
      expect(theirs.headers['access-control-allow-origin']).toBeUndefined();
      const other = await request(listed.getHttpServer()).get('/v1/papers?limit=1').set('Origin', 'https://other.example.org').expect(200);
      expect(other.headers['access-control-allow-origin']).toBe('https://other.example.org');
      expect(other.headers.vary).toMatch(/Authorization.*Origin|Origin.*Authorization/);
    } finally {
      await listed.close();
    }
    const none = await createTestApp(api.db, api.prefix, { API_CORS_ORIGINS: '' });
    try {
      const res = await request(none.getHttpServer()).get('/v1/papers?limit=1').set('Origin', ORIGIN).expect(200);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await none.close();
    }
  });
});
