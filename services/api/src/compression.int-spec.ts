import 'reflect-metadata';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as zlib from 'node:zlib';
import type { INestApplication } from '@nestjs/common';
import { createTestDb, seedPaper, seedSource, seedTopic, type TestDb, uniqueName } from '@paperwire/testing';
import { createTestApp } from './testing/app';

jest.setTimeout(60_000);

// Negotiated compression over a real socket: text bodies of 1 kB or more go out as br or gzip as the client
// accepts (q-values honoured), with Vary: Accept-Encoding and the identity body's ETag (a 304 either way); small
// bodies and HEAD go out as they are; Node's fetch and python3-feedparser (fetching the feed over HTTP itself)
// decode them; the response cache compresses a cached body once per coding, not on every hit.

interface Raw {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

describe('compressed responses', () => {
  let db: TestDb;
  let app: INestApplication;
  let cached: INestApplication;
  let base: string;
  let cachedBase: string;

  const raw = (origin: string, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> =>
    new Promise((resolve, reject) => {
      const req = httpRequest(`${origin}${path}`, { method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
  const decode = (r: Raw): string => {
    const coding = r.headers['content-encoding'];
    if (coding === 'gzip') return zlib.gunzipSync(r.body).toString('utf8');
    if (coding === 'br') return zlib.brotliDecompressSync(r.body).toString('utf8');
    expect(coding).toBeUndefined();
    return r.body.toString('utf8');
  };
  const origin = (a: INestApplication) => `http://127.0.0.1:${(a.getHttpServer().address() as AddressInfo).port}`;

  beforeAll(async () => {
    db = await createTestDb('t_compress');
    await seedTopic(db.ds, 'peft', 'Parameter-efficient fine-tuning');
    const hf = await seedSource(db.ds, 'hf', 'hf-daily-papers');
    for (let i = 0; i < 12; i++)
      await seedPaper(db.ds, {
        title: `Adapters for fine-tuning, part ${i}`,
        abstract: `We study low-rank adapters for fine-tuning large models, case ${i}. `.repeat(6),
        arxivId: `2602.${String(i + 1).padStart(5, '0')}`,
        topics: [{ slug: 'peft', score: 0.9, primary: true }],
        sightings: [{ sourceId: hf, sourceKind: 'hf-daily-papers', upvotes: i }],
      });
    app = await createTestApp(db, `{${uniqueName('t-compress')}}`, { PUBLIC_URL: 'https://pw.example.org' }, { listen: true });
    cached = await createTestApp(db, `{${uniqueName('t-compress2')}}`, { API_CACHE_MS: '5000' }, { listen: true });
    base = origin(app);
    cachedBase = origin(cached);
  });

  afterAll(async () => {
    await app?.close();
    await cached?.close();
    await db?.drop();
  });

  it.each([
    ['/v1/papers', 'application/json'],
    ['/v1/feeds/topics/peft.atom', 'application/atom+xml'],
    ['/docs-json', 'application/json'],
    ['/papers/2602.00001', 'text/html'],
    ['/', 'text/html'],
  ])('%s: gzip and br when accepted, the same content as identity, Vary and one ETag', async (path, type) => {
    const plain = await raw(base, path);
    expect(plain.status).toBe(200);
    expect(plain.headers['content-type']).toContain(type);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.length).toBeGreaterThan(1024);
    expect(plain.headers.vary).toMatch(/Accept-Encoding/);
    for (const [accept, coding] of [['gzip', 'gzip'], ['gzip, deflate, br', 'br'], ['br;q=0, gzip;q=0.5', 'gzip'], ['*', 'br']] as const) {
      const r = await raw(base, path, { 'Accept-Encoding': accept });
      expect(r.status).toBe(200);
      expect(r.headers['content-encoding']).toBe(coding);
      expect(r.headers.vary).toMatch(/Accept-Encoding/);
      expect(Number(r.headers['content-length'])).toBe(r.body.length);
      expect(r.body.length).toBeLessThan(plain.body.length * 0.6);
      const text = decode(r);
      if (type === 'text/html') expect(text).toMatch(/^<!doctype html>[\s\S]*<\/html>\s*$/i);
      else {
        expect(text).toBe(plain.body.toString('utf8'));
        expect(r.headers.etag).toBe(plain.headers.etag);
      }
    }
  });

  it('sends identity when every coding is refused, for HEAD, and for bodies under 1 kB', async () => {
    for (const accept of ['identity', 'gzip;q=0, br;q=0', '*;q=0', 'deflate']) {
      const r = await raw(base, '/v1/papers', { 'Accept-Encoding': accept });
      expect(r.headers['content-encoding']).toBeUndefined();
      expect(JSON.parse(r.body.toString('utf8'))).toHaveProperty('items');
    }
    const head = await raw(base, '/v1/papers', { 'Accept-Encoding': 'gzip' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-encoding']).toBeUndefined();
    const small = await raw(base, '/v1/papers?limit=1&q=nothingmatchesthis', { 'Accept-Encoding': 'gzip' });
    expect(small.status).toBe(200);
    expect(small.body.length).toBeLessThan(1024);
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.headers.vary).toMatch(/Accept-Encoding/);
  });

  it('answers 304 to the ETag of a compressed body, with Vary and no body', async () => {
    for (const origin of [base, cachedBase]) {
      const first = await raw(origin, '/v1/papers?limit=12', { 'Accept-Encoding': 'gzip' });
      expect(first.headers['content-encoding']).toBe('gzip');
      const again = await raw(origin, '/v1/papers?limit=12', { 'Accept-Encoding': 'br', 'If-None-Match': String(first.headers.etag) });
      expect(again.status).toBe(304);
      expect(again.body.length).toBe(0);
      expect(again.headers['content-encoding']).toBeUndefined();
      expect(again.headers.vary).toMatch(/Accept-Encoding/);
    }
  });

  it("Node's fetch decodes what it asked for", async () => {
    const res = await fetch(`${base}/v1/papers?limit=12`);
    expect(res.headers.get('content-encoding')).toMatch(/^(br|gzip)$/);
    const body = (await res.json()) as { items: unknown[] };
    expect(body.items).toHaveLength(12);
  });

  it('python3-feedparser fetches the compressed feed over HTTP and parses it', async () => {
    const script = `
import feedparser, json, sys
d = feedparser.parse(sys.argv[1])
print(json.dumps({"bozo": bool(d.bozo), "err": str(d.get("bozo_exception", "")), "version": d.version,
                  "encoding": d.headers.get("content-encoding"), "entries": len(d.entries)}))`;
    // (asynchronously: the server answering it runs in this process)
    const r = await promisify(execFile)('/usr/bin/python3', ['-c', script, `${base}/v1/feeds/topics/peft.atom`], { encoding: 'utf8', timeout: 30_000 });
    expect(r.stderr).toBe('');
    const d = JSON.parse(r.stdout) as { bozo: boolean; err: string; version: string; encoding: string; entries: number };
    expect(d).toEqual({ bozo: false, err: '', version: 'atom10', encoding: 'gzip', entries: 12 });
  });

  it('the response cache compresses a cached body once per coding, not on every hit', async () => {
    // (the module object compression.ts calls through, not this file's import-star copy of it)
    const real = jest.requireActual<typeof zlib>('node:zlib');
    const gzip = jest.spyOn(real, 'gzipSync');
    const br = jest.spyOn(real, 'brotliCompressSync');
    try {
      const path = '/v1/feeds/topics/peft.atom';
      const bodies: string[] = [];
      for (let i = 0; i < 4; i++) {
        const r = await raw(cachedBase, path, { 'Accept-Encoding': 'gzip' });
        expect([r.status, r.headers['content-encoding']]).toEqual([200, 'gzip']);
        bodies.push(decode(r));
      }
      expect(gzip).toHaveBeenCalledTimes(1);
      expect(br).toHaveBeenCalledTimes(0);
      for (let i = 0; i < 3; i++) bodies.push(decode(await raw(cachedBase, path, { 'Accept-Encoding': 'br' })));
      expect(br).toHaveBeenCalledTimes(1);
      const plain = await raw(cachedBase, path);
      bodies.push(decode(plain));
      expect(new Set(bodies).size).toBe(1);
      expect(gzip).toHaveBeenCalledTimes(1);
    } finally {
      gzip.mockRestore();
      br.mockRestore();
    }
  });

  it('sends every body as it is with API_COMPRESSION=false (a proxy in front compresses), cached or not', async () => {
    const off = await createTestApp(db, `{${uniqueName('t-compress3')}}`, { API_CACHE_MS: '5000', API_COMPRESSION: 'false' }, { listen: true });
    try {
      for (const path of ['/', '/v1/feeds/topics/peft.atom', '/v1/feeds/topics/peft.atom', '/docs-json']) {
        const r = await raw(origin(off), path, { 'Accept-Encoding': 'gzip, deflate, br' });
        expect([path, r.status, r.headers['content-encoding']]).toEqual([path, 200, undefined]);
        expect(r.body.length).toBeGreaterThan(1024);
      }
    } finally {
      await off.close();
    }
  });
});
