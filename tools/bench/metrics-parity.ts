// Output parity of the metric extractor (libs/metrics) across a code change, text by text: `--write FILE` dumps
// extractClaims' output (and extractClaimsByRules', the kind model's input) for every text of the current build,
// `--check FILE` compares the current build's outputs with such a dump. A performance change must report 0 differences.
//   sets      every labelled metrics set (data/metrics/labels/*.jsonl, the "text" field), and the abstracts of every
//             classification label file (data/classification/labels/*.jsonl and *.jsonl.gz: novel text)
//   compare   exact: the JSON of the claims, byte for byte
// Usage: node tools/run.js tools/bench/metrics-parity --write FILE | --check FILE
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { findRepoRoot } from '@paperwire/classification';
import { extractClaims, extractClaimsByRules } from '@paperwire/metrics';
import { runParity, type Dump, type Verdict } from './parity-dump';

const ROOT = findRepoRoot(__dirname);

function readJsonlFile(path: string): Record<string, unknown>[] {
  const raw = path.endsWith('.gz')
    ? gunzipSync(readFileSync(path)).toString('utf8')
    : readFileSync(path, 'utf8');
  return raw
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Every text of a label directory's JSONL files, per file, read from `field`; files without it are skipped. */
function textSets(dir: string, field: string): [string, string[]][] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl') || f.endsWith('.jsonl.gz'))
    .sort()
    .map((f): [string, string[]] => [
      f,
      readJsonlFile(join(dir, f))
        .map((r) => r[field])
        .filter((t): t is string => typeof t === 'string'),
    ])
    .filter(([, texts]) => texts.length > 0);
}

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
