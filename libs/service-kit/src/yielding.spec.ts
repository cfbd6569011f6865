import { mapYielding } from './yielding';

const busy = (ms: number): void => {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    /* spin */
  }
};

describe('mapYielding', () => {
  it('maps in order, like Array.map', async () => {
    expect(await mapYielding([1, 2, 3], (x, i) => x * 10 + i)).toEqual([10, 21, 32]);
    expect(await mapYielding([], (x: number) => x)).toEqual([]);
  });

  it('lets timers run between slices of CPU-bound work', async () => {
    const ticks: number[] = [];
    const timer = setInterval(() => ticks.push(performance.now()), 1);
    const started = performance.now();
    await mapYielding(Array.from({ length: 40 }, (_, i) => i), () => busy(5), 20);
    clearInterval(timer);
    // 200 ms of work in 20 ms slices: the interval fired during the work, not only after it.
    expect(ticks.filter((t) => t - started < 190).length).toBeGreaterThanOrEqual(3);
  });

  it('does not yield when the work fits in one slice', async () => {
    let turns = 0;
    const counter = setImmediate(() => (turns += 1));
    await mapYielding([1, 2, 3], (x) => x, 1_000);
    // The loop got no turn during the map: the immediate has not run yet.
    expect(turns).toBe(0);
    clearImmediate(counter);
  });
});
