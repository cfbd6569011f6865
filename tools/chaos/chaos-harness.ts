// The fault-injection harness: a generated load of distinct papers, the pipeline services as real
// processes, and the checker that proves PaperWire's promise over the whole history of a run:
// every accepted paper ends stored or dead-lettered with its reason, exactly once, and every
// matching delivery happens exactly once (one webhook-id per paper, retries reuse it).
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { Job } from 'bullmq';
import { ALL_QUEUES } from '@paperwire/contracts';
import { createDataSource, ensureDatabase } from '@paperwire/db';
import { QueueSet } from '@paperwire/queue';
import {
  REPO_ROOT,
  artifactsDir,
  createTestDb,
  runCli,
  startServiceProcess,
  startWebhookReceiver,
  uniqueName,
  waitFor,
  type ServiceProcess,
  type TestDb,
  type WebhookReceiver,
} from '@paperwire/testing';
import { arxivIdOf, loadBaseTexts, recordAt, type BaseText } from '../bench/corpus';

export const PIPELINE = ['fetcher', 'parser', 'classifier', 'metric-extractor', 'notifier'] as const;
export type StageService = (typeof PIPELINE)[number];
/** The queue each stage consumes (the fetcher also hosts the reconciler on the maintenance queue). */
export const QUEUE_OF: Record<StageService, string> = {
  fetcher: 'fetch',
  parser: 'parse',
  classifier: 'classify',
  'metric-extractor': 'extract',
  notifier: 'notify',
};
export const TOPICS = ['efficiency', 'peft', 'vision-language'];

export const QUICK = process.env.CHAOS_QUICK === '1';
export const PAPERS_PER_SCENARIO = Number(process.env.CHAOS_PAPERS ?? (QUICK ? 1000 : 5000));
const CHUNK = 500;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let baseTexts: BaseText[] | undefined;
function base(): BaseText[] {
  baseTexts ??= loadBaseTexts(REPO_ROOT);
  return baseTexts;
}

/** Rewrites the abstract of paper `i` (scenario 11b plants poison papers this way). */
export type AbstractOf = (i: number, abstract: string) => string;

/** JSON Lines of `count` distinct papers numbered from `start` (distinct arXiv ids and titles). */
export function jsonlChunk(
  start: number,
  count: number,
  abstractOf: AbstractOf = (_i, a) => a,
): { body: Buffer; keys: string[] } {
  const lines: string[] = [];
  const keys: string[] = [];
  const o = { records: start + count, duplicateRate: 0, versionRate: 0 };
  for (let i = start; i < start + count; i += 1) {
    const r = recordAt(i, base(), o);
    const id = arxivIdOf(i);
    keys.push(`arxiv:${id}`);
    lines.push(
      JSON.stringify({
        id,
        title: `${r.title.replace(/\s*\(\d+\)$/, '')} — chaos paper ${i}`,
        abstract: abstractOf(i, r.abstract),
      }),
    );
  }
  return { body: Buffer.from(`${lines.join('\n')}\n`), keys };
}

/** A free TCP port on 127.0.0.1 (for scratch Redis / Postgres instances). */
export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });
}

/** A throw-away redis-server (never the shared 6379 one), restartable on the same port and dir. */
export class ScratchRedis {
  proc?: ChildProcess;
  readonly dir: string;
  constructor(
    readonly port: number,
    readonly extraArgs: string[] = [],
  ) {
    this.dir = artifactsDir('chaos', `redis-${port}`);
  }
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }
  async start(): Promise<void> {
    this.proc = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'yes',
        '--dir',
        this.dir,
        ...this.extraArgs,
      ],
      {
        stdio: 'ignore',
      },
    );
    await waitFor(
      `redis on ${this.port}`,
      async () => {
        const r = new Redis(this.url, {
          lazyConnect: true,
          maxRetriesPerRequest: 0,
          retryStrategy: () => null,
        });
        try {
          await r.connect();
          return (await r.ping()) === 'PONG';
        } finally {
          r.disconnect();
        }
      },
      20_000,
      100,
    );
  }
  async kill9(): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const gone = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await gone;
  }
}

export interface CheckReport {
  scenario: string;
  load: string;
  faults: string;
  papersIn: number;
  stored: number;
  deadLettered: number;
  lost: number;
  duplicated: number;
  phantom: number;
  recoverySeconds: number;
  deliveriesExpected: number;
  deliveries: number;
  webhookRequests: number;
  webhookRedeliveries: number;
  activeJobsLeft: number;
  problems: string[];
}

/** createTestDb against another cluster (the scratch Postgres of the outage scenario). */
async function createDbAt(url: string, prefix: string): Promise<TestDb> {
  const schema = uniqueName(prefix);
  await ensureDatabase(url, schema);
  const ds = createDataSource({ url, schema, poolSize: 4 });
  await ds.initialize();
  return {
    ds,
    schema,
    url,
    async drop() {
      if (ds.isInitialized) {
        await ds.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await ds.destroy();
      }
    },
  };
}

/**
 * Standard Webhooks signature check (HMAC-SHA256 of `id.timestamp.body` with the base64 secret after
 * `whsec_`), written out here because the `standardwebhooks` package also rejects timestamps older
 * than 5 minutes, and the checker re-reads the whole history of a run that lasts longer than that.
 */
export function verifyStandardWebhook(
  secret: string,
  id: string,
  timestamp: string,
  signatures: string,
  body: string,
): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  return signatures.split(' ').some((s) => {
    const [version, sig] = s.split(',');
    const got = Buffer.from(sig ?? '', 'base64');
    return version === 'v1' && got.length === expected.length && timingSafeEqual(got, expected);
  });
}

const count = async (db: TestDb, sql: string, params: unknown[] = []) =>
  Number((await db.ds.query(sql, params))[0].n);

/** One pipeline under test: its schema, queue prefix, receiver, services and the input history. */
export class ChaosRun {
  db!: TestDb;
  receiver!: WebhookReceiver;
  redis!: Redis;
  queues!: QueueSet;
  env!: NodeJS.ProcessEnv;
  secret = '';
  readonly procs = new Map<string, ServiceProcess>();
  /** every paper key ever ingested -> the raw document that carried it */
  readonly inputs = new Map<string, string>();
  private next = 0;
  private sourceId = '';
  private restarts = 0;
  readonly tag: string;

  constructor(
    readonly name: string,
    private readonly opts: { redisUrl?: string; databaseUrl?: string; extraEnv?: NodeJS.ProcessEnv } = {},
  ) {
    this.tag = uniqueName('chaos');
  }

  async setup(): Promise<void> {
    const prefix = `chaos_${this.name.replace(/[^a-z0-9]/g, '')}`;
    this.db = this.opts.databaseUrl
      ? await createDbAt(this.opts.databaseUrl, prefix)
      : await createTestDb(prefix, { migrate: false });
    this.receiver = await startWebhookReceiver(() => 204);
    const redisUrl = this.opts.redisUrl ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
    this.env = {
      DATABASE_URL: this.db.url,
      DATABASE_SCHEMA: this.db.schema,
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: `{${this.tag}}`,
      BATCH_SIZE: '50',
      CONCURRENCY: '2',
      DATABASE_POOL_SIZE: '4',
      RECONCILE_AFTER_SECONDS: '10',
      RECONCILE_EVERY_SECONDS: '3',
      WEBHOOK_ALLOW_PRIVATE: 'true',
      LOG_LEVEL: 'warn',
      ...this.opts.extraEnv,
    };
    runCli(['db', 'migrate'], this.env);
    const created = JSON.parse(
      runCli(
        [
          'subscriptions',
          'add',
          `chaos-hook`,
          'webhook',
          `${this.receiver.url}/hook`,
          '--topics',
          TOPICS.join(','),
        ],
        this.env,
      ),
    ) as { secret: string };
    this.secret = created.secret;
    this.sourceId = (
      await this.db.ds.query(
        `INSERT INTO sources (name, kind) VALUES ('upload', 'upload') ON CONFLICT (name) DO UPDATE SET kind = EXCLUDED.kind RETURNING id`,
      )
    )[0].id;
    this.redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
    this.redis.on('error', () => undefined);
    this.queues = new QueueSet(this.redis, this.env.QUEUE_PREFIX!);
  }

  async start(name: string): Promise<ServiceProcess> {
    this.restarts += 1;
    const p = await startServiceProcess(name, this.env, {
      logName: `chaos-${this.name}-${name}-${this.restarts}`,
      timeoutMs: 60_000,
    });
    this.procs.set(name, p);
    return p;
  }

  async startAll(names: readonly string[] = PIPELINE): Promise<void> {
    for (const n of names) await this.start(n);
  }

  async sigkill(name: string): Promise<void> {
    const p = this.procs.get(name);
    if (!p) return;
    p.kill('SIGKILL');
    await p.exited;
  }

  /** Ingests `n` new distinct papers as JSON Lines raw documents of 500 (what `paperwire ingest` does). */
  async ingest(
    n = PAPERS_PER_SCENARIO,
    opts: { between?: (chunk: number) => Promise<void>; abstractOf?: AbstractOf } = {},
  ): Promise<string[]> {
    const docs: string[] = [];
    for (let k = 0; k < n; k += CHUNK) {
      const { body, keys } = jsonlChunk(this.next, Math.min(CHUNK, n - k), opts.abstractOf);
      this.next += keys.length;
      const hash = createHash('sha256').update(body).digest('hex');
      const id = (
        await this.db.ds.query(
          `INSERT INTO raw_documents (source_id, content_hash, url, format_hint, body, byte_size) VALUES ($1, $2, $3, 'jsonl', $4, $5) RETURNING id`,
          [this.sourceId, hash, `chaos://${this.name}/${k}`, body, body.length],
        )
      )[0].id as string;
      for (const key of keys) this.inputs.set(key, id);
      await this.queues.add('parse-document', { rawDocumentId: id }, { jobId: `parse-${id}` });
      docs.push(id);
      await opts.between?.(k / CHUNK);
    }
    return docs;
  }

  /** Waits until some job of `queue` is active (a stage is mid-batch). */
  async waitActive(queue: string, timeoutMs = 120_000): Promise<boolean> {
    try {
      await waitFor(
        `${queue} active`,
        async () => (await this.queues.get(queue).getActiveCount()) > 0,
        timeoutMs,
        15,
      );
      return true;
    } catch {
      return false;
    }
  }

  async stageCount(column: 'parsed_at' | 'classified_at' | 'extracted_at' | 'notified_at'): Promise<number> {
    return count(this.db, `SELECT count(*) AS n FROM papers WHERE ${column} IS NOT NULL`);
  }

  async rowCounts(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const t of [
      'papers',
      'paper_versions',
      'paper_sources',
      'paper_topics',
      'paper_claims',
      'deliveries',
      'raw_documents',
    ]) {
      out[t] = await count(this.db, `SELECT count(*) AS n FROM ${t}`);
    }
    out.webhookRequests = this.receiver.requests.length;
    return out;
  }

  async failedJobs(): Promise<Job[]> {
    const out: Job[] = [];
    for (const q of ALL_QUEUES) out.push(...(await this.queues.get(q).getFailed(0, -1)));
    return out;
  }

  /** Raw document ids held by a failed parse job (dead-lettered after its retries, status still 'fetched'). */
  private static failedDocIds(failed: Job[]): Map<string, string> {
    const out = new Map<string, string>();
    for (const j of failed) {
      const id = (j.data as { rawDocumentId?: string }).rawDocumentId;
      if (id && j.failedReason) out.set(id, j.failedReason);
    }
    return out;
  }

  /** Jobs still to run in the pipeline queues (the maintenance queue's scheduler is excluded). */
  async pendingJobs(ignore: readonly string[] = []): Promise<{ active: number; pending: number }> {
    let active = 0;
    let pending = 0;
    for (const q of ALL_QUEUES.filter((n) => !ignore.includes(n))) {
      const c = await this.queues
        .get(q)
        .getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'paused', 'waiting-children');
      active += c.active ?? 0;
      pending +=
        (c.waiting ?? 0) +
        (c.delayed ?? 0) +
        (c.prioritized ?? 0) +
        (c.paused ?? 0) +
        (c['waiting-children'] ?? 0);
    }
    return { active, pending };
  }

  /** Every input paper accounted for, nothing left to run, every expected delivery made. */
  private async settled(ignore: readonly string[]): Promise<boolean> {
    const { active, pending } = await this.pendingJobs(ignore);
    if (active + pending > 0) return false;
    const failed = await this.failedJobs();
    // Documents still unparsed are only acceptable when a failed parse job holds them (dead-lettered).
    const failedDocs = ChaosRun.failedDocIds(failed);
    const unparsed: { id: string }[] = await this.db.ds.query(
      `SELECT id FROM raw_documents WHERE status = 'fetched'`,
    );
    if (!unparsed.every((d) => failedDocs.has(d.id))) return false;
    const deliveriesOpen = await count(
      this.db,
      `SELECT count(*) AS n FROM deliveries WHERE status IN ('pending', 'sending')`,
    );
    if (deliveriesOpen > 0) return false;
    const notNotified = await count(this.db, `SELECT count(*) AS n FROM papers WHERE stage <> 'notified'`);
    if (notNotified === 0) return true;
    // Papers short of the end are only acceptable when a failed job holds them (dead-lettered).
    const failedPapers = new Set(
      failed.flatMap((j) =>
        ((j.data as { papers?: { paperId: string }[] }).papers ?? []).map((p) => p.paperId),
      ),
    );
    const rows: { id: string }[] = await this.db.ds.query(`SELECT id FROM papers WHERE stage <> 'notified'`);
    return rows.every((r) => failedPapers.has(r.id));
  }

  /**
   * Waits (up to `boundMs`) for the pipeline to settle, then checks the whole history. Returns the
   * report (also printed as one JSON line prefixed `CHAOS_RESULT`).
   */
  async check(
    scenario: string,
    load: string,
    faults: string,
    recoveredFrom: number,
    boundMs = 300_000,
    ignoreQueues: readonly string[] = [],
  ): Promise<CheckReport> {
    const problems: string[] = [];
    try {
      await waitFor('the pipeline to settle', async () => this.settled(ignoreQueues), boundMs, 500);
    } catch (e) {
      problems.push((e as Error).message);
    }
    const recoverySeconds = Number(((Date.now() - recoveredFrom) / 1000).toFixed(1));

    const papers: { id: string; paper_key: string; stage: string }[] = await this.db.ds.query(
      `SELECT id, paper_key, stage FROM papers`,
    );
    const byKey = new Map<string, { id: string; stage: string }[]>();
    for (const p of papers) byKey.set(p.paper_key, [...(byKey.get(p.paper_key) ?? []), p]);
    const failedJobs = await this.failedJobs();
    const failedDocs = new Map<string, string>([
      ...ChaosRun.failedDocIds(failedJobs),
      ...(
        (await this.db.ds.query(`SELECT id, error FROM raw_documents WHERE status = 'failed'`)) as {
          id: string;
          error: string | null;
        }[]
      ).map((d): [string, string] => [d.id, d.error ?? '']),
    ]);
    const failedPaperIds = new Map<string, string>();
    // Dead-lettered exactly once: a paper named by two failed jobs was dead-lettered twice. A batch
    // split into one job per paper (stage-worker) completes with `{ split }`, so only the failed
    // single-paper `…-split` job of its bad paper is read here: that paper counts once.
    let deadLetteredTwice = 0;
    for (const j of failedJobs) {
      for (const p of (j.data as { papers?: { paperId: string }[] }).papers ?? []) {
        if (failedPaperIds.has(p.paperId)) deadLetteredTwice += 1;
        failedPaperIds.set(p.paperId, j.failedReason ?? '');
      }
    }
    if (deadLetteredTwice > 0) problems.push(`${deadLetteredTwice} papers held by more than one failed job`);

    let stored = 0;
    let deadLettered = 0;
    let lost = 0;
    const lostSample: string[] = [];
    for (const [key, doc] of this.inputs) {
      const rows = byKey.get(key) ?? [];
      if (rows.length > 0 && rows.every((r) => r.stage === 'notified')) stored += 1;
      else if (rows.some((r) => failedPaperIds.get(r.id))) deadLettered += 1;
      else if (rows.length === 0 && failedDocs.get(doc)) deadLettered += 1;
      else {
        lost += 1;
        if (lostSample.length < 5)
          lostSample.push(`${key}:${rows.map((r) => r.stage).join('/') || 'no row'}`);
      }
    }
    if (lost > 0)
      problems.push(
        `${lost} papers lost (neither stored nor dead-lettered with a reason), e.g. ${lostSample.join(', ')}`,
      );
    const phantom = papers.filter((p) => !this.inputs.has(p.paper_key)).length;
    if (phantom > 0) problems.push(`${phantom} papers stored that were never ingested`);

    // Duplicates: rows per natural key (the schema's unique keys should make these 0 by construction).
    const dupQueries: Record<string, string> = {
      papers: `SELECT paper_key FROM papers GROUP BY 1 HAVING count(*) > 1`,
      paper_versions: `SELECT paper_id, content_hash FROM paper_versions GROUP BY 1, 2 HAVING count(*) > 1`,
      paper_sources: `SELECT paper_id, source_id FROM paper_sources GROUP BY 1, 2 HAVING count(*) > 1`,
      paper_topics: `SELECT paper_id, topic_slug FROM paper_topics GROUP BY 1, 2 HAVING count(*) > 1`,
      paper_claims: `SELECT paper_id, start, "end" FROM paper_claims GROUP BY 1, 2, 3 HAVING count(*) > 1`,
      deliveries: `SELECT subscription_id, paper_id FROM deliveries WHERE paper_id IS NOT NULL GROUP BY 1, 2 HAVING count(*) > 1`,
    };
    let duplicated = deadLetteredTwice;
    for (const [table, sql] of Object.entries(dupQueries)) {
      const n = await count(this.db, `SELECT count(*) AS n FROM (${sql}) d`);
      if (n > 0) problems.push(`${n} duplicated ${table} keys`);
      duplicated += n;
    }
    // Every stored paper classified and extracted exactly once (one model version recorded).
    const unprocessed = await count(
      this.db,
      `SELECT count(*) AS n FROM papers WHERE stage = 'notified' AND (classified_at IS NULL OR extracted_at IS NULL OR notified_at IS NULL OR classifier_version IS NULL OR extractor_version IS NULL)`,
    );
    if (unprocessed > 0) problems.push(`${unprocessed} notified papers miss a stage timestamp or version`);

    // Deliveries: exactly the papers carrying a subscribed topic, each delivered, one webhook-id each.
    const expected = new Set(
      (
        (await this.db.ds.query(
          `SELECT DISTINCT t.paper_id AS id FROM paper_topics t JOIN papers p ON p.id = t.paper_id WHERE t.topic_slug = ANY($1) AND p.stage = 'notified'`,
          [TOPICS],
        )) as { id: string }[]
      ).map((r) => r.id),
    );
    const deliveryRows: { paper_id: string; status: string; id: string }[] = await this.db.ds.query(
      `SELECT id, paper_id, status FROM deliveries WHERE paper_id IS NOT NULL`,
    );
    const notDelivered = deliveryRows.filter((d) => d.status !== 'delivered').length;
    if (notDelivered > 0) problems.push(`${notDelivered} deliveries not delivered`);
    const deliveredPapers = new Set(deliveryRows.map((d) => d.paper_id));
    const missingDeliveries = [...expected].filter((id) => !deliveredPapers.has(id)).length;
    const extraDeliveries = [...deliveredPapers].filter((id) => !expected.has(id)).length;
    if (missingDeliveries > 0) problems.push(`${missingDeliveries} matching papers without a delivery`);
    if (extraDeliveries > 0) problems.push(`${extraDeliveries} deliveries for papers that do not match`);

    const paperOfId = new Map<string, string>();
    const idsOfPaper = new Map<string, Set<string>>();
    let badSignatures = 0;
    for (const r of this.receiver.requests) {
      const id = String(r.headers['webhook-id']);
      if (
        !verifyStandardWebhook(
          this.secret,
          id,
          String(r.headers['webhook-timestamp']),
          String(r.headers['webhook-signature']),
          r.body,
        )
      ) {
        badSignatures += 1;
        continue;
      }
      const paperId = (JSON.parse(r.body) as { data: { paper: { id: string } } }).data.paper.id;
      const prev = paperOfId.get(id);
      if (prev && prev !== paperId) problems.push(`webhook-id ${id} carried two papers`);
      paperOfId.set(id, paperId);
      idsOfPaper.set(paperId, (idsOfPaper.get(paperId) ?? new Set()).add(id));
    }
    if (badSignatures > 0) problems.push(`${badSignatures} webhook requests failed signature verification`);
    const multiId = [...idsOfPaper.values()].filter((s) => s.size > 1).length;
    if (multiId > 0) problems.push(`${multiId} papers delivered under more than one webhook-id`);
    duplicated += multiId;
    const neverReceived = [...expected].filter((id) => !idsOfPaper.has(id)).length;
    if (neverReceived > 0) problems.push(`${neverReceived} matching papers never reached the receiver`);
    const unexpectedReceived = [...idsOfPaper.keys()].filter((id) => !expected.has(id)).length;
    if (unexpectedReceived > 0)
      problems.push(`${unexpectedReceived} papers reached the receiver without matching`);

    const { active } = await this.pendingJobs(ignoreQueues);
    if (active > 0) problems.push(`${active} jobs left active`);

    const report: CheckReport = {
      scenario,
      load,
      faults,
      papersIn: this.inputs.size,
      stored,
      deadLettered,
      lost,
      duplicated,
      phantom,
      recoverySeconds,
      deliveriesExpected: expected.size,
      deliveries: deliveryRows.length,
      webhookRequests: this.receiver.requests.length,
      webhookRedeliveries: this.receiver.requests.length - paperOfId.size,
      activeJobsLeft: active,
      problems,
    };
    recordResult(report);
    return report;
  }

  private async dropQueueKeys(): Promise<void> {
    if (!this.redis) return;
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `{${this.tag}}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await this.redis.unlink(...keys);
    } while (cursor !== '0');
  }

  async teardown(): Promise<void> {
    await Promise.all([...this.procs.values()].map((p) => p.stop(10_000).catch(() => undefined)));
    await this.queues?.close().catch(() => undefined);
    // The run's queue keys (tens of thousands of job hashes) do not outlive it.
    await this.dropQueueKeys().catch(() => undefined);
    this.redis?.disconnect();
    await this.receiver?.close();
    await this.db?.drop().catch(() => undefined);
  }
}

/** Prints the report as one JSON line and appends it to artifacts/chaos/results.jsonl (RELIABILITY.md is copied from it). */
export function recordResult(report: object): void {
  const line = JSON.stringify({ at: new Date().toISOString(), quick: QUICK, ...report });
  process.stdout.write(`CHAOS_RESULT ${line}\n`);
  const dir = artifactsDir('chaos');
  mkdirSync(dir, { recursive: true });
  // One write per line: two suites may append concurrently.
  appendFileSync(join(dir, 'results.jsonl'), `${line}\n`);
}
