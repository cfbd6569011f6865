// `npm run bench [-- --papers N --source oai|hf --smoke --resume --skip-floors]`
// Runs the real services as processes against local Postgres and Redis, with tracing on (spans are
// exported over OTLP/HTTP to a local sink), feeds them a generated corpus from a local OAI-PMH
// replay, and prints throughput, latency, memory and queue figures next to two floors measured on
// the same machine: a bare 5-hop BullMQ chain and a COPY of the same rows. One JSON line on stdout,
// a table and a progress bar on stderr.
import { createServer } from 'node:http';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { QueueSet, queueDepths } from '@paperwire/queue';
import { REPO_ROOT, startWebhookReceiver } from '@paperwire/testing';
import { HF_FIRST_DAY, distinctPapers, hfPage, loadBaseTexts, oaiPage, type CorpusOptions } from './corpus';
import { CpuAccount } from './cpu';
import { bareChain, copyFloor } from './floors';
import {
  AutovacuumStandIn,
  DB_URL,
  PAPERS_PER_DOCUMENT,
  REDIS_URL,
  addWebhookSubscription,
  argValue,
  count,
  deletePrefixKeys,
  latencyPercentiles,
  listen,
  offerDocument,
  offeredDocument,
  openSchema,
  rssMb,
  stageEnv,
  startStages,
  startTraceSink,
  uploadSource,
} from './harness';

interface Args {
  papers: number;
  source: 'oai' | 'hf';
  pageSize: number;
  smoke: boolean;
  resume: boolean;
  skipFloors: boolean;
  latencySeconds: number;
  offeredRate: number;
  timeoutSeconds: number;
}

function parseArgs(argv: string[]): Args {
  const get = (name: string): string | undefined => argValue(argv, name);
  const smoke = argv.includes('--smoke');
  const papers = Number(get('papers') ?? (smoke ? 3000 : 100_000));
  if (!Number.isInteger(papers) || papers < 100) throw new Error('--papers: an integer ≥ 100');
  const source = get('source') ?? 'oai';
  if (source !== 'oai' && source !== 'hf')
    throw new Error('--source: oai (OAI-PMH arXivRaw pages) or hf (HF daily papers JSON)');
  return {
    papers,
    source,
    pageSize: Number(get('page-size') ?? 1000),
    smoke,
    resume: argv.includes('--resume'),
    skipFloors: argv.includes('--skip-floors'),
    latencySeconds: Number(get('latency-seconds') ?? (smoke ? 5 : 20)),
    offeredRate: Number(get('rate') ?? 100),
    timeoutSeconds: Number(get('timeout') ?? 3600),
  };
}

const STATE_FILE = join(REPO_ROOT, '.paperwire', 'bench-state.json');

interface State {
  schema: string;
  prefix: string;
  papers: number;
  pageSize: number;
  source?: Args['source'];
  startedAt: number;
}

function progress(done: number, total: number, rate: number, extra: string): void {
  const width = 30;
  const filled = Math.round((done / total) * width);
  const eta = rate > 0 ? (total - done) / rate : Infinity;
  const etaText = Number.isFinite(eta) ? `${Math.ceil(eta)}s` : '?';
  process.stderr.write(
    `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${((100 * done) / total).toFixed(1)}% ${done}/${total} · ${rate.toFixed(0)} papers/s · ETA ${etaText} ${extra}   `,
  );
}

/** The fetcher reads at most this many HF pages a day before it moves to the next day (HF_MAX_PAGES). */
const HF_PAGES_PER_DAY = 50;

function dayAfter(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** A service's Prometheus text ('' when it does not answer). */
async function scrape(port: number): Promise<string> {
  try {
    return await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  } catch {
    return '';
  }
}

/** Papers the notifier moved to `notified` since it started, from its Prometheus counter. */
function notifiedByCounter(metrics: string): number {
  const m = /^paperwire_papers_processed_total\{stage="notified"\} (\d+)/m.exec(metrics);
  return m ? Number(m[1]) : 0;
}

/** The longest event-loop delay since the previous scrape (prom-client resets its histogram on each). */
function eventLoopMaxMs(metrics: string): number {
  const m = /^nodejs_eventloop_lag_max_seconds (\S+)/m.exec(metrics);
  return m ? Number(m[1]) * 1000 : 0;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const corpus: CorpusOptions = { records: args.papers, duplicateRate: 0.05, versionRate: 0.05 };
  const base = loadBaseTexts(REPO_ROOT);
  const expected = distinctPapers(corpus);
  mkdirSync(join(REPO_ROOT, '.paperwire'), { recursive: true });

  let state: State;
  if (args.resume && existsSync(STATE_FILE)) {
    state = JSON.parse(readFileSync(STATE_FILE, 'utf8')) as State;
    if (
      state.papers !== args.papers ||
      state.pageSize !== args.pageSize ||
      (state.source ?? 'oai') !== args.source
    )
      throw new Error(
        `--resume: the saved run has --papers ${state.papers} --page-size ${state.pageSize} --source ${state.source ?? 'oai'}`,
      );
    process.stderr.write(`resuming ${state.schema} (${state.prefix})\n`);
  } else {
    const tag = Date.now().toString(36);
    state = {
      schema: `bench_${tag}`,
      prefix: `{bench-${tag}}`,
      papers: args.papers,
      pageSize: args.pageSize,
      source: args.source,
      startedAt: Date.now(),
    };
    writeFileSync(STATE_FILE, JSON.stringify(state));
  }

  // The local replay (OAI-PMH pages rendered on demand) and the OTLP trace sink.
  let pagesServed = 0;
  const oai = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    pagesServed += 1;
    if (url.pathname === '/api/daily_papers') {
      // HF pages `p` of `limit` per day (the fetcher takes at most HF_PAGES_PER_DAY a day, then the next day).
      const date = url.searchParams.get('date') ?? HF_FIRST_DAY;
      const day = Math.round(
        (Date.parse(`${date}T00:00:00Z`) - Date.parse(`${HF_FIRST_DAY}T00:00:00Z`)) / 86_400_000,
      );
      const page = day * HF_PAGES_PER_DAY + Number(url.searchParams.get('p') ?? 0);
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(hfPage(page, args.pageSize, base, corpus, date));
      return;
    }
    const token = url.searchParams.get('resumptionToken');
    const page = token ? Number(token.replace('bench-', '')) : 0;
    res
      .writeHead(200, { 'content-type': 'text/xml; charset=utf-8' })
      .end(oaiPage(page, args.pageSize, base, corpus));
  });
  const oaiPort = await listen(oai);
  const traces = await startTraceSink();
  const receiver = await startWebhookReceiver(() => 204);

  const ds = await openSchema(state.schema);
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queues = new QueueSet(redis, state.prefix);
  const procs = await startStages(stageEnv(state.schema, state.prefix, traces.endpoint), 'bench');

  // The corpus as OAI-PMH arXivRaw pages, or as HF daily-papers JSON: `limit` items a page, days from HF_FIRST_DAY.
  const hfDays = Math.max(1, Math.ceil(Math.ceil(args.papers / args.pageSize) / HF_PAGES_PER_DAY));
  const [sourceKind, sourcePath, sourceParams] =
    args.source === 'hf'
      ? [
          'hf-daily-papers',
          '/api/daily_papers',
          { from: HF_FIRST_DAY, to: dayAfter(HF_FIRST_DAY, hfDays - 1), limit: args.pageSize },
        ]
      : ['arxiv-oai', '/oai', { metadataPrefix: 'arXivRaw' }];
  let sourceId: string;
  const existing: { id: string }[] = await ds.query(`SELECT id FROM sources WHERE name = 'bench-oai'`);
  if (existing[0]) sourceId = existing[0].id;
  else {
    sourceId = (
      await ds.query(
        `INSERT INTO sources (name, kind, url, params, allow_private, min_interval_ms) VALUES ('bench-oai', $1, $2, $3::jsonb, true, 0) RETURNING id`,
        [sourceKind, `http://127.0.0.1:${oaiPort}${sourcePath}`, JSON.stringify(sourceParams)],
      )
    )[0].id;
    await addWebhookSubscription(ds, `${receiver.url}/hook`);
  }
  // A resumed run keeps its checkpoint; the replay's port changed, so point the source at it.
  await ds.query(`UPDATE sources SET url = $2 WHERE id = $1`, [
    sourceId,
    `http://127.0.0.1:${oaiPort}${sourcePath}`,
  ]);

  // ── saturation: the whole corpus as fast as the pipeline goes ────────────────────────────────
  const cpu = new CpuAccount(
    ds,
    procs.map((p) => ({ name: p.name, pid: p.proc.pid })),
  );
  const autovacuum = await AutovacuumStandIn.start(state.schema);
  await cpu.sample();
  const t0 = Date.now();
  await queues.enqueue('fetch-source', { sourceId, reason: 'backfill' }, { variant: `bench${t0}` });
  const peakRss: Record<string, number> = {};
  // CPU-heavy stages must not block the event loop for as long as a job lock is renewed (BullMQ renews
  // every lockDuration / 2, 15 s with our 30 s locks): the longest delay each service saw.
  const loopLagMs: Record<string, number> = {};
  let longestQueue = { queue: '', depth: 0 };
  let notified = 0;
  let lastRate = 0;
  const samples: { t: number; n: number }[] = [];
  // Progress comes from the notifier's own counter, not a count(*) over papers every half second
  // (a scan of the whole table that would load the machine it measures); the database confirms the end.
  const notifier = procs.find((p) => p.name === 'notifier')!;
  const notifiedBefore = await count(ds, `SELECT count(*) AS n FROM paper_stages WHERE stage = 'notified'`);
  while (notified < expected) {
    await new Promise((r) => setTimeout(r, 500));
    const scraped = await Promise.all(procs.map(async (p) => [p, await scrape(p.port)] as const));
    for (const [p, text] of scraped)
      loopLagMs[p.name] = Math.max(loopLagMs[p.name] ?? 0, eventLoopMaxMs(text));
    notified = notifiedBefore + notifiedByCounter(scraped.find(([p]) => p === notifier)![1]);
    if (notified >= expected)
      notified = await count(ds, `SELECT count(*) AS n FROM paper_stages WHERE stage = 'notified'`);
    samples.push({ t: Date.now(), n: notified });
    const window = samples.filter((s) => s.t > Date.now() - 5000);
    lastRate =
      window.length > 1
        ? ((window[window.length - 1].n - window[0].n) * 1000) / (window[window.length - 1].t - window[0].t)
        : 0;
    for (const p of procs) peakRss[p.name] = Math.max(peakRss[p.name] ?? 0, rssMb(p.proc.pid));
    await cpu.sample();
    for (const d of await queueDepths(queues)) {
      const depth = d.waiting + d.delayed + d.prioritized;
      if (depth > longestQueue.depth) longestQueue = { queue: d.queue, depth };
    }
    progress(notified, expected, lastRate, `· pages ${pagesServed}`);
    if (Date.now() - t0 > args.timeoutSeconds * 1000)
      throw new Error(`timed out with ${notified}/${expected} papers notified`);
  }
  process.stderr.write('\n');
  // Full-text vectors are computed by a low-priority job (issue #19): the run is over, and its CPU
  // counted, once every paper is searchable too. How long after the last notification that took.
  const notifiedAt = Date.now();
  const unsearchable = `SELECT count(*) AS n FROM papers p WHERE NOT EXISTS (SELECT 1 FROM paper_search s WHERE s.paper_id = p.id)`;
  while ((await count(ds, unsearchable)) > 0) {
    if (Date.now() - t0 > args.timeoutSeconds * 1000)
      throw new Error('timed out waiting for the full-text vectors');
    await new Promise((r) => setTimeout(r, 250));
  }
  const searchLagSeconds = (Date.now() - notifiedAt) / 1000;
  await cpu.sample();
  const cpuSeconds = cpu.seconds();

  const span = (
    await ds.query(
      `SELECT extract(epoch from min(d.fetched_at)) AS first_fetch, extract(epoch from max(p.notified_at)) AS last_notified FROM paper_stages p, raw_documents d`,
    )
  )[0] as { first_fetch: number; last_notified: number };
  const e2eSeconds = Math.max(0.001, span.last_notified - span.first_fetch);
  const stageRates: Record<string, number> = {};
  for (const st of ['parsed', 'classified', 'extracted', 'notified']) {
    const r = (
      await ds.query(
        `SELECT count(*) AS n, extract(epoch from max(${st}_at) - min(${st}_at)) AS s FROM paper_stages WHERE ${st}_at IS NOT NULL`,
      )
    )[0] as { n: string; s: number };
    stageRates[st] = Number(r.n) / Math.max(0.001, Number(r.s));
  }
  const latency = async (where: string, params: unknown[] = []) =>
    (await latencyPercentiles(ds, where, params))[0];
  const saturationLatency = await latency('');
  // Stage updates are meant to be HOT (no index touched, same page): the share that was, and the row width.
  const tableStats = async (table: string) =>
    (
      await ds.query(
        `SELECT n_tup_upd AS updates, n_tup_hot_upd AS hot, (SELECT round(avg(pg_column_size(t.*))) FROM ${table} t) AS row_bytes
         FROM pg_stat_user_tables WHERE schemaname = current_schema() AND relname = $1`,
        [table],
      )
    )[0] as { updates: string; hot: string; row_bytes: string } | undefined;
  const updateStats = (t: { updates: string; hot: string; row_bytes: string } | undefined) =>
    t
      ? {
          updates: Number(t.updates),
          hotShare: Number((Number(t.hot) / Math.max(1, Number(t.updates))).toFixed(3)),
          avgRowBytes: Number(t.row_bytes),
        }
      : null;
  const hot = await tableStats('papers');
  const stageHot = await tableStats('paper_stages');
  const rows = await count(
    ds,
    `SELECT (SELECT count(*) FROM papers) + (SELECT count(*) FROM paper_versions) + (SELECT count(*) FROM paper_sources) + (SELECT count(*) FROM paper_topics)
          + (SELECT count(*) FROM paper_claims) + (SELECT count(*) FROM deliveries) + (SELECT count(*) FROM raw_documents) AS n`,
  );

  // ── fixed offered load: new papers at `rate` per second, as raw documents of 10 ─────────────
  const latencyMarker = new Date();
  const docs = Math.round((args.offeredRate * args.latencySeconds) / PAPERS_PER_DOCUMENT);
  const interval = (1000 * PAPERS_PER_DOCUMENT) / args.offeredRate;
  const loadSource = await uploadSource(ds, 'bench-load');
  // Documents past the corpus (and past any earlier run's offered load in a resumed schema) are new papers.
  const firstDoc =
    Math.ceil(args.papers / PAPERS_PER_DOCUMENT) +
    (await count(ds, `SELECT count(*) AS n FROM raw_documents WHERE source_id = $1`, [loadSource]));
  const offered: string[] = [];
  const tLoad = Date.now();
  for (let k = 0; k < docs; k += 1) {
    const due = tLoad + k * interval;
    if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
    const doc = offeredDocument(firstDoc + k, base);
    offered.push(...doc.arxivIds);
    await offerDocument(ds, queues, loadSource, doc.body);
  }
  // Wait for the offered papers by their arXiv ids (an index look-up, not a scan of papers that would
  // load the database while the latency is being measured).
  for (let i = 0; i < 600; i += 1) {
    const done = await count(
      ds,
      `SELECT count(*) AS n FROM papers p JOIN paper_stages s ON s.paper_id = p.id WHERE p.arxiv_id = ANY($1::text[]) AND s.notified_at IS NOT NULL`,
      [offered],
    );
    if (done >= offered.length) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const offeredLatency = await latency(`AND d.fetched_at >= $1`, [latencyMarker]);

  const redisInfo = await redis.info('memory');
  const redisPeakMb = Number(/used_memory_peak:(\d+)/.exec(redisInfo)?.[1] ?? 0) / 1024 / 1024;
  // The kernel's high-water mark catches the peaks the 500 ms samples miss (issue 19: ≤ 250 MB per service).
  for (const p of procs)
    peakRss[p.name] = Math.max(peakRss[p.name] ?? 0, rssMb(p.proc.pid), rssMb(p.proc.pid, 'VmHWM'));
  await autovacuum.stop();
  const stops = await Promise.all(procs.map((p) => p.stop(25_000)));

  // ── floors ─────────────────────────────────────────────────────────────────────────────────────
  const floorPapers = Math.min(expected, args.smoke ? expected : 20_000);
  const bare = args.skipFloors
    ? null
    : await bareChain(REPO_ROOT, floorPapers, REDIS_URL, `{bench-bare-${Date.now().toString(36)}}`);
  const copy = args.skipFloors ? null : await copyFloor(DB_URL, base, corpus, expected);

  const papersPerSecond = expected / e2eSeconds;
  const ms = (v: number | null) => (v === null ? null : Math.round(v));
  const result = {
    machine: { cores: (await import('node:os')).cpus().length, node: process.version },
    autovacuum: autovacuum.active
      ? { by: 'harness (server has autovacuum = off)', ...autovacuum.actions }
      : { by: 'server' },
    corpus: {
      source: args.source,
      records: args.papers,
      distinctPapers: expected,
      pageSize: args.pageSize,
      pagesServed,
    },
    tracing: { otlpBytes: traces.bytes() },
    endToEnd: {
      papers: expected,
      seconds: Number(e2eSeconds.toFixed(2)),
      papersPerSecond: Math.round(papersPerSecond),
    },
    searchLagSeconds: Number(searchLagSeconds.toFixed(2)),
    stagesPerSecond: Object.fromEntries(Object.entries(stageRates).map(([k, v]) => [k, Math.round(v)])),
    latencyMs: {
      saturation: {
        p50: ms(saturationLatency.p50),
        p95: ms(saturationLatency.p95),
        p99: ms(saturationLatency.p99),
      },
      offered: {
        ratePerSecond: args.offeredRate,
        papers: offeredLatency.n,
        p50: ms(offeredLatency.p50),
        p95: ms(offeredLatency.p95),
        p99: ms(offeredLatency.p99),
      },
    },
    peakRssMb: Object.fromEntries(Object.entries(peakRss).map(([k, v]) => [k, Math.round(v)])),
    eventLoopMaxDelayMs: Object.fromEntries(Object.entries(loopLagMs).map(([k, v]) => [k, Math.round(v)])),
    redisPeakMb: Math.round(redisPeakMb),
    longestQueue,
    postgresRowsPerSecond: Math.round(rows / e2eSeconds),
    papersTable: updateStats(hot),
    stagesTable: updateStats(stageHot),
    cpuMsPerPaper: Object.fromEntries(
      cpuSeconds.map((g) => [
        g.group,
        Number(((1000 * g.seconds) / Math.max(1, expected - notifiedBefore)).toFixed(3)),
      ]),
    ),
    shutdown: Object.fromEntries(procs.map((p, i) => [p.name, { ms: stops[i].ms, forced: stops[i].forced }])),
    floors: {
      bareChain: bare && { papers: bare.papers, papersPerSecond: Math.round(bare.papersPerSecond) },
      copy: copy && { rows: copy.rows, rowsPerSecond: Math.round(copy.rowsPerSecond) },
    },
    ratios: {
      paperwireOverBareChain: bare ? Number((papersPerSecond / bare.papersPerSecond).toFixed(2)) : null,
      paperwireOverCopy: copy ? Number((papersPerSecond / copy.rowsPerSecond).toFixed(3)) : null,
    },
  };
  const table = [
    [
      'end-to-end',
      `${result.endToEnd.papersPerSecond} papers/s (${expected} papers in ${result.endToEnd.seconds} s, tracing on)`,
    ],
    [
      'per stage',
      Object.entries(result.stagesPerSecond)
        .map(([k, v]) => `${k} ${v}/s`)
        .join(', '),
    ],
    [
      'latency @ saturation',
      `p50 ${result.latencyMs.saturation.p50} ms, p95 ${result.latencyMs.saturation.p95} ms, p99 ${result.latencyMs.saturation.p99} ms`,
    ],
    [
      `latency @ ${args.offeredRate}/s`,
      `p50 ${result.latencyMs.offered.p50} ms, p95 ${result.latencyMs.offered.p95} ms, p99 ${result.latencyMs.offered.p99} ms (${result.latencyMs.offered.papers} papers)`,
    ],
    [
      'peak RSS',
      Object.entries(result.peakRssMb)
        .map(([k, v]) => `${k} ${v} MB`)
        .join(', '),
    ],
    [
      'event-loop delay, max',
      Object.entries(result.eventLoopMaxDelayMs)
        .map(([k, v]) => `${k} ${v} ms`)
        .join(', '),
    ],
    [
      'redis peak / longest queue',
      `${result.redisPeakMb} MB / ${longestQueue.queue} ${longestQueue.depth} jobs`,
    ],
    ['postgres rows written', `${result.postgresRowsPerSecond} rows/s`],
    [
      'papers updates',
      result.papersTable
        ? `${result.papersTable.updates} updates, ${(100 * result.papersTable.hotShare).toFixed(1)}% HOT, rows of ${result.papersTable.avgRowBytes} bytes`
        : 'n/a',
    ],
    [
      'paper_stages updates',
      result.stagesTable
        ? `${result.stagesTable.updates} updates, ${(100 * result.stagesTable.hotShare).toFixed(1)}% HOT, rows of ${result.stagesTable.avgRowBytes} bytes`
        : 'n/a',
    ],
    [
      'CPU ms per paper',
      `${Object.values(result.cpuMsPerPaper)
        .reduce((a, b) => a + b, 0)
        .toFixed(2)} in all: ${Object.entries(result.cpuMsPerPaper)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    ],
    [
      'bare 5-hop chain',
      bare
        ? `${Math.round(bare.papersPerSecond)} papers/s → PaperWire ÷ bare = ${result.ratios.paperwireOverBareChain}`
        : 'skipped',
    ],
    [
      'COPY floor',
      copy
        ? `${Math.round(copy.rowsPerSecond)} rows/s → PaperWire ÷ COPY = ${result.ratios.paperwireOverCopy}`
        : 'skipped',
    ],
  ];
  process.stderr.write(`\n${table.map(([k, v]) => `${k.padEnd(28)} ${v}`).join('\n')}\n\n`);
  process.stdout.write(`${JSON.stringify(result)}\n`);

  await queues.close();
  // The run is complete (nothing left to resume): its queues and jobs go with its schema.
  if (process.env.BENCH_KEEP_SCHEMA !== '1') await deletePrefixKeys(redis, state.prefix);
  await redis.quit();
  if (process.env.BENCH_KEEP_SCHEMA === '1') process.stderr.write(`kept schema ${state.schema}\n`);
  else await ds.query(`DROP SCHEMA "${state.schema}" CASCADE`);
  await ds.destroy();
  await receiver.close();
  oai.close();
  traces.close();
  writeFileSync(STATE_FILE, '{}');
}

main().catch((err: unknown) => {
  process.stderr.write(`\nbench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
