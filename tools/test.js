#!/usr/bin/env node
'use strict';
// The one test command (`npm test`): lint, typecheck, build, unit, integration and end-to-end
// suites against the local Postgres and Redis, then the quality evaluations and the infra checks.
// Ends with a plain "N passed, N failed" line summed over every Jest suite.
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const os = require('os');

const root = path.resolve(__dirname, '..');
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', FORCE_COLOR: '0' };
const only = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];

function step(name, cmd, args, extraEnv = {}) {
  if (only.length > 0 && !only.includes(name)) return true;
  process.stdout.write(`\n▶ ${name}: ${cmd} ${args.join(' ')}\n`);
  const t0 = Date.now();
  const res = spawnSync(cmd, args, { cwd: root, env: { ...env, ...extraEnv }, stdio: 'inherit' });
  const ok = res.status === 0;
  process.stdout.write(`${ok ? '✔' : '✘'} ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
  if (!ok) failures.push(name);
  return ok;
}

function jest(name, project, extra = [], extraEnv = {}) {
  const out = path.join(os.tmpdir(), `paperwire-jest-${project}-${process.pid}.json`);
  const ok = step(name, process.execPath, [
    require.resolve('jest/bin/jest'),
    '--selectProjects', project,
    '--json', '--outputFile', out,
    '--ci',
    ...extra,
  ], extraEnv);
  if (fs.existsSync(out)) {
    const r = JSON.parse(fs.readFileSync(out, 'utf8'));
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    skipped += r.numPendingTests + (r.numTodoTests ?? 0);
    fs.rmSync(out, { force: true });
  } else if (!ok) {
    failed += 1;
  }
  return ok;
}

const npx = (bin) => require.resolve(bin);
step('lint', 'bash', ['-c', 'npx nx show projects >/dev/null && npx eslint . --max-warnings=0']);
step('typecheck', process.execPath, [npx('typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit']);
const built = step('build', process.execPath, [npx('typescript/bin/tsc'), '-b', 'tsconfig.build.json']);
jest('unit', 'unit');
jest('integration', 'int', ['--runInBand']);
if (built) jest('e2e', 'e2e', ['--runInBand']);
// The CI subset of the fault-injection suite (npm run test:chaos runs all of it).
if (built) jest('chaos:quick', 'e2e', ['--runInBand', 'tools/chaos'], { PAPERWIRE_CHAOS: '1', CHAOS_QUICK: '1' });
if (built) step('eval:classifier', process.execPath, ['tools/run.js', 'tools/eval/eval-classifier']);
if (built) step('eval:metrics', process.execPath, ['tools/run.js', 'tools/eval/eval-metrics']);
if (fs.existsSync(path.join(root, 'tools', 'check-infra.sh'))) step('infra', 'bash', ['tools/check-infra.sh']);
// The benchmark harness on a few thousand papers: proves it works; asserts nothing about speed.
if (built) step('bench:smoke', process.execPath, ['tools/run.js', 'tools/bench/bench', '--smoke']);

process.stdout.write(`\n${failures.length ? `failed steps: ${failures.join(', ')}` : 'all steps passed'}\n`);
process.stdout.write(`${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exit(failures.length ? 1 : 0);
