import type { DataSource, EntityManager } from 'typeorm';
import { PAPER_STAGES, type PaperRef, type PaperStage } from '@paperwire/contracts';
import { bulkQuery, namedQuery, type BulkRow, type BulkSpec } from './bulk';

type Db = DataSource | EntityManager;

export interface PaperRow {
  id: string;
  title: string;
  abstract: string;
  categories: string[];
  contentHash: string;
  stage: PaperStage;
}

export interface StageWork<T extends StageRef = PaperRow> {
  /** papers this stage must process now */
  todo: T[];
  /** papers this stage already processed whose next stage may not have been enqueued (crash, re-delivery) */
  done: PaperRef[];
  /** refs skipped: unknown paper, newer content (a newer job carries it), or already further along */
  skipped: number;
}

/** A paper at a stage, without its text: what a stage that reads nothing of the `papers` row gets. */
export interface StageRef {
  id: string;
  contentHash: string;
  stage: PaperStage;
}

/** A paper the notifier is given: with when it first reached `notified` (null: never, a new paper). */
export interface NotifyRef extends StageRef {
  firstNotifiedAt: Date | null;
}

const order = (s: PaperStage) => PAPER_STAGES.indexOf(s);

/**
 * Splits a job's refs by the rows found: todo (at the previous stage, same hash), done or skipped. The
 * rows found are the todo entries themselves (the queries name their columns as the entries do).
 */
function splitStageWork<T extends StageRef>(
  refs: readonly PaperRef[],
  rows: T[],
  stage: PaperStage,
): StageWork<T> {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const work: StageWork<T> = { todo: [], done: [], skipped: 0 };
  const prev = PAPER_STAGES[order(stage) - 1];
  for (const ref of refs) {
    const row = byId.get(ref.paperId);
    if (!row || row.contentHash !== ref.contentHash) {
      work.skipped += 1;
    } else if (row.stage === prev) {
      work.todo.push(row);
    } else if (row.stage === stage) {
      work.done.push(ref);
    } else {
      work.skipped += 1;
    }
  }
  return work;
}

/** The stage rows of a job's refs with the `papers` columns a stage reads (`columns`, fixed per `name`), split. */
async function loadStagePapers<T extends StageRef>(
  db: Db,
  refs: readonly PaperRef[],
  stage: PaperStage,
  name: string,
  columns: string,
): Promise<StageWork<T>> {
  const rows = await namedQuery<T>(
    db,
    name,
    `SELECT p.id, ${columns}, s.content_hash AS "contentHash", s.stage
       FROM paper_stages s JOIN papers p ON p.id = s.paper_id WHERE s.paper_id = ANY($1::uuid[])`,
    [refs.map((r) => r.paperId)],
  );
  return splitStageWork(refs, rows, stage);
}

/**
 * Re-checks the rows a batch job names before a stage works on them (at-least-once delivery means a
 * job may arrive twice or late): only papers still at the previous stage with the same content hash
 * are work; papers already at this stage are passed on again.
 */
export function loadStageWork(db: Db, refs: readonly PaperRef[], stage: PaperStage): Promise<StageWork> {
  return loadStagePapers<PaperRow>(
    db,
    refs,
    stage,
    'pw_load_stage_work',
    'p.title, p.abstract, p.categories',
  );
}

/** A paper at a stage with its abstract only: what the metric extractor reads. */
export interface StageAbstract extends StageRef {
  abstract: string;
}

/**
 * `loadStageWork` for a stage that reads the abstract alone (the metric extractor): the same checks
 * on the same rows, without the title and categories it never reads (nor the text[] they arrive as).
 */
export function loadStageAbstracts(
  db: Db,
  refs: readonly PaperRef[],
  stage: PaperStage,
): Promise<StageWork<StageAbstract>> {
  return loadStagePapers<StageAbstract>(db, refs, stage, 'pw_load_stage_abstracts', 'p.abstract');
}

/**
 * `loadStageWork` for a stage that reads nothing of the papers' text (the notifier): the same checks
 * on the same rows, without reading titles and abstracts. The stage row alone is read: its foreign
 * key (ON DELETE CASCADE) means its paper exists, as the join of `loadStageWork` checks.
 */
export async function loadStageRefs(
  db: Db,
  refs: readonly PaperRef[],
  stage: PaperStage,
): Promise<StageWork<NotifyRef>> {
  const rows = await namedQuery<NotifyRef>(
    db,
    'pw_load_stage_refs',
    `SELECT paper_id AS id, content_hash AS "contentHash", stage, first_notified_at AS "firstNotifiedAt"
       FROM paper_stages WHERE paper_id = ANY($1::uuid[])`,
    [refs.map((r) => r.paperId)],
  );
  return splitStageWork(refs, rows, stage);
}

/**
 * The `l` CTE of a stage move: the stage rows of the batch (`v`: id, hash, and whatever else the caller
 * unnests) still at `prev` with the batch's hash, locked in paper-id order. The rows are reached by key
 * (`paper_id = ANY(ids)`, `idsParam` the ids' array parameter): joined to the unnested batch alone, a
 * catalogue without statistics was planned as a hash join over a scan of paper_stages
 * (per-batch-plans.int-spec.ts).
 */
export function lockedAtStage(prev: PaperStage, idsParam: string, picked = ''): string {
  return `l AS (SELECT s.paper_id${picked} FROM paper_stages s JOIN v ON s.paper_id = v.id AND s.content_hash = v.hash
                 WHERE s.paper_id = ANY(${idsParam}::uuid[]) AND s.stage = '${prev}' ORDER BY s.paper_id FOR UPDATE OF s)`;
}

/**
 * Moves papers to `stage`, but only those still at the previous stage with the hash the work was
 * done on (a concurrent new version wins). Returns the refs that moved.
 *
 * The stage rows are locked first, in paper-id order (`FOR UPDATE`, with the stage and hash
 * re-checked on the newest row version), so two batches holding the same papers serialise on them:
 * the second finds them already moved and leaves them out. Callers write a stage's results (topics,
 * claims, the `papers` row) only for the refs this returns, in the same transaction, after it.
 * `extra` columns are `paper_stages` columns.
 */
export async function advanceStage(
  db: Db,
  stage: Exclude<PaperStage, 'parsed'>,
  refs: readonly PaperRef[],
  extra: { column: string; values: (string | null)[] }[] = [],
): Promise<PaperRef[]> {
  if (refs.length === 0) return [];
  const prev = PAPER_STAGES[order(stage) - 1];
  // A paper reaching `notified` again (reclassify / reextract) gets back the notified_at of its first time (kept in
  // first_notified_at, migration 1796310000000): the digest windows and a resume's backfill read notified_at, and a
  // paper reprocessed today is not one that finished the pipeline today.
  const tsSet =
    stage === 'notified'
      ? `notified_at = coalesce(s.first_notified_at, now()), first_notified_at = coalesce(s.first_notified_at, now())`
      : `${stage}_at = now()`;
  const sets = extra.map((e, i) => `, ${e.column} = l.e${i}`).join('');
  const cols = extra.map((_, i) => `, unnest($${4 + i}::text[]) AS e${i}`).join('');
  const picked = extra.map((_, i) => `, v.e${i}`).join('');
  // One fixed text per (stage, extra columns): a named statement each.
  const rows = await namedQuery<{ paper_id: string; content_hash: string }>(
    db,
    `pw_advance_${stage}${extra.map((e) => `_${e.column}`).join('')}`,
    `WITH v AS (SELECT unnest($2::uuid[]) AS id, unnest($3::text[]) AS hash${cols}),
          ${lockedAtStage(prev, '$2', picked)}
     UPDATE paper_stages s SET stage = $1, stage_at = now(), ${tsSet}${sets}
       FROM l WHERE s.paper_id = l.paper_id
      RETURNING s.paper_id, s.content_hash`,
    [stage, refs.map((r) => r.paperId), refs.map((r) => r.contentHash), ...extra.map((e) => e.values)],
  );
  return rows.map((r) => ({ paperId: r.paper_id, contentHash: r.content_hash }));
}

/**
 * Runs a stage's save written as one bulk statement that returns the stage rows it moved (`paper_id`,
 * `content_hash`); returns the refs that moved.
 */
export async function saveStage(
  db: Db,
  spec: BulkSpec,
  rows: readonly BulkRow[],
  params: readonly unknown[],
): Promise<PaperRef[]> {
  const moved = await bulkQuery<{ paper_id: string; content_hash: string }>(db, spec, rows, params);
  return moved.map((r) => ({ paperId: r.paper_id, contentHash: r.content_hash }));
}

/** What the classifier writes on a paper's row besides its topics. */
export interface PaperClassification {
  paperId: string;
  primaryTopic: string | null;
  contribution: string | null;
  predictedCategory: string | null;
  classifierVersion: string;
}

/**
 * Writes the classifier's outputs on the papers rows (once per content hash: call it with the refs
 * `advanceStage` moved, whose stage rows this transaction already holds). Rows in id order.
 */
export async function writeClassifications(db: Db, rows: readonly PaperClassification[]): Promise<void> {
  if (rows.length === 0) return;
  const sorted = [...rows].sort((a, b) => (a.paperId < b.paperId ? -1 : a.paperId > b.paperId ? 1 : 0));
  await namedQuery(
    db,
    'pw_write_classifications',
    `UPDATE papers p SET primary_topic = v.primary_topic, contribution = v.contribution, predicted_category = v.predicted_category,
            classifier_version = v.classifier_version
       FROM (SELECT unnest($1::uuid[]) AS id, unnest($2::text[]) AS primary_topic, unnest($3::text[]) AS contribution,
                    unnest($4::text[]) AS predicted_category, unnest($5::text[]) AS classifier_version) v
      WHERE p.id = v.id`,
    [
      sorted.map((r) => r.paperId),
      sorted.map((r) => r.primaryTopic),
      sorted.map((r) => r.contribution),
      sorted.map((r) => r.predictedCategory),
      sorted.map((r) => r.classifierVersion),
    ],
  );
}

/**
 * Papers sitting in a stage for longer than `olderThanSeconds` (the reconciler re-enqueues them), by
 * idx_paper_stages_in_flight: the cost follows the papers in flight, not the catalogue. `notified_at IS
 * NULL` (in flight: no stage before `notified` has it) is the index's predicate, written out so that
 * the planner proves it applies.
 */
export async function stuckPapers(
  db: Db,
  stage: Exclude<PaperStage, 'notified'>,
  olderThanSeconds: number,
  limit: number,
): Promise<PaperRef[]> {
  const rows: { paper_id: string; content_hash: string }[] = await db.query(
    `SELECT paper_id, content_hash FROM paper_stages WHERE stage = $1 AND notified_at IS NULL
       AND stage_at < now() - make_interval(secs => $2) ORDER BY stage_at LIMIT $3`,
    [stage, olderThanSeconds, limit],
  );
  return rows.map((r) => ({ paperId: r.paper_id, contentHash: r.content_hash }));
}

/** Below this many papers (planner estimate) the counts are exact; above, a fixed-size sample. */
export const EXACT_STAGE_COUNT_BELOW = 100_000;
const STAGE_SAMPLE_ROWS = 5_000;

/**
 * Papers per stage without a count(*) over the catalogue: exact on small catalogues; above
 * EXACT_STAGE_COUNT_BELOW, a TABLESAMPLE of about 5,000 rows scaled to pg_class.reltuples (the
 * planner's estimate, kept by autovacuum / ANALYZE), so the cost stays flat at any size.
 */
export async function papersPerStage(db: Db): Promise<Record<PaperStage, number>> {
  const out = Object.fromEntries(PAPER_STAGES.map((s) => [s, 0])) as Record<PaperStage, number>;
  const est: { n: number | null }[] = await db.query(
    `SELECT reltuples::float8 AS n FROM pg_class WHERE oid = to_regclass('paper_stages')`,
  );
  const total = Number(est[0]?.n ?? -1);
  if (total < EXACT_STAGE_COUNT_BELOW) {
    const rows: { stage: PaperStage; n: number }[] = await db.query(
      `SELECT stage, count(*)::int AS n FROM paper_stages GROUP BY stage`,
    );
    for (const r of rows) out[r.stage] = r.n;
    return out;
  }
  const pct = Math.min(100, (STAGE_SAMPLE_ROWS / total) * 100);
  const rows: { stage: PaperStage; n: number }[] = await db.query(
    `SELECT stage, count(*)::float8 AS n FROM paper_stages TABLESAMPLE SYSTEM ($1) GROUP BY stage`,
    [pct],
  );
  const sampled = rows.reduce((s, r) => s + Number(r.n), 0);
  for (const r of rows) out[r.stage] = sampled > 0 ? Math.round((Number(r.n) / sampled) * total) : 0;
  return out;
}
