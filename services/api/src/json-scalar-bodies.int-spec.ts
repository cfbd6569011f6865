import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createApiKey } from '@paperwire/db';
import { createTestDb, dropQueuePrefix, uniqueName, type TestDb } from '@paperwire/testing';
import { createTestApp } from './testing/app';

jest.setTimeout(60_000);

// A client that serialises a missing value sends `null` (or a bare string, number or boolean): valid JSON that no
// route takes. It was told "request body is not valid JSON", which sends its author looking for a syntax error that
// is not there. It is told what the body is instead, on the field `/`, as a body of the wrong type is elsewhere.
describe('a JSON body that is no object', () => {
  let db: TestDb;
  let app: INestApplication;
  let prefix: string;
  let admin: string;

  beforeAll(async () => {
    db = await createTestDb('t_json_scalars');
    prefix = `{${uniqueName('t-scalars')}}`;
    app = await createTestApp(db, prefix);
    admin = (await createApiKey(db.ds, { name: 'admin', scopes: ['admin'] })).key;
  });

  afterAll(async () => {
    await app?.close();
    await dropQueuePrefix(prefix);
    await db?.drop();
  });

  const send = async (path: string, raw: string, method: 'post' | 'patch' = 'post') => {
    const http = request(app.getHttpServer());
    const r = await (method === 'post' ? http.post(path) : http.patch(path))
      .set('X-API-Key', admin)
      .set('Content-Type', 'application/json')
      .send(raw);
    const body = r.body as { detail?: string; errors?: { field: string; detail: string }[] };
    return { status: r.status, detail: body.detail, fields: body.errors?.map((e) => e.field) };
  };

  it('null, text, a number or a boolean is named as what it is; broken JSON is still invalid JSON', async () => {
    expect(await send('/v1/admin/keys', 'null')).toEqual({ status: 400, detail: 'the body must be a JSON object (got null)', fields: ['/'] });
    expect(await send('/v1/sources', '"arxiv"')).toEqual({ status: 400, detail: 'the body must be a JSON object (got text)', fields: ['/'] });
    expect(await send('/v1/subscriptions', '42')).toEqual({ status: 400, detail: 'the body must be a JSON object (got a number)', fields: ['/'] });
    expect(await send('/v1/subscriptions/00000000-0000-0000-0000-000000000000', 'true', 'patch')).toEqual({
      status: 400,
      detail: 'the body must be a JSON object (got a boolean)',
      fields: ['/'],
    });
    expect(await send('/v1/admin/keys', '{"name": "k",')).toEqual({ status: 400, detail: 'request body is not valid JSON', fields: undefined });
    expect(await send('/v1/admin/keys', 'nul')).toEqual({ status: 400, detail: 'request body is not valid JSON', fields: undefined });
  });
});
