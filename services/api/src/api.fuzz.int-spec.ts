import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import fc from 'fast-check';
import { Agent, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApiKey } from '@paperwire/db';
import { createTestDb, dropQueuePrefix, seedPaper, seedSource, seedTopic, type TestDb, uniqueName } from '@paperwire/testing';
import { createTestApp } from './testing/app';
import { routesOfRouter } from './testing/routes';

// Bad input (issues 9 and 14): every route the api's router has (found in the Express stack, so a
// route added later is fuzzed without touching this file), the HTML and form pages (/, /subscribe,
// /ops, confirm and unsubscribe pages) and Bull Board (/ops/queues, mounted outside Nest) get random
// and mutated path parameters, query strings, bodies, content types and cookies, with no key, a bad
// key, a read key, a subscriptions key and an admin key. Whatever comes in, the api must answer
// without a 5xx and without dropping the connection; every 4xx is an RFC 9457 problem document (or
// an HTML page on the HTML routes); no body leaks a stack trace or SQL. Seeded; the run is bounded by
// FUZZ_BUDGET_MS (every route still gets its minimum number of requests).

jest.setTimeout(180_000);

const SEED = Number(process.env.FUZZ_SEED ?? 20261124);
/** requests per route (GET / with a body), spread over the five key kinds */
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const BODY_RUNS = Number(process.env.FUZZ_BODY_RUNS ?? 70);
/** every route gets at least this many, whatever the budget */
const MIN_RUNS = 10;
const BUDGET_MS = Number(process.env.FUZZ_BUDGET_MS ?? 35_000);
const PARALLEL = 4;

interface Sent {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

interface Received {
  status: number;
  contentType: string;
  body: string;
  setCookie?: string;
  /** the Connection header: `close` when the server ends the connection after this answer */
  connection?: string;
}

// Phrases that only a leaked exception, stack or SQL error would put in a body; the fuzz inputs
// never contain them, so they cannot be echoes of the request.
const LEAKS: RegExp[] = [
  /\bat [\w.<>]+ \(.*:\d+:\d+\)/,
  /\/work\/|node_modules|\.ts:\d+/,
  /QueryFailedError|TypeError|ReferenceError|RangeError|SyntaxError: /,
  /invalid input syntax for type|violates (?:not-null|unique|check|foreign key)|syntax error at or near|relation "[^"]+" does not exist|column "[^"]+" does not exist/,
  /invalid byte sequence for encoding|date\/time field value out of range|value too long for type|out of range for type/,
  /\bFROM papers\b|\bFROM subscriptions\b|\bWHERE p\.|\$\d+::/,
];

/** Percent-encodes every byte outside a small safe set; lone surrogates become U+FFFD as on the wire. */
function enc(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    out += /[A-Za-z0-9._~-]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

// --- generators ------------------------------------------------------------------------------

const MB = 1024 * 1024;
const NASTY = [
  '',
  ' ',
  "' OR '1'='1",
  "1'; DROP TABLE papers; --",
  '1) OR (1=1',
  '"; SELECT pg_sleep(10); --',
  '$1',
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '/etc/passwd',
  'file:///etc/passwd',
  '\u0000',
  'a\u0000b',
  '\uD800',
  '\uDFFFx',
  '\uFFFF',
  '\u202Eevil',
  '😀🚀',
  'NaN',
  'Infinity',
  '-Infinity',
  '1e309',
  '-1e309',
  '-1',
  '0',
  '-0',
  '1.5',
  '0x1F',
  '9007199254740993',
  '99999999999999999999999999999999',
  '-99999999999999999999',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  'prototype',
  '<script>alert(1)</script>',
  '${7*7}',
  '{{7*7}}',
  '%',
  '%%',
  '%ZZ',
  '%C0%AF',
  '2024-02-30',
  '2024-13-01',
  '0000-01-01',
  '9999-12-31T23:59:59.999999999Z',
  '2024-01-01T25:61:61Z',
  '2024-01-01T10:00:00+99:99',
  '1970-01-01',
  '-2024-01-01',
  '275760-09-13',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '2401.00001',
  '2401.00001v999999999999',
  'hep-th/9901001',
  'a'.repeat(10_000),
  'é'.repeat(3000),
];

const nasty = fc.constantFrom(...NASTY);
const anyText = fc.oneof(
  { weight: 4, arbitrary: nasty },
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.array(nasty, { minLength: 1, maxLength: 4 }).map((a) => a.join('')) },
  { weight: 2, arbitrary: fc.double().map(String) },
  { weight: 2, arbitrary: fc.bigInt().map(String) },
  { weight: 2, arbitrary: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()) },
  { weight: 1, arbitrary: fc.uuid().map(String) },
);

/** A cursor that decodes: right shape, wrong values (strings where dates or ids belong, etc.). */
const forgedCursor = fc
  .record({
    s: fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom('recent', 'relevance', 'trending', 'claims') },
      { weight: 1, arbitrary: fc.string() },
    ),
    k: fc.array(fc.oneof(anyText, fc.double(), fc.integer(), fc.constant(null), fc.boolean()), {
      minLength: 2,
      maxLength: 3,
    }),
  })
  .map((c) => Buffer.from(JSON.stringify(c)).toString('base64url'));
const cursorValue = fc.oneof(
  { weight: 1, arbitrary: anyText },
  { weight: 4, arbitrary: forgedCursor },
  {
    weight: 1,
    arbitrary: fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v) ?? '').toString('base64url')),
  },
);

/** One query value: a scalar, or the same key repeated. */
const queryValue = (name: string) => {
  const scalar =
    name === 'cursor'
      ? cursorValue
      : name === 'sort'
        ? fc.oneof(fc.constantFrom('recent', 'relevance', 'trending'), anyText)
        : anyText;
  return fc.oneof(
    { weight: 5, arbitrary: scalar.map((v) => [v]) },
    { weight: 1, arbitrary: fc.array(scalar, { minLength: 2, maxLength: 3 }) },
  );
};

function queryArb(names: string[]): fc.Arbitrary<string> {
  const known = names.length > 0 ? fc.constantFrom(...names) : fc.constant('q');
  const key = fc.oneof(
    { weight: 6, arbitrary: known },
    { weight: 1, arbitrary: anyText.filter((s) => s.length < 200) },
    { weight: 1, arbitrary: known.map((k) => `${k}[]`) },
  );
  return fc
    .array(
      key.chain((k) => queryValue(k).map((vs) => vs.map((v) => `${enc(k)}=${enc(v)}`).join('&'))),
      { maxLength: 5 },
    )
    .map((parts) => parts.join('&'));
}

function pathValueArb(name: string, template: string, ids: Record<string, string[]>): fc.Arbitrary<string> {
  const real = ids[name] && ids[name].length > 0 ? [fc.constantFrom(...ids[name])] : [];
  const raw = anyText.map(enc);
  const special: fc.Arbitrary<string>[] = [];
  if (template.includes('{file}'))
    special.push(
      fc.tuple(anyText, fc.constantFrom('atom', 'json', 'xml', '')).map(([s, f]) => enc(`${s}.${f}`)),
    );
  if (name === 'queue')
    special.push(
      fc.constantFrom(
        'fetch',
        'parse',
        'search',
        'classify',
        'extract',
        'notify',
        'deliver',
        'maintenance',
        '..',
        '%2e%2e',
        '%00',
      ),
    );
  // Raw, possibly invalid, percent-encodings the client would never produce.
  special.push(
    fc.constantFrom('%', '%ZZ', '%C0%AF', '%FF%FE', '%E2%82', '..%2F..%2Fetc%2Fpasswd', '%2e%2e', '%00'),
  );
  return fc.oneof(
    ...real.map((arbitrary) => ({ weight: 2, arbitrary })),
    { weight: 6, arbitrary: raw },
    { weight: 2, arbitrary: fc.oneof(...special) },
  );
}

/** Mutates a valid body: a field replaced, removed or added; the whole thing swapped or wrapped. */
function mutated(valid: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<unknown> {
  const evil = fc.oneof(
    anyText,
    fc.jsonValue({ maxDepth: 3 }),
    fc.constantFrom(
      null,
      true,
      false,
      0,
      -1,
      1e308,
      -1e308,
      2 ** 53 + 1,
      0.5,
      [],
      {},
      [[[]]],
      { $gt: '' },
      { __proto__: { admin: true } },
    ),
    fc.constant('x'.repeat(MB)),
  );
  return fc.oneof(
    { weight: 2, arbitrary: valid },
    {
      weight: 5,
      arbitrary: fc.tuple(valid, fc.nat(), evil).map(([v, i, e]) => {
        const keys = Object.keys(v);
        if (keys.length === 0) return { x: e };
        return { ...v, [keys[i % keys.length]]: e };
      }),
    },
    {
      weight: 3,
      arbitrary: fc.tuple(valid, fc.nat(), fc.nat(), evil).map(([v, i, j, e]) => {
        // nested: replace a field inside a nested object when there is one
        const keys = Object.keys(v).filter((k) => v[k] && typeof v[k] === 'object' && !Array.isArray(v[k]));
        if (keys.length === 0) return v;
        const k = keys[i % keys.length];
        const inner = v[k] as Record<string, unknown>;
        const ik = Object.keys(inner);
        return { ...v, [k]: ik.length === 0 ? { extra: e } : { ...inner, [ik[j % ik.length]]: e } };
      }),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(valid, fc.nat())
        .map(([v, i]) =>
          Object.fromEntries(
            Object.entries(v).filter((_, n) => n !== i % Math.max(1, Object.keys(v).length)),
          ),
        ),
    },
    { weight: 1, arbitrary: fc.tuple(valid, anyText, evil).map(([v, k, e]) => ({ ...v, [k]: e })) },
    { weight: 1, arbitrary: valid.map((v) => [v]) },
    { weight: 1, arbitrary: fc.jsonValue() },
  );
}

const topicSlugs = fc.array(fc.constantFrom('llm', 'vision', 'rl', 'nope', 'LLM', 'a-b'), { maxLength: 3 });
const filterArb = fc.record(
  {
    topics: fc.record(
      {
        slugs: topicSlugs,
        match: fc.constantFrom('any', 'all'),
        minScore: fc.double({ min: 0, max: 1, noNaN: true }),
      },
      { requiredKeys: ['slugs'] },
    ),
    keywords: fc.array(fc.string({ maxLength: 20 }), { maxLength: 3 }),
    hasCode: fc.boolean(),
    claims: fc.array(
      fc.record(
        {
          metric: fc.constantFrom('accuracy', 'speed'),
          min: fc.double({ noNaN: true }),
          max: fc.double({ noNaN: true }),
        },
        { requiredKeys: [] },
      ),
      { maxLength: 2 },
    ),
  },
  { requiredKeys: [] },
);
const scheduleArb = fc.record(
  {
    hour: fc.integer({ min: -2, max: 25 }),
    minute: fc.integer({ min: 0, max: 59 }),
    timeZone: fc.constantFrom('UTC', 'Europe/Paris', 'Mars/Olympus', ''),
    weekday: fc.integer({ min: 0, max: 7 }),
  },
  { requiredKeys: ['hour'] },
);
// Targets are IP literals or invalid, so no DNS lookups slow the run down.
const targetArb = fc.oneof(
  fc.constantFrom(
    'http://93.184.215.14/hook',
    'https://1.1.1.1/x',
    'http://127.0.0.1/',
    'http://[::1]/',
    'http://169.254.169.254/',
    'gopher://x',
    'data:,x',
    'file:///etc/passwd',
    'a@b.co',
    'not a url',
  ),
  anyText,
);
const subscriptionBody = fc.record(
  {
    name: fc.string({ maxLength: 30 }),
    channel: fc.constantFrom('webhook', 'email'),
    target: targetArb,
    filters: filterArb,
    mode: fc.constantFrom('instant', 'daily', 'weekly'),
    schedule: scheduleArb,
  },
  { requiredKeys: ['channel', 'target'] },
);
const subscriptionPatch = fc.record(
  {
    name: fc.string({ maxLength: 30 }),
    target: targetArb,
    filters: filterArb,
    mode: fc.constantFrom('instant', 'daily', 'weekly'),
    schedule: fc.option(scheduleArb),
    status: fc.constantFrom('active', 'paused', 'disabled'),
  },
  { requiredKeys: [] },
);
const sourceBody = fc.record(
  {
    name: fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.uuid().map((u) => `src-${u}`),
    ),
    kind: fc.constantFrom('hf-daily-papers', 'arxiv-api', 'arxiv-rss', 'arxiv-oai', 'file', 'upload', 'nope'),
    url: fc.oneof(targetArb, fc.constant(null)),
    params: fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
    everySeconds: fc.oneof(fc.integer(), fc.constant(null)),
    enabled: fc.boolean(),
    allowPrivate: fc.constant(false),
    minIntervalMs: fc.integer(),
  },
  { requiredKeys: ['name', 'kind'] },
);
const keyBody = fc.record(
  {
    name: fc.string({ maxLength: 30 }),
    scopes: fc.array(fc.constantFrom('read', 'subscriptions', 'admin', 'root'), { maxLength: 4 }),
  },
  { requiredKeys: [] },
);

/** Raw bodies that are not JSON at all, or JSON that is hostile to parsers. */
const rawBody = fc.constantFrom(
  '{',
  '{"a":',
  '\u0000',
  'null',
  '"just a string"',
  '[]',
  '1e999999',
  '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}',
  '['.repeat(5000) + ']'.repeat(5000),
  '{"a":'.repeat(2000) + '1' + '}'.repeat(2000),
  `{"name":"${'x'.repeat(2 * MB)}"}`,
  '\xEF\xBB\xBF{}',
);

// ---------------------------------------------------------------------------------------------

interface Operation {
  method: string;
  template: string;
  pathParams: string[];
  queryParams: string[];
  hasBody: boolean;
}

function operationsFrom(doc: {
  paths: Record<
    string,
    Record<string, { parameters?: { name: string; in: string }[]; requestBody?: unknown }>
  >;
}): Operation[] {
  const ops: Operation[] = [];
  for (const [template, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      if (!['get', 'post', 'patch', 'put', 'delete'].includes(method)) continue;
      const params = op.parameters ?? [];
      ops.push({
        method: method.toUpperCase(),
        template,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: params.filter((p) => p.in === 'query').map((p) => p.name),
        hasBody: Boolean(op.requestBody) || method === 'post' || method === 'patch',
      });
    }
  }
  return ops;
}

function bodyArbFor(op: Operation): fc.Arbitrary<unknown> {
  if (op.template === '/v1/subscriptions') return mutated(subscriptionBody);
  if (op.template.startsWith('/v1/subscriptions/')) return mutated(subscriptionPatch);
  if (op.template === '/v1/sources' || (op.template.startsWith('/v1/sources/') && op.method === 'PATCH'))
    return mutated(sourceBody);
  if (op.template === '/v1/admin/keys') return mutated(keyBody);
  return fc.jsonValue({ maxDepth: 3 });
}

/** A route of the api as the fuzzer sees it. `template` is in OpenAPI form (`/v1/papers/{id}`). */
interface Route {
  method: string;
  template: string;
  pathParams: string[];
  queryParams: string[];
  hasBody: boolean;
  /** answers with HTML pages (4xx included) rather than problem documents */
  html: boolean;
  form: boolean;
}

// Parameters the fuzzer tries on every route besides the documented ones: every date-like name
// (issue 14: each must be range-checked), paging, search and the link token (`t`).
const DATE_QUERY = ['date', 'since', 'until', 'week', 'month'];
const EXTRA_QUERY = [...DATE_QUERY, 'limit', 'offset', 'cursor', 'q', 'topic', 'sort', 'window', 'tab', 't', 'format'];
// Sent to every route whatever the random run draws: the inputs of issue 14's unauthenticated 500s.
const BAD_DATES = ['0000-01-01', '0001-01-01T00:00:00Z', '275760-09-13', '1990-12-31'];
const BAD_COOKIES = ['pw_csrf=%E0%A4%A', 'pw_ops_session=%', 'pw_csrf=%; pw_ops_session=%ZZ'];
const HTML_PATH = /^\/(?:$|subscribe|papers\/|abs\/|pdf\/|ops(?:$|\/queues)|v1\/unsubscribe|v1\/subscriptions\/confirm)/;
const HF_PATH = /^\/api\//;
const FORM_PATH = /^\/(?:subscribe|ops\/queues\/login|v1\/unsubscribe)$/;

// Bull Board is an Express router mounted under /ops/queues, not a Nest route.
const BOARD_ROUTES = [
  { method: 'GET', path: '/ops/queues' },
  { method: 'GET', path: '/ops/queues/' },
  { method: 'GET', path: '/ops/queues/login' },
  { method: 'POST', path: '/ops/queues/login' },
  { method: 'GET', path: '/ops/queues/api/queues' },
  { method: 'PUT', path: '/ops/queues/api/queues/{queue}/retry/failed' },
];

const KEY_KINDS = ['none', 'bad', 'read', 'subscriptions', 'admin'] as const;
type KeyKind = (typeof KEY_KINDS)[number];

// Cookie values are header text: printable ASCII plus the escapes that broke decodeURIComponent.
const badCookieValue = fc.oneof(
  fc.constantFrom('%', '%E0%A4%A', '%ZZ', '%C0%AF', '%FF', '%%', 'a%', '%00', '', '=', 'a=b=c', '"quoted"', ',', 'x'.repeat(5000)),
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 60 }).map((v) => v.replace(/;/g, '')),
);
const cookieArb = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  {
    weight: 4,
    arbitrary: fc
      .array(fc.tuple(fc.constantFrom('pw_csrf', 'pw_ops_session', 'x', '', '%', 'pw_csrf '), badCookieValue), { minLength: 1, maxLength: 3 })
      .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('; ')),
  },
  { weight: 1, arbitrary: badCookieValue },
);

const formBody = fc
  .dictionary(
    fc.constantFrom('email', 'topics', 'csrf', 'key', 'token', 'confirm', 'x', '__proto__', 'email[]'),
    fc.oneof(anyText, fc.constantFrom('a@example.com', 'a@b.co\r\nBcc: x@example.com', 'r1@example.com, r2@example.com', 'llm', 'llm,vision')),
    { maxKeys: 4 },
  )
  .map((d) => Object.entries(d).map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&'));

describe('api fuzzing: never a 5xx or a dropped connection, 4xx are problem+json or HTML pages, nothing leaks', () => {
  let db: TestDb;
  let app: INestApplication;
  let base: { host: string; port: number };
  const keys: Record<KeyKind, string | undefined> = { none: undefined, bad: undefined, read: undefined, subscriptions: undefined, admin: undefined };
  let prefix: string;
  let csrf: { cookie: string; token: string };
  const agent = new Agent({ keepAlive: true, maxSockets: PARALLEL * 2 });
  const ids: Record<string, string[]> = {};
  const failures: string[] = [];
  const statusesByRoute = new Map<string, Map<number, number>>();
  let sent = 0;
  const started = Date.now();

  function send(req: Sent, key: KeyKind = 'admin'): Promise<Received> {
    sent++;
    const k = keys[key];
    const auth: Record<string, string> = k ? (sent % 2 === 0 ? { authorization: `Bearer ${k}` } : { 'x-api-key': k }) : {};
    return new Promise((resolve, reject) => {
      const r = httpRequest(
        { host: base.host, port: base.port, method: req.method, path: req.path, agent, headers: { ...auth, ...req.headers } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              contentType: String(res.headers['content-type'] ?? ''),
              body: Buffer.concat(chunks).toString('utf8'),
              setCookie: String(res.headers['set-cookie'] ?? ''),
              connection: String(res.headers.connection ?? ''),
            }),
          );
          res.on('error', reject);
          res.on('aborted', () => reject(new Error('response aborted')));
        },
      );
      r.on('error', reject);
      if (req.body !== undefined) r.end(req.body);
      else r.end();
    });
  }

  /** Returns a description of what is wrong with the answer, or null. */
  function problemWith(res: Received, html = false, hf = false): string | null {
    if (res.status >= 500) return `${res.status}: ${res.body.slice(0, 300)}`;
    for (const re of LEAKS) if (re.test(res.body)) return `body leaks ${re}: ${res.body.slice(0, 300)}`;
    if (res.status >= 400) {
      if (html && res.contentType.startsWith('text/html')) return null;
      // The Hugging Face-compatible routes answer errors in HF's own shape, {"error": "..."}.
      if (hf && res.contentType.startsWith('application/json')) {
        try {
          const e = JSON.parse(res.body) as { error?: unknown };
          return typeof e.error === 'string' && e.error.length > 0 ? null : `${res.status} HF error lacks "error": ${res.body.slice(0, 200)}`;
        } catch {
          return `${res.status} HF error body is not JSON: ${res.body.slice(0, 200)}`;
        }
      }
      if (!res.contentType.startsWith('application/problem+json'))
        return `${res.status} with content-type ${res.contentType}: ${res.body.slice(0, 200)}`;
      let p: { title?: unknown; status?: unknown; detail?: unknown };
      try {
        p = JSON.parse(res.body);
      } catch {
        return `${res.status} problem body is not JSON: ${res.body.slice(0, 200)}`;
      }
      if (typeof p.title !== 'string' || p.status !== res.status || typeof p.detail !== 'string' || p.detail.length === 0)
        return `${res.status} problem lacks title/status/detail: ${res.body.slice(0, 200)}`;
    }
    return null;
  }

  /** Sends one request and records any failure, a dropped connection included (never swallowed). */
  async function check(route: Route, req: Sent, key: KeyKind): Promise<void> {
    const what = () => `[${key}] ${req.method} ${req.path.slice(0, 300)} ${typeof req.body === 'string' ? req.body.slice(0, 200) : ''}`;
    let res: Received;
    try {
      res = await send(req, key);
    } catch (err) {
      failures.push(`${what()} → connection error: ${(err as Error).message}`);
      return;
    }
    const seen = statusesByRoute.get(`${route.method} ${route.template}`) ?? new Map<number, number>();
    seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
    statusesByRoute.set(`${route.method} ${route.template}`, seen);
    const bad = problemWith(res, route.html, HF_PATH.test(route.template));
    if (bad) failures.push(`${what()} → ${bad}`);
  }

  beforeAll(async () => {
    db = await createTestDb('t_fuzz');
    prefix = `{${uniqueName('t-fuzz')}}`;
    const ds = db.ds;
    for (const t of ['llm', 'vision', 'rl']) await seedTopic(ds, t);
    const src = await seedSource(ds, 'hf-daily', 'hf-daily-papers', { lastSuccessAgo: 60, lastError: 'HTTP 503 from x', lastStatus: 503 });
    const paper = await seedPaper(ds, {
      title: 'Fuzzed <paper> & friends',
      abstract: 'We improve accuracy by 3% on GSM8K and run 2x faster.',
      arxivId: '2401.00001',
      topics: [{ slug: 'llm', score: 0.9, primary: true }],
      claims: [{ value: 3, unit: '%', kind: 'relative_improvement', metric: 'accuracy', text: 'by 3%' }],
      sightings: [{ sourceId: src, sourceKind: 'hf-daily-papers', upvotes: 3 }],
    });
    keys.admin = (await createApiKey(ds, { name: 'fuzz-admin', scopes: ['admin'] })).key;
    keys.read = (await createApiKey(ds, { name: 'fuzz-read', scopes: ['read'] })).key;
    keys.subscriptions = (await createApiKey(ds, { name: 'fuzz-subs', scopes: ['subscriptions'] })).key;
    keys.bad = `pw_${'Z'.repeat(43)}`;
    app = await createTestApp(
      db,
      prefix,
      // The failed-authentication limit would turn the no-key and bad-key requests into 429s after a while.
      { PUBLIC_URL: 'http://api.test', RATE_LIMIT_PER_MINUTE: '100000000', AUTH_FAILURE_LIMIT: '100000000' },
      { listen: true },
    );
    const addr = app.getHttpServer().address() as AddressInfo;
    base = { host: '127.0.0.1', port: addr.port };
    const sub = JSON.parse(
      (
        await send(
          {
            method: 'POST',
            path: '/v1/subscriptions',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ channel: 'webhook', target: 'https://93.184.215.14/hook', filters: { topics: { slugs: ['llm'] } } }),
          },
          'subscriptions',
        )
      ).body,
    ) as { id: string };
    ids.id = [paper, '2401.00001', sub.id, src];
    ids.jobId = ['1', 'parse-x'];
    // A real CSRF pair, so some form posts get past the token check into validation.
    const home = await send({ method: 'GET', path: '/' }, 'none');
    csrf = {
      cookie: `pw_csrf=${/pw_csrf=([A-Za-z0-9_-]+)/.exec(home.setCookie ?? '')?.[1] ?? ''}`,
      token: /name="csrf" value="([^"]+)"/.exec(home.body)?.[1] ?? '',
    };
  });

  afterAll(async () => {
    await app?.close();
    agent.destroy();
    await db?.drop();
    // The queues and counters under this run's prefix.
    await dropQueuePrefix(prefix);
    console.log(`fuzz: ${sent} requests in ${((Date.now() - started) / 1000).toFixed(1)} s (seed ${SEED})`);
  });

  it('covers every route of the router, the pages and Bull Board, with every kind of key', async () => {
    expect(csrf.token.length).toBeGreaterThan(10);
    expect(csrf.cookie.length).toBeGreaterThan('pw_csrf='.length + 10);
    const doc = JSON.parse((await send({ method: 'GET', path: '/docs-json' })).body);
    const documented = new Map(operationsFrom(doc).map((o) => [`${o.method} ${o.template}`, o]));
    const found = [...routesOfRouter(app), ...BOARD_ROUTES];
    const routes: Route[] = [];
    const seen = new Set<string>();
    for (const { method, path } of found) {
      // Express `:id` (and `search.:format`) → OpenAPI `{id}`.
      const template = path.replace(/:(\w+)/g, '{$1}');
      const k = `${method} ${template}`;
      if (seen.has(k)) continue;
      seen.add(k);
      const op = documented.get(k);
      const pathParams = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      routes.push({
        method,
        template,
        pathParams,
        queryParams: [...new Set([...(op?.queryParams ?? []), ...EXTRA_QUERY])],
        hasBody: op?.hasBody ?? ['POST', 'PATCH', 'PUT'].includes(method),
        html: HTML_PATH.test(template),
        form: FORM_PATH.test(template),
      });
    }
    // Every documented operation is a route of the router, and the pages are there too.
    for (const k of documented.keys()) expect(seen).toContain(k);
    for (const page of ['GET /', 'POST /subscribe', 'GET /ops', 'GET /v1/unsubscribe', 'POST /v1/unsubscribe', 'GET /v1/subscriptions/confirm', 'POST /ops/queues/login'])
      expect(seen).toContain(page);
    expect(routes.length).toBeGreaterThanOrEqual(35);

    const keyArb = fc.constantFrom(...KEY_KINDS);
    const contentType = fc.constantFrom(
      'application/json',
      'application/json',
      'application/x-www-form-urlencoded',
      'text/plain',
      'application/merge-patch+json',
      'multipart/form-data; boundary=x',
      'application/json; charset=utf-16',
      'application/xml',
    );
    for (const [i, route] of routes.entries()) {
      const pathArb = fc.tuple(...route.pathParams.map((n) => pathValueArb(n, route.template, ids))).map((vals) => {
        let p = route.template;
        route.pathParams.forEach((n, j) => {
          p = p.replace(`{${n}}`, vals[j] || '%20');
        });
        return p;
      });
      const bodyArb: fc.Arbitrary<{ body: string; type: string | undefined }> = route.form
        ? fc.oneof(
            { weight: 5, arbitrary: formBody.map((b) => ({ body: b, type: 'application/x-www-form-urlencoded' })) },
            {
              weight: 3,
              arbitrary: formBody.map((b) => ({ body: `${b}&csrf=${enc(csrf.token)}`, type: 'application/x-www-form-urlencoded' })),
            },
            { weight: 1, arbitrary: fc.tuple(rawBody, contentType).map(([body, type]) => ({ body, type })) },
          )
        : fc.oneof(
            { weight: 8, arbitrary: fc.tuple(bodyArbFor(route as Operation).map((b) => JSON.stringify(b) ?? 'null'), contentType).map(([body, type]) => ({ body, type })) },
            { weight: 1, arbitrary: fc.tuple(rawBody, contentType).map(([body, type]) => ({ body, type })) },
            { weight: 1, arbitrary: fc.constant({ body: '', type: undefined }) },
          );
      const reqArb = fc
        .tuple(pathArb, queryArb(route.queryParams), route.hasBody ? bodyArb : fc.constant(undefined), cookieArb, fc.boolean(), keyArb)
        .map(([path, q, b, cookie, realCsrf, key]) => {
          const headers: Record<string, string> = {};
          if (b?.type) headers['content-type'] = b.type;
          // Form routes: half the time the real CSRF cookie (the bad cookies otherwise).
          const c = route.form && realCsrf ? csrf.cookie : cookie;
          if (c) headers.cookie = c;
          return { req: { method: route.method, path: q ? `${path}?${q}` : path, headers, body: b?.body } as Sent, key };
        });
      // The fixed probes first: each date-like parameter out of range, each malformed cookie.
      const fixed: { req: Sent; key: KeyKind }[] = [];
      const fixedPath = route.template.replace(/\{(\w+)\}/g, (_, n: string) => ids[n]?.[0] ?? 'x');
      const fixedBody = route.hasBody ? (route.form ? `email=a%40example.com&csrf=${enc(csrf.token)}` : '{}') : undefined;
      const fixedType = route.hasBody ? (route.form ? 'application/x-www-form-urlencoded' : 'application/json') : undefined;
      const withBody = (headers: Record<string, string>) => (fixedType ? { ...headers, 'content-type': fixedType } : headers);
      DATE_QUERY.forEach((name, j) =>
        fixed.push({
          req: { method: route.method, path: `${fixedPath}?${name}=${enc(BAD_DATES[j % BAD_DATES.length])}`, headers: withBody({}), body: fixedBody },
          key: KEY_KINDS[(i + j) % KEY_KINDS.length],
        }),
      );
      BAD_COOKIES.forEach((cookie, j) =>
        fixed.push({
          req: { method: route.method, path: fixedPath, headers: withBody({ cookie }), body: fixedBody },
          key: KEY_KINDS[(i + j) % KEY_KINDS.length],
        }),
      );
      for (const { req, key } of fixed) await check(route, req, key);
      const wanted = route.hasBody ? BODY_RUNS : RUNS;
      const n = Date.now() - started > BUDGET_MS ? MIN_RUNS : wanted;
      const samples = fc.sample(reqArb, { seed: SEED + i, numRuns: n });
      for (let j = 0; j < samples.length; j += PARALLEL)
        await Promise.all(samples.slice(j, j + PARALLEL).map(({ req, key }) => check(route, req, key)));
    }
    const byRoute = [...statusesByRoute.entries()].map(([r, m]) => `${r} ${[...m.entries()].map(([s, c]) => `${s}×${c}`).join(' ')}`);
    console.log(`fuzz: ${routes.length} routes\n${byRoute.join('\n')}`);
    // Every route was reached, with every kind of key.
    for (const r of routes) expect(statusesByRoute.has(`${r.method} ${r.template}`)).toBe(true);
    expect(failures).toEqual([]);
  });

  it('refuses 1 MB strings in query strings, paths and bodies as problems', async () => {
    const big = 'x'.repeat(MB);
    const reqs: Sent[] = [
      { method: 'GET', path: `/v1/papers?q=${big}` },
      { method: 'GET', path: `/v1/papers/${big}` },
      { method: 'GET', path: '/v1/papers', headers: { 'x-filler': big } },
      {
        method: 'POST',
        path: '/v1/subscriptions',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ channel: 'webhook', target: big }),
      },
      {
        method: 'POST',
        path: '/v1/sources',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: big, kind: 'file', url: '/tmp/x' }),
      },
    ];
    // A dropped connection is never an answer (send rejects, the test fails). The server closes on
    // purpose only where Node's parser refused the request line or headers, and then only after a whole
    // problem answer that says so; an oversized body is refused on a connection that stays usable.
    const statuses: number[] = [];
    for (const r of reqs) {
      const res = await send(r);
      statuses.push(res.status);
      expect(problemWith(res)).toBeNull();
      expect(res.connection).toBe(res.status === 431 || res.status === 414 ? 'close' : 'keep-alive');
    }
    // Node counts the request line into its header limit: the long URLs are refused as 431 too.
    expect(statuses).toEqual([431, 431, 431, 413, 413]);
  });
});
