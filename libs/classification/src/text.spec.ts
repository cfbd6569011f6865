import { parseCsv } from './csv';
import { isHeldOut, parseTiagoftCsv } from './corpus';
import { clearWordCache, contentTokens, keepsAllWords, phraseKey } from './text';

describe('text', () => {
  it('normalises phrases so spelling variants meet', () => {
    expect(phraseKey('Mixture-of-Experts')).toBe(phraseKey('mixture of experts'));
    expect(phraseKey('LLMs')).toBe(phraseKey('LLM'));
    expect(contentTokens('We propose the adapters')).toEqual(['propose', 'adapter']);
  });

  it('tells apart words whose word-cache hashes collide, of the same length or not', () => {
    // (pairs with the same 32-bit hash of their characters, found by search: they share a probe sequence)
    for (const [a, b] of [
      ['m4fbn5r0', '6p0c84z1'],
      ['vqvnga', 'zhbbaaa'],
    ]) {
      clearWordCache();
      expect(contentTokens(`${a} ${b} ${a}`)).toEqual([a, b, a]);
      expect(contentTokens(`${b} ${a}`)).toEqual([b, a]);
    }
  });

  it('flags phrases that lose a word when normalised', () => {
    expect(keepsAllWords('p-tuning')).toBe(false);
    expect(keepsAllWords('X-ray imaging')).toBe(false);
    expect(keepsAllWords('mixture of experts')).toBe(true);
    expect(keepsAllWords('4-bit quantization')).toBe(true);
  });
});

describe('csv', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks', () => {
    expect(parseCsv('a,b\n"x, y","say ""hi""\nthere"\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"\nthere'],
    ]);
  });

  it('reads the tiagoft category list literal', () => {
    const [p] = parseTiagoftCsv('titles,summaries,terms\nT,"An\nabstract","[\'cs.CV\', \'cs.LG\']"\n');
    expect(p).toEqual({
      id: 'tiagoft:0',
      title: 'T',
      abstract: 'An abstract',
      categories: ['cs.CV', 'cs.LG'],
    });
  });

  it('splits deterministically', () => {
    const titles = Array.from({ length: 400 }, (_, i) => `paper ${i}`);
    const held = titles.filter((t) => isHeldOut(t));
    expect(held.length).toBeGreaterThan(40);
    expect(held.length).toBeLessThan(120);
    expect(titles.filter((t) => isHeldOut(t))).toEqual(held);
  });
});
