// The classifier's reading of a paper by term id: the same unigram / bigram counts (in the same first-seen order)
// and the same vocabulary views as buildDocument(paper, vocabulary), without building a string for every bigram
// and without a string-keyed Map per paper. The terms a classifier knows (its term index, its vocabulary and the
// tokens of their bigrams) are numbered once (TermTable): a token's id and flags are looked up by its text once
// per word record (word-pack.ts) and kept there, a bigram's by its two tokens' ids in a typed open-addressing table. A paper's terms, most of them bigrams
// the classifier does not know, are counted in a small reused table keyed by the learned model's hashed body
// feature of the term (from its tokens' word records) and checked against their tokens, so hash collisions only cost
// a probe; the model then counts its body block from these counts instead of from the tokens again.
import type { GramVocabulary, PaperDocument } from './document';
import type { PaperSegments } from './linear';
import { contentSegments, paperRecords, resetSink, tokenSink, wordCacheGeneration } from './text';
import {
  BODY_UNI,
  fmix,
  NS_BODY_BI,
  pairHash,
  STRIDE,
  TERM_FLAGS,
  TERM_ID,
  TERM_OWNER,
  tokenHash,
  WORD_HASH,
  wordPack,
} from './word-pack';

const NS_UNI = 0x2545f491;

/** the learned model's 32-bit finaliser, as a signed int (a small integer to V8, never a boxed number) */
const mix = (h: number): number => fmix(h) | 0;

/** The key of a unigram in a TermTable, from tokenHash of its token. */
const unigramKey = (a: number): number => mix(a ^ NS_UNI);

/**
 * Term flags: the term is a vocabulary key / the first two tokens of a three-token vocabulary key / a token that
 * is the first / the second token of a known bigram.
 */
const IN_VOCABULARY = 1;
const TRIGRAM_PREFIX = 2;
const LEFT = 4;
const RIGHT = 8;
const FILTER_BITS = 18;
/** a PaperTerms entry whose term id is not looked up yet */
const UNRESOLVED = -2;
/** TermTable serial numbers, what a word record's TERM_OWNER names (from 1) */
let tableSerials = 0;

const pairKey = (a: number, b: number): number => mix(Math.imul(a, 0x9e3779b1) ^ b);

/** An open-addressing table at most half full: its slot count (a power of two) for `n` entries. */
function slotsFor(n: number): number {
  let size = 1024;
  while (size < 2 * n) size *= 2;
  return size;
}

/**
 * The unigrams and bigrams a classifier knows, numbered: the terms given first (ids 0 .. indexed-1, in their
 * order), then the vocabulary's one- and two-token keys and the tokens of known bigrams not among them. A token is
 * found by its text (once per word-cache entry, then by the entry), a bigram by its two tokens' ids.
 */
export class TermTable {
  /** id -> the term's text */
  readonly text: string[] = [];
  /** number of ids given to the terms passed in (the rest are vocabulary keys or tokens of bigrams only) */
  readonly indexed: number;
  private flags: Uint8Array;
  /** unigrams: [unigramKey, id + 1] per slot (0 = empty) */
  private uni: Int32Array;
  private uniMask: number;
  /** bigrams: [left token id, right token id, id + 1] per slot (0 = empty) */
  private bi: Int32Array;
  private biMask: number;
  /**
   * One bit per value of a bigram key's top FILTER_BITS bits, set for the known bigrams: most pairs of known
   * tokens in a new paper are not a known bigram, and this 32 KB filter turns most of them away before `bi`.
   */
  private filter = new Int32Array(1 << (FILTER_BITS - 5));
  /** this table's serial number, in the word records whose token ids it looked up */
  private readonly serial = ++tableSerials;

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
    let bigrams = 0;
    for (const t of [...ids.keys()]) {
      const space = t.indexOf(' ');
      if (space < 0) continue;
      bigrams++;
      flag(t.slice(0, space), LEFT);
      flag(t.slice(space + 1), RIGHT);
    }
    this.flags = new Uint8Array(ids.size);
    for (const [t, id] of ids) {
      this.text.push(t);
      this.flags[id] = flagOf.get(t) ?? 0;
    }
    const uniSize = slotsFor(ids.size - bigrams);
    this.uni = new Int32Array(2 * uniSize);
    this.uniMask = uniSize - 1;
    const biSize = slotsFor(bigrams);
    this.bi = new Int32Array(3 * biSize);
    this.biMask = biSize - 1;
    for (const [t, id] of ids) {
      const space = t.indexOf(' ');
      if (space < 0) {
        const key = unigramKey(tokenHash(t));
        let s = key & this.uniMask;
        while (this.uni[2 * s + 1] !== 0) s = (s + 1) & this.uniMask;
        this.uni[2 * s] = key;
        this.uni[2 * s + 1] = id + 1;
        continue;
      }
      const ia = ids.get(t.slice(0, space)) as number;
      const ib = ids.get(t.slice(space + 1)) as number;
      const key = pairKey(ia, ib);
      let s = key & this.biMask;
      while (this.bi[3 * s + 2] !== 0) s = (s + 1) & this.biMask;
      this.bi[3 * s] = ia;
      this.bi[3 * s + 1] = ib;
      this.bi[3 * s + 2] = id + 1;
      const f = key >>> (32 - FILTER_BITS);
      this.filter[f >>> 5] |= 1 << (f & 31);
    }
  }

  /** The id of a token (its tokenHash `hash`); -1 when it is not known. */
  unigram(token: string, hash: number): number {
    const { uni, uniMask } = this;
    const key = unigramKey(hash);
    for (let s = key & uniMask; ; s = (s + 1) & uniMask) {
      const id = uni[2 * s + 1] - 1;
      if (id < 0) return -1;
      if (uni[2 * s] === key && this.text[id] === token) return id;
    }
  }

  /**
   * unigram(token, hash) for the token of word record `r` (word-pack.ts), remembered in the record with the id's
   * flags (its TERM_ID, TERM_FLAGS); returns the record's offset in wordPack.
   */
  resolve(r: number, token: string, hash: number): number {
    const p = wordPack;
    const o = r * STRIDE;
    if (p[o + TERM_OWNER] !== this.serial) {
      const id = this.unigram(token, hash);
      p[o + TERM_ID] = id;
      p[o + TERM_FLAGS] = this.flagsOf(id);
      p[o + TERM_OWNER] = this.serial;
    }
    return o;
  }

  /**
   * The id of the bigram of the tokens with ids `a` and `b` (-1 for an unknown token), whose flags are `fa` and
   * `fb` (flagsOf); -1 when not known.
   */
  bigram(a: number, fa: number, b: number, fb: number): number {
    if ((fa & LEFT) === 0 || (fb & RIGHT) === 0) return -1;
    const key = pairKey(a, b);
    const f = key >>> (32 - FILTER_BITS);
    if ((this.filter[f >>> 5] & (1 << (f & 31))) === 0) return -1;
    const { bi, biMask } = this;
    for (let s = key & biMask; ; s = (s + 1) & biMask) {
      const id = bi[3 * s + 2] - 1;
      if (id < 0) return -1;
      if (bi[3 * s] === a && bi[3 * s + 1] === b) return id;
    }
  }

  flagsOf(id: number): number {
    return id < 0 ? 0 : this.flags[id];
  }
}

/**
 * A paper's unigram and bigram counts, entry k in first-seen order: `count[k]` occurrences of the term with id
 * `term[k]` in the classifier's TermTable (-1 when unknown; UNRESOLVED until the caller sets it, right after the
 * entry is added), keyed by `key[k]`; a unigram's word record is `record[k]` (-1 for a bigram), and `first[k]` is
 * the position of the token (a bigram's first token) where the term was first seen. One reused instance: valid
 * while `serial` is unchanged (until the next paper is read).
 */
export class PaperTerms {
  /** slot -> entry + 1 (0 = empty); at most half full */
  private table = new Int32Array(2048);
  key = new Int32Array(1024);
  private slot = new Int32Array(1024);
  private left: string[] = [];
  private right: (string | null)[] = [];
  count = new Int32Array(1024);
  term = new Int32Array(1024);
  record = new Int32Array(1024);
  first = new Int32Array(1024);
  size = 0;
  /** incremented whenever the counts are cleared for another paper */
  serial = 0;

  /**
   * Counts one occurrence, at token position `at`, of the term with this key (readPaper: the model's body feature
   * of its tokens) whose unigram token has word record `record` (-1: a bigram); returns its entry.
   */
  add(key: number, left: string, right: string | null, record: number, at: number): number {
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
      return this.add(key, left, right, record, at);
    }
    const k = this.size++;
    this.key[k] = key;
    this.slot[k] = s;
    this.left[k] = left;
    this.right[k] = right;
    this.count[k] = 1;
    this.term[k] = UNRESOLVED;
    this.record[k] = record;
    this.first[k] = at;
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
    this.record = widen(this.record);
    this.first = widen(this.first);
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

  /** The token of unigram entry k. */
  token(k: number): string {
    return this.left[k];
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
    this.serial++;
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
  resetSink(sink);
  const segments: PaperSegments = {
    // (the generation before the tokens are read: if the cache is emptied while they are, their records are not
    // used, paperRecords finds the tokens' records by text instead)
    generation: wordCacheGeneration(),
    title: contentSegments(paper.title, sink),
    abstract: contentSegments(paper.abstract, sink),
    // each token's word record, for the term pass and the learned model
    sink,
    sinkSerial: sink.serial,
    // the counts below, for the learned model's body block
    terms,
    termsSerial: terms.serial,
  };
  const records = paperRecords(segments);
  let at = 0;
  for (const tokens of segments.title)
    at = addGrams(tokens, records, at, terms, known, vocabulary, (g) => void title.add(g));
  for (const tokens of segments.abstract)
    at = addGrams(
      tokens,
      records,
      at,
      terms,
      known,
      vocabulary,
      (g) => void abstract.set(g, (abstract.get(g) ?? 0) + 1),
    );
  return { title, abstract, terms, segments };
}

/**
 * document.ts's addGrams by term id; the segment's token hashes and word records start at sink.hashes[at] /
 * records[at]. Returns the position after the segment.
 */
function addGrams(
  tokens: string[],
  records: Int32Array,
  at: number,
  terms: PaperTerms,
  known: TermTable,
  vocabulary: GramVocabulary,
  view: (gram: string) => void,
): number {
  const { hashes } = sink;
  const p = wordPack;
  const n = tokens.length;
  // the current token's record offset in wordPack, its term id and flags resolved
  let oa = n > 0 ? known.resolve(records[at], tokens[0], hashes[at]) : -1;
  for (let i = 0; i < n; i++) {
    const a = tokens[i];
    const ka = terms.add(p[oa + BODY_UNI], a, null, records[at + i], at + i);
    if (terms.term[ka] === UNRESOLVED) terms.term[ka] = p[oa + TERM_ID];
    if (p[oa + TERM_FLAGS] & IN_VOCABULARY) view(a);
    if (i + 1 >= n) break;
    const b = tokens[i + 1];
    const ob = known.resolve(records[at + i + 1], b, hashes[at + i + 1]);
    // (as a signed int, as the counts keep their keys)
    const kb = terms.add(pairHash(p[oa + WORD_HASH], p[ob + WORD_HASH], NS_BODY_BI) | 0, a, b, -1, at + i);
    if (terms.term[kb] === UNRESOLVED)
      terms.term[kb] = known.bigram(p[oa + TERM_ID], p[oa + TERM_FLAGS], p[ob + TERM_ID], p[ob + TERM_FLAGS]);
    const flags = known.flagsOf(terms.term[kb]);
    oa = ob;
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
