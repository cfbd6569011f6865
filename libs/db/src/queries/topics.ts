import type { DataSource, EntityManager } from 'typeorm';
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

/** Enabled topics with their paper counts and 7/30-day windows (by publication date, else first seen). */
export function topicsWithCounts(db: DataSource | EntityManager): Promise<TopicCountsRow[]> {
  return db.query(
    `SELECT t.slug, t.name, t.description, t.origin,
              count(p.id)::int AS papers,
              count(p.id) FILTER (WHERE pt.is_primary)::int AS primary_count,
              count(p.id) FILTER (WHERE ${SORT_AT} >= now() - interval '7 days')::int AS last7,
              count(p.id) FILTER (WHERE ${SORT_AT} >= now() - interval '14 days' AND ${SORT_AT} < now() - interval '7 days')::int AS prev7,
              count(p.id) FILTER (WHERE ${SORT_AT} >= now() - interval '30 days')::int AS last30,
              count(p.id) FILTER (WHERE ${SORT_AT} >= now() - interval '60 days' AND ${SORT_AT} < now() - interval '30 days')::int AS prev30
         FROM topics t
         LEFT JOIN paper_topics pt ON pt.topic_slug = t.slug
         LEFT JOIN papers p ON p.id = pt.paper_id
        WHERE t.enabled
        GROUP BY t.slug
        ORDER BY t.slug`,
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
