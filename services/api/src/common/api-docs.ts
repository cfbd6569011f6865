import { Delete, HttpCode, applyDecorators } from '@nestjs/common';
import { ApiExtension, ApiNoContentResponse, ApiOperation, ApiQuery, ApiResponse } from '@nestjs/swagger';
import { CLAIM_KINDS, CLAIM_UNITS, CONTRIBUTION_TYPES } from '@paperwire/contracts';

/** The scope the guard asks for (RequireScope); the document builder turns it into `security`. */
export const SCOPE_EXTENSION = 'x-required-scope';
/** Marks an operation answered by sendWithEtag: ETag, Cache-Control and Vary on 200, and 304. */
export const ETAG_EXTENSION = 'x-paperwire-etag';
/** marks a cursor-paged operation: its 200 carries `Link: <…>; rel="next"` while there is a next page */
export const PAGED_EXTENSION = 'x-paperwire-paged';

/** HF's error body, `{"error": "…"}`: every error of the HF-compatible API (/api/*) is answered so (sendProblem). */
export const HF_ERROR_SCHEMA = { type: 'object', required: ['error'], properties: { error: { type: 'string' } } } as const;

/** Marks an operation that answers browsers with HTML pages, errors included (wantsHtml). */
export const HTML_PAGE_EXTENSION = 'x-paperwire-html-page';

/**
 * A page behind an emailed link (confirm, unsubscribe): HTML for browsers, JSON `{id, status}` for
 * API clients; its errors are HTML pages too, or problem documents for API clients.
 */
export function ApiLinkPage(description: string) {
  return applyDecorators(
    ApiResponse({
      status: 200,
      description,
      content: {
        'text/html': { schema: { type: 'string' } },
        'application/json': {
          schema: { type: 'object', required: ['id', 'status'], properties: { id: { type: 'string', format: 'uuid' }, status: { type: 'string' } } },
        },
      },
    }),
    ApiExtension(HTML_PAGE_EXTENSION, true),
  );
}

/** The operation sends a weak ETag with Cache-Control and answers 304 to a matching If-None-Match. */
export const ApiEtag = () => ApiExtension(ETAG_EXTENSION, true);

const PROBLEM = { description: 'problem (application/problem+json, RFC 9457)' };

/** Standard problem responses for an operation. */
export function ApiProblems(...statuses: number[]) {
  return applyDecorators(...statuses.map((status) => ApiResponse({ status, ...PROBLEM })));
}

/** A DELETE route that answers 204 with no body (`noContent` describes it), or 401/403/404/429. */
export function DeleteRoute(path: string, summary: string, noContent?: string) {
  return applyDecorators(
    Delete(path),
    HttpCode(204),
    ApiOperation({ summary }),
    ApiNoContentResponse(noContent === undefined ? undefined : { description: noContent }),
    ApiProblems(401, 403, 404, 429),
  );
}

export function ApiClaimFilters() {
  return applyDecorators(
    ApiQuery({ name: 'claimMetric', required: false, description: 'metric a claim measures (case-insensitive), e.g. accuracy; an empty value is no filter' }),
    ApiQuery({ name: 'claimKind', required: false, enum: CLAIM_KINDS }),
    ApiQuery({ name: 'claimUnit', required: false, enum: CLAIM_UNITS }),
    ApiQuery({ name: 'claimMin', required: false, type: Number, description: 'claim value at least' }),
    ApiQuery({ name: 'claimMax', required: false, type: Number, description: 'claim value at most' }),
  );
}

/** The filters of GET /v1/papers (`period: false`: without since/until, as the saved-search feed takes them). */
export function ApiPaperFilters({ period = true }: { period?: boolean } = {}) {
  return applyDecorators(
    ApiQuery({ name: 'topic', required: false, description: 'topic slug(s), any case: comma list or repeated (any of); an empty value is no filter', isArray: true, type: String }),
    ApiQuery({ name: 'q', required: false, description: 'full-text query over titles, abstracts and authors\' names, ranked in that order (web search syntax: "phrase", -not, or)' }),
    ...(period
      ? [
          ApiQuery({ name: 'since', required: false, description: 'ISO date/date-time, on the listing date: publication date, else the day a source featured it, else first seen' }),
          ApiQuery({ name: 'until', required: false, description: 'ISO date/date-time (a bare date includes that day)' }),
        ]
      : []),
    ApiQuery({ name: 'source', required: false, description: 'source name or kind, in any case (e.g. hf-daily-papers; a file source counts as the kind it replays; a subscription\'s `sources` match the same way), repeated for any of them; an empty value is no filter; one that names no source is a 400 suggesting the closest kind', isArray: true, type: String }),
    ApiQuery({ name: 'hasCode', required: false, type: Boolean }),
    ApiQuery({ name: 'contribution', required: false, enum: CONTRIBUTION_TYPES }),
    ApiClaimFilters(),
  );
}

/**
 * A whole-number query parameter with the bounds its validator enforces, in the schema (`minimum`, `maximum`,
 * `default`) where generated clients read them, and in words for people.
 */
export function ApiIntQuery(name: string, range: { min: number; max: number; default?: number }, description?: string) {
  const words = `${range.min}–${range.max}${range.default === undefined ? '' : `, default ${range.default}`}`;
  return ApiQuery({
    name,
    required: false,
    schema: {
      type: 'integer',
      minimum: range.min,
      maximum: range.max,
      ...(range.default === undefined ? {} : { default: range.default }),
    },
    description: description ? `${description} (${words})` : words,
  });
}

/** A 201's `Location`: where the created resource is read (`GET`, with the same key), relative to the API's root. */
export const createdAt = (path: string) => ({
  Location: { required: true, description: `the created resource: ${path}`, schema: { type: 'string', pattern: '^/v1/' } },
});

export function ApiPaging() {
  return applyDecorators(
    ApiExtension(PAGED_EXTENSION, true),
    ApiIntQuery('limit', { min: 1, max: 100, default: 20 }),
    ApiQuery({ name: 'cursor', required: false, description: 'opaque cursor from nextCursor, given with the filters of the request that returned it (`/v1/papers` answers a cursor given with other filters with a 400)' }),
  );
}
