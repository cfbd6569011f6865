// Usage: node tools/run.js tools/eval/sample-claims [--json] [--headline]
// Every claim the extractor finds in the bundled sample papers that are NOT acceptance material (data/sample/*: the
// Hugging Face API JSON and the arXiv API XML), one line per claim: value, unit, category/kind, metric, comparator,
// dataset and the sentence it was read from. The Daily Papers text capture (daily-papers-sep-1.txt) is the owners'
// acceptance material (data/sample/PROVENANCE.md): never listed here, never tuned on. For reading the sample's claims
// after an extractor change (issue #18 reviews); --json writes {file, title, claims} rows instead, for a before/after
// diff.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from '@paperwire/feeds';
import { extractClaims, formatClaim, headlineClaim } from '@paperwire/metrics';

const dir = join(__dirname, '..', '..', '..', 'data', 'sample');
const json = process.argv.includes('--json');
const sentenceAround = (text: string, start: number, end: number): string => {
  const from = Math.max(text.lastIndexOf('. ', start) + 2, start - 160, 0);
  const stop = text.indexOf('. ', end);
  return text.slice(from, stop < 0 ? Math.min(text.length, end + 160) : Math.min(stop + 1, end + 160));
};
/** The owners' acceptance material: never read here (tools/eval/acceptance-guard.spec.ts). */
const ACCEPTANCE = new Set(['daily-papers-sep-1.txt']);
const files = readdirSync(dir)
  .sort()
  .filter((f) => !f.endsWith('.md') && !ACCEPTANCE.has(f));
if (!json) console.log(`# claims of ${files.join(', ')} (the Daily Papers capture is acceptance material: not listed)`);
for (const f of files) {
  const body = readFileSync(join(dir, f));
  const { papers } = parseDocument({ body, fileName: f, fetchedAt: '2026-12-07T00:00:00Z' });
  for (const p of papers) {
    const claims = extractClaims(p.abstract);
    if (json) {
      console.log(JSON.stringify({ file: f, title: p.title, claims }));
      continue;
    }
    console.log(`\n## ${p.title} [${f}]`);
    const head = headlineClaim(claims);
    if (process.argv.includes('--headline')) console.log(`   headline: ${head ? formatClaim(head) : '—'}`);
    for (const c of claims) {
      const extra = [c.comparedTo && `vs ${c.comparedTo}`, c.dataset && `on ${c.dataset}`, c.baseline && `from ${c.baseline.text}`]
        .filter(Boolean)
        .join(' ');
      console.log(
        `- "${c.text}" ${c.unit}/${c.category}/${c.kind} metric=${c.metric ?? '-'} ${extra}\n    | ${sentenceAround(p.abstract, c.start, c.end)}`,
      );
    }
  }
}
