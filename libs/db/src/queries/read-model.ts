import { FEED_ORIGIN } from '@paperwire/contracts';
import { CARD_PAPER_COLUMNS, TREND_ORDER, type CardPaperRow } from './paper-cards';
import { namedQuery } from './bulk';
import { searchedPaperIds } from './paper-reads';
import { searchTsQuerySql } from './search-query';
import { firstDaysTotal, topicDayTotal } from './topic-days';
import { type Db, SqlParams } from './sql';

/**
 * Trending (decided for issue #16, documented in services/api/src/daily/README.md):
 *
 *   signal    = upvotes + 2·comments + 3·(public origins − 1) + GitHub stars   (max over sightings)
 *               public origins: of Hugging Face and arXiv, how many listed the paper (SIGHTING_ORIGIN_SQL; two
 *               operator sources of one origin, or a source no origin names, add nothing)
 *   score(t)  = signal · 2^(−(t − t0) / 48 h)          t0 = the paper's first appearance
 *   trend_key = ln(signal) + ln2/48 · hours_since_epoch(t0)    (NULL when signal = 0: not trending)
 *
 * At any moment t, score(t) = exp(trend_key − ln2/48 · hours_since_epoch(t)): every score is multiplied
 * by the same factor as time passes, so the order by trend_key is the order by score forever and
 * nothing has to be recomputed for the decay. Windows are `t0 >= now() − window`.
 */
export const TREND_HALF_LIFE_HOURS = 48;
export const TREND_WEIGHTS = { upvote: 1, comment: 2, extraSource: 3, star: 1 } as const;
const DECAY_PER_HOUR = Math.LN2 / TREND_HALF_LIFE_HOURS;

export function trendSignal(s: {
  upvotes: number | null;
  comments: number | null;
  stars: number | null;
  sources: number;
}): number {
  const w = TREND_WEIGHTS;
  return (
    w.upvote * (s.upvotes ?? 0) +
    w.comment * (s.comments ?? 0) +
    w.extraSource * Math.max(s.sources - 1, 0) +
    w.star * (s.stars ?? 0)
  );
}

export function trendKey(signal: number, t0: Date): number | null {
  return signal > 0 ? Math.log(signal) + (DECAY_PER_HOUR * t0.getTime()) / 3_600_000 : null;
}

/**
 * Responses give decayed scores as of the start of the current minute (`scoreClock`), not of the request's
 * millisecond: a listing's body, and so its ETag, stays the same within the minute and a conditional
 * request can answer 304 (a minute moves a score by less than 0.03%; the order never changes).
 * `trendScore` applies the floor itself, so a caller passes the request's clock as it is.
 */
export const TREND_SCORE_STEP_MS = 60_000;

/** `now` floored to the step the scores in responses are evaluated at. */
export function scoreClock(now: Date = new Date()): Date {
  const t = now.getTime();
  return new Date(t - (((t % TREND_SCORE_STEP_MS) + TREND_SCORE_STEP_MS) % TREND_SCORE_STEP_MS));
}

/**
 * The decayed score a response reports for a stored trend_key (null stays null): evaluated at
 * `scoreClock(now)`, the start of `now`'s minute, never at `now`'s millisecond.
 */
export function trendScore(key: number | null, now: Date = new Date()): number | null {
  return key === null || key === undefined
    ? null
    : Math.exp(key - (DECAY_PER_HOUR * scoreClock(now).getTime()) / 3_600_000);
}

/** Decimals of a served score: a signal of 1 decays below 0.001 after 20 days, where a listing stops caring. */
export const TREND_SCORE_DECIMALS = 3;

/**
 * The `trendingScore` every response shows (/v1 lists, detail, cards, /v1/trending, the HF API's `paperwire`):
 * trendScore rounded to TREND_SCORE_DECIMALS (never a raw 5.8e-25), and 0, not null, for a paper without a
 * signal. Rounding is monotonic, so a page in trend order shows its scores non-increasing.
 */
export function servedTrendScore(key: number | null, now: Date = new Date()): number {
  const s = trendScore(key, now);
  const f = 10 ** TREND_SCORE_DECIMALS;
  return s === null ? 0 : Math.round(s * f) / f;
}

/**
 * The format a sighting (alias ps) was read in: its raw document's, else its source's configured one, else the source
 * kind (as sightingsOfPaper reads it for the Sightings table); two primary-key lookups per sighting.
 */
const SIGHTING_FEED_SQL = `(SELECT coalesce(r.format, s.params->>'format', s.kind) FROM sources s
    LEFT JOIN raw_documents r ON r.id = ps.raw_document_id WHERE s.id = ps.source_id)`;

/** The public origin (FEED_ORIGIN) of a sighting (alias ps): 'huggingface', 'arxiv', or NULL for none. */
export const SIGHTING_ORIGIN_SQL = `CASE ${SIGHTING_FEED_SQL} ${Object.entries(FEED_ORIGIN)
  .filter(([, o]) => o !== null)
  .map(([f, o]) => `WHEN '${f}' THEN '${o}'`)
  .join(' ')} END`;

/** Source kinds whose sightings list a paper on its publication date when it has one (see SIGHTING_DAY_AT_SQL). */
export const PUBLICATION_DAY_KINDS = ['arxiv-api', 'arxiv-oai', 'file', 'upload'] as const;

/**
 * When a sighting (alias ps, paper alias p) put the paper on a day: HF's submittedOnDailyAt or the
 * RSS announcement (featured_at), else, from an arXiv API / OAI source or a replayed file or upload (an arXiv
 * export, a JSONL dump: records that carry their own dates), the publication date, else when PaperWire first saw
 * it (text captures and pages, records without a date). A paper's t0 is the earliest of these over its sightings.
 */
export const SIGHTING_DAY_AT_SQL = `CASE WHEN ps.featured_at IS NOT NULL THEN ps.featured_at
  WHEN ps.source_kind IN (${PUBLICATION_DAY_KINDS.map((k) => `'${k}'`).join(', ')}) THEN coalesce(p.published_at, ps.first_seen_at)
  ELSE ps.first_seen_at END`;

const utc = (ts: string) => `(${ts} AT TIME ZONE 'UTC')`;

/** A timestamptz column as a cursor carries it: ISO 8601 in UTC to the microsecond (a Date would cut it to the ms). */
export const utcMicros = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * The sightings grouped per paper: of every paper (`scope` 'all': the rebuild), or of the papers in `$1`
 * ('ids': the per-batch refresh). 'ids' drives from the id array through a LATERAL aggregate, one index
 * lookup of paper_sources and papers per paper, so its plan is a nested loop whatever the statistics say;
 * a join filtered by `= ANY($1)` was planned as a hash join over a scan of papers and paper_sources when
 * the statistics were stale (a catalogue growing faster than ANALYZE runs), and cost grew with the catalogue.
 * `group` is the aggregate's extra grouping key (paper_days: the day), `cols` its select list.
 */
function sightingsGrouped(scope: 'all' | 'ids', cols: string, group?: string): string {
  const from = 'FROM paper_sources ps JOIN papers p ON p.id = ps.paper_id';
  if (scope === 'all')
    return `SELECT ps.paper_id, ${group ? `${group}, ` : ''}${cols} ${from} GROUP BY ps.paper_id${group ? ', 2' : ''}`;
  return `SELECT b.id AS paper_id, a.* FROM unnest($1::uuid[]) AS b(id)
      CROSS JOIN LATERAL (SELECT ${group ? `${group}, ` : ''}${cols} ${from} WHERE ps.paper_id = b.id${group ? ' GROUP BY 1' : ''}) a
     WHERE a.n > 0`;
}

/** The read-model rows of the papers in `scope` (see sightingsGrouped), computed from the source rows. */
function paperReadSelect(scope: 'all' | 'ids'): string {
  const w = TREND_WEIGHTS;
  const cols = `count(*) AS n, min(${SIGHTING_DAY_AT_SQL}) AS t0,
             min(ps.featured_at) AS featured_at,
             max(ps.upvotes) AS upvotes, max(ps.comments) AS comments, max(ps.github_stars) AS stars,
             count(DISTINCT ${SIGHTING_ORIGIN_SQL})::int AS sources,
             (array_agg(ps.submitted_by ORDER BY ps.featured_at NULLS LAST, ps.first_seen_at) FILTER (WHERE ps.submitted_by IS NOT NULL))[1] AS submitted_by`;
  return `WITH agg AS (${sightingsGrouped(scope, cols)}
    ), sig AS (
      SELECT agg.*, (${w.upvote} * coalesce(upvotes, 0) + ${w.comment} * coalesce(comments, 0)
                     + ${w.extraSource} * greatest(sources - 1, 0) + ${w.star} * coalesce(stars, 0))::float8 AS signal
        FROM agg
    ), rows AS (
      SELECT paper_id, t0, ${utc('t0')}::date AS day0, date_trunc('week', ${utc('t0')})::date AS week0,
             date_trunc('month', ${utc('t0')})::date AS month0, featured_at, upvotes, comments, stars, sources, submitted_by, signal,
             CASE WHEN signal > 0 THEN ln(signal) + ln(2) / ${TREND_HALF_LIFE_HOURS} * extract(epoch FROM t0) / 3600 END AS trend_key
        FROM sig
    )`;
}

const PAPER_READ_COLUMNS =
  'paper_id, t0, day0, week0, month0, featured_at, upvotes, comments, stars, sources, submitted_by, signal, trend_key';

function paperDaysSelect(scope: 'all' | 'ids'): string {
  const cols = `count(*) AS n, max(ps.upvotes) AS upvotes, max(${SIGHTING_DAY_AT_SQL}) AS sighted_at`;
  return `days AS (${sightingsGrouped(scope, cols, `${utc(SIGHTING_DAY_AT_SQL)}::date AS day`)}
    )`;
}

/** Fills an empty read model from the source rows (the migration, and bench datasets made with COPY). */
export const REBUILD_READ_MODEL_SQL = `${paperReadSelect('all')}
  INSERT INTO paper_read (${PAPER_READ_COLUMNS}) SELECT ${PAPER_READ_COLUMNS} FROM rows;
  WITH ${paperDaysSelect('all')}
  INSERT INTO paper_days (paper_id, day, upvotes, sighted_at) SELECT paper_id, day, upvotes, sighted_at FROM days`;

/**
 * A day's rows carry their paper's trend key (`paper_days.trend_key`, -Infinity without a signal: the trend order's
 * index, migration 1796230000000); filled from paper_read after REBUILD_READ_MODEL_SQL (which that migration's
 * predecessors run as they were) and by the migration. refreshReadModel keeps it in its own statements.
 */
export const PAPER_DAYS_TREND_FILL = `UPDATE paper_days d SET trend_key = r.trend_key FROM paper_read r
  WHERE r.paper_id = d.paper_id AND r.trend_key IS NOT NULL AND d.trend_key IS DISTINCT FROM r.trend_key`;

/** (topic_days follows by its triggers: the TRUNCATE empties it, the insert of paper_days fills it.) */
export async function rebuildReadModel(db: Db): Promise<void> {
  await db.query('TRUNCATE paper_read, paper_days');
  for (const sql of REBUILD_READ_MODEL_SQL.split(';\n')) await db.query(sql);
  await db.query(PAPER_DAYS_TREND_FILL);
}

/** Where a text capture listed a paper: its sighting from `sourceId` ranks at `pos` on that sighting's day. */
export interface CapturePosition {
  paperId: string;
  sourceId: string;
  pos: number;
}

/**
 * Brings the read model of these papers in line with their source rows: two set-based statements
 * whose cost is that of the papers' own sightings (index lookups by paper_id), never of the catalogue:
 * every part starts from the id array (`unnest($1)`) and reaches the tables through per-key LATERAL
 * look-ups (an aggregate, or `OFFSET 0`, keeps the planner from flattening them into a join it could
 * plan as a scan) or a primary-key join. A `= ANY($1)` filter on the tables was, without fresh
 * statistics, estimated to match most of them and planned as scans (per-batch-plans.int-spec.ts).
 * Run it in the transaction that wrote the papers / sightings (the parser does), so a listing never
 * shows a state the source rows did not have. Rows are written in paper_id order (no deadlock between
 * two parsers sharing papers; the parser also holds the papers' stage-row locks). Stale paper_days rows
 * are deleted and new ones inserted in one statement (the two never share a key; topic_days' triggers take no
 * locks, insert facts and suspects only, and fire at the statement's end: migration 1796010000000). Unchanged
 * rows are not rewritten. Returns how many
 * paper_read rows changed.
 */
export async function refreshReadModel(
  db: Db,
  paperIds: readonly string[],
  captures: readonly CapturePosition[] = [],
): Promise<number> {
  if (paperIds.length === 0) return 0;
  const ids = [...new Set(paperIds)].sort();
  const res = await namedQuery<{ n: number }>(
    db,
    'pw_refresh_paper_read',
    `${paperReadSelect('ids')}, up AS (
       INSERT INTO paper_read (${PAPER_READ_COLUMNS}) SELECT ${PAPER_READ_COLUMNS} FROM rows ORDER BY paper_id
       ON CONFLICT (paper_id) DO UPDATE SET t0 = EXCLUDED.t0, day0 = EXCLUDED.day0, week0 = EXCLUDED.week0, month0 = EXCLUDED.month0,
              featured_at = EXCLUDED.featured_at, upvotes = EXCLUDED.upvotes, comments = EXCLUDED.comments, stars = EXCLUDED.stars,
              sources = EXCLUDED.sources, submitted_by = EXCLUDED.submitted_by, signal = EXCLUDED.signal, trend_key = EXCLUDED.trend_key,
              updated_at = now()
        WHERE (paper_read.t0, paper_read.featured_at, paper_read.upvotes, paper_read.comments, paper_read.stars, paper_read.sources,
               paper_read.submitted_by)
              IS DISTINCT FROM (EXCLUDED.t0, EXCLUDED.featured_at, EXCLUDED.upvotes, EXCLUDED.comments, EXCLUDED.stars, EXCLUDED.sources,
               EXCLUDED.submitted_by)
       RETURNING 1
     ), gone AS (
       DELETE FROM paper_read r USING unnest($1::uuid[]) AS b(id)
        WHERE r.paper_id = b.id AND NOT EXISTS (SELECT 1 FROM rows WHERE rows.paper_id = b.id)
       RETURNING 1
     )
     SELECT ((SELECT count(*) FROM up) + (SELECT count(*) FROM gone))::int AS n`,
    [ids],
  );
  await namedQuery(
    db,
    'pw_refresh_paper_days',
    `WITH ${paperDaysSelect('ids')}, cap AS (
       SELECT c.paper_id, x.day, min(c.pos) AS pos
         FROM jsonb_to_recordset($2::jsonb) AS c(paper_id uuid, source_id uuid, pos bigint)
        CROSS JOIN LATERAL (SELECT ${utc(SIGHTING_DAY_AT_SQL)}::date AS day
                              FROM paper_sources ps JOIN papers p ON p.id = ps.paper_id
                             WHERE ps.paper_id = c.paper_id AND ps.source_id = c.source_id OFFSET 0) x
        GROUP BY 1, 2
     ), gone AS (
       DELETE FROM paper_days pd WHERE pd.ctid = ANY (ARRAY(
         SELECT x.ctid FROM unnest($1::uuid[]) AS b(id)
          CROSS JOIN LATERAL (SELECT pd2.ctid, pd2.day FROM paper_days pd2 WHERE pd2.paper_id = b.id OFFSET 0) x
          WHERE NOT EXISTS (SELECT 1 FROM days d WHERE d.paper_id = b.id AND d.day = x.day))))
     INSERT INTO paper_days (paper_id, day, upvotes, capture_pos, sighted_at, trend_key)
     SELECT d.paper_id, d.day, d.upvotes, cap.pos, d.sighted_at,
            -- the paper's trend key as the statement before wrote it (a primary-key lookup per row)
            coalesce((SELECT r.trend_key FROM paper_read r WHERE r.paper_id = d.paper_id), '-Infinity'::float8)
       FROM days d LEFT JOIN cap ON cap.paper_id = d.paper_id AND cap.day = d.day
      ORDER BY d.paper_id, d.day
     ON CONFLICT (paper_id, day) DO UPDATE SET upvotes = EXCLUDED.upvotes, sighted_at = EXCLUDED.sighted_at,
            capture_pos = coalesce(EXCLUDED.capture_pos, paper_days.capture_pos), trend_key = EXCLUDED.trend_key
      WHERE (paper_days.upvotes, paper_days.sighted_at, paper_days.trend_key) IS DISTINCT FROM (EXCLUDED.upvotes, EXCLUDED.sighted_at, EXCLUDED.trend_key)
         OR (EXCLUDED.capture_pos IS NOT NULL AND EXCLUDED.capture_pos IS DISTINCT FROM paper_days.capture_pos)`,
    [ids, JSON.stringify(captures.map((c) => ({ paper_id: c.paperId, source_id: c.sourceId, pos: c.pos })))],
  );
  // A paper no source dated is listed by the day a source first featured it (papers.listed_at, in SORT_AT): a
  // primary-key probe per paper, a write only for an undated paper whose day changed (a dated paper never writes).
  await namedQuery(
    db,
    'pw_refresh_listed_at',
    `UPDATE papers p SET listed_at = f.featured_at
       FROM (SELECT b.id, (SELECT r.featured_at FROM paper_read r WHERE r.paper_id = b.id) AS featured_at
               FROM unnest($1::uuid[]) AS b(id)) f
      WHERE p.id = f.id AND p.published_at IS NULL AND p.listed_at IS DISTINCT FROM f.featured_at`,
    [ids],
  );
  return res[0]?.n ?? 0;
}

// ---- reads: the listings served from the read model (issue #16), each through an index in its order ----

/**
 * The latest UTC day that has papers (an index lookup); with `topics`, that has a paper of one of them (the day the
 * listing filtered by those topics opens on: one descent of `topic_days` per topic, as topicDayNeighbours).
 */
export async function latestListedDay(db: Db, topics?: readonly string[]): Promise<string | null> {
  if (topics?.length) return (await topicDayNeighbours(db, { from: '9999-12-31', to: '9999-12-31', topics, firstDays: false })).previous;
  const rows: { d: string | null }[] = await db.query(`SELECT max(day)::text AS d FROM paper_days`);
  return rows[0]?.d ?? null;
}

/**
 * The nearest days before and after `day` that have papers; with `topics`, that have a paper of one of them (the
 * days the day listing filtered by those topics is not empty on: topicDayNeighbours).
 */
export async function listedDayNeighbours(
  db: Db,
  day: string,
  topics?: readonly string[],
): Promise<{ previous: string | null; next: string | null }> {
  if (topics?.length) return topicDayNeighbours(db, { from: day, to: day, topics, firstDays: false });
  const rows: { prev: string | null; next: string | null }[] = await db.query(
    `SELECT (SELECT max(day) FROM paper_days WHERE day < $1::date)::text AS prev, (SELECT min(day) FROM paper_days WHERE day > $1::date)::text AS next`,
    [day],
  );
  return { previous: rows[0]?.prev ?? null, next: rows[0]?.next ?? null };
}

/**
 * The latest day before `from` and the earliest after `to` with a paper of one of `topics` (`topic_days`); with
 * `firstDays`, a paper's first day only: the week or month listing filtered by those topics lists that paper in the
 * period holding that day (a paper counts in the week and month of its first day, `paper_read.day0`). Per topic and
 * direction `topic_days_near`: one descent of the facts' index (topic_slug, first, day), however far the day is, and
 * one probe of the suspects (`topic_days_stale`); a suspected fact is verified from the source tables and stepped
 * over if false (migration 1796010000000).
 */
export async function topicDayNeighbours(
  db: Db,
  q: { from: string; to: string; topics: readonly string[]; firstDays: boolean },
): Promise<{ previous: string | null; next: string | null }> {
  // (the common case in plain SQL: the nearest fact, unsuspected; a suspected one verified, a false one stepped over)
  const nearest = (agg: 'max' | 'min', cmp: string, later: boolean) =>
    `(SELECT ${agg}(CASE WHEN x.c IS NULL THEN NULL
                        WHEN NOT EXISTS (SELECT 1 FROM topic_days_stale s WHERE s.topic_slug = t.slug AND s.first = $4 AND s.day = x.c) THEN x.c
                        WHEN topic_days_holds(t.slug, $4, x.c) THEN x.c
                        ELSE topic_days_near(t.slug, $4, x.c, ${later}) END)
       FROM unnest($3::text[]) AS t(slug)
       CROSS JOIN LATERAL (SELECT ${agg}(td.day) AS c FROM topic_days td WHERE td.topic_slug = t.slug AND td.first = $4 AND td.day ${cmp}) x)::text`;
  const rows: { prev: string | null; next: string | null }[] = await db.query(
    `SELECT ${nearest('max', '< $1::date', false)} AS prev, ${nearest('min', '> $2::date', true)} AS next`,
    [q.from, q.to, [...new Set(q.topics)], q.firstDays],
  );
  return { previous: rows[0]?.prev ?? null, next: rows[0]?.next ?? null };
}

/**
 * rank: the Daily Papers page (upvotes); published: by first appearance; trending: by trend key; source: a day in its
 * source's own order (capture_pos: where Hugging Face's API or a text capture listed it), then as rank (a week or a
 * month: as rank).
 */
export type ListingSort = 'rank' | 'published' | 'trending' | 'source';

export interface ListingFilters {
  topic?: string[];
  submitter?: string;
}

/** Filters on a read-model row aliased `readAlias` (paper id column `idCol`). */
function listingFilters(
  params: SqlParams,
  q: ListingFilters,
  idCol: string,
  readAlias: string | null,
): string[] {
  const conds: string[] = [];
  if (q.topic?.length)
    conds.push(
      `EXISTS (SELECT 1 FROM paper_topics pt WHERE pt.paper_id = ${idCol} AND pt.topic_slug = ANY(${params.add(q.topic, 'text[]')}))`,
    );
  if (q.submitter) {
    const s = params.add(q.submitter);
    conds.push(
      readAlias
        ? `${readAlias}.submitted_by = ${s}`
        : `EXISTS (SELECT 1 FROM paper_read r2 WHERE r2.paper_id = ${idCol} AND r2.submitted_by = ${s})`,
    );
  }
  return conds;
}

/**
 * One day's paper ids in the sort's order (`limit + 1` from `offset`, or after the row at `after` by keyset in the rank,
 * publication and trend orders), each row's place in that order (`keys`: the cursor of the next page), and the day's
 * total. Filtered by topics, from their rows in topic_day_papers when they are rare on the day (daySource), else
 * walking the day in the sort's order: each order an index after the day (DAY_ORDERS).
 */
export async function listedDayPage(
  db: Db,
  q: ListingFilters & { day: string; sort: ListingSort; limit: number; offset: number; after?: DayOrderKey },
): Promise<{ ids: string[]; keys: DayOrderKey[]; total: number }> {
  const params = new SqlParams();
  const src = await daySource(db, params, q, q.offset + q.limit + 1);
  const conds = [...src.conds, ...listingFilters(params, { submitter: q.submitter }, 'd.paper_id', null)];
  const countSql = `SELECT count(*)::int AS n FROM ${src.from} WHERE ${conds.join(' AND ')}`;
  const countParams = params.values.slice();
  const n = params.add(q.limit + 1, 'int');
  const keyed = q.sort === 'source' ? undefined : q.sort;
  const page = q.after && keyed ? afterDayKey(params, { from: src.from, conds }, keyed, q.after, n) : { from: src.from, conds };
  const [rows, total] = await Promise.all([
    db.query(
      `SELECT d.paper_id, ${DAY_KEY_COLUMNS} FROM ${page.from} WHERE ${page.conds.join(' AND ')} ORDER BY ${DAY_ORDERS[q.sort]} LIMIT ${n} OFFSET ${params.add(q.offset, 'int')}`,
      params.values,
    ) as Promise<DayKeyRow[]>,
    listingTotal(db, DAYS, { ...q, topic: src.topics, from: q.day, to: q.day }, src.counts, countSql, countParams),
  ]);
  return { ids: rows.map((r) => r.paper_id), keys: rows.map((r) => dayOrderKey(keyed ?? 'rank', r)), total };
}

/**
 * A row's place in a day's rank order (the cursor of a day's next page): its upvotes (null: none), its capture
 * position (null: none), when it was sighted (UTC, to the microsecond), its paper id.
 */
export type DayRankKey = [number | null, number | null, string, string];
/** A row's place in a day by publication: when it was sighted that day (UTC, to the microsecond), its paper id. */
export type DayPublishedKey = [string, string];
/** A row's place in a day by trend: its paper's trend key (-Infinity: no signal), then as by publication. */
export type DayTrendKey = [number, string, string];
/** The orders of a day a page is read from by keyset (`source`, HF's own, pages by `p` only). */
export type DayKeyedSort = 'rank' | 'published' | 'trending';
export type DayOrderKey = DayRankKey | DayPublishedKey | DayTrendKey;

/** A day's rank order (the Daily Papers page's), idx_paper_days_rank's after the day. */
const RANK_ORDER = 'd.upvotes DESC NULLS LAST, d.capture_pos ASC NULLS LAST, d.sighted_at DESC, d.paper_id';
/** Each order of a day, in the order of its index after the day (a page of it is a walk of that index). */
const DAY_ORDERS: Record<ListingSort, string> = {
  rank: RANK_ORDER,
  // idx_paper_days_source (migration 1796150000001)
  source: 'd.capture_pos ASC NULLS LAST, d.upvotes DESC NULLS LAST, d.sighted_at DESC, d.paper_id',
  // idx_paper_days_published, idx_paper_days_trend (migration 1796230000000)
  published: 'd.sighted_at DESC, d.paper_id DESC',
  trending: 'd.trend_key DESC, d.sighted_at DESC, d.paper_id DESC',
};
const RANK_KEY_COLUMNS = `d.upvotes AS rank_upvotes, d.capture_pos AS rank_capture_pos, ${utcMicros('d.sighted_at')} AS rank_sighted_at`;
/** What a row's key in any day order is made of. */
const DAY_KEY_COLUMNS = `${RANK_KEY_COLUMNS}, d.trend_key AS order_trend_key`;
interface RankKeyRow {
  paper_id: string;
  rank_upvotes: number | null;
  rank_capture_pos: string | number | null;
  rank_sighted_at: string;
}
type DayKeyRow = RankKeyRow & { order_trend_key: number };
const dayRankKey = (r: RankKeyRow): DayRankKey => [
  r.rank_upvotes,
  r.rank_capture_pos === null ? null : Number(r.rank_capture_pos),
  r.rank_sighted_at,
  r.paper_id,
];
function dayOrderKey(sort: DayKeyedSort, r: DayKeyRow): DayOrderKey {
  if (sort === 'published') return [r.rank_sighted_at, r.paper_id];
  if (sort === 'trending') return [Number(r.order_trend_key), r.rank_sighted_at, r.paper_id];
  return dayRankKey(r);
}

/**
 * The rows of a day listing (alias d) after `k` in `sort`'s order, `n` of them at most. By publication and by trend one
 * row comparison in the index's order (the range of idx_paper_days_published / _trend after the day that follows the
 * key); in rank order afterRank's ranges.
 */
function afterDayKey(params: SqlParams, src: { from: string; conds: string[] }, sort: DayKeyedSort, k: DayOrderKey, n: string): { from: string; conds: string[] } {
  if (sort === 'rank') return afterRank(params, src, k as DayRankKey, n);
  const [at, id] = sort === 'published' ? (k as DayPublishedKey) : ((k as DayTrendKey).slice(1) as DayPublishedKey);
  const tail = `${params.add(at, 'timestamptz')}, ${params.add(id, 'uuid')}`;
  const cond = sort === 'published' ? `(d.sighted_at, d.paper_id) < (${tail})` : `(d.trend_key, d.sighted_at, d.paper_id) < (${params.add((k as DayTrendKey)[0], 'float8')}, ${tail})`;
  return { from: src.from, conds: [...src.conds, cond] };
}

/**
 * The rows of a day listing (alias d) after `k` in rank order, `n` of them at most. The rows after a key are, in rank
 * order, up to six disjoint ranges (same upvotes, capture position and time, a later id; same upvotes and position,
 * an earlier time; same upvotes, a later position, then none; fewer upvotes, then none), each an index range of
 * idx_paper_days_rank after the day: walking the day's rows, each range is read from its start for at most `n` rows
 * (UNION ALL of the ranges, the few rows sorted again), never from the day's first row as an OFFSET does. From a
 * topic's few rows (daySource), the ranges are a filter.
 */
function afterRank(params: SqlParams, src: { from: string; conds: string[] }, k: DayRankKey, n: string): { from: string; conds: string[] } {
  const [u, c, s, id] = k;
  const uEq = u === null ? 'd.upvotes IS NULL' : `d.upvotes = ${params.add(u, 'int')}`;
  const cEq = c === null ? 'd.capture_pos IS NULL' : `d.capture_pos = ${params.add(c, 'bigint')}`;
  const at = params.add(s, 'timestamptz');
  const ranges = [`${uEq} AND ${cEq} AND d.sighted_at = ${at} AND d.paper_id > ${params.add(id, 'uuid')}`, `${uEq} AND ${cEq} AND d.sighted_at < ${at}`];
  if (c !== null) ranges.push(`${uEq} AND d.capture_pos > ${params.add(c, 'bigint')}`, `${uEq} AND d.capture_pos IS NULL`);
  if (u !== null) ranges.push(`d.upvotes < ${params.add(u, 'int')}`, 'd.upvotes IS NULL');
  if (src.from !== 'paper_days d') return { from: src.from, conds: [...src.conds, `(${ranges.map((r) => `(${r})`).join(' OR ')})`] };
  const each = ranges.map((r) => `(SELECT d.* FROM paper_days d WHERE ${[...src.conds, r].join(' AND ')} ORDER BY ${RANK_ORDER} LIMIT ${n})`);
  return { from: `(${each.join(' UNION ALL ')}) d`, conds: ['true'] };
}

/**
 * Where a day listing's rows (alias d, paper_days) come from. Unfiltered, or by topics common on the day: the day's
 * rows, a topic an EXISTS probe per row walked (the walk reaches the page's last row after about rows × day / topics'
 * papers rows). By topics rare on the day (rareIn, from topic_day_counts): their few papers of the day in
 * topic_day_papers, each paper's row of the day by primary key, then sorted (a walk would read most of the day to fill
 * a page; a topic with no paper on it, the whole day). `rows`: the page's end (offset + limit + 1).
 */
async function daySource(
  db: Db,
  params: SqlParams,
  q: { day: string; topic?: readonly string[] },
  rows: number,
): Promise<{ from: string; conds: string[]; topics: string[]; counts: ListingCounts | null }> {
  const topics = [...new Set(q.topic ?? [])];
  const counts = topics.length ? await listingCounts(db, DAYS, topics, q.day, q.day) : null;
  const d = params.add(q.day, 'date');
  if (counts && rareIn(counts, rows))
    return {
      from: `${topicPapers(params, DAYS, topics, d, d)} CROSS JOIN LATERAL (SELECT * FROM paper_days d WHERE d.paper_id = x.paper_id AND d.day = ${d} OFFSET 0) d`,
      conds: ['true'],
      topics,
      counts,
    };
  const conds = [`d.day = ${d}`, ...listingFilters(params, { topic: topics }, 'd.paper_id', null)];
  return { from: 'paper_days d', conds, topics, counts };
}

/** The count tables of a kind of listing: per (topic, day) counts ('' = in all) and the (topic, day, paper) rows. */
interface CountTables {
  counts: 'first_day_counts' | 'topic_day_counts';
  rows: 'topic_first_papers' | 'topic_day_papers';
}
/** Weeks and months: papers by their first day (migration 1796120000000). */
const FIRST_DAYS: CountTables = { counts: 'first_day_counts', rows: 'topic_first_papers' };
/** Days: papers on each day they are listed (migrations 1796096000000, 1796120000000). */
const DAYS: CountTables = { counts: 'topic_day_counts', rows: 'topic_day_papers' };

/** A listing's papers in [from, to], in all and per topic (rareIn, listingTotal). */
interface ListingCounts {
  all: number;
  /** per topic asked for (0 for none in it) */
  topics: number[];
}

async function listingCounts(db: Db, t: CountTables, topics: readonly string[], from: string, to: string): Promise<ListingCounts> {
  const rows = await namedQuery<{ topic_slug: string; n: number }>(
    db,
    `pw_${t.counts}_listing`,
    `SELECT t.slug AS topic_slug, (SELECT coalesce(sum(c.papers), 0) FROM ${t.counts} c
                                    WHERE c.topic_slug = t.slug AND c.day >= $2::date AND c.day <= $3::date)::int AS n
       FROM unnest($1::text[]) AS t(slug)`,
    [['', ...topics], from, to],
  );
  const by = new Map(rows.map((r) => [r.topic_slug, r.n]));
  return { all: by.get('') ?? 0, topics: topics.map((t) => by.get(t) ?? 0) };
}

/**
 * Whether reading the topics' papers (at most `sum(topics)` rows) costs less than walking the listing to the page's end
 * (`rows` = offset + limit + 1 matches, about rows × all / sum(topics) rows walked): sum² ≤ rows × all. Either way a
 * read costs at most about √(rows × listing's size).
 */
export function rareIn(c: ListingCounts, rows: number): boolean {
  const sum = c.topics.reduce((a, b) => a + b, 0);
  return sum * sum <= rows * c.all;
}

/** Each paper of the topics in [from, to] once (alias x), from their rows in `t.rows` (index-only ranges). */
function topicPapers(params: SqlParams, t: CountTables, topics: string[], from: string, to: string): string {
  return `(SELECT DISTINCT x.paper_id FROM ${t.rows} x WHERE x.topic_slug = ANY(${params.add(topics, 'text[]')}) AND x.day >= ${from} AND x.day <= ${to}) x`;
}

/**
 * A listing's total under its filters: unfiltered or for one topic alone, a sum over `t.counts` (a few small index
 * ranges, whatever the listing's size; `counts` when read already); several topics, their distinct papers in `t.rows`;
 * with a submitter or a query, `countSql` (the page's rows under the filters).
 */
async function listingTotal(
  db: Db,
  t: CountTables,
  q: { from: string; to: string; topic: string[]; submitter?: string; q?: string },
  counts: ListingCounts | null,
  countSql: string,
  params: unknown[],
): Promise<number> {
  if (!q.submitter && !q.q && q.topic.length <= 1) {
    if (counts) return counts.topics[0];
    return t === DAYS ? topicDayTotal(db, '', q.from) : firstDaysTotal(db, null, q.from, q.to);
  }
  if (!q.submitter && !q.q) {
    const [row] = await namedQuery<{ n: number }>(
      db,
      `pw_${t.rows}_total`,
      `SELECT count(DISTINCT paper_id)::int AS n FROM ${t.rows} WHERE topic_slug = ANY($1::text[]) AND day >= $2::date AND day <= $3::date`,
      [q.topic, q.from, q.to],
    );
    return row?.n ?? 0;
  }
  const rows = (await db.query(countSql, params)) as { n: number }[];
  return rows[0]?.n ?? 0;
}

export interface RangeRow {
  paper_id: string;
  trend_key: number | null;
  /** the row's t0 to the microsecond, as a cursor carries it (utcMicros) */
  t0_key: string;
}

/**
 * A week or a month: papers whose first appearance falls in [from, to], `limit + 1` rows by keyset (`after`)
 * or offset, and the period's total under the filters (listingTotal over first_day_counts / topic_first_papers).
 * - Unfiltered, or by topics common in the period: through the period's index, by trend (week0 / month0 = from)
 *   unless `byTrend` is false (t0), a topic an EXISTS probe per row walked.
 * - By topics rare in the period (rareIn, from first_day_counts): their papers of the period in topic_first_papers,
 *   one primary-key lookup of paper_read each, sorted: a walk would read most of the period to fill the page.
 */
export async function listedRangePage(
  db: Db,
  q: ListingFilters & {
    kind: 'week' | 'month';
    from: string;
    to: string;
    byTrend: boolean;
    /** byTrend: [trend key (float, -Infinity for none), t0, id]; else [t0, id] (t0 to the microsecond: utcMicros) */
    after?: readonly (string | number)[];
    limit: number;
    offset: number;
  },
): Promise<{ rows: RangeRow[]; total: number }> {
  const topics = [...new Set(q.topic ?? [])];
  const counts = topics.length ? await listingCounts(db, FIRST_DAYS, topics, q.from, q.to) : null;
  const params = new SqlParams();
  let from: string;
  let conds: string[];
  if (counts && rareIn(counts, q.offset + q.limit + 1)) {
    // (each paper's read row by primary key: OFFSET 0 keeps it a per-row lookup)
    from = `${topicPapers(params, FIRST_DAYS, topics, params.add(q.from, 'date'), params.add(q.to, 'date'))}
             CROSS JOIN LATERAL (SELECT * FROM paper_read r WHERE r.paper_id = x.paper_id OFFSET 0) r`;
    conds = ['true', ...listingFilters(params, { submitter: q.submitter }, 'r.paper_id', 'r')];
  } else {
    const col = q.kind === 'week' ? 'week0' : 'month0';
    from = 'paper_read r';
    conds = q.byTrend
      ? [`r.${col} = ${params.add(q.from, 'date')}`]
      : [`r.t0 >= ${params.add(q.from, 'date')}::timestamptz`, `r.t0 < (${params.add(q.to, 'date')} + 1)::timestamptz`];
    conds.push(...listingFilters(params, q, 'r.paper_id', 'r'));
  }
  const countSql = `SELECT count(*)::int AS n FROM ${from} WHERE ${conds.join(' AND ')}`;
  const countParams = params.values.slice();
  const tk = `coalesce(r.trend_key, '-Infinity'::float8)`;
  const k = q.after;
  if (k) {
    if (q.byTrend)
      conds.push(
        `(${tk}, r.t0, r.paper_id) < (${params.add(k[0], 'float8')}, ${params.add(k[1], 'timestamptz')}, ${params.add(k[2], 'uuid')})`,
      );
    else conds.push(`(r.t0, r.paper_id) < (${params.add(k[0], 'timestamptz')}, ${params.add(k[1], 'uuid')})`);
  }
  const order = q.byTrend ? `${tk} DESC, r.t0 DESC, r.paper_id DESC` : 'r.t0 DESC, r.paper_id DESC';
  const [rows, total] = await Promise.all([
    db.query(
      `SELECT r.paper_id, r.trend_key, ${utcMicros('r.t0')} AS t0_key FROM ${from} WHERE ${conds.join(' AND ')} ORDER BY ${order}
          LIMIT ${params.add(q.limit + 1, 'int')} OFFSET ${params.add(q.offset, 'int')}`,
      params.values,
    ) as Promise<RangeRow[]>,
    listingTotal(db, FIRST_DAYS, { ...q, topic: topics }, counts, countSql, countParams),
  ]);
  return { rows, total };
}

/**
 * The lowest trend key a paper of the window can have: a signal is a whole number, so ln(signal) ≥ 0 and a paper
 * whose t0 is at or after the window's start has trend_key ≥ the key of a signal of 1 at that start. Given to the
 * walk of idx_paper_read_trend as a bound, it stops the walk there: without it a window with few or no papers walked
 * every signalled paper of the catalogue (an empty 30-day window: 8,010 buffers, 148 ms at 1M papers). Older papers
 * above the bound are those whose signal outgrew their age (2^(hours older / half-life)), a handful. Lowered by a
 * margin far above the rounding of float8 keys (~1e-12 at today's ~7,000), so no paper at the start is lost.
 */
export function windowKeyFloor(now: Date, hours: number): number {
  return (DECAY_PER_HOUR * (now.getTime() - hours * 3_600_000)) / 3_600_000 - 1e-6;
}

/**
 * Read-model rows (alias r) that have a signal and first appeared within `hours` before `now`, and the listing
 * filters. A topic is an EXISTS probe of paper_topics' primary key per row walked, only when one is given: the
 * `$n IS NULL OR EXISTS (…)` form was planned as a hashed subplan that first read every paper_topics row of the
 * topic (all time: 30k rows, 8.8k buffers, 150-220 ms at 200k papers) before walking the trend index.
 */
function trendWindowConds(params: SqlParams, q: ListingFilters & { now: Date; hours: number }): string[] {
  return [
    'r.trend_key IS NOT NULL',
    // (an InitPlan's value: a bound of the index walk at run time that the planner cannot read. Given the constant,
    // it estimated the few rows above it and hashed the topic's every paper_topics row, or bitmap-ANDed the t0 index
    // and sorted the window, both costing the catalogue or the window where the walk stops at a page)
    `r.trend_key >= (SELECT ${params.add(windowKeyFloor(q.now, q.hours), 'float8')})`,
    // and the window's start a filter of that walk, out of reach of the t0 index (with it, the planner bitmap-ANDed
    // the two and sorted the whole window)
    `r.t0 + interval '0 hours' >= ${params.add(q.now.toISOString(), 'timestamptz')} - make_interval(hours => ${params.add(q.hours, 'int')})`,
    ...listingFilters(params, q, 'r.paper_id', 'r'),
  ];
}

/** Papers that first appeared within `hours` before `now` and have a signal, by trend_key: `limit + 1` rows. */
export function trendingWindowPage(
  db: Db,
  q: ListingFilters & {
    now: Date;
    hours: number;
    after?: readonly [number, string];
    limit: number;
    offset: number;
  },
): Promise<{ paper_id: string; trend_key: number }[]> {
  const params = new SqlParams();
  const conds = trendWindowConds(params, q);
  if (q.after)
    conds.push(
      `(r.trend_key, r.paper_id) < (${params.add(q.after[0], 'float8')}, ${params.add(q.after[1], 'uuid')})`,
    );
  return db.query(
    `SELECT r.paper_id, r.trend_key FROM paper_read r WHERE ${conds.join(' AND ')}
        ORDER BY ${TREND_ORDER} LIMIT ${params.add(q.limit + 1, 'int')} OFFSET ${params.add(q.offset, 'int')}`,
    params.values,
  );
}

/**
 * How many papers the trending window lists, counted up to `cap + 1` (the caller says "cap+" beyond): a walk of
 * idx_paper_read_t0 from now back to the window's start that stops at the cap. The trend index walk the page takes
 * would also pass every older paper whose signal keeps it above the window's key floor (24 h at 1M papers: ~10k rows,
 * 11k buffers against 1.3k this way); this walk costs at most the window, or the cap's share of signalled papers.
 */
export async function trendingWindowCount(db: Db, q: ListingFilters & { now: Date; hours: number; cap: number }): Promise<number> {
  const params = new SqlParams();
  const conds = [
    'r.trend_key IS NOT NULL',
    `r.t0 >= ${params.add(q.now.toISOString(), 'timestamptz')} - make_interval(hours => ${params.add(q.hours, 'int')})`,
    ...listingFilters(params, q, 'r.paper_id', 'r'),
  ];
  const rows: { n: number }[] = await db.query(
    `SELECT count(*)::int AS n FROM (SELECT 1 FROM paper_read r WHERE ${conds.join(' AND ')}
        ORDER BY r.t0 DESC, r.paper_id DESC LIMIT ${params.add(q.cap + 1, 'int')}) w`,
    params.values,
  );
  return rows[0].n;
}

/**
 * A day's papers ranked like the Daily Papers page: upvotes (max over the day's sightings) first, then a
 * text capture's own order, then recency of the sighting, then id (a total order, so paging by offset is
 * stable); or (`sort`) by publication on the day, or by trend (DAY_ORDERS). `after` a row's `key`: the next page by
 * keyset from there (afterDayKey), each order an index. And the day's total under the same filters.
 */
export async function dailyCardRows(
  db: Db,
  q: { day: string; sort?: DayKeyedSort; topic?: string[]; q?: string; limit: number; offset: number; after?: DayOrderKey },
): Promise<{ rows: (CardPaperRow & { day_upvotes: number | null; key: DayOrderKey })[]; total: number }> {
  const sort = q.sort ?? 'rank';
  const params = new SqlParams();
  const src = await daySource(db, params, q, q.offset + q.limit + 1);
  const conds = [...src.conds];
  // A query that is a paper id or link lists that paper, or none (searchedPaperIds), else its text is searched.
  const named = q.q ? await searchedPaperIds(db, q.q) : null;
  if (named) conds.push(`d.paper_id = ANY(${params.add(named.map((p) => p.id), 'uuid[]')})`);
  else if (q.q)
    conds.push(
      `EXISTS (SELECT 1 FROM paper_search s WHERE s.paper_id = d.paper_id AND s.search @@ (${searchTsQuerySql(q.q, params)}))`,
    );
  const countSql = `SELECT count(*)::int AS n FROM ${src.from} WHERE ${conds.join(' AND ')}`;
  const countParams = params.values.slice();
  const n = params.add(q.limit, 'int');
  const page = q.after ? afterDayKey(params, { from: src.from, conds }, sort, q.after, n) : { from: src.from, conds };
  const [rows, total] = await Promise.all([
    db.query(
      `SELECT ${CARD_PAPER_COLUMNS}, d.upvotes AS day_upvotes, d.sighted_at, ${DAY_KEY_COLUMNS}
           FROM ${page.from} JOIN papers p ON p.id = d.paper_id
          WHERE ${page.conds.join(' AND ')}
          ORDER BY ${DAY_ORDERS[sort]}
          LIMIT ${n} OFFSET ${params.add(q.offset, 'int')}`,
      params.values,
    ) as Promise<(CardPaperRow & { day_upvotes: number | null } & Omit<DayKeyRow, 'paper_id'>)[]>,
    listingTotal(db, DAYS, { ...q, topic: src.topics, from: q.day, to: q.day }, src.counts, countSql, countParams),
  ]);
  return { rows: rows.map((r) => ({ ...r, key: dayOrderKey(sort, { ...r, paper_id: r.id }) })), total };
}

/** The `limit` most trending papers that first appeared within `hours` before `now`, as card rows. */
export function trendingCardRows(
  db: Db,
  q: { now: Date; hours: number; topic?: string[]; limit: number },
): Promise<(CardPaperRow & { trend_key: number })[]> {
  const params = new SqlParams();
  const conds = trendWindowConds(params, q);
  return db.query(
    `SELECT ${CARD_PAPER_COLUMNS}, r.t0 AS sighted_at
         FROM paper_read r JOIN papers p ON p.id = r.paper_id
        WHERE ${conds.join(' AND ')}
        ORDER BY ${TREND_ORDER}
        LIMIT ${params.add(q.limit, 'int')}`,
    params.values,
  );
}
