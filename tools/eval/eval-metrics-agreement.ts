// Inter-annotator agreement on the claims labels (data/metrics/labels): a second, independent labelling
// (<set>.second.jsonl, labeller B) scored against the first (labeller A) exactly as eval:metrics scores the
// extractor (tools/eval/metrics-score.ts), both ways, and every disagreement, by type.
// Usage: node tools/run.js tools/eval/eval-metrics-agreement [--set=dev-9] [--a=FILE] [--b=FILE] [--heldout]
//        [--list] [--write]
// A defaults to <set>.first.jsonl (the first labelling, kept when <set>.jsonl became the adjudicated set), else
// <set>.jsonl; B to <set>.second.jsonl. A held-out pair (heldout-*) is scored only with --heldout: its figures and
// disagreement counts, no row (--list prints its disagreements to the terminal, for adjudication only).
// --write regenerates data/metrics/labels/AGREEMENT.md: a section per set labelled twice, a dev set with every
// disagreement, a held-out set with its figures and counts only.
import { join, resolve } from 'node:path';
import { runAgreement } from './metrics-agreement';

runAgreement(
  process.argv.slice(2),
  join(resolve(__dirname, '..', '..', '..'), 'data', 'metrics', 'labels'),
  (line) => console.log(line),
);
