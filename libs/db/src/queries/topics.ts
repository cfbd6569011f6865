import type { DataSource, EntityManager } from 'typeorm';
import { sourceNameKey } from '@paperwire/contracts';
import { SORT_AT } from './paper-filters';
import { returnedRows } from './sql';

export interface TopicRow {
  slug: string;
  name: string;
  description: string;
  keywords: string[];
  examples: { title: string; abstract: string }[];
  origin: string;
  enabled: boolean;
}

/** Inserts topics that are missing; `overwrite` also refreshes existing rows of the same origin. */
export async function seedTopics(
  db: DataSource | EntityManager,
  topics: { slug: string; name: string; description: string; keywords?: string[] }[],
  origin: string,
  overwrite = false,
): Promise<number> {
  if (topics.length === 0) return 0;
  const rows: unknown[] = await db.query(
    `INSERT INTO topics (slug, name, description, keywords, origin)
     SELECT x.slug, x.name, x.description, coalesce(x.keywords, '{}'), $2 FROM jsonb_to_recordset($1::jsonb) AS x(slug text, name text, description text, keywords text[])
     ON CONFLICT (slug) DO ${overwrite ? `UPDATE SET name = EXCLUDED.name, description = EXCLUDED.description, keywords = EXCLUDED.keywords, updated_at = now() WHERE topics.origin = $2` : 'NOTHING'}
     RETURNING slug`,
    [JSON.stringify(topics.map((t) => ({ ...t, keywords: t.keywords ?? [] }))), origin],
  );
  return rows.length;
}

export async function loadTopics(db: DataSource | EntityManager): Promise<TopicRow[]> {
  return db.query(`SELECT slug, name, description, keywords, examples, origin, enabled FROM topics WHERE enabled ORDER BY slug`);
}

/** A fingerprint of the enabled taxonomy, so a classifier notices edits. */
export async function topicsFingerprint(db: DataSource | EntityManager): Promise<string> {
  const rows: { f: string | null }[] = await db.query(
    `SELECT md5(string_agg(slug || ':' || extract(epoch from updated_at)::text, ',' ORDER BY slug)) AS f FROM topics WHERE enabled`,
  );
  return rows[0]?.f ?? 'empty';
}

/** An enabled topic with its paper counts: all, primary, and by listing date over the last 7/14/30/60 days. */
export interface TopicCountsRow {
  slug: string;
  name: string;
  description: string;
  origin: string;
  papers: number;
  primary_count: number;
  last7: number;
  prev7: number;
  last30: number;
  prev30: number;
}

/** Below this many paper_topics rows (planner estimate) the all-time counts are exact; above, a fixed-size sample. */
export const EXACT_TOPIC_COUNT_BELOW = 300_000;
const TOPIC_SAMPLE_ROWS = 20_000;

/** The 7/30-day window counts of `of` over rows with the listing date `at` (publication date, else the day a source featured it, else first seen). */
const windowCounts = (at: string, of = '*') =>
  `count(${of}) FILTER (WHERE ${at} >= now() - interval '7 days')::int AS last7,
   count(${of}) FILTER (WHERE ${at} >= now() - interval '14 days' AND ${at} < now() - interval '7 days')::int AS prev7,
   count(${of}) FILTER (WHERE ${at} >= now() - interval '30 days')::int AS last30,
   count(${of}) FILTER (WHERE ${at} >= now() - interval '60 days' AND ${at} < now() - interval '30 days')::int AS prev30`;

/** How long a refresh keeps the rollup trusted at least (and when no sweep period is given). */
export const TOPIC_COUNTS_FRESH_SECONDS = 300;

/**
 * How long a refresh keeps the rollup trusted, for a sweeper that sweeps every `everySeconds`
 * (RECONCILE_EVERY_SECONDS): max(300 s, 3 periods). A sweep refreshes the rollup at most every 50 s, so it is
 * refreshed every max(period, ~50 s); three periods let one or two sweeps be late or lost (a slow sweep, a
 * restart) before a listing computes the counts itself, and a period of 300 s or more never leaves a gap. The
 * refresh writes the end of the window into the rollup (stale_at): readers need not know the sweeper's period.
 * The counts are up to one period old (at least ~50 s).
 */
export function topicCountsFreshSeconds(everySeconds = 0): number {
  return Math.max(TOPIC_COUNTS_FRESH_SECONDS, 3 * everySeconds);
}

/**
 * The planner's count of paper_topics rows, whether topic_counts is still trusted (stale_at not reached), and when
 * the sweeper last wrote it (null: never).
 */
async function topicCountState(db: DataSource | EntityManager): Promise<{ total: number; fresh: boolean; refreshedAt: Date | null }> {
  const rows: { n: number | null; fresh: boolean; refreshed_at: Date | null }[] = await db.query(
    `SELECT (SELECT reltuples::float8 FROM pg_class WHERE oid = to_regclass('paper_topics')) AS n,
            EXISTS (SELECT 1 FROM topic_counts WHERE stale_at > now()) AS fresh,
            (SELECT max(refreshed_at) FROM topic_counts) AS refreshed_at`,
  );
  return { total: Number(rows[0]?.n ?? -1), fresh: rows[0]?.fresh === true, refreshedAt: rows[0]?.refreshed_at ?? null };
}

/**
 * Where a topics listing takes its counts from: `exact` (a small catalogue: counted at each listing), `rollup`
 * (topic_counts, refreshed by the sweeper) or `estimated` (the rollup is stale or missing: each listing samples the
 * catalogue itself, ~1 s at 2M papers; is a sweeper running?).
 */
export type TopicCountSource = 'exact' | 'rollup' | 'estimated';

const countSource = (state: { total: number; fresh: boolean }, exactBelow: number): TopicCountSource =>
  state.total < exactBelow ? 'exact' : state.fresh ? 'rollup' : 'estimated';

/** How topics listings count now, and when the sweeper last refreshed the rollup (the ops page, `paperwire stats`). */
export async function topicCountsStatus(
  db: DataSource | EntityManager,
  exactBelow = EXACT_TOPIC_COUNT_BELOW,
): Promise<{ source: TopicCountSource; refreshedAt: Date | null }> {
  const state = await topicCountState(db);
  return { source: countSource(state, exactBelow), refreshedAt: state.refreshedAt };
}

/**
 * Enabled topics with their paper counts and 7/30-day windows (by publication date, else the day a source featured it, else first seen). On a small
 * catalogue (below EXACT_TOPIC_COUNT_BELOW topic rows) every count is exact and computed here. Above, a listing
 * reads the rollup `topic_counts` (one row per topic, ~20 rows), which the sweeper refreshes at each sweep at most
 * every 50 s (refreshTopicCounts): the counts are up to a sweep period old (RECONCILE_EVERY_SECONDS, a minute by
 * default). Only when the rollup is past its stale_at (topicCountsFreshSeconds: no sweep for 3 periods, at least
 * 300 s; no sweeper running) does a listing compute them itself (estimatedTopicCounts: 1.0-1.35 s, 298k buffers at
 * 2M papers). A topic added since the last refresh shows zeros until the next.
 */
export async function topicsWithCounts(
  db: DataSource | EntityManager,
  exactBelow = EXACT_TOPIC_COUNT_BELOW,
): Promise<TopicCountsRow[]> {
  const state = await topicCountState(db);
  const source = countSource(state, exactBelow);
  if (source === 'exact') return exactTopicCounts(db);
  if (source === 'estimated') return estimatedTopicCounts(db, state.total);
  return db.query(
    `SELECT t.slug, t.name, t.description, t.origin,
            coalesce(c.papers, 0) AS papers, coalesce(c.primary_count, 0) AS primary_count,
            coalesce(c.last7, 0) AS last7, coalesce(c.prev7, 0) AS prev7, coalesce(c.last30, 0) AS last30, coalesce(c.prev30, 0) AS prev30
       FROM topics t LEFT JOIN topic_counts c ON c.topic_slug = t.slug
      WHERE t.enabled
      ORDER BY t.slug`,
  );
}

/**
 * Writes the rollup GET /v1/topics reads on a large catalogue (estimatedTopicCounts, one statement: the topics'
 * rows replaced, those of topics no longer enabled removed), trusted for `freshSeconds` (its stale_at; the
 * sweeper's is topicCountsFreshSeconds of its period). Below EXACT_TOPIC_COUNT_BELOW topic rows it writes
 * nothing (listings count exactly there) and returns 0; else how many topics it wrote.
 */
export async function refreshTopicCounts(
  db: DataSource | EntityManager,
  exactBelow = EXACT_TOPIC_COUNT_BELOW,
  freshSeconds = TOPIC_COUNTS_FRESH_SECONDS,
): Promise<number> {
  const { total } = await topicCountState(db);
  if (total < exactBelow) return 0;
  const rows = await estimatedTopicCounts(db, total);
  await db.query(
    `WITH x AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb)
         AS x(slug text, papers int, primary_count int, last7 int, prev7 int, last30 int, prev30 int)
     ), written AS (
       INSERT INTO topic_counts AS c (topic_slug, papers, primary_count, last7, prev7, last30, prev30, refreshed_at, stale_at)
       SELECT slug, papers, primary_count, last7, prev7, last30, prev30, now(), now() + make_interval(secs => $2) FROM x ORDER BY slug
       ON CONFLICT (topic_slug) DO UPDATE SET papers = EXCLUDED.papers, primary_count = EXCLUDED.primary_count,
              last7 = EXCLUDED.last7, prev7 = EXCLUDED.prev7, last30 = EXCLUDED.last30, prev30 = EXCLUDED.prev30,
              refreshed_at = EXCLUDED.refreshed_at, stale_at = EXCLUDED.stale_at
     )
     DELETE FROM topic_counts WHERE topic_slug NOT IN (SELECT slug FROM x)`,
    [JSON.stringify(rows), freshSeconds],
  );
  return rows.length;
}

/** Every count exact: each topic row joined with its paper (a small catalogue only). */
function exactTopicCounts(db: DataSource | EntityManager): Promise<TopicCountsRow[]> {
  return db.query(
    `SELECT t.slug, t.name, t.description, t.origin,
            count(p.id)::int AS papers,
            count(p.id) FILTER (WHERE pt.is_primary)::int AS primary_count,
            ${windowCounts(SORT_AT, 'p.id')}
       FROM topics t
       LEFT JOIN paper_topics pt ON pt.topic_slug = t.slug
       LEFT JOIN papers p ON p.id = pt.paper_id
      WHERE t.enabled
      GROUP BY t.slug
      ORDER BY t.slug`,
  );
}

/**
 * The counts without reading the catalogue (the join of every paper_topics row with its paper took 20 s and
 * 675k buffers at 2M papers, past the API's statement timeout): the windows stay exact over the last 60 days'
 * papers (idx_papers_sort_at, then each paper's topics by key), and the all-time counts are a TABLESAMPLE of
 * about 20,000 topic rows scaled to pg_class.reltuples (`total`, as papersPerStage), never below the papers of
 * the last 60 days.
 */
function estimatedTopicCounts(db: DataSource | EntityManager, total: number): Promise<TopicCountsRow[]> {
  return db.query(
    `WITH recent AS MATERIALIZED (
       SELECT pt.topic_slug, r.at
         FROM (SELECT p.id, ${SORT_AT} AS at FROM papers p WHERE ${SORT_AT} >= now() - interval '60 days') r
         -- OFFSET 0 keeps this a lookup by primary key per paper (not a hash join over a scan of paper_topics)
         CROSS JOIN LATERAL (SELECT pt.topic_slug FROM paper_topics pt WHERE pt.paper_id = r.id OFFSET 0) pt
     ), windows AS (
       SELECT topic_slug, ${windowCounts('at')} FROM recent GROUP BY topic_slug
     ), sample AS (
       SELECT topic_slug, count(*)::float8 AS n, count(*) FILTER (WHERE is_primary)::float8 AS primary_n
         FROM paper_topics TABLESAMPLE SYSTEM ($1) GROUP BY topic_slug
     ), sampled AS (SELECT sum(n) AS n FROM sample)
     SELECT t.slug, t.name, t.description, t.origin,
            greatest(round(coalesce(sm.n / nullif(sampled.n, 0), 0) * $2)::int, coalesce(w.last30 + w.prev30, 0)) AS papers,
            round(coalesce(sm.primary_n / nullif(sampled.n, 0), 0) * $2)::int AS primary_count,
            coalesce(w.last7, 0) AS last7, coalesce(w.prev7, 0) AS prev7, coalesce(w.last30, 0) AS last30, coalesce(w.prev30, 0) AS prev30
       FROM topics t CROSS JOIN sampled
       LEFT JOIN windows w ON w.topic_slug = t.slug
       LEFT JOIN sample sm ON sm.topic_slug = t.slug
      WHERE t.enabled
      ORDER BY t.slug`,
    // (a table never analysed has reltuples -1: all of it is sampled)
    [total > TOPIC_SAMPLE_ROWS ? (TOPIC_SAMPLE_ROWS / total) * 100 : 100, Math.max(total, 0)],
  );
}

/** Names of these topics (enabled or not). */
export function topicNamesOf(db: DataSource | EntityManager, slugs: readonly string[]): Promise<{ slug: string; name: string }[]> {
  return db.query(`SELECT slug, name FROM topics WHERE slug = ANY($1::text[])`, [slugs]);
}

/** Enabled topics by name, for menus. */
export function enabledTopicNames(db: DataSource | EntityManager): Promise<{ slug: string; name: string }[]> {
  return db.query(`SELECT slug, name FROM topics WHERE enabled ORDER BY name, slug`);
}

/** Name and description of an enabled topic, or null. */
export async function enabledTopic(db: DataSource | EntityManager, slug: string): Promise<{ name: string; description: string } | null> {
  const rows: { name: string; description: string }[] = await db.query(`SELECT name, description FROM topics WHERE slug = $1 AND enabled`, [slug]);
  return rows[0] ?? null;
}

/** The slugs among `slugs` that name no enabled topic (default or user-added), in the order given. */
export async function unknownTopicSlugs(db: DataSource | EntityManager, slugs: readonly string[]): Promise<string[]> {
  if (slugs.length === 0) return [];
  const rows: { slug: string }[] = await db.query(
    `SELECT x.slug FROM unnest($1::text[]) WITH ORDINALITY AS x(slug, i)
     WHERE NOT EXISTS (SELECT 1 FROM topics t WHERE t.slug = x.slug AND t.enabled) ORDER BY x.i`,
    [slugs],
  );
  return rows.map((r) => r.slug);
}

/** Adds or edits a user topic (enabling it); examples are kept when none are given. */
export async function upsertUserTopic(
  db: DataSource | EntityManager,
  t: { slug: string; name: string; description: string; keywords: string[]; examples: { title: string; abstract: string }[] },
): Promise<void> {
  await db.query(
    `INSERT INTO topics (slug, name, description, keywords, examples, origin) VALUES ($1, $2, $3, $4, $5::jsonb, 'user')
     ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name, description = EXCLUDED.description, keywords = EXCLUDED.keywords,
            examples = CASE WHEN jsonb_array_length(EXCLUDED.examples) > 0 THEN EXCLUDED.examples ELSE topics.examples END,
            enabled = true, updated_at = now()`,
    [t.slug, t.name, t.description, t.keywords, JSON.stringify(t.examples)],
  );
}

/** Disables a topic (kept for history); false when there is none. */
export async function disableTopic(db: DataSource | EntityManager, slug: string): Promise<boolean> {
  const rows = returnedRows(await db.query(`UPDATE topics SET enabled = false, updated_at = now() WHERE slug = $1 RETURNING slug`, [slug]));
  return rows.length > 0;
}

/** Every topic's display name by slug. */
export async function topicNames(db: DataSource | EntityManager): Promise<Record<string, string>> {
  const rows: { slug: string; name: string }[] = await db.query(`SELECT slug, name FROM topics`);
  return Object.fromEntries(rows.map((r) => [r.slug, r.name]));
}

/**
 * Whether a `source` filter can match: a source of that name or kind, or a file source replaying that format, in any
 * case (what sightingMatchesSource matches a sighting by: source-match.ts); and the kinds there are, formats counted
 * (names are the operator's).
 */
export async function sourceFilterTargets(db: DataSource | EntityManager, value: string): Promise<{ known: boolean; kinds: string[] }> {
  const rows: { known: boolean; kinds: string[] }[] = await db.query(
    `WITH targets AS (
       SELECT name, kind FROM sources
       UNION ALL SELECT NULL, params->>'format' FROM sources WHERE kind = 'file' AND params->>'format' IS NOT NULL
     )
     SELECT EXISTS (SELECT 1 FROM targets WHERE lower(name) = $1 OR lower(kind) = $1) AS known,
            ARRAY(SELECT DISTINCT kind FROM targets ORDER BY kind) AS kinds`,
    [sourceNameKey(value)],
  );
  return rows[0];
}

/** Every topic's slug and name, disabled ones too (a filter on a disabled topic still finds its past papers). */
export function allTopicSlugs(db: DataSource | EntityManager): Promise<{ slug: string; name: string; enabled: boolean }[]> {
  return db.query(`SELECT slug, name, enabled FROM topics ORDER BY slug`);
}
