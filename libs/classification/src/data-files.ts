// Locating and reading the shipped data files. Kept apart from the classifier so the hot path does no I/O:
// these run once and the parsed JSON is cached.
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { parseGechhaiCsv, parseTiagoftCsv, type CorpusPaper } from './corpus';
import type { LinearModelFile } from './linear';
import type { ClassifierModel, TopicDefinition } from './model';
import { type WordVectors, parseWordVectors, registerWordVectors } from './word-vectors';

/** Walks up from `from` until a directory holding data/taxonomy is found (works from src/ and dist/). */
export function findRepoRoot(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, 'data', 'taxonomy'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`classification: no data/taxonomy directory above ${from}`);
    dir = parent;
  }
}

export const dataPath = (...parts: string[]): string => join(findRepoRoot(), 'data', ...parts);

export const DEFAULT_MODEL_FILE = ['classification', 'model.json'];
export const LINEAR_MODEL_FILE = ['classification', 'linear-model.json.gz'];
export const WORD_VECTORS_FILE = ['classification', 'word-vectors.bin.gz'];
export const TOPIC_KEYWORDS_FILE = ['classification', 'topic-keywords.json'];
export const DEFAULT_TAXONOMY_FILE = ['taxonomy', 'default-topics.json'];
export const TIAGOFT_CORPUS_FILE = [
  'classification',
  'corpus',
  'tiagoft_arxiv_ml_abstracts_multilabel_1000.csv',
];
export const GECHHAI_CORPUS_FILE = [
  'classification',
  'corpus',
  'gechhai_arxiv_metadata_snapshot_first2000.csv',
];

/** The two shipped public arXiv corpora (data/classification/corpus, see PROVENANCE.md), parsed, in file order. */
export function loadShippedCorpora(root: string = findRepoRoot()): {
  tiagoft: CorpusPaper[];
  gechhai: CorpusPaper[];
} {
  const read = (parts: string[]): string => readFileSync(join(root, 'data', ...parts), 'utf8');
  return {
    tiagoft: parseTiagoftCsv(read(TIAGOFT_CORPUS_FILE)),
    gechhai: parseGechhaiCsv(read(GECHHAI_CORPUS_FILE)),
  };
}

interface KeywordFile {
  topics: Record<string, { keywords?: string[]; weakKeywords?: string[] }>;
}

/** Merges the shipped keyword data into topic definitions (by slug); topics without an entry are unchanged. */
export function withKeywordData(topics: TopicDefinition[], data: KeywordFile): TopicDefinition[] {
  return topics.map((t) => {
    const extra = data.topics[t.slug];
    if (!extra) return t;
    return {
      ...t,
      keywords: [...(t.keywords ?? []), ...(extra.keywords ?? [])],
      weakKeywords: [...(t.weakKeywords ?? []), ...(extra.weakKeywords ?? [])],
    };
  });
}

let cachedModel: ClassifierModel | undefined;
let cachedTaxonomy: TopicDefinition[] | undefined;

export function loadModelFile(path: string): ClassifierModel {
  return JSON.parse(readFileSync(path, 'utf8')) as ClassifierModel;
}

/**
 * A learned linear model file (gzip'd JSON). Each head's ids and int16 weights are kept as typed arrays (4 + 2
 * bytes a weight instead of two JS numbers): the file stays attached to the model for the life of the process.
 */
export function loadLinearModelFile(path: string): LinearModelFile {
  const file = JSON.parse(gunzipSync(readFileSync(path)).toString('utf8')) as LinearModelFile;
  for (const h of file.heads) {
    h.idx = Int32Array.from(h.idx);
    h.q = Int16Array.from(h.q);
  }
  return file;
}

/** A word-vector file (word-vectors.ts), registered so that a model naming its id can be compiled. */
export function loadWordVectorsFile(path: string): WordVectors {
  const v = parseWordVectors(readFileSync(path));
  registerWordVectors(v);
  return v;
}

let cachedWordVectors: WordVectors | undefined;

/** The shipped word vectors (data/classification/word-vectors.bin.gz), read and registered once per process. */
export function loadShippedWordVectors(): WordVectors {
  cachedWordVectors ??= loadWordVectorsFile(dataPath(...WORD_VECTORS_FILE));
  return cachedWordVectors;
}

/**
 * The shipped model (data/classification/model.json) with the learned linear model
 * (data/classification/linear-model.json.gz) attached when that file exists, read once.
 */
export function loadDefaultModel(): ClassifierModel {
  if (!cachedModel) {
    const model = loadModelFile(dataPath(...DEFAULT_MODEL_FILE));
    const linearPath = dataPath(...LINEAR_MODEL_FILE);
    const linear = existsSync(linearPath) ? loadLinearModelFile(linearPath) : undefined;
    const dense = linear?.features.dense;
    if (dense !== undefined && loadShippedWordVectors().id !== dense.vectors)
      throw new Error(
        `classification: ${linear?.version} needs word vectors ${dense.vectors}, not the shipped file`,
      );
    cachedModel = linear ? { ...model, linear } : model;
  }
  return cachedModel;
}

/** The keyword model alone (model.json, no learned heads): the "old" classifier, for comparisons. */
export function loadKeywordModel(): ClassifierModel {
  const { linear: _linear, ...rest } = loadDefaultModel();
  return rest;
}

/** The default 20 topics plus the shipped keyword data, read once. Returns a fresh copy each call. */
export function loadDefaultTaxonomy(): TopicDefinition[] {
  if (!cachedTaxonomy) {
    const topics = JSON.parse(readFileSync(dataPath(...DEFAULT_TAXONOMY_FILE), 'utf8')) as TopicDefinition[];
    const keywords = JSON.parse(readFileSync(dataPath(...TOPIC_KEYWORDS_FILE), 'utf8')) as KeywordFile;
    cachedTaxonomy = withKeywordData(topics, keywords);
  }
  return cachedTaxonomy.map((t) => ({
    ...t,
    keywords: [...(t.keywords ?? [])],
    weakKeywords: [...(t.weakKeywords ?? [])],
  }));
}

/**
 * Topics as Postgres keeps them carry no weak keywords (the topics table has no column for them), yet the
 * shipped keyword data gives the default topics weak keywords, and the evaluations score the classifier
 * with them. This gives a default topic (by slug) its shipped weak keywords when it has none of its own,
 * so the running classifier is the one `eval:classifier` measures. Other topics are unchanged.
 */
export function withDefaultWeakKeywords<T extends TopicDefinition>(topics: readonly T[]): T[] {
  const shipped = new Map(loadDefaultTaxonomy().map((t) => [t.slug, t.weakKeywords ?? []]));
  return topics.map((t) =>
    (t.weakKeywords?.length ?? 0) > 0 || !shipped.has(t.slug)
      ? t
      : { ...t, weakKeywords: [...shipped.get(t.slug)!] },
  );
}
