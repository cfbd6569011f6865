// Topic-agnostic evidence features for one (paper, topic) pair. The calibration learns one weight per
// feature for all topics together, which is what lets a brand-new topic be scored like the shipped ones.
import { cosine, type PaperDocument, type PaperText, type SparseVector } from './document';
import type { Calibration } from './model';
import { phraseInText } from './text';
import type { Phrase, TopicProfile } from './topic-profile';

export const FEATURE_NAMES = [
  'kw_title',
  'kw_abstract',
  'kw_distinct',
  'kw_max',
  'weak',
  'desc_cos',
] as const;

export interface TopicEvidence {
  features: number[];
  exampleSimilarity: number | null;
  evidence: string[];
}

const MAX_COUNT = 3;

/** A topic phrase found in a paper. */
export interface PhraseMatch {
  phrase: Phrase;
  inTitle: boolean;
  /** occurrences in the abstract */
  count: number;
}

/** The phrases of one topic a paper contains, each list in the topic's phrase order. */
export interface TopicMatches {
  strong: readonly PhraseMatch[];
  weak: readonly PhraseMatch[];
}

interface Hits {
  title: number;
  abstract: number;
  distinct: number;
  /** weight of the most specific phrase that fired */
  max: number;
  labels: string[];
}

function findPhrases(doc: PaperDocument, phrases: Phrase[]): PhraseMatch[] {
  const found: PhraseMatch[] = [];
  for (const phrase of phrases) {
    const inTitle = doc.title.has(phrase.key);
    const count = doc.abstract.get(phrase.key) ?? 0;
    if (inTitle || count > 0) found.push({ phrase, inTitle, count });
  }
  return found;
}

const noHits = (): Hits => ({ title: 0, abstract: 0, distinct: 0, max: 0, labels: [] });

/**
 * Sums the matches in the order given (the topic's phrase order), so the float sums never change; into `hits`
 * (emptied first) when given. With the paper's text, each match gets a label quoting the words it was found on
 * (the title's when it is in the title), not the topic's phrase: "knowledge-based" matches on "knowledge" alone.
 */
function sumHits(
  matches: readonly PhraseMatch[],
  prefix: string,
  paper: PaperText | null,
  hits: Hits = noHits(),
): Hits {
  hits.title = hits.abstract = hits.distinct = hits.max = 0;
  for (let i = 0; i < matches.length; i++) {
    const { phrase: p, inTitle, count } = matches[i];
    hits.distinct++;
    hits.max = Math.max(hits.max, p.weight);
    if (inTitle) hits.title += p.weight;
    hits.abstract += p.weight * Math.min(count, MAX_COUNT);
    if (paper === null) continue;
    const quoted = phraseInText(inTitle ? paper.title : paper.abstract, p);
    // (always found when the matches were read from this text; a label is never made up without it)
    if (quoted !== null) hits.labels.push(`${prefix}"${quoted}"${inTitle ? ' (title)' : ''}${count > 1 ? ` x${count}` : ''}`);
  }
  return hits;
}

export interface PhraseIndex {
  /** every phrase key of every topic */
  keys(): IterableIterator<string>;
  /** per topic (in profile order), the phrases the paper contains */
  match(doc: Pick<PaperDocument, 'title' | 'abstract'>): TopicMatches[];
}

interface PhraseRef {
  topic: number;
  strong: boolean;
  /** position in the topic's strong or weak list */
  order: number;
  phrase: Phrase;
}

/**
 * Sorts a short array in place (a paper's few topics or phrase matches), stably: Array.prototype.sort allocates a work array of its own on
 * every call. `before` must order any two distinct elements (then every sort gives the same order).
 */
export function insertionSort<T>(a: T[], before: (x: T, y: T) => number): void {
  for (let i = 1; i < a.length; i++) {
    const x = a[i];
    let j = i - 1;
    for (; j >= 0 && before(a[j], x) > 0; j--) a[j + 1] = a[j];
    a[j + 1] = x;
  }
}

type OrderedMatch = PhraseMatch & { order: number };
const NO_MATCHES: TopicMatches = Object.freeze({ strong: Object.freeze([]), weak: Object.freeze([]) });
const byOrder = (a: OrderedMatch, b: OrderedMatch): number => a.order - b.order;

/**
 * All topics' phrases in one Map from key to the topics that use it: a paper's n-grams are looked up once,
 * instead of every topic looking up each of its phrases (800+ lookups per paper with the default taxonomy).
 * Gives the same matches, in the same order, as topicEvidence's per-topic scan.
 */
export function compilePhraseIndex(profiles: TopicProfile[]): PhraseIndex {
  const byKey = new Map<string, PhraseRef[]>();
  const add = (ref: PhraseRef): void => {
    const refs = byKey.get(ref.phrase.key);
    if (refs) refs.push(ref);
    else byKey.set(ref.phrase.key, [ref]);
  };
  profiles.forEach((p, topic) => {
    p.strong.forEach((phrase, order) => add({ topic, strong: true, order, phrase }));
    p.weak.forEach((phrase, order) => add({ topic, strong: false, order, phrase }));
  });
  return {
    keys: () => byKey.keys(),
    match(doc) {
      // Most topics match nothing in a given paper: they get the shared empty entry.
      const found: { strong: OrderedMatch[]; weak: OrderedMatch[] }[] = [];
      const visit = (key: string, inTitle: boolean, count: number): void => {
        const refs = byKey.get(key);
        if (!refs) return;
        for (const r of refs) {
          const f = (found[r.topic] ??= { strong: [], weak: [] });
          (r.strong ? f.strong : f.weak).push({ phrase: r.phrase, inTitle, count, order: r.order });
        }
      };
      // (forEach and an insertion sort: a paper's few matches then cost no iterator or sort garbage)
      doc.title.forEach((key) => visit(key, true, doc.abstract.get(key) ?? 0));
      doc.abstract.forEach((count, key) => {
        if (!doc.title.has(key)) visit(key, false, count);
      });
      return profiles.map((_, topic) => {
        const f = found[topic];
        if (!f) return NO_MATCHES;
        insertionSort(f.strong, byOrder);
        insertionSort(f.weak, byOrder);
        return f;
      });
    },
  };
}

export interface TopicSimilarity {
  /** cosine of the paper's tf-idf vector with the topic's name/description/keywords vector */
  description: number;
  /** cosine with the centroid of the topic's example papers, null without examples */
  examples: number | null;
}

/** The similarities by plain cosine (the classifier computes the same numbers in one pass over a term index). */
export function topicSimilarity(docVector: SparseVector, topic: TopicProfile): TopicSimilarity {
  return {
    description: cosine(docVector, topic.vector),
    examples: topic.examples ? cosine(docVector, topic.examples) : null,
  };
}

/**
 * Features and, given the text `doc` was built from, evidence; without it (null: the hot path for topics that end
 * below threshold, and the training scripts) the features alone.
 */
export function topicEvidence(
  doc: PaperDocument,
  topic: TopicProfile,
  sim: TopicSimilarity,
  paper: PaperText | null,
): TopicEvidence {
  const matches = { strong: findPhrases(doc, topic.strong), weak: findPhrases(doc, topic.weak) };
  return evidenceOf(matches, sim, paper);
}

/** topicEvidence from phrase matches already found (by findPhrases or a PhraseIndex) in `paper`. */
export function evidenceOf(matches: TopicMatches, sim: TopicSimilarity, paper: PaperText | null): TopicEvidence {
  const strong = sumHits(matches.strong, 'keyword ', paper);
  const weak = sumHits(matches.weak, 'term ', paper);
  const desc = sim.description;
  const features = fillFeatures(
    strong,
    weak,
    desc,
    FEATURE_NAMES.map(() => 0),
  );
  const exampleSimilarity = sim.examples;
  const evidence = [...strong.labels, ...weak.labels];
  if (paper === null) return { features, exampleSimilarity, evidence };
  if (desc >= 0.05) evidence.push(`description similarity ${desc.toFixed(2)}`);
  if (exampleSimilarity !== null) evidence.push(`example similarity ${exampleSimilarity.toFixed(2)}`);
  return { features, exampleSimilarity, evidence };
}

/** The features (FEATURE_NAMES order) of a topic's summed strong and weak hits, written into `out`. */
function fillFeatures(strong: Hits, weak: Hits, desc: number, out: number[]): number[] {
  out[0] = Math.min(strong.title, 2);
  out[1] = Math.log1p(strong.abstract);
  out[2] = Math.log1p(strong.distinct);
  out[3] = strong.max;
  out[4] = Math.log1p(weak.abstract + 2 * weak.title);
  out[5] = desc;
  return out;
}

export function logit(ev: TopicEvidence, cal: Calibration): number {
  return logitOf(ev.features, ev.exampleSimilarity, cal);
}

function logitOf(features: readonly number[], exampleSimilarity: number | null, cal: Calibration): number {
  let z = cal.bias;
  for (let i = 0; i < features.length; i++) z += (cal.weights[i] ?? 0) * features[i];
  if (exampleSimilarity !== null) z += cal.example.weight * (exampleSimilarity - cal.example.offset);
  return z;
}

// keywordLogit's scratch: the classifier asks for every topic's logit of every paper, most of them for nothing
const scratch = { strong: noHits(), weak: noHits(), features: FEATURE_NAMES.map(() => 0) };

/** logit(evidenceOf(matches, sim, false), cal), the same number, without allocating. */
export function keywordLogit(matches: TopicMatches, sim: TopicSimilarity, cal: Calibration): number {
  const strong = sumHits(matches.strong, '', null, scratch.strong);
  const weak = sumHits(matches.weak, '', null, scratch.weak);
  return logitOf(fillFeatures(strong, weak, sim.description, scratch.features), sim.examples, cal);
}

export const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
