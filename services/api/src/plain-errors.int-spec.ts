import { createApiKey } from '@paperwire/db';
import { seedPaper, seedTopic } from '@paperwire/testing';
import { useTestApi } from './testing/use-test-api';
import { routesOfRouter } from './testing/routes';

// Review findings (fix24b): validation errors said zod's words ("Expected string, received array", "Invalid enum
// value…", "String must contain at most 500 character(s)"), a parameter could get two errors for one problem, and a
// broken %-escape in a query value was read as text and answered 200. Every route is asked, found in the router.

jest.setTimeout(120_000);

/** zod's default phrasing: never in an answer */
const ZOD_STYLE = /Expected [^,]*, received|\breceived\b|Invalid enum value|character\(s\)|element\(s\)|Invalid input|\bRequired\b/;
/** what leaked of the internals (review 25): a bare "invalid body", Express' "Cannot GET /x", a capitalised zod-style item */
const INTERNAL_STYLE = /^invalid (?:body|query)$|^Cannot [A-Z]+ \/|^(?:Unknown keys?|Must be|Expected)\b/;
/** the parameters tried on routes outside /v1 (pages, the HF-compatible API), which ignore what they do not read */
const PARAMS = ['limit', 'q', 'window', 'since', 'until', 'date', 'topic', 'sort', 'cursor', 'p', 'week', 'month', 'source', 'submitter', 'tab'];
/** each bad kind for every parameter of a route at once: every parameter is refused in the one answer, once */
const BAD_KINDS = [(n: string) => `${n}=1&${n}=2`, (n: string) => `${n}=${'a'.repeat(600)}`, (n: string) => `${n}=zz-not-valid`, (n: string) => `${n}=`];
const BODIES = [{}, { name: 5, scopes: ['reed'] }, { channel: 'pigeon', target: 1, filters: [] }, { kind: 'nope', url: 'x', name: '' }, []];

interface Answer {
  status: number;
  text: string;
  body: unknown;
}

/** The words a client is shown in a 4xx: a problem's detail and errors, HF's error, a page's text. */
function wordsOf(a: Answer): string[] {
  const b = a.body as { detail?: string; errors?: { detail: string }[]; error?: string } | undefined;
  if (b && typeof b === 'object' && (b.detail || b.error)) return [b.detail ?? '', b.error ?? '', ...(b.errors ?? []).map((e) => e.detail)];
  return [a.text.replace(/<[^>]+>/g, ' ')];
}

describe('errors speak plainly, once per parameter, on every route', () => {
  let admin = '';
  const api = useTestApi('t_plain_errors', async (db) => {
    await seedTopic(db.ds, 'llm');
    await seedPaper(db.ds, { title: 'A paper', abstract: 'An abstract.', arxivId: '2401.00001', topics: [{ slug: 'llm', score: 0.9, primary: true }] });
    admin = (await createApiKey(db.ds, { name: 'plain-admin', scopes: ['admin'] })).key;
  }, { RATE_LIMIT_PER_MINUTE: '100000000', AUTH_FAILURE_LIMIT: '100000000' });

  const routes = () => {
    const seen = new Set<string>();
    return routesOfRouter(api.app)
      .map((r) => ({
        method: r.method,
        template: r.path.replace(/:(\w+)/g, '{$1}'),
        path: r.path.replace(/\*\w+/g, 'x').replace(/:(\w+)/g, (_m, n: string) => (n === 'id' || n === 'first' ? '2401.00001' : 'x')),
      }))
      .filter((r) => !seen.has(`${r.method} ${r.path}`) && seen.add(`${r.method} ${r.path}`));
  };
  const send = async (method: string, url: string, body?: unknown): Promise<Answer> => {
    const req = api.http()[method.toLowerCase() as 'get'](url).set('x-api-key', admin);
    const res = body === undefined ? await req : await req.set('content-type', 'application/json').send(JSON.stringify(body));
    return { status: res.status, text: res.text, body: res.body };
  };

  it('answers the reviewed inputs with one plain sentence naming the parameter', async () => {
    const cases: [string, string][] = [
      ['/v1/papers?limit=1&limit=2', 'limit is given twice; give it once'],
      ['/v1/trending?window=5y', 'window must be one of 24h, 7d, 30d (got 5y)'],
      [`/v1/papers?q=${'a'.repeat(600)}`, 'q is at most 500 characters (got 600)'],
      ['/v1/papers?since=notadate', 'since must be a valid ISO 8601 date or date-time (got notadate)'],
      ['/v1/papers?topic=nope,nada', 'no such topics "nope", "nada"; the topics are listed at /v1/topics'],
      // one wording for the same parameter everywhere (fix24f)
      ['/v1/papers?limit=abc', 'limit must be a whole number (got abc)'],
      ['/v1/daily?limit=abc', 'limit must be a whole number (got abc)'],
      ['/v1/trending?limit=1.5', 'limit must be a whole number (got 1.5)'],
      ['/v1/daily?limit=0', 'limit must be at least 1 (got 0)'],
      ['/v1/daily?offset=abc', 'offset must be a whole number (got abc)'],
      ['/v1/daily?date=2026-02-30', 'date must be a real calendar date YYYY-MM-DD (got 2026-02-30)'],
    ];
    for (const [url, message] of cases) {
      const res = await send('GET', url);
      expect([url, res.status, (res.body as { errors: unknown }).errors]).toEqual([url, 400, [{ field: url.split(/[?=]/)[1], detail: message }]]);
    }
    const page = await api.http().get('/?date=2030-01-01').set('accept', 'text/html');
    expect(page.status).toBe(400);
    expect(page.text).not.toMatch(/\(date:/);
    expect(page.text).toMatch(/date must be between 1991-01-01 and one year from today/);
    const hf = await send('GET', '/api/daily_papers?limit=1&limit=2&sort=zz');
    expect(hf.body).toEqual({ error: 'sort must be one of publishedAt, trending (got zz)' });
  });

  it('reports every bad parameter of /v1/daily at once, and HF names the parameter and its form', async () => {
    const res = await send('GET', '/v1/daily?date=2026-02-30&after=zz');
    expect([res.status, (res.body as { errors: unknown }).errors]).toEqual([
      400,
      [
        { field: 'date', detail: 'date must be a real calendar date YYYY-MM-DD (got 2026-02-30)' },
        { field: 'after', detail: 'after must be a nextAfter returned by this API (got zz)' },
      ],
    ]);
    expect((await send('GET', '/api/daily_papers?date=2026-13-01')).body).toEqual({ error: 'date must be a real calendar date YYYY-MM-DD' });
    expect((await send('GET', '/api/daily_papers?month=2026-13')).body).toEqual({ error: 'month must be a month YYYY-MM' });
    expect((await send('GET', '/api/daily_papers?limit=abc')).body).toEqual({ error: 'limit must be a whole number (got abc)' });
  });

  it('says what is wrong in the detail itself: bodies, admin queries, unknown paths, example papers, two periods (review 25)', async () => {
    const detail = (a: Answer) => (a.body as { detail?: string }).detail;
    const admin = await send('GET', '/v1/admin/subscriptions?status=nope');
    expect([admin.status, detail(admin)]).toEqual([400, expect.stringMatching(/^status must be one of .* \(got nope\)$/)]);
    const extra = await send('POST', '/v1/admin/keys', { name: 'k', scopes: ['read'], foo: 1 });
    expect([extra.status, detail(extra)]).toEqual([400, expect.stringMatching(/^the body has an unknown key "foo"; accepted: /)]);
    const list = await send('POST', '/v1/admin/keys', []);
    expect([list.status, detail(list)]).toEqual([400, expect.stringMatching(/^the body must be an object such as \{/)]);
    const stats = await api.http().get('/stats').set('accept', 'application/json');
    expect([stats.status, stats.body.detail]).toEqual([404, 'There is no page at this address. Start from the Daily Papers page.']);
    const doubled = await send('GET', '/v1//papers');
    expect([doubled.status, detail(doubled)]).toEqual([404, "there is nothing at /v1//papers (did you mean /v1/papers?); the API's paths are listed at /docs"]);
    const examples = await send('POST', '/v1/subscriptions', {
      channel: 'webhook',
      target: 'https://hooks.example.org/x',
      filters: { examples: { papers: ['2401.99999'], minSimilarity: 0.6 } },
    });
    expect([examples.status, detail(examples)]).toEqual([400, 'filters.examples.papers: not in the catalogue: 2401.99999 (name papers by their catalogue id, arXiv id or DOI)']);
    // two periods at once: one sentence, said once, on the page and on the HF-compatible API
    const page = await api.http().get('/?date=2026-09-01&week=2026-W36').set('accept', 'text/html');
    expect(page.status).toBe(400);
    expect(page.text.match(/only one of date, week, month/g)).toHaveLength(1);
    expect(page.text).not.toMatch(/No such date|only one period at a time/);
    expect((await send('GET', '/api/daily_papers?date=2026-09-01&week=2026-W36')).body).toEqual({ error: 'give only one of date, week, month' });
  });

  it("no route's error body uses zod's phrasing or names a parameter twice (query strings and bodies)", async () => {
    const bad: string[] = [];
    let checked = 0;
    const check = (what: string, a: Answer) => {
      if (a.status < 400 || a.status >= 500) return;
      checked++;
      const words = wordsOf(a);
      const zod = words.find((w) => ZOD_STYLE.test(w));
      if (zod) bad.push(`${what} → ${a.status} ${zod.slice(0, 200)}`);
      const internal = words.find((w) => INTERNAL_STYLE.test(w));
      if (internal) bad.push(`${what} → ${a.status} ${internal.slice(0, 200)}`);
      const fields = ((a.body as { errors?: { field: string }[] })?.errors ?? []).map((e) => e.field);
      if (new Set(fields).size !== fields.length) bad.push(`${what} → fields repeated: ${fields.join(', ')}`);
    };
    const doc = (await api.http().get('/docs-json')).body as { paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>> };
    const documented = (method: string, template: string) =>
      (doc.paths[template]?.[method.toLowerCase()]?.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
    for (const r of routes()) {
      if (r.path.startsWith('/ops')) continue;
      // /v1 refuses parameters it does not document, before reading the others: its own, there
      const names = r.path.startsWith('/v1') ? documented(r.method, r.template) : PARAMS;
      if (r.method === 'GET' && names.length > 0)
        for (const kind of BAD_KINDS) {
          const query = names.map(kind).join('&');
          check(`GET ${r.path}?${query.slice(0, 60)}`, await send('GET', `${r.path}?${query}`));
        }
      else if (r.method !== 'DELETE') for (const b of BODIES) check(`${r.method} ${r.path} ${JSON.stringify(b)}`, await send(r.method, r.path, b));
    }
    expect(bad).toEqual([]);
    expect(checked).toBeGreaterThan(150);
  });

  it('refuses a broken percent-encoding in any query value, name or path with a 400 naming it', async () => {
    const wrong: string[] = [];
    for (const r of routes().filter((x) => x.method === 'GET')) {
      const value = await send('GET', `${r.path}?q=%E0%A4%A`);
      if (value.status !== 400 || !wordsOf(value).some((w) => /\bq is not correctly percent-encoded/.test(w))) wrong.push(`${r.path}?q= → ${value.status} ${value.text.slice(0, 120)}`);
      const name = await send('GET', `${r.path}?%ZZ=1`);
      if (name.status !== 400) wrong.push(`${r.path}?%ZZ → ${name.status}`);
      const path = await send('GET', `${r.path.replace(/\/?$/, '/')}%E0%A4%A`);
      if (path.status !== 400 || !wordsOf(path).some((w) => /address is not correctly percent-encoded/.test(w))) wrong.push(`${r.path}/%E0%A4%A → ${path.text.slice(0, 120)}`);
    }
    expect(wrong).toEqual([]);
    // a well-formed escape is still read as the character it encodes
    await send('GET', '/v1/papers?q=%E0%A4%A8').then((ok) => expect(ok.status).toBe(200));
  });

  it('the CLI says the same plain sentence', async () => {
    const run = await api.cli(['keys', 'create', 'bad', '--scopes', 'reed']);
    expect(run.code).not.toBe(0);
    expect(run.stderr.trim()).toBe('paperwire: scopes must be one of read, subscriptions, admin (got reed)');
    // claims refuses its numbers as the API refuses limit and claimMin, naming the option
    for (const [args, said] of [
      [['--limit', '0'], '--limit must be at least 1 (got 0)'],
      [['--limit=-5'], '--limit must be at least 1 (got -5)'],
      [['--limit', '1.5'], '--limit must be a whole number (got 1.5)'],
      [['--min', 'abc'], '--min must be a number (got abc)'],
      [['--min', 'abc', '--limit', 'x'], '--min must be a number (got abc); --limit must be a whole number (got x)'],
    ] as const) {
      const claims = await api.cli(['claims', ...args]);
      expect({ args, code: claims.code === 0 ? 0 : 1, stderr: claims.stderr.trim() }).toEqual({ args, code: 1, stderr: `paperwire: ${said}` });
    }
  });
});
