// Headline precision on the development claims sets (data/metrics/labels/dev*.jsonl, never the held-out sets): the
// extractor's claims of each abstract, the headline a card would show (headlineClaim), scored against the gold claims
// by tools/eval/headline-score.ts. Prints each set, each source family and the pooled figure.
// Usage: node tools/run.js tools/eval/eval-headline [--verbose] [--claims-only]
//   --verbose: every wrong headline (dev rows only); --claims-only: the choice without the abstract's sentences (as a
//   reader that has only the stored claims makes it)
import { join, resolve } from 'node:path';
import { extractClaims, formatClaim, headlineClaim } from '@paperwire/metrics';
import { DEV_SETS, readLabelRows } from './metrics-score';
import { type HeadlineTally, addTally, emptyTally, formatTally, headlineRight, tallyHeadline } from './headline-score';

const LABELS = join(resolve(__dirname, '..', '..', '..'), 'data', 'metrics', 'labels');
const verbose = process.argv.includes('--verbose');
const claimsOnly = process.argv.includes('--claims-only');

/** The family of an abstract: the daily-papers feeds the product reads, or the older hand-picked sources. */
const familyOf = (source: string | undefined): string =>
  source === 'daily-arxiv-dw' ? 'daily-arxiv' : source === 'hf-daily-papers-dw' ? 'hf-daily' : 'other sources';

const pooled = emptyTally();
const families = new Map<string, HeadlineTally>();
for (const file of DEV_SETS) {
  const t = emptyTally();
  for (const row of readLabelRows(join(LABELS, file)) as Array<ReturnType<typeof readLabelRows>[number] & { source?: string }>) {
    const headline = headlineClaim(extractClaims(row.text), claimsOnly ? undefined : row.text);
    const f = emptyTally();
    tallyHeadline(f, row.claims, headline);
    addTally(t, f);
    const family = familyOf(row.source);
    addTally(families.get(family) ?? families.set(family, emptyTally()).get(family)!, f);
    if (verbose && headline && !headlineRight(row.claims, headline))
      console.log(`  wrong ${row.id}: "${formatClaim(headline)}" [${headline.kind}/${headline.metric}] from "${headline.text}"`);
  }
  console.log(formatTally(file, t));
  addTally(pooled, t);
}
for (const [family, t] of [...families].sort()) console.log(formatTally(family, t));
console.log(formatTally('dev pooled', pooled));
