// Builds the request for a source from its kind, URL, params and checkpoint. Pure: unit-tested.
import type { SourceRow } from './source.repository';

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

export function buildSourceRequest(source: Pick<SourceRow, 'kind' | 'url' | 'params' | 'checkpoint'>, now = new Date()): SourceRequest {
  if (!source.url) throw new Error(`source of kind ${source.kind} has no url`);
  const params = source.params ?? {};
  const formatHint = (typeof params.format === 'string' ? params.format : null) ?? FORMAT_OF_KIND[source.kind] ?? null;
  if (source.kind === 'file') return { url: source.url, formatHint };
  const url = new URL(source.url);
  switch (source.kind) {
    case 'hf-daily-papers': {
      // "today" follows the clock; a fixed date (or a backfill checkpoint) pins it.
      const date = (source.checkpoint?.date as string | undefined) ?? (params.date === undefined || params.date === 'today' ? isoDay(now) : String(params.date));
      url.searchParams.set('date', date);
      if (params.limit !== undefined) url.searchParams.set('limit', String(params.limit));
      if (source.checkpoint?.p !== undefined) url.searchParams.set('p', String(source.checkpoint.p));
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
        for (const k of ['from', 'until', 'set'] as const) if (params[k] !== undefined) url.searchParams.set(k, String(params[k]));
      }
      break;
    }
    default:
      break;
  }
  return { url: url.toString(), formatHint };
}

/** The OAI-PMH resumption token of a page, '' when the list is complete, undefined when absent. */
export function oaiResumptionToken(body: string): string | undefined {
  const m = /<resumptionToken\b[^>]*?(?:\/>|>([^<]*)<\/resumptionToken>)/.exec(body);
  if (!m) return undefined;
  return (m[1] ?? '').trim();
}
