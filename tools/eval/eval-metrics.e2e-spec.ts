// The metric extractor's quality gates can fail: eval:metrics exits non-zero when a figure is below its floor.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const run = (args: string[], sets = ['--dev-only']) =>
  spawnSync(process.execPath, ['tools/run.js', 'tools/eval/eval-metrics', ...sets, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 180_000,
  });

describe('eval:metrics quality gates', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'metrics-floors-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the committed floors hold on the dev sets', () => {
    const res = run([]);
    expect(res.stdout).toMatch(/quality gates: \d+ floors hold/);
    expect(res.status).toBe(0);
  }, 200_000);

  it('a floor above the measured figure fails the run and names the figure', () => {
    const floors = JSON.parse(readFileSync(join(ROOT, 'data/metrics/quality-floors.json'), 'utf8'));
    floors.sets['dev.jsonl'].resultMetricAcc = 0.999;
    floors.measeval.train = 0.999;
    const file = join(dir, 'floors.json');
    writeFileSync(file, JSON.stringify(floors));
    const res = run([`--floors=${file}`]);
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/dev\.jsonl resultMetricAcc 0\.\d{3} < floor 0\.999/);
    expect(res.stderr).toMatch(/MeasEval train F1 0\.\d{3} < floor 0\.999/);
  }, 200_000);

  it('the never-tuned heldout-5 is scored and gated, and --verbose prints none of its rows', () => {
    const floors = JSON.parse(readFileSync(join(ROOT, 'data/metrics/quality-floors.json'), 'utf8'));
    floors.sets['heldout-5.jsonl'].f1 = 0.999;
    const file = join(dir, 'floors-heldout-5.json');
    writeFileSync(file, JSON.stringify(floors));
    const res = run([`--floors=${file}`], ['--verbose']);
    expect(res.stdout).toMatch(/labels\/heldout-5\.jsonl \(80 abstracts\)/);
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/heldout-5\.jsonl f1 0\.\d{3} < floor 0\.999/);
    expect(res.stdout).not.toMatch(/arxiv:2606\.05931/); // an id of heldout-5, in no other label file
  }, 200_000);
});
