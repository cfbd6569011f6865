import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { DataSource } from 'typeorm';
import { SERVICES, SERVICE_PORTS, serviceNodeFlags, stateDir, type ServiceName } from '@paperwire/config';
import type { QueueSet } from '@paperwire/queue';
import type { CliContext } from '../context';
import { formatFailureStreak, formatPaperStages, pipelineStats, type PipelineStats } from './stats';
import { createSource, listSources, pollAllSources, type Source, type SourceInput } from '@paperwire/actions';

export function repoRoot(): string {
  // dist/services/cli/src/commands -> repo root
  return resolve(__dirname, '..', '..', '..', '..', '..');
}

/** The bundled sample (committed under data/sample) and the live sources. */
export function defaultSources(root = repoRoot()): SourceInput[] {
  const sample = (f: string) => join(root, 'data', 'sample', f);
  return [
    {
      name: 'sample-daily-papers-text',
      kind: 'file',
      url: sample('daily-papers-sep-1.txt'),
      params: { format: 'daily-papers-text' },
    },
    {
      name: 'sample-hf-daily-papers',
      kind: 'file',
      url: sample('sotawhat_daily_papers_limit30_2026-06-12.json'),
      params: { format: 'hf-daily-papers' },
    },
    {
      name: 'sample-arxiv-api',
      kind: 'file',
      url: sample('brevio_query_cat-cs.LG-OR-cs.AI_max20_2026-04-30.xml'),
      params: { format: 'arxiv-api' },
    },
    {
      name: 'hf-daily-papers',
      kind: 'hf-daily-papers',
      url: 'https://huggingface.co/api/daily_papers',
      params: { date: 'today' },
      everySeconds: 3600,
      minIntervalMs: 1000,
    },
    {
      name: 'arxiv-rss-cs',
      kind: 'arxiv-rss',
      url: 'https://rss.arxiv.org/rss/cs.CL+cs.LG+cs.AI',
      everySeconds: 3600,
      minIntervalMs: 3000,
    },
  ];
}

/** The sources `up` registers without a schedule (the bundled samples): the ones it polls at start. */
export function bundledSampleNames(root = repoRoot()): string[] {
  return defaultSources(root)
    .filter((s) => s.everySeconds === undefined || s.everySeconds === null)
    .map((s) => s.name);
}

/**
 * The sources a start waits to see tried once: those it polled and the enabled ones with a schedule (the fetcher polls
 * them). A source without a schedule that nobody asked to poll, or a disabled one, is never tried: not waited for.
 */
export function startupSources(sources: readonly Pick<Source, 'name' | 'kind' | 'enabled' | 'everySeconds'>[], polled: readonly string[]): Set<string> {
  return new Set([
    ...polled,
    ...sources.filter((s) => s.kind !== 'upload' && s.enabled && s.everySeconds !== null).map((s) => s.name),
  ]);
}

interface Child {
  name: string;
  proc: ChildProcess;
  /** its port once ready, and the port it serves /metrics on when not its own (the api's) */
  ready: Promise<{ port: number; metricsPort?: number }>;
}

function startService(name: ServiceName, env: NodeJS.ProcessEnv, logDir: string): Child {
  const log = createWriteStream(join(logDir, `${name}.log`), { flags: 'a' });
  const proc = spawn(
    process.execPath,
    [...serviceNodeFlags(name), join(repoRoot(), 'tools', 'run.js'), `services/${name}`],
    {
      env: {
        ...env,
        PORT: env[`PORT_${name.toUpperCase().replace('-', '_')}`] ?? String(SERVICE_PORTS[name]),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  proc.stderr?.pipe(log);
  // The last error the service logged: why it stopped, for the one start-up failure line.
  let lastError = '';
  createInterface({ input: proc.stderr! }).on('line', (line) => {
    try {
      const entry = JSON.parse(line) as { level?: unknown; msg?: unknown };
      if ((entry.level === 'error' || entry.level === 'fatal') && typeof entry.msg === 'string')
        lastError = entry.msg;
    } catch {
      // not a log line (a runtime's own output): the log file keeps it
    }
  });
  const ready = new Promise<{ port: number; metricsPort?: number }>((res, rej) => {
    const rl = createInterface({ input: proc.stdout! });
    rl.on('line', (line) => {
      try {
        const msg = JSON.parse(line) as { event?: string; port?: number; metricsPort?: number };
        if (msg.event === 'ready') res({ port: msg.port ?? 0, metricsPort: msg.metricsPort });
      } catch {
        log.write(`${line}\n`);
      }
    });
    // 'close', not 'exit': the service's stderr has been read to its end, its last error with it.
    proc.once('close', (code) =>
      rej(
        new Error(
          `${name} exited with code ${code} before it was ready${lastError ? `: ${lastError.replace(/\s+/g, ' ').slice(0, 200)}` : ''} (see ${join(logDir, `${name}.log`)})`,
        ),
      ),
    );
  });
  return { name, proc, ready };
}

const STAGE_OF: Record<string, string> = {
  parsed: 'parser',
  classified: 'classifier',
  extracted: 'metric-extractor',
  notified: 'notifier',
};

/** Papers that reached a stage or any later one. */
function reached(s: PipelineStats): Record<string, number> {
  const order = ['parsed', 'classified', 'extracted', 'notified'];
  return Object.fromEntries(
    order.map((st, i) => [st, order.slice(i).reduce((a, k) => a + (s.stages[k] ?? 0), 0)]),
  );
}

/**
 * The papers' pipeline is through: nothing waits in its queues and every fetched document became notified papers.
 * Delayed jobs on the deliver queue are not work to wait for: a webhook retry waits out its backoff there (the
 * schedule spans about 6 hours) and a digest waits for its hour; the summary reports the retries instead.
 */
export function pipelineIdle(s: PipelineStats): boolean {
  const busy = s.queues
    .filter((q) => q.queue !== 'fetch' && q.queue !== 'maintenance')
    .some((q) => q.waiting + q.active + (q.queue === 'deliver' ? 0 : q.delayed) + q.prioritized > 0);
  return !busy && (s.rawDocuments.fetched ?? 0) === 0 && s.papers === (s.stages.notified ?? 0);
}

export function summary(s: PipelineStats): string {
  const failedJobs = s.queues.reduce((a, q) => a + q.failed, 0);
  const sourceErrors = s.sources.filter((x) => x.lastError);
  const retrying = s.deliveries.retrying ?? 0;
  const held = s.deliveries.held ?? 0;
  const sourceLines = s.sources
    .filter((x) => x.kind !== 'upload')
    .map(
      (x) =>
        `  ${x.name.padEnd(26)} ${x.lastError ? `failing ${formatFailureStreak(x)}: ${x.lastError.slice(0, 120)}` : x.lastSuccessAt ? `ok (HTTP ${x.lastStatus ?? '-'})` : 'not fetched yet'}`,
    );
  return [
    '── PaperWire summary ──────────────────────────────',
    `papers        ${formatPaperStages(s.papers, s.stages)}`,
    `topics        ${s.topics} in the taxonomy, ${s.paperTopics} paper-topic assignments`,
    `claims        ${s.claims}`,
    `deliveries    ${
      Object.entries(s.deliveries)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || '0 (no subscriptions yet)'
    }`,
    ...(retrying > 0
      ? [`retries       ${retrying} ${retrying === 1 ? 'delivery' : 'deliveries'} waiting to retry after a failed send (on a backoff, not waited for; paperwire subscriptions deliveries <id> shows when)`]
      : []),
    ...(held > 0
      ? [`held          ${held} ${held === 1 ? 'delivery' : 'deliveries'} of paused subscriptions (not retried; sent when the subscription is resumed: paperwire subscriptions resume <id>)`]
      : []),
    `failures      ${failedJobs} failed jobs, ${s.rawDocuments.failed ?? 0} failed documents, ${sourceErrors.length} failing sources`,
    'sources',
    ...sourceLines,
    '───────────────────────────────────────────────────',
  ].join('\n');
}

/**
 * `paperwire up`: migrate, register the default sources, start every service as its own process,
 * ingest the bundled sample, print progress and a summary, then keep running until Ctrl-C.
 */
export async function runUp(
  ctx: CliContext,
  opts: { exitWhenDone?: boolean; timeoutSeconds?: number },
): Promise<number> {
  const print = (line: string) => process.stdout.write(`${line}\n`);
  // Every service needs Redis: say so once, before starting seven processes that would each fail on it.
  const redisProblem = await ctx.redisProblem();
  if (redisProblem) {
    print(ctx.redisUnreachable(redisProblem));
    await ctx.close();
    return 1;
  }
  const { migrations, topics } = await ctx.migrate();
  print(`database ready (${migrations.length} migrations applied, ${topics} default topics added)`);
  const ds: DataSource = await ctx.db();
  // Live sources are public; a name that does not resolve offline is fine (the fetcher records the error).
  for (const s of defaultSources())
    await createSource(ds, s, { allowPrivate: false, allowFile: true }, { replace: true });
  print(
    `sources registered: ${defaultSources()
      .map((s) => s.name)
      .join(', ')}`,
  );

  // Absolute links (canonical, feeds, mails, the docs' server) go to the API this run serves, not to port 3000
  // when PORT_API moves it beside another copy; an explicit PUBLIC_URL wins. A copy beside another logs apart. Logs
  // live with the rest of the local state (PAPERWIRE_STATE_DIR, else .paperwire/ in the checkout), as the token secret.
  const apiPort = process.env.PORT_API ?? String(SERVICE_PORTS.api);
  const logDir = join(stateDir(), apiPort === String(SERVICE_PORTS.api) ? 'logs' : `logs-${apiPort.replace(/\D/g, '')}`);
  mkdirSync(logDir, { recursive: true });
  print(`logs in ${logDir}`);
  const env = { ...process.env, PUBLIC_URL: process.env.PUBLIC_URL ?? `http://127.0.0.1:${apiPort}` };
  const children = SERVICES.map((name) => startService(name, env, logDir));
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    print(`\nstopping (${signal}) …`);
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((res) => {
            if (c.proc.exitCode !== null) return res();
            const kill = setTimeout(() => c.proc.kill('SIGKILL'), 30_000);
            c.proc.once('exit', () => {
              clearTimeout(kill);
              res();
            });
            c.proc.kill('SIGTERM');
          }),
      ),
    );
    await ctx.close();
    print('stopped');
  };
  process.once('SIGINT', () => void stop('SIGINT').then(() => process.exit(0)));
  process.once('SIGTERM', () => void stop('SIGTERM').then(() => process.exit(0)));

  // The first service that dies while starting (a port in use, a bad setting) stops the start-up, whichever
  // service the loop is waiting for: awaited one by one, a later child's failure was an unhandled rejection
  // that crashed `up` with a stack trace and left the other services running with no parent.
  const firstFailure = new Promise<never>((_, rej) => {
    for (const c of children) c.ready.catch(rej);
  });
  firstFailure.catch(() => undefined);
  let apiMetricsPort: number | undefined;
  try {
    for (const c of children) {
      const { port, metricsPort } = await Promise.race([c.ready, firstFailure]);
      print(`${c.name.padEnd(17)} ready on port ${port}${metricsPort ? ` (metrics on port ${metricsPort})` : ''}`);
      if (c.name === 'api') apiMetricsPort = metricsPort;
    }
  } catch (e) {
    print(`start-up failed: ${(e as Error).message}`);
    await stop('SIGTERM');
    return 1;
  }
  for (const c of children) {
    c.proc.once('exit', (code, signal) => {
      if (!stopping) print(`${c.name} exited (${signal ?? code}); logs in ${join(logDir, `${c.name}.log`)}`);
    });
  }

  const queues: QueueSet = ctx.openQueues();
  // One poll per source at start: the fetcher's schedule polls the sources with one (a new schedule at once, an
  // existing one at its slot), `up` the bundled samples it registered. A source an operator added without `--every`
  // is polled only by `sources poll`: never here.
  const polled = await pollAllSources(ds, queues, { unscheduledOnly: true, names: bundledSampleNames() });
  const waitsFor = startupSources(await listSources(ds), polled);
  print(
    `fetching ${polled.length} bundled sample source${polled.length === 1 ? '' : 's'} now; sources with a schedule are polled on it (a new one at once, else when due; offline they fail with a recorded error), sources without one only by \`paperwire sources poll\``,
  );

  const started = Date.now();
  const deadline = started + (opts.timeoutSeconds ?? 600) * 1000;
  let last: Record<string, number> = {};
  let stats = await pipelineStats(ds, queues);
  let quietTicks = 0;
  while (!stopping) {
    await new Promise((r) => setTimeout(r, 1000));
    stats = await pipelineStats(ds, queues);
    const now = reached(stats);
    for (const [stage, n] of Object.entries(now)) {
      if (n !== last[stage])
        print(`[${STAGE_OF[stage].padEnd(16)}] ${String(n).padStart(5)} papers ${stage}`);
    }
    last = now;
    // Done when the pipeline is idle and every polled source has been tried once (live sources fail
    // and are retried with backoff when offline; the summary shows their recorded error).
    const tried = stats.sources.filter((s) => waitsFor.has(s.name)).every((s) => s.lastAttemptAt !== null);
    quietTicks = pipelineIdle(stats) && stats.papers > 0 && tried ? quietTicks + 1 : 0;
    if (quietTicks >= 2 || Date.now() > deadline) break;
  }
  if (stopping) return 0;
  print(summary(stats));
  print(
    `took ${((Date.now() - started) / 1000).toFixed(1)} s; API on http://127.0.0.1:${apiPort} (ops page /ops, docs /docs` +
      `${apiMetricsPort ? `, metrics http://127.0.0.1:${apiMetricsPort}/metrics` : ''})`,
  );
  if (opts.exitWhenDone) {
    await stop('SIGTERM');
    return 0;
  }
  print('running as a service; Ctrl-C stops everything');
  await new Promise<void>(() => undefined);
  return 0;
}
