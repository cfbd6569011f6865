// What the listing count tables cost the write side (wcost24): the pipeline's real write statements for one batch of
// papers, with the count triggers of migration 1796120000000 (first_day_counts, topic_first_papers, topic_day_papers,
// the '' day totals) and without them (its paper_read triggers disabled, session 23's functions as they were: the
// state its down restores), alternated run by run; the median wall time of each step (its transaction, commit
// included). Each mode switch is followed by an unmeasured batch (it drops the sessions' cached plans).
//
//   node tools/run.js tools/bench/listing-totals --papers 1000000     (seeds schema listing_totals_1000000 first)
//   node tools/run.js tools/bench/write-cost --papers 1000000 [--runs 25] [--batch 100] [--fold 10000] [--no-none]
//
// A batch: the parser's transaction (100 new papers, one sighting each on the catalogue's latest day, refreshReadModel),
// the classifier's topic write (replacePaperTopics: peft for each paper, rag for 1 in 2), a re-date (each sighting one
// day later, refreshReadModel). `none`: every count trigger off (session 23's too), for scale. Then: two parser
// transactions at once (the same day, distinct papers); whether a second writer of the day waits for an open first
// one (a hot row); the sweeper's folds (compactTopicDayCounts, compactFirstDayCounts) after `--fold` papers written.
import { compactFirstDayCounts, compactTopicDayCounts, createDataSource, refreshReadModel, replacePaperTopics, type Db } from '@paperwire/db';
import type { DataSource } from 'typeorm';
import { LISTING_COUNTS_FUNCTIONS } from '../../libs/db/src/migrations/1796120000000-listing-counts';
import { TOPIC_DAY_COUNTS_FUNCTIONS } from '../../libs/db/src/migrations/1796096000000-topic-day-counts';

const DB_URL = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const log = (s: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${s}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

type Mode = 'with' | 'without' | 'none';
const NEW_TRIGGERS: [string, string][] = [
  ['paper_read', 'paper_read_first_day_counts_insert'],
  ['paper_read', 'paper_read_first_day_counts_update'],
  ['paper_read', 'paper_read_first_day_counts_delete'],
  ['papers', 'papers_first_day_counts_delete'],
];
const OLD_TRIGGERS: [string, string][] = [
  ['paper_days', 'paper_days_topic_day_counts_insert'],
  ['paper_days', 'paper_days_topic_day_counts_delete'],
  ['paper_topics', 'paper_topics_topic_day_counts_insert'],
  ['paper_topics', 'paper_topics_topic_day_counts_update'],
  ['paper_topics', 'paper_topics_topic_day_counts_delete'],
];
const orReplace = (sql: string) => sql.replace('CREATE FUNCTION', 'CREATE OR REPLACE FUNCTION');
// the per-(paper, day) and per-(paper, topic) functions: 1796120000000's or 1796096000000's (the sync function differs
// only in its TRUNCATE branch)
const FNS = /FUNCTION (topic_day_counts_days|topic_day_counts_topics|topic_day_counts_paper_gone)\(/;
const WITH_FNS = LISTING_COUNTS_FUNCTIONS.filter((f) => FNS.test(f)).map(orReplace);
const WITHOUT_FNS = TOPIC_DAY_COUNTS_FUNCTIONS.filter((f) => FNS.test(f)).map(orReplace);
const FNS_OF: Record<Mode, string[]> = { with: WITH_FNS, without: WITHOUT_FNS, none: WITHOUT_FNS };

async function setMode(ds: DataSource, mode: Mode): Promise<void> {
  await ds.transaction(async (em) => {
    for (const sql of FNS_OF[mode]) await em.query(sql);
    for (const [t, n] of NEW_TRIGGERS) await em.query(`ALTER TABLE "${t}" ${mode === 'with' ? 'ENABLE' : 'DISABLE'} TRIGGER "${n}"`);
    for (const [t, n] of OLD_TRIGGERS) await em.query(`ALTER TABLE "${t}" ${mode === 'none' ? 'DISABLE' : 'ENABLE'} TRIGGER "${n}"`);
  });
}

interface Ctx {
  ds: DataSource;
  sourceId: string;
  day: string;
  seq: number;
}

/** The parser's writes in a transaction `em` is in: `n` new papers, their sightings, the read model refreshed. */
async function parserWrites(c: Ctx, em: Db, n: number): Promise<{ ids: string[]; refreshMs: number }> {
  const tag = `wcost:${process.pid}:${c.seq++}:`;
  const rows = (await em.query(
    `INSERT INTO papers (paper_key, title, abstract, content_hash)
     SELECT $1 || i, 'Paper ' || $1 || i, 'Abstract ' || i || '.', md5($1 || i) FROM generate_series(1, $2::int) i ORDER BY 1 RETURNING id`,
    [tag, n],
  )) as { id: string }[];
  const ids = rows.map((r) => r.id).sort();
  await em.query(
    `INSERT INTO paper_sources (paper_id, source_id, source_kind, upvotes, featured_at, first_seen_at, last_seen_at)
     SELECT id, $2, 'hf_daily', (ord % 17)::int, $3::date + (ord * 61 % 86400) * interval '1 second', now(), now()
       FROM unnest($1::uuid[]) WITH ORDINALITY AS u(id, ord)`,
    [ids, c.sourceId, c.day],
  );
  const r = process.hrtime.bigint();
  await refreshReadModel(em, ids);
  return { ids, refreshMs: Number(process.hrtime.bigint() - r) / 1e6 };
}

/** The parser's transaction (parserWrites), committed. Returns ids and ms. */
async function parserBatch(c: Ctx, n: number): Promise<{ ids: string[]; ms: number; refreshMs: number }> {
  const t = process.hrtime.bigint();
  const got = await c.ds.transaction((em) => parserWrites(c, em, n));
  return { ...got, ms: Number(process.hrtime.bigint() - t) / 1e6 };
}

/**
 * A hot row would make a second parser of the same day wait for the first one's commit: with the first's transaction
 * open (its papers written and counted), the second's writes and its classifier's run under a lock_timeout.
 */
async function secondWriterWaits(c: Ctx, n: number): Promise<string> {
  const first = c.ds.createQueryRunner();
  try {
    await first.startTransaction();
    await parserWrites(c, first.manager, n);
    try {
      await c.ds.transaction(async (em) => {
        await em.query(`SET LOCAL lock_timeout = '3s'`);
        const { ids } = await parserWrites(c, em, n);
        await classify(em, ids);
        await redate(em, ids);
      });
      return 'no: it committed while the first was open';
    } catch (err) {
      return `yes: ${err instanceof Error ? err.message : String(err)}`;
    }
  } finally {
    await first.commitTransaction();
    await first.release();
  }
}

async function timed(ds: DataSource, fn: (db: Db) => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint();
  await ds.transaction((em) => fn(em));
  return Number(process.hrtime.bigint() - t) / 1e6;
}

const classify = (db: Db, ids: string[]) =>
  replacePaperTopics(
    db,
    ids,
    ids.flatMap((id, i) =>
      ['peft', ...(i % 2 === 0 ? ['rag'] : [])].map((t) => ({
        paper_id: id,
        topic_slug: t,
        score: 0.5,
        is_primary: t === 'peft',
        evidence: [],
        model_version: 'bench',
        content_hash: 'x',
      })),
    ),
  );

const redate = async (db: Db, ids: string[]) => {
  await db.query(`UPDATE paper_sources SET featured_at = featured_at + interval '1 day' WHERE paper_id = ANY($1::uuid[])`, [ids]);
  await refreshReadModel(db, ids);
};

async function foldAll(ds: DataSource): Promise<{ ms: number; calls: number; groups: number }> {
  const t = process.hrtime.bigint();
  let calls = 0;
  let groups = 0;
  for (const f of [compactTopicDayCounts, compactFirstDayCounts])
    for (;;) {
      const n = await f(ds, 5_000);
      calls++;
      groups += n;
      if (n === 0) break;
    }
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, calls, groups };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const arg = (name: string, d: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : d);
  const papers = arg('--papers', 1_000_000);
  const runs = arg('--runs', 7);
  const batch = arg('--batch', 100);
  const foldPapers = arg('--fold', 10_000);
  const modes: Mode[] = args.includes('--no-none') ? ['with', 'without'] : ['with', 'without', 'none'];
  const ds = await createDataSource({ url: DB_URL, schema: `listing_totals_${papers}`, poolSize: 3 }).initialize();
  try {
    const [{ day }] = (await ds.query(`SELECT max(day0)::text AS day FROM paper_read`)) as { day: string }[];
    const [{ id: sourceId }] = (await ds.query(
      `INSERT INTO sources (name, kind) VALUES ('write-cost ' || $1, 'hf_daily') RETURNING id`,
      [String(process.pid)],
    )) as { id: string }[];
    const c: Ctx = { ds, sourceId, day, seq: 0 };
    const warm = async () => {
      const done = await Promise.all([parserBatch(c, batch), parserBatch(c, batch), parserBatch(c, batch)]);
      for (const { ids } of done.slice(0, 2)) {
        await timed(ds, (db) => classify(db, ids));
        await timed(ds, (db) => redate(db, ids));
      }
    };
    log(`day ${day}`);
    const got: Record<Mode, Record<string, number[]>> = { with: {}, without: {}, none: {} };
    const put = (m: Mode, k: string, v: number) => (got[m][k] ??= []).push(v);
    for (let r = 0; r < runs; r++) {
      const order = r % 2 === 0 ? modes : [...modes].reverse();
      for (const m of order) {
        await setMode(ds, m);
        await warm(); // a mode switch drops the session's cached plans; a worker's session keeps them
        const p = await parserBatch(c, batch);
        put(m, 'parser txn', p.ms);
        put(m, '  refreshReadModel', p.refreshMs);
        const cl = await timed(ds, (db) => classify(db, p.ids));
        put(m, 'classifier topics', cl);
        const rd = await timed(ds, (db) => redate(db, p.ids));
        put(m, 're-date', rd);
        put(m, 'batch total', p.ms + cl + rd);
        const [a, b] = await Promise.all([parserBatch(c, batch), parserBatch(c, batch)]);
        put(m, '2 parsers at once (max)', Math.max(a.ms, b.ms));
      }
      log(`run ${r + 1}/${runs}`);
    }
    const table: Record<string, Record<string, string>> = {};
    for (const k of Object.keys(got.with)) {
      table[k] = {};
      for (const m of modes) table[k][m] = median(got[m][k]).toFixed(1);
      table[k]['with/without'] = `${((median(got.with[k]) / median(got.without[k]) - 1) * 100).toFixed(0)}%`;
    }
    console.table(table);
    await setMode(ds, 'with');
    console.log(`a second parser of the same day waits for the first's commit (triggers on): ${await secondWriterWaits(c, batch)}`);
    if (foldPapers > 0) {
      await setMode(ds, 'with');
      const before = await foldAll(ds);
      log(`folded the earlier deltas (${before.groups} groups); writing ${foldPapers} papers`);
      for (let i = 0; i < foldPapers / batch; i++) {
        const p = await parserBatch(c, batch);
        await timed(ds, (db) => classify(db, p.ids));
      }
      const [u] = (await ds.query(
        `SELECT (SELECT count(*) FROM topic_day_counts WHERE NOT folded)::int AS tdc, (SELECT count(*) FROM first_day_counts WHERE NOT folded)::int AS fdc`,
      )) as { tdc: number; fdc: number }[];
      const f = await foldAll(ds);
      console.log(
        `fold after ${foldPapers} papers: ${u.tdc} topic_day_counts + ${u.fdc} first_day_counts delta rows → ${f.groups} groups, ${f.calls} calls, ${f.ms.toFixed(1)} ms`,
      );
    }
  } finally {
    await ds.destroy();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`write-cost failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
