import { addLocalOaiSource, startReplayServer, type ReplayServer, type RouteSpec } from '@paperwire/testing';
import { arxivRawRecord } from '../bench/corpus';
import { PAPERS_PER_SCENARIO, ChaosRun, paperAt, recordResult, sleep } from './chaos-harness';
import { chaosDescribe, expectClean, fullOnly } from './chaos-suite';

// Faults at the pipeline's edges, each on its own pipeline (own schema, queue prefix, receivers):
// 12. the load enters through the fetcher, harvested over OAI-PMH from a local replay server whose
//     pages answer first with 429/503 + Retry-After, hang, reset the connection, drip slowly or send
//     a body above the size cap;
// 13. three webhook subscriptions whose receivers flap, hang past WEBHOOK_TIMEOUT_MS, and answer 410.
// Full mode only (not CHAOS_QUICK); each ends with the checker over its whole history.

jest.setTimeout(900_000);


const N = PAPERS_PER_SCENARIO;
const PER_PAGE = 500;
const PAGES = Math.ceil(N / PER_PAGE);
/** Scenario 13's gone receiver acknowledges this many requests, then answers 410. */
const GONE_AFTER = 100;

/** One arXivRaw ListRecords page of papers `start`…; every page but the last names the next one. */
function oaiPage(start: number, count: number, i: number, pages: number): string {
  const records = Array.from({ length: count }, (_, k) => {
    const p = paperAt(start + k);
    return arxivRawRecord({
      arxivId: p.id,
      title: p.title,
      authors: 'A. Author, B. Author',
      abstract: p.abstract,
      categories: 'cs.LG cs.CL',
      datestamp: '2024-01-15',
      versionDates: ['Mon, 15 Jan 2024 10:00:00 GMT'],
      submitter: 'Chaos Author',
    });
  }).join('\n');
  const token =
    i + 1 < pages
      ? `<resumptionToken cursor="${i * PER_PAGE}" completeListSize="${N}">cs-${i + 1}</resumptionToken>`
      : `<resumptionToken cursor="${i * PER_PAGE}" completeListSize="${N}"/>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>2024-01-16T20:49:59Z</responseDate>
<request verb="ListRecords" metadataPrefix="arXivRaw">http://export.arxiv.org/oai2</request>
<ListRecords>
${records}
${token}
</ListRecords>
</OAI-PMH>
`;
}

const pagePath = (i: number) =>
  i === 0
    ? '/oai2?verb=ListRecords&metadataPrefix=arXivRaw&set=cs'
    : `/oai2?verb=ListRecords&resumptionToken=cs-${i}`;

/**
 * What each page answers before its real body. With FETCH_RETRIES=1 a fault served twice fails a
 * fetch attempt (recorded as the source's error) and the job's retry gets the page; the empty 200 is
 * not retried within an attempt, so once is enough; the 502 is absorbed by the in-request retry. A
 * reset mid-body sends the page's own headers and half its body. An oversize body is not a fault that
 * heals: it fails its job for good at once (issue 14 item 10, tools/e2e/permanent-failures.e2e-spec.ts).
 */
const PAGE_FAULTS: { label: string; before: RouteSpec[]; page?: Partial<RouteSpec> }[] = [
  {
    label: '429 + Retry-After 1 ×2',
    before: [
      { status: 429, retryAfter: 1 },
      { status: 429, retryAfter: 1 },
    ],
  },
  {
    label: '503 + Retry-After 2 ×2',
    before: [
      { status: 503, retryAfter: 2 },
      { status: 503, retryAfter: 2 },
    ],
  },
  { label: 'hang ×2 (FETCH_TIMEOUT_MS 3 s)', before: [{ fault: 'hang' }, { fault: 'hang' }] },
  { label: 'connection reset ×2', before: [{ fault: 'reset' }, { fault: 'reset' }] },
  { label: 'slow drip (32 KiB / 50 ms)', before: [], page: { slowDrip: { bytes: 32_768, intervalMs: 50 } } },
  { label: 'reset mid-body ×2', before: [{ fault: 'reset-mid-body' }, { fault: 'reset-mid-body' }] },
  { label: '502 once', before: [{ status: 502 }] },
  { label: 'empty 200', before: [{ status: 200, body: '', contentType: 'text/xml' }] },
];

interface SourceHealth {
  id: string;
  last_status: number | null;
  last_error: string | null;
  consecutive_failures: number;
  checkpoint: unknown;
}

chaosDescribe('chaos: faults at the edges', () => {
  const runs: ChaosRun[] = [];
  afterAll(async () => {
    for (const r of runs) await r.teardown();
  });

  fullOnly(
    '12. upstream faults: 5,000 papers harvested through 429/503, hangs, resets, a slow drip and an oversize body',
    async () => {
      const run = new ChaosRun('upstream', {
        extraEnv: {
          FETCH_RETRIES: '1',
          FETCH_TIMEOUT_MS: '3000',
          FETCH_MAX_BYTES: String(8 * 1024 * 1024),
        },
      });
      runs.push(run);
      await run.setup();
      const start = run.reserve(N, 'oai://replay');
      const routes: Record<string, RouteSpec[]> = {};
      for (let i = 0; i < PAGES; i += 1) {
        const f = PAGE_FAULTS[i] ?? { before: [] };
        const body = oaiPage(start + i * PER_PAGE, Math.min(PER_PAGE, N - i * PER_PAGE), i, PAGES);
        const page: RouteSpec = { body, contentType: 'text/xml; charset=utf-8' };
        routes[pagePath(i)] = [
          ...f.before.map((b) => (b.fault === 'reset-mid-body' ? { ...page, ...b } : b)),
          { ...page, ...f.page },
        ];
      }
      const server: ReplayServer = await startReplayServer(routes);
      try {
        addLocalOaiSource(run.env, { name: 'oai-chaos', endpoint: `${server.url}/oai2`, set: 'cs', minIntervalMs: 50 });
        const health = async (): Promise<SourceHealth> =>
          (
            await run.db.ds.query(
              `SELECT id, last_status, last_error, consecutive_failures, checkpoint FROM sources WHERE name = 'oai-chaos'`,
            )
          )[0];
        const sourceId = (await health()).id;
        await run.startAll();

        // The source's health as an operator would see it during the harvest (polled every 50 ms).
        const errorsSeen = new Map<string, number>();
        let maxFailures = 0;
        let watching = true;
        const watch = (async () => {
          while (watching) {
            const h = await health();
            if (h.last_error) errorsSeen.set(h.last_error.slice(0, 160), h.last_status ?? 0);
            maxFailures = Math.max(maxFailures, h.consecutive_failures);
            await sleep(50);
          }
        })();

        const t0 = Date.now();
        await run.queues.enqueue(
          'fetch-source',
          { sourceId, reason: 'manual' },
          { variant: 'chaos' },
        );
        const r = await run.check(
          '12 upstream faults',
          `${N} papers harvested by the fetcher (arxiv-oai, ${PAGES} pages of ${PER_PAGE} from a replay server)`,
          `pages answer first: ${PAGE_FAULTS.slice(0, PAGES)
            .map((f, i) => `p${i + 1} ${f.label}`)
            .join(', ')}`,
          t0,
          420_000,
        );
        watching = false;
        await watch;
        const end = await health();
        const hits = Array.from({ length: PAGES }, (_, i) => server.hits(pagePath(i)).length);
        const errors = [...errorsSeen.keys()];
        const documents: {
          url: string;
          status: string;
          byte_size: number;
          paper_count: number;
          error: string | null;
          papers: number;
        }[] = await run.db.ds.query(
          `SELECT d.url, d.status, d.byte_size, d.paper_count, d.error, (SELECT count(*)::int FROM paper_sources s WHERE s.raw_document_id = d.id) AS papers
               FROM raw_documents d ORDER BY d.fetched_at`,
        );
        recordResult({
          scenario: '12 upstream faults (detail)',
          requestsPerPage: hits,
          errorsSeen: [...errorsSeen].map(([error, status]) => ({ status, error })),
          maxConsecutiveFailures: maxFailures,
          endHealth: end,
          documents: documents.map((d) => ({ ...d, url: d.url.replace(server.url, '') })),
        });

        expectClean(r);
        expect(r.stored).toBe(N);
        // Every fault was served and every page then fetched once: hits = faults before it + 1.
        expect(hits).toEqual(Array.from({ length: PAGES }, (_, i) => routes[pagePath(i)].length));
        expect(errors.some((e) => /HTTP 429/.test(e))).toBe(true);
        expect(errors.some((e) => /^timeout: /.test(e))).toBe(true);
        expect(errors.some((e) => /^network: incomplete OAI-PMH response \(0 bytes/.test(e))).toBe(PAGES > 7);
        expect(maxFailures).toBeGreaterThanOrEqual(1);
        expect(end).toMatchObject({
          last_status: 200,
          last_error: null,
          consecutive_failures: 0,
          checkpoint: null,
        });
      } finally {
        await server.close();
      }
    },
  );

  fullOnly(
    '13. webhook receivers that flap, hang past the timeout and answer 410: each matching delivery once per webhook-id',
    async () => {
      const run = new ChaosRun('receivers', {
        extraEnv: { WEBHOOK_TIMEOUT_MS: '1000', DELIVERY_BACKOFF_MS: '200' },
        hooks: [
          { name: 'flapping', respond: ({ n }) => (n % 3 === 2 ? 500 : 204) },
          { name: 'hanging', respond: ({ n }) => (n % 7 === 3 ? 'hang' : 200) },
          { name: 'gone', respond: ({ n }) => (n < GONE_AFTER ? 204 : 410), gone: true },
        ],
      });
      runs.push(run);
      await run.setup();
      await run.startAll();
      const t0 = Date.now();
      await run.ingest(N);
      const r = await run.check(
        '13 flapping, hanging and gone receivers',
        `${N} papers (${PAGES} JSONL docs of 500), 3 webhook subscriptions`,
        `receivers: every 3rd request 500; every 7th hangs (WEBHOOK_TIMEOUT_MS 1 s); 410 after ${GONE_AFTER} requests; DELIVERY_BACKOFF_MS 200`,
        t0,
        420_000,
      );
      const [flapping, hanging, gone] = r.hooks;
      recordResult({ scenario: '13 receivers (detail)', hooks: r.hooks });

      expectClean(r);
      expect(r.stored).toBe(N);
      for (const h of [flapping, hanging]) {
        // Every matching paper delivered once, acknowledged under one webhook-id, after retries.
        expect({ name: h.name, delivered: h.delivered, ids: h.webhookIds, acked: h.idsWith2xx }).toEqual({
          name: h.name,
          delivered: h.expected,
          ids: h.expected,
          acked: h.expected,
        });
        expect(h.expected).toBeGreaterThan(0);
        expect(h.redeliveries).toBeGreaterThan(0);
        expect(h.subscriptionStatus).toBe('active');
      }
      expect(hanging.hung).toBeGreaterThan(0);
      // The 410 endpoint: disabled with its reason; what it acknowledged is delivered, the rest skipped.
      expect(gone).toMatchObject({
        subscriptionStatus: 'disabled',
        statusReason: 'endpoint answered 410 Gone',
      });
      expect(gone.delivered).toBe(GONE_AFTER);
      expect(gone.idsWith2xx).toBe(GONE_AFTER);
      expect(gone.failed).toBeGreaterThanOrEqual(1);
      expect(gone.skipped).toBeGreaterThan(0);
      expect(gone.delivered + gone.failed + gone.skipped + gone.expectedWithoutRow).toBe(gone.expected);
      const open = await run.db.ds.query(
        `SELECT count(*)::int AS n FROM deliveries WHERE subscription_id = $1 AND status IN ('pending', 'sending')`,
        [run.hooks[2].subscriptionId],
      );
      expect(open[0].n).toBe(0);
    },
  );
});
