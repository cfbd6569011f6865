// Specs may use the shared test helpers; the util lib itself never imports them.
import { startReplayServer, type ReplayServer } from '@paperwire/testing';
import { fetchWithRetry, type AttemptInfo, type RetryOptions } from './fetch-with-retry';
import { HttpError } from './http-error';

// Sleeps are injected and recorded, so the computed delays are asserted without waiting for them.
describe('fetchWithRetry against a local replay server', () => {
  let server: ReplayServer;
  const retryAtDate = new Date(Date.now() + 60 * 60 * 1000).toUTCString();

  beforeAll(async () => {
    server = await startReplayServer({
      '/flaky': [
        { status: 429, retryAfter: 2 },
        { status: 503 },
        { status: 500, retryAfter: 1 },
        { body: 'finally' },
      ],
      '/dated': [{ status: 503, retryAfter: retryAtDate }, { body: 'ok' }],
      '/missing': { status: 404 },
      '/gone-then-ok': [{ status: 410 }, { body: 'never reached' }],
      '/timeout-408': [{ status: 408 }, { body: 'ok' }],
      '/reset-then-ok': [
        { fault: 'reset' },
        { fault: 'reset-mid-body', body: 'z'.repeat(50_000) },
        { body: 'recovered' },
      ],
      '/always-503': { status: 503, body: 'down' },
      '/hang': { fault: 'hang' },
      '/big': { bigBody: 2 },
    });
  });
  afterAll(() => server.close());

  const run = (path: string, extra: Partial<RetryOptions> = {}) => {
    const sleeps: number[] = [];
    const attempts: AttemptInfo[] = [];
    const promise = fetchWithRetry(`${server.url}${path}`, {
      allowPrivate: true,
      retries: 4,
      baseDelayMs: 100,
      maxDelayMs: 5000,
      random: () => 0.5,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      onAttempt: (info) => attempts.push(info),
      ...extra,
    });
    return { promise, sleeps, attempts };
  };

  it('honours Retry-After seconds and backs off with jitter otherwise', async () => {
    const { promise, sleeps, attempts } = run('/flaky');
    const res = await promise;
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('finally');
    // 429 Retry-After 2 s; 503 without it: 0.5 * 100 * 2^1; 500 with Retry-After 1 s.
    expect(sleeps).toEqual([2000, 100, 1000]);
    expect(attempts.map((a) => [a.status, a.delaySource])).toEqual([
      [429, 'retry-after'],
      [503, 'backoff'],
      [500, 'retry-after'],
      [200, undefined],
    ]);
    expect(server.hits('/flaky')).toHaveLength(4);
  });

  it.each([
    ['caps a Retry-After date an hour away at maxDelayMs', '/dated', [5000]],
    ['retries 408', '/timeout-408', [50]],
  ])('%s', async (_name, path, expectedSleeps) => {
    const { promise, sleeps } = run(path);
    expect((await promise).status).toBe(200);
    expect(sleeps).toEqual(expectedSleeps);
  });

  it('never retries 404 or 410', async () => {
    const a = run('/missing');
    expect((await a.promise).status).toBe(404);
    expect(a.sleeps).toEqual([]);
    expect(server.hits('/missing')).toHaveLength(1);
    const b = run('/gone-then-ok');
    expect((await b.promise).status).toBe(410);
    expect(server.hits('/gone-then-ok')).toHaveLength(1);
  });


  it('retries connection resets, before and during the body', async () => {
    const { promise, sleeps, attempts } = run('/reset-then-ok');
    expect((await promise).body.toString()).toBe('recovered');
    expect(sleeps).toEqual([50, 100]);
    expect(attempts.slice(0, 2).map((a) => a.error?.code)).toEqual(['network', 'network']);
  });

  it('returns the last response when retries run out on a retryable status', async () => {
    const { promise, sleeps } = run('/always-503', { retries: 2 });
    const res = await promise;
    expect(res.status).toBe(503);
    expect(res.body.toString()).toBe('down');
    expect(sleeps).toEqual([50, 100]);
  });

  it('throws a timeout HttpError after retrying hangs', async () => {
    const before = server.hits('/hang').length;
    const { promise, sleeps } = run('/hang', { retries: 1, timeoutMs: 150 });
    const err = await promise.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).code).toBe('timeout');
    expect(sleeps).toEqual([50]);
    expect(server.hits('/hang').length - before).toBe(2);
  });

  it('does not retry a body over the cap or an SSRF refusal', async () => {
    const big = run('/big', { maxBytes: 1024 });
    expect(await big.promise.catch((e: HttpError) => e.code)).toBe('too-large');
    expect(big.sleeps).toEqual([]);
    const ssrf = run('/missing', { allowPrivate: false });
    expect(await ssrf.promise.catch((e: HttpError) => e.code)).toBe('ssrf');
    expect(ssrf.sleeps).toEqual([]);
  });

  it('calls beforeAttempt before every attempt', async () => {
    const calls: number[] = [];
    const { promise } = run('/always-503', { retries: 2, beforeAttempt: async (n) => void calls.push(n) });
    await promise;
    expect(calls).toEqual([0, 1, 2]);
  });
});
