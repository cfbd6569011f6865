import type { DataSource } from 'typeorm';
import { CLAIM_KINDS, CLAIM_UNITS } from '@paperwire/contracts';
import type { QueueSet } from '@paperwire/queue';
import { returnedRows } from '@paperwire/db';

/**
 * Sends papers back through a stage after a model or taxonomy change: `reclassify` resets papers to
 * `parsed` (classify, extract and notify run again), `reextract` to `classified`. Only papers whose
 * stored version differs from `version` are touched unless `all` is set. Runs through the queues
 * like any other work; deliveries stay unique per (subscription, paper).
 */
export async function resetStage(
  ds: DataSource,
  queues: QueueSet,
  opts: { to: 'parsed' | 'classified'; version: string; since?: string; all?: boolean; batchSize: number },
): Promise<{ papers: number; jobs: number }> {
  const column = opts.to === 'parsed' ? 'classifier_version' : 'extractor_version';
  const from = opts.to === 'parsed' ? ['classified', 'extracted', 'notified'] : ['extracted', 'notified'];
  if (opts.since !== undefined && Number.isNaN(Date.parse(opts.since))) throw new Error(`--since ${opts.since}: not a date`);
  // Rows reset by this run are not picked twice, even when the pipeline has already moved them on.
  const startedAt = new Date().toISOString();
  let total = 0;
  let jobs = 0;
  // In chunks, so a back catalogue of millions never holds one huge transaction.
  for (;;) {
    const rows = returnedRows<{ id: string; content_hash: string }>(await ds.query(
      `UPDATE papers SET stage = $1, stage_at = now()
        WHERE id IN (SELECT id FROM papers
                      WHERE stage = ANY($2::text[])
                        AND ($3::timestamptz IS NULL OR coalesce(published_at, created_at) >= $3::timestamptz)
                        AND ($4::boolean OR ${column} IS DISTINCT FROM $5)
                        AND stage_at < $6::timestamptz
                      LIMIT 5000)
        RETURNING id, content_hash`,
      [opts.to, from, opts.since ?? null, Boolean(opts.all), opts.version, startedAt],
    ));
    if (rows.length === 0) break;
    total += rows.length;
    jobs += await queues.addPaperBatches(
      opts.to === 'parsed' ? 'classify-papers' : 'extract-claims',
      rows.map((r) => ({ paperId: r.id, contentHash: r.content_hash })),
      opts.batchSize,
    );
  }
  return { papers: total, jobs };
}

export interface ClaimSearch {
  metric?: string;
  kind?: string;
  unit?: string;
  min?: number;
  max?: number;
  since?: string;
  limit?: number;
}

/** Claims across papers, e.g. metric "gpu memory", kind reduction, unit x, min 10. */
export async function searchClaims(ds: DataSource, q: ClaimSearch): Promise<Record<string, unknown>[]> {
  if (q.kind && !(CLAIM_KINDS as readonly string[]).includes(q.kind)) throw new Error(`--kind: one of ${CLAIM_KINDS.join(', ')}`);
  if (q.unit && !(CLAIM_UNITS as readonly string[]).includes(q.unit)) throw new Error(`--unit: one of ${CLAIM_UNITS.join(', ')}`);
  return ds.query(
    `SELECT c.value, c.low, c.unit, c.kind, c.category, c.metric, c.text, c.qualifier, c.baseline, c.compared_to AS "comparedTo",
            c.dataset, p.id AS "paperId", p.arxiv_id AS "arxivId", p.title
       FROM paper_claims c JOIN papers p ON p.id = c.paper_id
      WHERE ($1::text IS NULL OR c.metric ILIKE '%' || $1 || '%')
        AND ($2::text IS NULL OR c.kind = $2) AND ($3::text IS NULL OR c.unit = $3)
        AND ($4::float8 IS NULL OR c.value >= $4) AND ($5::float8 IS NULL OR c.value <= $5)
        AND ($6::timestamptz IS NULL OR coalesce(p.published_at, p.created_at) >= $6)
      ORDER BY c.value DESC, p.id LIMIT $7`,
    [q.metric ?? null, q.kind ?? null, q.unit ?? null, q.min ?? null, q.max ?? null, q.since ?? null, Math.min(q.limit ?? 50, 1000)],
  );
}

/** One paper by id or arXiv id, with its sightings and version history. */
export async function showPaper(ds: DataSource, idOrArxiv: string): Promise<Record<string, unknown> | null> {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrArxiv);
  const rows: Record<string, unknown>[] = await ds.query(
    `SELECT id, paper_key, arxiv_id, doi, title, abstract, version, stage, primary_topic, contribution, links, published_at
       FROM papers WHERE ${isUuid ? 'id = $1::uuid' : 'arxiv_id = $1 OR paper_key = $1'} LIMIT 1`,
    [isUuid ? idOrArxiv : idOrArxiv.replace(/v\d+$/, '')],
  );
  const paper = rows[0];
  if (!paper) return null;
  const [topics, claims, sightings, versions] = await Promise.all([
    ds.query(`SELECT topic_slug AS slug, score, evidence FROM paper_topics WHERE paper_id = $1 ORDER BY score DESC`, [paper.id]),
    ds.query(`SELECT start, "end", text, value, unit, kind, metric FROM paper_claims WHERE paper_id = $1 ORDER BY start`, [paper.id]),
    ds.query(
      `SELECT s.name AS source, ps.upvotes, ps.comments, ps.announce_type AS "announceType", ps.featured_at AS "featuredAt", ps.first_seen_at AS "firstSeenAt"
         FROM paper_sources ps JOIN sources s ON s.id = ps.source_id WHERE ps.paper_id = $1 ORDER BY ps.first_seen_at`,
      [paper.id],
    ),
    ds.query(`SELECT version, content_hash AS "contentHash", title, abstract, seen_at AS "seenAt" FROM paper_versions WHERE paper_id = $1 ORDER BY seen_at`, [paper.id]),
  ]);
  return { ...paper, topics, claims, sightings, versions };
}

/** What changed between consecutive versions: title and a word-level summary of the abstract. */
export function versionChanges(versions: { version: number | null; title: string; abstract: string }[]): string[] {
  const out: string[] = [];
  for (let i = 1; i < versions.length; i += 1) {
    const a = versions[i - 1];
    const b = versions[i];
    const label = `v${a.version ?? '?'} → v${b.version ?? '?'}`;
    if (a.title !== b.title) out.push(`${label}: title "${a.title}" → "${b.title}"`);
    if (a.abstract !== b.abstract) {
      const before = new Set(a.abstract.split(/\s+/));
      const after = new Set(b.abstract.split(/\s+/));
      const added = [...after].filter((w) => !before.has(w));
      const removed = [...before].filter((w) => !after.has(w));
      out.push(`${label}: abstract changed (+${added.length} / -${removed.length} words${added.length ? `; added: ${added.slice(0, 12).join(' ')}` : ''})`);
    }
    if (a.title === b.title && a.abstract === b.abstract) out.push(`${label}: no change to title or abstract`);
  }
  return out;
}
