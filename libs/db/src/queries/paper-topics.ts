import type { PaperRef } from '@paperwire/contracts';
import { bulkQuery, namedQuery, type BulkRow, type BulkSpec } from './bulk';
import { lockedAtStage, saveStage } from './pipeline';
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

/** What the classifier writes on a paper's row besides its topics, with the ref the work was done on. */
export interface ClassifiedPaper {
  paperId: string;
  contentHash: string;
  primaryTopic: string | null;
  contribution: string | null;
  predictedCategory: string | null;
  classifierVersion: string;
}

/** A topic of a classified paper; its model version and content hash are the paper's. */
export interface ClassifiedTopic {
  paper_id: string;
  topic_slug: string;
  score: number;
  is_primary: boolean;
  evidence: unknown;
}

/**
 * The classifier's save in one statement: `advanceStage(…, 'classified', …)` (stage rows locked in
 * paper-id order, stage and hash re-checked), then, for the papers that moved only, the classification
 * on their `papers` rows and their topics replaced (`replacePaperTopics`: the old rows deleted before the
 * new are inserted, topics no longer in the taxonomy dropped by the join). $1..$6: the papers' ids,
 * hashes and classification, by paper; the row source: their topics.
 */
const CLASSIFY_PAPERS: BulkSpec = {
  name: 'classify_papers',
  columns: INSERT_TOPICS.columns.filter(([c]) => c !== 'model_version' && c !== 'content_hash'),
  sql: (
    x,
  ) => `WITH v AS (SELECT unnest($1::uuid[]) AS id, unnest($2::text[]) AS hash, unnest($3::text[]) AS primary_topic,
                  unnest($4::text[]) AS contribution, unnest($5::text[]) AS predicted_category, unnest($6::text[]) AS classifier_version),
     ${lockedAtStage('parsed', '$1', ', v.primary_topic, v.contribution, v.predicted_category, v.classifier_version, s.classified_at AS was_classified_at')},
     moved AS (UPDATE paper_stages s SET stage = 'classified', stage_at = now(), classified_at = now()
                 FROM l WHERE s.paper_id = l.paper_id
             RETURNING s.paper_id, s.content_hash, l.primary_topic, l.contribution, l.predicted_category, l.classifier_version,
                       l.was_classified_at),
     -- updated_at is when a reader last saw the paper change (feeds date their entries by it): a re-classification
     -- that changes the primary topic, the contribution or the set of topics moves it; a paper's first
     -- classification does not (it follows its ingestion by seconds), and only re-classified papers pay for the
     -- comparison (their new topic sets, their stored ones by paper_id).
     ns AS (SELECT x.paper_id, array_agg(x.topic_slug ORDER BY x.topic_slug) AS slugs
              FROM ${x} JOIN topics t ON t.slug = x.topic_slug
             WHERE x.paper_id IN (SELECT paper_id FROM moved WHERE was_classified_at IS NOT NULL)
             GROUP BY x.paper_id),
     c AS (UPDATE papers p SET primary_topic = m.primary_topic, contribution = m.contribution,
                  predicted_category = m.predicted_category, classifier_version = m.classifier_version,
                  updated_at = CASE WHEN m.was_classified_at IS NOT NULL
                                     AND ((p.primary_topic, p.contribution) IS DISTINCT FROM (m.primary_topic, m.contribution)
                                          OR ARRAY(SELECT t.topic_slug FROM paper_topics t WHERE t.paper_id = p.id ORDER BY 1)
                                             IS DISTINCT FROM coalesce(ns.slugs, '{}'))
                                    THEN now() ELSE p.updated_at END
             FROM moved m LEFT JOIN ns ON ns.paper_id = m.paper_id WHERE p.id = m.paper_id),
     d AS (DELETE FROM paper_topics t USING moved m WHERE t.paper_id = m.paper_id RETURNING 1),
     i AS (INSERT INTO paper_topics (paper_id, topic_slug, score, is_primary, evidence, model_version, content_hash)
           SELECT x.paper_id, x.topic_slug, x.score, x.is_primary, x.evidence, m.classifier_version, m.content_hash
             FROM ${x}
             JOIN moved m ON m.paper_id = x.paper_id
             JOIN topics t ON t.slug = x.topic_slug
            WHERE (SELECT count(*) FROM d) >= 0)
SELECT paper_id, content_hash FROM moved ORDER BY paper_id`,
};

/**
 * Moves the papers still at `parsed` with the hash they were classified on to `classified`, and writes
 * the classification and topics of those only, in one statement (one round trip, no explicit
 * transaction): what `advanceStage`, `replacePaperTopics` and `writeClassifications` do in a
 * transaction, stored the same. A paper another batch already moved is left out (and not returned).
 * The topics' model version and content hash are their paper's. Returns the refs that moved.
 */
export function saveClassifications(
  db: Db,
  papers: readonly ClassifiedPaper[],
  topics: readonly ClassifiedTopic[],
): Promise<PaperRef[]> {
  if (papers.length === 0) return Promise.resolve([]);
  return saveStage(db, CLASSIFY_PAPERS, topics as unknown as readonly BulkRow[], [
    papers.map((p) => p.paperId),
    papers.map((p) => p.contentHash),
    papers.map((p) => p.primaryTopic),
    papers.map((p) => p.contribution),
    papers.map((p) => p.predictedCategory),
    papers.map((p) => p.classifierVersion),
  ]);
}
