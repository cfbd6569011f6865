// The two floors PaperWire is compared with on the same machine: a bare 5-hop BullMQ chain (one job
// per paper per stage, empty processors, one process per stage) and a COPY of the same rows.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Queue } from 'bullmq';
import { createRedis } from '@paperwire/queue';
import { recordAt, type BaseText, type CorpusOptions } from './corpus';

export async function bareChain(root: string, papers: number, redisUrl: string, prefix: string, stages = 5): Promise<{ papers: number; seconds: number; papersPerSecond: number }> {
  const procs: ChildProcess[] = [];
  const done = new Array<number>(stages).fill(0);
  await Promise.all(
    Array.from({ length: stages }, (_, k) => {
      const p = spawn(process.execPath, [join(root, 'tools', 'run.js'), 'tools/bench/bare-stage', String(k), String(stages), prefix, redisUrl], { stdio: ['ignore', 'pipe', 'inherit'] });
      procs.push(p);
      return new Promise<void>((res) => {
        createInterface({ input: p.stdout! }).on('line', (line) => {
          const m = JSON.parse(line) as { event?: string; stage?: number; done?: number };
          if (m.event === 'ready') res();
          if (m.stage !== undefined) done[m.stage] = m.done ?? 0;
        });
      });
    }),
  );
  const connection = createRedis(redisUrl);
  const first = new Queue('bare-0', { connection, prefix });
  const t0 = performance.now();
  for (let i = 0; i < papers; i += 1000) {
    const n = Math.min(1000, papers - i);
    await first.addBulk(Array.from({ length: n }, (_, j) => ({ name: 'hop', data: { paperId: i + j }, opts: { removeOnComplete: true } })));
  }
  while (done[stages - 1] < papers) await new Promise((r) => setTimeout(r, 50));
  const seconds = (performance.now() - t0) / 1000;
  for (const p of procs) p.kill('SIGTERM');
  await first.obliterate({ force: true }).catch(() => undefined);
  for (let k = 1; k < stages; k += 1) {
    const q = new Queue(`bare-${k}`, { connection, prefix });
    await q.obliterate({ force: true }).catch(() => undefined);
    await q.close();
  }
  await first.close();
  await connection.quit();
  return { papers, seconds, papersPerSecond: papers / seconds };
}

/** COPY of the papers' rows (id, title, abstract, content hash) into an unlogged-free plain table. */
export async function copyFloor(dbUrl: string, base: BaseText[], o: CorpusOptions, papers: number): Promise<{ rows: number; seconds: number; rowsPerSecond: number }> {
  const file = join(tmpdir(), `paperwire-bench-copy-${process.pid}.csv`);
  const out = createWriteStream(file);
  const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
  for (let i = 0; i < papers; i += 1) {
    const r = recordAt(i, base, o);
    const hash = createHash('sha256').update(`${r.title}\n${r.abstract}`).digest('hex');
    if (!out.write(`${q(r.arxivId)},${r.version},${q(r.title)},${q(r.abstract)},${hash}\n`)) await new Promise<void>((res) => out.once('drain', () => res()));
  }
  await new Promise<void>((res) => out.end(res));
  const psql = (sql: string) => spawnSync('psql', [dbUrl, '-v', 'ON_ERROR_STOP=1', '-qc', sql], { encoding: 'utf8' });
  psql('DROP TABLE IF EXISTS bench_copy_floor; CREATE TABLE bench_copy_floor (arxiv_id text, version int, title text, abstract text, content_hash text)');
  const t0 = performance.now();
  const res = psql(`\\copy bench_copy_floor FROM '${file}' CSV`);
  const seconds = (performance.now() - t0) / 1000;
  psql('DROP TABLE IF EXISTS bench_copy_floor');
  rmSync(file, { force: true });
  if (res.status !== 0) throw new Error(`COPY floor failed: ${res.stderr}`);
  return { rows: papers, seconds, rowsPerSecond: papers / seconds };
}
