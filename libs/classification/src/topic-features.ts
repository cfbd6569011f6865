// Topic-agnostic evidence features for one (paper, topic) pair. The calibration learns one weight per
// feature for all topics together, which is what lets a brand-new topic be scored like the shipped ones.
import { cosine, type PaperDocument, type SparseVector } from './document';
import type { Calibration } from './model';
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

interface Hits {
  title: number;
  abstract: number;
  distinct: number;
  /** weight of the most specific phrase that fired */
  max: number;
  labels: string[];
}

function matchPhrases(doc: PaperDocument, phrases: Phrase[], prefix: string, withLabels: boolean): Hits {
  const hits: Hits = { title: 0, abstract: 0, distinct: 0, max: 0, labels: [] };
  for (const p of phrases) {
    const inTitle = doc.title.has(p.key);
    const count = doc.abstract.get(p.key) ?? 0;
    if (!inTitle && count === 0) continue;
    hits.distinct++;
    hits.max = Math.max(hits.max, p.weight);
    if (inTitle) hits.title += p.weight;
    hits.abstract += p.weight * Math.min(count, MAX_COUNT);
    if (withLabels)
      hits.labels.push(`${prefix}"${p.text}"${inTitle ? ' (title)' : ''}${count > 1 ? ` x${count}` : ''}`);
  }
  return hits;
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

/** Features and, unless `withEvidence` is false (the hot path for topics that end below threshold), evidence. */
export function topicEvidence(
  doc: PaperDocument,
  topic: TopicProfile,
  sim: TopicSimilarity,
  withEvidence = true,
): TopicEvidence {
  const strong = matchPhrases(doc, topic.strong, 'keyword ', withEvidence);
  const weak = matchPhrases(doc, topic.weak, 'term ', withEvidence);
  const desc = sim.description;
  const features = [
    Math.min(strong.title, 2),
    Math.log1p(strong.abstract),
    Math.log1p(strong.distinct),
    strong.max,
    Math.log1p(weak.abstract + 2 * weak.title),
    desc,
  ];
  const exampleSimilarity = sim.examples;
  const evidence = [...strong.labels, ...weak.labels];
  if (!withEvidence) return { features, exampleSimilarity, evidence };
  if (desc >= 0.05) evidence.push(`description similarity ${desc.toFixed(2)}`);
  if (exampleSimilarity !== null) evidence.push(`example similarity ${exampleSimilarity.toFixed(2)}`);
  return { features, exampleSimilarity, evidence };
}

export function logit(ev: TopicEvidence, cal: Calibration): number {
  let z = cal.bias;
  for (let i = 0; i < ev.features.length; i++) z += (cal.weights[i] ?? 0) * ev.features[i];
  if (ev.exampleSimilarity !== null) z += cal.example.weight * (ev.exampleSimilarity - cal.example.offset);
  return z;
}

export const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
