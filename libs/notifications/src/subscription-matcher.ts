// Subscription matching. A filter is compiled once into a closure (regexes built, names folded) and
// papers are prepared once (folded text, author tokens) and cached per object, so matching many
// subscriptions against many papers costs one cheap closure call per pair.

import { codeRepositories, sourceNameKey, type Claim, type PaperParts } from '@paperwire/contracts';
import { describeClaim } from './claim-text';
import { titleText } from './inline-latex';
import type { ClaimCondition, ExamplesCondition, SubscriptionFilter } from './filter.schema';
import type { MatchablePaper } from './matchable-paper';
import { escapeRegExp, foldText, squash } from './text';

export interface MatchResult {
  matched: boolean;
  /** why it matched, one human-readable line per satisfied condition; empty when not matched */
  reasons: string[];
}

export type CompiledFilter = (paper: MatchablePaper) => MatchResult;

export interface CompileOptions {
  /** canonical metric key (e.g. `metricKey` from @paperwire/metrics): metrics with equal keys match */
  metricKey?: (metric: string) => string;
  /** what an `examples` filter compares (required when the filter has one) */
  examples?: ExampleVectors;
}

/** An example paper as the matcher sees it: its text vector (unit length, libs/classification textVector). */
export interface ExampleVector {
  /** names the example in a match's reason (its title) */
  label: string;
  vector: Float32Array;
}

/**
 * The vectors an `examples` filter compares: the example papers' (by catalogue paper id) and a candidate paper's.
 * `paperVector` should be memoised per paper object, so that every subscription shares one vector per paper.
 */
export interface ExampleVectors {
  byPaperId: ReadonlyMap<string, ExampleVector>;
  paperVector: (paper: MatchablePaper) => Float32Array;
}

/** A filter's examples that have no vector (papers no longer in the catalogue); all of them when none are given. */
export function missingExamples(filter: SubscriptionFilter, vectors?: ExampleVectors): string[] {
  return (filter.examples?.papers ?? []).filter((id) => !vectors?.byPaperId.has(id));
}

interface PreparedPaper {
  titleLength: number;
  /** folded title, blank line, folded abstract */
  text: string;
  authors: { name: string; tokens: string[] }[];
  sources: Set<string>;
  topics: Map<string, number>;
  codeLinks: string[];
}

/** A condition returns its reasons when satisfied, null when not. */
type Condition = (p: PreparedPaper, paper: MatchablePaper) => string[] | null;

const prepared = new WeakMap<MatchablePaper, PreparedPaper>();

// Papers are treated as immutable once handed to the matcher: the prepared form is cached per object.
function prepare(paper: MatchablePaper): PreparedPaper {
  let p = prepared.get(paper);
  if (!p) {
    // the title as a reader reads it (its LaTeX rendered, as on the pages and in the mails): titles are stored as given
    const title = foldText(titleText(paper.title));
    const topics = new Map<string, number>();
    for (const t of paper.topics) {
      const slug = t.slug.toLowerCase();
      topics.set(slug, Math.max(t.score, topics.get(slug) ?? -Infinity));
    }
    p = {
      titleLength: title.length,
      text: `${title}\n\n${foldText(paper.abstract)}`,
      authors: paper.authors.map((a) => ({ name: a.name, tokens: nameTokens(a.name) })),
      // the one rule of the `source` filter (@paperwire/contracts sourceNameKey; SQL: libs/db source-match.ts)
      sources: new Set(paper.sources.map(sourceNameKey)),
      topics,
      // only links a reader can follow count as code (the same filter every served view applies)
      codeLinks: codeRepositories({ code: [...paper.codeLinks, ...(paper.links?.code ?? [])] }),
    };
    prepared.set(paper, p);
  }
  return p;
}

const score2 = (v: number) => v.toFixed(2);

// ---- topics ---------------------------------------------------------------------------------------

function topicsCondition(t: NonNullable<SubscriptionFilter['topics']>): Condition {
  const slugs = [...new Set(t.slugs.map((s) => s.toLowerCase()))];
  const min = t.minScore;
  const passes = (score: number | undefined): score is number =>
    score !== undefined && (min === undefined ? score > 0 : score >= min);
  const reason = (slug: string, score: number) =>
    min === undefined ? `topic ${slug} (${score2(score)})` : `topic ${slug} ≥ ${min} (${score2(score)})`;
  return (p) => {
    const hits: [string, number][] = [];
    for (const slug of slugs) {
      const score = p.topics.get(slug);
      if (passes(score)) hits.push([slug, score]);
      else if (t.match === 'all') return null;
    }
    if (hits.length === 0) return null;
    return hits.sort((a, b) => b[1] - a[1]).map(([s, v]) => reason(s, v));
  };
}

// ---- keywords -------------------------------------------------------------------------------------

const WORD_SEP = '[\\s\\-‐‑–—]+';
const NOT_WORD_BEFORE = '(?<![\\p{L}\\p{N}])';
const NOT_WORD_AFTER = '(?![\\p{L}\\p{N}])';

interface KeywordPattern {
  label: string;
  source: string;
}

/** A word, a phrase ("quoted" or not) or a prefix (`token*`); null when nothing is left to match. */
export function keywordPattern(raw: string): KeywordPattern | null {
  let k = raw.trim();
  const quoted = /^["“”'](.*)["“”']$/su.exec(k);
  if (quoted) k = quoted[1]!.trim();
  const prefix = k.endsWith('*');
  if (prefix) k = k.replace(/\*+$/u, '');
  const tokens = foldText(k)
    .split(/[\s\-‐‑–—]+/u)
    .filter(Boolean);
  if (tokens.length === 0) return null;
  // Escaped literals joined by one separator class: no nested quantifiers, so the scan stays linear.
  const body = tokens.map(escapeRegExp).join(WORD_SEP) + (prefix ? '[\\p{L}\\p{N}]*' : '');
  return { label: k + (prefix ? '*' : ''), source: `${NOT_WORD_BEFORE}${body}${NOT_WORD_AFTER}` };
}

function keywordsCondition(keywords: string[]): Condition | null {
  const patterns = keywords.map(keywordPattern).filter((k): k is KeywordPattern => k !== null);
  if (patterns.length === 0) return null;
  // One regex for all keywords, one capture group per keyword to tell which one hit.
  const re = new RegExp(patterns.map((k) => `(${k.source})`).join('|'), 'gu');
  return (p) => {
    const found = new Map<number, 'title' | 'abstract'>();
    for (const m of p.text.matchAll(re)) {
      const i = m.slice(1).findIndex((g) => g !== undefined);
      if (i >= 0 && !found.has(i)) found.set(i, (m.index ?? 0) < p.titleLength ? 'title' : 'abstract');
      if (found.size === patterns.length) break;
    }
    if (found.size === 0) return null;
    return [...found.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([i, where]) => `keyword "${patterns[i]!.label}" in ${where}`);
  };
}

// ---- authors --------------------------------------------------------------------------------------

/** Folded name tokens in "first ... last" order ("LeCun, Yann" -> [yann, lecun]). */
export function nameTokens(name: string): string[] {
  let n = name.trim();
  const parts = n.split(',');
  if (parts.length === 2 && parts[0]!.trim() && parts[1]!.trim()) n = `${parts[1]} ${parts[0]}`;
  return foldText(n)
    .replace(/['’`]/gu, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

const tokenMatches = (f: string, a: string) => f === a || (f.length === 1 && a.startsWith(f));

/** filter tokens are a suffix of author tokens; all but the last filter token may be initials */
function suffixMatches(f: string[], a: string[]): boolean {
  if (f.length === 0 || f.length > a.length) return false;
  const off = a.length - f.length;
  if (f[f.length - 1] !== a[a.length - 1]) return false;
  for (let i = 0; i < f.length - 1; i++) if (!tokenMatches(f[i]!, a[off + i]!)) return false;
  return true;
}

/** Full name (middle names optional, initials allowed) or last name (one token or compound). */
export function authorNameMatches(filterTokens: string[], authorTokens: string[]): boolean {
  if (suffixMatches(filterTokens, authorTokens)) return true;
  return (
    filterTokens.length >= 2 &&
    authorTokens.length > filterTokens.length &&
    tokenMatches(filterTokens[0]!, authorTokens[0]!) &&
    suffixMatches(filterTokens.slice(1), authorTokens.slice(1))
  );
}

function authorsCondition(authors: string[]): Condition | null {
  const wanted = authors.map(nameTokens).filter((t) => t.length > 0);
  if (wanted.length === 0) return null;
  return (p) => {
    const hits = p.authors.filter((a) => wanted.some((w) => authorNameMatches(w, a.tokens)));
    return hits.length > 0 ? hits.map((a) => `author: ${a.name}`) : null;
  };
}

// ---- sources, code, examples ----------------------------------------------------------------------

function sourcesCondition(sources: string[]): Condition | null {
  const wanted = [...new Set(sources.map(sourceNameKey))];
  if (wanted.length === 0) return null;
  return (p) => {
    const hits = wanted.filter((s) => p.sources.has(s));
    return hits.length > 0 ? hits.map((s) => `source: ${s}`) : null;
  };
}

function hasCodeCondition(hasCode: boolean): Condition {
  return (p) => {
    const has = p.codeLinks.length > 0;
    if (has !== hasCode) return null;
    return [hasCode ? `has code (${p.codeLinks[0]})` : 'no code link'];
  };
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let d = 0; d < a.length; d++) s += a[d] * b[d];
  return s;
}

const shortLabel = (s: string) => (s.length > 80 ? `${s.slice(0, 79)}…` : s);

/**
 * A paper's similarity is its highest cosine to any one example (not to the examples' mean): examples on two
 * subjects then each find their own papers, where a mean would sit between the subjects and find neither.
 */
function examplesCondition(ex: ExamplesCondition, vectors: ExampleVectors | undefined): Condition {
  const examples = ex.papers.flatMap((id) => {
    const v = vectors?.byPaperId.get(id);
    return v ? [v] : [];
  });
  if (examples.length === 0 || vectors === undefined)
    throw new Error(
      `an examples filter needs its example papers' vectors (missing: ${ex.papers.join(', ')})`,
    );
  const min = ex.minSimilarity;
  return (_p, paper) => {
    const v = vectors.paperVector(paper);
    let best = -Infinity;
    let closest = examples[0]!;
    for (const e of examples) {
      const s = dot(v, e.vector);
      if (s > best) [best, closest] = [s, e];
    }
    return best >= min
      ? [`similar to your example "${shortLabel(closest.label)}" (${score2(best)} ≥ ${min})`]
      : null;
  };
}

// ---- claims ---------------------------------------------------------------------------------------

// Metric names that mean the same thing to a subscriber. Matched as whole words inside the claim's
// metric, so short forms ("em", "acc") never hit inside longer words ("memory").
const METRIC_SYNONYMS: readonly string[][] = [
  [
    'gpu memory',
    'memory',
    'vram',
    'memory footprint',
    'peak memory',
    'memory usage',
    'memory consumption',
    'kv cache',
  ],
  ['accuracy', 'acc', 'top 1 accuracy', 'top 1'],
  ['f1', 'f1 score', 'f score', 'f measure', 'macro f1', 'micro f1'],
  ['latency', 'inference time', 'inference latency', 'response time', 'time to first token', 'ttft'],
  ['throughput', 'tokens/s', 'tokens per second', 'qps'],
  ['win rate', 'winrate'],
  ['success rate', 'solve rate', 'resolve rate', 'pass rate', 'pass@1'],
  ['word error rate', 'wer'],
  ['exact match', 'em'],
  ['perplexity', 'ppl'],
  ['parameters', 'params', 'parameter count', 'model size'],
  ['compute', 'flops', 'training compute', 'training cost'],
];

function metricNorm(s: string): string {
  return squash(foldText(s).replace(/[-_]+/g, ' '));
}

const SYNONYMS_BY_NAME = new Map<string, string[]>();
for (const group of METRIC_SYNONYMS) {
  for (const name of group) SYNONYMS_BY_NAME.set(name, [...(SYNONYMS_BY_NAME.get(name) ?? []), ...group]);
}

function metricMatcher(metric: string, key?: (m: string) => string): (claimMetric: string | null) => boolean {
  const m = metricNorm(metric);
  const synonyms = [...new Set(SYNONYMS_BY_NAME.get(m) ?? [])].map((s) => ` ${s} `);
  const wantedKey = key?.(metric);
  return (claimMetric) => {
    if (claimMetric === null) return false;
    const c = metricNorm(claimMetric);
    const padded = ` ${c} `;
    // a substring starting at a word ("acc" -> "top-1 accuracy"), never inside one ("em" -> "memory")
    if (padded.includes(` ${m}`)) return true;
    if (synonyms.some((s) => padded.includes(s))) return true;
    return wantedKey !== undefined && key!(claimMetric) === wantedKey;
  };
}

function claimPredicate(cond: ClaimCondition, opts: CompileOptions): (c: Claim) => boolean {
  const metricOk = cond.metric !== undefined ? metricMatcher(cond.metric, opts.metricKey) : null;
  return (c) =>
    (cond.kind === undefined || c.kind === cond.kind) &&
    (cond.unit === undefined || c.unit === cond.unit) &&
    (cond.min === undefined || c.value >= cond.min) &&
    (cond.max === undefined || c.value <= cond.max) &&
    (metricOk === null || metricOk(c.metric));
}

function claimsCondition(conditions: ClaimCondition[], opts: CompileOptions): Condition | null {
  if (conditions.length === 0) return null;
  const preds = conditions.map((c) => claimPredicate(c, opts));
  return (_p, paper) => {
    const hits = new Set<Claim>();
    for (const pred of preds) {
      const claim = paper.claims.find(pred);
      if (claim) hits.add(claim);
    }
    return hits.size > 0 ? [...hits].map((c) => `claim: ${describeClaim(c)}`) : null;
  };
}

// ---- compile --------------------------------------------------------------------------------------

export const NO_FILTER_REASON = 'no filters: every paper matches';

/** Compiles a (validated) filter into a matcher; throws when an `examples` filter has none of its vectors. All conditions present must hold (AND); within a
 * condition, any listed keyword / author / source / claim condition is enough (OR). */
export function compileFilter(filter: SubscriptionFilter, opts: CompileOptions = {}): CompiledFilter {
  // Cheapest checks first so most non-matches are rejected before any regex runs.
  const conditions: Condition[] = [
    filter.hasCode !== undefined ? hasCodeCondition(filter.hasCode) : null,
    filter.sources ? sourcesCondition(filter.sources) : null,
    filter.topics ? topicsCondition(filter.topics) : null,
    filter.claims ? claimsCondition(filter.claims, opts) : null,
    filter.authors ? authorsCondition(filter.authors) : null,
    filter.keywords ? keywordsCondition(filter.keywords) : null,
    // last: the one condition that computes something per paper (a vector, once per paper object)
    filter.examples ? examplesCondition(filter.examples, opts.examples) : null,
  ].filter((c): c is Condition => c !== null);

  if (conditions.length === 0) return () => ({ matched: true, reasons: [NO_FILTER_REASON] });
  return (paper) => {
    const p = prepare(paper);
    const reasons: string[] = [];
    for (const cond of conditions) {
      const r = cond(p, paper);
      if (r === null) return { matched: false, reasons: [] };
      reasons.push(...r);
    }
    return { matched: true, reasons };
  };
}

/** The parts of a paper a filter reads: a matcher needs nothing else loaded (the rest may be left empty). */
export type FilterNeeds = PaperParts;

export const NO_NEEDS: Readonly<FilterNeeds> = {
  text: false,
  authors: false,
  codeLinks: false,
  sources: false,
  topics: false,
  claims: false,
};

/** What `compileFilter(filter)` reads of a paper; kept next to it so the two agree. */
export function filterNeeds(filter: SubscriptionFilter): FilterNeeds {
  return {
    text:
      (filter.keywords !== undefined && filter.keywords.some((k) => keywordPattern(k) !== null)) ||
      filter.examples !== undefined,
    authors: filter.authors !== undefined && filter.authors.some((a) => nameTokens(a).length > 0),
    codeLinks: filter.hasCode !== undefined,
    sources: filter.sources !== undefined && filter.sources.length > 0,
    topics: filter.topics !== undefined,
    claims: filter.claims !== undefined && filter.claims.length > 0,
  };
}

/** What several filters read together. */
export function mergeNeeds(needs: readonly FilterNeeds[]): FilterNeeds {
  const out = { ...NO_NEEDS };
  for (const n of needs) for (const k of Object.keys(out) as (keyof FilterNeeds)[]) out[k] ||= n[k];
  return out;
}

/** One-off match; compile the filter once with `compileFilter` when matching many papers. */
export function matchSubscription(
  filter: SubscriptionFilter,
  paper: MatchablePaper,
  opts?: CompileOptions,
): MatchResult {
  return compileFilter(filter, opts)(paper);
}
