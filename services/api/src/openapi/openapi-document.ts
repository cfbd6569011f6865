import type { INestApplication } from '@nestjs/common';
import {
  DocumentBuilder,
  SwaggerModule,
  type HeaderObject,
  type OpenAPIObject,
  type OperationObject,
  type ParameterObject,
  type ReferenceObject,
  type ResponseObject,
  type SecurityRequirementObject,
} from '@nestjs/swagger';
import type { ApiConfig } from '../api-config';
import { INFRA_PATHS, KEY_BOUND_CACHE_CONTROL, KEY_BOUND_SCOPES, type RouteScope } from '../auth/auth.guard';
import { ETAG_EXTENSION, HF_ERROR_SCHEMA, HTML_PAGE_EXTENSION, PAGED_EXTENSION, SCOPE_EXTENSION } from '../common/api-docs';
import { HF_PATH_PREFIX, PROBLEM_CONTENT_TYPE } from '../common/problem';
import { webhookComponents } from './webhooks';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const BODY_METHODS = new Set(['post', 'put', 'patch']);

const PROBLEM_REF = { $ref: '#/components/schemas/Problem' };
const header = (name: string): ReferenceObject => ({ $ref: `#/components/headers/${name}` });

/** RFC 9457 problem document, the body of every 4xx/5xx (see common/problem.ts). */
const PROBLEM_SCHEMA = {
  type: 'object',
  description: 'RFC 9457 problem details',
  required: ['type', 'title', 'status'],
  additionalProperties: false,
  properties: {
    type: { type: 'string', format: 'uri', example: 'https://paperwire.dev/problems/validation' },
    title: { type: 'string', example: 'Bad Request' },
    status: { type: 'integer', minimum: 400, maximum: 599, example: 400 },
    detail: { type: 'string', example: 'invalid query' },
    instance: { type: 'string', description: 'the request path', example: '/v1/papers' },
    errors: {
      type: 'array',
      description: 'one entry per invalid field',
      items: {
        type: 'object',
        required: ['field', 'detail'],
        additionalProperties: false,
        properties: {
          field: {
            type: 'string',
            description: 'query parameter, body JSON pointer (/filters/topics) or header',
          },
          detail: { type: 'string' },
        },
      },
    },
  },
} as const;

const integerHeader = (description: string): HeaderObject => ({
  description,
  schema: { type: 'integer', minimum: 0 },
});

const HEADERS: Record<string, HeaderObject> = {
  RetryAfter: { ...integerHeader('seconds to wait before retrying'), required: true },
  RateLimitLimit: integerHeader('requests allowed per minute for this client (API key, else IP); on every answer but /healthz, /readyz, /docs and /docs-json'),
  RateLimitRemaining: integerHeader('requests left in the current window'),
  RateLimitReset: integerHeader('seconds until the window resets'),
  ETag: {
    description: 'weak entity tag of the body; send it back in If-None-Match',
    schema: { type: 'string', pattern: '^W/".+"$' },
  },
  CacheControl: {
    description: '`public` for anonymous requests, `private` when a key was sent; max-age in seconds',
    schema: { type: 'string', pattern: '^(public|private), max-age=\\d+$' },
  },
  Vary: { description: 'responses differ by key', schema: { type: 'string' } },
  KeyBoundCacheControl: {
    description:
      'the answer belongs to the key that asked: no shared cache may store it; a client may keep it and revalidate with its ETag',
    required: true,
    schema: { type: 'string', enum: [KEY_BOUND_CACHE_CONTROL] },
  },
  KeyBoundVary: {
    description: 'names Authorization and X-API-Key: the answer differs by key',
    required: true,
    schema: { type: 'string', pattern: '(?=.*\\bAuthorization\\b)(?=.*\\bX-API-Key\\b)' },
  },
  WWWAuthenticate: { description: 'Bearer challenge', schema: { type: 'string' } },
  Link: {
    description: 'while there is a next page: `<path?…&cursor=…>; rel="next"` (RFC 8288; relative to the request), the same page as `nextCursor` (on /v1/daily: `after=…`, the same page as `nextAfter`)',
    schema: { type: 'string' },
  },
};

/** What a response looks like with an error body: a problem document. */
const problemResponse = (description: string): ResponseObject => ({
  description,
  content: { [PROBLEM_CONTENT_TYPE]: { schema: PROBLEM_REF } },
});

// Statuses any routed request can get, whatever the operation: a key in the URL or a NUL (400), a bad
// key presented even to a public route (401), a rate or concurrency limit (429), a bug (500), overload
// or a saturated database (503).
const EVERY_OPERATION: Record<number, string> = {
  400: 'invalid request',
  401: 'the API key sent is unknown or revoked',
  429: 'rate limit, per-client concurrency limit or failed-authentication budget exceeded',
  500: 'unexpected error',
  503: 'overloaded or a dependency is unavailable; retry after Retry-After',
};

const SCOPE_TEXT: Record<Exclude<RouteScope, 'public'>, string> = {
  read: 'a key with any scope',
  subscriptions: 'a key with scope `subscriptions` (or `admin`)',
  admin: 'a key with scope `admin`',
};

const KEYED: SecurityRequirementObject[] = [{ bearer: [] }, { apiKey: [] }];

function securityFor(scope: RouteScope, readRequiresKey: boolean): SecurityRequirementObject[] {
  if (scope === 'public') return [];
  // An empty requirement: the operation answers without a key.
  if (scope === 'read' && !readRequiresKey) return [{}, ...KEYED];
  return KEYED;
}

function isRef(x: unknown): x is ReferenceObject {
  return typeof x === 'object' && x !== null && '$ref' in x;
}

function finishOperation(
  path: string,
  method: string,
  op: OperationObject & Record<string, unknown>,
  readRequiresKey: boolean,
): void {
  const infra = INFRA_PATHS.has(path);
  const scope = (op[SCOPE_EXTENSION] as RouteScope | undefined) ?? (infra ? 'public' : 'read');
  op[SCOPE_EXTENSION] = scope;
  op.security = securityFor(scope, readRequiresKey);
  if (scope !== 'public') {
    const needs =
      scope === 'read' && !readRequiresKey
        ? 'No key needed; a key sent is checked'
        : `Needs ${SCOPE_TEXT[scope]}`;
    op.description = [op.description, `${needs} (Authorization: Bearer pw_… or X-API-Key).`]
      .filter(Boolean)
      .join('\n\n');
  }

  for (const p of (op.parameters ?? []) as ParameterObject[]) {
    // An untyped query or path parameter is a string (that is what arrives on the wire).
    if (p.schema && !isRef(p.schema) && Object.keys(p.schema).filter((k) => k !== 'example').length === 0)
      p.schema = { type: 'string', ...p.schema };
  }

  const responses = op.responses as Record<string, ResponseObject>;
  // Infra routes skip the guard's key check (no 401); the NUL refusal and the overload limits apply.
  for (const [status, description] of Object.entries(EVERY_OPERATION))
    if (!(infra && status === '401')) responses[status] ??= { description };
  // The body limit applies to whatever a client sends, documented body or not.
  if (op.requestBody || BODY_METHODS.has(method)) {
    responses['413'] ??= { description: 'request body larger than the allowed maximum' };
    responses['415'] ??= { description: 'a request body that is not JSON (or not UTF-8)' };
  }

  const etag = op[ETAG_EXTENSION] === true;
  const htmlPage = op[HTML_PAGE_EXTENSION] === true;
  const paged = op[PAGED_EXTENSION] === true;
  delete op[PAGED_EXTENSION];
  delete op[ETAG_EXTENSION];
  delete op[HTML_PAGE_EXTENSION];
  // A keyed read's answer is revalidated rather than stored (auth.guard.ts KEY_BOUND_CACHE_CONTROL): it carries the
  // ETag of its body and a matching If-None-Match is a 304, as on the public reads.
  const keyBound = KEY_BOUND_SCOPES.has(scope);
  if (etag || (keyBound && method === 'get'))
    responses['304'] = {
      description: 'not modified: the If-None-Match tag matches',
      headers: { ETag: header('ETag') },
    };

  // The HF-compatible API answers every error in HF's shape (sendProblem), whoever answers it.
  const hf = path.startsWith(HF_PATH_PREFIX);
  for (const [status, res] of Object.entries(responses)) {
    const code = Number(status);
    if (code >= 400 && hf) res.content = { 'application/json': { schema: { ...HF_ERROR_SCHEMA, required: [...HF_ERROR_SCHEMA.required] } } };
    else if (code >= 400 && !res.content) Object.assign(res, problemResponse(res.description || 'problem'));
    // A route with its own error shape (the HF-compatible ones) still gets the guard's and the
    // middleware's problem documents for the statuses those produce.
    else if (code >= 400 && status in EVERY_OPERATION && res.content && !res.content[PROBLEM_CONTENT_TYPE])
      res.content[PROBLEM_CONTENT_TYPE] = { schema: PROBLEM_REF };
    // A page for browsers answers its own errors as pages too.
    if (code >= 400 && htmlPage && res.content) res.content['text/html'] ??= { schema: { type: 'string' } };
    const headers: Record<string, ReferenceObject | HeaderObject> = { ...(res.headers ?? {}) };
    // Every request is counted before anything answers it (auth/throttle.ts countRequest), so every answer carries
    // its caller's counters, a 401 or a 404 too; the probes (RATE_LIMIT_EXEMPT) are not rate-limited.
    if (!infra)
      Object.assign(headers, {
        'X-RateLimit-Limit': header('RateLimitLimit'),
        'X-RateLimit-Remaining': header('RateLimitRemaining'),
        'X-RateLimit-Reset': header('RateLimitReset'),
      });
    if (code === 429 || code === 503) headers['Retry-After'] = header('RetryAfter');
    if (code === 401) headers['WWW-Authenticate'] = header('WWWAuthenticate');
    if (etag && code === 200)
      Object.assign(headers, {
        ETag: header('ETag'),
        'Cache-Control': header('CacheControl'),
        Vary: header('Vary'),
      });
    if (paged && code === 200) headers.Link = header('Link');
    // Routes that need a subscriptions or admin key answer for that key alone (auth.guard.ts KEY_BOUND_CACHE_CONTROL).
    if (keyBound && code >= 200 && code < 300 && code !== 204 && !etag)
      Object.assign(headers, {
        'Cache-Control': header('KeyBoundCacheControl'),
        Vary: header('KeyBoundVary'),
        ...(method === 'get' ? { ETag: header('ETag') } : {}),
      });
    if (Object.keys(headers).length > 0) res.headers = headers;
  }
}

/** Null and nothing else, in OAS 3.0.3 terms (`nullable` adds null to the type; the enum leaves only null). */
const NULL_ONLY = { type: 'object', nullable: true, enum: [null] };

/**
 * Says "or null" the way strict OAS 3.0.3 validators read it. @nestjs/swagger writes a nullable DTO as
 * `nullable: true, type: object, allOf: [$ref]`, but `nullable` only widens the `type` beside it: the
 * referenced schema still refuses null. Such a schema becomes `oneOf: [$ref, null-only]`; a nullable
 * enum lists null among its values.
 */
function strictNulls(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strictNulls);
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = strictNulls(v);
  if (out.nullable !== true) return out;
  if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...(out.enum as unknown[]), null];
  const refs = (out.allOf ?? (out.$ref ? [{ $ref: out.$ref }] : undefined)) as unknown[] | undefined;
  if (!refs) return out;
  const { nullable: _n, type: _t, allOf: _a, $ref: _r, ...rest } = out;
  return { ...rest, oneOf: [refs.length === 1 ? refs[0] : { allOf: refs }, NULL_ONLY] };
}

/**
 * Every request body the api reads is a strict zod object ("the body has an unknown key …; accepted: …"): the schemas
 * a request body names, and those they name in turn, say `additionalProperties: false`, so a generated client refuses
 * the same keys (request-bodies.spec.ts compares each with its zod schema).
 */
function closeRequestBodies(doc: OpenAPIObject): void {
  const schemas = (doc.components?.schemas ?? {}) as Record<string, Record<string, unknown>>;
  const seen = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== 'object' || node === null) return;
    const ref = (node as { $ref?: unknown }).$ref;
    if (typeof ref === 'string' && ref.startsWith('#/components/schemas/')) {
      const name = ref.slice('#/components/schemas/'.length);
      if (seen.has(name) || !schemas[name]) return;
      seen.add(name);
      if (schemas[name].type === 'object' && schemas[name].additionalProperties === undefined) schemas[name].additionalProperties = false;
      return visit(schemas[name]);
    }
    for (const v of Object.values(node)) visit(v);
  };
  for (const item of Object.values(doc.paths))
    for (const method of HTTP_METHODS) visit((item[method] as OperationObject | undefined)?.requestBody);
}

/**
 * Turns what @nestjs/swagger builds from the decorators into the contract the api keeps: security
 * from the guard's scopes (reads are public unless API_READ_REQUIRES_KEY), a problem+json body and
 * the retry headers on every error, the cache headers on ETag routes, the statuses the middleware
 * adds to every route, and the webhook payloads PaperWire sends.
 */
export function finishDocument(doc: OpenAPIObject, opts: { readRequiresKey: boolean }): OpenAPIObject {
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (op)
        finishOperation(path, method, op as OperationObject & Record<string, unknown>, opts.readRequiresKey);
    }
  }
  const components = (doc.components ??= {});
  components.schemas = strictNulls({
    ...components.schemas,
    Problem: PROBLEM_SCHEMA,
    ...webhookComponents.schemas,
  }) as typeof components.schemas;
  doc.paths = strictNulls(doc.paths) as typeof doc.paths;
  closeRequestBodies(doc);
  components.headers = { ...components.headers, ...HEADERS };
  // Reads are public by default: operations say so themselves, no global requirement.
  delete doc.security;
  // 3.0.3: the patch release that states what `nullable` means (strictNulls writes nulls its way).
  doc.openapi = '3.0.3';
  (doc as OpenAPIObject & { 'x-webhooks'?: unknown })['x-webhooks'] = webhookComponents.webhooks;
  return doc;
}

export function openApiDocument(
  app: INestApplication,
  config: Pick<ApiConfig, 'PUBLIC_URL' | 'API_READ_REQUIRES_KEY'>,
): OpenAPIObject {
  const doc = new DocumentBuilder()
    .setTitle('PaperWire API')
    .setDescription(
      'Research papers as structured records: topics, numeric claims, sightings; subscriptions, sources and pipeline stats. ' +
        'Errors are application/problem+json (RFC 9457). Every answer carries the caller\'s rate-limit counters (X-RateLimit-Limit, -Remaining, -Reset: per API key when a valid one is sent, else per client address; an error, a 404 and a cached answer too), except the routes deliberately not rate-limited: /healthz, /readyz, /docs and /docs-json. A /v1 operation takes exactly the query parameters it lists: any other is a 400 naming it ' +
        '(but utm_* campaign tags, which are ignored; the links in mails ignore every parameter they do not read, and so does the Hugging Face-compatible /api, as Hugging Face does). Reads are public by default (a deployment can require a key for them: ' +
        'API_READ_REQUIRES_KEY); writes need a key with the scope each operation names. API keys go in ' +
        '`Authorization: Bearer <key>` or `X-API-Key`, never in the URL. Webhook payloads are under `x-webhooks` ' +
        '(signing and retries: libs/notifications/WEBHOOKS.md).',
    )
    .setVersion('1')
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    .addTag('papers', 'Papers: search and list (cursor pages), one paper, the day and trending listings')
    .addTag('topics', 'The taxonomy with paper counts and trends')
    .addTag('claims', 'Numeric claims across papers, filtered by metric, kind, unit and value')
    .addTag('stats', 'Pipeline health')
    .addTag('feeds', 'Atom and JSON Feed per topic or saved search')
    .addTag(
      'subscriptions',
      'Webhook and email subscriptions, their confirmation and unsubscribe links. A key lists and changes the subscriptions it made; ' +
        'an admin key also reaches any subscription by its id, and lists every one at GET /v1/admin/subscriptions.',
    )
    .addTag('sources', 'Feed sources (admin)')
    .addTag('admin', 'API keys, every subscription, failed jobs (admin)')
    .addTag(
      'hugging-face-compatible',
      'A drop-in for the Hugging Face Daily Papers API, in its shapes. Like Hugging Face, these operations ignore query parameters they do not read (every /v1 operation refuses them: 400).',
    )
    .addTag('health', 'Liveness and readiness')
    .addTag(
      'webhooks',
      'What PaperWire POSTs to a webhook subscription (signing, retries: libs/notifications/WEBHOOKS.md)',
    )
    .addServer(config.PUBLIC_URL)
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'pw_<43 base64url characters>',
        description:
          'An opaque PaperWire API key, `pw_` followed by 43 base64url characters (`paperwire keys create`).',
      },
      'bearer',
    )
    .addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: 'X-API-Key',
        description: 'The same API key, in its own header.',
      },
      'apiKey',
    )
    .build();
  return finishDocument(SwaggerModule.createDocument(app, doc), {
    readRequiresKey: config.API_READ_REQUIRES_KEY,
  });
}
