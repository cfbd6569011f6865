import type { DataSource } from 'typeorm';
import { returnedRows } from '@paperwire/db';

export interface TopicInput {
  slug: string;
  name: string;
  description: string;
  keywords?: string[];
  examples?: { title: string; abstract: string }[];
}

export function validateTopic(t: TopicInput): TopicInput {
  if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(t.slug)) throw new Error(`slug "${t.slug}": lower-case letters, digits and dashes`);
  if (!t.name.trim() || t.name.length > 200) throw new Error('a name of 1-200 characters is required');
  if (t.description.trim().length < 10 || t.description.length > 5000) throw new Error('a description of 10-5000 characters is required');
  if ((t.keywords ?? []).some((k) => !k.trim() || k.length > 100)) throw new Error('keywords must be 1-100 characters');
  return t;
}

/** Adds or edits a user topic; the classifier picks the change up within seconds. */
export async function upsertTopic(ds: DataSource, t: TopicInput): Promise<void> {
  validateTopic(t);
  await ds.query(
    `INSERT INTO topics (slug, name, description, keywords, examples, origin) VALUES ($1, $2, $3, $4, $5::jsonb, 'user')
     ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name, description = EXCLUDED.description, keywords = EXCLUDED.keywords,
            examples = CASE WHEN jsonb_array_length(EXCLUDED.examples) > 0 THEN EXCLUDED.examples ELSE topics.examples END,
            enabled = true, updated_at = now()`,
    [t.slug, t.name.trim(), t.description.trim(), (t.keywords ?? []).map((k) => k.trim()), JSON.stringify(t.examples ?? [])],
  );
}

export async function listTopics(ds: DataSource): Promise<Record<string, unknown>[]> {
  return ds.query(
    `SELECT t.slug, t.name, t.origin, t.enabled, t.keywords, (SELECT count(*)::int FROM paper_topics pt WHERE pt.topic_slug = t.slug) AS papers
       FROM topics t ORDER BY t.slug`,
  );
}

/** Disables a topic (kept for history; its assignments go on the next reclassify). */
export async function disableTopic(ds: DataSource, slug: string): Promise<boolean> {
  const rows = returnedRows(await ds.query(`UPDATE topics SET enabled = false, updated_at = now() WHERE slug = $1 RETURNING slug`, [slug]));
  return rows.length > 0;
}
