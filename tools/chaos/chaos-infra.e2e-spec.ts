import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createApiKey } from '@paperwire/db';
import { artifactsDir, waitFor } from '@paperwire/testing';
import {
  CI_PAPERS,
  PIPELINE,
  QUICK,
  PAPERS_PER_SCENARIO,
  ChaosRun,
  ScratchRedis,
  freePort,
  recordResult,
  sleep,
} from './chaos-harness';
import { SCENARIO_LOAD, chaosDescribe, expectClean, fullOnly, loadOf } from './chaos-suite';

// Infrastructure faults, each against a SCRATCH engine started here (never the shared Redis on 6379
// or the shared Postgres cluster): Redis with an evicting policy, Redis killed and restarted (with
// its AOF, and without persistence: every job lost), Redis paused, Postgres stopped and restarted. CHAOS_QUICK=1 runs the eviction-policy check and
// the Redis data loss (4b) on the quick load.

jest.setTimeout(900_000);

const N = PAPERS_PER_SCENARIO;

chaosDescribe('chaos: Redis faults (scratch redis-server)', () => {
  it('8. Redis with maxmemory-policy allkeys-lru: services refuse to start with a clear error', async () => {
    const redis = new ScratchRedis(await freePort(), [
      '--maxmemory',
      '64mb',
      '--maxmemory-policy',
      'allkeys-lru',
    ]);
    await redis.start();
    const run = new ChaosRun('lru', { redisUrl: redis.url });
    try {
      await run.setup();
      let error = '';
      await run.start('classifier').then(
        () => undefined,
        (e: Error) => (error = e.message),
      );
      expect(error).toMatch(/exited \(1\) before it was ready/);
      const log = readFileSync(join(artifactsDir('logs'), `chaos-lru-classifier-1.log`), 'utf8');
      expect(log).toMatch(/maxmemory-policy is \\?"allkeys-lru\\?"; BullMQ needs \\?"noeviction\\?"/);
      recordResult({
        scenario: '8 allkeys-lru',
        refusedToStart: true,
        error: /maxmemory-policy[^"]*"[^"]*"[^"]*"[^"]*"/.exec(log)?.[0] ?? log.slice(0, 200),
      });
    } finally {
      await run.teardown();
      await redis.kill9();
    }
  });

  fullOnly(
    '4. Redis killed (SIGKILL) mid-run and restarted after 10 s: workers resume without a restart',
    async () => {
      const redis = new ScratchRedis(await freePort());
      await redis.start();
      const run = new ChaosRun('redis', { redisUrl: redis.url });
      try {
        await run.setup();
        await run.startAll();
        await run.ingest(N);
        await run.waitActive('classify', 120_000);
        const progress = await run.stageCount('notified_at');
        await redis.kill9();
        await sleep(10_000);
        await redis.start();
        const restartAt = Date.now();
        const r = await run.check(
          '4 Redis SIGKILL + restart',
          SCENARIO_LOAD,
          `redis-server SIGKILL at ${progress} notified, down 10 s, restarted (AOF)`,
          restartAt,
          420_000,
        );
        const alive = [...run.procs.values()]
          .filter((p) => p.proc.exitCode === null && p.proc.signalCode === null)
          .map((p) => p.name);
        recordResult({ scenario: '4 Redis restart (detail)', servicesStillRunning: alive });
        expectClean(r);
        expect(alive).toHaveLength(PIPELINE.length);
      } finally {
        await run.teardown();
        await redis.kill9();
      }
    },
  );

  // In CHAOS_QUICK too (CI-sized by PAPERS_PER_SCENARIO): the sweeper's whole reason to exist.
  it(
    '4b. Redis loses every job (no persistence, SIGKILL, restarted empty): the sweeper recovers all from Postgres',
    async () => {
      // No AOF, no RDB: what a restart does to a Redis run without persistence (or a failover to an empty replica).
      const redis = new ScratchRedis(await freePort(), ['--appendonly', 'no']);
      await redis.start();
      const run = new ChaosRun('redisloss', { redisUrl: redis.url });
      try {
        await run.setup();
        await run.startAll();
        // First half: let papers spread over every stage; second half: acknowledged parse jobs only.
        const n = QUICK ? CI_PAPERS : N;
        const half = QUICK ? Math.ceil(n / 2) : Math.max(500, Math.floor(N / 1000) * 500);
        await run.ingest(half);
        await waitFor(
          'first deliveries',
          async () => (await run.stageCount('notified_at')) > 0,
          300_000,
          200,
        );
        await run.ingest(n - half);
        const atKill = await strandedWork(run);
        // The log file is appended to across runs: only what the sweeper writes from here on counts.
        const sweeperLogFile = run.logFiles.get('sweeper')!;
        const sweeperLogFrom = statSync(sweeperLogFile).size;
        await redis.kill9();
        await sleep(5_000);
        await redis.start();
        const restartAt = Date.now();
        const jobsAfterRestart = (await run.pendingJobs()).pending + (await run.failedJobs()).length;
        const r = await run.check(
          '4b Redis data loss',
          loadOf(n),
          `redis-server without persistence SIGKILLed with ${atKill.queuedJobs} jobs queued, down 5 s, restarted empty`,
          restartAt,
          420_000,
        );
        const alive = [...run.procs.values()]
          .filter((p) => p.proc.exitCode === null && p.proc.signalCode === null)
          .map((p) => p.name);
        const sweeperLog = readFileSync(sweeperLogFile).subarray(sweeperLogFrom).toString('utf8');
        recordResult({
          scenario: '4b Redis data loss (detail)',
          atKill,
          jobsAfterRestart,
          scheduleReRegistered: sweeperLog.includes('reconcile schedule is missing'),
          servicesStillRunning: alive,
        });
        expectClean(r);
        expect(jobsAfterRestart).toBe(0);
        expect(atKill.queuedJobs).toBeGreaterThan(0);
        expect(atKill.rawDocumentsFetched).toBeGreaterThan(0);
        expect(alive).toHaveLength(PIPELINE.length);
        expect(sweeperLog).toMatch(/reconcile schedule is missing from Redis/);
      } finally {
        await run.teardown();
        await redis.kill9();
      }
    },
  );

  fullOnly('5. Redis paused 30 s (CLIENT PAUSE ALL): workers resume; api producer latency measured', async () => {
    const pauseMs = 30_000;
    const redis = new ScratchRedis(await freePort());
    await redis.start();
    const run = new ChaosRun('pause', { redisUrl: redis.url });
    try {
      await run.setup();
      await run.startAll();
      const api = await run.start('api');
      const { key } = await createApiKey(run.db.ds, { name: 'chaos', scopes: ['admin'] });
      const sourceId = (await run.db.ds.query(`SELECT id FROM sources WHERE name = 'upload'`))[0]
        .id as string;
      await run.ingest(N);
      await run.waitActive('classify', 120_000);
      const admin = new Redis(redis.url);
      await admin.call('CLIENT', 'PAUSE', String(pauseMs), 'ALL');
      admin.disconnect();
      const pausedAt = Date.now();
      await sleep(1000);
      // The api's producer path: POST /v1/sources/:id/poll enqueues a fetch-source job.
      const t = Date.now();
      const res = await fetch(`http://127.0.0.1:${api.port}/v1/sources/${sourceId}/poll`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}` },
        signal: AbortSignal.timeout(pauseMs + 15_000),
      }).then(
        (x) => ({ status: x.status }),
        (e: Error) => ({ status: 0, error: e.message }),
      );
      const producer = { ...res, ms: Date.now() - t, pauseMs };
      const ready = await fetch(`http://127.0.0.1:${api.port}/readyz`).then(
        (x) => x.status,
        () => 0,
      );
      recordResult({ scenario: '5 Redis pause (api producer)', producer, readyzAfterPause: ready });
      const r = await run.check(
        '5 Redis CLIENT PAUSE',
        SCENARIO_LOAD,
        `CLIENT PAUSE ${pauseMs / 1000} s ALL`,
        pausedAt + pauseMs,
        420_000,
        [
          // the probe's fetch-source job (an upload source has nothing to fetch) retries for ~95 s
          'fetch',
        ],
      );
      expectClean(r);
      // Fail fast means a 503 well before the pause ends; recorded above, asserted here.
      expect(producer.status).toBe(503);
      expect(producer.ms).toBeLessThan(5_000);
    } finally {
      await run.teardown();
      await redis.kill9();
    }
  });
});

chaosDescribe('chaos: Postgres stopped (scratch cluster)', () => {
  fullOnly(
    '6. Postgres stopped (immediate) mid-run and restarted after 10 s: backoff, no hot loop, no loss',
    async () => {
      const bin = readdirSync('/usr/lib/postgresql')
        .sort()
        .reverse()
        .map((v) => `/usr/lib/postgresql/${v}/bin`)[0];
      // initdb refuses to run as root: when the suite runs as root, the scratch cluster belongs to the
      // postgres OS user (runuser), in a temporary directory that user owns.
      const dir = mkdtempSync(join(tmpdir(), 'pw-chaos-pg-'));
      const asRoot = process.getuid?.() === 0;
      if (asRoot) spawnSync('chown', ['postgres:', dir]);
      const data = join(dir, 'data');
      const port = await freePort();
      const sh = (cmd: string, args: string[]) => {
        const res = asRoot
          ? spawnSync('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args], {
              encoding: 'utf8',
              timeout: 120_000,
            })
          : spawnSync(join(bin, cmd), args, { encoding: 'utf8', timeout: 120_000 });
        if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${res.stderr}`);
      };
      const pgStart = () =>
        sh('pg_ctl', [
          '-D',
          data,
          '-o',
          `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
          '-l',
          join(dir, 'log'),
          '-w',
          'start',
        ]);
      sh('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres']);
      pgStart();
      const run = new ChaosRun('pg', { databaseUrl: `postgres://postgres@127.0.0.1:${port}/test` });
      try {
        await run.setup();
        await run.startAll();
        await run.ingest(N);
        await run.waitActive('classify', 120_000);
        const logBytes = () =>
          logsOf('chaos-pg-').reduce((n, f) => n + readFileSync(f, 'utf8').split('\n').length, 0);
        const linesBefore = logBytes();
        sh('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
        const downAt = Date.now();
        await sleep(10_000);
        const linesDuring = logBytes() - linesBefore;
        pgStart();
        const upAt = Date.now();
        const outageSeconds = (upAt - downAt) / 1000;
        const r = await run.check(
          '6 Postgres stop -m immediate',
          SCENARIO_LOAD,
          `pg_ctl stop -m immediate, down ${outageSeconds.toFixed(0)} s, restarted`,
          upAt,
          420_000,
        );
        const failedJobs = (
          await Promise.all(
            (['parse', 'search', 'classify', 'extract', 'notify', 'deliver'] as const).map((q) =>
              run.queues.get(q).getFailedCount(),
            ),
          )
        ).reduce((a, b) => a + b, 0);
        recordResult({
          scenario: '6 Postgres stop (detail)',
          logLinesDuringOutage: linesDuring,
          logLinesPerSecond: Number((linesDuring / outageSeconds).toFixed(1)),
          failedJobs,
        });
        expectClean(r);
        // No hot loop: retries back off, so the five services log a bounded number of lines per second.
        expect(linesDuring / outageSeconds).toBeLessThan(50);
      } finally {
        await run.teardown();
        try {
          sh('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
        } catch {
          // already stopped
        }
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});

function logsOf(prefix: string): string[] {
  const dir = artifactsDir('logs');
  return readdirSync(dir)
    .filter((f) => f.startsWith(prefix))
    .map((f) => join(dir, f));
}

/** The work Redis holds right before it is killed, and where it stands in Postgres. */
async function strandedWork(run: ChaosRun) {
  const { active, pending } = await run.pendingJobs();
  const n = async (sql: string) => Number((await run.db.ds.query(sql))[0].n);
  const stages: { stage: string; n: string }[] = await run.db.ds.query(
    `SELECT stage, count(*) AS n FROM paper_stages GROUP BY stage ORDER BY stage`,
  );
  return {
    queuedJobs: active + pending,
    rawDocumentsFetched: await n(`SELECT count(*) AS n FROM raw_documents WHERE status = 'fetched'`),
    papersByStage: Object.fromEntries(stages.map((s) => [s.stage, Number(s.n)])),
    deliveriesOpen: await n(`SELECT count(*) AS n FROM deliveries WHERE status IN ('pending', 'sending')`),
  };
}
