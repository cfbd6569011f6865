// The fault-injection harness: a generated load of distinct papers, the pipeline services as real
// processes, and the checker that proves PaperWire's promise over the whole history of a run:
// every accepted paper ends stored or dead-lettered with its reason, exactly once, and every
// matching delivery happens exactly once (one webhook-id per paper, retries reuse it).
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { Job } from 'bullmq';
import { WORKER_SERVICES } from '@paperwire/config';
import { ALL_QUEUES, QUEUES, type QueueName } from '@paperwire/contracts';
import { createDataSource, ensureDatabase } from '@paperwire/db';
import { QueueSet } from '@paperwire/queue';
import {
  REPO_ROOT,
  artifactsDir,
  createTestDb,
  deleteRedisKeys,
  freeTcpPort,
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

export const PIPELINE = WORKER_SERVICES;
export type StageService = (typeof PIPELINE)[number];
/** The queue each service consumes (the notifier also consumes deliver). */
export const QUEUE_OF: Record<StageService, QueueName> = {
  fetcher: 'fetch',
  parser: 'parse',
  classifier: 'classify',
  'metric-extractor': 'extract',
  notifier: 'notify',
  sweeper: 'maintenance',
};
export const TOPICS = ['efficiency', 'peft', 'vision-language'];

export const QUICK = process.env.CHAOS_QUICK === '1';
export const PAPERS_PER_SCENARIO = Number(process.env.CHAOS_PAPERS ?? (QUICK ? 1000 : 5000));
/**
 * The load of the CI-sized versions of the slow scenarios (2 SIGTERM, 4b Redis data loss) in
 * CHAOS_QUICK: enough to have work in every stage when the fault hits, small enough for ~40 s.
 */
export const CI_PAPERS = Number(process.env.CHAOS_CI_PAPERS ?? 300);
const CHUNK = 500;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let baseTexts: BaseText[] | undefined;
function base(): BaseText[] {
  baseTexts ??= loadBaseTexts(REPO_ROOT);
  return baseTexts;
}

/** Rewrites the abstract of paper `i` (scenario 11b plants poison papers this way). */
export type AbstractOf = (i: number, abstract: string) => string;

/** Paper number `i` of the generated load: its own arXiv id and title, a recombined real abstract. */
export function paperAt(
  i: number,
  abstractOf: AbstractOf = (_i, a) => a,
): { id: string; key: string; title: string; abstract: string } {
  const r = recordAt(i, base(), { records: i + 1, duplicateRate: 0, versionRate: 0 });
  const id = arxivIdOf(i);
  return {
    id,
    key: `arxiv:${id}`,
    title: `${r.title.replace(/\s*\(\d+\)$/, '')} — chaos paper ${i}`,
    abstract: abstractOf(i, r.abstract),
  };
}

/** JSON Lines of `count` distinct papers numbered from `start` (distinct arXiv ids and titles). */
export function jsonlChunk(
  start: number,
  count: number,
  abstractOf: AbstractOf = (_i, a) => a,
): { body: Buffer; keys: string[] } {
  const lines: string[] = [];
  const keys: string[] = [];
  for (let i = start; i < start + count; i += 1) {
    const p = paperAt(i, abstractOf);
    keys.push(p.key);
    lines.push(JSON.stringify({ id: p.id, title: p.title, abstract: p.abstract }));
  }
  return { body: Buffer.from(`${lines.join('\n')}\n`), keys };
}

/** A free TCP port on 127.0.0.1 (for scratch Redis / Postgres instances). */
export const freePort = freeTcpPort;

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

/** One webhook subscription of a run (all on TOPICS) and how its local receiver answers. */
export interface HookSpec {
  name: string;
  /** the receiver's answer to its n-th request (default 204) */
  respond?: (req: { path: string; n: number }) => number | 'hang';
  /**
   * The endpoint answers 410 at some point: its subscription must end disabled with a reason and its
   * remaining deliveries skipped (not pending); only the deliveries it acknowledged count as made.
   */
  gone?: boolean;
}

export interface Hook extends HookSpec {
  receiver: WebhookReceiver;
  secret: string;
  subscriptionId: string;
}

/** What the checker found for one subscription. */
export interface HookReport {
  name: string;
  subscriptionStatus: string;
  statusReason: string | null;
  /** matching papers (the same for every hook: all subscribe to TOPICS) */
  expected: number;
  delivered: number;
  skipped: number;
  failed: number;
  /** matching papers without a delivery row (only a gone hook: matched after it was disabled) */
  expectedWithoutRow: number;
  requests: number;
  /** requests the receiver did not answer (hung) */
  hung: number;
  webhookIds: number;
  /** distinct webhook-ids the receiver answered with a 2xx */
  idsWith2xx: number;
  redeliveries: number;
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
  hooks: HookReport[];
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
  /** the first hook's receiver and secret */
  receiver!: WebhookReceiver;
  readonly hooks: Hook[] = [];
  redis!: Redis;
  queues!: QueueSet;
  env!: NodeJS.ProcessEnv;
  secret = '';
  readonly procs = new Map<string, ServiceProcess>();
  /** the log file of each service's latest start */
  readonly logFiles = new Map<string, string>();
  /** every paper key ever ingested -> the raw document that carried it */
  readonly inputs = new Map<string, string>();
  private next = 0;
  private sourceId = '';
  private restarts = 0;
  readonly tag: string;

  constructor(
    readonly name: string,
    private readonly opts: {
      redisUrl?: string;
      databaseUrl?: string;
      extraEnv?: NodeJS.ProcessEnv;
      /** the webhook subscriptions (default: one `chaos-hook` whose receiver always answers 204) */
      hooks?: HookSpec[];
    } = {},
  ) {
    this.tag = uniqueName('chaos');
  }

  async setup(): Promise<void> {
    const prefix = `chaos_${this.name.replace(/[^a-z0-9]/g, '')}`;
    this.db = this.opts.databaseUrl
      ? await createDbAt(this.opts.databaseUrl, prefix)
      : await createTestDb(prefix, { migrate: false });
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
    for (const spec of this.opts.hooks ?? [{ name: 'chaos-hook' }]) {
      const receiver = await startWebhookReceiver(spec.respond ?? (() => 204));
      const created = JSON.parse(
        runCli(
          [
            'subscriptions',
            'add',
            spec.name,
            'webhook',
            `${receiver.url}/hook`,
            '--topics',
            TOPICS.join(','),
          ],
          this.env,
        ),
      ) as { id: string; secret: string };
      this.hooks.push({ ...spec, receiver, secret: created.secret, subscriptionId: created.id });
    }
    this.receiver = this.hooks[0].receiver;
    this.secret = this.hooks[0].secret;
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
    const logName = `chaos-${this.name}-${name}-${this.restarts}`;
    this.logFiles.set(name, join(artifactsDir('logs'), `${logName}.log`));
    const p = await startServiceProcess(name, this.env, { logName, timeoutMs: 60_000 });
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
      await this.queues.enqueue('parse-document', { rawDocumentId: id });
      docs.push(id);
      await opts.between?.(k / CHUNK);
    }
    return docs;
  }

  /**
   * Reserves `n` new paper numbers for a load that enters another way (the fetcher harvests them from
   * a replay server) and records their keys as inputs under `origin`, so the checker holds that load
   * to the same promise. Returns the first number (render the papers with `paperAt`).
   */
  reserve(n: number, origin: string): number {
    const start = this.next;
    for (let i = start; i < start + n; i += 1) this.inputs.set(`arxiv:${arxivIdOf(i)}`, origin);
    this.next += n;
    return start;
  }

  /** Waits until some job of `queue` is active (a stage is mid-batch). */
  async waitActive(queue: QueueName, timeoutMs = 120_000): Promise<boolean> {
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
    return count(this.db, `SELECT count(*) AS n FROM paper_stages WHERE ${column} IS NOT NULL`);
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
    out.webhookRequests = this.hooks.reduce((n, h) => n + h.receiver.requests.length, 0);
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
    for (const q of ALL_QUEUES.filter((n) => n !== QUEUES.maintenance && !ignore.includes(n))) {
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
    const notNotified = await count(this.db, `SELECT count(*) AS n FROM paper_stages WHERE stage <> 'notified'`);
    if (notNotified === 0) return true;
    // Papers short of the end are only acceptable when a failed job holds them (dead-lettered).
    const failedPapers = new Set(
      failed.flatMap((j) =>
        ((j.data as { papers?: { paperId: string }[] }).papers ?? []).map((p) => p.paperId),
      ),
    );
    const rows: { id: string }[] = await this.db.ds.query(`SELECT paper_id AS id FROM paper_stages WHERE stage <> 'notified'`);
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
      `SELECT p.id, p.paper_key, s.stage FROM papers p JOIN paper_stages s ON s.paper_id = p.id`,
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
      `SELECT count(*) AS n FROM papers p JOIN paper_stages s ON s.paper_id = p.id WHERE s.stage = 'notified' AND (s.classified_at IS NULL OR s.extracted_at IS NULL OR s.notified_at IS NULL OR p.classifier_version IS NULL OR s.extractor_version IS NULL)`,
    );
    if (unprocessed > 0) problems.push(`${unprocessed} notified papers miss a stage timestamp or version`);

    // Deliveries: per subscription, exactly the papers carrying a subscribed topic, each once.
    const expected = new Set(
      (
        (await this.db.ds.query(
          `SELECT DISTINCT t.paper_id AS id FROM paper_topics t JOIN paper_stages p ON p.paper_id = t.paper_id WHERE t.topic_slug = ANY($1) AND p.stage = 'notified'`,
          [TOPICS],
        )) as { id: string }[]
      ).map((r) => r.id),
    );
    const orphanDeliveries = await count(
      this.db,
      `SELECT count(*) AS n FROM deliveries WHERE paper_id IS NOT NULL AND NOT (subscription_id = ANY($1::uuid[]))`,
      [this.hooks.map((h) => h.subscriptionId)],
    );
    if (orphanDeliveries > 0) problems.push(`${orphanDeliveries} deliveries for no subscription of the run`);
    const hooks: HookReport[] = [];
    for (const hook of this.hooks) {
      const { report, multiId } = await this.checkHook(hook, expected, problems);
      hooks.push(report);
      duplicated += multiId;
    }
    const healthy = hooks.filter((h, k) => !this.hooks[k].gone);

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
      deliveriesExpected: healthy.reduce((n, h) => n + h.expected, 0),
      deliveries: healthy.reduce((n, h) => n + h.delivered, 0),
      webhookRequests: hooks.reduce((n, h) => n + h.requests, 0),
      webhookRedeliveries: hooks.reduce((n, h) => n + h.redeliveries, 0),
      activeJobsLeft: active,
      hooks,
      problems,
    };
    recordResult(report);
    return report;
  }

  /**
   * One subscription's deliveries against its receiver's history: one row per matching paper (all
   * `delivered`; for a gone hook `delivered`, `failed` with the 410, or `skipped`, none still open),
   * every request validly signed, one webhook-id per paper (a retry reuses it, so the receiver may see
   * an id more than once), and every delivered paper acknowledged by the receiver with a 2xx.
   */
  private async checkHook(
    hook: Hook,
    expected: Set<string>,
    problems: string[],
  ): Promise<{ report: HookReport; multiId: number }> {
    const say = (p: string) => problems.push(`${hook.name}: ${p}`);
    const rows: { paper_id: string; status: string; last_error: string | null }[] = await this.db.ds.query(
      `SELECT paper_id, status, last_error FROM deliveries WHERE subscription_id = $1 AND paper_id IS NOT NULL`,
      [hook.subscriptionId],
    );
    const sub = (
      await this.db.ds.query(`SELECT status, status_reason FROM subscriptions WHERE id = $1`, [
        hook.subscriptionId,
      ])
    )[0] as { status: string; status_reason: string | null };
    const withStatus = (st: string) => rows.filter((r) => r.status === st);
    const delivered = new Set(withStatus('delivered').map((r) => r.paper_id));
    const rowPapers = new Set(rows.map((r) => r.paper_id));
    const extra = [...rowPapers].filter((id) => !expected.has(id)).length;
    if (extra > 0) say(`${extra} deliveries for papers that do not match`);
    const withoutRow = [...expected].filter((id) => !rowPapers.has(id)).length;
    if (!hook.gone) {
      const notDelivered = rows.length - delivered.size;
      if (notDelivered > 0) say(`${notDelivered} deliveries not delivered`);
      if (withoutRow > 0) say(`${withoutRow} matching papers without a delivery`);
      if (sub.status !== 'active') say(`subscription ${sub.status} (${sub.status_reason ?? 'no reason'})`);
    } else {
      const open = rows.filter((r) => r.status === 'pending' || r.status === 'sending').length;
      if (open > 0) say(`${open} deliveries still pending/sending after the 410`);
      if (sub.status !== 'disabled' || !sub.status_reason)
        say(
          `subscription ${sub.status} (${sub.status_reason ?? 'no reason'}), expected disabled with a reason`,
        );
      const failedOther = withStatus('failed').filter((r) => !/410/.test(r.last_error ?? '')).length;
      if (failedOther > 0) say(`${failedOther} deliveries failed for another reason than the 410`);
      const skippedNoReason = withStatus('skipped').filter(
        (r) => !(r.last_error ?? '').startsWith('subscription disabled: '),
      ).length;
      if (skippedNoReason > 0) say(`${skippedNoReason} deliveries skipped without the subscription's reason`);
    }

    const paperOfId = new Map<string, string>();
    const idsOfPaper = new Map<string, Set<string>>();
    const acked = new Set<string>();
    let badSignatures = 0;
    for (const r of hook.receiver.requests) {
      const id = String(r.headers['webhook-id']);
      const signed = verifyStandardWebhook(
        hook.secret,
        id,
        String(r.headers['webhook-timestamp']),
        String(r.headers['webhook-signature']),
        r.body,
      );
      if (!signed) {
        badSignatures += 1;
        continue;
      }
      const paperId = (JSON.parse(r.body) as { data: { paper: { id: string } } }).data.paper.id;
      const prev = paperOfId.get(id);
      if (prev && prev !== paperId) say(`webhook-id ${id} carried two papers`);
      paperOfId.set(id, paperId);
      idsOfPaper.set(paperId, (idsOfPaper.get(paperId) ?? new Set()).add(id));
      if (r.status >= 200 && r.status < 300) acked.add(id);
    }
    if (badSignatures > 0) say(`${badSignatures} webhook requests failed signature verification`);
    const multiId = [...idsOfPaper.values()].filter((ids) => ids.size > 1).length;
    if (multiId > 0) say(`${multiId} papers delivered under more than one webhook-id`);
    const ackedPapers = new Set([...acked].map((id) => paperOfId.get(id)!));
    const deliveredNotAcked = [...delivered].filter((id) => !ackedPapers.has(id)).length;
    if (deliveredNotAcked > 0) say(`${deliveredNotAcked} delivered papers the receiver never acknowledged`);
    const ackedNotDelivered = [...ackedPapers].filter((id) => !delivered.has(id)).length;
    if (ackedNotDelivered > 0)
      say(`${ackedNotDelivered} papers acknowledged by the receiver but not delivered`);
    const unexpectedReceived = [...idsOfPaper.keys()].filter((id) => !expected.has(id)).length;
    if (unexpectedReceived > 0) say(`${unexpectedReceived} papers reached the receiver without matching`);

    return {
      multiId,
      report: {
        name: hook.name,
        subscriptionStatus: sub.status,
        statusReason: sub.status_reason,
        expected: expected.size,
        delivered: delivered.size,
        skipped: withStatus('skipped').length,
        failed: withStatus('failed').length,
        expectedWithoutRow: withoutRow,
        requests: hook.receiver.requests.length,
        hung: hook.receiver.requests.filter((r) => r.status === 0).length,
        webhookIds: paperOfId.size,
        idsWith2xx: acked.size,
        redeliveries: hook.receiver.requests.length - paperOfId.size,
      },
    };
  }

  private async dropQueueKeys(): Promise<void> {
    if (this.redis) await deleteRedisKeys([`{${this.tag}}:*`], this.redis);
  }

  async teardown(): Promise<void> {
    await Promise.all([...this.procs.values()].map((p) => p.stop(10_000).catch(() => undefined)));
    await this.queues?.close().catch(() => undefined);
    // The run's queue keys (tens of thousands of job hashes) do not outlive it.
    await this.dropQueueKeys().catch(() => undefined);
    this.redis?.disconnect();
    await Promise.all(this.hooks.map((h) => h.receiver.close()));
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
