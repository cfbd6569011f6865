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

// What the suite needs from the machine. Missing system packages are installed when we may (root, or sudo
// without a password); otherwise, and for Postgres / Redis / node_modules, one line says how and the run stops.
function preflight() {
  const stop = (msg) => {
    process.stdout.write(`npm test: ${msg}\n0 passed, 1 failed, 0 skipped\n`);
    process.exit(1);
  };
  if (!fs.existsSync(path.join(root, 'node_modules', 'jest'))) stop('dependencies are not installed: run `npm ci` first.');
  const reachable = (url, fallbackPort) => {
    const u = new URL(url);
    const probe = `require('net').connect(${Number(u.port || fallbackPort)}, ${JSON.stringify(u.hostname.replace(/^\[|\]$/g, ''))})` +
      `.on('connect', () => process.exit(0)).on('error', () => process.exit(1)).setTimeout(3000, () => process.exit(1))`;
    return spawnSync(process.execPath, ['-e', probe]).status === 0;
  };
  const pgUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  if (!reachable(pgUrl, 5432)) stop(`PostgreSQL is not reachable at ${new URL(pgUrl).host} (start it, or set TEST_DATABASE_URL; \`bash .ci/run\` starts a local one).`);
  if (!reachable(redisUrl, 6379)) stop(`Redis is not reachable at ${new URL(redisUrl).host} (start it, or set TEST_REDIS_URL; \`bash .ci/run\` starts a local one).`);
  const setup = path.join(root, 'tools', 'setup-test-deps.sh');
  const check = 'command -v chromium && command -v docker-compose && command -v promtool && /usr/bin/python3 -c "import feedparser"';
  if (spawnSync('bash', ['-c', check], { stdio: 'ignore' }).status === 0) return;
  const mayInstall = process.getuid?.() === 0 || spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
  if (!mayInstall) stop('missing Debian packages (chromium, docker-compose, prometheus, python3-feedparser): run `sudo bash tools/setup-test-deps.sh`, then `npm test` again.');
  if (spawnSync('bash', [setup], { cwd: root, stdio: 'inherit' }).status !== 0) stop('installing the test dependencies failed (see above; `bash tools/setup-test-deps.sh` retries).');
}

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
    // A suite that failed without a failing test (an import error, a throwing beforeAll/afterAll) counts once,
    // so the closing line never reads "0 failed" for a red run.
    for (const suite of r.testResults ?? []) {
      const failingTests = (suite.assertionResults ?? []).filter((a) => a.status === 'failed').length;
      if (suite.status === 'failed' && failingTests === 0) {
        failed += 1;
        process.stdout.write(`suite error: ${path.relative(root, suite.name)}\n`);
      }
    }
    fs.rmSync(out, { force: true });
  } else if (!ok) {
    failed += 1;
  }
  return ok;
}

preflight();

const npx = (bin) => require.resolve(bin);
step('lint', 'bash', ['-c', 'npx nx show projects >/dev/null && npx eslint . --max-warnings=0']);
step('typecheck', process.execPath, [npx('typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit']);
const built = step('build', process.execPath, [npx('typescript/bin/tsc'), '-b', 'tsconfig.build.json']);
// The API contract: docs/openapi.json is what the code generates, and redocly finds no error in it.
if (built) step('openapi', 'bash', ['-c', 'node tools/run.js tools/openapi/export --check && REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true npx redocly lint --config redocly.yaml']);
jest('unit', 'unit');
// Every int and e2e file has its own schema, queue prefix and ports, so two files run side by side: the e2e files
// wait on service processes most of the time (~0.5 core each), and two workers cut the suite by ~2.5 minutes.
// ensureDatabase tolerates both workers creating the test database or a schema at the same moment.
jest('integration', 'int', ['--maxWorkers=2']);
if (built) jest('e2e', 'e2e', ['--maxWorkers=2']);
// The CI subset of the fault-injection suite (npm run test:chaos runs all of it).
if (built) jest('chaos:quick', 'e2e', ['--runInBand', 'tools/chaos'], { PAPERWIRE_CHAOS: '1', CHAOS_QUICK: '1' });
if (built) step('eval:classifier', process.execPath, ['tools/run.js', 'tools/eval/eval-classifier']);
if (built) step('eval:metrics', process.execPath, ['tools/run.js', 'tools/eval/eval-metrics']);
// The infra checks read the service list and V8 flags from the compiled libs/config.
if (built && fs.existsSync(path.join(root, 'tools', 'check-infra.sh'))) step('infra', 'bash', ['tools/check-infra.sh']);
// The benchmark harness on a few thousand papers: proves it works; asserts nothing about speed.
if (built) step('bench:smoke', process.execPath, ['tools/run.js', 'tools/bench/bench', '--smoke']);
// The read benchmark on a small generated catalogue: fails on any 5xx other than 503 with Retry-After.
if (built) step('bench:api:smoke', process.execPath, ['tools/run.js', 'tools/bench/bench-api', '--smoke']);

process.stdout.write(`\n${failures.length ? `failed steps: ${failures.join(', ')}` : 'all steps passed'}\n`);
process.stdout.write(`${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exit(failures.length ? 1 : 0);
