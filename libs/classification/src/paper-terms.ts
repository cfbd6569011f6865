// The classifier's view of a paper by term id (see text.ts): the same n-grams as buildDocument(paper, vocabulary),
// read without building a string per bigram. One reader per classifier: what the classifier knows about a term
// (its tf-idf / naive Bayes entry, whether a topic phrase or cue can be it) is looked up once per term id and kept.
import type { GramVocabulary } from './document';
import {
  beginTermPaper,
  bigramId,
  fitInt32,
  newTokenRun,
  termCount,
  termGeneration,
  termString,
  tokenIdsInto,
  type TokenRun,
} from './text';

/** A paper read by term id; valid until the reader's next read() (its arrays are reused). */
export interface PaperTerms {
  /** content tokens per sentence, as term ids */
  title: TokenRun;
  abstract: TokenRun;
  /** distinct unigram and bigram ids of title + abstract, first-seen order: buildDocument's `terms` order */
  terms: Int32Array;
  termLength: number;
  /** occurrences of each term of `terms`, indexed by term id */
  counts: Int32Array;
  /** buildDocument(paper, vocabulary)'s title and abstract views */
  titleView: Set<string>;
  abstractView: Map<string, number>;
}

const RESOLVED = 1;
const IN_VOCABULARY = 2;
const TRIGRAM_PREFIX = 4;
const DETAILED = 8;

// Per-paper scratch shared by every reader (JS is single-threaded): counts and first-seen stamps by term id.
let counts: Int32Array = new Int32Array(1 << 16);
let stamps: Int32Array = new Int32Array(1 << 16);
let stamp = 0;
let termList: Int32Array = new Int32Array(1024);
const titleRun = newTokenRun();
const abstractRun = newTokenRun();

export class TermReader<T> {
  private generation = -1;
  private flags = new Uint8Array(0);
  private infos: (T | undefined)[] = [];
  private values = new Float64Array(0);

  /**
   * `lookup` gives what the reader's owner keeps for a term string (undefined: nothing); `value` a number of it
   * kept by id in a typed array, and `detailed` whether the owner needs more of it than that number.
   */
  constructor(
    private readonly vocabulary: GramVocabulary,
    private readonly lookup: (term: string) => T | undefined,
    private readonly value: (info: T | undefined) => number = () => 0,
    private readonly detailed: (info: T | undefined) => boolean = (info) => info !== undefined,
  ) {}

  private flagsOf(id: number): number {
    const f = this.flags[id];
    if (f !== 0) return f;
    const t = termString(id);
    const info = this.lookup(t);
    this.infos[id] = info;
    this.values[id] = this.value(info);
    const v = this.vocabulary;
    return (this.flags[id] =
      RESOLVED |
      (v.keys.has(t) ? IN_VOCABULARY : 0) |
      (v.trigramPrefixes.has(t) ? TRIGRAM_PREFIX : 0) |
      (this.detailed(info) ? DETAILED : 0));
  }

  /** What `lookup` gave for a term id of the last paper read, when `detailed` was true of it (else undefined). */
  info(id: number): T | undefined {
    return this.flags[id] & DETAILED ? this.infos[id] : undefined;
  }

  /** `value` of each term id of the last paper read, by id (valid until the next read). */
  valueArray(): Float64Array {
    return this.values;
  }

  read(paper: { title: string; abstract: string }): PaperTerms {
    beginTermPaper();
    if (this.generation !== termGeneration()) {
      this.generation = termGeneration();
      this.flags = new Uint8Array(0);
      this.infos = [];
      this.values = new Float64Array(0);
    }
    tokenIdsInto(paper.title, titleRun);
    tokenIdsInto(paper.abstract, abstractRun);
    stamp = (stamp + 1) | 0 || 1;
    const titleView = new Set<string>();
    const abstractView = new Map<string, number>();
    const addTitle = (g: string): void => void titleView.add(g);
    const addAbstract = (g: string): void => void abstractView.set(g, (abstractView.get(g) ?? 0) + 1);
    let length = this.grams(titleRun, 0, addTitle);
    length = this.grams(abstractRun, length, addAbstract);
    return {
      title: titleRun,
      abstract: abstractRun,
      terms: termList,
      termLength: length,
      counts,
      titleView,
      abstractView,
    };
  }

  /** buildDocument's addGrams over every segment of `run`, by id; returns the new length of termList. */
  private grams(run: TokenRun, length: number, view: (gram: string) => void): number {
    const ids = run.ids;
    let from = 0;
    for (let s = 0; s < run.segments; s++) {
      const to = run.ends[s];
      for (let i = from; i < to; i++) {
        const a = ids[i];
        length = this.count(a, length);
        if (this.flagsOf(a) & IN_VOCABULARY) view(termString(a));
        if (i + 1 >= to) break;
        const ab = bigramId(a, ids[i + 1]);
        length = this.count(ab, length);
        const f = this.flagsOf(ab);
        if (f & IN_VOCABULARY) view(termString(ab));
        if (f & TRIGRAM_PREFIX && i + 2 < to) {
          const abc = `${termString(ab)} ${termString(ids[i + 2])}`;
          if (this.vocabulary.keys.has(abc)) view(abc);
        }
      }
      from = to;
    }
    return length;
  }

  private count(id: number, length: number): number {
    if (id >= this.flags.length) this.grow();
    if (stamps[id] === stamp) {
      counts[id]++;
      return length;
    }
    stamps[id] = stamp;
    counts[id] = 1;
    termList = fitInt32(termList, length + 1);
    termList[length] = id;
    return length + 1;
  }

  private grow(): void {
    const size = Math.max(1024, termCount() * 2);
    const flags = new Uint8Array(size);
    flags.set(this.flags);
    this.flags = flags;
    const values = new Float64Array(size);
    values.set(this.values);
    this.values = values;
    // pushed, not assigned past the end: the array stays a packed one
    while (this.infos.length < size) this.infos.push(undefined);
    counts = fitInt32(counts, size);
    stamps = fitInt32(stamps, size);
  }
}
