// What the benchmark (bench.ts) and the soak (soak.ts) share: the five stage services run as processes
// against a Postgres schema and a queue prefix of their own, with tracing on (spans go over OTLP/HTTP
// to a local sink that only counts bytes), one webhook subscription, and the fixed offered load (new
// papers arriving as raw documents of 10 OAI records, each enqueued for parsing).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { WORKER_SERVICES } from '@paperwire/config';
import { loadDefaultTaxonomy } from '@paperwire/classification';
import { createDataSource, ensureDatabase, migrate, seedTopics } from '@paperwire/db';
import { generateWebhookSecret } from '@paperwire/notifications';
import type { QueueSet } from '@paperwire/queue';
import { startServiceProcess, type ServiceProcess } from '@paperwire/testing';
import { arxivIdOf, oaiPage, type BaseText } from './corpus';

/** The value after `--name` on a bench command line, or undefined when the flag is absent. */
export function argValue(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}

export const DB_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/paperwire_bench';
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** The services the bench runs: the pipeline's workers (the api is measured by bench:api). */
export const SERVICES = WORKER_SERVICES;
/** The parse queue's bound given to the services: a fetcher backfill waits while more jobs wait there. */
export const PARSE_QUEUE_BOUND = 20;
/** Papers in one raw document of the offered load. */
export const PAPERS_PER_DOCUMENT = 10;

export async function listen(server: Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

/**
 * Resident set size of a process in MB (0 once it is gone); `VmHWM` gives the kernel's high-water mark
 * instead, the true peak between samples.
 */
export function rssMb(pid: number | undefined, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
  if (!pid) return 0;
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

export async function count(ds: DataSource, sql: string, params: unknown[] = []): Promise<number> {
  return Number((await ds.query(sql, params))[0].n);
}

export interface TraceSink {
  /** OTEL_EXPORTER_OTLP_ENDPOINT for the services */
  endpoint: string;
  /** bytes of spans received so far */
  bytes(): number;
  close(): void;
}

/** An OTLP/HTTP endpoint that accepts and drops spans, so tracing costs what it costs in production. */
export async function startTraceSink(): Promise<TraceSink> {
  let bytes = 0;
  const server = createServer((req, res) => {
    req.on('data', (c: Buffer) => (bytes += c.length));
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  });
  const port = await listen(server);
  return { endpoint: `http://127.0.0.1:${port}`, bytes: () => bytes, close: () => server.close() };
}

/** A migrated schema with the default taxonomy, in the bench database (created if missing). */
export async function openSchema(schema: string): Promise<DataSource> {
  await ensureDatabase(DB_URL, schema);
  const ds = await createDataSource({ url: DB_URL, schema, poolSize: 4 }).initialize();
  await migrate(ds);
  await seedTopics(ds, loadDefaultTaxonomy(), 'default');
  return ds;
}

/** The services' environment: BENCH_BATCH_SIZE, BENCH_CONCURRENCY and BENCH_LOG_LEVEL override the defaults. */
export function stageEnv(schema: string, prefix: string, otlpEndpoint: string): NodeJS.ProcessEnv {
  return {
    DATABASE_URL: DB_URL,
    DATABASE_SCHEMA: schema,
    REDIS_URL,
    QUEUE_PREFIX: prefix,
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint,
    OTEL_SERVICE_NAME: undefined,
    WEBHOOK_ALLOW_PRIVATE: 'true',
    PARSE_QUEUE_BOUND: String(PARSE_QUEUE_BOUND),
    BATCH_SIZE: process.env.BENCH_BATCH_SIZE ?? '200',
    CONCURRENCY: process.env.BENCH_CONCURRENCY ?? '2',
    DATABASE_POOL_SIZE: '6',
  };
}

/** Starts the five stage services one after the other; if one fails to start, stops those already up. */
export async function startStages(env: NodeJS.ProcessEnv, logPrefix: string): Promise<ServiceProcess[]> {
  const procs: ServiceProcess[] = [];
  try {
    for (const name of SERVICES)
      procs.push(
        await startServiceProcess(name, env, { logName: `${logPrefix}-${name}`, timeoutMs: 120_000 }),
      );
  } catch (err) {
    await Promise.all(procs.map((p) => p.stop(5_000)));
    throw err;
  }
  return procs;
}

/** One webhook subscription on two topics (about 15% of the generated papers match it). */
export async function addWebhookSubscription(ds: DataSource, target: string): Promise<void> {
  await ds.query(
    `INSERT INTO subscriptions (name, channel, target, secrets, filters) VALUES ('bench-hook', 'webhook', $1, $2::jsonb, '{"topics":{"slugs":["efficiency","peft"],"match":"any"}}')`,
    [target, JSON.stringify([generateWebhookSecret()])],
  );
}

/** The upload source the offered load's raw documents belong to. */
export async function uploadSource(ds: DataSource, name: string): Promise<string> {
  return (
    await ds.query(
      `INSERT INTO sources (name, kind) VALUES ($1, 'upload') ON CONFLICT (name) DO UPDATE SET kind = EXCLUDED.kind RETURNING id`,
      [name],
    )
  )[0].id as string;
}

/**
 * The n-th document of fresh papers: corpus records n·10 … n·10+9 with no duplicates or versions, so
 * distinct n give distinct papers (a caller that also loaded corpus records 0…N−1 starts above N/10).
 */
export function offeredDocument(n: number, base: BaseText[]): { body: Buffer; arxivIds: string[] } {
  const corpus = { records: Number.MAX_SAFE_INTEGER, duplicateRate: 0, versionRate: 0 };
  const first = n * PAPERS_PER_DOCUMENT;
  return {
    body: Buffer.from(oaiPage(n, PAPERS_PER_DOCUMENT, base, corpus)),
    arxivIds: Array.from({ length: PAPERS_PER_DOCUMENT }, (_, j) => arxivIdOf(first + j)),
  };
}

/** Stores a raw document as an upload would and enqueues its parse job; returns its id. */
export async function offerDocument(
  ds: DataSource,
  queues: QueueSet,
  sourceId: string,
  body: Buffer,
): Promise<string> {
  const hash = createHash('sha256').update(body).digest('hex');
  const id = (
    await ds.query(
      `INSERT INTO raw_documents (source_id, content_hash, format_hint, body, byte_size) VALUES ($1, $2, 'arxiv-oai', $3, $4) RETURNING id`,
      [sourceId, hash, body, body.length],
    )
  )[0].id as string;
  await queues.enqueue('parse-document', { rawDocumentId: id });
  return id;
}

export interface LatencyRow {
  /** the value of the grouping expression (null without one) */
  bucket: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  n: number;
}

/**
 * Record → notified latency (paper_stages.notified_at − raw_documents.fetched_at of the document that brought
 * the paper's current version) of notified papers, in ms. `where` adds conditions (starting with AND)
 * on p (papers), s (paper_stages) and d (raw_documents); `bucket`, an SQL expression of them, gives one row per value.
 */
export async function latencyPercentiles(
  ds: DataSource,
  where = '',
  params: unknown[] = [],
  bucket?: string,
): Promise<LatencyRow[]> {
  const rows: {
    bucket: string | null;
    p50: number | null;
    p95: number | null;
    p99: number | null;
    n: string;
  }[] = await ds.query(
    `SELECT ${bucket ? 'bucket' : 'NULL'} AS bucket, percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50,
            percentile_cont(0.95) WITHIN GROUP (ORDER BY ms) AS p95, percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99, count(*) AS n
       FROM (SELECT ${bucket ?? 'NULL'} AS bucket, extract(epoch from s.notified_at - d.fetched_at) * 1000 AS ms
               FROM papers p JOIN paper_stages s ON s.paper_id = p.id JOIN paper_versions v ON v.paper_id = p.id AND v.content_hash = p.content_hash
               JOIN raw_documents d ON d.id = v.raw_document_id WHERE s.notified_at IS NOT NULL ${where}) x
      ${bucket ? 'GROUP BY bucket ORDER BY bucket' : ''}`,
    params,
  );
  return rows.map((r) => ({
    bucket: r.bucket === null ? null : Number(r.bucket),
    p50: r.p50,
    p95: r.p95,
    p99: r.p99,
    n: Number(r.n),
  }));
}

/** Deletes every Redis key under a run's queue prefix (the queues, their jobs and the services' locks). */
export async function deletePrefixKeys(redis: Redis, prefix: string): Promise<number> {
  let deleted = 0;
  const stream = redis.scanStream({ match: `${prefix}:*`, count: 1000 });
  for await (const keys of stream as AsyncIterable<string[]>) {
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  }
  return deleted;
}

/**
 * Autovacuum's work, done by the harness when the server runs without it (`autovacuum = off`, as this
 * machine's CI configuration has it; every production Postgres runs it). Without it no table of a run's
 * fresh schema is ever analysed: the planner sees no statistics, estimates `col = ANY($1)` of a 300-id
 * batch to match most of a table and plans scans whose cost grows with the catalogue, and the
 * update-heavy stage table is never vacuumed. Every `intervalMs` (autovacuum_naptime's default, 1 min) it applies autovacuum's default
 * thresholds to the schema's tables (ANALYZE when changed rows > 50 + 10% of live rows, VACUUM when
 * dead rows > 50 + 20%), on its own connection named `paperwire-bench-autovacuum`, so its CPU is counted
 * with the run's like real autovacuum workers'. A no-op when the server's own autovacuum is on.
 */
export class AutovacuumStandIn {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  readonly actions = { analyze: 0, vacuum: 0 };

  private constructor(
    private readonly client: import('pg').Client | null,
    private readonly schema: string,
  ) {}

  static async start(schema: string, intervalMs = 60_000): Promise<AutovacuumStandIn> {
    const { Client } = await import('pg');
    const client = new Client({ connectionString: DB_URL, application_name: 'paperwire-bench-autovacuum' });
    await client.connect();
    const on = (await client.query(`SELECT current_setting('autovacuum') AS v`)).rows[0].v === 'on';
    if (on) {
      await client.end();
      return new AutovacuumStandIn(null, schema);
    }
    const av = new AutovacuumStandIn(client, schema);
    av.timer = setInterval(
      () => (av.running = av.running.then(() => av.pass()).catch(() => undefined)),
      intervalMs,
    );
    return av;
  }

  /** Whether the harness stands in for the server's autovacuum in this run. */
  get active(): boolean {
    return this.client !== null;
  }

  private async pass(): Promise<void> {
    const c = this.client!;
    const { rows } = await c.query<{ t: string; vacuum: boolean; analyze: boolean }>(
      `SELECT quote_ident(relname) AS t,
              n_dead_tup > 50 + 0.2 * n_live_tup AS vacuum,
              n_mod_since_analyze > 50 + 0.1 * n_live_tup AS analyze
         FROM pg_stat_user_tables WHERE schemaname = $1`,
      [this.schema],
    );
    for (const r of rows) {
      const table = `${this.schema}.${r.t}`;
      if (r.vacuum) {
        await c.query(`VACUUM (ANALYZE) ${table}`);
        this.actions.vacuum++;
      } else if (r.analyze) {
        await c.query(`ANALYZE ${table}`);
        this.actions.analyze++;
      }
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
    await this.client?.end();
  }
}
