import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Redis } from 'ioredis';
import request from 'supertest';
import { createApiKey } from '@paperwire/db';
import {
  OpenApiContract,
  REPO_ROOT,
  TEST_REDIS_URL,
  contractChecks,
  createTestDb,
  uniqueName,
  type TestDb,
} from '@paperwire/testing';
import { createTestApp } from '../testing/app';
import { OPENAPI_FILE } from './static-document';

jest.setTimeout(60_000);

type Doc = ConstructorParameters<typeof OpenApiContract>[0] & {
  paths: Record<string, Record<string, { security?: unknown }>>;
};

describe('the OpenAPI contract, live', () => {
  let db: TestDb;
  const prefixes: string[] = [];
  const apps: INestApplication[] = [];
  let admin: string;

  async function start(env: Record<string, string> = {}): Promise<INestApplication> {
    const prefix = `{${uniqueName('t-contract')}}`;
    prefixes.push(prefix);
    const app = await createTestApp(db, prefix, env);
    apps.push(app);
    return app;
  }

  beforeAll(async () => {
    db = await createTestDb('t_contract');
    admin = (await createApiKey(db.ds, { name: 'admin', scopes: ['admin'] })).key;
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    const redis = new Redis(TEST_REDIS_URL);
    for (const prefix of prefixes) {
      const keys = await redis.keys(`pw-throttle:${prefix}*`);
      if (keys.length) await redis.del(...keys);
    }
    await redis.quit();
    await db?.drop();
  });

  it('serves the committed document at /docs-json, and checks every response against it', async () => {
    const app = await start();
    const before = contractChecks();
    const live = (await request(app.getHttpServer()).get('/docs-json').expect(200)).body as Doc;
    expect(live).toEqual(JSON.parse(readFileSync(join(REPO_ROOT, OPENAPI_FILE), 'utf8')));

    const keys = await request(app.getHttpServer()).get('/v1/admin/keys').set('X-API-Key', admin).expect(200);
    await request(app.getHttpServer()).get('/v1/papers?limit=2').expect(200);
    await request(app.getHttpServer()).get('/v1/papers?limit=0').expect(400);
    const ready = await request(app.getHttpServer()).get('/readyz').expect(200);
    expect(ready.headers['cache-control']).toMatch(/no-cache/);
    // The recorder saw the four documented requests (/docs-json is not an operation).
    expect(contractChecks() - before).toBe(4);

    // What the spec said before (an array of keys) is what the check now refuses.
    const contract = new OpenApiContract(live);
    const exchange = {
      method: 'GET',
      path: '/v1/admin/keys',
      status: 200,
      headers: keys.headers as Record<string, string>,
    };
    expect(contract.check({ ...exchange, body: Buffer.from(JSON.stringify(keys.body)) })).toEqual([]);
    expect(
      contract.check({
        ...exchange,
        body: Buffer.from(JSON.stringify((keys.body as { items: unknown[] }).items)),
      }),
    ).toEqual([expect.stringMatching(/body does not match the schema: body must be object/)]);
  });

  it('says reads need a key when the deployment requires one (API_READ_REQUIRES_KEY), and answers so', async () => {
    const app = await start({ API_READ_REQUIRES_KEY: 'true' });
    const live = (await request(app.getHttpServer()).get('/docs-json').expect(200)).body as Doc;
    expect(live.paths['/v1/papers'].get.security).toEqual([{ bearer: [] }, { apiKey: [] }]);
    expect(live.paths['/api/daily_papers'].get.security).toEqual([]);
    const denied = await request(app.getHttpServer()).get('/v1/papers').expect(401);
    expect(denied.headers['www-authenticate']).toMatch(/^Bearer/);
    await request(app.getHttpServer()).get('/v1/papers').set('Authorization', `Bearer ${admin}`).expect(200);
  });
});
