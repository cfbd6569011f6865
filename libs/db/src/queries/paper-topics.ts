import { bulkQuery, namedQuery, type BulkRow, type BulkSpec } from './bulk';
import type { Db } from './sql';

/** A `paper_topics` row as it goes into the INSERT's JSON recordset. */
export interface PaperTopicRow {
  paper_id: string;
  topic_slug: string;
  score: number;
  is_primary: boolean;
  evidence: unknown;
  model_version: string;
  content_hash: string;
}

const INSERT_TOPICS: BulkSpec = {
  name: 'insert_topics',
  columns: [
    ['paper_id', 'uuid'],
    ['topic_slug', 'text'],
    ['score', 'real'],
    ['is_primary', 'boolean'],
    ['evidence', 'jsonb'],
    ['model_version', 'text'],
    ['content_hash', 'text'],
  ],
  sql: (
    x,
  ) => `INSERT INTO paper_topics (paper_id, topic_slug, score, is_primary, evidence, model_version, content_hash)
     SELECT x.paper_id, x.topic_slug, x.score, x.is_primary, x.evidence, x.model_version, x.content_hash
       FROM ${x}
       JOIN topics t ON t.slug = x.topic_slug`,
};

/**
 * Replaces the topics of these papers with `rows` (topics no longer in the taxonomy are dropped by the
 * join). Run it in the transaction that moves the papers on.
 */
export async function replacePaperTopics(
  db: Db,
  paperIds: readonly string[],
  rows: readonly PaperTopicRow[],
): Promise<void> {
  await namedQuery(db, 'pw_delete_topics', `DELETE FROM paper_topics WHERE paper_id = ANY($1::uuid[])`, [
    paperIds,
  ]);
  if (rows.length === 0) return;
  await bulkQuery(db, INSERT_TOPICS, rows as unknown as readonly BulkRow[]);
}
