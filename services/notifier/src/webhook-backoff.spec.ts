import type { MinimalJob } from 'bullmq';
import { WEBHOOK_BACKOFF_CAP_MS } from '@paperwire/notifications';
import { deliverJobOptions } from './notifier-config';
import { RetryLaterError, WEBHOOK_BACKOFF_TYPE, webhookBackoffStrategy } from './webhook-backoff';

const jobWith = (delay?: number) =>
  ({ opts: { backoff: { type: WEBHOOK_BACKOFF_TYPE, delay } } }) as unknown as MinimalJob;
const draws = (n: number, attempt: number, job: MinimalJob, err = new Error('HTTP 503')) =>
  Array.from({ length: n }, () => webhookBackoffStrategy(attempt, WEBHOOK_BACKOFF_TYPE, err, job) as number);

describe('webhookBackoffStrategy', () => {
  it('follows the documented policy: full jitter in [1 s, min(2 h, 15 s × 2ⁿ⁻¹)]', () => {
    for (const [attempt, ceiling] of [
      [1, 15_000],
      [3, 60_000],
      [12, 2 * 3600_000],
    ] as const) {
      const d = draws(400, attempt, jobWith(15_000));
      expect(Math.min(...d)).toBeGreaterThanOrEqual(1_000);
      expect(Math.max(...d)).toBeLessThanOrEqual(ceiling);
      // Full jitter: the draws spread over the window, not around one value.
      expect(Math.max(...d) - Math.min(...d)).toBeGreaterThan(ceiling / 2);
    }
  });

  it('scales the whole policy with the job’s base delay (DELIVERY_BACKOFF_MS)', () => {
    const d = draws(400, 3, jobWith(200));
    expect(Math.max(...d)).toBeLessThanOrEqual(800);
    expect(Math.min(...d)).toBeGreaterThanOrEqual(13);
  });

  it('honours Retry-After up to the cap', () => {
    expect(
      webhookBackoffStrategy(1, WEBHOOK_BACKOFF_TYPE, new RetryLaterError('429', 42_000), jobWith(200)),
    ).toBe(42_000);
    expect(
      webhookBackoffStrategy(
        1,
        WEBHOOK_BACKOFF_TYPE,
        new RetryLaterError('429', 10 * 3600_000),
        jobWith(200),
      ),
    ).toBe(WEBHOOK_BACKOFF_CAP_MS);
  });

  it('leaves other backoff types alone', () => {
    expect(webhookBackoffStrategy(1, 'something-else', new Error('x'), jobWith(200))).toBe(-1);
  });
});

describe('deliverJobOptions', () => {
  it('uses the webhook policy, 15 s base unless configured', () => {
    const base = { DELIVERY_BACKOFF_MS: undefined } as unknown as Parameters<typeof deliverJobOptions>[0];
    expect(deliverJobOptions(base)).toEqual({ backoff: { type: 'webhook', delay: 15_000 } });
    expect(deliverJobOptions({ ...base, DELIVERY_BACKOFF_MS: 200 })).toEqual({
      backoff: { type: 'webhook', delay: 200 },
    });
  });
});
