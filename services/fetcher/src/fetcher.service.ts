import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { FetcherEnv } from '@paperwire/config';
import { HttpError, createRedisPolitenessGate, fetchWithRetry, type PolitenessGate } from '@paperwire/http';
import type { QueueSet } from '@paperwire/queue';
import { CONFIG, LOGGER, Metrics, PermanentError, QUEUE_SET, REDIS } from '@paperwire/service-kit';
import type { Logger } from '@paperwire/telemetry';
import { SourceRepository, type SourceRow } from './source.repository';
import { buildSourceRequest, oaiResumptionToken } from './source-request';

export interface FetchOutcome {
  status: number | 'file';
  rawDocumentId?: string;
  newDocument?: boolean;
  notModified?: boolean;
  nextPage?: boolean;
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

  async handleFetchSource(sourceId: string, reason: string, lastAttempt: boolean): Promise<FetchOutcome> {
    const source = await this.sources.get(sourceId);
    if (!source) throw new PermanentError(`source ${sourceId} does not exist`);
    if (!source.enabled && reason === 'schedule') return { status: 0 };
    let payload: Payload;
    try {
      payload = source.kind === 'file' ? await this.readFileSource(source) : await this.fetchHttp(source);
    } catch (caught) {
      const err = caught as Error;
      const status = err instanceof HttpError ? (err.status ?? null) : null;
      const message = err instanceof HttpError ? `${err.code}: ${err.message}` : (err as Error).message;
      await this.sources.recordFailure(source.id, status, message);
      this.metrics.fetches.inc({ source: source.name, outcome: 'error' });
      // SSRF refusals and missing files do not heal by retrying.
      if (err instanceof HttpError && err.code === 'ssrf') throw new PermanentError(message);
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new PermanentError(message);
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
      await this.queues.add('parse-document', { rawDocumentId: stored.id }, { jobId: `parse-${stored.id}` });
    }
    const checkpoint = source.kind === 'arxiv-oai' ? await this.advanceOai(source, body) : undefined;
    await this.sources.recordSuccess(source.id, {
      status: payload.status === 'file' ? 200 : payload.status,
      etag: payload.etag,
      lastModified: payload.lastModified,
      items: null,
      checkpoint,
    });
    this.metrics.fetches.inc({ source: source.name, outcome: stored.created ? 'new' : 'unchanged' });
    return { status: payload.status, rawDocumentId: stored.id, newDocument: stored.created, nextPage: Boolean(checkpoint) };
  }

  private async readFileSource(source: SourceRow): Promise<Payload> {
    const url = source.url ?? '';
    const path = url.startsWith('file:') ? fileURLToPath(url) : resolve(url);
    const info = await stat(path);
    if (info.size > this.config.FETCH_MAX_BYTES) throw new PermanentError(`${path} is ${info.size} bytes, above the ${this.config.FETCH_MAX_BYTES} byte cap`);
    return { body: await readFile(path), status: 'file', contentType: null, finalUrl: path };
  }

  private async fetchHttp(source: SourceRow): Promise<Payload> {
    const req = buildSourceRequest(source);
    const host = new URL(req.url).host;
    const res = await fetchWithRetry(req.url, {
      allowPrivate: source.allow_private,
      timeoutMs: this.config.FETCH_TIMEOUT_MS,
      connectTimeoutMs: this.config.FETCH_CONNECT_TIMEOUT_MS,
      maxBytes: this.config.FETCH_MAX_BYTES,
      userAgent: this.config.USER_AGENT,
      etag: source.checkpoint ? undefined : (source.etag ?? undefined),
      lastModified: source.checkpoint ? undefined : (source.last_modified ?? undefined),
      retries: this.config.FETCH_RETRIES,
      baseDelayMs: 1000,
      maxDelayMs: 60_000,
      // Every retry is a request too: it waits for the host's politeness slot.
      beforeAttempt: () => this.gate.acquire(host, source.min_interval_ms),
    });
    if (res.status === 304) return { body: Buffer.alloc(0), status: 304, contentType: null, finalUrl: res.url, notModified: true };
    if (res.status >= 400) {
      // The arXiv API answers errors as an Atom document with an <entry> titled Error; keep the body
      // in the message so the reason is visible.
      throw new HttpError('http-status', `HTTP ${res.status} from ${req.url}: ${res.body.toString('utf8', 0, 300)}`, res.status);
    }
    return {
      body: res.body,
      status: res.status,
      contentType: (res.headers['content-type'] as string | undefined) ?? null,
      finalUrl: res.url,
      etag: res.etag ?? null,
      lastModified: res.lastModified ?? null,
    };
  }

  /**
   * OAI-PMH backfill: checkpoint the page's resumptionToken and enqueue the next page, waiting while
   * the parse queue is over its bound (backpressure).
   */
  private async advanceOai(source: SourceRow, body: Buffer): Promise<Record<string, unknown> | null> {
    const token = oaiResumptionToken(body.toString('utf8'));
    if (!token) return null;
    const parse = this.queues.get('parse');
    const waiting = await parse.getWaitingCount();
    const delay = waiting > this.config.PARSE_QUEUE_BOUND ? 5_000 : 0;
    await this.queues.add(
      'fetch-source',
      { sourceId: source.id, reason: 'backfill' },
      { jobId: `fetch-${source.id}-${createHash('sha256').update(token).digest('hex').slice(0, 24)}`, delay },
    );
    return { resumptionToken: token, pages: Number(source.checkpoint?.pages ?? 0) + 1 };
  }
}
