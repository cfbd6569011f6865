import type { DataSource } from 'typeorm';
import {
  catalogueCounts,
  deliveriesByStatus,
  failedRawDocuments,
  papersPerStage,
  rawDocumentsByStatus,
  sourceHealthRows,
} from '@paperwire/db';
import { queueDepths, type QueueDepth, type QueueSet } from '@paperwire/queue';

export interface SourceStatus {
  name: string;
  kind: string;
  lastStatus: number | null;
  lastError: string | null;
  consecutiveFailures: number;
  lastAttemptAt: string | null;
  lastSuccessAt: string | null;
}

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
  sources: SourceStatus[];
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/** Papers per stage, queues, claims, deliveries and failures (camelCase, like the API's JSON). */
export async function pipelineStats(ds: DataSource, queues: QueueSet): Promise<PipelineStats> {
  const [stages, counts, deliveries, rawDocuments, failedDocuments, sources, depths] = await Promise.all([
    papersPerStage(ds),
    catalogueCounts(ds),
    deliveriesByStatus(ds),
    rawDocumentsByStatus(ds),
    failedRawDocuments(ds, 20),
    sourceHealthRows(ds),
    queueDepths(queues),
  ]);
  return {
    ...counts,
    stages,
    deliveries,
    rawDocuments,
    failedDocuments,
    queues: depths,
    sources: sources.map((r) => ({
      name: r.name,
      kind: r.kind,
      lastStatus: r.last_status,
      lastError: r.last_error,
      consecutiveFailures: r.consecutive_failures,
      lastAttemptAt: iso(r.last_attempt_at),
      lastSuccessAt: iso(r.last_success_at),
    })),
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
    ...s.sources.filter((x) => x.lastError).map((x) => `source ${x.name} failing (${x.consecutiveFailures}x): ${x.lastError}`),
  ];
  return lines.join('\n');
}
