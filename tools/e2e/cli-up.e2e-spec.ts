import { spawn } from 'node:child_process';
import { createConnection, createServer, type AddressInfo, type Server } from 'node:net';
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

describe('paperwire up with a port in use', () => {
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

  it('prints one start-up failure line, stops the services it started and exits 1', async () => {
    const ports: Record<string, number> = {};
    for (const name of SERVICES) if (name !== 'api') ports[name] = await freeTcpPort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: db.url,
      DATABASE_SCHEMA: db.schema,
      QUEUE_PREFIX: `{${uniqueName('e2e_up')}}`,
      PORT_API: String((blocker.address() as AddressInfo).port),
      ...Object.fromEntries(Object.entries(ports).map(([name, port]) => [`PORT_${name.toUpperCase().replace('-', '_')}`, String(port)])),
    };
    const proc = spawn(process.execPath, [RUN, 'services/cli', 'up', '--exit-when-done', '--timeout', '60'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    proc.stdout.on('data', (b: Buffer) => (out += b.toString('utf8')));
    proc.stderr.on('data', (b: Buffer) => (out += b.toString('utf8')));
    const code = await new Promise<number | string>((r) => proc.once('close', (c, s) => r(s ?? c ?? -1)));

    expect(out).toMatch(/start-up failed: api exited with code 1 before it was ready: .*EADDRINUSE.* \(see .*api\.log\)/);
    expect(out).not.toMatch(/\n\s+at |Node\.js v/);
    expect(out).toContain('stopped');
    expect(code).toBe(1);
    // Nothing `up` started is still serving.
    const alive = [];
    for (const [name, port] of Object.entries(ports)) if (await listening(port)) alive.push(`${name} on ${port}`);
    expect(alive).toEqual([]);
  });
});
