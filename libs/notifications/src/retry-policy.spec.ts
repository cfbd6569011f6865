import { errorClass } from '@paperwire/contracts';
import { HttpError, SsrfError, assertPublicUrl } from '@paperwire/http';
import {
  WEBHOOK_BACKOFF_CAP_MS,
  WEBHOOK_BACKOFF_MIN_MS,
  WEBHOOK_MAX_ATTEMPTS,
  classifyMailError,
  classifyWebhookResponse,
  endpointPauseReason,
  failedMessageStreak,
  failureStreak,
  parseRetryAfterMs,
  shouldPauseEndpoint,
  webhookStatusError,
  webhookBackoffCeilingMs,
  webhookBackoffMs,
  type WebhookVerdict,
} from './retry-policy';

const HOUR = 3_600_000;

describe('webhookBackoffMs', () => {
  it('grows exponentially up to the cap', () => {
    const ceilings = Array.from({ length: WEBHOOK_MAX_ATTEMPTS }, (_, i) => webhookBackoffCeilingMs(i + 1));
    expect(ceilings.slice(0, 4)).toEqual([15_000, 30_000, 60_000, 120_000]);
    for (let i = 1; i < ceilings.length; i++) expect(ceilings[i]).toBeGreaterThanOrEqual(ceilings[i - 1]!);
    expect(Math.max(...ceilings)).toBe(WEBHOOK_BACKOFF_CAP_MS);
    expect(webhookBackoffCeilingMs(1000)).toBe(WEBHOOK_BACKOFF_CAP_MS);
  });

  it('is full jitter: uniform between the floor and the ceiling', () => {
    expect(webhookBackoffMs(5, () => 1)).toBe(webhookBackoffCeilingMs(5));
    expect(webhookBackoffMs(5, () => 0.5)).toBe(webhookBackoffCeilingMs(5) / 2);
    expect(webhookBackoffMs(5, () => 0)).toBe(WEBHOOK_BACKOFF_MIN_MS);
    expect(webhookBackoffMs(3, () => 7)).toBe(webhookBackoffCeilingMs(3)); // bad rand clamped
  });

  it('spreads ~15 attempts over several hours in total', () => {
    const total = (rand: () => number) =>
      Array.from({ length: WEBHOOK_MAX_ATTEMPTS - 1 }, (_, i) => webhookBackoffMs(i + 1, rand)).reduce(
        (a, b) => a + b,
        0,
      );
    const worst = total(() => 1);
    const expected = total(() => 0.5);
    expect(worst).toBeGreaterThan(10 * HOUR);
    expect(worst).toBeLessThan(24 * HOUR);
    expect(expected).toBeGreaterThan(4 * HOUR);
    // a seeded pseudo-random run lands in between
    let seed = 42;
    const lcg = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const sampled = total(lcg);
    expect(sampled).toBeGreaterThan(HOUR);
    expect(sampled).toBeLessThan(worst);
  });
});

describe('webhookStatusError', () => {
  it('says a redirect is not followed, in the text and in its class', () => {
    expect(webhookStatusError(302)).toBe('HTTP 302: redirects are not followed; register the URL the endpoint redirects to');
    expect(errorClass(webhookStatusError(302))).toBe('HTTP 302 (redirects are not followed)');
    expect(webhookStatusError(503)).toBe('HTTP 503');
    expect(errorClass(webhookStatusError(503))).toBe('HTTP 503');
  });
});

describe('classifyWebhookResponse', () => {
  it.each([
    [200, 'delivered'],
    [204, 'delivered'],
    [299, 'delivered'],
    [410, 'gone'],
    [408, 'retry'],
    [429, 'retry'],
    [500, 'retry'],
    [503, 'retry'],
    [599, 'retry'],
    [400, 'fatal'],
    [401, 'fatal'],
    [404, 'fatal'],
    [413, 'fatal'],
    [301, 'fatal'],
    [101, 'fatal'],
  ] as const)('%s -> %s', (status, verdict) => {
    expect(classifyWebhookResponse(status)).toBe(verdict);
  });

  it('no response (network error, timeout) and nonsense statuses retry', () => {
    expect(classifyWebhookResponse(null, 'ECONNREFUSED')).toBe('retry');
    expect(classifyWebhookResponse(null, 'timeout after 10000 ms')).toBe('retry');
    expect(classifyWebhookResponse(0)).toBe('retry');
    expect(classifyWebhookResponse(999)).toBe('retry');
  });

  it('a target refused by the SSRF guard is fatal at once: waiting does not heal it', async () => {
    const refusal = await assertPublicUrl('http://127.0.0.1:9/hook').then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(refusal).toBeInstanceOf(SsrfError);
    expect(classifyWebhookResponse(null, refusal)).toBe('fatal');
    expect(classifyWebhookResponse(null, new SsrfError('scheme ftp: is not allowed'))).toBe('fatal');
    // Failures of a reachable endpoint still retry.
    expect(classifyWebhookResponse(null, new HttpError('network', 'ECONNREFUSED'))).toBe('retry');
    expect(classifyWebhookResponse(null, new HttpError('timeout', 'did not complete'))).toBe('retry');
  });
});

describe('parseRetryAfterMs / shouldPauseEndpoint', () => {
  it('parses seconds and HTTP dates, capped', () => {
    const now = new Date('2026-11-24T10:00:00Z');
    expect(parseRetryAfterMs('120', now)).toBe(120_000);
    expect(parseRetryAfterMs('Tue, 24 Nov 2026 10:05:00 GMT', now)).toBe(300_000);
    expect(parseRetryAfterMs('Tue, 24 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfterMs('999999', now)).toBe(WEBHOOK_BACKOFF_CAP_MS);
    expect(parseRetryAfterMs('soon', now)).toBeNull();
    expect(parseRetryAfterMs(undefined, now)).toBeNull();
  });
  it('pauses at the threshold', () => {
    expect(shouldPauseEndpoint(19)).toBe(false);
    expect(shouldPauseEndpoint(20)).toBe(true);
    expect(shouldPauseEndpoint(3, 3)).toBe(true);
  });
});

describe('failureStreak / failedMessageStreak', () => {
  it('counts failures, and restarts the streak after the last success', () => {
    expect(failureStreak([])).toEqual({ succeeded: false, failures: 0, trailingFailures: 0 });
    expect(failureStreak(['retry', 'fatal'])).toEqual({ succeeded: false, failures: 2, trailingFailures: 2 });
    expect(failureStreak(['retry', 'delivered', 'retry', 'gone'])).toEqual({
      succeeded: true,
      failures: 3,
      trailingFailures: 2,
    });
    expect(failureStreak(['retry', 'delivered'])).toEqual({ succeeded: true, failures: 1, trailingFailures: 0 });
  });

  const end = (verdict: WebhookVerdict) => ({ verdict, final: true });
  const again = { verdict: 'retry' as const, final: false };
  it('counts only messages that failed for good; a failed attempt that will be retried counts for nothing', () => {
    const burst = Array.from({ length: 50 }, () => again);
    expect(failedMessageStreak(burst)).toEqual({ succeeded: false, failures: 0, trailingFailures: 0 });
    expect(shouldPauseEndpoint(failedMessageStreak(burst).failures)).toBe(false);
    expect(failedMessageStreak([again, end('fatal'), again, end('retry')])).toEqual({
      succeeded: false,
      failures: 2,
      trailingFailures: 2,
    });
    // a delivery still resets the streak, whatever came before it
    expect(failedMessageStreak([end('fatal'), again, end('delivered'), again])).toEqual({
      succeeded: true,
      failures: 1,
      trailingFailures: 0,
    });
  });
});

describe('endpointPauseReason', () => {
  it('says what was counted: messages that failed for good', () => {
    expect(endpointPauseReason(20, 'HTTP 503')).toBe(
      'paused after 20 messages in a row failed for good (retries exhausted or refused), none delivered since; last: HTTP 503',
    );
    expect(endpointPauseReason(1, 'x')).toMatch(/^paused after 1 message failed for good/);
  });
});

describe('classifyMailError', () => {
  const smtp = (responseCode: number | undefined, command: string | undefined, message = 'x', code?: string) =>
    Object.assign(new Error(message), { responseCode, command, code });

  it('a permanent refusal of the recipient or the message is fatal, with the reply code only', () => {
    expect(classifyMailError(smtp(550, 'RCPT TO', '550 5.1.1 <a@relay.internal>: unknown'))).toEqual({
      verdict: 'fatal',
      error: 'the mail server refused this address (SMTP 550)',
      errorClass: 'SMTP 550',
    });
    expect(classifyMailError(smtp(554, 'DATA'))).toMatchObject({ verdict: 'fatal', error: 'the mail server refused this message (SMTP 554)' });
  });

  it('temporary refusals, refused senders or logins and transport failures are retried, naming nothing of the server', () => {
    expect(classifyMailError(smtp(451, 'RCPT TO'))).toMatchObject({ verdict: 'retry', error: 'the mail server deferred this message (SMTP 451)' });
    for (const e of [smtp(535, 'AUTH PLAIN'), smtp(553, 'MAIL FROM'), smtp(undefined, 'CONN', 'connect ECONNREFUSED 10.1.2.3:587'), 'boom', null])
      expect(classifyMailError(e)).toMatchObject({ verdict: 'retry', error: 'the mail server was not available' });
  });

  it('names the class of a mail-server failure for the operator, never its address', () => {
    const cases: [unknown, string][] = [
      [smtp(undefined, 'CONN', 'connect ECONNREFUSED 10.1.2.3:587', 'ESOCKET'), 'connection refused'],
      [smtp(undefined, 'CONN', 'Greeting never received', 'ETIMEDOUT'), 'timeout'],
      [smtp(undefined, 'CONN', 'Connection timeout', 'ETIMEDOUT'), 'timeout'],
      [smtp(421, 'CONN', '421 4.3.2 relay.internal busy', 'EPROTOCOL'), 'SMTP 421'],
      [smtp(553, 'MAIL FROM', 'sender refused', 'EENVELOPE'), 'SMTP 553'],
      [smtp(undefined, 'AUTH PLAIN', 'Invalid login', 'EAUTH'), 'authentication failed'],
      [smtp(undefined, 'STARTTLS', 'wrong version number', 'ETLS'), 'TLS failure'],
      ['boom', 'unavailable'],
    ];
    for (const [e, cls] of cases) expect(classifyMailError(e).errorClass).toBe(cls);
  });
});
