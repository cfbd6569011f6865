// Short human text for a claim, and the choice of the claim a digest line leads with.

import type { Claim } from '@paperwire/contracts';
import { headlineContext } from './headline-context';
import { metricDirection } from './metric-table';

function num(v: number): string {
  if (Math.abs(v) >= 1e12) return `${trim(v / 1e12)}T`;
  if (Math.abs(v) >= 1e9) return `${trim(v / 1e9)}B`;
  if (Math.abs(v) >= 1e6) return `${trim(v / 1e6)}M`;
  if (Math.abs(v) >= 1e4) return `${trim(v / 1e3)}K`;
  return trim(v);
}
function trim(v: number): string {
  return String(Number(v.toFixed(3)));
}

function amount(c: Claim): string {
  const range = (s: string): string => (c.low !== null ? `${num(c.low)}–${s}` : s);
  switch (c.unit) {
    case '%':
      return range(`${num(c.value)}`) + '%';
    case 'pp':
      return range(`${num(c.value)}`) + ' pp';
    case 'x':
      return range(`${num(c.value)}`) + 'x';
    case 'params':
      return range(num(c.value)) + ' params';
    case 'tokens':
      return range(num(c.value)) + ' tokens';
    case 'bytes':
      return range(bytes(c.value));
    case 'count':
    case 'score':
      return range(num(c.value));
    case 'other':
      return range(num(c.value)) + (c.unitText ? ` ${c.unitText}` : '');
  }
}

function bytes(v: number): string {
  if (v >= 1e12) return `${trim(v / 1e12)} TB`;
  if (v >= 1e9) return `${trim(v / 1e9)} GB`;
  if (v >= 1e6) return `${trim(v / 1e6)} MB`;
  if (v >= 1e3) return `${trim(v / 1e3)} KB`;
  return `${trim(v)} bytes`;
}

/**
 * How the field writes the metric vocabulary's names (metric-table.ts keeps them lower-case): acronyms in capitals,
 * mixed-case names as the field spells them ("mAP", "mIoU", "CIDEr", "nDCG"). Names not listed here are English
 * words ("accuracy", "cost", "loss") and show as they are; a name is never upper-cased wholesale.
 */
const METRIC_DISPLAY: Readonly<Record<string, string>> = {
  'gpu memory': 'GPU memory',
  wer: 'WER',
  cer: 'CER',
  f1: 'F1',
  em: 'EM',
  bleu: 'BLEU',
  rouge: 'ROUGE',
  meteor: 'METEOR',
  cider: 'CIDEr',
  auc: 'AUC',
  map: 'mAP',
  miou: 'mIoU',
  ndcg: 'nDCG',
  mrr: 'MRR',
  psnr: 'PSNR',
  ssim: 'SSIM',
  fid: 'FID',
  mae: 'MAE',
  rmse: 'RMSE',
};

/** The display form of a metric name (see METRIC_DISPLAY). */
export const metricDisplayName = (metric: string): string => METRIC_DISPLAY[metric] ?? metric;

/** e.g. "41.2% F1 gain on NarrativeQA", "9.6x GPU memory reduction", "14 tasks" */
export function formatClaim(c: Claim): string {
  const metric = c.metric ? ` ${metricDisplayName(c.metric)}` : '';
  const q = c.qualifier ? `${c.qualifier} ` : '';
  const where = c.dataset ? ` on ${c.dataset}` : '';
  const vs = c.comparedTo ? ` vs ${c.comparedTo}` : c.baseline ? ` (from ${c.baseline.text})` : '';
  let body: string;
  switch (c.kind) {
    case 'relative_improvement':
      // a change of a lower-is-better metric ("improves rFID by 0.28") is a gain for the paper but a fall of the
      // number: "0.28 FID gain" would read as FID going up
      body = `${amount(c)}${metric} ${c.improvement === false ? 'increase' : c.metric && metricDirection(c.metric) === 'lower' ? 'reduction' : 'gain'}`;
      break;
    case 'reduction':
      body = `${amount(c)}${metric} reduction`;
      break;
    case 'speedup':
      body = `${amount(c)} speedup`;
      break;
    case 'retention':
      body = `${amount(c)}${metric} retained`;
      break;
    case 'absolute_score':
      body = `${amount(c)}${metric}`;
      break;
    case 'scope':
    case 'size':
    case 'other':
      body = c.unit === 'count' ? c.text.replace(/\s+/g, ' ') : `${amount(c)}${metric}`;
      break;
  }
  return `${q}${body}${where}${vs}`.trim();
}

const KIND_WEIGHT: Record<Claim['kind'], number> = {
  relative_improvement: 5,
  speedup: 5,
  reduction: 4.5,
  absolute_score: 3,
  retention: 2.5,
  other: 1,
  scope: 0,
  size: 0,
};

/**
 * How strongly a claim states a paper's main result (higher is better; `null` for a claim that never
 * heads a card: a card shows no headline rather than a wrong one). The rule, in order of weight:
 *
 * 1. Only result claims that state a measured result: setup claims (scope: "14 tasks", size: "7B parameters")
 *    never head a card, nor does a result claim without a named metric ("80%", "1.9%", "about 0.42% retained",
 *    "less than 100 GHz" say nothing a reader can check) unless it is a speedup (its measure is speed), nor a
 *    condition or other number (kind `other`), nor a known regression (a paper leads with what it improves).
 * 2. The kind: a relative improvement or a speedup (5) over a reduction (4.5) over an absolute score (3)
 *    over a retention (2.5).
 * 3. A named metric (+2) and a comparison, i.e. a baseline value or a named system compared to (+2): "41.2%
 *    F1 gain vs SFT" says more than "41.2%".
 * 4. Direction: a known improvement +1.
 * 5. A dataset +0.5.
 * 6. Tie-breaks: a larger gain (at most +1 for "x", +0.5 for % / pp), then the earlier claim in the abstract.
 *
 * With the abstract the claims were extracted from (`text`), the claim's sentence is read too (see
 * headlineContext): a background or setup share is dropped and a claim stated as the paper's own result gains.
 */
export function headlineScore(c: Claim, text?: string): number | null {
  if (c.category !== 'result' || c.kind === 'other' || c.improvement === false) return null;
  if (!c.metric && c.kind !== 'speedup') return null;
  let score = KIND_WEIGHT[c.kind];
  if (c.metric) score += 2;
  if (c.baseline || c.comparedTo) score += 2;
  if (c.improvement === true) score += 1;
  if (c.dataset) score += 0.5;
  if (c.unit === 'x') score += Math.min(1, Math.log10(Math.max(1, c.value)) / 2);
  if (c.unit === '%' || c.unit === 'pp') score += Math.min(0.5, Math.max(0, c.value) / 200);
  if (text !== undefined && text.slice(c.start, c.end) === c.text) {
    const bonus = headlineContext(c, text);
    if (bonus === null) return null;
    score += bonus;
  }
  return score;
}

/**
 * The claim that best states the paper's main result (see headlineScore), or null when no claim may head a card.
 * Pass the abstract the claims were extracted from to let its sentences count (offsets must index into it).
 */
export function headlineClaim<C extends Claim>(claims: C[], text?: string): C | null {
  let best: C | null = null;
  let bestScore = -Infinity;
  for (const c of claims) {
    const score = headlineScore(c, text);
    if (score !== null && score > bestScore) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}
