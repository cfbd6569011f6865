// What the catalogue-scale EXPLAIN benches share (listing-totals, day-orders): a kept schema of their own, and a
// statement measured as the median of a few EXPLAIN (ANALYZE, BUFFERS) runs.
import type { DataSource, QueryRunner } from 'typeorm';
import { createDataSource, ensureDatabase, migrate } from '@paperwire/db';

export type Query = (sql: string, params?: unknown[]) => Promise<unknown[]>;

export interface Measured {
  ms: number;
  buffers: number;
  plan: string;
}

/** EXPLAIN (ANALYZE, BUFFERS) `runs` times: the median execution time and buffers, and the last plan. */
export async function measure(q: Query, sql: string, params: unknown[], runs = 5): Promise<Measured> {
  const got: Measured[] = [];
  for (let i = 0; i < runs; i++) {
    const rows = (await q(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params)) as { 'QUERY PLAN': string }[];
    const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
    const top = /Buffers: shared hit=(\d+)(?: read=(\d+))?/.exec(plan);
    got.push({ ms: Number(/Execution Time: ([\d.]+)/.exec(plan)?.[1] ?? NaN), buffers: Number(top?.[1] ?? 0) + Number(top?.[2] ?? 0), plan });
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { ms: median(got.map((g) => g.ms)), buffers: median(got.map((g) => g.buffers)), plan: got[got.length - 1].plan };
}

/**
 * The bench's schema, migrated: kept when `reuse` and a previous run completed it (`complete` true: `seed` skipped),
 * else dropped and seeded again by `seed`, then marked complete. The caller releases `qr` and destroys `ds`.
 */
export async function openBenchSchema(
  dbUrl: string,
  schema: string,
  reuse: boolean,
  seed: (q: Query, qr: QueryRunner) => Promise<void>,
): Promise<{ ds: DataSource; qr: QueryRunner; q: Query; complete: boolean }> {
  await ensureDatabase(dbUrl, 'public');
  const admin = await createDataSource({ url: dbUrl, schema: 'public', poolSize: 1 }).initialize();
  const marker: { c: string | null }[] = await admin.query(`SELECT obj_description(oid, 'pg_namespace') AS c FROM pg_namespace WHERE nspname = $1`, [schema]);
  const complete = reuse && marker[0]?.c === 'complete';
  if (!complete) {
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.query(`CREATE SCHEMA "${schema}"`);
  }
  await admin.destroy();
  const ds = await createDataSource({ url: dbUrl, schema, poolSize: 2 }).initialize();
  const qr = ds.createQueryRunner();
  const q: Query = (sql, params) => qr.query(sql, params) as Promise<unknown[]>;
  const ran = await migrate(ds);
  if (complete && ran.length > 0) await q('VACUUM (ANALYZE)');
  if (!complete) {
    await seed(q, qr);
    await q(`COMMENT ON SCHEMA "${schema}" IS 'complete'`);
  }
  return { ds, qr, q, complete };
}
