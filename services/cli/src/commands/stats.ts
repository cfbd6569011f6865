import type { DataSource } from 'typeorm';
import { failingEndpoints, mailServerStatus, supersededDeliverFailures, withoutSuperseded, type FailingEndpoint, type MailServerStatus } from '@paperwire/actions';
import {
  catalogueCounts,
  deliveriesByStatus,
  failedRawDocuments,
  papersPerStage,
  rawDocumentsByStatus,
  sourceHealthRows,
  EXACT_TOPIC_COUNT_BELOW,
  topicCountsStatus,
  type SkippedEntry,
  type TopicCountSource,
} from '@paperwire/db';
import { queueDepths, type QueueDepth, type QueueSet } from '@paperwire/queue';
import { oneLine } from '../output';

export interface SourceStatus {
  name: string;
  kind: string;
  lastStatus: number | null;
  lastError: string | null;
  /** failed fetch attempts in a row, retries included */
  consecutiveFailures: number;
  /** polls in a row that failed for good (their job gave up) */
  failedPolls: number;
  /** when the current run of failures began; null while it works */
  failingSince: string | null;
  lastAttemptAt: string | null;
  lastSuccessAt: string | null;
  /** entries its latest parsed document skipped (null before one parsed), and the first few with why */
  skippedEntries: number | null;
  skippedSample: SkippedEntry[];
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
  /** subscription endpoints with failures in a row, most first (at most 50), as /ops and /v1/stats/pipeline (in full) */
  endpoints: FailingEndpoint[];
  /** failing endpoints beyond those listed (0 when every one is) */
  endpointsMore: number;
  /** the operator's mail server, as /ops and /v1/stats/pipeline show it */
  mailServer: MailServerStatus;
  /** where topics listings count from and when the sweeper last refreshed the rollup, as /ops and /v1/stats/pipeline */
  topicCounts: { source: TopicCountSource; refreshedAt: string | null };
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/** Papers per stage, queues, claims, deliveries and failures (camelCase, like the API's JSON). */
export async function pipelineStats(ds: DataSource, queues: QueueSet): Promise<PipelineStats> {
  // as /ops: a delivery's failure superseded by its later success (a redelivery) is not counted (nor removed: a read)
  const [stages, counts, deliveries, rawDocuments, failedDocuments, sources, depths, superseded, failing, mailServer, topicCounts] = await Promise.all([
    papersPerStage(ds),
    catalogueCounts(ds),
    deliveriesByStatus(ds),
    rawDocumentsByStatus(ds),
    failedRawDocuments(ds, 20),
    sourceHealthRows(ds),
    queueDepths(queues),
    supersededDeliverFailures(ds, queues),
    failingEndpoints(ds),
    mailServerStatus(ds),
    topicCountsStatus(ds),
  ]);
  return {
    ...counts,
    stages,
    deliveries,
    rawDocuments,
    failedDocuments,
    queues: withoutSuperseded(depths, superseded),
    sources: sources.map((r) => ({
      name: r.name,
      kind: r.kind,
      lastStatus: r.last_status,
      lastError: r.last_error,
      consecutiveFailures: r.consecutive_failures,
      failedPolls: r.failed_polls,
      failingSince: iso(r.failing_since),
      lastAttemptAt: iso(r.last_attempt_at),
      lastSuccessAt: iso(r.last_success_at),
      skippedEntries: r.skipped_entries,
      skippedSample: r.skipped_sample ?? [],
    })),
    endpoints: failing.endpoints,
    endpointsMore: failing.more,
    mailServer,
    topicCounts: { source: topicCounts.source, refreshedAt: iso(topicCounts.refreshedAt) },
  };
}

/** One line on topic counts: where listings take them from, and when the sweeper last refreshed the rollup. */
export function formatTopicCounts(t: PipelineStats['topicCounts']): string {
  const source = t.source === 'estimated' ? 'estimated at each listing (rollup stale)' : t.source;
  // The sweeper refreshes the rollup only on a large catalogue (refreshTopicCounts writes nothing where listings
  // count exactly): there, no refresh is the truth of a running sweeper, not a fault.
  const rollup =
    t.source === 'exact'
      ? `not needed yet (counted exactly at each listing below ${EXACT_TOPIC_COUNT_BELOW.toLocaleString('en-US')} topic rows)${t.refreshedAt ? `; last refreshed ${t.refreshedAt}` : ''}`
      : t.refreshedAt
        ? `refreshed ${t.refreshedAt}`
        : 'never refreshed (is a sweeper running?)';
  return `topic counts: ${source}, rollup ${rollup}`;
}

/** One line on the mail server: its state, since when and why it fails, the mails waiting for it. */
export function formatMailServer(m: MailServerStatus): string {
  const waiting = `${m.waitingDeliveries} email deliveries waiting for a retry`;
  switch (m.status) {
    case 'unknown':
      return `mail server: unknown (no send recorded yet), ${waiting}`;
    case 'ok':
      return `mail server: ok (last success ${m.lastSuccessAt ?? '?'}), ${waiting}`;
    case 'failing':
      return `mail server: failing since ${m.failingSince ?? '?'} (${oneLine(m.lastErrorClass ?? 'error')}, last failure ${m.lastFailureAt ?? '?'}), ${waiting}`;
    default: {
      const never: never = m.status;
      return never;
    }
  }
}

/** One line per failing endpoint; its name, target and reason come from tenants and receivers: escaped, on one line. */
export function formatEndpoint(e: FailingEndpoint): string {
  const reason = e.reason ? `: ${oneLine(e.reason)}` : '';
  const failures = `${e.consecutiveFailures} failure${e.consecutiveFailures === 1 ? '' : 's'} in a row`;
  return `endpoint ${oneLine(e.name)} (${e.channel} ${oneLine(e.target)}) ${e.status}, ${failures}${reason} [${e.id}]`;
}

// A paper's stage is the last one it passed: it waits for the next (a `parsed` paper waits to be classified).
const WAITING_AT: Record<string, string> = {
  parsed: 'waiting to be classified',
  classified: 'waiting for claim extraction',
  extracted: 'waiting for subscription matching',
};

/**
 * The papers and where they are: `110: 110 through every stage, 0 waiting to be classified, …`. Each paper is
 * counted once, at the stage it waits for (not "parsed 0": those papers were parsed and wait for the classifier).
 */
export function formatPaperStages(papers: number, stages: Record<string, number>): string {
  const waiting = Object.entries(WAITING_AT).map(([stage, what]) => `${stages[stage] ?? 0} ${what}`);
  return `${papers}: ${stages.notified ?? 0} through every stage, ${waiting.join(', ')}`;
}

/**
 * A source's failure streak in /ops' words (one count, one label everywhere): `since T: 2 failed polls in a row (9
 * failed attempts, retries included)`; while its first failing poll still retries (no poll has failed for good yet),
 * `since T: 3 failed attempts, its poll still retrying`; `none` without failures.
 */
export function formatFailureStreak(x: Pick<SourceStatus, 'consecutiveFailures' | 'failedPolls' | 'failingSince'>): string {
  if (x.consecutiveFailures === 0 && x.failedPolls === 0) return 'none';
  const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  const streak =
    x.failedPolls > 0
      ? `${plural(x.failedPolls, 'failed poll')} in a row (${plural(x.consecutiveFailures, 'failed attempt')}, retries included)`
      : `${plural(x.consecutiveFailures, 'failed attempt')}, its poll still retrying`;
  return `${x.failingSince ? `since ${x.failingSince}: ` : ''}${streak}`;
}

/**
 * `3 entries: line 4 missing title, line 5 not valid JSON, 2612.00001 missing abstract` (the first few named, `…` for the
 * rest): each by its id, else where its user finds it in the file (its line in a line format, else its entry number
 * from 1), as /ops names them.
 */
export function formatSkipped(count: number, sample: readonly SkippedEntry[]): string {
  const place = (e: SkippedEntry) => (e.id ? oneLine(e.id) : e.line !== undefined ? `line ${e.line}` : e.index !== undefined ? `entry ${e.index + 1}` : 'entry');
  const named = sample.map((e) => `${place(e)} ${oneLine(e.message)}`);
  return `${count} entr${count === 1 ? 'y' : 'ies'}${named.length ? `: ${named.join(', ')}${count > named.length ? ', …' : ''}` : ''}`;
}

export function formatStats(s: PipelineStats): string {
  const lines = [
    `papers ${formatPaperStages(s.papers, s.stages)}`,
    `topics ${s.topics} (assignments ${s.paperTopics}), claims ${s.claims}`,
    formatTopicCounts(s.topicCounts),
    `deliveries: ${Object.entries(s.deliveries).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`,
    `raw documents: ${Object.entries(s.rawDocuments).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`,
    `queues: ${s.queues.map((q) => `${q.queue} ${q.waiting}w/${q.active}a/${q.delayed}d/${q.failed}f`).join('  ')}`,
    formatMailServer(s.mailServer),
    ...s.endpoints.map(formatEndpoint),
    ...(s.endpointsMore > 0 ? [`… and ${s.endpointsMore} more failing endpoints (most failures in a row listed first)`] : []),
    ...s.failedDocuments.map((d) => `failed document ${d.id} (${oneLine(d.url ?? '?')}): ${oneLine(d.error ?? '')}`),
    ...s.sources.filter((x) => x.lastError).map((x) => `source ${oneLine(x.name)} failing ${formatFailureStreak(x)}: ${oneLine(x.lastError ?? '')}`),
    `skipped entries in the sources' latest documents: ${s.sources.reduce((n, x) => n + (x.skippedEntries ?? 0), 0)}`,
    ...s.sources.filter((x) => (x.skippedEntries ?? 0) > 0).map((x) => `source ${oneLine(x.name)} skipped ${formatSkipped(x.skippedEntries ?? 0, x.skippedSample)}`),
  ];
  return lines.join('\n');
}
