// The classifier's reading of a paper by term hash: the same unigram / bigram counts (in the same first-seen
// order) and the same vocabulary views as buildDocument(paper, vocabulary), without building a string for every
// bigram and without a string-keyed Map per paper. A term is keyed by a 32-bit hash of its tokens' hashes
// (tokenHash, cached per word by the tokeniser) and always checked against its tokens, so hash collisions only
// cost a probe. The terms a classifier knows (its term index and its vocabulary) are numbered once, in a typed
// open-addressing table; a paper's terms, most of them bigrams the classifier does not know, are counted in a
// small reused table that is never keyed by string.
import type { GramVocabulary, PaperDocument } from './document';
import type { PaperSegments } from './linear';
import { contentSegments, tokenHash, tokenSink } from './text';

const NS_UNI = 0x2545f491;
const NS_BI = 0x6a09e667;

const mix = (h: number): number => {
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h | 0;
};

/** The key of a unigram / of the bigram "a b", from tokenHash of its tokens. */
export const unigramKey = (a: number): number => mix(a ^ NS_UNI);
export const bigramKey = (a: number, b: number): number => mix(Math.imul(a, 0x9e3779b1) ^ b ^ NS_BI);

/** Term flags: the term is a vocabulary key / the first two tokens of a three-token vocabulary key. */
const IN_VOCABULARY = 1;
const FILTER_BITS = 18;
const TRIGRAM_PREFIX = 2;

/** True when `text` is `left` (right null) or `left + ' ' + right`. */
function spells(text: string, left: string, right: string | null): boolean {
  if (right === null) return text === left;
  const n = left.length;
  if (text.length !== n + 1 + right.length || text.charCodeAt(n) !== 32) return false;
  for (let k = 0; k < n; k++) if (text.charCodeAt(k) !== left.charCodeAt(k)) return false;
  for (let k = 0; k < right.length; k++) if (text.charCodeAt(n + 1 + k) !== right.charCodeAt(k)) return false;
  return true;
}

/**
 * The unigrams and bigrams a classifier knows, numbered: the terms given first (ids 0 .. indexed-1, in their
 * order), then the vocabulary's one- and two-token keys not among them.
 */
export class TermTable {
  /** id -> the term's text */
  readonly text: string[] = [];
  /** number of ids given to the terms passed in (the rest are vocabulary keys only) */
  readonly indexed: number;
  private flags: Uint8Array;
  /** open addressing, two int32 per slot: the key and id + 1 (0 = empty); at most ~40% full */
  private slots: Int32Array;
  private mask: number;
  /**
   * One bit per value of a key's top FILTER_BITS bits, set for the known terms' keys: most of a new paper's
   * bigrams are unknown, and this 32 KB filter turns most of them away without a read of `slots` (1 MB).
   */
  private filter = new Int32Array(1 << (FILTER_BITS - 5));

  constructor(terms: Iterable<string>, vocabulary: GramVocabulary) {
    const ids = new Map<string, number>();
    for (const t of terms) if (!ids.has(t)) ids.set(t, ids.size);
    this.indexed = ids.size;
    const flagOf = new Map<string, number>();
    const flag = (t: string, f: number): void => {
      if (!ids.has(t)) ids.set(t, ids.size);
      flagOf.set(t, (flagOf.get(t) ?? 0) | f);
    };
    for (const key of vocabulary.keys) if (key !== '' && key.split(' ').length <= 2) flag(key, IN_VOCABULARY);
    for (const prefix of vocabulary.trigramPrefixes) flag(prefix, TRIGRAM_PREFIX);
    let size = 1024;
    while (size < 2.5 * ids.size) size *= 2;
    this.slots = new Int32Array(2 * size);
    this.mask = size - 1;
    this.flags = new Uint8Array(ids.size);
    for (const [t, id] of ids) {
      this.text.push(t);
      this.flags[id] = flagOf.get(t) ?? 0;
      const words = t.split(' ');
      const key =
        words.length === 1 ? unigramKey(tokenHash(t)) : bigramKey(tokenHash(words[0]), tokenHash(words[1]));
      let s = key & this.mask;
      while (this.slots[2 * s + 1] !== 0) s = (s + 1) & this.mask;
      this.slots[2 * s] = key;
      this.slots[2 * s + 1] = id + 1;
      const f = key >>> (32 - FILTER_BITS);
      this.filter[f >>> 5] |= 1 << (f & 31);
    }
  }

  /** The id of the term `left` (right null) or `left right` with this key; -1 when it is not known. */
  find(key: number, left: string, right: string | null): number {
    const f = key >>> (32 - FILTER_BITS);
    if ((this.filter[f >>> 5] & (1 << (f & 31))) === 0) return -1;
    const { slots, mask } = this;
    for (let s = key & mask; ; s = (s + 1) & mask) {
      const id = slots[2 * s + 1] - 1;
      if (id < 0) return -1;
      if (slots[2 * s] === key && spells(this.text[id], left, right)) return id;
    }
  }

  flagsOf(id: number): number {
    return id < 0 ? 0 : this.flags[id];
  }
}

/**
 * A paper's unigram and bigram counts, entry k in first-seen order: `count[k]` occurrences of the term with id
 * `term[k]` in the classifier's TermTable (-1 when unknown). One reused instance: valid until the next paper is
 * read.
 */
export class PaperTerms {
  /** slot -> entry + 1 (0 = empty); at most half full */
  private table = new Int32Array(2048);
  private key = new Int32Array(1024);
  private slot = new Int32Array(1024);
  private left: string[] = [];
  private right: (string | null)[] = [];
  count = new Int32Array(1024);
  term = new Int32Array(1024);
  size = 0;

  /** Counts one occurrence of the term; returns its entry. */
  add(key: number, left: string, right: string | null, known: TermTable): number {
    const t = this.table;
    const tm = t.length - 1;
    let s = key & tm;
    for (let e = t[s]; e !== 0; e = t[(s = (s + 1) & tm)]) {
      const k = e - 1;
      if (this.key[k] === key && this.left[k] === left && this.right[k] === right) {
        this.count[k]++;
        return k;
      }
    }
    if (this.size === this.key.length) {
      this.grow();
      return this.add(key, left, right, known);
    }
    const k = this.size++;
    this.key[k] = key;
    this.slot[k] = s;
    this.left[k] = left;
    this.right[k] = right;
    this.count[k] = 1;
    this.term[k] = known.find(key, left, right);
    t[s] = k + 1;
    return k;
  }

  private grow(): void {
    const cap = 2 * this.key.length;
    const widen = (a: Int32Array): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    this.key = widen(this.key);
    this.count = widen(this.count);
    this.term = widen(this.term);
    this.slot = new Int32Array(cap);
    this.table = new Int32Array(2 * cap);
    const tm = this.table.length - 1;
    for (let k = 0; k < this.size; k++) {
      let s = this.key[k] & tm;
      while (this.table[s] !== 0) s = (s + 1) & tm;
      this.table[s] = k + 1;
      this.slot[k] = s;
    }
  }

  /** Entry k's text (for tests and tools; the classifier never builds it). */
  gram(k: number): string {
    const right = this.right[k];
    return right === null ? this.left[k] : `${this.left[k]} ${right}`;
  }

  clear(): void {
    for (let k = 0; k < this.size; k++) {
      this.table[this.slot[k]] = 0;
      // drop the token strings, so the table keeps no paper's tokens alive
      this.left[k] = '';
      this.right[k] = null;
    }
    this.size = 0;
  }
}

/** What the classifier reads of a paper: buildDocument's views and segments, the term counts as PaperTerms. */
export type PaperReading = Pick<PaperDocument, 'title' | 'abstract'> & {
  terms: PaperTerms;
  segments: PaperSegments;
};

const scratchTerms = new PaperTerms();
const sink = tokenSink();

/**
 * buildDocument(paper, vocabulary) read by term hash; `known` must hold the vocabulary's keys (a TermTable built
 * with it). The counts are those of buildDocument's `terms`, in the same order; the views are equal.
 */
export function readPaper(
  paper: { title: string; abstract: string },
  known: TermTable,
  vocabulary: GramVocabulary,
): PaperReading {
  const title = new Set<string>();
  const abstract = new Map<string, number>();
  const terms = scratchTerms;
  terms.clear();
  sink.length = 0;
  const segments = {
    title: contentSegments(paper.title, sink),
    abstract: contentSegments(paper.abstract, sink),
    // the word cache entry of each token, for the learned model's per-word records
    entries: sink.entries,
  };
  let at = 0;
  for (const tokens of segments.title)
    at = addGrams(tokens, at, terms, known, vocabulary, (g) => void title.add(g));
  for (const tokens of segments.abstract)
    at = addGrams(
      tokens,
      at,
      terms,
      known,
      vocabulary,
      (g) => void abstract.set(g, (abstract.get(g) ?? 0) + 1),
    );
  return { title, abstract, terms, segments };
}

/** document.ts's addGrams by term hash; the segment's token hashes start at sink.hashes[at]. Returns the next. */
function addGrams(
  tokens: string[],
  at: number,
  terms: PaperTerms,
  known: TermTable,
  vocabulary: GramVocabulary,
  view: (gram: string) => void,
): number {
  const h = sink.hashes;
  const n = tokens.length;
  for (let i = 0; i < n; i++) {
    const a = tokens[i];
    const ha = h[at + i];
    if (known.flagsOf(terms.term[terms.add(unigramKey(ha), a, null, known)]) & IN_VOCABULARY) view(a);
    if (i + 1 >= n) break;
    const b = tokens[i + 1];
    const flags = known.flagsOf(terms.term[terms.add(bigramKey(ha, h[at + i + 1]), a, b, known)]);
    if (flags === 0) continue;
    const ab = a + ' ' + b;
    if (flags & IN_VOCABULARY) view(ab);
    if (i + 2 < n && flags & TRIGRAM_PREFIX) {
      const abc = ab + ' ' + tokens[i + 2];
      if (vocabulary.keys.has(abc)) view(abc);
    }
  }
  return at + n;
}
