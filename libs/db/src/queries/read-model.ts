import type { DataSource, EntityManager } from 'typeorm';

type Db = DataSource | EntityManager;

/**
 * Trending (decided for issue #16, documented in services/api/src/daily/README.md):
 *
 *   signal    = upvotes + 2·comments + 3·(distinct sources − 1) + GitHub stars   (max over sightings)
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

export function trendSignal(s: { upvotes: number | null; comments: number | null; stars: number | null; sources: number }): number {
  const w = TREND_WEIGHTS;
  return w.upvote * (s.upvotes ?? 0) + w.comment * (s.comments ?? 0) + w.extraSource * Math.max(s.sources - 1, 0) + w.star * (s.stars ?? 0);
}

export function trendKey(signal: number, t0: Date): number | null {
  return signal > 0 ? Math.log(signal) + (DECAY_PER_HOUR * t0.getTime()) / 3_600_000 : null;
}

/** The decayed score at `now` from a stored trend_key (null stays null). */
export function trendScore(key: number | null, now: Date = new Date()): number | null {
  return key === null || key === undefined ? null : Math.exp(key - (DECAY_PER_HOUR * now.getTime()) / 3_600_000);
}

/**
 * When a sighting (alias ps, paper alias p) put the paper on a day: HF's submittedOnDailyAt or the
 * RSS announcement (featured_at), else the arXiv API/OAI publication date, else when PaperWire first
 * saw it (uploads, text captures). A paper's t0 is the earliest of these over its sightings.
 */
export const SIGHTING_DAY_AT_SQL = `CASE WHEN ps.featured_at IS NOT NULL THEN ps.featured_at
  WHEN ps.source_kind IN ('arxiv-api', 'arxiv-oai') THEN coalesce(p.published_at, ps.first_seen_at)
  ELSE ps.first_seen_at END`;

const utc = (ts: string) => `(${ts} AT TIME ZONE 'UTC')`;

/** The read-model rows of the papers matching `filter` (a condition on ps), computed from the source rows. */
function paperReadSelect(filter: string): string {
  const w = TREND_WEIGHTS;
  return `WITH agg AS (
      SELECT ps.paper_id,
             min(${SIGHTING_DAY_AT_SQL}) AS t0,
             min(ps.featured_at) AS featured_at,
             max(ps.upvotes) AS upvotes, max(ps.comments) AS comments, max(ps.github_stars) AS stars,
             count(DISTINCT ps.source_id)::int AS sources,
             (array_agg(ps.submitted_by ORDER BY ps.featured_at NULLS LAST, ps.first_seen_at) FILTER (WHERE ps.submitted_by IS NOT NULL))[1] AS submitted_by
        FROM paper_sources ps JOIN papers p ON p.id = ps.paper_id
       WHERE ${filter}
       GROUP BY ps.paper_id
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

const PAPER_READ_COLUMNS = 'paper_id, t0, day0, week0, month0, featured_at, upvotes, comments, stars, sources, submitted_by, signal, trend_key';

function paperDaysSelect(filter: string): string {
  return `days AS (
      SELECT ps.paper_id, ${utc(SIGHTING_DAY_AT_SQL)}::date AS day, max(ps.upvotes) AS upvotes, max(${SIGHTING_DAY_AT_SQL}) AS sighted_at
        FROM paper_sources ps JOIN papers p ON p.id = ps.paper_id
       WHERE ${filter}
       GROUP BY 1, 2
    )`;
}

/** Fills an empty read model from the source rows (the migration, and bench datasets made with COPY). */
export const REBUILD_READ_MODEL_SQL = `${paperReadSelect('true')}
  INSERT INTO paper_read (${PAPER_READ_COLUMNS}) SELECT ${PAPER_READ_COLUMNS} FROM rows;
  WITH ${paperDaysSelect('true')}
  INSERT INTO paper_days (paper_id, day, upvotes, sighted_at) SELECT paper_id, day, upvotes, sighted_at FROM days`;

export async function rebuildReadModel(db: Db): Promise<void> {
  await db.query('TRUNCATE paper_read, paper_days');
  for (const sql of REBUILD_READ_MODEL_SQL.split(';\n')) await db.query(sql);
}

/** Where a text capture listed a paper: its sighting from `sourceId` ranks at `pos` on that sighting's day. */
export interface CapturePosition {
  paperId: string;
  sourceId: string;
  pos: number;
}

/**
 * Brings the read model of these papers in line with their source rows: two set-based statements
 * whose cost is that of the papers' own sightings (index lookups by paper_id), never of the catalogue.
 * Run it in the transaction that wrote the papers / sightings (the parser does), so a listing never
 * shows a state the source rows did not have. Rows are written in paper_id order (no deadlock between
 * two parsers sharing papers; the parser also holds the papers' row locks). Unchanged rows are not
 * rewritten. Returns how many paper_read rows changed.
 */
export async function refreshReadModel(db: Db, paperIds: readonly string[], captures: readonly CapturePosition[] = []): Promise<number> {
  if (paperIds.length === 0) return 0;
  const ids = [...new Set(paperIds)].sort();
  const res: { n: number }[] = await db.query(
    `${paperReadSelect('ps.paper_id = ANY($1::uuid[])')}, up AS (
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
       DELETE FROM paper_read r WHERE r.paper_id = ANY($1::uuid[]) AND NOT EXISTS (SELECT 1 FROM rows WHERE rows.paper_id = r.paper_id)
       RETURNING 1
     )
     SELECT ((SELECT count(*) FROM up) + (SELECT count(*) FROM gone))::int AS n`,
    [ids],
  );
  await db.query(
    `WITH ${paperDaysSelect('ps.paper_id = ANY($1::uuid[])')}, cap AS (
       SELECT c.paper_id, ${utc(SIGHTING_DAY_AT_SQL)}::date AS day, min(c.pos) AS pos
         FROM jsonb_to_recordset($2::jsonb) AS c(paper_id uuid, source_id uuid, pos bigint)
         JOIN paper_sources ps ON ps.paper_id = c.paper_id AND ps.source_id = c.source_id
         JOIN papers p ON p.id = ps.paper_id
        GROUP BY 1, 2
     ), gone AS (
       DELETE FROM paper_days pd WHERE pd.paper_id = ANY($1::uuid[])
          AND NOT EXISTS (SELECT 1 FROM days d WHERE d.paper_id = pd.paper_id AND d.day = pd.day)
     )
     INSERT INTO paper_days (paper_id, day, upvotes, capture_pos, sighted_at)
     SELECT d.paper_id, d.day, d.upvotes, cap.pos, d.sighted_at FROM days d LEFT JOIN cap ON cap.paper_id = d.paper_id AND cap.day = d.day
      ORDER BY d.paper_id, d.day
     ON CONFLICT (paper_id, day) DO UPDATE SET upvotes = EXCLUDED.upvotes, sighted_at = EXCLUDED.sighted_at,
            capture_pos = coalesce(EXCLUDED.capture_pos, paper_days.capture_pos)
      WHERE (paper_days.upvotes, paper_days.sighted_at) IS DISTINCT FROM (EXCLUDED.upvotes, EXCLUDED.sighted_at)
         OR (EXCLUDED.capture_pos IS NOT NULL AND EXCLUDED.capture_pos IS DISTINCT FROM paper_days.capture_pos)`,
    [ids, JSON.stringify(captures.map((c) => ({ paper_id: c.paperId, source_id: c.sourceId, pos: c.pos })))],
  );
  return res[0]?.n ?? 0;
}
