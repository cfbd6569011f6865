import type { DataSource } from 'typeorm';
import { papersPerStage } from '@paperwire/db';
import { queueDepths, type QueueDepth, type QueueSet } from '@paperwire/queue';

export interface PipelineStats {
  papers: number;
  stages: Record<string, number>;
  topics: number;
  paperTopics: number;
  claims: number;
  deliveries: Record<string, number>;
  rawDocuments: Record<string, number>;
  failedDocuments: { id: string; url: string | null; error: string | null }[];
  queues: QueueDepth[];
  sources: { name: string; kind: string; last_status: number | null; last_error: string | null; consecutive_failures: number; last_attempt_at: Date | null; last_success_at: Date | null }[];
}

export async function pipelineStats(ds: DataSource, queues: QueueSet): Promise<PipelineStats> {
  const [stages, counts, deliveries, docs, failedDocs, sources, depths] = await Promise.all([
    papersPerStage(ds),
    ds.query(
      `SELECT (SELECT count(*)::int FROM papers) AS papers, (SELECT count(*)::int FROM topics WHERE enabled) AS topics,
              (SELECT count(*)::int FROM paper_topics) AS paper_topics, (SELECT count(*)::int FROM paper_claims) AS claims`,
    ),
    ds.query(`SELECT status, count(*)::int AS n FROM deliveries GROUP BY status`),
    ds.query(`SELECT status, count(*)::int AS n FROM raw_documents GROUP BY status`),
    ds.query(`SELECT id, url, error FROM raw_documents WHERE status = 'failed' ORDER BY parsed_at DESC LIMIT 20`),
    ds.query(`SELECT name, kind, last_status, last_error, consecutive_failures, last_attempt_at, last_success_at FROM sources ORDER BY name`),
    queueDepths(queues),
  ]);
  const byStatus = (rows: { status: string; n: number }[]) => Object.fromEntries(rows.map((r) => [r.status, r.n]));
  return {
    papers: counts[0].papers,
    stages,
    topics: counts[0].topics,
    paperTopics: counts[0].paper_topics,
    claims: counts[0].claims,
    deliveries: byStatus(deliveries),
    rawDocuments: byStatus(docs),
    failedDocuments: failedDocs,
    queues: depths,
    sources,
  };
}

export function formatStats(s: PipelineStats): string {
  const lines = [
    `papers ${s.papers}: ${Object.entries(s.stages).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    `topics ${s.topics} (assignments ${s.paperTopics}), claims ${s.claims}`,
    `deliveries: ${Object.entries(s.deliveries).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`,
    `raw documents: ${Object.entries(s.rawDocuments).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`,
    `queues: ${s.queues.map((q) => `${q.queue} ${q.waiting}w/${q.active}a/${q.delayed}d/${q.failed}f`).join('  ')}`,
    ...s.failedDocuments.map((d) => `failed document ${d.id} (${d.url ?? '?'}): ${d.error}`),
    ...s.sources.filter((x) => x.last_error).map((x) => `source ${x.name} failing (${x.consecutive_failures}x): ${x.last_error}`),
  ];
  return lines.join('\n');
}
