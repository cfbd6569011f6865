import { createLocalPolitenessGate, POLITENESS_GUARD_MS } from './politeness-gate';

describe('createLocalPolitenessGate', () => {
  let now = 1_000_000;
  beforeEach(() => {
    jest.spyOn(Date, 'now').mockImplementation(() => now);
  });
  afterEach(() => jest.restoreAllMocks());

  it('reserves consecutive slots per host, minInterval apart', async () => {
    const waits: number[] = [];
    const gate = createLocalPolitenessGate(async (ms) => void waits.push(ms));
    await Promise.all([
      gate.acquire('export.arxiv.org', 3000),
      gate.acquire('export.arxiv.org', 3000),
      gate.acquire('Export.arXiv.org', 3000),
    ]);
    expect(waits).toEqual([3000 + POLITENESS_GUARD_MS, 6000 + 2 * POLITENESS_GUARD_MS]);
  });

  it('does not make other hosts wait, and frees a host once its interval has passed', async () => {
    const waits: number[] = [];
    const gate = createLocalPolitenessGate(async (ms) => void waits.push(ms));
    await gate.acquire('a.example', 1000);
    await gate.acquire('b.example', 1000);
    expect(waits).toEqual([]);
    now += 400;
    await gate.acquire('a.example', 1000);
    expect(waits).toEqual([600 + POLITENESS_GUARD_MS]);
    now += 5000;
    await gate.acquire('a.example', 1000);
    expect(waits).toEqual([600 + POLITENESS_GUARD_MS]);
  });
});
