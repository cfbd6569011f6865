// The listings' reads at catalogue scale, before → after (serve24): a week's and a month's total (a count of the
// period's paper_read rows → a sum over first_day_counts), EXPLAIN (ANALYZE, BUFFERS), the median of 5 runs each.
//
//   node tools/run.js tools/bench/listing-totals --papers 2000000 [--reuse]   (DATABASE_URL or TEST_DATABASE_URL)
//
// The catalogue: `papers` papers, 1,000 first seen a day from 2021-01-01 (a month ≈ 30k papers), each listed on its
// first day (paper_days), a third of them also on the next day; topics peft (1 in 3), rag (1 in 12), rare (1 in 1,000).
// Written with the triggers off (session_replication_role = replica), the derived counts filled after, as the
// migrations do. Kept in schema listing_totals_<papers> (`--reuse` keeps a complete one).
import type { DataSource } from 'typeorm';
import { PAPER_DAYS_TREND_FILL, dailyCardRows, listedDayPage, listedRangePage, statementsOfCall, type Db } from '@paperwire/db';
import { measure, openBenchSchema } from './bench-schema';
import { FIRST_DAY_COUNTS_FILL, TOPIC_DAY_PAPERS_FILL } from '../../libs/db/src/migrations/1796120000000-listing-counts';
import { TOPIC_DAY_COUNTS_FILL } from '../../libs/db/src/migrations/1796096000000-topic-day-counts';

const DB_URL = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const log = (s: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${s}\n`);

async function seed(q: (sql: string, params?: unknown[]) => Promise<unknown[]>, papers: number): Promise<void> {
  const n = `substr(paper_key, 7)::int`;
  await q(`SET session_replication_role = replica`);
  await q(
    `INSERT INTO topics (slug, name, description) VALUES ('peft', 'PEFT', 'adapters'), ('rag', 'RAG', 'retrieval'), ('rare', 'Rare', 'rare')
     ON CONFLICT DO NOTHING`,
  );
  log('papers');
  await q(
    `INSERT INTO papers (paper_key, title, abstract, content_hash)
     SELECT 'bench:' || i, 'Paper ' || i, 'Abstract ' || i || '.', md5(i::text) FROM generate_series(1, $1::int) i`,
    [papers],
  );
  log('paper_read');
  const t0 = `(timestamptz '2021-01-01 00:00Z' + (${n} / 1000) * interval '1 day' + (${n}::bigint * 7919 % 1440) * interval '1 minute')`;
  await q(
    `INSERT INTO paper_read (paper_id, t0, day0, week0, month0, upvotes, sources, signal, trend_key)
     SELECT id, t0, (t0 AT TIME ZONE 'UTC')::date, date_trunc('week', t0 AT TIME ZONE 'UTC')::date, date_trunc('month', t0 AT TIME ZONE 'UTC')::date,
            u, 1, u, CASE WHEN u > 0 THEN ln(u) + ln(2) / 48 * extract(epoch FROM t0) / 3600 END
       FROM (SELECT id, ${t0} AS t0, (${n} * 31 % 17) AS u FROM papers) x`,
  );
  log('paper_days');
  await q(
    `INSERT INTO paper_days (paper_id, day, upvotes, sighted_at)
     SELECT paper_id, day0, upvotes, t0 FROM paper_read
     UNION ALL
     SELECT paper_id, day0 + 1, upvotes, t0 + interval '1 day' FROM paper_read r JOIN papers p ON p.id = r.paper_id WHERE ${n} % 3 = 0`,
  );
  log('paper_topics');
  await q(
    `INSERT INTO paper_topics (paper_id, topic_slug, score, is_primary, evidence, model_version, content_hash)
     SELECT id, t, 0.5, true, '[]', 'bench', content_hash
       FROM papers CROSS JOIN unnest(ARRAY['peft', 'rag', 'rare']) t
      WHERE (t = 'peft' AND ${n} % 3 = 0) OR (t = 'rag' AND ${n} % 12 = 1) OR (t = 'rare' AND ${n} % 1000 = 7)`,
  );
  await bigDay(q);
  // (the day's trend order: each row its paper's key, as refreshReadModel keeps it)
  await q(PAPER_DAYS_TREND_FILL);
  log('derived counts');
  await q(`TRUNCATE topic_day_counts, first_day_counts, topic_first_papers, topic_day_papers`);
  await q(TOPIC_DAY_COUNTS_FILL);
  for (const sql of [...FIRST_DAY_COUNTS_FILL.split(';\n'), ...TOPIC_DAY_PAPERS_FILL.split(';\n')]) await q(sql);
  await q(`SET session_replication_role = origin`);
  log('vacuum analyze');
  await q('VACUUM (ANALYZE)');
}

interface Statement {
  text: string;
  values: unknown[];
}

/** The statements `run` sends, each run for real. */
const sent = (ds: DataSource, run: (db: Db) => Promise<unknown>): Promise<Statement[]> => statementsOfCall(ds, run, { explain: 'EXPLAIN' });

/** Each statement measured (median of 5): their buffers and times, summed. */
async function measureAll(q: (sql: string, params?: unknown[]) => Promise<unknown[]>, statements: Statement[]): Promise<{ text: string; plans: string }> {
  const m = [];
  for (const s of statements) m.push(await measure(q, s.text, s.values));
  const buffers = m.reduce((a, x) => a + x.buffers, 0);
  const ms = m.reduce((a, x) => a + x.ms, 0);
  return { text: `${buffers} buf ${ms.toFixed(2)} ms (${m.map((x) => x.buffers).join(' + ')})`, plans: m.map((x) => x.plan).join('\n--\n') };
}

function lastDay(from: string, kind: 'week' | 'month'): string {
  const d = new Date(`${from}T00:00:00Z`);
  if (kind === 'week') d.setUTCDate(d.getUTCDate() + 6);
  else d.setUTCMonth(d.getUTCMonth() + 1, 0);
  return d.toISOString().slice(0, 10);
}

/** The day BIG_DAY also lists 20,000 papers first seen before it (1 in 100 of the catalogue's first 2M), as a day of a big replay would. */
const BIG_DAY = '2026-05-20';
async function bigDay(q: (sql: string, params?: unknown[]) => Promise<unknown[]>): Promise<void> {
  log('big day');
  await q(
    `INSERT INTO paper_days (paper_id, day, upvotes, sighted_at)
     SELECT id, $1::date, (substr(paper_key, 7)::int * 31 % 17), $1::date + (substr(paper_key, 7)::int % 86400) * interval '1 second'
       FROM papers WHERE substr(paper_key, 7)::int % 100 = 50 ORDER BY id LIMIT 20000
     ON CONFLICT DO NOTHING`,
    [BIG_DAY],
  );
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const papers = Number(args[args.indexOf('--papers') + 1] ?? 1_000_000);
  const reuse = args.includes('--reuse');
  const schema = `listing_totals_${papers}`;
  const { ds, qr, q } = await openBenchSchema(DB_URL, schema, reuse, async (q) => {
    const t = Date.now();
    await seed(q, papers);
    log(`seeded ${papers.toLocaleString('en')} papers in ${((Date.now() - t) / 1000).toFixed(0)} s`);
  });
  try {
    // the latest whole month and its second week
    const [{ month, week }] = (await q(
      `SELECT (date_trunc('month', max(day0)) - interval '1 month')::date::text AS month,
              (date_trunc('week', date_trunc('month', max(day0)) - interval '1 month') + interval '1 week')::date::text AS week FROM paper_read`,
    )) as { month: string; week: string }[];
    const periods = [
      { kind: 'month' as const, col: 'month0', from: month, to: lastDay(month, 'month') },
      { kind: 'week' as const, col: 'week0', from: week, to: lastDay(week, 'week') },
    ];
    const report: Record<string, unknown>[] = [];
    const row = async (read: string, before: Statement[], run: (db: Db) => Promise<unknown>) => {
      const b = await measureAll(q, before);
      const a = await measureAll(q, await sent(ds, run));
      report.push({ read, before: b.text, after: a.text });
      if (args.includes('--plans')) log(`${read}\nBEFORE\n${b.plans}\nAFTER\n${a.plans}`);
    };
    for (const p of periods)
      for (const topic of [null, 'rag', 'rare']) {
        // before: the period's page by its index (a topic an EXISTS probe per row) and a count of the period
        const topicCond = topic ? ` AND EXISTS (SELECT 1 FROM paper_topics pt WHERE pt.paper_id = r.paper_id AND pt.topic_slug = ANY($2::text[]))` : '';
        const params = topic ? [p.from, [topic]] : [p.from];
        const page = `SELECT r.paper_id, r.trend_key, r.t0 FROM paper_read r WHERE r.${p.col} = $1::date${topicCond}
           ORDER BY coalesce(r.trend_key, '-Infinity'::float8) DESC, r.t0 DESC, r.paper_id DESC LIMIT 21`;
        const count = `SELECT count(*)::int AS n FROM paper_read r WHERE r.${p.col} = $1::date${topicCond}`;
        await row(`${p.kind} ${p.from} ${topic ?? '-'}: page + total`, [{ text: page, values: params }, { text: count, values: params }], (db) =>
          listedRangePage(db, { kind: p.kind, from: p.from, to: p.to, byTrend: true, topic: topic ? [topic] : undefined, limit: 20, offset: 0 }),
        );
      }
    // a day of 20k papers: its first page filtered by a rare topic, its unfiltered total, and a page 900 rows deep
    const hasBig = (await q(`SELECT count(*)::int AS n FROM paper_days WHERE day = $1`, [BIG_DAY])) as { n: number }[];
    if (hasBig[0].n < 20_000) {
      await bigDay(q);
      await q('VACUUM (ANALYZE)');
    }
    const dayTopic = ` AND EXISTS (SELECT 1 FROM paper_topics pt WHERE pt.paper_id = d.paper_id AND pt.topic_slug = ANY($2::text[]))`;
    const rank = 'd.upvotes DESC NULLS LAST, d.capture_pos ASC NULLS LAST, d.sighted_at DESC, d.paper_id';
    for (const topic of ['rare', 'rag']) {
      const params = [BIG_DAY, [topic]];
      await row(
        `day ${BIG_DAY} (20k) ${topic}: page + total`,
        [
          { text: `SELECT d.paper_id FROM paper_days d WHERE d.day = $1::date${dayTopic} ORDER BY ${rank} LIMIT 21`, values: params },
          { text: `SELECT coalesce(sum(papers), 0)::int AS n FROM topic_day_counts WHERE topic_slug = $1 AND day = $2::date`, values: [topic, BIG_DAY] },
        ],
        (db) => listedDayPage(db, { day: BIG_DAY, sort: 'rank', topic: [topic], limit: 20, offset: 0 }),
      );
    }
    await row(
      `day ${BIG_DAY} (20k) -: page + total`,
      [
        { text: `SELECT d.paper_id FROM paper_days d WHERE d.day = $1::date ORDER BY ${rank} LIMIT 21`, values: [BIG_DAY] },
        { text: `SELECT count(*)::int AS n FROM paper_days d WHERE d.day = $1::date`, values: [BIG_DAY] },
      ],
      (db) => listedDayPage(db, { day: BIG_DAY, sort: 'rank', limit: 20, offset: 0 }),
    );
    const [key] = (await listedDayPage(ds, { day: BIG_DAY, sort: 'rank', limit: 1, offset: 899 })).keys;
    await row(
      `day ${BIG_DAY} (20k) -: cards 900 deep (offset → after)`,
      await sent(ds, (db) => dailyCardRows(db, { day: BIG_DAY, limit: 100, offset: 900 })),
      async (db) => dailyCardRows(db, { day: BIG_DAY, limit: 100, offset: 0, after: key }),
    );
    console.table(report);
  } finally {
    await qr.release();
    await ds.destroy();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`listing-totals failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
