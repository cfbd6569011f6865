import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { METRIC_EXTRACTOR_V8_FLAGS } from '@paperwire/config';

// (the module sets the flags when it is imported: node:v8 is mocked so that this spec's own V8 is left alone)
const setFlags = jest.fn();
jest.mock('node:v8', () => ({ setFlagsFromString: (flag: string) => setFlags(flag) }));

describe('the metric-extractor V8 flags', () => {
  it('sets every flag of METRIC_EXTRACTOR_V8_FLAGS when the module is imported', async () => {
    await import('./v8-flags');
    expect(METRIC_EXTRACTOR_V8_FLAGS).toContain('--interrupt-budget=400000');
    expect(setFlags.mock.calls.map(([f]) => f)).toEqual([...METRIC_EXTRACTOR_V8_FLAGS]);
  });

  it('is imported by main.ts before the extractor and the service kit are', () => {
    const imports = [
      ...readFileSync(join(__dirname, 'main.ts'), 'utf8').matchAll(/^import\s+(?:.*from\s+)?'([^']+)'/gm),
    ].map((m) => m[1]);
    expect(imports.slice(0, 2)).toEqual(['./instrument', './v8-flags']);
  });
});
