import { setImmediate as yieldToLoop } from 'node:timers/promises';

/**
 * `items.map(fn)` for CPU-bound work, giving the event loop a turn whenever `sliceMs` of work has run.
 * A stage classifies or extracts up to BATCH_SIZE papers per job; done in one synchronous pass, a loaded
 * pod blocked its loop for up to 1.8 s, longer than a Kubernetes probe's 1 s timeout, and held back the
 * job-lock renewals and the /metrics scrape. One turn costs microseconds; a slice of 20 ms keeps the
 * loop's delay bounded by about that much.
 */
export async function mapYielding<T, R>(items: readonly T[], fn: (item: T, index: number) => R, sliceMs = 20): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let sliceStart = performance.now();
  for (let i = 0; i < items.length; i++) {
    out[i] = fn(items[i], i);
    if (i + 1 < items.length && performance.now() - sliceStart >= sliceMs) {
      await yieldToLoop();
      sliceStart = performance.now();
    }
  }
  return out;
}
