import { Queue } from 'bullmq';
import {
  TEST_REDIS_URL,
  addLocalOaiSource,
  createTestDb,
  migratedEnv,
  runCli,
  startReplayServer,
  startServiceProcess,
  uniqueName,
  waitFor,
  type ReplayServer,
  type RouteSpec,
  type ServiceProcess,
  type TestDb,
} from '@paperwire/testing';

// OAI-PMH backfills against a local replay of generated arXivRaw pages (the record shape of
// libs/feeds/fixtures/ok/arxiv-oai/arXivOAIHarvester_ListRecords_arXivRaw_*.xml with distinct ids):
// 1. the fetcher is SIGKILLed mid-harvest and restarted: every paper arrives once and the restarted
//    fetcher goes on from the checkpoint instead of the first page;
// 2. backpressure: with the parser down, a backfill stops fetching once the parse queue is over
//    PARSE_QUEUE_BOUND and goes on when the parser comes back.

jest.setTimeout(180_000);

const PAGES = 30;
const PER_PAGE = 50;
const BOUND = 3;

function record(id: string, n: number): string {
  return `<record>
<header>
 <identifier>oai:arXiv.org:${id}</identifier>
 <datestamp>2024-01-15</datestamp>
 <setSpec>cs</setSpec>
</header>
<metadata>
 <arXivRaw xmlns="http://arxiv.org/OAI/arXivRaw/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://arxiv.org/OAI/arXivRaw/ http://arxiv.org/OAI/arXivRaw.xsd">
 <id>${id}</id><submitter>Replay Author</submitter><version version="v1"><date>Mon, 15 Jan 2024 10:00:00 GMT</date><size>120kb</size></version><title>Harvested paper number ${n} on sparse attention
  for long documents</title><authors>A. Author, B. Author</authors><categories>cs.LG cs.CL</categories><comments>12 pages</comments><abstract>  We study variant ${n} of sparse attention for long documents and report
results on three benchmarks, with an analysis of where the method helps.
</abstract></arXivRaw>
</metadata>
</record>`;
}

/** One ListRecords page; every page but the last carries a token naming the next one. */
function page(prefix: string, yymm: string, i: number, pages: number): string {
  const records = Array.from({ length: PER_PAGE }, (_, k) => {
    const n = i * PER_PAGE + k + 1;
    return record(`${yymm}.${String(n).padStart(5, '0')}`, n);
  }).join('\n');
  const token =
    i + 1 < pages
      ? `<resumptionToken cursor="${i * PER_PAGE}" completeListSize="${pages * PER_PAGE}">${prefix}-${i + 1}</resumptionToken>`
      : `<resumptionToken cursor="${i * PER_PAGE}" completeListSize="${pages * PER_PAGE}"/>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">
<responseDate>2024-01-16T20:49:59Z</responseDate>
<request verb="ListRecords" metadataPrefix="arXivRaw">http://export.arxiv.org/oai2</request>
<ListRecords>
${records}
${token}
</ListRecords>
</OAI-PMH>
`;
}

/** Routes for a harvest of `set`: the first request by its arguments, the rest by their tokens. */
function harvestRoutes(
  set: string,
  yymm: string,
  pages: number,
  extra: RouteSpec = {},
): Record<string, RouteSpec> {
  const routes: Record<string, RouteSpec> = {};
  for (let i = 0; i < pages; i += 1) {
    const path =
      i === 0
        ? `/oai2?verb=ListRecords&metadataPrefix=arXivRaw&set=${set}`
        : `/oai2?verb=ListRecords&resumptionToken=${set}-${i}`;
    routes[path] = { body: page(set, yymm, i, pages), contentType: 'text/xml; charset=utf-8', ...extra };
  }
  return routes;
}

/** The page index a request asked for (0 for the first request of a harvest). */
function pageIndex(path: string): number {
  const m = /resumptionToken=[a-z]+-(\d+)/.exec(path);
  return m ? Number(m[1]) : 0;
}

describe('arxiv-oai backfill', () => {
  let db: TestDb;
  let server: ReplayServer;
  let env: NodeJS.ProcessEnv;
  let prefix: string;
  let parseQueue: Queue;
  const procs = new Map<string, ServiceProcess>();

  const count = async (sql: string, params: unknown[] = []) => Number((await db.ds.query(sql, params))[0].n);
  /** Papers whose arXiv id is in month yymm: the fake OAI endpoint gives each set its own month. */
  const papersOfMonth = (yymm: string) =>
    count(`SELECT count(*) AS n FROM papers WHERE arxiv_id LIKE $1`, [`${yymm}.%`]);
  const waitForPapers = (what: string, yymm: string, n: number, timeoutMs: number, everyMs?: number) =>
    waitFor(what, async () => (await papersOfMonth(yymm)) === n || undefined, timeoutMs, everyMs);
  const source = async (name: string) =>
    (
      await db.ds.query(
        `SELECT id, checkpoint, last_status, last_item_count, consecutive_failures, harvested_until FROM sources WHERE name = $1`,
        [name],
      )
    )[0] as {
      id: string;
      checkpoint: { resumptionToken?: string; pages?: number } | null;
      last_status: number | null;
      last_item_count: number | null;
      consecutive_failures: number;
      harvested_until: string | null;
    };
  const start = async (name: string, log: string, extra: NodeJS.ProcessEnv = {}) => {
    procs.set(name, await startServiceProcess(name, { ...env, ...extra }, { logName: log }));
  };

  beforeAll(async () => {
    db = await createTestDb('e2e_oai', { migrate: false });
    // Each page answers after 120 ms, so the kill usually lands while a page is in flight.
    server = await startReplayServer({
      ...harvestRoutes('cs', '2401', PAGES, { delayMs: 120 }),
      // The next harvest of cs asks only for what changed since the first one started.
      '/oai2?verb=ListRecords&metadataPrefix=arXivRaw&from=2024-01-16&set=cs': {
        body: `<?xml version="1.0" encoding="UTF-8"?><OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>2024-01-17T06:00:00Z</responseDate><request verb="ListRecords">http://export.arxiv.org/oai2</request><error code="noRecordsMatch">nothing new</error></OAI-PMH>`,
        contentType: 'text/xml; charset=utf-8',
      },
      ...harvestRoutes('math', '2402', 12),
      ...harvestRoutes('physics', '2403', 6, { delayMs: 200 }),
    });
    prefix = `{${uniqueName('e2e_oai')}}`;
    env = migratedEnv(db, prefix, {
      BATCH_SIZE: '100',
      CONCURRENCY: '1',
      PARSE_QUEUE_BOUND: String(BOUND),
      FETCH_RETRIES: '1',
      RECONCILE_AFTER_SECONDS: '600',
      // The reconciler resumes backfills of re-enabled sources; often, for the pause test.
      RECONCILE_EVERY_SECONDS: '1',
    });
    parseQueue = new Queue('parse', { connection: { url: TEST_REDIS_URL }, prefix });
  });

  afterAll(async () => {
    await Promise.all([...procs.values()].map((p) => p.stop(5_000)));
    await parseQueue?.close();
    await server?.close();
    await db?.drop();
  });

  it('resumes a SIGKILLed harvest from its checkpoint and stores every paper once', async () => {
    addLocalOaiSource(env, { name: 'oai-cs', endpoint: `${server.url}/oai2`, set: 'cs', minIntervalMs: 100 });
    const { id } = await source('oai-cs');
    await start('parser', 'e2e-oai-parser');
    await start('fetcher', 'e2e-oai-fetcher');
    runCli(['sources', 'poll', 'oai-cs'], env);

    // Kill the fetcher a third of the way through the harvest.
    await waitFor(
      'a third of the pages checkpointed',
      async () => Number((await source('oai-cs')).checkpoint?.pages ?? 0) >= 10 || undefined,
      60_000,
      50,
    );
    procs.get('fetcher')!.kill('SIGKILL');
    await procs.get('fetcher')!.exited;
    const killedAt = Date.now();
    const atKill = (await source('oai-cs')).checkpoint;
    expect(atKill?.resumptionToken).toMatch(/^cs-\d+$/);
    const checkpointPage = pageIndex(`resumptionToken=${atKill!.resumptionToken}`);
    const requestsBeforeKill = server.requests.filter(
      (r) => r.path.includes('set=cs') || r.path.includes('=cs-'),
    ).length;
    expect(requestsBeforeKill).toBeLessThan(PAGES);

    await start('fetcher', 'e2e-oai-fetcher-restarted');
    await waitForPapers('all 1500 papers', '2401', PAGES * PER_PAGE, 90_000, 250);
    await waitFor(
      'the harvest to finish',
      async () => (await source('oai-cs')).checkpoint === null || undefined,
      30_000,
    );

    // Every paper exactly once, each with one sighting of this source.
    expect(await papersOfMonth('2401')).toBe(1500);
    expect(
      await count(`SELECT count(DISTINCT paper_key) AS n FROM papers WHERE arxiv_id LIKE '2401.%'`),
    ).toBe(1500);
    expect(await count(`SELECT count(*) AS n FROM paper_sources WHERE source_id = $1`, [id])).toBe(1500);
    expect(
      await count(
        `SELECT count(*) AS n FROM (SELECT paper_id FROM paper_sources GROUP BY paper_id, source_id HAVING count(*) > 1) d`,
      ),
    ).toBe(0);

    // After the restart the harvest starts at the checkpoint: no page before it is fetched again.
    const csRequests = server.requests.filter((r) => r.path.includes('set=cs') || r.path.includes('=cs-'));
    const after = csRequests.filter((r) => r.at >= killedAt).map((r) => pageIndex(r.path));
    expect(after.length).toBeGreaterThan(0);
    expect(Math.min(...after)).toBeGreaterThanOrEqual(checkpointPage);
    const perPage = new Map<number, number>();
    for (const r of csRequests) perPage.set(pageIndex(r.path), (perPage.get(pageIndex(r.path)) ?? 0) + 1);
    expect([...perPage.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: PAGES }, (_, i) => i));
    // at most the page in flight at the kill is fetched twice
    expect(csRequests.length).toBeLessThanOrEqual(PAGES + 1);
    const health = await source('oai-cs');
    expect(health).toMatchObject({ last_status: 200, last_item_count: PER_PAGE, consecutive_failures: 0 });
    // The harvest started on the repository's 2024-01-16 (page one's responseDate): the next poll
    // asks from that day, gets noRecordsMatch, and moves the mark to the day it started.
    expect(health.harvested_until).toBe('2024-01-16');
    runCli(['sources', 'poll', 'oai-cs'], env);
    await waitFor('the incremental harvest', async () => (await source('oai-cs')).harvested_until === '2024-01-17' || undefined, 30_000);
    expect(server.hits('/oai2?verb=ListRecords&metadataPrefix=arXivRaw&from=2024-01-16&set=cs')).toHaveLength(1);
    console.log(
      JSON.stringify({
        checkpointPageAtKill: checkpointPage,
        requestsBeforeKill,
        requestsAfterKill: after.length,
        firstPageAfterRestart: Math.min(...after),
        totalRequests: csRequests.length,
      }),
    );
  });

  it('holds a backfill while the parse queue is over the bound and goes on when the parser is back', async () => {
    await procs.get('parser')!.stop(10_000);
    procs.delete('parser');
    addLocalOaiSource(env, { name: 'oai-math', endpoint: `${server.url}/oai2`, set: 'math', minIntervalMs: 50 });
    runCli(['sources', 'poll', 'oai-math'], env);
    const mathRequests = () =>
      server.requests.filter((r) => r.path.includes('set=math') || r.path.includes('=math-')).length;

    // Pages are fetched while the queue is at or under the bound, then the next page parks itself.
    await waitFor(
      'the parse queue over the bound',
      async () => (await parseQueue.getWaitingCount()) > BOUND || undefined,
      30_000,
      50,
    );
    const fetchQueue = new Queue('fetch', { connection: { url: TEST_REDIS_URL }, prefix });
    try {
      await waitFor(
        'the next page parked in the delayed set',
        async () => (await fetchQueue.getDelayedCount()) >= 1 || undefined,
        15_000,
        50,
      );
      const held = mathRequests();
      // Watch for a few re-checks (every second): nothing more is fetched while the parser is down.
      const watchUntil = Date.now() + 3_500;
      await waitFor('the hold window', async () => Date.now() >= watchUntil || undefined, 10_000, 100);
      expect(mathRequests()).toBe(held);
      expect(held).toBe(BOUND + 1);
      expect(await parseQueue.getWaitingCount()).toBe(BOUND + 1);
      expect(await fetchQueue.getFailedCount()).toBe(0);

      await start('parser', 'e2e-oai-parser-2');
      await waitForPapers('the rest of the harvest', '2402', 12 * PER_PAGE, 60_000);
      expect(mathRequests()).toBe(12);
      expect((await source('oai-math')).checkpoint).toBeNull();
    } finally {
      await fetchQueue.close();
    }
  });

  it('pauses a backfill when its source is disabled and resumes it from the checkpoint when enabled', async () => {
    addLocalOaiSource(env, { name: 'oai-phys', endpoint: `${server.url}/oai2`, set: 'physics', minIntervalMs: 400 });
    runCli(['sources', 'poll', 'oai-phys'], env);
    const physRequests = () =>
      server.requests.filter((r) => r.path.includes('set=physics') || r.path.includes('=physics-'));
    await waitFor(
      'two pages checkpointed',
      async () => Number((await source('oai-phys')).checkpoint?.pages ?? 0) >= 2 || undefined,
      30_000,
      50,
    );
    runCli(['sources', 'disable', 'oai-phys'], env);
    const pausedAt = (await source('oai-phys')).checkpoint;
    // The page in flight may finish; then nothing more is fetched while the source is disabled.
    const settled = await waitFor(
      'the backfill to stop',
      async () => {
        const n = physRequests().length;
        const t = Date.now();
        await waitFor('a quiet second', async () => Date.now() - t >= 1_500 || undefined, 5_000, 100);
        return physRequests().length === n ? n : undefined;
      },
      20_000,
      0,
    );
    expect(settled).toBeLessThan(6);
    const stopped = (await source('oai-phys')).checkpoint;
    expect(Number(stopped?.pages)).toBeGreaterThanOrEqual(Number(pausedAt?.pages));

    runCli(['sources', 'enable', 'oai-phys'], env);
    await waitFor(
      'the harvest to finish',
      async () => (await source('oai-phys')).checkpoint === null || undefined,
      30_000,
      100,
    );
    await waitForPapers('its papers', '2403', 6 * PER_PAGE, 30_000);
    // Each page once: the resumed harvest went on from the checkpoint.
    const pages = physRequests().map((r) => pageIndex(r.path));
    expect(pages.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
