import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createApiKey } from '@paperwire/db';
import { createTestDb, dropQueuePrefix, seedPaper, uniqueName, type TestDb } from '@paperwire/testing';
import { createTestApp } from '../testing/app';

jest.setTimeout(60_000);

interface Param {
  name: string;
  in: string;
  required?: boolean;
  schema?: { type?: string; minimum?: number; maximum?: number; default?: number };
}
type Doc = { paths: Record<string, Record<string, { parameters?: Param[] }>> };

// A client generated from the document validates its own requests by the parameters' schemas: the bounds of a page
// size or a page number belong there (`minimum`, `maximum`, `default`), not only in a description, and they must be
// the bounds the api enforces. Every whole-number query parameter of a GET is probed live at its documented bounds
// and one past them.
describe('integer query parameters: the documented bounds are the enforced ones', () => {
  let db: TestDb;
  let app: INestApplication;
  let prefix: string;
  let doc: Doc;
  let admin: string;

  beforeAll(async () => {
    db = await createTestDb('t_param_bounds');
    prefix = `{${uniqueName('t-bounds')}}`;
    app = await createTestApp(db, prefix);
    admin = (await createApiKey(db.ds, { name: 'admin', scopes: ['admin'] })).key;
    await seedPaper(db.ds, { title: 'A paper on bounds', abstract: 'An abstract.' });
    doc = (await request(app.getHttpServer()).get('/docs-json').expect(200)).body as Doc;
  });

  afterAll(async () => {
    await app?.close();
    await dropQueuePrefix(prefix);
    await db?.drop();
  });

  /** Every GET with its whole-number query parameters (those of a path with parameters need ids or tokens: skipped). */
  const integerParams = () =>
    Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => method === 'get')
        .filter(() => !path.includes('{'))
        .map(([, op]) => ({
          path,
          required: (op.parameters ?? []).filter((p) => p.in === 'query' && p.required),
          ints: (op.parameters ?? []).filter((p) => p.in === 'query' && p.schema?.type === 'integer'),
        }))
        .filter((o) => o.ints.length > 0),
    );

  it('every page size, offset and page number states its minimum, maximum and default in its schema', () => {
    const ops = integerParams();
    expect(ops.map((o) => o.path)).toEqual(
      expect.arrayContaining(['/v1/papers', '/v1/daily', '/api/daily_papers', '/v1/admin/failed', '/v1/trending']),
    );
    const missing = ops.flatMap((o) =>
      o.ints
        .filter((p) => p.schema?.minimum === undefined || p.schema?.maximum === undefined || p.schema?.default === undefined)
        .map((p) => `${o.path} ${p.name}: ${JSON.stringify(p.schema)}`),
    );
    expect(missing).toEqual([]);
  });

  it('the api takes each documented bound and refuses one past it, naming the parameter', async () => {
    const findings: string[] = [];
    let probed = 0;
    for (const { path, required, ints } of integerParams()) {
      for (const p of ints) {
        const { minimum: min, maximum: max } = p.schema ?? {};
        if (min === undefined || max === undefined) continue;
        probed++;
        // the others at their smallest, so that a bound that depends on them (p·limit ≤ 10,000) is the one probed
        const base = new URLSearchParams(required.map((r): [string, string] => [r.name, 'bounds']));
        for (const o of ints) if (o !== p && o.schema?.minimum !== undefined && o.name !== 'offset') base.set(o.name, String(Math.max(o.schema.minimum, 1)));
        const ask = async (value: number) => {
          const q = new URLSearchParams(base);
          q.set(p.name, String(value));
          const r = await request(app.getHttpServer()).get(`${path}?${q}`).set('X-API-Key', admin);
          return { status: r.status, text: r.text };
        };
        for (const value of [min, max]) {
          const r = await ask(value);
          if (r.status !== 200) findings.push(`${path} ${p.name}=${value} (documented bound): ${r.status} ${r.text.slice(0, 200)}`);
        }
        for (const value of [min - 1, max + 1]) {
          const r = await ask(value);
          if (r.status !== 400 || !r.text.includes(p.name))
            findings.push(`${path} ${p.name}=${value} (past the bound): ${r.status} ${r.text.slice(0, 200)}`);
        }
      }
    }
    expect(findings).toEqual([]);
    // every parameter of the first check was probed (eleven on eleven operations when this was written)
    expect(probed).toBeGreaterThanOrEqual(11);
  });
});
