// A day's publication and trend orders at depth, before → after (session 25, migration 1796230000000): a page of a
// day by publication date or by trend sorted the whole day and skipped an OFFSET; now each order is an index after
// the day and a page is read by keyset from where the previous one ended. EXPLAIN (ANALYZE, BUFFERS), median of 5.
//
//   node tools/run.js tools/bench/day-orders --papers 60000 [--reuse]   (DATABASE_URL or TEST_DATABASE_URL)
//
// The catalogue: `papers` papers, every one listed on one day (the size that matters is the day's), a third without a
// signal, the rest with trend keys shared by groups (ties), sighting times shared by pairs to the microsecond. Written
// with the triggers off, the day's count filled after. "Before" runs the old statements with the two new indexes
// dropped in a transaction that is rolled back. Kept in schema day_orders_<papers> (`--reuse` keeps a complete one).
import { dailyCardRows, listedDayPage, statementsOfCall, type DayOrderKey, type Db } from '@paperwire/db';
import { measure, openBenchSchema, type Query } from './bench-schema';

const DB_URL = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const DAY = '2026-05-20';
const log = (s: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${s}\n`);

async function seed(q: Query, papers: number): Promise<void> {
  await q(`SET session_replication_role = replica`);
  log('papers');
  await q(
    `INSERT INTO papers (paper_key, title, abstract, content_hash)
     SELECT 'bench:' || i, 'Paper ' || i, 'Abstract ' || i || '.', md5(i::text) FROM generate_series(1, $1::int) i`,
    [papers],
  );
  const n = `substr(paper_key, 7)::int`;
  log('paper_read, paper_days');
  // sighting times shared by pairs of papers (to the microsecond), signals 0..16 (0: none, a third)
  await q(
    `INSERT INTO paper_read (paper_id, t0, day0, week0, month0, upvotes, sources, signal, trend_key)
     SELECT id, t0, $1::date, date_trunc('week', $1::date)::date, date_trunc('month', $1::date)::date, u, 1, u,
            CASE WHEN u > 0 THEN ln(u) + ln(2) / 48 * extract(epoch FROM t0) / 3600 END
       FROM (SELECT id, $1::date + (${n} / 2) * interval '1 microsecond' * 1000003 AS t0, CASE WHEN ${n} % 3 = 0 THEN 0 ELSE ${n} % 17 END AS u FROM papers) x`,
    [DAY],
  );
  await q(
    `INSERT INTO paper_days (paper_id, day, upvotes, sighted_at, trend_key)
     SELECT paper_id, day0, upvotes, t0, coalesce(trend_key, '-Infinity'::float8) FROM paper_read`,
  );
  await q(`INSERT INTO topic_day_counts (topic_slug, day, papers, folded) SELECT '', day, count(*), true FROM paper_days GROUP BY 2`);
  await q(`SET session_replication_role = origin`);
  log('vacuum analyze');
  await q('VACUUM (ANALYZE)');
}

const OLD_ORDER = {
  published: 'd.sighted_at DESC, d.paper_id DESC',
  trending: `coalesce((SELECT r.trend_key FROM paper_read r WHERE r.paper_id = d.paper_id), '-Infinity'::float8) DESC, d.sighted_at DESC, d.paper_id DESC`,
} as const;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const papers = Number(args[args.indexOf('--papers') + 1] ?? 60_000);
  const { ds, qr, q } = await openBenchSchema(DB_URL, `day_orders_${papers}`, args.includes('--reuse'), (q) => seed(q, papers));
  try {
    const report: Record<string, unknown>[] = [];
    for (const sort of ['published', 'trending'] as const)
      for (const depth of [0, 1_000, 10_000, papers - 100].filter((d, i, a) => d >= 0 && d < papers && a.indexOf(d) === i)) {
        // before: the old statement (the day sorted, an OFFSET), without the new indexes
        const old = `SELECT d.paper_id FROM paper_days d WHERE d.day = $1::date ORDER BY ${OLD_ORDER[sort]} LIMIT 21 OFFSET $2`;
        await qr.startTransaction();
        await qr.query(`DROP INDEX idx_paper_days_published, idx_paper_days_trend`);
        const before = await measure(q, old, [DAY, depth]);
        await qr.rollbackTransaction();
        // after: from the key of the row before the page (the first page: no key)
        let after: DayOrderKey | undefined;
        if (depth > 0) [after] = (await listedDayPage(ds, { day: DAY, sort, limit: 1, offset: depth - 1 })).keys;
        const page = (await statementsOfCall(ds, (db: Db) => listedDayPage(db, { day: DAY, sort, limit: 20, offset: 0, after }), { explain: 'EXPLAIN' })).find((s) => /paper_days/.test(s.text))!;
        const cards = (await statementsOfCall(ds, (db: Db) => dailyCardRows(db, { day: DAY, sort, limit: 20, offset: 0, after }), { explain: 'EXPLAIN' })).find((s) => /paper_days/.test(s.text))!;
        const a = await measure(q, page.text, page.values);
        const c = await measure(q, cards.text, cards.values);
        report.push({ sort, depth, before: `${before.buffers} buf ${before.ms.toFixed(2)} ms`, 'after (ids)': `${a.buffers} buf ${a.ms.toFixed(2)} ms`, 'after (cards)': `${c.buffers} buf ${c.ms.toFixed(2)} ms` });
        if (args.includes('--plans')) log(`${sort} ${depth}\nBEFORE\n${before.plan}\nAFTER\n${a.plan}\nCARDS\n${c.plan}`);
      }
    console.table(report);
  } finally {
    await qr.release();
    await ds.destroy();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`day-orders failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
