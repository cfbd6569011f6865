import { createHash } from 'node:crypto';
import type { Classification, TopicScore } from '@paperwire/contracts';
import { compileArxiv, type SparseRow } from './arxiv-category';
import { classifyContribution, compileContribution } from './contribution';
import { gramVocabulary, type GramVocabulary } from './document';
import type { ClassifierModel, TopicDefinition } from './model';
import { loadDefaultModel, withDefaultWeakKeywords } from './data-files';
import {
  compileLinear,
  linearScores,
  plattProbability,
  toSharedScale,
  type CompiledLinear,
  type LinearModelFile,
} from './linear';
import { readPaper, TermTable, type PaperReading } from './paper-terms';
import {
  compilePhraseIndex,
  evidenceOf,
  insertionSort,
  keywordLogit,
  sigmoid,
  type TopicMatches,
  type TopicSimilarity,
} from './topic-features';
import { compileTopic, type TopicProfile } from './topic-profile';

export interface ClassifyInput {
  title: string;
  abstract: string;
  /** arXiv categories from the source; when empty the classifier predicts one */
  categories?: string[];
}

export interface Classifier {
  /** model version + hash of the taxonomy: changes when either changes */
  readonly version: string;
  /** calibrated decision threshold on topic scores */
  readonly threshold: number;
  classify(paper: ClassifyInput): Classification;
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/** Hash of what the classifier reads from the topics, so an edited topic gives a new version. */
export function taxonomyHash(topics: TopicDefinition[]): string {
  const canonical = [...topics]
    .sort((a, b) => a.slug.localeCompare(b.slug))
    .map((t) => [t.slug, t.name, t.description, t.keywords ?? [], t.weakKeywords ?? [], t.examples ?? []]);
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex').slice(0, 10);
}

// Compiling the learned model's CSR table takes a few ms; topics change far more often than the model.
const compiledLinear = new WeakMap<LinearModelFile, CompiledLinear>();
function compiled(file: LinearModelFile): CompiledLinear {
  let c = compiledLinear.get(file);
  if (!c) compiledLinear.set(file, (c = compileLinear(file)));
  return c;
}

/**
 * The keyword model's logit per topic (before the threshold), for the training script: the learned topic heads
 * read it as one feature. Same numbers the classifier computes.
 */
export function createKeywordLogits(
  topics: TopicDefinition[],
  model: ClassifierModel,
): (paper: ClassifyInput) => number[] {
  const c = createClassifier(topics, { ...model, linear: undefined });
  return (paper) => c.keywordLogits(paper);
}

export function createClassifier(
  topics: TopicDefinition[],
  model: ClassifierModel = loadDefaultModel(),
): Classifier & { keywordLogits(paper: ClassifyInput): number[] } {
  const slugs = new Set<string>();
  for (const t of topics) {
    if (slugs.has(t.slug)) throw new Error(`classification: duplicate topic slug "${t.slug}"`);
    slugs.add(t.slug);
  }
  const profiles: TopicProfile[] = topics.map((t) => compileTopic(t, model));
  const contributionModel = compileContribution(model.contribution);
  const arxiv = compileArxiv(model.arxiv);
  const phrases = compilePhraseIndex(profiles);
  // Only topic phrases and contribution cues are ever looked up in a paper's title / abstract views.
  const vocabulary = gramVocabulary([...phrases.keys(), ...contributionModel.cues.map((c) => c.key)]);
  const index = buildTermIndex(profiles, model, arxiv.rows, vocabulary);
  const { table: terms, recordAt, records } = index;
  const indexed = terms.indexed;
  const read = (paper: ClassifyInput): PaperReading => readPaper(paper, terms, vocabulary);
  const cal = model.calibration;
  const linear = model.linear ? compiled(model.linear) : undefined;
  // Topics with a learned head (by slug); every other topic is scored by the keyword model alone.
  const learnedHead = profiles.map((p) => (linear ? (linear.topicHead.get(p.slug) ?? -1) : -1));
  const anyLearned = learnedHead.some((h) => h >= 0);
  const version = `${model.version}${linear ? `+${linear.version}` : ''}+tax.${taxonomyHash(topics)}`;
  const dotsScratch = linear ? new Float64Array(linear.heads.length) : undefined;

  const slots = profiles.length * 2;
  // scan's accumulators, reused: a typed array of more than 64 bytes gets a buffer of its own off the heap, two
  // per paper (allocated, tracked and freed by the GC); scan is not re-entrant and returns neither
  const scanDots = new Float64Array(slots);
  const scanNb = new Float64Array(arxiv.classCount);
  // and its similarities, rewritten for every paper: their readers (evidenceOf, keywordLogit) copy the numbers out
  const scanSims: TopicSimilarity[] = profiles.map(() => ({ description: 0, examples: null }));

  // One pass over the paper's terms: tf-idf norm, dot products with every topic and example vector, and the
  // naive Bayes sums, each term looked up once. `sims` is scanSims: valid until the next scan.
  function scan(
    doc: PaperReading,
    withArxiv: boolean,
  ): { sims: TopicSimilarity[]; arxivCategory: string | null } {
    const dots = scanDots.fill(0);
    const nb = withArxiv ? scanNb.fill(0) : scanNb;
    let norm = 0;
    let nbTokens = 0;
    const { count, term, size } = doc.terms;
    for (let k = 0; k < size; k++) {
      const c = count[k];
      const id = term[k];
      // ids from `indexed` on are vocabulary keys only: no idf, topic weight or naive Bayes row
      if (id < 0 || id >= indexed) {
        const w = (c === 1 ? 1 : 1 + Math.log(c)) * model.defaultIdf;
        norm += w * w;
        continue;
      }
      // the term's record (TermIndex): idf, topic slots, naive Bayes row
      let j = recordAt[id];
      const w = (c === 1 ? 1 : 1 + Math.log(c)) * records[j];
      norm += w * w;
      const slotsEnd = j + 2 + 2 * records[j + 1];
      for (j += 2; j < slotsEnd; j += 2) dots[records[j]] += w * records[j + 1];
      const nbEntries = records[j++];
      if (withArxiv && nbEntries >= 0) {
        nbTokens += c;
        for (const end = j + 2 * nbEntries; j < end; j += 2) nb[records[j]] += c * records[j + 1];
      }
    }
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    const sims = scanSims;
    for (let i = 0; i < sims.length; i++) {
      sims[i].description = Math.max(0, Math.min(1, dots[2 * i] * inv));
      sims[i].examples = profiles[i].examples ? Math.max(0, Math.min(1, dots[2 * i + 1] * inv)) : null;
    }
    return { sims, arxivCategory: withArxiv ? (arxiv.category(nb, nbTokens)) : null };
  }

  function scoreTopics(
    paper: ClassifyInput,
    doc: PaperReading,
    sims: TopicSimilarity[],
    dots: Float64Array | undefined,
  ): { topics: TopicScore[]; primary: string | null } {
    const matches: TopicMatches[] = phrases.match(doc);
    const scores: (TopicScore & { head: number; p: number; kw: number })[] = [];
    // the best learned topic below its threshold: returned alone when nothing else is and it reaches the bar
    let runnerUp: { i: number; h: number; p: number; kw: number; shared: number } | undefined;
    const learned = (i: number, h: number, p: number, kw: number): void => {
      const evidence = evidenceOf(matches[i], sims[i], paper).evidence;
      evidence.push(`learned model probability ${p.toFixed(2)}`);
      const t = linear?.heads[h].threshold ?? 0.5;
      const score = Math.max(cal.threshold, round3(toSharedScale(p, t, cal.threshold)));
      scores.push({ slug: profiles[i].slug, score, evidence, head: h, p, kw });
    };
    for (let i = 0; i < profiles.length; i++) {
      const kw = keywordLogit(matches[i], sims[i], cal);
      const h = learnedHead[i];
      if (h >= 0 && linear && dots) {
        const head = linear.heads[h];
        const p = plattProbability(dots[h] + head.bias + head.keywordWeight * kw, head.platt);
        const t = head.threshold ?? 0.5;
        if (p >= t) learned(i, h, p, kw);
        else {
          const shared = toSharedScale(p, t, cal.threshold);
          if (runnerUp === undefined || shared > runnerUp.shared) runnerUp = { i, h, p, kw, shared };
        }
        continue;
      }
      const score = round3(sigmoid(kw));
      if (score < cal.threshold) continue;
      scores.push({
        slug: profiles[i].slug,
        score,
        evidence: evidenceOf(matches[i], sims[i], paper).evidence,
        head: -1,
        p: score,
        kw,
      });
    }
    if (
      scores.length === 0 &&
      runnerUp &&
      linear?.fallbackScore !== undefined &&
      runnerUp.shared >= linear.fallbackScore
    )
      learned(runnerUp.i, runnerUp.h, runnerUp.p, runnerUp.kw);
    // Highest first; slug breaks ties so the order is deterministic.
    insertionSort(scores, (a, b) => b.score - a.score || a.slug.localeCompare(b.slug));
    let primary = scores[0]?.slug ?? null;
    // With several topics, the model's primary rule (chosen on cross-validation at training time) may pick
    // another one: the highest calibrated probability, or the primary heads' arg-max among the learned topics.
    if (linear && dots && scores.length > 1 && linear.primaryRule !== 'score') {
      let best = -Infinity;
      if (linear.primaryRule === 'probability') {
        for (const s of scores)
          if (s.p > best) {
            best = s.p;
            primary = s.slug;
          }
      } else if (scores.some((s) => s.head >= 0 && linear.primaryHead.has(s.slug))) {
        // the primary heads are only scored for papers that need them
        linearScores(linear, paper, dots, doc.segments, 'primary');
        for (const s of scores) {
          const ph = s.head >= 0 ? linear.primaryHead.get(s.slug) : undefined;
          if (ph === undefined) continue;
          const head = linear.heads[ph];
          // the same logit the head was trained on: n-grams, bias and the topic's keyword logit
          const z = dots[ph] + head.bias + head.keywordWeight * s.kw;
          if (z > best) {
            best = z;
            primary = s.slug;
          }
        }
      }
    }
    if (primary !== null && primary !== scores[0].slug) {
      const at = scores.findIndex((s) => s.slug === primary);
      scores.unshift(...scores.splice(at, 1));
    }
    return { topics: scores.map(({ slug, score, evidence }) => ({ slug, score, evidence })), primary };
  }

  function learnedDots(paper: ClassifyInput, doc: PaperReading): Float64Array | undefined {
    if (!linear || !dotsScratch) return undefined;
    return linearScores(linear, paper, dotsScratch, doc.segments, 'main');
  }

  return {
    version,
    threshold: cal.threshold,
    keywordLogits(paper) {
      const doc = read(paper);
      const { sims } = scan(doc, false);
      const matches = phrases.match(doc);
      return profiles.map((_, i) => keywordLogit(matches[i], sims[i], cal));
    },
    classify(paper) {
      const doc = read(paper);
      const hasCategories = (paper.categories ?? []).length > 0;
      const { sims, arxivCategory } = scan(doc, !hasCategories);
      const dots =
        anyLearned || (linear && linear.contributionHeads.length > 0) ? learnedDots(paper, doc) : undefined;
      const { topics: topicsOut, primary } = scoreTopics(paper, doc, sims, dots);
      // the learned contribution heads decide when the model has them; the cue phrases only otherwise
      let contribution: Classification['contribution'] | undefined;
      if (linear && dots && linear.contributionHeads.length > 0) {
        let best = -Infinity;
        for (const h of linear.contributionHeads) {
          const z = dots[h] + linear.heads[h].bias;
          if (z > best) {
            best = z;
            contribution = linear.heads[h].label as Classification['contribution'];
          }
        }
      }
      contribution ??= classifyContribution(doc, contributionModel).type;
      return {
        topics: topicsOut,
        primaryTopic: primary,
        contribution,
        arxivCategory: hasCategories ? undefined : arxivCategory,
        version,
      };
    },
  };
}

/**
 * What the classifier knows per term, by TermTable id (ids below `table.indexed`), as one record per term in
 * `records` from recordAt[id] on, so that a paper's term costs one read of memory rather than one per table: its
 * idf; the number k of vector slots (2 per topic: description, examples) it has weight in, then k (slot, weight)
 * pairs; the number m of entries of its naive Bayes row (-1 when it has none), then m (class, value) pairs (the
 * row's entries of CompiledArxiv, in their order). Slots and classes are small integers, exact as doubles.
 */
interface TermIndex {
  table: TermTable;
  recordAt: Int32Array;
  records: Float64Array;
}

function buildTermIndex(
  profiles: TopicProfile[],
  model: ClassifierModel,
  nb: Map<string, SparseRow>,
  vocabulary: GramVocabulary,
): TermIndex {
  // (the sums per slot do not depend on the order the terms are numbered in)
  const weights = new Map<string, { slot: number; w: number }[]>();
  const addSlot = (t: string, slot: number, w: number): void => {
    const list = weights.get(t);
    if (list) list.push({ slot, w });
    else weights.set(t, [{ slot, w }]);
  };
  profiles.forEach((p, i) => {
    for (const [t, w] of p.vector) addSlot(t, 2 * i, w);
    if (p.examples) for (const [t, w] of p.examples) addSlot(t, 2 * i + 1, w);
  });
  function* terms(): Generator<string> {
    // the common terms first (lowest idf): their records, read by most papers, then lie side by side in memory
    // instead of spread over the alphabet
    yield* Object.keys(model.idf).sort((a, b) => model.idf[a] - model.idf[b]);
    yield* nb.keys();
    yield* weights.keys();
  }
  const table = new TermTable(terms(), vocabulary);
  const n = table.indexed;
  const recordAt = new Int32Array(n);
  const records: number[] = [];
  for (let id = 0; id < n; id++) {
    const t = table.text[id];
    recordAt[id] = records.length;
    records.push(model.idf[t] ?? model.defaultIdf);
    const slots = weights.get(t) ?? [];
    records.push(slots.length);
    for (const { slot, w } of slots) records.push(slot, w);
    const row = nb.get(t);
    records.push(row ? row.classes.length : -1);
    if (row) for (let i = 0; i < row.classes.length; i++) records.push(row.classes[i], row.values[i]);
  }
  return { table, recordAt, records: Float64Array.from(records) };
}

/** A topic as the topics table keeps it. */
export type StoredTopic = Pick<TopicDefinition, 'slug' | 'name' | 'description' | 'keywords' | 'examples'>;

/**
 * The classifier the pipeline runs for topics read from Postgres (the default topics with their shipped weak
 * keywords): the classifier service and the reprocess actions build it here, so both name the same version.
 */
export function classifierForStoredTopics(
  topics: readonly StoredTopic[],
  model = loadDefaultModel(),
): Classifier {
  return createClassifier(
    withDefaultWeakKeywords(
      topics.map((t) => ({
        slug: t.slug,
        name: t.name,
        description: t.description,
        keywords: t.keywords,
        examples: t.examples,
      })),
    ),
    model,
  );
}
