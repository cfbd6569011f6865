import type { DataSource, EntityManager } from 'typeorm';

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
