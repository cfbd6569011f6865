import 'reflect-metadata';
import { createApiKey } from '@paperwire/db';
import { LOGGER } from '@paperwire/service-kit';
import { seedPaper, seedTopic } from '@paperwire/testing';
import { loggedUrl } from './common/access-log';
import { useTestApi } from './testing/use-test-api';

jest.setTimeout(90_000);

// api.log had no request lines (session 23's review): one info line per request, with what an operator reads
// (method, path and query, status, ms, bytes) and never a token or a key.

describe('the access log', () => {
  let key = '';
  const api = useTestApi(
    't_access_log',
    async ({ ds }) => {
      await seedTopic(ds, 'rag', 'Retrieval-augmented generation');
      await seedPaper(ds, { title: 'Retrieval agents that plan', abstract: 'Agents plan retrieval.', arxivId: '2612.00001', topics: [{ slug: 'rag', score: 0.9, primary: true }] });
      key = (await createApiKey(ds, { name: 'log', scopes: ['subscriptions'] })).key;
    },
    { RATE_LIMIT_PER_MINUTE: '100000', AUTH_FAILURE_LIMIT: '100000' },
  );

  const captured = async (run: () => Promise<unknown>) => {
    const log = api.app.get<{ info: (...args: unknown[]) => void }>(LOGGER);
    const spy = jest.spyOn(log, 'info');
    try {
      await run();
      // the line is written on the response's finish event, which may follow the client's read by a tick
      await new Promise((r) => setTimeout(r, 50));
      return spy.mock.calls.filter((c) => typeof c[1] === 'string' && /^(GET|POST|HEAD) /.test(c[1] as string)).map((c) => c[0] as Record<string, unknown>);
    } finally {
      spy.mockRestore();
    }
  };

  it('writes one line per request: method, path and query, status, ms and bytes', async () => {
    const lines = await captured(async () => {
      await api.http().get('/v1/papers?topic=rag&limit=5').expect(200);
      await api.http().get('/v1/papers?topic=nope').expect(400);
    });
    expect(lines).toEqual([
      { method: 'GET', url: '/v1/papers?topic=rag&limit=5', status: 200, ms: expect.any(Number), bytes: expect.any(Number) },
      { method: 'GET', url: '/v1/papers?topic=nope', status: 400, ms: expect.any(Number), bytes: expect.any(Number) },
    ]);
    expect(lines[0].bytes).toBeGreaterThan(100);
  });

  it('never writes a link token, a key or a secret', async () => {
    const token = 'v1.abcdefghijklmnopqrstuvwxyz0123456789';
    const lines = await captured(async () => {
      await api.http().get(`/v1/unsubscribe?t=${token}`);
      await api.http().get(`/v1/papers?api_key=${key}`).expect(400);
      await api.http().get(`/v1/papers?q=${key}`).expect(200);
      await api.http().get('/v1/subscriptions').set('Authorization', `Bearer ${key}`).expect(200);
      await api.http().get(`/v1/subscriptions/confirm;t=${token}`);
    });
    expect(lines.map((l) => l.url)).toEqual([
      '/v1/unsubscribe?t=redacted',
      '/v1/papers?api_key=redacted',
      '/v1/papers?q=redacted',
      '/v1/subscriptions',
      '/v1/subscriptions/confirm;t=redacted',
    ]);
    expect(JSON.stringify(lines)).not.toContain(key.slice(12));
    expect(JSON.stringify(lines)).not.toContain(token.slice(3));
  });

  it('redacts by parameter name and by value shape, and keeps the other values', () => {
    expect(loggedUrl('/x?access_token=a&sig=b&code=c&password=d&topic=rag&q=whsec_abc')).toBe(
      '/x?access_token=redacted&sig=redacted&code=redacted&password=redacted&topic=rag&q=redacted',
    );
    expect(loggedUrl('/v1/papers')).toBe('/v1/papers');
    // matrix parameters of a path (`;k=v`), as query parameters: by name and by value shape
    expect(loggedUrl('/v1/subscriptions/confirm;t=SECRETMATRIX?x=1')).toBe('/v1/subscriptions/confirm;t=redacted?x=1');
    expect(loggedUrl('/a;jsessionid=s1;lang=en/b;pw_abc;v=2')).toBe('/a;jsessionid=redacted;lang=en/b;redacted;v=2');
    expect(loggedUrl('/v1/papers?')).toBe('/v1/papers');
  });
});
