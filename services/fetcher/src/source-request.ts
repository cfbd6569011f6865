// Builds the request for a source from its kind, URL, params and checkpoint, and the checkpoint that
// follows a page. Pure: unit-tested.
import { createHash } from 'node:crypto';
import { FeedError, countJsonArrayElements, readAtomPageFrame, readOaiPageFrame } from '@paperwire/feeds';
import { jobIdOf } from '@paperwire/contracts';
import type { SourceRow } from './source.repository';

type Checkpoint = Record<string, unknown>;

/** What a fetched page means for the source's paging. */
export interface PageOutcome {
  /** the new checkpoint: null ends a backfill, undefined leaves the stored one alone */
  checkpoint: Checkpoint | null | undefined;
  /** another page is due right away */
  more: boolean;
  /**
   * An OAI-PMH list was harvested to its end: the day (repository clock) it started, which the next
   * harvest asks for with `from` so a daily schedule fetches what changed, not the whole set again.
   */
  harvestedUntil?: string;
}

/** A scheduled "today" poll pages through at most this many HF pages. */
export const HF_MAX_PAGES = 50;

export interface SourceRequest {
  url: string;
  /** the format the parser should expect; it still checks the content */
  formatHint: string | null;
}

const FORMAT_OF_KIND: Record<string, string | null> = {
  'hf-daily-papers': 'hf-daily-papers',
  'arxiv-api': 'arxiv-api',
  'arxiv-rss': 'arxiv-rss',
  'arxiv-oai': 'arxiv-oai',
  'hf-papers-html': 'hf-papers-html',
  'daily-papers-text': 'daily-papers-text',
  file: null,
  upload: null,
};

export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** A source whose configuration can never produce a request (no URL, bad URL): not worth a retry. */
export class SourceConfigError extends Error {
  override name = 'SourceConfigError';
}

export function buildSourceRequest(
  source: Pick<SourceRow, 'kind' | 'url' | 'params' | 'checkpoint'> & Partial<Pick<SourceRow, 'harvested_until'>>,
  now = new Date(),
): SourceRequest {
  if (!source.url) throw new SourceConfigError(`source of kind ${source.kind} has no url`);
  const params = source.params ?? {};
  const formatHint =
    (typeof params.format === 'string' ? params.format : null) ?? FORMAT_OF_KIND[source.kind] ?? null;
  if (source.kind === 'file') return { url: source.url, formatHint };
  const url = new URL(source.url);
  switch (source.kind) {
    case 'hf-daily-papers': {
      // "today" follows the clock; a fixed date (or a backfill checkpoint) pins it.
      url.searchParams.set('date', hfDate(source, now));
      if (params.limit !== undefined) url.searchParams.set('limit', String(params.limit));
      const p = Number(source.checkpoint?.p ?? 0);
      if (p > 0) url.searchParams.set('p', String(p));
      break;
    }
    case 'arxiv-api': {
      for (const k of ['search_query', 'id_list', 'sortBy', 'sortOrder', 'max_results'] as const) {
        if (params[k] !== undefined) url.searchParams.set(k, String(params[k]));
      }
      url.searchParams.set('start', String(source.checkpoint?.start ?? params.start ?? 0));
      break;
    }
    case 'arxiv-oai': {
      const token = source.checkpoint?.resumptionToken as string | undefined;
      url.searchParams.set('verb', 'ListRecords');
      if (token) {
        url.searchParams.set('resumptionToken', token);
      } else {
        url.searchParams.set('metadataPrefix', String(params.metadataPrefix ?? 'arXiv'));
        const from = oaiFrom(params, source.harvested_until ?? null);
        if (from) url.searchParams.set('from', from);
        for (const k of ['until', 'set'] as const)
          if (params[k] !== undefined) url.searchParams.set(k, String(params[k]));
      }
      break;
    }
    default:
      break;
  }
  return { url: url.toString(), formatHint };
}

/**
 * `from` of a new OAI-PMH harvest: the later of the configured `from` and the day the last complete
 * harvest started (unless `incremental: false`, which re-harvests the configured range every time).
 * Day granularity overlaps a day with the last harvest; records seen again are no-ops downstream.
 */
export function oaiFrom(params: Record<string, unknown>, harvestedUntil: string | null): string | undefined {
  const configured = params.from === undefined ? undefined : String(params.from);
  if (params.incremental === false || params.incremental === 'false' || !harvestedUntil) return configured;
  return configured && configured.slice(0, 10) > harvestedUntil ? configured : harvestedUntil;
}

/**
 * Why an OAI-PMH response cannot be a whole page (undefined when it can be). A body cut short — an
 * empty 200, a proxy that truncates — carries no resumption token, so it would read as the end of the
 * list: the harvest would stop there, recorded as a success, and move its mark past the pages it never
 * fetched. Every OAI-PMH response, errors included, is one document ending in `</OAI-PMH>`.
 */
const OAI_PMH_END = /<\/(?:[A-Za-z_][\w.-]*:)?OAI-PMH>\s*$/;

export function incompleteOaiPage(body: Buffer | string): string | undefined {
  // The root may carry a namespace prefix (`</oai:OAI-PMH>`) on repositories other than arXiv's. Only the
  // tail is decoded: the page itself is not turned into a string here.
  if (OAI_PMH_END.test(body.slice(-256).toString())) return undefined;
  return `incomplete OAI-PMH response (${Buffer.byteLength(body)} bytes, no closing </OAI-PMH>)`;
}

/** The day an HF request asks for: the backfill checkpoint, else the range start, else the pinned date, else today. */
function hfDate(source: Pick<SourceRow, 'params' | 'checkpoint'>, now: Date): string {
  const params = source.params ?? {};
  if (typeof source.checkpoint?.date === 'string') return source.checkpoint.date;
  if (params.from !== undefined) return String(params.from);
  return params.date === undefined || params.date === 'today' ? isoDay(now) : String(params.date);
}

function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return isoDay(d);
}

/** Items of an HF page (0 when it is not a JSON array), counted without parsing the page into a tree. */
function hfItemCount(body: Buffer | string): number {
  try {
    return countJsonArrayElements(typeof body === 'string' ? Buffer.from(body) : body);
  } catch (err) {
    if (err instanceof FeedError) return 0;
    throw err;
  }
}

/** The paging a page states, or null when the page is not well-formed XML. */
function readPageFrame<T>(read: (xml: Buffer | string) => T, body: Buffer | string): T | null {
  try {
    return read(body);
  } catch (err) {
    if (err instanceof FeedError) return null;
    throw err;
  }
}

/**
 * Where paging goes after a page was fetched (the paging itself is read by libs/feeds, as the parser reads it):
 * - arxiv-oai: the page's resumptionToken (an empty or missing token, e.g. noRecordsMatch, ends the list);
 * - arxiv-api with `max_total`: `start` += `max_results` until the results (or max_total) run out;
 * - hf-daily-papers: the next `p` while a page is full (`limit`), then with `{from, to}` the next day.
 * Other kinds, and arxiv-api without `max_total`, are single requests.
 */
export function nextPage(
  source: Pick<SourceRow, 'kind' | 'params' | 'checkpoint'>,
  /** the page's bytes (a string in tests); only its frame is decoded */
  body: Buffer | string,
  now = new Date(),
): PageOutcome {
  const params = source.params ?? {};
  const cp = source.checkpoint;
  const pages = Number(cp?.pages ?? 0) + 1;
  switch (source.kind) {
    case 'arxiv-oai': {
      const page = readPageFrame(readOaiPageFrame, body);
      // A page that is not well-formed XML tells nothing about the list: it ends here, not harvested.
      if (!page) return { checkpoint: null, more: false };
      const token = page.resumptionToken;
      // The first page's responseDate rides along in the checkpoint to the last page (a checkpoint
      // without it, from an older version, leaves the harvest without an end day: nothing skipped).
      const started = cp ? (typeof cp.harvestStartedAt === 'string' ? cp.harvestStartedAt : undefined) : page.responseDay;
      if (token) return { checkpoint: { resumptionToken: token, pages, ...(started ? { harvestStartedAt: started } : {}) }, more: true };
      // A list that ends in an error other than "nothing new" (a bad token, a bad argument) was not
      // harvested to its end: the next run must not skip what it missed.
      const complete = page.errorCodes.every((code) => code === 'noRecordsMatch');
      return { checkpoint: null, more: false, ...(complete && started ? { harvestedUntil: started } : {}) };
    }
    case 'arxiv-api': {
      if (params.max_total === undefined) return { checkpoint: undefined, more: false };
      const first = Number(params.start ?? 0);
      const start = Number(cp?.start ?? first);
      const step = Number(params.max_results ?? 10);
      const page = readPageFrame(readAtomPageFrame, body);
      const total = page?.totalResults ?? 0;
      const entries = page?.entries ?? 0;
      const next = start + step;
      const end = Math.min(total, first + Number(params.max_total));
      return entries > 0 && next < end
        ? { checkpoint: { start: next, pages }, more: true }
        : { checkpoint: null, more: false };
    }
    case 'hf-daily-papers': {
      const date = hfDate(source, now);
      const p = Number(cp?.p ?? 0);
      const full = params.limit !== undefined && hfItemCount(body) >= Number(params.limit);
      if (full && p + 1 < HF_MAX_PAGES) return { checkpoint: { date, p: p + 1, pages }, more: true };
      if (params.from !== undefined && params.to !== undefined && date < String(params.to)) {
        return { checkpoint: { date: nextDay(date), p: 0, pages }, more: true };
      }
      return { checkpoint: null, more: false };
    }
    default:
      return { checkpoint: undefined, more: false };
  }
}

/** Stable short hash of a checkpoint (jsonb does not keep key order): names the job of its page. */
export function checkpointHash(cp: Checkpoint): string {
  const canonical = JSON.stringify(
    Object.keys(cp)
      .sort()
      .map((k) => [k, cp[k]]),
  );
  return createHash('sha256').update(canonical).digest('hex').slice(0, 24);
}

/** The job-id variant of the fetch of the page a checkpoint points at (`<fetch id>-c<hash>`). */
export function pageVariant(cp: Checkpoint): string {
  return `c${checkpointHash(cp)}`;
}

/** The job id of the fetch of the page a checkpoint points at; re-adds of the same page are no-ops. */
export function pageJobId(sourceId: string, cp: Checkpoint): string {
  return jobIdOf('fetch-source', { sourceId, reason: 'backfill' }, pageVariant(cp));
}

/** The checkpoint hash a page job was created for, or undefined for other fetch jobs. */
export function pageOfJob(sourceId: string, jobId: string | undefined): string | undefined {
  const prefix = `${jobIdOf('fetch-source', { sourceId, reason: 'backfill' })}-c`;
  return jobId?.startsWith(prefix) ? jobId.slice(prefix.length, prefix.length + 24) : undefined;
}
