import { spawn } from 'node:child_process';
import { createConnection, createServer, type AddressInfo, type Server } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVICES } from '@paperwire/config';
import { createTestDb, freeTcpPort, REPO_ROOT, uniqueName, type TestDb } from '@paperwire/testing';

// `npm start` (`paperwire up`) when a service cannot start, as a newcomer meets it: the api's port is taken
// by something else. `up` says so in one line, with the reason the service logged, stops the services it
// started and exits 1 — no stack trace, and no service left running without its parent.

jest.setTimeout(180_000);

const RUN = join(REPO_ROOT, 'tools', 'run.js');

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const c = createConnection({ port, host: '127.0.0.1' });
    c.once('connect', () => (c.destroy(), resolve(true)));
    c.once('error', () => resolve(false));
  });

/** `paperwire up --exit-when-done` to its end: exit code and everything it printed. */
async function runUp(env: NodeJS.ProcessEnv): Promise<{ code: number | string; out: string }> {
  const proc = spawn(process.execPath, [RUN, 'services/cli', 'up', '--exit-when-done', '--timeout', '60'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout.on('data', (b: Buffer) => (out += b.toString('utf8')));
  proc.stderr.on('data', (b: Buffer) => (out += b.toString('utf8')));
  const code = await new Promise<number | string>((r) => proc.once('close', (c, s) => r(s ?? c ?? -1)));
  return { code, out };
}

describe('paperwire up when it cannot start', () => {
  let db: TestDb;
  let blocker: Server;

  beforeAll(async () => {
    db = await createTestDb('e2e_up', { migrate: false });
    blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
  });

  afterAll(async () => {
    await new Promise<void>((r) => blocker?.close(() => r()));
    await db?.drop();
  });

  /** The scratch schema, a queue prefix of its own and a free port per service (never the default ports). */
  async function upEnv(ports: Record<string, number>, extra: NodeJS.ProcessEnv): Promise<NodeJS.ProcessEnv> {
    for (const name of SERVICES) ports[name] ??= await freeTcpPort();
    return {
      ...process.env,
      DATABASE_URL: db.url,
      DATABASE_SCHEMA: db.schema,
      QUEUE_PREFIX: `{${uniqueName('e2e_up')}}`,
      ...Object.fromEntries(Object.entries(ports).map(([name, port]) => [`PORT_${name.toUpperCase().replace('-', '_')}`, String(port)])),
      ...extra,
    };
  }

  it('prints one start-up failure line, stops the services it started and exits 1', async () => {
    const ports: Record<string, number> = { api: (blocker.address() as AddressInfo).port };
    // the logs go to the state directory, with the token secret (they went to <checkout>/.paperwire whatever it was)
    const state = mkdtempSync(join(tmpdir(), 'pw-up-state-'));
    const { code, out } = await runUp(await upEnv(ports, { PAPERWIRE_STATE_DIR: state }));
    const logDir = join(state, `logs-${ports.api}`);
    delete ports.api;

    expect(out).toContain(`logs in ${logDir}\n`);
    expect(out).toContain(`(see ${join(logDir, 'api.log')})`);
    expect(readFileSync(join(logDir, 'api.log'), 'utf8')).toContain('EADDRINUSE');
    rmSync(state, { recursive: true, force: true });
    expect(out).toMatch(/start-up failed: api exited with code 1 before it was ready: .*EADDRINUSE.* \(see .*api\.log\)/);
    expect(out).not.toMatch(/\n\s+at |Node\.js v/);
    expect(out).toContain('stopped');
    expect(code).toBe(1);
    // Nothing `up` started is still serving.
    const alive = [];
    for (const [name, port] of Object.entries(ports)) if (await listening(port)) alive.push(`${name} on ${port}`);
    expect(alive).toEqual([]);
  });

  // Beside another copy (PORT_API moved, PUBLIC_URL unset) every absolute link — canonical, feeds, mails — went to
  // port 3000, the other copy; and the api's /metrics port (a free one outside production) was printed nowhere.
  it('links to the API it serves when PORT_API moves it, and prints where the api serves /metrics', async () => {
    const ports: Record<string, number> = {};
    const env = await upEnv(ports, { PUBLIC_URL: undefined });
    delete env.PUBLIC_URL;
    const proc = spawn(process.execPath, [RUN, 'services/cli', 'up', '--timeout', '60'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    proc.stderr.on('data', (b: Buffer) => (out += b.toString('utf8')));
    try {
      await new Promise<void>((resolve, reject) => {
        proc.stdout.on('data', (b: Buffer) => {
          out += b.toString('utf8');
          if (/^api\s+ready on port/m.test(out)) resolve();
        });
        proc.once('close', () => reject(new Error(`up exited: ${out}`)));
      });
      const metricsPort = Number(/^api\s+ready on port \d+ \(metrics on port (\d+)\)/m.exec(out)?.[1]);
      expect(metricsPort).toBeGreaterThan(0);
      expect(metricsPort).not.toBe(ports.api);
      const metrics = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(metrics.status).toBe(200);
      const home = await (await fetch(`http://127.0.0.1:${ports.api}/`)).text();
      const canonical = /<link rel="canonical" href="([^"]+)"/.exec(home)?.[1] ?? '';
      expect(canonical.startsWith(`http://127.0.0.1:${ports.api}/`)).toBe(true);
      expect(home).not.toContain('127.0.0.1:3000');
    } finally {
      const closed = new Promise((r) => proc.once('close', r));
      proc.kill('SIGINT');
      await closed;
    }
    expect(await Promise.all(SERVICES.map((name) => listening(ports[name])))).toEqual(SERVICES.map(() => false));
  });

  it('says in one line that Redis is not reachable, before starting anything', async () => {
    const port = await freeTcpPort();
    const { code, out } = await runUp(await upEnv({}, { REDIS_URL: `redis://127.0.0.1:${port}` }));
    expect(out).toMatch(new RegExp(`^Redis is not reachable at 127\\.0\\.0\\.1:${port} \\(REDIS_URL\\): connect ECONNREFUSED`, 'm'));
    expect(out).not.toMatch(/ready on port|start-up failed|\n\s+at /);
    expect(code).toBe(1);
  });
});
