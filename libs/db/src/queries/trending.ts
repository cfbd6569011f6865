import type { DataSource, EntityManager } from 'typeorm';
import { returnedRows } from './sql';

type Db = DataSource | EntityManager;

/**
 * The trending score, HN-style: community signal divided by a power of the age.
 *
 *   signal = Σ upvotes + 2·Σ comments + 5·ln(1 + max github_stars) + 3·(number of sightings)
 *   age_h  = hours since the paper's latest sighting day (featured_at, else first_seen_at)
 *   score  = signal / (age_h + 2)^1.5
 *
 * Comments weigh twice an upvote (they cost more effort); stars are logged so one famous repo does not
 * drown the daily signal; each sighting (HF, arXiv RSS, uploads…) adds 3 so cross-source papers rise and
 * a paper with no community signal still ranks by recency. Decay comes from the age term, so scores
 * must be recomputed periodically (the reconciler does it) as well as when signals change.
 */
export const TRENDING_WEIGHTS = {
  upvote: 1,
  comment: 2,
  star: 5,
  sighting: 3,
  gravity: 1.5,
  offsetHours: 2,
} as const;

/** The signals of a paper's sightings, aggregated as `recomputeTrending` does. */
export interface TrendingSignal {
  upvotes: number;
  comments: number;
  /** the largest github star count among the sightings */
  stars: number;
  sightings: number;
  /** the latest sighting's visible time: featured_at, else first_seen_at */
  seenAt: Date;
}

/**
 * The same score in TypeScript, for a paper whose signals are known without a query: the parser
 * writes it with a brand-new paper (one sighting), which saves a second write of the row. A spec
 * holds it equal to the SQL of `recomputeTrending`.
 */
export function trendingScore(s: TrendingSignal, now: Date = new Date()): number {
  const w = TRENDING_WEIGHTS;
  const signal = w.upvote * s.upvotes + w.comment * s.comments + w.star * Math.log(1 + Math.max(s.stars, 0)) + w.sighting * s.sightings;
  const ageHours = Math.max((now.getTime() - s.seenAt.getTime()) / 3_600_000, 0);
  return signal / Math.pow(ageHours + w.offsetHours, w.gravity);
}

/** SQL expression (alias `ps` = paper_sources) for when a sighting became visible. */
export const SIGHTING_AT_SQL = 'coalesce(ps.featured_at, ps.first_seen_at)';

/**
 * Recomputes `papers.trending_score` for the given papers (papers sighted in the last 30 days when omitted) in
 * one statement over paper_sources aggregates. Only the score column changes: no stage, hash or
 * classification timestamp is touched, so later stages never re-run. Returns the number of rows updated
 * (rows whose score did not change are skipped).
 */
export async function recomputeTrending(
  db: Db,
  paperIds?: readonly string[],
  now: Date = new Date(),
): Promise<number> {
  if (paperIds && paperIds.length === 0) return 0;
  const w = TRENDING_WEIGHTS;
  const res: unknown = await db.query(
    `WITH agg AS (
       SELECT ps.paper_id,
              coalesce(sum(ps.upvotes), 0)::float8 AS upvotes,
              coalesce(sum(ps.comments), 0)::float8 AS comments,
              coalesce(max(ps.github_stars), 0)::float8 AS stars,
              count(*)::float8 AS sightings,
              max(${SIGHTING_AT_SQL}) AS seen_at
         FROM paper_sources ps
        WHERE ($1::uuid[] IS NULL
               -- The decay pass reads the recent papers through the read model's t0 index, never
               -- the whole of paper_sources.
               AND ps.paper_id IN (SELECT r.paper_id FROM paper_read r WHERE r.t0 > $2::timestamptz - interval '30 days'))
           OR ps.paper_id = ANY($1::uuid[])
        GROUP BY ps.paper_id
        -- The periodic decay pass (no ids) only touches papers seen in the last 30 days: older scores
        -- are already near zero, and a catalogue-wide UPDATE every minute would not be.
       HAVING $1::uuid[] IS NOT NULL OR max(${SIGHTING_AT_SQL}) > $2::timestamptz - interval '30 days'
     ), scored AS (
       SELECT paper_id,
              (${w.upvote} * upvotes + ${w.comment} * comments + ${w.star} * ln(1 + greatest(stars, 0)) + ${w.sighting} * sightings)
                / power(greatest(extract(epoch FROM ($2::timestamptz - seen_at)) / 3600.0, 0) + ${w.offsetHours}, ${w.gravity}) AS score
         FROM agg
     )
     UPDATE papers p SET trending_score = s.score
       FROM scored s
      WHERE p.id = s.paper_id
        -- A change under 1% does not reorder anything worth a row write.
        AND abs(p.trending_score - s.score) > 0.01 * greatest(abs(s.score), 1e-9)
     RETURNING p.id`,
    [paperIds ? [...paperIds] : null, now.toISOString()],
  );
  return returnedRows<{ id: string }>(res).length;
}
