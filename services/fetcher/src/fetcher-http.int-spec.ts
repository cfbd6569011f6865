import { safeFetch } from '@paperwire/http';
import { startReplayServer, type ReplayServer } from '@paperwire/testing';
import { politeInterval } from './fetcher.service';

// The fetcher takes its politeness slot in safeFetch's beforeRequest hook: after DNS and the SSRF
// check, right before the request, and outside the request's timeout budget.
describe('politeness slot inside safeFetch', () => {
  let server: ReplayServer;

  beforeAll(async () => {
    server = await startReplayServer({ '/feed': { body: 'ok', contentType: 'text/plain' } });
  });

  afterAll(async () => {
    await server.close();
  });

  it('waits for the slot without spending the timeout, once per request, with the target url', async () => {
    // The slot outlasts the whole timeout, so the request can only succeed if the wait is outside it;
    // the timeout itself is wide enough for a local request on a loaded machine.
    const timeoutMs = 2_000;
    const slotMs = timeoutMs + 250;
    const seen: string[] = [];
    const t0 = Date.now();
    const res = await safeFetch(`${server.url}/feed`, {
      allowPrivate: true,
      timeoutMs,
      beforeRequest: async (url) => {
        seen.push(url.host);
        await new Promise((r) => setTimeout(r, slotMs));
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('ok');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(slotMs);
    expect(seen).toEqual([new URL(server.url).host]);
    expect(server.hits('/feed')).toHaveLength(1);
    expect(server.hits('/feed')[0].at - t0).toBeGreaterThanOrEqual(slotMs);
  });

  it('still times out a request that is slow after the slot', async () => {
    // The server never answers: only the timeout can end the request, however late its timer fires.
    const slow = await startReplayServer({ '/slow': { fault: 'hang' } });
    try {
      await expect(
        safeFetch(`${slow.url}/slow`, {
          allowPrivate: true,
          timeoutMs: 300,
          beforeRequest: () => Promise.resolve(),
        }),
      ).rejects.toMatchObject({ code: 'timeout' });
    } finally {
      await slow.close();
    }
  });

  it('pads the configured interval so the host sees at least the minimum gap', () => {
    expect(politeInterval(0)).toBe(0);
    expect(politeInterval(600)).toBe(700);
    expect(politeInterval(3000)).toBe(3300);
    expect(politeInterval(10_000)).toBe(10_300);
  });
});
