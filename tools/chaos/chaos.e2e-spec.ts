import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import type { Job } from 'bullmq';
import { batchJobId, type PaperRef, type QueueName } from '@paperwire/contracts';
import { extractClaims } from '@paperwire/metrics';
import { artifactsDir, runCli } from '@paperwire/testing';
import { arxivIdOf } from '../bench/corpus';
import {
  CI_PAPERS,
  PIPELINE,
  PAPERS_PER_SCENARIO,
  QUEUE_OF,
  QUICK,
  ChaosRun,
  recordResult,
  sleep,
  type CheckReport,
} from './chaos-harness';
import { SCENARIO_LOAD, chaosDescribe, expectClean, fullOnly, loadOf } from './chaos-suite';

// Process-level faults against one pipeline (shared Postgres and Redis, own schema and queue
// prefix): poison jobs, papers that exhaust their retries, SIGKILL of each stage mid-batch and of
// all at once, a stage stuck past its lock, a crash right after a commit, a re-enqueue of every
// finished paper, a 30 s table lock and SIGTERM under load. Each
// scenario adds PAPERS_PER_SCENARIO new papers and ends with the checker over the whole history.
// CHAOS_QUICK=1 runs the poison, SIGKILL, re-enqueue and SIGTERM scenarios on 1,000 papers each.
// Order matters in full mode: 10 runs after 11, 1 and 9, so it re-enqueues ≥ 3 × N finished papers.

jest.setTimeout(900_000);

const N = PAPERS_PER_SCENARIO;

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
    await run.queues.enqueue('parse-document', { rawDocumentId: docId });
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
      SCENARIO_LOAD,
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

  fullOnly(
    '11b. a paper whose claims are refused on every attempt is dead-lettered alone; its batch-mates are stored',
    async () => {
      // A database-level fault no code fix removes: a trigger in this run's schema refuses every claim
      // row of the marked papers with SQLSTATE 23514. Each batch holding one fails as a whole, is split
      // into one job per paper (a data error), and only the poison paper's job exhausts its retries.
      const t0 = Date.now();
      const removeFault = await refuseClaimsOfMarkedPapers(run);
      try {
        const poisonKeys: string[] = [];
        await run.ingest(N, {
          // one paper in every thousand of this scenario's papers
          abstractOf: (i, abstract) => {
            if (i % 1000 !== 500) return abstract;
            poisonKeys.push(`arxiv:${arxivIdOf(i)}`);
            return `${abstract} ${POISON_SENTENCE}`;
          },
        });
        expect(poisonKeys).toHaveLength(Math.ceil(N / 1000));
        const r = await run.check(
          '11b retries exhausted',
          SCENARIO_LOAD,
          `${poisonKeys.length} papers whose claims INSERT a trigger refuses (check_violation) on every attempt (8 attempts, exponential backoff); their batches split`,
          t0,
          420_000,
        );
        await expectPoisonDeadLetteredAlone(run, r, poisonKeys);
      } finally {
        await removeFault();
      }
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
    killed.push(midAll ? `all ${PIPELINE.length} at once` : `all ${PIPELINE.length} at once (classify idle)`);
    const restartAt = Date.now();
    await run.startAll();
    const r = await run.check(
      '1 SIGKILL each stage, then all',
      SCENARIO_LOAD,
      `SIGKILL ${killed.join(', ')}; restart`,
      restartAt,
    );
    expectClean(r);
    expect(r.recoverySeconds).toBeLessThan(300);
  });

  fullOnly(
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
        SCENARIO_LOAD,
        `SIGSTOP a classifier ${mid ? 'mid-batch' : '(idle)'} for 45 s (lock 30 s), a second replica running; SIGCONT`,
        resumedAt,
      );
      expectClean(r);
      // The resumed process lost its locks but keeps running (no crash, no double writes).
      expect(stuck.proc.exitCode).toBeNull();
      await stuck.stop(25_000);
    },
  );

  fullOnly('9. a crash right after a commit: the re-run is a no-op', async () => {
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
      SCENARIO_LOAD,
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
      await run.db.ds.query(`SELECT paper_id AS id, content_hash FROM paper_stages WHERE stage = 'notified'`)
    ).map((r: { id: string; content_hash: string }) => ({ paperId: r.id, contentHash: r.content_hash }));
    const t0 = Date.now();
    const ids: [QueueName, string][] = [];
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

  fullOnly('7. papers table locked for 30 s: queues stay bounded, the pipeline recovers', async () => {
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
      SCENARIO_LOAD,
      `LOCK TABLE papers ACCESS EXCLUSIVE for ${lockSeconds} s`,
      releasedAt,
    );
    recordResult({ scenario: '7 table lock (detail)', maxPendingJobsDuringLock: maxPending });
    expectClean(r);
    // One parse job per document plus one batch job per 50 papers for each of three paper queues.
    expect(maxPending).toBeLessThanOrEqual(10 + 3 * Math.ceil(N / 50) + 50);
  });

  // In CHAOS_QUICK too, on the quick load: a rolling deploy is the fault every install meets.
  it('2. SIGTERM under load: every service drains within 25 s, nothing left active', async () => {
    const n = QUICK ? CI_PAPERS : N;
    await run.ingest(n);
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
      loadOf(n),
      `SIGTERM all ${PIPELINE.length} (slowest drain ${Math.max(...stops.map((s) => s.ms))} ms); restart`,
      restartAt,
    );
    expectClean(r);
  });
});

async function waitForFailed(run: ChaosRun, queue: QueueName, jobId: string) {
  for (const deadline = Date.now() + 300_000; Date.now() < deadline; await sleep(500)) {
    const job = await run.queues.get(queue).getJob(jobId);
    if (job && (await job.getState()) === 'failed') return job;
  }
  throw new Error(`job ${queue}/${jobId} never reached the failed set`);
}

async function classifiedSnapshot(run: ChaosRun, ids?: string[]) {
  const rows: { id: string; classified_at: string }[] = ids
    ? await run.db.ds.query(
        `SELECT paper_id AS id, classified_at::text FROM paper_stages WHERE paper_id = ANY($1::uuid[]) ORDER BY paper_id`,
        [ids],
      )
    : await run.db.ds.query(
        `SELECT paper_id AS id, classified_at::text FROM paper_stages WHERE classified_at IS NOT NULL ORDER BY paper_id`,
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

/** Written into the abstracts of 11b's poison papers; the trigger of `refuseClaimsOfMarkedPapers` looks for it. */
const POISON_MARKER = 'chaospoisonmarker';
/** Ends every poison abstract: the extractor surely turns "improves accuracy by 12.5%" into a claim. */
const POISON_SENTENCE = `Chaos poison paper (marker ${POISON_MARKER}): the refined head improves accuracy by 12.5% on the held-out split.`;

const papersOf = (j: Job) => (j.data as { papers: PaperRef[] }).papers;

/**
 * Installs a trigger in the run's own schema that refuses, with SQLSTATE 23514 (check_violation),
 * every claim row of a paper whose abstract carries POISON_MARKER (spelled out in the SQL: DDL takes
 * no parameters; the scenario asserts the marker finds exactly its poison papers). WHEN cannot hold
 * a subquery, so the function looks the paper up. Returns the undo.
 */
async function refuseClaimsOfMarkedPapers(run: ChaosRun): Promise<() => Promise<void>> {
  const s = run.db.schema;
  await run.db.ds.query(
    `CREATE FUNCTION "${s}".chaos_refuse_poison_claims() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       IF EXISTS (SELECT 1 FROM "${s}".papers p WHERE p.id = NEW.paper_id AND p.abstract LIKE '%chaospoisonmarker%') THEN
         RAISE EXCEPTION 'claims of paper % refused (chaos trigger, check_violation)', NEW.paper_id
           USING ERRCODE = 'check_violation';
       END IF;
       RETURN NEW;
     END $$`,
  );
  await run.db.ds.query(
    `CREATE TRIGGER chaos_refuse_poison_claims BEFORE INSERT ON "${s}".paper_claims
     FOR EACH ROW EXECUTE FUNCTION "${s}".chaos_refuse_poison_claims()`,
  );
  return async () => {
    await run.db.ds.query(`DROP TRIGGER chaos_refuse_poison_claims ON "${s}".paper_claims`);
    await run.db.ds.query(`DROP FUNCTION "${s}".chaos_refuse_poison_claims()`);
  };
}

/**
 * 11b's outcome: the dead-letter set is exactly the poison papers, one failed single-paper
 * `extract-claims` split job each after all its attempts; each poison paper's batch was split (the
 * parent completed) and its batch-mates were stored through their own split jobs.
 */
async function expectPoisonDeadLetteredAlone(
  run: ChaosRun,
  r: CheckReport,
  poisonKeys: string[],
): Promise<void> {
  const poison: { id: string; paper_key: string; stage: string; abstract: string; claims: string }[] =
    await run.db.ds.query(
      `SELECT p.id, p.paper_key, s.stage, p.abstract, (SELECT count(*) FROM paper_claims c WHERE c.paper_id = p.id) AS claims
         FROM papers p JOIN paper_stages s ON s.paper_id = p.id WHERE p.abstract LIKE $1 ORDER BY p.paper_key`,
      [`%${POISON_MARKER}%`],
    );
  const poisonIds = poison.map((p) => p.id).sort();
  const notNotified: string[] = (
    await run.db.ds.query(`SELECT paper_id AS id FROM paper_stages WHERE stage <> 'notified' ORDER BY paper_id`)
  ).map((p: { id: string }) => p.id);

  const failedExtract = await run.queues.get('extract').getFailed(0, -1);
  // Any other failed batch of papers, in any queue (scenario 11's invalid payload names no real paper).
  const otherFailedBatches = (await run.failedJobs())
    .filter(
      (j) =>
        (j.data as { papers?: unknown }).papers &&
        j.queueName !== 'extract' &&
        j.id !== 'poison-invalid-payload',
    )
    .map((j) => `${j.queueName}/${j.id}`);
  const completed = await run.queues.get('extract').getCompleted(0, -1);
  const parents = completed.filter(
    (j) =>
      typeof (j.returnvalue as { split?: unknown } | null)?.split === 'number' &&
      papersOf(j).some((p) => poisonIds.includes(p.paperId)),
  );
  const mates = parents.flatMap((j) => papersOf(j).filter((p) => !poisonIds.includes(p.paperId)));
  const completedIds = new Set(completed.map((j) => String(j.id)));
  const mateIds = new Set(mates.map((m) => m.paperId));
  const normal = completed
    .filter(
      (j) =>
        (j.returnvalue as { extracted?: unknown } | null)?.extracted !== undefined && papersOf(j).length > 1,
    )
    .map((j) => j.finishedOn! - j.processedOn!)
    .sort((a, b) => a - b);
  const splitCost = await Promise.all(
    parents.map(async (j) => {
      const last = (
        await run.db.ds.query(
          `SELECT extract(epoch FROM max(extracted_at)) * 1000 AS ms FROM paper_stages WHERE paper_id = ANY($1::uuid[])`,
          [papersOf(j).map((p) => p.paperId)],
        )
      )[0] as { ms: string };
      return {
        id: String(j.id),
        papers: papersOf(j).length,
        parentMs: j.finishedOn! - j.processedOn!,
        matesExtractedAfterSeconds: Number(((Number(last.ms) - j.processedOn!) / 1000).toFixed(1)),
      };
    }),
  );
  const mateNotifyJobs = (await run.queues.get('notify').getCompleted(0, -1)).filter(
    (j) => papersOf(j).length === 1 && mateIds.has(papersOf(j)[0].paperId),
  ).length;
  // What an operator sees: `paperwire failed list --queue extract`.
  const listed = runCli(['failed', 'list', '--queue', 'extract'], run.env)
    .trim()
    .split('\n')
    .map(
      (l) =>
        JSON.parse(l) as { id: string; attemptsMade: number; failedReason: string; data: { papers: PaperRef[] } },
    );
  recordResult({
    scenario: '11b retries exhausted (detail)',
    poisonPapers: poison.length,
    poisonClaimsExpected: poison.map((p) => extractClaims(p.abstract).length),
    failedExtractJobs: failedExtract.map((j) => ({
      id: j.id,
      papers: papersOf(j).length,
      attempts: j.attemptsMade,
    })),
    enqueuedToFailedSeconds: failedExtract.map((j) =>
      Number(((j.finishedOn! - j.timestamp) / 1000).toFixed(1)),
    ),
    attemptGapsSeconds: failedExtract.map((j) => attemptGapsOf(String(j.id))),
    failedReason: failedExtract[0]?.failedReason,
    splitParents: splitCost,
    completedSplitJobsOfMates: mates.filter((m) => completedIds.has(`${batchJobId('extract', [m])}-split`))
      .length,
    singlePaperNotifyJobsOfMates: mateNotifyJobs,
    normalExtractBatchMsMedian: normal[Math.floor(normal.length / 2)],
    cliListed: listed.map((j) => ({ id: j.id, attempts: j.attemptsMade, papers: j.data.papers.length })),
  });

  expectClean(r);
  // The marker finds exactly the poison papers, each with a claim the trigger refuses and none stored.
  expect(poison.map((p) => p.paper_key)).toEqual([...poisonKeys].sort());
  for (const p of poison) {
    expect(extractClaims(p.abstract).length).toBeGreaterThan(0);
    expect({ stage: p.stage, claims: Number(p.claims) }).toEqual({ stage: 'classified', claims: 0 });
  }
  // Dead letter = exactly the poison papers; every other paper notified.
  expect(r.deadLettered).toBe(poisonKeys.length);
  expect(r.stored).toBe(r.papersIn - poisonKeys.length);
  expect(notNotified).toEqual(poisonIds);
  expect(otherFailedBatches).toEqual([]);
  // One failed single-paper split job per poison paper, after all its attempts, with the trigger's reason.
  expect(failedExtract.map((j) => papersOf(j)[0].paperId).sort()).toEqual(poisonIds);
  for (const j of failedExtract) {
    const [ref] = papersOf(j);
    expect({ name: j.name, id: j.id, papers: papersOf(j).length }).toEqual({
      name: 'extract-claims',
      id: `${batchJobId('extract', [ref])}-split`,
      papers: 1,
    });
    expect(j.attemptsMade).toBe(j.opts.attempts);
    expect(j.attemptsMade).toBe(8);
    expect(j.failedReason).toBe(`claims of paper ${ref.paperId} refused (chaos trigger, check_violation)`);
    // Backoff: 7 waits of ~1, 2, 4 … 64 s (jitter 0.5 takes up to half of each off) lie between the attempts.
    expect(j.finishedOn! - j.timestamp).toBeGreaterThan(60_000);
  }
  // Each poison paper's batch was split once (the parent completed), and each batch-mate was stored by its own split job.
  expect(
    parents
      .flatMap((j) => papersOf(j).map((p) => p.paperId))
      .filter((id) => poisonIds.includes(id))
      .sort(),
  ).toEqual(poisonIds);
  for (const j of parents) expect((j.returnvalue as { split: number }).split).toBe(papersOf(j).length);
  expect(mates.length).toBeGreaterThan(0);
  for (const m of mates) expect(completedIds.has(`${batchJobId('extract', [m])}-split`)).toBe(true);
  // The operator's listing shows them.
  for (const j of failedExtract) {
    expect(listed.find((l) => l.id === j.id)).toMatchObject({ attempts: 8, data: { papers: papersOf(j) } });
  }
}
