// The training input of the learned kind correction (train-metrics-kind.ts): for each labelled dev set, the claims
// the extractor emitted on it BEFORE any rule was tuned on it — libs/metrics as of the commit that added the set
// (found with git log), transpiled into a temporary directory and run on the set's texts. Rules tuned on a set are
// right on it far more often than on unseen text (held-out-7: kind 0.834; the same rules on their dev sets: 0.93), so
// a correction learned from the tuned outputs learns to trust the rules; from the untuned ones it learns what unseen
// text looks like. Writes data/metrics/kind-train-claims.jsonl.gz (committed: the trainer reads it, byte for byte).
// Usage: node tools/run.js tools/train/untuned-claims   (needs the git history and the typescript package)
import { execSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Claim } from '@paperwire/contracts';
import { readLabelRows } from '../eval/metrics-score';
import { DEV_SETS, TRAIN_CLAIMS_FILE, type UntunedRow } from './metrics-kind-trainer';

const ROOT = resolve(__dirname, '..', '..', '..');

/**
 * libs/metrics of `commit`, transpiled to CommonJS in `dir`; returns its rules' extractor and EXTRACTOR_VERSION: its
 * extractClaimsByRules where it exports one (1.19.0 on: extractClaims adds the learned kind correction, which trains on
 * the rules' kinds), else its extractClaims (the rules alone before 1.19.0).
 */
function extractorAt(commit: string, dir: string): { extract: (t: string) => Claim[]; version: string } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require('typescript') as typeof import('typescript');
  execSync(`git archive ${commit} libs/metrics/src | tar -x -C ${dir}`, { cwd: ROOT });
  const src = join(dir, 'libs', 'metrics', 'src');
  for (const f of readdirSync(src)) {
    if (!f.endsWith('.ts') || f.includes('.spec.')) continue;
    const out = ts.transpileModule(readFileSync(join(src, f), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    });
    writeFileSync(join(src, f.replace(/\.ts$/, '.js')), out.outputText);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const lib = require(join(src, 'index.js')) as {
    extractClaims: (t: string) => Claim[];
    extractClaimsByRules?: (t: string) => Claim[];
    EXTRACTOR_VERSION: string;
  };
  return { extract: lib.extractClaimsByRules ?? lib.extractClaims, version: lib.EXTRACTOR_VERSION };
}

/** The fields kindFeatures reads, nothing more (baseline, comparator, dataset only as present / absent). */
const slim = (c: Claim): Claim => ({
  start: c.start,
  end: c.end,
  text: c.text,
  value: c.value,
  low: c.low ?? null,
  unit: c.unit,
  unitText: c.unitText ?? null,
  category: c.category,
  kind: c.kind,
  metric: c.metric ?? null,
  improvement: c.improvement ?? null,
  baseline: c.baseline ? { value: c.baseline.value, text: '' } : null,
  comparedTo: c.comparedTo ? '+' : null,
  dataset: c.dataset ? '+' : null,
  qualifier: c.qualifier ?? null,
});

function main(): void {
  const lines: string[] = [];
  for (const set of DEV_SETS) {
    const file = `data/metrics/labels/${set}`;
    const commit = execSync(`git log --diff-filter=A --format=%H -- ${file}`, { cwd: ROOT, encoding: 'utf8' })
      .trim()
      .split('\n')
      .pop();
    if (!commit) throw new Error(`no commit adds ${file}`);
    const dir = mkdtempSync(join(tmpdir(), 'untuned-claims-'));
    try {
      const { extract, version } = extractorAt(commit, dir);
      console.log(`${set}: ${version} (${commit.slice(0, 7)})`);
      for (const row of readLabelRows(join(ROOT, file))) {
        const r: UntunedRow = { set, id: row.id, version, claims: extract(row.text).map(slim) };
        lines.push(JSON.stringify(r));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  writeFileSync(join(ROOT, ...TRAIN_CLAIMS_FILE), gzipSync(`${lines.join('\n')}\n`, { level: 9 }));
  console.log(`${lines.length} abstracts → ${TRAIN_CLAIMS_FILE.join('/')}`);
}

main();
