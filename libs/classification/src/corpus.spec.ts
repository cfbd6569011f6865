import { createHash } from 'node:crypto';
import { isNonMl, nonMlSplit } from './corpus';
import { findRepoRoot, loadShippedCorpora } from './data-files';

describe('isNonMl (certain negatives for the topic heads)', () => {
  it('takes papers filed only under archives no ML paper is filed under', () => {
    expect(isNonMl(['hep-ph'])).toBe(true);
    expect(isNonMl(['cond-mat.str-el', 'math.MP'])).toBe(true);
    expect(isNonMl(['astro-ph'])).toBe(true);
  });

  it('keeps out any paper cross-listed to an ML-bearing archive, and papers with no categories', () => {
    expect(isNonMl(['physics.comp-ph'])).toBe(false);
    expect(isNonMl(['astro-ph', 'cs.LG'])).toBe(false);
    expect(isNonMl(['q-bio.NC'])).toBe(false);
    expect(isNonMl(['math.ST', 'stat.TH'])).toBe(false);
    expect(isNonMl(['eess.SP'])).toBe(false);
    expect(isNonMl([])).toBe(false);
  });
});

describe('nonMlSplit (certain negatives in training, the non-ML gate in evaluation)', () => {
  const sortedTitlesHash = (papers: { title: string }[]): string =>
    createHash('sha256')
      .update(
        papers
          .map((p) => p.title)
          .sort()
          .join('\n'),
      )
      .digest('hex');

  it('splits the shipped 2007 snapshot into the same 1,458 training and 350 held-out papers as session 18', () => {
    const { train, heldOut } = nonMlSplit(loadShippedCorpora(findRepoRoot(__dirname)).gechhai);
    expect(heldOut).toHaveLength(350);
    expect(sortedTitlesHash(heldOut)).toBe(
      'b7c6553f99398bb2e4b8d9d1686e44518c523d91b0ff16af03c82af0480359b4',
    );
    expect(train).toHaveLength(1458);
    expect(sortedTitlesHash(train)).toBe('6b3c61804b0c96e504ac555a8dba5788eddee085d80967f5f305e4eac6045c4e');
    const trained = new Set(train.map((p) => p.title));
    expect(heldOut.filter((p) => trained.has(p.title))).toEqual([]);
  });

  it('takes only non-ML papers with a title and an abstract, held out by isHeldOut(title)', () => {
    const paper = (title: string, abstract: string, categories: string[]) => ({
      id: title,
      title,
      abstract,
      categories,
    });
    // titles chosen for their isHeldOut value: 'c' held out, 'a' not
    const { train, heldOut } = nonMlSplit([
      paper('a', 'x', ['hep-ph']),
      paper('c', 'x', ['hep-ph']),
      paper('a', '', ['hep-ph']),
      paper('a', 'x', ['cs.LG']),
      paper('', 'x', ['hep-ph']),
    ]);
    expect(train.map((p) => p.title)).toEqual(['a']);
    expect(heldOut.map((p) => p.title)).toEqual(['c']);
  });
});
