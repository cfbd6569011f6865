import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Inject, Injectable } from '@nestjs/common';
import { DelayedError, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { FetcherEnv } from '@paperwire/config';
import { documentFailure } from '@paperwire/db';
import {
  HttpError,
  createRedisPolitenessGate,
  fetchWithRetry,
  httpFailureReason,
  isPermanentHttpError,
  type PolitenessGate,
} from '@paperwire/http';
import { noteFetchAttempt, type QueueSet } from '@paperwire/queue';
import { CONFIG, LOGGER, Metrics, PermanentError, QUEUE_SET, REDIS } from '@paperwire/service-kit';
import type { Logger } from '@paperwire/telemetry';
import { SourceRepository, type SourceRow } from './source.repository';
import {
  SourceConfigError,
  buildSourceRequest,
  checkpointHash,
  incompleteOaiPage,
  nextPage,
  pageJobId,
  pageOfJob,
  pageVariant,
} from './source-request';

/** How long a backfill page waits before it looks at the parse queue again. */
export const BACKPRESSURE_RECHECK_MS = 1_000;

export interface FetchOutcome {
  status: number | 'file';
  rawDocumentId?: string;
  newDocument?: boolean;
  notModified?: boolean;
  nextPage?: boolean;
  /** a page job whose page was already done: it only made sure the current page is queued */
  stale?: boolean;
  skipped?: string;
}

interface Payload {
  body: Buffer;
  status: number | 'file';
  contentType: string | null;
  finalUrl: string;
  etag?: string | null;
  lastModified?: string | null;
  notModified?: boolean;
}

@Injectable()
export class FetcherService {
  private readonly gate: PolitenessGate;

  constructor(
    private readonly sources: SourceRepository,
    @Inject(QUEUE_SET) private readonly queues: QueueSet,
    @Inject(REDIS) redis: Redis,
    @Inject(CONFIG) private readonly config: FetcherEnv,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly metrics: Metrics,
  ) {
    // One gate for every fetcher replica: at most one request start per host per interval.
    this.gate = createRedisPolitenessGate(redis, `${config.QUEUE_PREFIX}:politeness`);
  }

  async handleFetchSource(
    sourceId: string,
    reason: string,
    lastAttempt: boolean,
    job?: Job,
    token?: string,
  ): Promise<FetchOutcome> {
    // (a retry of this job is then found by the stats' next fetch, whoever queued it: the schedule, a poll)
    if (job?.id) await noteFetchAttempt(this.queues, sourceId, job.id);
    const source = await this.sources.get(sourceId);
    if (!source) throw new PermanentError(`source ${sourceId} does not exist`);
    // Disabling a source stops its schedule and any backfill in progress (the checkpoint is kept).
    if (!source.enabled && reason !== 'manual') return { status: 0, skipped: 'disabled' };
    // A scheduled poll does not race a backfill chain that is still moving: the chain fetches the pages.
    if (
      reason === 'schedule' &&
      source.checkpoint &&
      (await this.pageJobPending(source.id, source.checkpoint))
    ) {
      return { status: 0, skipped: 'backfill-running' };
    }
    if (reason === 'backfill' || reason === 'startup') {
      const page = pageOfJob(source.id, job?.id);
      if (page !== undefined && (!source.checkpoint || checkpointHash(source.checkpoint) !== page)) {
        // This page was fetched already (a redelivery after a crash): the chain goes on from the checkpoint.
        await this.ensurePageJob(source);
        return { status: 0, stale: true };
      }
      await this.holdWhileParseIsBacklogged(job, token);
    }
    let payload: Payload;
    try {
      payload = source.kind === 'file' ? await this.readFileSource(source) : await this.fetchHttp(source);
    } catch (caught) {
      const err = caught as Error;
      // A body refused for its size is not the upstream's answer: its 200 is not recorded as the status.
      const status = err instanceof HttpError && err.code !== 'too-large' ? (err.status ?? null) : null;
      const message = err instanceof HttpError ? httpFailureReason(err) : err.message;
      // SSRF refusals, size caps, redirect loops, missing files, oversize files and client errors (404,
      // 410…) do not heal by retrying: the job fails now, with its reason, instead of fetching again.
      const permanent =
        err instanceof PermanentError ||
        err instanceof SourceConfigError ||
        err instanceof TypeError ||
        isPermanentHttpError(err) ||
        (err instanceof HttpError && err.code === 'http-status' && isClientError(status)) ||
        (err as NodeJS.ErrnoException).code === 'ENOENT';
      // the poll failed when this attempt is its last: a retry may still bring it through
      await this.sources.recordFailure(source.id, status, message, permanent || lastAttempt);
      this.metrics.fetches.inc({ source: source.name, outcome: 'error' });
      if (permanent) throw err instanceof PermanentError ? err : new PermanentError(message);
      if (lastAttempt) this.log.warn({ source: source.name, err: message }, 'source fetch failed for good');
      throw err;
    }

    if (payload.notModified) {
      await this.sources.recordSuccess(source.id, { status: 304, items: null });
      this.metrics.fetches.inc({ source: source.name, outcome: 'not-modified' });
      return { status: 304, notModified: true };
    }

    const { body } = payload;
    const stored = await this.sources.storeRawDocument({
      sourceId: source.id,
      contentHash: createHash('sha256').update(body).digest('hex'),
      url: payload.finalUrl,
      contentType: payload.contentType,
      formatHint: buildSourceRequest(source).formatHint,
      body,
    });
    // Parse after the document is stored; the job id is the document's, so a refetch of the same
    // bytes does not parse twice.
    if (stored.status === 'fetched') {
      await this.queues.enqueue('parse-document', { rawDocumentId: stored.id });
    }
    const paging =
      source.kind === 'file'
        ? { checkpoint: undefined, more: false }
        : nextPage(source, body);
    // Validators belong to the first page only: a paged response's ETag says nothing about page one.
    const pagedRequest = source.checkpoint !== null || paging.more;
    // The checkpoint is written before the next page is enqueued: a crash in between leaves the
    // checkpoint for the startup resume / reconciler, never a page job ahead of its checkpoint.
    await this.sources.recordSuccess(source.id, {
      status: payload.status === 'file' ? 200 : payload.status,
      etag: pagedRequest ? null : payload.etag,
      lastModified: pagedRequest ? null : payload.lastModified,
      items: null,
      checkpoint: paging.checkpoint,
      harvestedUntil: paging.harvestedUntil,
      failedDocument: stored.status === 'failed',
    });
    // The same bytes as a document that could not be parsed: the fetch worked, the source still does not (one
    // more failed poll of the same streak).
    if (stored.status === 'failed') await this.sources.recordDocumentFailed(source.id, documentFailure(stored.id, stored.error ?? 'unknown error'));
    // The same bytes as a document of this source that parsed: its items and skipped entries are the source's again.
    if (stored.status === 'parsed' && !stored.created) await this.sources.recordKnownDocument(source.id, stored.id);
    if (paging.more && paging.checkpoint) {
      await this.queues.enqueue(
        'fetch-source',
        { sourceId: source.id, reason: 'backfill' },
        { variant: pageVariant(paging.checkpoint) },
      );
    }
    this.metrics.fetches.inc({ source: source.name, outcome: stored.created ? 'new' : 'unchanged' });
    return {
      status: payload.status,
      rawDocumentId: stored.id,
      newDocument: stored.created,
      nextPage: paging.more,
    };
  }

  /** Makes sure the page the source's checkpoint points at has a job (no-op when it has one). */
  async ensurePageJob(
    source: Pick<SourceRow, 'id' | 'checkpoint' | 'enabled'>,
    reason: 'backfill' | 'startup' = 'backfill',
  ): Promise<string | null> {
    if (!source.checkpoint || !source.enabled) return null;
    return this.queues.enqueue('fetch-source', { sourceId: source.id, reason }, { variant: pageVariant(source.checkpoint) });
  }

  private async pageJobPending(sourceId: string, checkpoint: Record<string, unknown>): Promise<boolean> {
    const job = await this.queues.get('fetch').getJob(pageJobId(sourceId, checkpoint));
    if (!job) return false;
    const state = await job.getState();
    return state === 'waiting' || state === 'delayed' || state === 'active' || state === 'prioritized';
  }

  /**
   * Backpressure: a backfill page does not start while the parse queue holds more than
   * PARSE_QUEUE_BOUND waiting documents; it parks itself in the delayed set and looks again later.
   */
  private async holdWhileParseIsBacklogged(job: Job | undefined, token: string | undefined): Promise<void> {
    const waiting = await this.queues.get('parse').getWaitingCount();
    if (waiting <= this.config.PARSE_QUEUE_BOUND) return;
    if (!job || !token)
      throw new Error(
        `parse queue holds ${waiting} documents (bound ${this.config.PARSE_QUEUE_BOUND}); retrying later`,
      );
    await job.moveToDelayed(Date.now() + BACKPRESSURE_RECHECK_MS, token);
    throw new DelayedError(`parse queue holds ${waiting} documents, bound ${this.config.PARSE_QUEUE_BOUND}`);
  }

  private async readFileSource(source: SourceRow): Promise<Payload> {
    const url = source.url ?? '';
    const path = url.startsWith('file:') ? fileURLToPath(url) : resolve(url);
    try {
      const info = await stat(path);
      if (!info.isFile()) throw new PermanentError(`not a file (a directory or a device): ${path}`);
      if (info.size > this.config.FETCH_MAX_BYTES)
        throw new PermanentError(`file too large (${info.size} > ${this.config.FETCH_MAX_BYTES} bytes): ${path}`);
      return { body: await readFile(path), status: 'file', contentType: null, finalUrl: path };
    } catch (e) {
      throw e instanceof PermanentError ? e : new PermanentError(fileReadProblem(e, path));
    }
  }

  private async fetchHttp(source: SourceRow): Promise<Payload> {
    const req = buildSourceRequest(source);
    const res = await fetchWithRetry(req.url, {
      allowPrivate: source.allow_private,
      timeoutMs: this.config.FETCH_TIMEOUT_MS,
      connectTimeoutMs: this.config.FETCH_CONNECT_TIMEOUT_MS,
      maxBytes: this.config.FETCH_MAX_BYTES,
      userAgent: this.config.USER_AGENT,
      // Conditional requests only for the first page of a feed, not for a page of a backfill.
      etag: source.checkpoint ? undefined : (source.etag ?? undefined),
      lastModified: source.checkpoint ? undefined : (source.last_modified ?? undefined),
      retries: this.config.FETCH_RETRIES,
      baseDelayMs: 1000,
      maxDelayMs: 60_000,
      // Every request (retries and redirect hops too) waits for its host's politeness slot, taken
      // after DNS so lookup time does not eat into the spacing the host sees.
      beforeRequest: (target) => this.gate.acquire(target.host, politeInterval(source.min_interval_ms)),
    });
    if (res.status === 304)
      return { body: Buffer.alloc(0), status: 304, contentType: null, finalUrl: res.url, notModified: true };
    if (res.status >= 400) {
      // Status line only: the body is the upstream's text (with a private-access source, an internal
      // service's), and the message lands in last_error, job failures and logs. The URL goes without
      // its query, which may carry a token.
      throw new HttpError('http-status', `HTTP ${res.status} from ${withoutQuery(req.url)}`, res.status);
    }
    // A page cut short would end an OAI-PMH harvest as if complete: it is an error, and retried.
    const incomplete = source.kind === 'arxiv-oai' ? incompleteOaiPage(res.body) : undefined;
    if (incomplete) throw new HttpError('network', `${incomplete} from ${req.url}`, res.status);
    return {
      body: res.body,
      status: res.status,
      contentType: (res.headers['content-type'] as string | undefined) ?? null,
      finalUrl: res.url,
      etag: res.etag ?? null,
      lastModified: res.lastModified ?? null,
    };
  }
}

/**
 * The gate spaces request starts in this process; what the host sees also carries connect and
 * scheduling jitter (tens of ms on a busy machine). A margin keeps the host's measured gap at or
 * above the configured minimum.
 */
export function politeInterval(minIntervalMs: number): number {
  if (minIntervalMs <= 0) return 0;
  return minIntervalMs + Math.min(300, Math.max(100, Math.round(minIntervalMs * 0.1)));
}

function isClientError(status: number | null): boolean {
  return status !== null && status >= 400 && status < 500 && status !== 408 && status !== 429;
}

/** `scheme://host/path` of a URL: no user-info, no query, no fragment. */
function withoutQuery(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(invalid url)';
  }
}

/**
 * Why a file source's file could not be read, as the one sentence its source's last error, the failed job and /ops
 * show (errorClass reads the same words): never Node's `ENOENT: no such file or directory, stat '…'`.
 */
export function fileReadProblem(err: unknown, path: string): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return `file not found: ${path}`;
  if (code === 'EACCES' || code === 'EPERM') return `file not readable (permission denied): ${path}`;
  if (code === 'EISDIR') return `not a file (a directory or a device): ${path}`;
  return `file could not be read${code ? ` (${code})` : ''}: ${path}`;
}
