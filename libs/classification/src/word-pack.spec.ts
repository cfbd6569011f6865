import { createClassifier } from './classifier';
import { findRepoRoot, loadDefaultModel, loadDefaultTaxonomy, loadShippedCorpora } from './data-files';
import { gramVocabulary } from './document';
import { readPaper, TermTable } from './paper-terms';
import { clearWordCache, contentTokens, wordCacheGeneration } from './text';
import { tokenHash, WORD_CACHE_ENTRIES } from './word-pack';

/** Adds made-up words to the word cache until `free` entries are left (`used` are in use). */
function leaveFree(used: number, free: number): void {
  const words = Array.from({ length: WORD_CACHE_ENTRIES - used - free }, (_, i) => `zq${i.toString(36)}x`);
  expect(contentTokens(words.join(' '))).toHaveLength(words.length);
}

/** The word-cache entries a paper takes in an empty cache: one per distinct lower-cased run of [a-z0-9]. */
const entriesOf = (p: { title: string; abstract: string }): number =>
  new Set(`${p.title} ${p.abstract}`.toLowerCase().match(/[a-z0-9]+/g)).size;

describe('word records (word-pack.ts)', () => {
  it('gives words whose token hashes collide a record each, in every term table', () => {
    // (a pair with the same tokenHash, found by search)
    const [a, b] = ['vwjelvf', 'nakmonv'];
    expect(tokenHash(a)).toBe(tokenHash(b));
    const vocabulary = gramVocabulary([]);
    const first = new TermTable([a], vocabulary);
    const second = new TermTable([b, 'other', a], vocabulary);
    clearWordCache();
    const ids = (table: TermTable): (string | null)[] => {
      const { terms } = readPaper({ title: '', abstract: `${a} ${b} ${a}. ${b}` }, table, vocabulary);
      return Array.from({ length: terms.size }, (_, k) => (terms.term[k] >= 0 ? table.text[terms.term[k]] : null));
    };
    // unigram a, bigram "a b", unigram b, bigram "b a"; each table's ids, the tables taking turns on the records
    for (let round = 0; round < 2; round++) {
      expect(ids(first)).toEqual([a, null, null, null]);
      expect(ids(second)).toEqual([a, null, b, null]);
    }
  });

  it('gives a paper the outputs of a fresh classifier when the word cache is emptied while it is read', () => {
    const classifier = createClassifier(loadDefaultTaxonomy(), loadDefaultModel());
    const { tiagoft } = loadShippedCorpora(findRepoRoot(__dirname));
    const papers = tiagoft.slice(0, 4).map((p) => ({ title: p.title, abstract: p.abstract, categories: [] }));
    for (const p of papers) {
      // the paper, new words, the paper again: its words' records are given to other words after the new ones
      const novel = Array.from({ length: 60 }, (_, i) => `yq${i.toString(36)}word`).join(' ');
      const q = { ...p, abstract: `${p.abstract} ${novel}. ${p.abstract}` };
      clearWordCache();
      const fresh = classifier.classify(q);
      for (const free of [15, 40]) {
        // the paper's words take the first entries and records, then the cache fills up within the new words
        clearWordCache();
        classifier.classify(p);
        leaveFree(entriesOf(p), free);
        const generation = wordCacheGeneration();
        expect(classifier.classify(q)).toEqual(fresh);
        expect(wordCacheGeneration()).toBe(generation + 1);
        // and again with all its words cached
        expect(classifier.classify(q)).toEqual(fresh);
      }
    }
  });
});
