import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { artifactsDir, runCli } from '@paperwire/testing';
import { arxivIdOf } from '../bench/corpus';
import {
  PIPELINE,
  PAPERS_PER_SCENARIO,
  QUEUE_OF,
  QUICK,
  ChaosRun,
  recordResult,
  sleep,
  type CheckReport,
} from './chaos-harness';

// Process-level faults against one pipeline (shared Postgres and Redis, own schema and queue
// prefix): poison jobs, papers that exhaust their retries, SIGKILL of each stage mid-batch and of
// all at once, a stage stuck past its lock, a crash right after a commit, a re-enqueue of every
// finished paper, a 30 s table lock and SIGTERM under load. Each
// scenario adds PAPERS_PER_SCENARIO new papers and ends with the checker over the whole history.
// CHAOS_QUICK=1 runs the poison, SIGKILL and re-enqueue scenarios on 1,000 papers each.
// Order matters in full mode: 10 runs after 11, 1 and 9, so it re-enqueues ≥ 3 × N finished papers.

jest.setTimeout(900_000);

// Minutes of load on purpose: only `npm run test:chaos` (PAPERWIRE_CHAOS=1) runs these; the plain
// e2e run (`npm run test:e2e`, `npm test`) lists them as skipped.
const chaosDescribe = process.env.PAPERWIRE_CHAOS === '1' ? describe : describe.skip;

const N = PAPERS_PER_SCENARIO;
const load = `${N} papers (${Math.ceil(N / 500)} JSONL docs of 500)`;
const full = QUICK ? it.skip : it;

function expectClean(r: CheckReport): void {
  expect(r.problems).toEqual([]);
  expect(r.lost).toBe(0);
  expect(r.duplicated).toBe(0);
  expect(r.phantom).toBe(0);
  expect(r.activeJobsLeft).toBe(0);
  expect(r.stored + r.deadLettered).toBe(r.papersIn);
}

chaosDescribe('chaos: process faults', () => {
  const run = new ChaosRun('proc');

  beforeAll(async () => {
    await run.setup();
    await run.startAll();
  });
  afterAll(async () => {
    await run.teardown();
  });

  it('11. poison jobs: a garbage document and an invalid payload end in the failed set with their reasons', async () => {
    const t0 = Date.now();
    const body = Buffer.from('\u0000\u0001 this is not a feed <<<>>> {{{ garbage');
    const docId = (
      await run.db.ds.query(
        `INSERT INTO raw_documents (content_hash, url, format_hint, body, byte_size) VALUES (md5(random()::text), 'chaos://poison', NULL, $1, $2) RETURNING id`,
        [body, body.length],
      )
    )[0].id as string;
    await run.queues.add('parse-document', { rawDocumentId: docId }, { jobId: `parse-${docId}` });
    // Bypass the typed producer: this payload is what a buggy producer could send.
    await run.queues
      .get('classify')
      .add('classify-papers', { papers: [{ paperId: 'x' }] } as never, { jobId: 'poison-invalid-payload' });
    await run.ingest(N);

    const parseJob = await waitForFailed(run, 'parse', `parse-${docId}`);
    expect(parseJob.failedReason).toMatch(/\w/);
    const doc = (
      await run.db.ds.query(`SELECT status, error FROM raw_documents WHERE id = $1`, [docId])
    )[0] as { status: string; error: string };
    expect(doc.status).toBe('failed');
    expect(doc.error).toMatch(/\w/);
    const invalid = await waitForFailed(run, 'classify', 'poison-invalid-payload');
    expect(invalid.attemptsMade).toBe(1);
    expect(invalid.failedReason).toMatch(/invalid payload for job classify-papers/);

    const r = await run.check(
      '11 poison jobs',
      load,
      'garbage raw document + invalid classify-papers payload',
      t0,
    );
    recordResult({
      scenario: '11 poison jobs (detail)',
      parseFailedReason: parseJob.failedReason,
      parseAttempts: parseJob.attemptsMade,
      invalidAttempts: invalid.attemptsMade,
      invalidReason: invalid.failedReason,
    });
    expectClean(r);
  });

  full(
    '11b. papers whose write fails on every attempt end in the failed set after their retries, once',
    async () => {
      // A real poison input, no hook: an abstract claiming "400 orders of magnitude" makes the extractor
      // compute a speed-up of 10^400 = Infinity, which reaches paper_claims.value (NOT NULL) as JSON null.
      // The INSERT fails the same way on every attempt; it is no PermanentError, so BullMQ retries it.
      const t0 = Date.now();
      const poisonKeys: string[] = [];
      await run.ingest(N, {
        // one paper in every thousand of this scenario's papers
        abstractOf: (i, abstract) => {
          if (i % 1000 !== 500) return abstract;
          poisonKeys.push(`arxiv:${arxivIdOf(i)}`);
          return `${abstract} In our benchmarks the fused kernel runs 400 orders of magnitude faster than the reference implementation.`;
        },
      });
      expect(poisonKeys).toHaveLength(Math.ceil(N / 1000));
      const r = await run.check(
        '11b retries exhausted',
        load,
        `${poisonKeys.length} papers whose claims INSERT violates NOT NULL on every attempt (8 attempts, exponential backoff)`,
        t0,
        420_000,
      );

      const poisonIds: string[] = (
        await run.db.ds.query(`SELECT id FROM papers WHERE paper_key = ANY($1)`, [poisonKeys])
      ).map((p: { id: string }) => p.id);
      const failedExtract = (await run.queues.get('extract').getFailed(0, -1)).filter((j) =>
        (j.data as { papers: { paperId: string }[] }).papers.some((p) => poisonIds.includes(p.paperId)),
      );
      // What an operator sees: `paperwire failed list --queue extract`.
      const listed = runCli(['failed', 'list', '--queue', 'extract'], run.env)
        .trim()
        .split('\n')
        .map(
          (l) =>
            JSON.parse(l) as {
              id: string;
              attempts: number;
              failedReason: string;
              data: { papers: { paperId: string }[] };
            },
        );
      const listedPapers = new Set(listed.flatMap((j) => j.data.papers.map((p) => p.paperId)));
      const attemptGaps = failedExtract.map((j) => attemptGapsOf(String(j.id)));
      recordResult({
        scenario: '11b retries exhausted (detail)',
        poisonPapers: poisonIds.length,
        failedExtractJobs: failedExtract.length,
        papersInFailedJobs: failedExtract.reduce(
          (n, j) => n + (j.data as { papers: unknown[] }).papers.length,
          0,
        ),
        attempts: failedExtract.map((j) => j.attemptsMade),
        enqueuedToFailedSeconds: failedExtract.map((j) =>
          Number(((j.finishedOn! - j.timestamp) / 1000).toFixed(1)),
        ),
        attemptGapsSeconds: attemptGaps,
        failedReason: failedExtract[0]?.failedReason,
        cliListed: listed.map((j) => ({ id: j.id, attempts: j.attempts, papers: j.data.papers.length })),
      });
      expectClean(r);
      expect(r.deadLettered).toBe(
        failedExtract.reduce((n, j) => n + (j.data as { papers: unknown[] }).papers.length, 0),
      );
      expect(poisonIds).toHaveLength(poisonKeys.length);
      for (const j of failedExtract) {
        expect(j.attemptsMade).toBe(8);
        expect(j.failedReason).toMatch(/null value in column "value".*violates not-null constraint/);
        // Backoff: 7 waits of ~1, 2, 4 … 64 s (jitter 0.5 takes up to half of each off) lie between the attempts.
        expect(j.finishedOn! - j.timestamp).toBeGreaterThan(60_000);
      }
      for (const id of poisonIds) expect(listedPapers.has(id)).toBe(true);
      expect(listed.filter((j) => failedExtract.some((f) => f.id === j.id)).map((j) => j.attempts)).toEqual(
        failedExtract.map(() => 8),
      );
    },
  );

  it('1. SIGKILL of each stage in turn mid-batch, then of all at once', async () => {
    const killed: string[] = [];
    const ingesting = run.ingest(N);
    for (const name of ['parser', 'classifier', 'metric-extractor', 'notifier', 'fetcher'] as const) {
      const mid = name === 'fetcher' ? true : await run.waitActive(QUEUE_OF[name], 180_000);
      await run.sigkill(name);
      killed.push(mid ? name : `${name} (idle)`);
      await run.start(name);
    }
    await ingesting;
    const midAll = await run.waitActive('classify', 60_000);
    await Promise.all(PIPELINE.map((n) => run.sigkill(n)));
    killed.push(midAll ? 'all five at once' : 'all five at once (classify idle)');
    const restartAt = Date.now();
    await run.startAll();
    const r = await run.check(
      '1 SIGKILL each stage, then all',
      load,
      `SIGKILL ${killed.join(', ')}; restart`,
      restartAt,
    );
    expectClean(r);
    expect(r.recoverySeconds).toBeLessThan(300);
  });

  full(
    '3. a processor stuck past its lock (SIGSTOP, as a blocked event loop): another replica takes over, nothing doubles',
    async () => {
      const stuck = run.procs.get('classifier')!;
      const ingesting = run.ingest(N);
      const mid = await run.waitActive('classify', 180_000);
      // A stopped process renews no lock, exactly like one whose event loop is blocked.
      stuck.kill('SIGSTOP');
      const stoppedAt = Date.now();
      await run.start('classifier'); // a second replica: it finds the stalled jobs once their lock expires
      await ingesting;
      await sleep(Math.max(0, 45_000 - (Date.now() - stoppedAt)));
      stuck.kill('SIGCONT');
      const resumedAt = Date.now();
      const r = await run.check(
        '3 processor stuck past its lock',
        load,
        `SIGSTOP a classifier ${mid ? 'mid-batch' : '(idle)'} for 45 s (lock 30 s), a second replica running; SIGCONT`,
        resumedAt,
      );
      expectClean(r);
      // The resumed process lost its locks but keeps running (no crash, no double writes).
      expect(stuck.proc.exitCode).toBeNull();
      await stuck.stop(25_000);
    },
  );

  full('9. a crash right after a commit: the re-run is a no-op', async () => {
    const before = await run.stageCount('classified_at');
    await run.ingest(N);
    // Poll until the classifier has committed a batch of the new papers, then SIGKILL it at once.
    let seen = before;
    for (const deadline = Date.now() + 180_000; seen === before && Date.now() < deadline;) {
      seen = await run.stageCount('classified_at');
      if (seen === before) await sleep(3);
    }
    await run.sigkill('classifier');
    expect(seen).toBeGreaterThan(before);
    const activeAtKill = await run.queues.get('classify').getActiveCount();
    const snapshot = await classifiedSnapshot(run);
    const restartAt = Date.now();
    await run.start('classifier');
    const r = await run.check(
      '9 crash after commit',
      load,
      `SIGKILL classifier right after ${seen - before} papers were committed (${activeAtKill} classify jobs active); restart`,
      restartAt,
    );
    expectClean(r);
    // The papers committed before the kill were not classified again: same timestamps, same topic rows.
    const after = await classifiedSnapshot(run, snapshot.ids);
    expect(after).toEqual(snapshot);
  });

  it('10. re-enqueue of every finished paper adds no rows and no deliveries', async () => {
    const before = await run.rowCounts();
    const stamps = await run.db.ds.query(
      `SELECT max(updated_at)::text AS p, (SELECT max(updated_at)::text FROM deliveries) AS d FROM papers`,
    );
    const refs: { paperId: string; contentHash: string }[] = (
      await run.db.ds.query(`SELECT id, content_hash FROM papers WHERE stage = 'notified'`)
    ).map((r: { id: string; content_hash: string }) => ({ paperId: r.id, contentHash: r.content_hash }));
    const t0 = Date.now();
    const ids: [string, string][] = [];
    for (const [name, queue] of [
      ['classify-papers', 'classify'],
      ['match-subscriptions', 'notify'],
    ] as const) {
      const jobs = [];
      for (let i = 0; i < refs.length; i += 100) {
        jobs.push({
          name,
          data: { papers: refs.slice(i, i + 100) },
          opts: { jobId: `reenqueue-${queue}-${i}-${t0}` },
        });
        ids.push([queue, `reenqueue-${queue}-${i}-${t0}`]);
      }
      await run.queues.get(queue).addBulk(jobs);
    }
    const r = await run.check(
      '10 re-enqueue finished papers',
      `${refs.length} finished papers re-enqueued to classify and notify`,
      `${ids.length} batch jobs with fresh ids`,
      t0,
    );
    expectClean(r);
    // Every re-enqueued job really ran (and completed) — the no-op is the stages' doing, not a skipped job.
    const states = await Promise.all(
      ids.map(async ([q, id]) => (await run.queues.get(q).getJob(id))?.getState()),
    );
    expect(states.filter((s) => s !== 'completed')).toEqual([]);
    expect(await run.rowCounts()).toEqual(before);
    expect(
      await run.db.ds.query(
        `SELECT max(updated_at)::text AS p, (SELECT max(updated_at)::text FROM deliveries) AS d FROM papers`,
      ),
    ).toEqual(stamps);
    expect(refs.length).toBeGreaterThanOrEqual(QUICK ? 2 * N : 3 * N);
  });

  full('7. papers table locked for 30 s: queues stay bounded, the pipeline recovers', async () => {
    const lockSeconds = 30;
    await run.ingest(N);
    await run.waitActive('classify', 120_000);
    const client = new Client({ connectionString: run.db.url });
    await client.connect();
    await client.query('BEGIN');
    await client.query(`LOCK TABLE "${run.db.schema}".papers IN ACCESS EXCLUSIVE MODE`);
    let maxPending = 0;
    for (const end = Date.now() + lockSeconds * 1000; Date.now() < end;) {
      const { active, pending } = await run.pendingJobs();
      maxPending = Math.max(maxPending, active + pending);
      await sleep(500);
    }
    await client.query('COMMIT');
    await client.end();
    const releasedAt = Date.now();
    const r = await run.check(
      '7 table lock',
      load,
      `LOCK TABLE papers ACCESS EXCLUSIVE for ${lockSeconds} s`,
      releasedAt,
    );
    recordResult({ scenario: '7 table lock (detail)', maxPendingJobsDuringLock: maxPending });
    expectClean(r);
    // One parse job per document plus one batch job per 50 papers for each of three paper queues.
    expect(maxPending).toBeLessThanOrEqual(10 + 3 * Math.ceil(N / 50) + 50);
  });

  full('2. SIGTERM under load: every service drains within 25 s, nothing left active', async () => {
    await run.ingest(N);
    await run.waitActive('classify', 120_000);
    const stops = await Promise.all(
      PIPELINE.map(async (n) => ({ name: n, ...(await run.procs.get(n)!.stop(25_000)) })),
    );
    const { active } = await run.pendingJobs();
    recordResult({ scenario: '2 SIGTERM (detail)', stops, activeAfterStop: active });
    for (const s of stops) {
      expect({ name: s.name, forced: s.forced }).toEqual({ name: s.name, forced: false });
      expect(s.ms).toBeLessThan(25_000);
    }
    expect(active).toBe(0);
    const restartAt = Date.now();
    await run.startAll();
    const r = await run.check(
      '2 SIGTERM under load',
      load,
      `SIGTERM all five (slowest drain ${Math.max(...stops.map((s) => s.ms))} ms); restart`,
      restartAt,
    );
    expectClean(r);
  });
});

async function waitForFailed(run: ChaosRun, queue: string, jobId: string) {
  for (const deadline = Date.now() + 300_000; Date.now() < deadline; await sleep(500)) {
    const job = await run.queues.get(queue).getJob(jobId);
    if (job && (await job.getState()) === 'failed') return job;
  }
  throw new Error(`job ${queue}/${jobId} never reached the failed set`);
}

async function classifiedSnapshot(run: ChaosRun, ids?: string[]) {
  const rows: { id: string; classified_at: string }[] = ids
    ? await run.db.ds.query(
        `SELECT id, classified_at::text FROM papers WHERE id = ANY($1::uuid[]) ORDER BY id`,
        [ids],
      )
    : await run.db.ds.query(
        `SELECT id, classified_at::text FROM papers WHERE classified_at IS NOT NULL ORDER BY id`,
      );
  const topics: { n: string; last: string }[] = await run.db.ds.query(
    `SELECT count(*) AS n, max(classified_at)::text AS last FROM paper_topics WHERE paper_id = ANY($1::uuid[])`,
    [rows.map((r) => r.id)],
  );
  return { ids: rows.map((r) => r.id), classifiedAt: rows.map((r) => r.classified_at), topics: topics[0] };
}

/** Seconds between the logged attempts of a job (every failed attempt is logged at warn with its number). */
function attemptGapsOf(jobId: string): number[] {
  const dir = artifactsDir('logs');
  const at = readdirSync(dir)
    .filter((f) => f.startsWith('chaos-proc-metric-extractor-'))
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n'))
    .filter((l) => l.startsWith('{') && l.includes(jobId))
    .map((l) => JSON.parse(l) as { jobId?: string; attempt?: number; time: string })
    .filter((l) => l.jobId === jobId && l.attempt !== undefined)
    .sort((a, b) => a.attempt! - b.attempt!)
    .map((l) => Date.parse(l.time));
  return at.slice(1).map((t, k) => Number(((t - at[k]) / 1000).toFixed(1)));
}
