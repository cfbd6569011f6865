// Output parity of the metric extractor (libs/metrics) across a code change, text by text: `--write FILE` dumps
// extractClaims' output (and extractClaimsByRules', the kind model's input) for every text of the current build,
// `--check FILE` compares the current build's outputs with such a dump. A performance change must report 0 differences.
//   sets      every labelled metrics set (data/metrics/labels/*.jsonl, the "text" field), and the abstracts of every
//             classification label file (data/classification/labels/*.jsonl and *.jsonl.gz: novel text)
//   compare   exact: the JSON of the claims, byte for byte
// Usage: node tools/run.js tools/bench/metrics-parity --write FILE | --check FILE
import { join } from 'node:path';
import { findRepoRoot } from '@paperwire/classification';
import { extractClaims, extractClaimsByRules } from '@paperwire/metrics';
import { textSets } from './label-texts';
import { runParity, type Dump, type Verdict } from './parity-dump';

const ROOT = findRepoRoot(__dirname);

function outputs(): Dump {
  const dump: Dump = {};
  const sets = [
    ...textSets(join(ROOT, 'data', 'metrics', 'labels'), 'text').map(([f, t]): [string, string[]] => [
      `metrics/${f}`,
      t,
    ]),
    ...textSets(join(ROOT, 'data', 'classification', 'labels'), 'abstract').map(
      ([f, t]): [string, string[]] => [`classification/${f}`, t],
    ),
  ];
  for (const [name, texts] of sets) {
    dump[name] = texts.map((t) => JSON.stringify(extractClaims(t)));
    dump[`${name}/rules`] = texts.map((t) => JSON.stringify(extractClaimsByRules(t)));
  }
  return dump;
}

const compare = (a: unknown, b: unknown): Verdict => (a === b ? 'same' : 'differs');

void runParity('metrics-parity', outputs, compare);
