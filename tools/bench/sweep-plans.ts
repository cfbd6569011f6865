// `node tools/run.js tools/bench/sweep-plans [--papers N] [--remove]`
// The sweeper's periodic passes at the size of a `bench:api` dataset (bench_api_N), each statement captured with
// auto_explain (explain-log.ts: a login role of its own, nested statements included): two sweeps back to back (the
// first of a sweeper that just started, then a steady one), each statement's buffers and ms. `--remove` also removes
// one paper as `paperwire papers remove` / DELETE /v1/admin/papers/{id} do (removePapers), its statements likewise.
import { removePapers } from '@paperwire/actions';
import { QUEUE_NAMES } from '@paperwire/contracts';
import { createDataSource } from '@paperwire/db';
import { QueueSet, createRedis } from '@paperwire/queue';
import { Sweeper } from '@paperwire/recovery';
import { explainRole, logSize, plansSince, ROLE, type Plan } from './explain-log';
import { DB_URL, REDIS_URL, argValue } from './harness';

const log = (s: string) => process.stderr.write(`${s}\n`);

function report(what: string, ms: number, plans: Plan[]): void {
  const buffers = plans.reduce((a, p) => a + p.hit + p.read, 0);
  log(`${what}: ${ms.toFixed(0)} ms wall, ${plans.length} statements, ${buffers} buffers, ${plans.reduce((a, p) => a + p.ms, 0).toFixed(1)} ms of SQL`);
  for (const p of [...plans].sort((a, b) => b.hit + b.read - (a.hit + a.read)).slice(0, 8))
    log(`  ${String(p.hit + p.read).padStart(8)} buffers ${p.ms.toFixed(1).padStart(9)} ms  ${p.node}: ${p.text.slice(0, 150)}`);
  process.stdout.write(`${JSON.stringify({ what, ms, statements: plans.length, buffers, plans })}\n`);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const papers = Number(argValue(argv, 'papers') ?? 1_000_000);
  const schema = `bench_api_${papers}`;
  const dbName = new URL(DB_URL).pathname.slice(1);
  const admin = await createDataSource({ url: DB_URL, schema, poolSize: 1 }).initialize();
  await explainRole(admin, dbName, true);
  await admin.destroy();
  const url = new URL(DB_URL);
  url.username = ROLE;
  const ds = await createDataSource({ url: url.toString(), schema, poolSize: 4 }).initialize();
  const redis = createRedis(REDIS_URL, { maxRetriesPerRequest: null });
  const queues = new QueueSet(redis, `{sweep-plans-${process.pid}}`);
  const who = `${ROLE}@${dbName}`;
  const sweeper = new Sweeper(ds, queues, { afterSeconds: 600, batchSize: 500, everySeconds: 60 });
  try {
    for (const name of ['first sweep', 'second sweep']) {
      const from = logSize();
      const t = Date.now();
      const out = await sweeper.sweep();
      const ms = Date.now() - t;
      await new Promise((r) => setTimeout(r, 500));
      log(`${name} did ${JSON.stringify(out)}`);
      report(name, ms, plansSince(from, who).plans);
    }
    if (argv.includes('--remove')) {
      const [paper]: { arxiv_id: string }[] = await ds.query(
        `SELECT p.arxiv_id FROM papers p JOIN deliveries d ON d.paper_id = p.id AND d.status = 'pending' ORDER BY p.created_at DESC LIMIT 1`,
      );
      const from = logSize();
      const t = Date.now();
      const done = await removePapers(ds, [paper.arxiv_id]);
      const ms = Date.now() - t;
      await new Promise((r) => setTimeout(r, 500));
      log(`papers remove ${paper.arxiv_id}: ${JSON.stringify({ removed: done.removed.length, deliveriesSkipped: done.deliveriesSkipped })}`);
      report('papers remove', ms, plansSince(from, who).plans);
    }
  } finally {
    // the jobs the sweeps enqueued (stranded deliveries…) under this run's own prefix
    await Promise.all(QUEUE_NAMES.map((q) => queues.get(q).obliterate({ force: true }).catch(() => undefined)));
    await ds.destroy();
    redis.disconnect();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`sweep-plans failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
