// `npm run bench:api [-- --papers N --smoke --reuse --duration S --concurrency C --routes a,b --no-cache --topics-fallback
//  --accept-encoding 'gzip, deflate, br']`
// Generates a realistic catalogue straight into Postgres with COPY (tools/bench/api-dataset.ts, through
// the real migrations), starts the real api process on it, and measures every public read with
// autocannon at concurrency 1 and 200: p50/p95/p99, requests/s and status codes. A table on stderr,
// one JSON line on stdout. `--reuse` keeps a complete dataset of the same size between runs.
import autocannon from 'autocannon';
import { createDataSource, ensureDatabase, migrate } from '@paperwire/db';
import * as db from '@paperwire/db';
import { seedTopics } from '@paperwire/db';
import { loadDefaultTaxonomy } from '@paperwire/classification';
import { startServiceProcess, type ServiceProcess } from '@paperwire/testing';
import { datasetShape, generateDataset, generateExtras } from './api-dataset';
import { DB_URL, REDIS_URL, argValue } from './harness';

interface Args {
  papers: number;
  smoke: boolean;
  reuse: boolean;
  duration: number;
  concurrency: number[];
  routes: string[] | null;
  keep: boolean;
  /** API_CACHE_MS=0: every request runs its queries (what a page costs, not what the cache saves) */
  noCache: boolean;
  /** leave the topic-count rollup unwritten: GET /v1/topics is measured on its live fallback (no sweeper has run) */
  topicsFallback: boolean;
  /** the Accept-Encoding every request sends (none by default: identity bodies, as before compression) */
  acceptEncoding: string | null;
}

function parseArgs(argv: string[]): Args {
  const get = (name: string): string | undefined => argValue(argv, name);
  const smoke = argv.includes('--smoke');
  const papers = Number(get('papers') ?? (smoke ? 3000 : 2_500_000));
  if (!Number.isInteger(papers) || papers < 100) throw new Error('--papers: an integer ≥ 100');
  const duration = Number(get('duration') ?? (smoke ? 1 : 10));
  if (!(duration > 0 && duration <= 600)) throw new Error('--duration: seconds, 0 < d ≤ 600');
  const concurrency = (get('concurrency') ?? (smoke ? '1,50' : '1,200')).split(',').map(Number);
  if (concurrency.some((c) => !Number.isInteger(c) || c < 1 || c > 1000)) throw new Error('--concurrency: integers 1..1000, comma-separated');
  return { papers, smoke, reuse: argv.includes('--reuse'), duration, concurrency, routes: get('routes')?.split(',') ?? null, keep: argv.includes('--keep'), noCache: argv.includes('--no-cache'), topicsFallback: argv.includes('--topics-fallback'), acceptEncoding: get('accept-encoding') ?? null };
}

const log = (s: string) => process.stderr.write(`${s}\n`);

interface RouteResult {
  route: string;
  /** requests sent; those still unanswered when the run ended count as failures */
  sent: number;
  path: string;
  concurrency: number;
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  status: Record<string, number>;
  /** 5xx answers that are not a 503 with Retry-After */
  bad5xx: number;
  errors: number;
  timeouts: number;
  /** median bytes a response took on the wire (status line, headers and body) */
  bytes: number;
}

const pct = (sorted: number[], p: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]);

async function measure(base: string, route: string, path: string, concurrency: number, duration: number, acceptEncoding: string | null): Promise<RouteResult> {
  const latencies: number[] = [];
  const sizes: number[] = [];
  const status: Record<string, number> = {};
  let bad5xx = 0;
  const instance = autocannon({
    url: `${base}${path}`,
    connections: concurrency,
    duration,
    timeout: 30,
    headers: { accept: path.startsWith('/v1') ? 'application/json' : 'text/html', ...(acceptEncoding ? { 'accept-encoding': acceptEncoding } : {}) },
    setupClient: (client) => {
      // autocannon passes the HTTP parser's header record (statusCode, flat [name, value, …] list).
      (client as unknown as { on(e: 'headers', f: (h: { statusCode: number; headers: string[] }) => void): void }).on('headers', (h) => {
        if (h.statusCode >= 500) {
          const headers = h.headers ?? [];
          let retryAfter = false;
          for (let i = 0; i < headers.length; i += 2) if (String(headers[i]).toLowerCase() === 'retry-after') retryAfter = true;
          if (!(h.statusCode === 503 && retryAfter)) bad5xx += 1;
        }
      });
    },
  });
  (instance as unknown as { on(e: 'response', f: (c: unknown, s: number, b: number, t: number) => void): void }).on('response', (_client: unknown, statusCode: number, bytes: number, responseTime: number) => {
    latencies.push(responseTime);
    sizes.push(bytes);
    status[statusCode] = (status[statusCode] ?? 0) + 1;
  });
  const result = await instance;
  latencies.sort((a, b) => a - b);
  const r2 = (v: number) => Math.round(v * 100) / 100;
  return {
    route,
    sent: result.requests.sent,
    path,
    concurrency,
    requests: latencies.length,
    rps: r2(latencies.length / duration),
    p50: r2(pct(latencies, 50)),
    p95: r2(pct(latencies, 95)),
    p99: r2(pct(latencies, 99)),
    max: r2(latencies[latencies.length - 1] ?? NaN),
    status,
    bad5xx,
    errors: result.errors,
    timeouts: result.timeouts,
    bytes: pct(sizes.sort((a, b) => a - b), 50),
  };
}

/** Waits (up to 3 minutes) until the api runs no query: a saturated run must not leak into the next one. */
async function drain(schema: string): Promise<void> {
  const ds = await createDataSource({ url: DB_URL, schema, poolSize: 1 }).initialize();
  try {
    const until = Date.now() + 180_000;
    while (Date.now() < until) {
      const [{ n }]: { n: number }[] = await ds.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'paperwire-api' AND state <> 'idle' AND pid <> pg_backend_pid()`,
      );
      if (n === 0) return;
      await new Promise((res) => setTimeout(res, 500));
    }
  } finally {
    await ds.destroy();
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const schema = `bench_api_${args.papers}`;
  await ensureDatabase(DB_URL, 'public');
  const admin = await createDataSource({ url: DB_URL, schema: 'public', poolSize: 1 }).initialize();
  const marker: { c: string | null }[] = await admin.query(`SELECT obj_description(oid, 'pg_namespace') AS c FROM pg_namespace WHERE nspname = $1`, [schema]);
  const complete = marker[0]?.c === `bench-api papers=${args.papers} complete`;
  let generation: { seconds: number; phases: Record<string, number> } | null = null;
  if (!(args.reuse && complete)) {
    if (args.reuse) log(`no complete dataset ${schema}: generating it`);
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.query(`CREATE SCHEMA "${schema}"`);
  }
  await admin.destroy();

  const ds = await createDataSource({ url: DB_URL, schema, poolSize: 2 }).initialize();
  const ran = await migrate(ds);
  if (ran.length > 0) log(`migrations: ${ran.join(', ')}`);
  if (!(args.reuse && complete)) {
    await seedTopics(ds, loadDefaultTaxonomy(), 'default');
    const topics: { slug: string }[] = await ds.query(`SELECT slug FROM topics ORDER BY slug`);
    const shape = datasetShape(args.papers, topics.map((t) => t.slug));
    log(`generating ${args.papers.toLocaleString('en')} papers over ${shape.days} days into ${schema}`);
    const t0 = Date.now();
    const phases = await generateDataset(ds, DB_URL, schema, shape, log);
    // The read model (when this checkout has one) is built from the rows, as its migration does.
    const rebuild = (db as unknown as { rebuildReadModel?: (d: typeof ds) => Promise<unknown> }).rebuildReadModel;
    if (rebuild) {
      const t = Date.now();
      await rebuild(ds);
      phases['read model'] = (Date.now() - t) / 1000;
      log(`  read model: ${phases['read model'].toFixed(1)} s`);
    }
    const t = Date.now();
    await ds.query('VACUUM (ANALYZE)');
    phases['vacuum analyze'] = (Date.now() - t) / 1000;
    generation = { seconds: (Date.now() - t0) / 1000, phases };
    log(`generated in ${generation.seconds.toFixed(0)} s`);
    await ds.query(`COMMENT ON SCHEMA "${schema}" IS 'bench-api papers=${args.papers} complete'`);
  } else {
    log(`reusing ${schema}`);
    if (ran.length > 0) await ds.query('VACUUM (ANALYZE)');
  }

  // What the newer features read (subscriptions, deliveries, held ones, digests, the spelling vocabulary): added once,
  // to a dataset generated before them too (--reuse).
  const [{ n: subscriptions }]: { n: number }[] = await ds.query(`SELECT count(*)::int AS n FROM subscriptions`);
  if (subscriptions === 0) {
    const topics: { slug: string }[] = await ds.query(`SELECT slug FROM topics ORDER BY slug`);
    log('extras: keys, subscriptions, deliveries, digests, search words');
    const t = Date.now();
    await generateExtras(ds, datasetShape(args.papers, topics.map((r) => r.slug)), log, (d, batch) => db.refreshSearchWords(d, batch, 0));
    log(`extras in ${((Date.now() - t) / 1000).toFixed(0)} s`);
  }

  // Concrete parameters from the data: a mid-catalogue day, a page 1,000 deep.
  const [{ mid }]: { mid: string }[] = await ds.query(
    `SELECT ((min(published_at) + (max(published_at) - min(published_at)) / 2) AT TIME ZONE 'UTC')::date::text AS mid FROM papers`,
  );
  const deepRows: { sort_at: string; id: string }[] = await ds.query(
    `SELECT coalesce(published_at, listed_at, created_at)::text AS sort_at, id FROM papers ORDER BY coalesce(published_at, listed_at, created_at) DESC, id DESC OFFSET $1 LIMIT 1`,
    [Math.min(20 * 1000, args.papers - 1) - 1],
  );
  const deepCursor = deepRows[0] ? Buffer.from(JSON.stringify({ s: 'recent', k: [deepRows[0].sort_at, deepRows[0].id] }), 'utf8').toString('base64url') : '';
  // A paper with versions and claims for the paper page and the HF paper route (the newest with an arXiv id).
  const [paper]: { key: string }[] = await ds.query(
    `SELECT coalesce(arxiv_id, id::text) AS key FROM papers ORDER BY coalesce(published_at, listed_at, created_at) DESC LIMIT 1 OFFSET 100`,
  );
  const paperKey = encodeURIComponent(paper?.key ?? '00000000-0000-0000-0000-000000000000');
  // In production the sweeper rewrites the topic-count rollup GET /v1/topics reads every sweep period; the bench runs
  // no sweeper, so it writes the rollup once, trusted for the whole run, and measures what a reader is served
  // (before session 19 it always measured the fallback). --topics-fallback measures the fallback instead.
  await ds.query('DELETE FROM topic_counts');
  if (!args.topicsFallback) {
    const t = Date.now();
    const wrote = await db.refreshTopicCounts(ds, db.EXACT_TOPIC_COUNT_BELOW, 24 * 3600);
    log(wrote > 0 ? `topic counts: rollup of ${wrote} topics written in ${((Date.now() - t) / 1000).toFixed(2)} s (as the sweeper writes it)` : 'topic counts: exact (a small catalogue has no rollup)');
  } else log('topic counts: no rollup (--topics-fallback): /v1/topics reads its fallback');
  await ds.destroy();

  const routes: [string, string][] = [
    ['home', '/'],
    ['home ?date', `/?date=${mid}`],
    ['daily latest', '/v1/daily'],
    ['daily ?date', `/v1/daily?date=${mid}`],
    ['trending 7d', '/v1/trending'],
    ['trending 30d', '/v1/trending?window=30d'],
    ['home trending', '/?tab=trending'],
    ['papers first', '/v1/papers'],
    ['papers 1000 deep', `/v1/papers?cursor=${deepCursor}`],
    ['papers topic', '/v1/papers?topic=rag'],
    ['papers q', '/v1/papers?q=retrieval%20distillation'],
    // a word no paper has (before session 27 the newest-first listing walked every paper: 503 at 1M)
    ['papers q unknown word', '/v1/papers?q=zzqxvw'],
    ['home search typo', '/?q=retreival'],
    ['papers trending', '/v1/papers?sort=trending'],
    ['papers trending topic', '/v1/papers?sort=trending&topic=rag'],
    ['trending topic', '/v1/trending?topic=rag'],
    ['topics', '/v1/topics'],
    ['claims metric', '/v1/claims?claimMetric=accuracy'],
    ['feed topic atom', '/v1/feeds/topics/rag.atom'],
    ['feed search json', '/v1/feeds/search.json?q=distillation'],
    ['stats pipeline', '/v1/stats/pipeline'],
    ['ops', '/ops'],
    ['paper page', `/papers/${paperKey}`],
    ['hf daily', `/api/daily_papers?date=${mid}`],
    ['hf trending', '/api/daily_papers?sort=trending'],
    ['hf paper', `/api/papers/${paperKey}`],
    ['hf search', '/api/papers/search?q=retrieval%20distillation'],
  ];
  const selected = args.routes ? routes.filter(([name]) => args.routes!.includes(name)) : routes;

  const api: ServiceProcess = await startServiceProcess(
    'api',
    {
      DATABASE_URL: DB_URL,
      DATABASE_SCHEMA: schema,
      REDIS_URL,
      QUEUE_PREFIX: `{bench-api-${process.pid}}`,
      LOG_LEVEL: 'warn',
      // One load generator stands for many clients: the per-client limits would answer it 429.
      RATE_LIMIT_PER_MINUTE: '100000000',
      API_CLIENT_CONCURRENCY: '10000',
      ...(args.noCache ? { API_CACHE_MS: '0' } : {}),
      OTEL_EXPORTER_OTLP_ENDPOINT: undefined,
    },
    { logName: 'bench-api', timeoutMs: 120_000 },
  );
  const base = `http://127.0.0.1:${api.port}`;
  const results: RouteResult[] = [];
  try {
    for (const [name, path] of selected) {
      // One request first: a cold first hit is not what a reader sees.
      await fetch(`${base}${path}`).then((r) => r.arrayBuffer()).catch(() => undefined);
      for (const c of args.concurrency) {
        const r = await measure(base, name, path, c, args.duration, args.acceptEncoding);
        results.push(r);
        // Requests still queued in the api would slow the next route: wait until it is idle.
        await drain(schema);
        log(
          `${name.padEnd(18)} c=${String(c).padStart(3)}  p50 ${String(r.p50).padStart(8)} ms  p95 ${String(r.p95).padStart(8)} ms  p99 ${String(r.p99).padStart(8)} ms  ${String(r.rps).padStart(8)} req/s  ${JSON.stringify(r.status)}${r.bad5xx ? `  BAD 5xx ${r.bad5xx}` : ''}`,
        );
      }
    }
  } finally {
    await api.stop(10_000);
  }
  if (!args.keep && args.smoke) {
    const admin2 = await createDataSource({ url: DB_URL, schema: 'public', poolSize: 1 }).initialize();
    await admin2.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin2.destroy();
  }
  log('');
  log(`| read | c | p50 ms | p95 ms | p99 ms | req/s | sent | bytes | statuses |${args.acceptEncoding ? ` (Accept-Encoding: ${args.acceptEncoding})` : ''}`);
  log('|---|---|---|---|---|---|---|---|---|');
  for (const r of results)
    log(`| ${r.route} | ${r.concurrency} | ${r.p50} | ${r.p95} | ${r.p99} | ${r.rps} | ${r.sent} | ${r.bytes} | ${Object.entries(r.status).map(([k, v]) => `${k}×${v}`).join(' ')} |`);
  const bad = results.reduce((s, r) => s + r.bad5xx, 0);
  process.stdout.write(`${JSON.stringify({ bench: 'api', papers: args.papers, cache: !args.noCache, topicCounts: args.topicsFallback ? 'fallback' : 'rollup', acceptEncoding: args.acceptEncoding, schema, generation, duration: args.duration, results, bad5xx: bad })}\n`);
  if (bad > 0) {
    log(`FAIL: ${bad} responses were 5xx other than 503 with Retry-After`);
    process.exitCode = 1;
  }
  if (results.some((r) => r.requests === 0)) {
    log('FAIL: a route answered no request');
    process.exitCode = 1;
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:api failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
