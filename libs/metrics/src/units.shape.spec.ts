import { tokenize } from './numbers';
import { readClaim } from './spans';
import { readUnit } from './units';

// Every unit and every draft has one shape (the same fields in the same order): a unit or draft of another shape, met
// first in text the warm extractor has not read, deoptimizes every function it reaches (metrics-parity: outputs unchanged).
const TEXT =
  'It gains 5% and 3.1 F1 points, runs 2.1x faster with 7B parameters and 12 GB of memory, in a 5-year study of 26 tasks ' +
  'and 1.2-trillion-token data at 162G FLOPs; $34$ billion parameters, 85.3~\\% and \\textbf{10.57}$\\times$, 208 slides per ' +
  'hour, two hours, 40 km, from 0.54 to 0.26, 12-26% and 98.9% (vs. 78.2%).';

describe('units and drafts have one shape', () => {
  const tokens = tokenize(TEXT);
  const units = tokens.map((t) => readUnit(TEXT, t)).filter((u) => u !== null);

  it('reads units of every kind from the text (else the shapes compared below prove little)', () => {
    const kinds = new Set(units.map((u) => u.unit));
    for (const k of ['%', 'pp', 'x', 'params', 'bytes', 'count', 'tokens', 'other'])
      expect(kinds).toContain(k);
    expect(units.some((u) => u.duration)).toBe(true);
    expect(units.some((u) => u.noun)).toBe(true);
    expect(
      units.some((u) => u.text.startsWith('$') || u.text.startsWith('}') || u.text.startsWith('~')),
    ).toBe(true);
  });

  it('gives every unit the same keys in the same order', () => {
    for (const u of units)
      expect(Object.keys(u)).toEqual(['unit', 'text', 'factor', 'unitText', 'noun', 'duration']);
  });

  it('gives every draft the same keys in the same order', () => {
    const keys = new Set<string>();
    for (let i = 0; i < tokens.length; i++) {
      const d = readClaim(TEXT, tokens, i);
      if (d) keys.add(Object.keys(d).join(','));
    }
    expect([...keys]).toEqual(['start,end,value,low,unit,baseline,consumedUntil,isWord']);
  });
});
