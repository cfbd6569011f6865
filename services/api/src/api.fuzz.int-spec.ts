import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import fc from 'fast-check';
import { Agent, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { createApiKey } from '@paperwire/db';
import { TEST_REDIS_URL, createTestDb, uniqueName, type TestDb } from '@paperwire/testing';
import { seedPaper, seedSource, seedTopic } from './testing/seed';
import { createTestApp } from './testing/app';

// Bad input (issue 9): every operation in the OpenAPI document gets a few hundred random and mutated
// path parameters, query strings and JSON bodies. Whatever comes in, the api must answer without a
// 5xx, every 4xx must be an RFC 9457 problem document, and no body may leak a stack trace or SQL.
// Operations added later are picked up from /docs-json automatically.

jest.setTimeout(180_000);

const SEED = Number(process.env.FUZZ_SEED ?? 20261124);
const RUNS = Number(process.env.FUZZ_RUNS ?? 120);
const BODY_RUNS = Number(process.env.FUZZ_BODY_RUNS ?? 250);

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

describe('api fuzzing: never a 5xx, 4xx are problem+json, nothing leaks', () => {
  let db: TestDb;
  let app: INestApplication;
  let base: { host: string; port: number };
  let admin: string;
  let prefix: string;
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  const ids: Record<string, string[]> = {};
  const failures: string[] = [];
  let sent = 0;
  const started = Date.now();

  function send(req: Sent): Promise<Received> {
    sent++;
    return new Promise((resolve, reject) => {
      const r = httpRequest(
        {
          host: base.host,
          port: base.port,
          method: req.method,
          path: req.path,
          agent,
          headers: { authorization: `Bearer ${admin}`, ...req.headers },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              contentType: String(res.headers['content-type'] ?? ''),
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          res.on('error', reject);
        },
      );
      r.on('error', reject);
      if (req.body !== undefined) r.end(req.body);
      else r.end();
    });
  }

  /** Returns a description of what is wrong with the answer, or null. */
  function problemWith(req: Sent, res: Received): string | null {
    if (res.status >= 500) return `${res.status}: ${res.body.slice(0, 300)}`;
    for (const re of LEAKS) if (re.test(res.body)) return `body leaks ${re}: ${res.body.slice(0, 300)}`;
    if (res.status >= 400) {
      if (!res.contentType.startsWith('application/problem+json'))
        return `${res.status} with content-type ${res.contentType}: ${res.body.slice(0, 200)}`;
      let p: { title?: unknown; status?: unknown; detail?: unknown };
      try {
        p = JSON.parse(res.body);
      } catch {
        return `${res.status} problem body is not JSON: ${res.body.slice(0, 200)}`;
      }
      if (
        typeof p.title !== 'string' ||
        p.status !== res.status ||
        typeof p.detail !== 'string' ||
        p.detail.length === 0
      )
        return `${res.status} problem lacks title/status/detail: ${res.body.slice(0, 200)}`;
    }
    void req;
    return null;
  }

  async function check(req: Sent): Promise<boolean> {
    const res = await send(req);
    const bad = problemWith(req, res);
    if (bad) {
      const shown = typeof req.body === 'string' ? req.body.slice(0, 200) : '';
      failures.push(`${req.method} ${req.path.slice(0, 300)} ${shown} → ${bad}`);
      return false;
    }
    return true;
  }

  beforeAll(async () => {
    db = await createTestDb('t_fuzz');
    prefix = `{${uniqueName('t-fuzz')}}`;
    const ds = db.ds;
    for (const t of ['llm', 'vision', 'rl']) await seedTopic(ds, t);
    const src = await seedSource(ds, 'hf-daily', 'hf-daily-papers', { lastSuccessAgo: 60 });
    const paper = await seedPaper(ds, {
      title: 'Fuzzed <paper> & friends',
      abstract: 'We improve accuracy by 3% on GSM8K and run 2x faster.',
      arxivId: '2401.00001',
      topics: [{ slug: 'llm', score: 0.9, primary: true }],
      claims: [{ value: 3, unit: '%', kind: 'relative_improvement', metric: 'accuracy', text: 'by 3%' }],
      sightings: [{ sourceId: src, sourceKind: 'hf-daily-papers', upvotes: 3 }],
    });
    admin = (await createApiKey(ds, { name: 'fuzz-admin', scopes: ['admin'] })).key;
    app = await createTestApp(
      db,
      prefix,
      { PUBLIC_URL: 'http://api.test', RATE_LIMIT_PER_MINUTE: '100000000' },
      { listen: true },
    );
    const addr = app.getHttpServer().address() as AddressInfo;
    base = { host: '127.0.0.1', port: addr.port };
    const sub = JSON.parse(
      (
        await send({
          method: 'POST',
          path: '/v1/subscriptions',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            channel: 'webhook',
            target: 'https://93.184.215.14/hook',
            filters: { topics: { slugs: ['llm'] } },
          }),
        })
      ).body,
    ) as { id: string };
    ids.id = [paper, '2401.00001', sub.id, src];
    ids.jobId = ['1', 'parse-x'];
  });

  afterAll(async () => {
    await app?.close();
    agent.destroy();
    await db?.drop();
    // The queues and throttle counters under this run's prefix.
    const redis = new Redis(TEST_REDIS_URL);
    for (const pattern of [`bull:${prefix}*`, `${prefix}*`, `pw-throttle:${prefix}*`]) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
        if (keys.length > 0) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    }
    await redis.quit();
    console.log(`fuzz: ${sent} requests in ${((Date.now() - started) / 1000).toFixed(1)} s (seed ${SEED})`);
  });

  it('covers every documented operation', async () => {
    const doc = JSON.parse((await send({ method: 'GET', path: '/docs-json' })).body);
    const ops = operationsFrom(doc);
    // papers, paper, topics, claims, stats, feeds ×2, subscriptions ×5, sources ×8, admin ×5 at least
    expect(ops.length).toBeGreaterThanOrEqual(20);
    // Plus the pages outside the document.
    ops.push({
      method: 'GET',
      template: '/ops',
      pathParams: [],
      queryParams: ['api_key_x', 'q'],
      hasBody: false,
    });

    for (const op of ops) {
      const pathArb = fc.tuple(...op.pathParams.map((n) => pathValueArb(n, op.template, ids))).map((vals) => {
        let p = op.template;
        op.pathParams.forEach((n, i) => {
          p = p.replace(`{${n}}`, vals[i] || '%20');
        });
        return p;
      });
      const reqArb: fc.Arbitrary<Sent> = op.hasBody
        ? fc
            .tuple(
              pathArb,
              queryArb(op.queryParams),
              fc.oneof(
                { weight: 8, arbitrary: bodyArbFor(op).map((b) => JSON.stringify(b) ?? 'null') },
                { weight: 1, arbitrary: rawBody },
              ),
              fc.constantFrom(
                'application/json',
                'application/json',
                'application/json',
                'text/plain',
                'application/x-www-form-urlencoded',
                'application/merge-patch+json',
              ),
            )
            .map(([path, q, body, type]) => ({
              method: op.method,
              path: q ? `${path}?${q}` : path,
              headers: { 'content-type': type },
              body,
            }))
        : fc
            .tuple(pathArb, queryArb(op.queryParams))
            .map(([path, q]) => ({ method: op.method, path: q ? `${path}?${q}` : path }));
      await fc
        .assert(
          fc.asyncProperty(reqArb, (req) => check(req)),
          { seed: SEED, numRuns: op.hasBody ? BODY_RUNS : RUNS, endOnFailure: true },
        )
        .catch(() => undefined);
    }
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
    const statuses: number[] = [];
    for (const r of reqs) {
      const res = await send(r);
      statuses.push(res.status);
      expect(problemWith(r, res)).toBeNull();
    }
    expect(statuses.every((s) => s >= 400 && s < 500)).toBe(true);
  });
});
