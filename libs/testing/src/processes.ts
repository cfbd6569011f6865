import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { serviceNodeFlags } from '@paperwire/config';
import type { TestDb } from './db';

/** The repository root, from the TypeScript source (jest) or from its compiled copy in dist/. */
function findRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'tools', 'run.js')) || !existsSync(join(dir, 'package.json'))) {
    const up = resolve(dir, '..');
    if (up === dir) throw new Error(`no repository root above ${from}`);
    dir = up;
  }
  return dir;
}
export const REPO_ROOT = findRoot(__dirname);
const RUN = join(REPO_ROOT, 'tools', 'run.js');

export interface ServiceProcess {
  name: string;
  proc: ChildProcess;
  port: number;
  /** resolves with the exit code (or signal name) */
  exited: Promise<number | string>;
  kill(signal?: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with how it ended and how long it took */
  stop(graceMs?: number): Promise<{ code: number | string; ms: number; forced: boolean }>;
}

export function artifactsDir(...parts: string[]): string {
  const dir = join(REPO_ROOT, 'artifacts', ...parts);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Starts `services/<name>` from dist/ as its own process and waits for its ready line. */
export async function startServiceProcess(
  name: string,
  env: NodeJS.ProcessEnv,
  opts: { logName?: string; timeoutMs?: number } = {},
): Promise<ServiceProcess> {
  const log = createWriteStream(join(artifactsDir('logs'), `${opts.logName ?? name}.log`), { flags: 'a' });
  const proc = spawn(process.execPath, [...serviceNodeFlags(name), RUN, `services/${name}`], {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stderr!.pipe(log);
  const exited = new Promise<number | string>((res) =>
    proc.once('exit', (code, signal) => res(signal ?? code ?? -1)),
  );
  const port = await new Promise<number>((res, rej) => {
    const timer = setTimeout(
      () => rej(new Error(`${name} not ready after ${opts.timeoutMs ?? 30_000} ms`)),
      opts.timeoutMs ?? 30_000,
    );
    const rl = createInterface({ input: proc.stdout! });
    rl.on('line', (line) => {
      log.write(`${line}\n`);
      try {
        const msg = JSON.parse(line) as { event?: string; port?: number };
        if (msg.event === 'ready') {
          clearTimeout(timer);
          res(msg.port ?? 0);
        }
      } catch {
        // not a JSON line
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      rej(
        new Error(
          `${name} exited (${code}) before it was ready; see artifacts/logs/${opts.logName ?? name}.log`,
        ),
      );
    });
  });
  return {
    name,
    proc,
    port,
    exited,
    kill: (signal = 'SIGKILL') => proc.kill(signal),
    async stop(graceMs = 25_000) {
      const t0 = Date.now();
      if (proc.exitCode !== null || proc.signalCode !== null)
        return { code: proc.exitCode ?? proc.signalCode ?? -1, ms: 0, forced: false };
      proc.kill('SIGTERM');
      let forced = false;
      const timer = setTimeout(() => {
        forced = true;
        proc.kill('SIGKILL');
      }, graceMs);
      const code = await exited;
      clearTimeout(timer);
      return { code, ms: Date.now() - t0, forced };
    },
  };
}

/** Runs the CLI from dist/ and returns its stdout (throws with stderr on a non-zero exit). */
export function runCli(args: string[], env: NodeJS.ProcessEnv): string {
  const res = spawnSync(process.execPath, [RUN, 'services/cli', ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (res.status !== 0) throw new Error(`paperwire ${args.join(' ')} exited ${res.status}: ${res.stderr}`);
  return res.stdout;
}

/**
 * `paperwire sources add NAME arxiv-oai ENDPOINT` for an OAI-PMH endpoint the test serves on this host
 * (hence --allow-private): arXivRaw records of the arXiv set `set`, requested at most every `minIntervalMs`.
 */
export function addLocalOaiSource(
  env: NodeJS.ProcessEnv,
  source: { name: string; endpoint: string; set: string; minIntervalMs: number },
): string {
  const { name, endpoint, set, minIntervalMs } = source;
  return runCli(
    [
      'sources',
      'add',
      name,
      'arxiv-oai',
      endpoint,
      '--param',
      'metadataPrefix=arXivRaw',
      '--param',
      `set=${set}`,
      '--allow-private',
      '--min-interval',
      String(minIntervalMs),
    ],
    env,
  );
}

/**
 * The CLI from dist/ without blocking this process: servers the test runs in-process keep answering, and
 * the request times they record are not skewed as under a spawnSync. Resolves with its stdout.
 */
/**
 * The env of an end-to-end run's service processes and CLI: `db`'s schema (migrated here through the
 * CLI, as an operator does it), the queue prefix `prefix`, and `settings`.
 */
export function migratedEnv(db: TestDb, prefix: string, settings: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { DATABASE_URL: db.url, DATABASE_SCHEMA: db.schema, QUEUE_PREFIX: prefix, ...settings };
  runCli(['db', 'migrate'], env);
  return env;
}

export async function runCliAsync(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [RUN, 'services/cli', ...args], {
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  return stdout;
}

/** The CLI from dist/ to its end, not blocking this process: exit code, stdout and stderr (a failure does not throw). */
export async function cliOutcome(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await promisify(execFile)(process.execPath, [RUN, 'services/cli', ...args], { env: { ...process.env, ...env }, timeout: 60_000 });
    return { code: 0, ...r };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof x.code === 'number' ? x.code : -1, stdout: x.stdout ?? '', stderr: x.stderr ?? '' };
  }
}

export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  timeoutMs = 60_000,
  everyMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v as T;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`,
      );
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
