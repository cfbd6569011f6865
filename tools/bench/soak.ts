// `npm run soak -- [--minutes 60] [--rate 100] [--window-minutes 5]` (issue #9, scenario 14; not in CI).
// Offers new papers at a fixed rate for a long time to the five stage services (run as processes, with
// tracing on, as in the benchmark) and watches for what only shows over time: growing memory, queues
// that do not stay bounded, a p99 that drifts. Every 15 s it samples each service's RSS, each queue's
// depth, Redis used_memory and the papers behind; per window it reports papers offered and notified,
// the record → notified latency of the papers fetched in it, peak RSS and queue depths. It prints a
// table and a verdict on stderr and one JSON line on stdout; the verdict is a measurement, not an
// assertion: the exit code is 1 only if papers were lost or a service died.
import { cpus } from 'node:os';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { QUEUES } from '@paperwire/contracts';
import { QueueSet, queueDepths } from '@paperwire/queue';
import { REPO_ROOT, startWebhookReceiver, type ServiceProcess, type WebhookReceiver } from '@paperwire/testing';
import { loadBaseTexts, type BaseText } from './corpus';
import { CpuAccount } from './cpu';
import {
  PAPERS_PER_DOCUMENT,
  PARSE_QUEUE_BOUND,
  REDIS_URL,
  SERVICES,
  addWebhookSubscription,
  deletePrefixKeys,
  latencyPercentiles,
  offerDocument,
  offeredDocument,
  openSchema,
  rssMb,
  stageEnv,
  startStages,
  startTraceSink,
  uploadSource,
  type TraceSink,
} from './harness';

interface Args {
  minutes: number;
  rate: number;
  windowMinutes: number;
  sampleSeconds: number;
  drainSeconds: number;
}

function parseArgs(argv: string[]): Args {
  const get = (name: string, def: number) => {
    const i = argv.indexOf(`--${name}`);
    const v = i >= 0 ? Number(argv[i + 1]) : def;
    if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name}: a positive number`);
    return v;
  };
  const args = { minutes: get('minutes', 60), rate: get('rate', 100), windowMinutes: get('window-minutes', 5), sampleSeconds: get('sample-seconds', 15), drainSeconds: get('drain-seconds', 60) };
  if (args.windowMinutes > args.minutes) throw new Error('--window-minutes: at most --minutes');
  return args;
}

/** One reading of the system, every `sampleSeconds`. */
interface Sample {
  t: number;
  rssMb: Record<string, number>;
  /** waiting + delayed + prioritized + active, per queue */
  queueDepth: Record<string, number>;
  redisUsedMb: number;
  /** papers created in Postgres and not yet notified */
  behind: number;
  /** papers offered whose document is not parsed yet */
  unparsed: number;
  /** CPU seconds of the services and their Postgres backends since the start */
  cpuSeconds: number;
}

interface Run {
  args: Args;
  ds: DataSource;
  redis: Redis;
  queues: QueueSet;
  procs: ServiceProcess[];
  receiver: WebhookReceiver;
  cpu: CpuAccount;
  base: BaseText[];
  sourceId: string;
  t0: number;
  tEnd: number;
  windowMs: number;
  /** arXiv id → offer time, for papers offered and not seen notified yet */
  pending: Map<string, number>;
  offeredPerWindow: number[];
  offered: number;
  /** how late the offer loop ran behind its schedule, at worst */
  maxOfferLagMs: number;
  webhookRequests: number;
  samples: Sample[];
  died: { name: string; code: number | string; atSeconds: number }[];
  stopping: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const round = (v: number, digits = 0) => Number(v.toFixed(digits));

function windowOf(run: Run, t: number): number {
  return Math.min(run.offeredPerWindow.length - 1, Math.max(0, Math.floor((t - run.t0) / run.windowMs)));
}

/** Offers one document of fresh papers every PAPERS_PER_DOCUMENT / rate seconds until the end (or a death). */
async function offerLoad(run: Run): Promise<void> {
  const interval = (1000 * PAPERS_PER_DOCUMENT) / run.args.rate;
  for (let n = 0; ; n += 1) {
    const due = run.t0 + n * interval;
    if (due >= run.tEnd || run.died.length > 0) return;
    await sleep(due - Date.now());
    run.maxOfferLagMs = Math.max(run.maxOfferLagMs, Date.now() - due);
    const doc = offeredDocument(n, run.base);
    await offerDocument(run.ds, run.queues, run.sourceId, doc.body);
    for (const id of doc.arxivIds) run.pending.set(id, Date.now());
    run.offered += PAPERS_PER_DOCUMENT;
    run.offeredPerWindow[windowOf(run, due)] += PAPERS_PER_DOCUMENT;
  }
}

/** Looks up the pending papers (by the arXiv id index) and forgets those notified; returns behind / unparsed. */
async function settle(run: Run): Promise<{ behind: number; unparsed: number }> {
  const ids = [...run.pending.keys()];
  if (ids.length === 0) return { behind: 0, unparsed: 0 };
  const rows: { arxiv_id: string; done: boolean }[] = await run.ds.query(`SELECT p.arxiv_id, s.notified_at IS NOT NULL AS done FROM papers p JOIN paper_stages s ON s.paper_id = p.id WHERE p.arxiv_id = ANY($1::text[])`, [ids]);
  let behind = 0;
  for (const r of rows) {
    if (r.done) run.pending.delete(r.arxiv_id);
    else behind += 1;
  }
  return { behind, unparsed: ids.length - rows.length };
}

/** CPU seconds of the five services and of the Postgres backends they opened (not Redis or other clients). */
function serviceCpuSeconds(cpu: CpuAccount): number {
  const ours = new Set<string>([...SERVICES, ...SERVICES.map((s) => `pg ${s}`)]);
  return cpu
    .seconds()
    .filter((g) => ours.has(g.group))
    .reduce((a, g) => a + g.seconds, 0);
}

async function takeSample(run: Run): Promise<Sample> {
  const depths = await queueDepths(run.queues);
  const redisUsed = Number(/used_memory:(\d+)/.exec(await run.redis.info('memory'))?.[1] ?? 0);
  const { behind, unparsed } = await settle(run);
  await run.cpu.sample();
  // The receiver keeps every request; only the count matters here, and an hour of bodies would grow the harness.
  run.webhookRequests += run.receiver.requests.length;
  run.receiver.requests.length = 0;
  const sample: Sample = {
    t: Date.now(),
    rssMb: Object.fromEntries(run.procs.map((p) => [p.name, round(rssMb(p.proc.pid), 1)])),
    queueDepth: Object.fromEntries(depths.map((d) => [d.queue, d.waiting + d.delayed + d.prioritized + d.active])),
    redisUsedMb: round(redisUsed / 1024 / 1024, 1),
    behind,
    unparsed,
    cpuSeconds: serviceCpuSeconds(run.cpu),
  };
  run.samples.push(sample);
  return sample;
}

async function sampleLoad(run: Run): Promise<void> {
  for (let k = 0; ; k += 1) {
    const due = run.t0 + k * run.args.sampleSeconds * 1000;
    if (due >= run.tEnd || run.died.length > 0) break;
    while (Date.now() < due && run.died.length === 0) await sleep(Math.min(1000, due - Date.now()));
    await takeSample(run);
  }
  while (Date.now() < run.tEnd && run.died.length === 0) await sleep(Math.min(1000, run.tEnd - Date.now()));
  await takeSample(run);
}

const clock = (ms: number) => {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

function progress(run: Run, phase: string): void {
  const now = Date.now();
  const last = run.samples[run.samples.length - 1];
  const rss = last ? Math.max(...Object.values(last.rssMb)) : 0;
  const queue = last ? Math.max(...Object.values(last.queueDepth)) : 0;
  process.stderr.write(
    `\r${phase} ${clock(now - run.t0)} / ${clock(run.tEnd - run.t0)} · ETA ${clock(run.tEnd - now)} · offered ${run.offered}` +
      ` · behind ${last?.behind ?? 0} · max RSS ${Math.round(rss)} MB · max queue ${queue} · redis ${last?.redisUsedMb ?? 0} MB   `,
  );
}

/** Waits up to `drainSeconds` for every offered paper to be notified. */
async function drain(run: Run): Promise<number> {
  const t = Date.now();
  while (Date.now() - t < run.args.drainSeconds * 1000) {
    await settle(run);
    if (run.pending.size === 0) break;
    process.stderr.write(`\rdrain ${clock(Date.now() - t)} · pending ${run.pending.size}      `);
    await sleep(1000);
  }
  process.stderr.write('\n');
  return (Date.now() - t) / 1000;
}

/** Least-squares slope of y over t, per hour (null with fewer than two points). */
function slopePerHour(points: { t: number; y: number }[]): number | null {
  if (points.length < 2) return null;
  const n = points.length;
  const mt = points.reduce((a, p) => a + p.t, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  const den = points.reduce((a, p) => a + (p.t - mt) ** 2, 0);
  if (den === 0) return null;
  return (points.reduce((a, p) => a + (p.t - mt) * (p.y - my), 0) / den) * 3_600_000;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const maxOf = (samples: Sample[], pick: (s: Sample) => number) => samples.reduce((a, s) => Math.max(a, pick(s)), 0);

async function report(run: Run, drainSeconds: number, stops: { code: number | string; ms: number; forced: boolean }[], sink: TraceSink): Promise<boolean> {
  const { args, samples } = run;
  const windows = run.offeredPerWindow.length;
  const windowSeconds = run.windowMs / 1000;
  const bucketOf = (column: string) => `floor(extract(epoch from ${column} - to_timestamp($1::double precision / 1000)) / $2)::int`;
  const latency = await latencyPercentiles(run.ds, 'AND d.source_id = $3', [run.t0, windowSeconds, run.sourceId], bucketOf('d.fetched_at'));
  const notifiedRows: { w: number; n: string }[] = await run.ds.query(
    `SELECT ${bucketOf('notified_at')} AS w, count(*) AS n FROM paper_stages WHERE notified_at IS NOT NULL GROUP BY 1`,
    [run.t0, windowSeconds],
  );
  const notified = notifiedRows.reduce((a, r) => a + Number(r.n), 0);
  const inWindow = (w: number) => samples.filter((s) => windowOf(run, s.t) === w);
  const cpuBefore = (w: number) => (w === 0 ? 0 : (inWindow(w - 1).at(-1)?.cpuSeconds ?? 0));

  const rows = Array.from({ length: windows }, (_, w) => {
    const ws = inWindow(w);
    const l = latency.find((r) => r.bucket === w);
    const offered = run.offeredPerWindow[w];
    const cpuSeconds = (ws.at(-1)?.cpuSeconds ?? cpuBefore(w)) - cpuBefore(w);
    return {
      window: w + 1,
      fromMinute: round((w * run.windowMs) / 60_000, 2),
      offered,
      notified: notifiedRows.filter((r) => Number(r.w) === w).reduce((a, r) => a + Number(r.n), 0),
      latencyMs: { papers: l?.n ?? 0, p50: l?.p50 == null ? null : Math.round(l.p50), p95: l?.p95 == null ? null : Math.round(l.p95), p99: l?.p99 == null ? null : Math.round(l.p99) },
      maxRssMb: Object.fromEntries(SERVICES.map((s) => [s, Math.round(maxOf(ws, (x) => x.rssMb[s] ?? 0))])),
      maxQueueDepth: Object.fromEntries(Object.values(QUEUES).map((q) => [q, maxOf(ws, (x) => x.queueDepth[q] ?? 0)])),
      maxBehind: maxOf(ws, (x) => x.behind),
      redisUsedMbMax: maxOf(ws, (x) => x.redisUsedMb),
      cpuMsPerPaper: offered > 0 ? round((1000 * cpuSeconds) / offered, 2) : null,
    };
  });
  const notifiedInDrain = notifiedRows.filter((r) => Number(r.w) >= windows).reduce((a, r) => a + Number(r.n), 0);

  const steady = samples.filter((s) => s.t >= run.t0 + run.windowMs);
  const rssGrowth = Object.fromEntries(
    SERVICES.map((s) => {
      const slope = slopePerHour(steady.map((x) => ({ t: x.t, y: x.rssMb[s] ?? 0 })));
      return [s, { mbPerHour: slope === null ? null : round(slope, 1), firstWindowMaxMb: rows[0].maxRssMb[s], lastWindowMaxMb: rows[windows - 1].maxRssMb[s] }];
    }),
  );
  const queues = Object.fromEntries(
    Object.values(QUEUES).map((q) => {
      const slope = slopePerHour(steady.map((x) => ({ t: x.t, y: x.queueDepth[q] ?? 0 })));
      return [
        q,
        {
          longest: maxOf(samples, (x) => x.queueDepth[q] ?? 0),
          bound: q === QUEUES.parse ? PARSE_QUEUE_BOUND : null,
          jobsPerHour: slope === null ? null : round(slope, 1),
          firstWindowMax: rows[0].maxQueueDepth[q],
          lastWindowMax: rows[windows - 1].maxQueueDepth[q],
        },
      ];
    }),
  );
  const p99s = rows.map((r) => r.latencyMs.p99).filter((v): v is number => v !== null);
  const redisSlope = slopePerHour(steady.map((x) => ({ t: x.t, y: x.redisUsedMb })));
  const lost = run.offered - notified;
  const result = {
    machine: { cores: cpus().length, node: process.version },
    args,
    tracing: { otlpBytes: sink.bytes() },
    offered: run.offered,
    notified,
    notifiedInDrain,
    drainSeconds: round(drainSeconds, 1),
    lost,
    maxOfferLagMs: Math.round(run.maxOfferLagMs),
    webhookRequests: run.webhookRequests,
    samples: samples.length,
    windows: rows,
    verdict: {
      rssGrowth,
      queues,
      p99Ms: p99s.length ? { min: Math.min(...p99s), median: Math.round(median(p99s)), max: Math.max(...p99s) } : null,
      redisUsedMb: { first: samples[0]?.redisUsedMb ?? 0, last: samples.at(-1)?.redisUsedMb ?? 0, mbPerHour: redisSlope === null ? null : round(redisSlope, 1) },
      maxBehind: maxOf(samples, (x) => x.behind),
      lost,
      died: run.died,
    },
    shutdown: Object.fromEntries(run.procs.map((p, i) => [p.name, { ms: stops[i].ms, forced: stops[i].forced }])),
  };

  const short: Record<string, string> = { fetcher: 'fetch', parser: 'parse', classifier: 'class', 'metric-extractor': 'extr', notifier: 'notif', sweeper: 'sweep' };
  const header = ['win', 'from', 'offered', 'notified', 'p50', 'p95', 'p99', ...SERVICES.map((s) => `${short[s]} MB`), 'max queue', 'behind', 'redis MB', 'cpu ms/p'];
  const table = rows.map((r) => {
    const [q, depth] = Object.entries(r.maxQueueDepth).reduce((a, b) => (b[1] > a[1] ? b : a));
    return [
      String(r.window),
      `${r.fromMinute}m`,
      String(r.offered),
      String(r.notified),
      String(r.latencyMs.p50 ?? '-'),
      String(r.latencyMs.p95 ?? '-'),
      String(r.latencyMs.p99 ?? '-'),
      ...SERVICES.map((s) => String(r.maxRssMb[s])),
      `${depth} ${depth > 0 ? q : ''}`.trim(),
      String(r.maxBehind),
      String(r.redisUsedMbMax),
      String(r.cpuMsPerPaper ?? '-'),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i])).join('  ');
  const v = result.verdict;
  const verdict = [
    `RSS growth (slope over the ${steady.length} samples after the first window; first-window max → last-window max):`,
    ...SERVICES.map((s) => `  ${s.padEnd(17)} ${String(v.rssGrowth[s].mbPerHour ?? 'n/a').padStart(7)} MB/h   ${v.rssGrowth[s].firstWindowMaxMb} → ${v.rssGrowth[s].lastWindowMaxMb} MB`),
    `Queues (longest depth seen vs bound; slope after the first window; first-window max → last-window max):`,
    ...Object.entries(v.queues).map(
      ([q, d]) => `  ${q.padEnd(17)} ${String(d.longest).padStart(7)} jobs  ${d.bound === null ? 'no configured bound' : `bound ${d.bound}${d.longest > d.bound ? ' EXCEEDED' : ''}`} · ${d.jobsPerHour ?? 'n/a'} jobs/h · ${d.firstWindowMax} → ${d.lastWindowMax}`,
    ),
    `p99 per window: ${v.p99Ms ? `min ${v.p99Ms.min} ms, median ${v.p99Ms.median} ms, max ${v.p99Ms.max} ms` : 'n/a'}`,
    `Redis used_memory (whole instance): ${v.redisUsedMb.first} → ${v.redisUsedMb.last} MB, ${v.redisUsedMb.mbPerHour ?? 'n/a'} MB/h after the first window`,
    `Papers behind at worst: ${v.maxBehind}; offer loop at worst ${result.maxOfferLagMs} ms behind schedule`,
    `Papers lost: ${lost} (offered ${run.offered}, notified ${notified}, of which ${notifiedInDrain} in the ${result.drainSeconds} s drain)`,
    `Services died: ${run.died.length ? run.died.map((d) => `${d.name} (${d.code}) at ${d.atSeconds} s`).join(', ') : 'none'}`,
  ];
  process.stderr.write(`\n${line(header)}\n${table.map(line).join('\n')}\n\n${verdict.join('\n')}\n\n`);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  return lost === 0 && run.died.length === 0;
}

async function main(): Promise<boolean> {
  const args = parseArgs(process.argv.slice(2));
  const base = loadBaseTexts(REPO_ROOT);
  const tag = Date.now().toString(36);
  const schema = `soak_${tag}`;
  const prefix = `{soak-${tag}}`;
  const sink = await startTraceSink();
  const receiver = await startWebhookReceiver(() => 204);
  const ds = await openSchema(schema);
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queues = new QueueSet(redis, prefix);
  let procs: ServiceProcess[] = [];
  let run: Run | undefined;
  let ticker: NodeJS.Timeout | undefined;
  process.stderr.write(`soak: ${args.rate} papers/s for ${args.minutes} min in schema ${schema}, prefix ${prefix}\n`);
  try {
    procs = await startStages(stageEnv(schema, prefix, sink.endpoint), 'soak');
    await addWebhookSubscription(ds, `${receiver.url}/hook`);
    const t0 = Date.now();
    run = {
      args,
      ds,
      redis,
      queues,
      procs,
      receiver,
      cpu: new CpuAccount(ds, procs.map((p) => ({ name: p.name, pid: p.proc.pid }))),
      base,
      sourceId: await uploadSource(ds, 'soak-load'),
      t0,
      tEnd: t0 + args.minutes * 60_000,
      windowMs: args.windowMinutes * 60_000,
      pending: new Map(),
      offeredPerWindow: new Array<number>(Math.ceil(args.minutes / args.windowMinutes)).fill(0),
      offered: 0,
      maxOfferLagMs: 0,
      webhookRequests: 0,
      samples: [],
      died: [],
      stopping: false,
    };
    const r = run;
    for (const p of procs) {
      void p.exited.then((code) => {
        if (!r.stopping) r.died.push({ name: p.name, code, atSeconds: Math.round((Date.now() - r.t0) / 1000) });
      });
    }
    await r.cpu.sample();
    ticker = setInterval(() => progress(r, 'soak'), 1000);
    await Promise.all([offerLoad(r), sampleLoad(r)]);
    clearInterval(ticker);
    progress(r, 'soak');
    process.stderr.write('\n');
    const drained = await drain(r);
    r.stopping = true;
    const stops = await Promise.all(procs.map((p) => p.stop(25_000)));
    return await report(r, drained, stops, sink);
  } finally {
    clearInterval(ticker);
    if (run) run.stopping = true;
    await Promise.all(procs.map((p) => p.stop(25_000)));
    if (process.env.SOAK_KEEP_SCHEMA === '1') process.stderr.write(`kept schema ${schema} and the keys under ${prefix}\n`);
    else {
      await ds.query(`DROP SCHEMA "${schema}" CASCADE`);
      await deletePrefixKeys(redis, prefix);
    }
    await queues.close();
    await redis.quit();
    await ds.destroy();
    await receiver.close();
    sink.close();
  }
}

main().then(
  (ok) => {
    process.exitCode = ok ? 0 : 1;
  },
  (err: unknown) => {
    process.stderr.write(`\nsoak failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
