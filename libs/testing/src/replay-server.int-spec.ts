import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { startReplayServer, type ReplayServer } from './replay-server';

// A bare node:http client, so the server is tested independently of libs/http.
interface Got {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}
const get = (url: string, headers: Record<string, string> = {}): Promise<Got> =>
  new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });

describe('startReplayServer', () => {
  let server: ReplayServer;
  beforeAll(async () => {
    server = await startReplayServer({
      '/feed': {
        file: __filename,
        contentType: 'text/plain',
        etag: '"abc"',
        lastModified: 'Mon, 23 Nov 2026 08:00:00 GMT',
      },
      '/seq': [{ status: 429, retryAfter: 3 }, { status: 503 }, { body: 'third' }],
      '/gz': { body: 'compressed text', gzip: true },
      '/bomb': { bigBody: 8, gzip: true },
      '/big': { bigBody: 1.5 },
      '/moved': { redirect: '/feed', status: 301 },
      '/reset': { fault: 'reset' },
      '/drip': { body: 'abcdef', slowDrip: { bytes: 2, intervalMs: 40 } },
      '/hang': { fault: 'hang' },
    });
  });
  afterAll(() => server.close());

  it('listens on 127.0.0.1 and serves a file with validators', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    const res = await get(`${server.url}/feed`);
    expect(res.status).toBe(200);
    expect(res.headers['etag']).toBe('"abc"');
    expect(res.body.toString()).toContain('startReplayServer');
  });

  it('answers 304 to matching conditional requests only', async () => {
    expect((await get(`${server.url}/feed`, { 'if-none-match': '"abc"' })).status).toBe(304);
    expect((await get(`${server.url}/feed`, { 'if-none-match': 'W/"abc", "x"' })).status).toBe(304);
    expect((await get(`${server.url}/feed`, { 'if-none-match': '"old"' })).status).toBe(200);
    expect(
      (await get(`${server.url}/feed`, { 'if-modified-since': 'Mon, 23 Nov 2026 09:00:00 GMT' })).status,
    ).toBe(304);
    expect(
      (await get(`${server.url}/feed`, { 'if-modified-since': 'Mon, 23 Nov 2026 07:00:00 GMT' })).status,
    ).toBe(200);
  });

  it('plays a sequence and repeats its last step, recording every request', async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await get(`${server.url}/seq?i=${i}`)).status);
    expect(statuses).toEqual([429, 503, 200, 200]);
    const seq = server.requests.filter((r) => r.path.startsWith('/seq'));
    expect(seq.map((r) => r.path)).toEqual(['/seq?i=0', '/seq?i=1', '/seq?i=2', '/seq?i=3']);
    expect(seq[0].at).toBeLessThanOrEqual(seq[3].at);
  });

  it('sends Retry-After, redirects and 404s', async () => {
    const fresh = await startReplayServer({
      '/r': { status: 429, retryAfter: 'Wed, 25 Nov 2026 00:00:00 GMT' },
    });
    try {
      expect((await get(`${fresh.url}/r`)).headers['retry-after']).toBe('Wed, 25 Nov 2026 00:00:00 GMT');
    } finally {
      await fresh.close();
    }
    const moved = await get(`${server.url}/moved`);
    expect(moved.status).toBe(301);
    expect(moved.headers.location).toBe('/feed');
    expect((await get(`${server.url}/nope`)).status).toBe(404);
  });

  it('gzips, and builds zip bombs that are small on the wire', async () => {
    const gz = await get(`${server.url}/gz`);
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe('compressed text');
    const bomb = await get(`${server.url}/bomb`);
    expect(bomb.body.length).toBeLessThan(64 * 1024);
    expect(gunzipSync(bomb.body).length).toBe(8 * 1024 * 1024);
    const big = await get(`${server.url}/big`);
    expect(big.body.length).toBe(1.5 * 1024 * 1024);
  });

  it('resets, drips and hangs', async () => {
    await expect(get(`${server.url}/reset`)).rejects.toThrow(/socket hang up|ECONNRESET/);
    const started = Date.now();
    expect((await get(`${server.url}/drip`)).body.toString()).toBe('abcdef');
    expect(Date.now() - started).toBeGreaterThanOrEqual(75);
    const hung = await Promise.race([
      get(`${server.url}/hang`).then(
        () => 'answered',
        () => 'closed',
      ),
      new Promise((r) => setTimeout(() => r('still waiting'), 200)),
    ]);
    expect(hung).toBe('still waiting');
  });
});
