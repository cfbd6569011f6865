import { claimsOf, diffClaims } from './claims-diff';
import { diffWords } from './text-diff';

const join = (parts: { op: string; text: string }[], keep: string[]) => parts.filter((p) => keep.includes(p.op)).map((p) => p.text).join('');

describe('diffWords', () => {
  it('keeps both texts recoverable and marks only the changed words', () => {
    const a = 'We propose X, a fast kernel. It is 2x faster.';
    const b = 'We propose X, an exact and fast kernel. It is 3x faster on GPUs.';
    const parts = diffWords(a, b);
    expect(join(parts, ['same', 'added'])).toBe(b);
    expect(join(parts, ['same', 'removed'])).toBe(a);
    expect(parts.filter((p) => p.op === 'removed').map((p) => p.text.trim())).toEqual(['a', '2x faster.']);
    expect(parts.filter((p) => p.op === 'added').map((p) => p.text.trim())).toEqual(['an exact and', '3x faster on GPUs.']);
  });

  it('handles identical, empty and wholly different texts', () => {
    expect(diffWords('same text', 'same text')).toEqual([{ op: 'same', text: 'same text' }]);
    expect(diffWords('', '')).toEqual([]);
    expect(diffWords('', 'new')).toEqual([{ op: 'added', text: 'new' }]);
    expect(diffWords('old words', 'new words')).toEqual([
      { op: 'removed', text: 'old ' },
      { op: 'added', text: 'new ' },
      { op: 'same', text: 'words' },
    ]);
  });

  it('keeps the space between a common word and what follows it in one text only (review 25)', () => {
    expect(diffWords('Efficient Inference on Attention', 'Efficient Inference')).toEqual([
      { op: 'same', text: 'Efficient Inference ' },
      { op: 'removed', text: 'on Attention' },
    ]);
    expect(diffWords('Fast Inference', 'Fast Inference for All')).toEqual([
      { op: 'same', text: 'Fast Inference ' },
      { op: 'added', text: 'for All' },
    ]);
    expect(diffWords('A kernel', 'A faster kernel')).toEqual([
      { op: 'same', text: 'A ' },
      { op: 'added', text: 'faster ' },
      { op: 'same', text: 'kernel' },
    ]);
  });

  it('bounds its cost on huge inputs (replacement instead of an LCS table)', () => {
    const a = Array.from({ length: 5000 }, (_, i) => `a${i}`).join(' ');
    const b = Array.from({ length: 5000 }, (_, i) => `b${i}`).join(' ');
    const t = process.hrtime.bigint();
    const parts = diffWords(a, b);
    expect(Number(process.hrtime.bigint() - t) / 1e6).toBeLessThan(2000);
    expect(parts.map((p) => p.op)).toEqual(['removed', 'added']);
  });
});

describe('diffClaims (claims re-extracted from each version)', () => {
  it('reports changed numbers, added and removed claims, and ignores reordering', () => {
    const v1 = claimsOf('Our method is 1.8x faster than FlashAttention-2 and reduces memory by 35%. We evaluate on 12 tasks.');
    const v2 = claimsOf('Our method reduces memory by 52% and is 1.8x faster than FlashAttention-2. It reaches 71.2% accuracy on MMLU.');
    const changes = diffClaims(v1, v2);
    expect(changes.find((c) => c.change === 'changed')).toMatchObject({ before: expect.stringContaining('35%'), summary: expect.stringContaining('52%') });
    expect(changes.filter((c) => c.change === 'added').map((c) => c.summary)).toEqual([expect.stringContaining('71.2%')]);
    expect(changes.filter((c) => c.change === 'removed').map((c) => c.summary)).toEqual([expect.stringContaining('12')]);
    expect(changes.some((c) => c.summary.includes('1.8x'))).toBe(false);
    expect(diffClaims(v1, v1)).toEqual([]);
  });
});
