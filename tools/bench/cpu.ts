// CPU seconds per process group over a bench phase, read from /proc (Linux): each service process,
// the Postgres backends grouped by the `application_name` each service sets, the rest of Postgres,
// Redis and the bench itself. It answers "where did the two cores go" for BENCHMARKS.md.
import { readFileSync, readdirSync } from 'node:fs';
import type { DataSource } from 'typeorm';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function cpuTicks(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may contain spaces: split after its closing one.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime
  } catch {
    return null;
  }
}

function comm(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

export class CpuAccount {
  private readonly first = new Map<number, number>();
  private readonly last = new Map<number, number>();
  private readonly group = new Map<number, string>();

  constructor(
    private readonly ds: DataSource,
    private readonly services: { name: string; pid: number | undefined }[],
  ) {}

  /** Takes a sample; a process first seen now counts from this sample (backends are pooled and long-lived). */
  async sample(): Promise<void> {
    const backends: { pid: number; application_name: string }[] = await this.ds.query(
      `SELECT pid, application_name FROM pg_stat_activity WHERE datname = current_database()`,
    );
    const appOf = new Map(backends.map((b) => [Number(b.pid), b.application_name || 'other']));
    for (const s of this.services) if (s.pid) this.group.set(s.pid, s.name);
    this.group.set(process.pid, 'bench harness');
    for (const entry of readdirSync('/proc')) {
      const pid = Number(entry);
      if (!Number.isInteger(pid)) continue;
      let g = this.group.get(pid);
      if (!g) {
        const c = comm(pid);
        if (c === 'redis-server') g = 'redis';
        else if (c === 'postgres') g = appOf.has(pid) ? `pg ${appOf.get(pid)!.replace(/^paperwire-/, '')}` : 'pg other';
        else continue;
        this.group.set(pid, g);
      } else if (g === 'pg other' && appOf.has(pid)) {
        this.group.set(pid, `pg ${appOf.get(pid)!.replace(/^paperwire-/, '')}`);
      }
      const t = cpuTicks(pid);
      if (t === null) continue;
      if (!this.first.has(pid)) this.first.set(pid, t);
      this.last.set(pid, t);
    }
  }

  /** CPU seconds per group since the first sample, largest first. */
  seconds(): { group: string; seconds: number }[] {
    const byGroup = new Map<string, number>();
    for (const [pid, t] of this.last) {
      const g = this.group.get(pid) ?? 'other';
      byGroup.set(g, (byGroup.get(g) ?? 0) + (t - (this.first.get(pid) ?? t)) / TICKS_PER_SECOND);
    }
    return [...byGroup.entries()]
      .map(([group, seconds]) => ({ group, seconds: Number(seconds.toFixed(1)) }))
      .filter((g) => g.seconds > 0)
      .sort((a, b) => b.seconds - a.seconds);
  }
}
