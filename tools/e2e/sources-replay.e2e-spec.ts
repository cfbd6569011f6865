import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { paperKey, parseDocument } from '@paperwire/feeds';
import {
  REPO_ROOT,
  createTestDb,
  migratedEnv,
  runCli,
  runCliAsync,
  startReplayServer,
  startServiceProcess,
  uniqueName,
  waitFor,
  type ReplayServer,
  type ServiceProcess,
  type TestDb,
} from '@paperwire/testing';

// Two fetcher replicas and the parser as processes against two local replay hosts serving the committed
// fixtures with injected faults: 429/503 with Retry-After, 500s, connection resets, a hang, slow
// and gzipped bodies, ETag / Last-Modified 304s, a dead source, a 404 and an SSRF refusal. One host
// is "arXiv-like" with a wide politeness interval, measured from the server's own request log.

jest.setTimeout(150_000);

const FIX = join(REPO_ROOT, 'libs', 'feeds', 'fixtures', 'ok');
const ARXIV_INTERVAL_MS = 600;

const FILES = {
  'rss-cl': join(FIX, 'arxiv-rss', 'distill_rss_cs.CL_3items.xml'),
  'rss-lg': join(FIX, 'arxiv-rss', 'distill_rss_cs.LG_3items.xml'),
  'rss-ai': join(FIX, 'arxiv-rss', 'distill_rss_cs.AI_3items.xml'),
  api: join(FIX, 'arxiv-api', 'brevio_query_cat-cs.LG-OR-cs.AI_max20_2026-04-30.xml'),
  hf: join(FIX, 'hf-daily-papers', 'sotawhat_daily_papers_limit30_2026-06-12.json'),
  html: join(FIX, 'hf-papers-html', 'slbqc_huggingface.co_papers_date-2024-08-01.html'),
} as const;
type Good = keyof typeof FILES;
const HF_RANGE_FILE = join(FIX, 'hf-daily-papers', 'all-news-ai_daily_papers_5items_2026-07-31.json');
const WEEKEND_RSS = `<?xml version="1.0" encoding="UTF-8"?>
<rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:atom="http://www.w3.org/2005/Atom" version="2.0"><channel>
<title>cs.LG updates on arXiv.org</title><link>http://rss.arxiv.org/rss/cs.LG</link>
<description>cs.LG updates on the arXiv.org e-print archive.</description>
<skipDays><day>Saturday</day><day>Sunday</day></skipDays></channel></rss>`;

/** The paper keys a fixture must produce, from the same parser library the service uses. */
function expectedKeys(file: string): Set<string> {
  return new Set(parseDocument({ body: readFileSync(file), fileName: file }).papers.map((p) => paperKey(p)));
}

interface SourceHealth {
  name: string;
  id: string;
  last_status: number | null;
  last_error: string | null;
  consecutive_failures: number;
  last_success_at: Date | null;
  last_item_count: number | null;
  newest_item_at: Date | null;
  checkpoint: Record<string, unknown> | null;
}

describe('sources against a replay of the fixtures', () => {
  let db: TestDb;
  let arxiv: ReplayServer;
  let other: ReplayServer;
  let env: NodeJS.ProcessEnv;
  const procs: ServiceProcess[] = [];
  // Parsed up front: synchronous work in this process while fetches run would delay the replay
  // servers' request timestamps.
  const expected = new Map<Good, Set<string>>(
    (Object.keys(FILES) as Good[]).map((name) => [name, expectedKeys(FILES[name])]),
  );
  const rangeKeys = expectedKeys(HF_RANGE_FILE);
  const allKeys = new Set([...[...expected.values()].flatMap((s) => [...s]), ...rangeKeys]);

  const count = async (sql: string, params: unknown[] = []) => Number((await db.ds.query(sql, params))[0].n);
  const health = async (name: string): Promise<SourceHealth> =>
    (await db.ds.query(`SELECT * FROM sources WHERE name = $1`, [name]))[0];

  beforeAll(async () => {
    db = await createTestDb('e2e_src', { migrate: false });
    arxiv = await startReplayServer({
      '/rss/cs.CL': [
        { status: 429, retryAfter: 1 },
        { file: FILES['rss-cl'], contentType: 'application/rss+xml', etag: '"cl-1"' },
      ],
      '/rss/cs.LG': [
        { status: 500 },
        { fault: 'reset' },
        {
          file: FILES['rss-lg'],
          contentType: 'application/rss+xml',
          slowDrip: { bytes: 1024, intervalMs: 30 },
        },
      ],
      '/rss/cs.AI': [
        { status: 503, retryAfter: 1 },
        {
          file: FILES['rss-ai'],
          contentType: 'application/rss+xml',
          lastModified: 'Tue, 24 Nov 2026 00:00:00 GMT',
        },
      ],
      '/api/query': { file: FILES.api, contentType: 'application/atom+xml; charset=utf-8' },
    });
    other = await startReplayServer({
      '/api/daily_papers': { file: FILES.hf, contentType: 'application/json', gzip: true },
      '/papers': [
        { fault: 'hang' },
        {
          file: FILES.html,
          contentType: 'text/html; charset=utf-8',
          slowDrip: { bytes: 16_384, intervalMs: 20 },
        },
      ],
      '/dead': { status: 500, body: 'upstream exploded' },
      '/gone': { status: 404, body: 'no such feed' },
      '/private': { file: FILES['rss-cl'], contentType: 'application/rss+xml' },
      // A date-range backfill over three days, the first and last without papers.
      '/range/daily_papers?date=2026-07-30': { body: '[]', contentType: 'application/json' },
      '/range/daily_papers?date=2026-07-31': { file: HF_RANGE_FILE, contentType: 'application/json' },
      '/range/daily_papers?date=2026-08-01': { body: '[]', contentType: 'application/json' },
      // arXiv RSS on a weekend: a channel without items.
      '/rss/weekend': { body: WEEKEND_RSS, contentType: 'application/rss+xml' },
    });
    env = migratedEnv(db, `{${uniqueName('e2e_src')}}`, {
      CONCURRENCY: '4',
      FETCH_RETRIES: '1',
      FETCH_TIMEOUT_MS: '2000',
      RECONCILE_AFTER_SECONDS: '600',
      RECONCILE_EVERY_SECONDS: '600',
    });
    const add = (
      name: string,
      kind: string,
      url: string,
      interval: number,
      extra: string[] = [],
      allowPrivate = true,
    ) =>
      runCli(
        [
          'sources',
          'add',
          name,
          kind,
          url,
          '--min-interval',
          String(interval),
          ...(allowPrivate ? ['--allow-private'] : []),
          ...extra,
        ],
        env,
      );
    add('rss-cl', 'arxiv-rss', `${arxiv.url}/rss/cs.CL`, ARXIV_INTERVAL_MS);
    add('rss-lg', 'arxiv-rss', `${arxiv.url}/rss/cs.LG`, ARXIV_INTERVAL_MS);
    add('rss-ai', 'arxiv-rss', `${arxiv.url}/rss/cs.AI`, ARXIV_INTERVAL_MS);
    add('api', 'arxiv-api', `${arxiv.url}/api/query`, ARXIV_INTERVAL_MS, [
      '--param',
      'search_query=cat:cs.LG OR cat:cs.AI',
      '--param',
      'max_results=20',
    ]);
    add('hf', 'hf-daily-papers', `${other.url}/api/daily_papers`, 50, ['--param', 'date=2026-06-12']);
    add('html', 'hf-papers-html', `${other.url}/papers`, 50);
    add('dead', 'arxiv-rss', `${other.url}/dead`, 50);
    add('gone', 'arxiv-rss', `${other.url}/gone`, 50);
    add('hf-range', 'hf-daily-papers', `${other.url}/range/daily_papers`, 50, [
      '--param',
      'from=2026-07-30',
      '--param',
      'to=2026-08-01',
    ]);
    add('weekend', 'arxiv-rss', `${other.url}/rss/weekend`, 50);
    // Issue #14: the CLI refuses a private URL without --allow-private; the fetcher's own refusal is
    // still tested, on a row written directly (as an older CLI would have stored it).
    expect(() => add('private', 'arxiv-rss', `${other.url}/private`, 50, [], false)).toThrow(/--allow-private/);
    await db.ds.query(
      `INSERT INTO sources (name, kind, url, params, every_seconds, enabled, allow_private, min_interval_ms)
       VALUES ('private', 'arxiv-rss', $1, '{}'::jsonb, NULL, true, false, 50)`,
      [`${other.url}/private`],
    );
    // Two fetcher replicas: each job is fetched once, and the politeness gate is shared through Redis.
    for (const [name, log] of [
      ['fetcher', 'fetcher-a'],
      ['fetcher', 'fetcher-b'],
      ['parser', 'parser'],
    ]) {
      procs.push(await startServiceProcess(name, env, { logName: `e2e-src-${log}` }));
    }
  });

  afterAll(async () => {
    await Promise.all(procs.map((p) => p.stop(5_000)));
    await arxiv?.close();
    await other?.close();
    await db?.drop();
  });

  it('fetches every source through the faults, once per paper, politely, and records source health', async () => {
    const polled = JSON.parse(await runCliAsync(['sources', 'poll'], env)) as { polled: string[] };
    expect(polled.polled.sort()).toEqual([
      'api',
      'dead',
      'gone',
      'hf',
      'hf-range',
      'html',
      'private',
      'rss-ai',
      'rss-cl',
      'rss-lg',
      'weekend',
    ]);

    await waitFor(
      'every good source parsed',
      async () => {
        for (const name of expected.keys())
          if ((await health(name)).last_item_count === null) return undefined;
        if (
          (await health('weekend')).last_item_count === null ||
          (await health('hf-range')).checkpoint !== null
        )
          return undefined;
        return (await count(`SELECT count(*) AS n FROM papers`)) === allKeys.size || undefined;
      },
      60_000,
      250,
    );

    // Every paper once; every good source sighted each of its papers once.
    const keys: { paper_key: string }[] = await db.ds.query(`SELECT paper_key FROM papers`);
    expect(new Set(keys.map((k) => k.paper_key))).toEqual(allKeys);
    expect(keys.length).toBe(allKeys.size);
    for (const [name, want] of expected) {
      const h = await health(name);
      const seen: { paper_key: string }[] = await db.ds.query(
        `SELECT p.paper_key FROM paper_sources ps JOIN papers p ON p.id = ps.paper_id WHERE ps.source_id = $1`,
        [h.id],
      );
      expect({ name, keys: new Set(seen.map((s) => s.paper_key)), rows: seen.length }).toEqual({
        name,
        keys: want,
        rows: want.size,
      });
      expect({
        name,
        status: h.last_status,
        failures: h.consecutive_failures,
        items: h.last_item_count,
        error: h.last_error,
      }).toEqual({
        name,
        status: 200,
        failures: 0,
        items: want.size,
        error: null,
      });
      expect(h.newest_item_at).not.toBeNull();
    }

    // The date range was walked day by day and its checkpoint cleared; the empty weekend feed is a success.
    const range = await health('hf-range');
    expect(other.requests.filter((r) => r.path.startsWith('/range/')).map((r) => r.path)).toEqual([
      '/range/daily_papers?date=2026-07-30',
      '/range/daily_papers?date=2026-07-31',
      '/range/daily_papers?date=2026-08-01',
    ]);
    expect(range).toMatchObject({ last_status: 200, consecutive_failures: 0, checkpoint: null });
    expect(
      Number(
        (await db.ds.query(`SELECT count(*) AS n FROM paper_sources WHERE source_id = $1`, [range.id]))[0].n,
      ),
    ).toBe(rangeKeys.size);
    expect(await health('weekend')).toMatchObject({
      last_status: 200,
      consecutive_failures: 0,
      last_item_count: 0,
      last_error: null,
    });

    // The dead source keeps failing with its status and error visible; the 404 and the SSRF refusal
    // fail once, for good.
    await waitFor(
      'the dead source to fail three times',
      async () => (await health('dead')).consecutive_failures >= 3 || undefined,
      60_000,
      250,
    );
    const dead = await health('dead');
    expect(dead).toMatchObject({ last_status: 500, last_success_at: null });
    expect(dead.last_error).toMatch(/HTTP 500/);
    const gone = await health('gone');
    expect(gone).toMatchObject({ last_status: 404, consecutive_failures: 1, last_success_at: null });
    expect(other.hits('/gone')).toHaveLength(1);
    const priv = await health('private');
    expect(priv).toMatchObject({ consecutive_failures: 1, last_success_at: null });
    expect(priv.last_error).toMatch(/^ssrf:/);
    expect(other.hits('/private')).toHaveLength(0);
    const listed = (await runCliAsync(['sources', 'list'], env))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { name: string; consecutiveFailures: number; lastError: string | null });
    // The CLI prints the API's camelCase source objects (issue #15 item 2). The dead source is still
    // being polled while the CLI runs, so its count lies between the reads taken before and after it.
    const deadListed = listed.find((s) => s.name === 'dead');
    const deadAfter = await health('dead');
    expect(deadListed).toMatchObject({ lastError: expect.stringMatching(/HTTP 500/) });
    expect(deadListed!.consecutiveFailures).toBeGreaterThanOrEqual(dead.consecutive_failures);
    expect(deadListed!.consecutiveFailures).toBeLessThanOrEqual(deadAfter.consecutive_failures);

    // Conditional requests: the RSS feeds answer 304 to a second poll (ETag and Last-Modified).
    await runCliAsync(['sources', 'poll', 'rss-cl'], env);
    await runCliAsync(['sources', 'poll', 'rss-ai'], env);
    await waitFor(
      'both 304s',
      async () =>
        ((await health('rss-cl')).last_status === 304 && (await health('rss-ai')).last_status === 304) ||
        undefined,
      30_000,
    );
    expect(arxiv.hits('/rss/cs.CL').at(-1)!.headers['if-none-match']).toBe('"cl-1"');
    expect(arxiv.hits('/rss/cs.AI').at(-1)!.headers['if-modified-since']).toBe(
      'Tue, 24 Nov 2026 00:00:00 GMT',
    );
    expect(await count(`SELECT count(*) AS n FROM papers`)).toBe(allKeys.size);

    // Faults were really served and retried: 429 + 200, 500 + reset + 200, 503 + 200, hang + 200.
    expect(arxiv.hits('/rss/cs.CL')).toHaveLength(3);
    expect(arxiv.hits('/rss/cs.LG')).toHaveLength(3);
    expect(arxiv.hits('/rss/cs.AI')).toHaveLength(3);
    expect(other.hits('/papers')).toHaveLength(2);
    for (const r of [...arxiv.requests, ...other.requests])
      expect(String(r.headers['user-agent'])).toMatch(/^PaperWire\//);
    const hfRequests = other.requests.filter((r) => r.path.startsWith('/api/daily_papers?'));
    expect(hfRequests.map((r) => r.path)).toEqual(['/api/daily_papers?date=2026-06-12']);
    expect(String(hfRequests[0].headers['accept-encoding'])).toMatch(/gzip/);

    // Politeness on the arXiv-like host, retries included: consecutive request arrivals are spaced.
    const at = arxiv.requests.map((r) => r.at).sort((a, b) => a - b);
    const gaps = at.slice(1).map((t, i) => t - at[i]);
    expect(gaps.length).toBeGreaterThanOrEqual(9);
    if (Math.min(...gaps) < ARXIV_INTERVAL_MS)
      console.log(arxiv.requests.map((r) => `${r.at} ${r.path}`).join('\n'));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(ARXIV_INTERVAL_MS);
    console.log(
      JSON.stringify({
        arxivHostRequests: at.length,
        minGapMs: Math.min(...gaps),
        gapsMs: gaps,
        deadFailures: dead.consecutive_failures,
        papers: allKeys.size,
      }),
    );
  });
});
