import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A free TCP port on 127.0.0.1. */
export async function freeTcpPort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });
}

/**
 * A throw-away Postgres cluster on a free port (never the shared 5432 one), as the chaos suite starts
 * them: initdb refuses to run as root, so when the tests run as root the cluster belongs to the
 * `postgres` OS user (runuser), in a temporary directory that user owns. `replicaOf` makes it a
 * streaming replica of another scratch cluster (pg_basebackup -R: standby.signal + primary_conninfo).
 */
export class ScratchPostgres {
  readonly dir: string;
  readonly data: string;
  private readonly bin: string;
  private readonly asRoot = process.getuid?.() === 0;

  private constructor(readonly port: number) {
    this.bin = readdirSync('/usr/lib/postgresql')
      .sort()
      .reverse()
      .map((v) => `/usr/lib/postgresql/${v}/bin`)[0];
    this.dir = mkdtempSync(join(tmpdir(), 'pw-scratch-pg-'));
    if (this.asRoot) spawnSync('chown', ['postgres:', this.dir]);
    this.data = join(this.dir, 'data');
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  urlFor(database: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  private sh(cmd: string, args: string[]): string {
    const res = this.asRoot
      ? spawnSync('runuser', ['-u', 'postgres', '--', join(this.bin, cmd), ...args], { encoding: 'utf8', timeout: 120_000 })
      : spawnSync(join(this.bin, cmd), args, { encoding: 'utf8', timeout: 120_000 });
    if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${res.stderr || res.error?.message}`);
    return res.stdout;
  }

  static async primary(): Promise<ScratchPostgres> {
    const pg = new ScratchPostgres(await freeTcpPort());
    pg.sh('initdb', ['-D', pg.data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
    pg.start();
    return pg;
  }

  static async replicaOf(primary: ScratchPostgres): Promise<ScratchPostgres> {
    const pg = new ScratchPostgres(await freeTcpPort());
    pg.sh('pg_basebackup', ['-D', pg.data, '-h', '127.0.0.1', '-p', String(primary.port), '-U', 'postgres', '-R', '-X', 'stream', '-c', 'fast', '--no-sync']);
    pg.start();
    return pg;
  }

  start(): void {
    this.sh('pg_ctl', [
      '-D',
      this.data,
      '-o',
      `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c wal_level=replica -c max_wal_senders=4 -c hot_standby=on -c wal_receiver_status_interval=1`,
      '-l',
      join(this.dir, 'log'),
      '-w',
      'start',
    ]);
  }

  stop(): void {
    try {
      this.sh('pg_ctl', ['-D', this.data, '-m', 'immediate', 'stop']);
    } catch {
      // not running
    }
  }

  /** Stops the cluster and removes its directory. */
  destroy(): void {
    this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
