// Compiles a TopicDefinition (name, description, keywords, examples) into what the scorer matches.
// Nothing here knows any particular slug: a user's new topic goes through exactly the same path.
import { centroid, buildDocument, tfidfVector, type SparseVector } from './document';
import type { ClassifierModel, TopicDefinition } from './model';
import { keepsAllWords, phraseKey } from './text';

export interface Phrase {
  /** normalised n-gram key, e.g. "mixture expert" */
  key: string;
  /** the text as the topic gave it, for evidence */
  text: string;
  weight: number;
}

export interface TopicProfile {
  slug: string;
  strong: Phrase[];
  weak: Phrase[];
  /** tf-idf vector of name + description + keywords */
  vector: SparseVector;
  /** nearest-centroid profile of the topic's example papers, if any */
  examples: SparseVector | null;
}

const MAX_PHRASE_TOKENS = 3;

// A single word is only as specific as it is rare in the corpus; multi-word phrases count fully.
function phraseWeight(key: string, model: ClassifierModel): number {
  if (key.includes(' ')) return 1;
  const idf = model.idf[key] ?? model.defaultIdf;
  return Math.max(0.3, Math.min(1, idf / model.defaultIdf));
}

function toPhrases(texts: string[], model: ClassifierModel, scale: number): Phrase[] {
  const byKey = new Map<string, Phrase>();
  for (const text of texts) {
    const key = phraseKey(text);
    if (!key || !keepsAllWords(text) || key.split(' ').length > MAX_PHRASE_TOKENS || byKey.has(key)) continue;
    byKey.set(key, { key, text, weight: scale * phraseWeight(key, model) });
  }
  return [...byKey.values()];
}

// "Vision-language and multimodal models" -> ["Vision-language", "multimodal models"].
function splitList(text: string): string[] {
  return text
    .split(/[,;:()/]|\band\b|\bor\b|\bincluding\b|\be\.g\.|\bi\.e\./i)
    .map((s) => s.trim())
    .filter((s) => s.length > 1);
}

export function compileTopic(topic: TopicDefinition, model: ClassifierModel): TopicProfile {
  const nameParts = splitList(topic.name);
  const descParts = splitList(topic.description).filter(
    (p) => phraseKey(p).split(' ').length <= MAX_PHRASE_TOKENS,
  );
  const multi = (p: string): boolean => phraseKey(p).includes(' ');
  const strong = dedupe([
    ...toPhrases(topic.keywords ?? [], model, 1),
    ...toPhrases(nameParts.filter(multi), model, 1),
    ...toPhrases(descParts.filter(multi), model, 0.7),
  ]);
  const strongKeys = new Set(strong.map((p) => p.key));
  const weak = dedupe([
    ...toPhrases(topic.weakKeywords ?? [], model, 1),
    ...toPhrases(
      nameParts.filter((p) => !multi(p)),
      model,
      1,
    ),
    ...toPhrases(
      descParts.filter((p) => !multi(p)),
      model,
      0.7,
    ),
  ]).filter((p) => !strongKeys.has(p.key));
  const profileText = [topic.name, topic.name, topic.description, ...(topic.keywords ?? [])].join(' . ');
  const vector = tfidfVector(
    buildDocument({ title: '', abstract: profileText }).terms,
    model.idf,
    model.defaultIdf,
  );
  const examples =
    topic.examples && topic.examples.length > 0
      ? centroid(topic.examples.map((e) => tfidfVector(buildDocument(e).terms, model.idf, model.defaultIdf)))
      : null;
  return { slug: topic.slug, strong, weak, vector, examples };
}

function dedupe(phrases: Phrase[]): Phrase[] {
  const seen = new Map<string, Phrase>();
  for (const p of phrases) {
    const prev = seen.get(p.key);
    if (!prev || prev.weight < p.weight) seen.set(p.key, p);
  }
  return [...seen.values()];
}
