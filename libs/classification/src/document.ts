import { contentSegments } from './text';

export interface PaperText {
  title: string;
  abstract: string;
}

/** A paper turned into the n-gram sets every scorer reads; built once per classify() call. */
export interface PaperDocument {
  /** 1-3-grams of the title */
  title: Set<string>;
  /** counts of 1-3-grams of the abstract */
  abstract: Map<string, number>;
  /** counts of unigrams + bigrams of title and abstract (the tf-idf / naive Bayes view) */
  terms: Map<string, number>;
  /** the content tokens per sentence the views were built from (the learned model's features reuse them) */
  segments: { title: string[][]; abstract: string[][] };
}

/**
 * The keys a scorer will look up in a document's title / abstract views (topic phrases, contribution cues).
 * Given to buildDocument, it keeps only those n-grams in the two views and builds a trigram only where one
 * can match; `terms` is complete either way. Lookups of these keys then answer exactly as on the full views.
 */
export interface GramVocabulary {
  keys: Set<string>;
  /** the first two tokens of every three-token key */
  trigramPrefixes: Set<string>;
}

export function gramVocabulary(keys: Iterable<string>): GramVocabulary {
  const vocab: GramVocabulary = { keys: new Set(), trigramPrefixes: new Set() };
  for (const key of keys) {
    vocab.keys.add(key);
    const words = key.split(' ');
    if (words.length === 3) vocab.trigramPrefixes.add(`${words[0]} ${words[1]}`);
  }
  return vocab;
}

export function buildDocument(paper: PaperText, vocabulary?: GramVocabulary): PaperDocument {
  const title = new Set<string>();
  const abstract = new Map<string, number>();
  const terms = new Map<string, number>();
  // One pass per sentence builds the 1-3-gram views and the 1-2-gram term counts together; n-grams never
  // span a sentence break ("... text-guided editing. We benchmark ..." is not "editing benchmark").
  const segments = { title: contentSegments(paper.title), abstract: contentSegments(paper.abstract) };
  for (const tokens of segments.title) addGrams(tokens, terms, vocabulary, (g) => void title.add(g));
  for (const tokens of segments.abstract)
    addGrams(tokens, terms, vocabulary, (g) => void abstract.set(g, (abstract.get(g) ?? 0) + 1));
  return { title, abstract, terms, segments };
}

/**
 * Counts the unigrams and bigrams of one segment into `terms` and hands its 1-3-grams (those in
 * `vocabulary`, if given) to `view`, position by position: the insertion order of `terms` is the order the
 * tf-idf sums are taken in, so it must not change.
 */
function addGrams(
  tokens: string[],
  terms: Map<string, number>,
  vocabulary: GramVocabulary | undefined,
  view: (gram: string) => void,
): void {
  const keep = (g: string): boolean => vocabulary === undefined || vocabulary.keys.has(g);
  const n = tokens.length;
  for (let i = 0; i < n; i++) {
    const a = tokens[i];
    if (keep(a)) view(a);
    terms.set(a, (terms.get(a) ?? 0) + 1);
    if (i + 1 >= n) break;
    const ab = a + ' ' + tokens[i + 1];
    if (keep(ab)) view(ab);
    terms.set(ab, (terms.get(ab) ?? 0) + 1);
    if (i + 2 < n && (vocabulary === undefined || vocabulary.trigramPrefixes.has(ab))) {
      const abc = ab + ' ' + tokens[i + 2];
      if (keep(abc)) view(abc);
    }
  }
}

export type SparseVector = Map<string, number>;

// Property lookups on a 40k-key JSON object are several times slower than a Map, so each idf table is
// converted once and cached by identity.
const idfMaps = new WeakMap<Record<string, number>, Map<string, number>>();
function idfMap(idf: Record<string, number>): Map<string, number> {
  let m = idfMaps.get(idf);
  if (!m) idfMaps.set(idf, (m = new Map(Object.entries(idf))));
  return m;
}

/** L2-normalised tf-idf vector with sublinear tf. */
export function tfidfVector(
  terms: Map<string, number>,
  idf: Record<string, number>,
  defaultIdf: number,
): SparseVector {
  const table = idfMap(idf);
  const v: SparseVector = new Map();
  let norm = 0;
  for (const [t, c] of terms) {
    const w = (c === 1 ? 1 : 1 + Math.log(c)) * (table.get(t) ?? defaultIdf);
    v.set(t, w);
    norm += w * w;
  }
  if (norm > 0) {
    const inv = 1 / Math.sqrt(norm);
    for (const [t, w] of v) v.set(t, w * inv);
  }
  return v;
}

export function cosine(a: SparseVector, b: SparseVector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [t, w] of small) {
    const o = large.get(t);
    if (o !== undefined) dot += w * o;
  }
  return Math.max(0, Math.min(1, dot));
}

/** Normalised mean of several normalised vectors (nearest-centroid profile). */
export function centroid(vectors: SparseVector[]): SparseVector {
  const sum: SparseVector = new Map();
  for (const v of vectors) for (const [t, w] of v) sum.set(t, (sum.get(t) ?? 0) + w);
  let norm = 0;
  for (const w of sum.values()) norm += w * w;
  if (norm > 0) {
    const inv = 1 / Math.sqrt(norm);
    for (const [t, w] of sum) sum.set(t, w * inv);
  }
  return sum;
}
