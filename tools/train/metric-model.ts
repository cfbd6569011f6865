// Experiment, not shipped (brief ext23, issue #18; libs/metrics/README.md, "Learned metric correction: measured, not
// shipped"): a learned correction of a result claim's METRIC over the rules. Candidates
// per claim: null, the rules' metric, and every table metric named in the claim's sentence; a linear ranker (one weight
// per feature, softmax over the candidates; tools/train/metric-correction.ts trains it on the dev sets' untuned claims)
// scores them, and the rules' metric is replaced only when the best candidate beats it by the model's margin. Kind,
// unit, category, values and spans are never changed. Cost: one metric scan per sentence (cached), per result claim.
import type { Claim } from '@paperwire/contracts';
import {
  KindContext,
  type MetricHit,
  UNNAMED,
  metricDirection,
  metricHits,
  ownHeadMetric,
  stem,
} from '@paperwire/metrics';

/** The structure feature groups (brief ext24), switchable for the experiment's ablation. */
export const STRUCTURE = { head: true, slash: true, list: true };

/** The model (the experiment writes it only with --write=<file>). */
export interface MetricModelFile {
  version: string;
  /** the best candidate replaces the rules' metric when p(best) - p(rules') >= margin */
  margin: number;
  weights: Record<string, number>;
}

/** Whether a claim's metric is corrected: result claims only (eval:metrics scores the metric on result claims). */
export const correctsMetric = (c: Claim): boolean => c.category === 'result';

/** Per text: the sentence bounds (KindContext) and each sentence's metric hits. */
export class MetricContext extends KindContext {
  private readonly hitsOf = new Map<string, MetricHit[]>();
  hits(s: number, e: number): MetricHit[] {
    const key = `${s}:${e}`;
    let h = this.hitsOf.get(key);
    if (!h) {
      h = metricHits(this.text.slice(s, e)).filter((x) => !UNNAMED.has(x.name));
      this.hitsOf.set(key, h);
    }
    return h;
  }
}

/** One candidate metric of a claim (null = no metric) and its features. */
export interface MetricCandidate {
  name: string | null;
  features: string[];
}

const WORD_RE = /[A-Za-z][\w'-]*|[=:(),;]|\d+(?:\.\d+)?/g;
const tokens = (s: string): string[] => (s.match(WORD_RE) ?? []).map((w) => w.toLowerCase());
const bucket = (n: number): string =>
  n <= 0 ? '0' : n === 1 ? '1' : n === 2 ? '2' : n <= 4 ? '3-4' : n <= 8 ? '5-8' : '9+';
const PREPS = new Set([
  'of',
  'in',
  'on',
  'by',
  ':',
  '=',
  'for',
  'to',
  'at',
  'with',
  'over',
  'from',
  '(',
  ')',
]);

/** The candidates of claim `i` of `claims` (the rules' output on `text`) with their features. */
export function metricCandidates(
  text: string,
  claims: readonly Claim[],
  i: number,
  ctx: MetricContext,
): MetricCandidate[] {
  const c = claims[i];
  const [s, e] = ctx.sentence(c.start, c.end);
  const sentence = text.slice(s, e);
  const hits = ctx.hits(s, e);
  const vs = c.start - s;
  const ve = c.end - s;
  // the nearest occurrence of each name (by characters to the value)
  const dist = (h: MetricHit): number => (h.end <= vs ? vs - h.end : h.index >= ve ? h.index - ve : 0);
  const near = new Map<string, MetricHit>();
  for (const h of hits) {
    const o = near.get(h.name);
    if (!o || dist(h) < dist(o)) near.set(h.name, h);
  }
  const nearestName = [...near.values()].sort((a, b) => dist(a) - dist(b))[0]?.name ?? null;
  const beforeHits = [...near.values()].filter((h) => h.end <= vs).sort((a, b) => b.end - a.end);
  const afterHits = [...near.values()].filter((h) => h.index >= ve).sort((a, b) => a.index - b.index);
  const nNames = near.size;
  const nb = nNames >= 3 ? '3+' : String(nNames);
  const kind = c.kind;
  const unit = c.unit;
  const rules = c.metric;
  // other values of the sentence (the claims around this one)
  // (claims are in text order: the neighbours inside the sentence, read outwards from this one)
  const otherValues: Claim[] = [];
  for (let k = i - 1; k >= 0 && claims[k].start >= s; k--)
    if (claims[k].end <= e) otherValues.push(claims[k]);
  for (let k = i + 1; k < claims.length && claims[k].end <= e; k++)
    if (claims[k].start >= s) otherValues.push(claims[k]);
  // structure (brief ext24): the head phrase's reading, slash pairs, list positions and "respectively"
  const head = STRUCTURE.head
    ? ownHeadMetric(
        text.slice(Math.max(s, c.start - 160), c.start),
        text.slice(c.end, Math.min(e, c.end + 160)),
        /%/.test(c.text),
      )
    : { decided: false, metric: null };
  const vSlash = !STRUCTURE.slash
    ? ''
    : /^\s*\/\s*[-+$\d.]/.test(sentence.slice(ve, ve + 6))
      ? '0'
      : /[\d.%}$]\s*\/\s*$/.test(sentence.slice(Math.max(0, vs - 6), vs))
        ? '1'
        : '';
  // the value's place among the sentence's values, the metric's among the sentence's names (text order)
  let vOrd = 0;
  for (const o of otherValues) if (o.start < c.start) vOrd++;
  const nVals = otherValues.length + 1;
  const resp = STRUCTURE.list && /\brespectively\b/i.test(sentence.slice(ve));
  const hitOrder = [...near.values()].sort((a, b) => a.index - b.index).map((h) => h.name);
  const out: MetricCandidate[] = [];
  const common = (f: string[], tag: string): void => {
    f.push(`${tag}&k=${kind}`, `${tag}&u=${unit}`, `${tag}&n=${nb}`, `${tag}&rnull=${rules === null}`);
  };
  // null
  {
    const f = ['null'];
    common(f, 'null');
    if (rules === null) f.push('rules', 'rules&null');
    if (head.decided) f.push(head.metric === null ? 'head' : 'headOther');
    out.push({ name: null, features: f });
  }
  const names = [...near.keys()];
  if (rules !== null && !near.has(rules)) names.push(rules);
  for (const name of names) {
    const f = [`m=${name}`, `m=${name}&k=${kind}`, `m=${name}&u=${unit}`, 'cand'];
    common(f, 'cand');
    const isRules = name === rules;
    if (isRules) f.push('rules', `rules&k=${kind}`, `rules&u=${unit}`, `rules&n=${nb}`);
    if (head.decided) f.push(head.metric === name ? `head&r=${isRules}` : 'headOther');
    const dir = metricDirection(name);
    f.push(`dir=${dir}&k=${kind}`);
    const h = near.get(name);
    if (!h) {
      f.push('absent', `absent&k=${kind}`);
      out.push({ name, features: f });
      continue;
    }
    const side = h.end <= vs ? 'B' : h.index >= ve ? 'A' : 'I';
    const between =
      side === 'B' ? sentence.slice(h.end, vs) : side === 'A' ? sentence.slice(ve, h.index) : '';
    const tw = tokens(between);
    const d = bucket(tw.length);
    f.push(
      `side=${side}`,
      `side=${side}&d=${d}`,
      `side=${side}&k=${kind}`,
      `side=${side}&u=${unit}`,
      `side=${side}&n=${nb}`,
    );
    if (name === nearestName) f.push('nearest', `nearest&side=${side}`);
    const rank = side === 'B' ? beforeHits.indexOf(h) : side === 'A' ? afterHits.indexOf(h) : 0;
    f.push(`rank=${side}${Math.min(rank, 2)}`);
    if (/,/.test(between)) f.push(`comma&${side}`);
    if (/;/.test(between)) f.push(`semi&${side}`);
    if (/\band\b/i.test(between)) f.push(`and&${side}`);
    if (/\bwhile\b|\bwhereas\b|\bbut\b/i.test(between)) f.push(`contrast&${side}`);
    if (/\(/.test(between) || /\)/.test(between)) f.push(`paren&${side}`);
    const open = sentence.lastIndexOf('(', vs);
    if (open >= 0 && sentence.indexOf(')', open) >= ve && h.index > open) f.push('sameParen');
    // another value between the metric and this claim
    const vBetween = otherValues.some((o) =>
      side === 'B' ? o.start - s >= h.end && o.end - s <= vs : o.start - s >= ve && o.end - s <= h.index,
    );
    if (vBetween) f.push(`valBetween&${side}`);
    // other metric between
    const mBetween = hits.some(
      (o) =>
        o.name !== name &&
        (side === 'B' ? o.index >= h.end && o.end <= vs : o.index >= ve && o.end <= h.index),
    );
    if (mBetween) f.push(`metBetween&${side}`);
    // words between (nearest 5 each side of the gap), stemmed
    const bag = side === 'B' ? tw.slice(-5) : tw.slice(0, 5);
    for (const w of new Set(bag)) f.push(`w${side}:${/^\d/.test(w) ? '#' : stem(w)}`);
    // the word right after / before the metric, and right before / after the value
    const after1 = tokens(sentence.slice(h.end, h.end + 20))[0] ?? '$';
    const before1 = tokens(sentence.slice(Math.max(0, h.index - 20), h.index)).pop() ?? '^';
    if (PREPS.has(after1)) f.push(`mR1=${after1}&${side}`);
    if (PREPS.has(before1)) f.push(`mL1=${before1}&${side}`);
    const vL1 = tokens(sentence.slice(Math.max(0, vs - 20), vs)).pop() ?? '^';
    const vR1 = tokens(sentence.slice(ve, ve + 20))[0] ?? '$';
    f.push(`vL1=${vL1}&${side}`, `vR1=${vR1}&${side}`);
    if (STRUCTURE.slash) {
      const mSlash = /^\s*\/\s*[A-Za-z]/.test(sentence.slice(h.end, h.end + 4))
        ? '0'
        : /[A-Za-z)]\s*\/\s*$/.test(sentence.slice(Math.max(0, h.index - 4), h.index))
          ? '1'
          : '';
      if (vSlash || mSlash) f.push(`slash=${vSlash || '-'}${mSlash || '-'}`);
    }
    if (STRUCTURE.list && nVals > 1 && near.size > 1) {
      const mOrd = hitOrder.indexOf(name);
      const same = mOrd === vOrd ? 'eq' : 'ne';
      f.push(`ord=${same}&${side}`);
      if (resp) f.push(`resp&${same}`, `resp&${same}&${side}`);
    }
    if (side === 'B' && tw.length <= 2) f.push(`adjB=${tw.join('_')}`);
    if (side === 'A' && tw.length <= 2) f.push(`adjA=${tw.join('_')}`);
    out.push({ name, features: f });
  }
  return out;
}

export function candidateProbs(w: Record<string, number>, cands: readonly MetricCandidate[]): number[] {
  const z = cands.map((c) => [...new Set(c.features)].reduce((s, f) => s + (w[f] ?? 0), 0));
  const max = Math.max(...z);
  const ez = z.map((v) => Math.exp(v - max));
  const sum = ez.reduce((a, b) => a + b, 0);
  return ez.map((v) => v / sum);
}

/** The corrected metric: the best candidate when it beats the rules' by `margin`, else the rules'. */
export function decideMetric(
  cands: readonly MetricCandidate[],
  p: readonly number[],
  rules: string | null,
  margin: number,
): string | null {
  let best = 0;
  for (let k = 1; k < p.length; k++) if (p[k] > p[best]) best = k;
  const r = cands.findIndex((c) => c.name === rules);
  const pr = r >= 0 ? p[r] : 0;
  return p[best] - pr >= margin ? cands[best].name : rules;
}

/**
 * Gives each result claim the model's metric where the model is confident; all decided on the input claims before any
 * is changed. The caller has run definedOtherwise(text) (extractClaimsByRules does).
 */
export function correctMetrics(text: string, claims: Claim[], model: MetricModelFile): void {
  if (!claims.some(correctsMetric)) return;
  const w = model.weights;
  const margin = model.margin;
  const ctx = new MetricContext(text);
  const original = claims.map((c) => ({ ...c }));
  claims.forEach((c, i) => {
    if (!correctsMetric(c)) return;
    const cands = metricCandidates(text, original, i, ctx);
    c.metric = decideMetric(cands, candidateProbs(w, cands), c.metric, margin);
  });
}
