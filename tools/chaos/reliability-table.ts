// `node tools/run.js tools/chaos/reliability-table [results.jsonl | saved test log]`: renders the checker's JSON lines
// (artifacts/chaos/results.jsonl, written by `npm run test:chaos`) as the Markdown table of
// RELIABILITY.md, so the table is copied from a run, never typed in.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@paperwire/testing';

interface Row {
  scenario: string;
  load?: string;
  faults?: string;
  papersIn?: number;
  stored?: number;
  deadLettered?: number;
  lost?: number;
  duplicated?: number;
  recoverySeconds?: number;
  deliveriesExpected?: number;
  deliveries?: number;
  webhookRedeliveries?: number;
  problems?: string[];
}

const cell = (v: unknown) => String(v ?? '').replace(/\|/g, '\\|');

function main(): void {
  const file = process.argv[2] ?? join(REPO_ROOT, 'artifacts', 'chaos', 'results.jsonl');
  // Either results.jsonl or a saved test log: the lines printed as `CHAOS_RESULT {json}`.
  const rows = readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.replace(/^.*?CHAOS_RESULT /, '').trim())
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Row)
    .filter((r) => r.papersIn !== undefined);
  const head = [
    'scenario',
    'load',
    'faults',
    'papers in (cumulative)',
    'stored',
    'dead-lettered',
    'lost',
    'duplicated',
    'deliveries (expected)',
    'recovery (s)',
    'checker',
  ];
  const out = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of rows) {
    out.push(
      `| ${[
        r.scenario,
        r.load,
        r.faults,
        r.papersIn,
        r.stored,
        r.deadLettered,
        r.lost,
        r.duplicated,
        `${r.deliveries} (${r.deliveriesExpected})`,
        r.recoverySeconds,
        r.problems && r.problems.length > 0 ? `FAIL: ${r.problems.join('; ')}` : 'pass',
      ]
        .map(cell)
        .join(' | ')} |`,
    );
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

main();
