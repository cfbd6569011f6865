import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createTestDb, REPO_ROOT, runCli, startServiceProcess, uniqueName, type ServiceProcess, type TestDb } from '@paperwire/testing';

// Issue #15 item 9: the built CLI piped into a reader that stops early (`paperwire parse … | head`)
// exits 0 without an EPIPE stack, and `paperwire ingest --wait` shows progress per stage until the
// document's papers are notified, against the stage services running as their own processes.

jest.setTimeout(240_000);

const RUN = join(REPO_ROOT, 'tools', 'run.js');
const SAMPLE = 'data/sample/daily-papers-sep-1.txt';

interface Run {
  code: number | string;
  stdout: string;
  stderr: string;
}

/** Runs the CLI; with `closeAfterBytes` the reader closes its end of the pipe once it has that much. */
function run(args: string[], env: NodeJS.ProcessEnv = {}, closeAfterBytes?: number): Promise<Run> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [RUN, 'services/cli', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      if (closeAfterBytes !== undefined && stdout.length >= closeAfterBytes) proc.stdout.destroy();
    });
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    proc.once('close', (code, signal) => resolve({ code: signal ?? code ?? -1, stdout, stderr }));
  });
}

describe('CLI streams (issue #15 item 9)', () => {
  it('`paperwire parse … | head` exits 0 quietly when the reader stops early', async () => {
    const whole = await run(['parse', SAMPLE]);
    expect(whole.code).toBe(0);
    // More than a pipe holds (64 KiB on Linux): the CLI is blocked writing when the reader leaves, so
    // its next write is refused with EPIPE.
    expect(whole.stdout.length).toBeGreaterThan(64 * 1024);
    const cut = await run(['parse', SAMPLE], {}, 1);
    expect(cut.stdout.length).toBeLessThan(whole.stdout.length);
    expect(cut.stderr).not.toMatch(/EPIPE|Error/);
    expect(cut.code).toBe(0);
  });

  describe('ingest --wait', () => {
    let db: TestDb;
    let env: NodeJS.ProcessEnv;
    const procs: ServiceProcess[] = [];

    beforeAll(async () => {
      db = await createTestDb('e2e_wait', { migrate: false });
      env = { DATABASE_URL: db.url, DATABASE_SCHEMA: db.schema, QUEUE_PREFIX: `{${uniqueName('e2e_wait')}}`, BATCH_SIZE: '8' };
      runCli(['db', 'migrate'], env);
      for (const name of ['parser', 'classifier', 'metric-extractor', 'notifier']) procs.push(await startServiceProcess(name, env, { logName: `e2e-wait-${name}` }));
    });

    afterAll(async () => {
      await Promise.all(procs.map((p) => p.stop(5_000)));
      await db?.drop();
    });

    it('prints per-stage progress until every paper of the document is notified, then exits 0', async () => {
      const r = await run(['ingest', SAMPLE, '--wait', '--timeout', '180'], env);
      expect(r.code).toBe(0);
      const lines = r.stderr.trim().split('\n');
      // It started before the parser was done and ended with all 60 notified.
      expect(lines[0]).toBe('document fetched; waiting for the parser (its papers are counted once it is parsed)');
      expect(lines.at(-1)).toBe('document parsed; 60 papers: notified 60');
      expect(lines.length).toBeGreaterThan(2);
      const result = JSON.parse(r.stdout) as { rawDocumentId: string; papers: number; stages: Record<string, number> };
      expect(result).toMatchObject({ papers: 60, stages: { notified: 60 } });
      // When it returned, the database agreed.
      const [{ n }] = (await db.ds.query(
        `SELECT count(DISTINCT p.paper_id)::int AS n FROM paper_stages p JOIN paper_sources ps ON ps.paper_id = p.paper_id WHERE ps.raw_document_id = $1 AND p.stage = 'notified'`,
        [result.rawDocumentId],
      )) as { n: number }[];
      expect(n).toBe(60);
    });
  });
});
