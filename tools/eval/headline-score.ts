// The scorer of eval-headline: is the headline a card shows for an abstract one a reader can trust?
//
// A headline-worthy gold claim is a gold result claim with a metric, or a gold speedup (its measure is speed
// itself). A paper's headline is RIGHT when it overlaps such a gold claim with the same value, the same kind and
// the same metric (canonical names; both null for a bare speedup); a paper with no headline is right when it has no
// headline-worthy gold claim. Headline precision = right headlines / papers with a headline; coverage = papers with
// a headline / papers; accuracy = papers whose headline (or absence of one) is right / papers.
import { canonicalMetric } from '@paperwire/metrics';
import { type ScoredClaim, overlaps, sameValue } from './metrics-score';

/** A gold claim a headline may state (see above). */
export const headlineWorthy = (g: ScoredClaim): boolean =>
  g.category === 'result' && (g.metric !== null || g.kind === 'speedup');

const goldMetric = (g: ScoredClaim): string | null => (g.metric ? (canonicalMetric(g.metric) ?? g.metric) : null);

/** Whether `headline` states one of the paper's headline-worthy gold claims with its value, kind and metric. */
export function headlineRight(gold: ScoredClaim[], headline: ScoredClaim | null): boolean {
  const worthy = gold.filter(headlineWorthy);
  if (headline === null) return worthy.length === 0;
  return worthy.some(
    (g) =>
      overlaps(g, headline) &&
      sameValue(g.value, headline.value) &&
      g.kind === headline.kind &&
      goldMetric(g) === headline.metric,
  );
}

export interface HeadlineTally {
  papers: number;
  /** papers with at least one headline-worthy gold claim */
  worthy: number;
  shown: number;
  shownRight: number;
  /** papers without a headline and without a headline-worthy gold claim */
  noneRight: number;
}

export const emptyTally = (): HeadlineTally => ({ papers: 0, worthy: 0, shown: 0, shownRight: 0, noneRight: 0 });

export function tallyHeadline(t: HeadlineTally, gold: ScoredClaim[], headline: ScoredClaim | null): void {
  const right = headlineRight(gold, headline);
  t.papers++;
  if (gold.some(headlineWorthy)) t.worthy++;
  if (headline === null) {
    if (right) t.noneRight++;
    return;
  }
  t.shown++;
  if (right) t.shownRight++;
}

export function addTally(into: HeadlineTally, t: HeadlineTally): void {
  into.papers += t.papers;
  into.worthy += t.worthy;
  into.shown += t.shown;
  into.shownRight += t.shownRight;
  into.noneRight += t.noneRight;
}

export const headlinePrecision = (t: HeadlineTally): number => (t.shown ? t.shownRight / t.shown : 0);
export const headlineCoverage = (t: HeadlineTally): number => (t.papers ? t.shown / t.papers : 0);
export const headlineAccuracy = (t: HeadlineTally): number =>
  t.papers ? (t.shownRight + t.noneRight) / t.papers : 0;

export function formatTally(name: string, t: HeadlineTally): string {
  return (
    `${name.padEnd(16)} precision=${headlinePrecision(t).toFixed(3)} (${t.shownRight}/${t.shown}) ` +
    `coverage=${headlineCoverage(t).toFixed(3)} (${t.shown}/${t.papers}; ${t.worthy} with a headline-worthy gold claim) ` +
    `accuracy=${headlineAccuracy(t).toFixed(3)}`
  );
}
