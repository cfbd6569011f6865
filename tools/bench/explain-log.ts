// The server log's auto_explain plans of one login role (read-plans.ts, sweep-plans.ts): the role's sessions, and only
// its, preload auto_explain (ANALYZE, BUFFERS, every statement, JSON); a tool connects as it and reads the log after.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { DataSource } from 'typeorm';

export const ROLE = 'paperwire_explain';
export const PG_LOG = process.env.PG_LOG ?? '/var/log/postgresql/postgresql-15-main.log';

export interface Plan {
  ms: number;
  hit: number;
  read: number;
  temp: number;
  text: string;
  node: string;
}

/** The role (a superuser: the bench schema's tables are another's) with auto_explain on its sessions in `dbName`. */
export async function explainRole(ds: DataSource, dbName: string, nested = false): Promise<void> {
  const [{ exists }]: { exists: boolean }[] = await ds.query(`SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AS exists`, [ROLE]);
  if (!exists) await ds.query(`CREATE ROLE ${ROLE} LOGIN SUPERUSER`);
  for (const [k, v] of [
    ['session_preload_libraries', 'auto_explain'],
    ['auto_explain.log_min_duration', '0'],
    ['auto_explain.log_analyze', 'on'],
    ['auto_explain.log_buffers', 'on'],
    ['auto_explain.log_timing', 'on'],
    ['auto_explain.log_nested_statements', nested ? 'on' : 'off'],
    ['auto_explain.log_format', 'json'],
  ])
    await ds.query(`ALTER ROLE ${ROLE} IN DATABASE "${dbName}" SET ${k} = '${v}'`);
}

export const logSize = (): number => statSync(PG_LOG).size;

/** Plans the server logged for `user@db` between two offsets of the log. */
export function plansSince(offset: number, who: string): { plans: Plan[]; end: number } {
  const end = statSync(PG_LOG).size;
  if (end <= offset) return { plans: [], end };
  const fd = openSync(PG_LOG, 'r');
  const buf = Buffer.alloc(end - offset);
  readSync(fd, buf, 0, buf.length, offset);
  closeSync(fd);
  const entries = buf.toString('utf8').split(/\n(?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ UTC \[\d+\] )/);
  const plans: Plan[] = [];
  for (const e of entries) {
    if (!e.includes(` ${who} LOG:  duration: `)) continue;
    const m = /duration: ([\d.]+) ms {2}plan:\n([\s\S]*)$/.exec(e);
    if (!m) continue;
    try {
      const j = JSON.parse(m[2]) as { 'Query Text': string; Plan: Record<string, unknown> };
      const p = j.Plan;
      const n = (k: string) => Number(p[k] ?? 0);
      plans.push({
        ms: Number(m[1]),
        hit: n('Shared Hit Blocks'),
        read: n('Shared Read Blocks'),
        temp: n('Temp Read Blocks') + n('Temp Written Blocks'),
        text: j['Query Text'].replace(/\s+/g, ' ').slice(0, 400),
        node: String(p['Node Type']),
      });
    } catch {
      // an entry cut by another backend's write: not counted
    }
  }
  return { plans, end };
}
