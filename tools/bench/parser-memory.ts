// Peak RSS of the parser (or the fetcher) on one large document (issue 14 item 11, issue 19 "bounded memory").
//
//   npm run -s build && node tools/run.js tools/bench/parser-memory --mb 50 [--format jsonl|hf|oai|atom] [--batch 100] [--timeline]
//     [--service parser|fetcher]
//
// --service fetcher serves the same document from a local HTTP server instead, runs the real fetcher process
// against a source of the format's kind (arxiv-oai, hf-daily-papers with a `limit` above the page's items so the
// page is counted, a plain URL for JSON Lines) and samples the fetcher until the document is stored.
//
// Generates a JSON Lines document (an HF daily-papers JSON array with --format hf, one OAI-PMH ListRecords
// page of arXivRaw records with --format oai) of about --mb MB of
// unique papers, stores it as one raw_documents row in a schema of its own, runs the real parser service
// as a process (CONCURRENCY=1), enqueues the parse job and samples the process's RSS every 20 ms until the
// document is parsed. Prints the idle RSS, the peak (max of the samples and the kernel's VmHWM), the time
// and papers/s. Uses the test database and Redis (TEST_DATABASE_URL / TEST_REDIS_URL, see libs/testing).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { QUEUES, jobIdOf } from '@paperwire/contracts';
import { TEST_REDIS_URL, createTestDb, startServiceProcess, uniqueName } from '@paperwire/testing';
import { arxivRawRecord } from './corpus';
import { rssMb } from './harness';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

const MB = Number(arg('mb', '50'));
const FORMATS: Record<string, 'jsonl' | 'hf-daily-papers' | 'arxiv-oai' | 'arxiv-api'> = {
  jsonl: 'jsonl',
  hf: 'hf-daily-papers',
  oai: 'arxiv-oai',
  atom: 'arxiv-api',
};
const FORMAT = FORMATS[arg('format', 'jsonl')] ?? 'jsonl';
const BATCH = arg('batch', '100');
const SERVICE = arg('service', 'parser') === 'fetcher' ? 'fetcher' : 'parser';
const WORDS = (
  'we propose a method for efficient training of large language models with sparse attention and show ' +
  'that it improves accuracy by 3.2% on the benchmark while reducing memory use across vision tasks and ' +
  'reinforcement learning agents under distribution shift with careful ablations of every component'
).split(' ');

function paper(i: number): Record<string, unknown> {
  // A different abstract per paper (word order from the index), ~450 characters like a real one.
  const words: string[] = [];
  for (let w = 0; w < 70; w++) words.push(WORDS[(i * 7 + w * 13 + (w * w) % 11) % WORDS.length]);
  const id = `${2400 + Math.floor(i / 100_000)}.${String(i % 100_000).padStart(5, '0')}`;
  return {
    id,
    title: `Paper ${i}: ${words.slice(0, 8).join(' ')}`,
    abstract: words.join(' ') + '.',
    authors: [`Author ${i % 997}`, `Second Author ${i % 313}`],
    categories: ['cs.LG', 'cs.CL'],
    publishedAt: '2024-05-01T00:00:00Z',
  };
}

function hfItem(i: number): Record<string, unknown> {
  const p = paper(i);
  return {
    paper: {
      id: p['id'],
      title: p['title'],
      summary: p['abstract'],
      authors: (p['authors'] as string[]).map((name) => ({ name })),
      publishedAt: p['publishedAt'],
      upvotes: i % 50,
    },
    publishedAt: '2024-05-02T00:00:00Z',
    title: p['title'],
    numComments: i % 7,
  };
}

function oaiRecord(i: number): string {
  const p = paper(i);
  return (
    arxivRawRecord({
      arxivId: String(p['id']),
      title: String(p['title']),
      authors: (p['authors'] as string[]).join(' and '),
      abstract: String(p['abstract']),
      categories: 'cs.LG cs.CL',
      datestamp: '2024-05-01',
      versionDates: ['Wed, 1 May 2024 10:00:00 GMT'],
      submitter: 'Bench',
    }) + '\n'
  );
}

function atomEntry(i: number): string {
  // The arXiv API parser requires a real arXiv id (YYMM with a month): 2405.00000 on.
  const p: Record<string, unknown> = { ...paper(i), id: `24${String(5 + Math.floor(i / 100_000)).padStart(2, '0')}.${String(i % 100_000).padStart(5, '0')}` };
  const authors = (p['authors'] as string[]).map((name) => `<author><name>${name}</name></author>`).join('');
  return (
    `<entry><id>http://arxiv.org/abs/${String(p['id'])}v1</id><updated>2024-05-01T00:00:00Z</updated>` +
    `<published>2024-05-01T00:00:00Z</published><title>${String(p['title'])}</title><summary>${String(p['abstract'])}</summary>` +
    `${authors}<arxiv:primary_category term="cs.LG" scheme="http://arxiv.org/schemas/atom"/>` +
    `<category term="cs.LG" scheme="http://arxiv.org/schemas/atom"/><category term="cs.CL" scheme="http://arxiv.org/schemas/atom"/></entry>\n`
  );
}

const ATOM_HEAD =
  '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom">' +
  '<title type="html">ArXiv Query: bench</title><id>http://arxiv.org/api/bench</id><updated>2024-05-02T00:00:00Z</updated>' +
  '<opensearch:totalResults>1</opensearch:totalResults><opensearch:startIndex>0</opensearch:startIndex><opensearch:itemsPerPage>1</opensearch:itemsPerPage>\n';
const ATOM_TAIL = '</feed>\n';

const OAI_HEAD =
  '<?xml version="1.0" encoding="UTF-8"?>\n<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">' +
  '<responseDate>2024-05-02T00:00:00Z</responseDate><request verb="ListRecords" metadataPrefix="arXivRaw">http://127.0.0.1/oai</request><ListRecords>\n';
const OAI_TAIL = '<resumptionToken cursor="0"></resumptionToken></ListRecords></OAI-PMH>\n';

/** Builds the document as a Buffer of about `mb` MB without keeping the pieces around. */
function generate(mb: number): { body: Buffer; papers: number } {
  const target = mb * 1024 * 1024;
  const parts: Buffer[] = [];
  let size = 0;
  let n = 0;
  const [head, tail] =
    FORMAT === 'arxiv-oai' ? [OAI_HEAD, OAI_TAIL] : FORMAT === 'arxiv-api' ? [ATOM_HEAD, ATOM_TAIL] : FORMAT === 'hf-daily-papers' ? ['[', ']'] : ['', ''];
  parts.push(Buffer.from(head));
  const frame = head.length + tail.length;
  // At most `mb` MB: the parser's whole-document cap (DEFAULT_MAX_BYTES) is 50 MiB, so --mb 50 is the largest.
  for (;;) {
    const line =
      FORMAT === 'jsonl'
        ? `${JSON.stringify(paper(n))}\n`
        : FORMAT === 'arxiv-oai'
          ? oaiRecord(n)
          : FORMAT === 'arxiv-api'
            ? atomEntry(n)
            : `${n > 0 ? ',' : ''}${JSON.stringify(hfItem(n))}\n`;
    const b = Buffer.from(line);
    if (size + b.length + frame > target) break;
    parts.push(b);
    size += b.length;
    n++;
  }
  parts.push(Buffer.from(tail));
  return { body: Buffer.concat(parts), papers: n };
}

const CONTENT_TYPE =
  FORMAT === 'jsonl' ? 'application/x-ndjson' : FORMAT === 'arxiv-oai' ? 'text/xml' : FORMAT === 'arxiv-api' ? 'application/atom+xml' : 'application/json';

/** Samples a process's RSS every 20 ms; `stop` gives the peak (samples and the kernel's VmHWM) and the timeline. */
function sampleRss(pid: number): { idle: number; stop: () => { peak: number; hwm: number; timeline: number[] } } {
  const idle = rssMb(pid);
  let peak = idle;
  const t0 = Date.now();
  // Per-second maxima, printed with --timeline (where in the run the peak is).
  const timeline: number[] = [];
  const sampler = setInterval(() => {
    const rss = rssMb(pid);
    peak = Math.max(peak, rss);
    const second = Math.floor((Date.now() - t0) / 1000);
    timeline[second] = Math.max(timeline[second] ?? 0, Math.round(rss));
  }, 20);
  return {
    idle,
    stop: () => {
      clearInterval(sampler);
      const hwm = rssMb(pid, 'VmHWM');
      return { peak: Math.max(peak, hwm), hwm, timeline };
    },
  };
}

async function main(): Promise<void> {
  const db = await createTestDb('bench_parsermem');
  const prefix = `{${uniqueName('bench-parsermem')}}`;
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const fetch = new Queue(QUEUES.fetch, { connection: redis, prefix });
  const parse = new Queue(QUEUES.parse, { connection: redis, prefix });
  const classify = new Queue(QUEUES.classify, { connection: redis, prefix });
  const server = createServer();
  let proc: Awaited<ReturnType<typeof startServiceProcess>> | undefined;
  const serviceEnv = {
    DATABASE_URL: db.url,
    DATABASE_SCHEMA: db.schema,
    QUEUE_PREFIX: prefix,
    CONCURRENCY: '1',
    BATCH_SIZE: BATCH,
    LOG_LEVEL: 'warn',
    // --node-options '--max-old-space-size=N' to see how much of the peak is garbage V8 has not collected yet
    ...(process.argv.includes('--node-options') ? { NODE_OPTIONS: arg('node-options', '') } : {}),
  };
  try {
    const generated = generate(MB);
    let body = generated.body;
    const expected = generated.papers;
    const bytes = body.length;
    if (SERVICE === 'fetcher') {
      const served = body;
      server.on('request', (_req, res) => {
        res.writeHead(200, { 'content-type': CONTENT_TYPE, 'content-length': served.length });
        res.end(served);
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/doc`;
      const [kind, params] =
        FORMAT === 'arxiv-oai'
          ? ['arxiv-oai', { metadataPrefix: 'arXivRaw' }]
          : FORMAT === 'hf-daily-papers'
            ? ['hf-daily-papers', { date: '2024-05-02', limit: 10_000_000 }]
            : FORMAT === 'arxiv-api'
              ? ['arxiv-api', { search_query: 'cat:cs.LG' }]
              : ['url', { format: 'jsonl' }];
      const [{ id: sourceId }]: { id: string }[] = await db.ds.query(
        `INSERT INTO sources (name, kind, url, params, allow_private, min_interval_ms) VALUES ($1, $2, $3, $4::jsonb, true, 0) RETURNING id`,
        [uniqueName('bench-source'), kind, url, JSON.stringify(params)],
      );
      proc = await startServiceProcess('fetcher', serviceEnv, { logName: 'bench-fetcher-memory' });
      await new Promise((r) => setTimeout(r, 1_000));
      const rss = sampleRss(proc.proc.pid!);
      const t0 = Date.now();
      const data = { sourceId, reason: 'manual' as const };
      await fetch.add('fetch-source', data, { jobId: jobIdOf('fetch-source', data), attempts: 1 });
      let stored: { byte_size: number }[] = [];
      for (;;) {
        stored = await db.ds.query(`SELECT byte_size FROM raw_documents WHERE source_id = $1`, [sourceId]);
        if (stored.length > 0 && (await fetch.getActiveCount()) === 0) break;
        const failed = await fetch.getFailed();
        if (failed.length > 0) throw new Error(`fetch job failed: ${failed[0].failedReason}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const seconds = (Date.now() - t0) / 1000;
      const { peak, hwm, timeline } = rss.stop();
      const result = {
        service: SERVICE,
        format: FORMAT,
        documentMB: Number((bytes / 1024 / 1024).toFixed(1)),
        storedBytes: stored[0]?.byte_size,
        idleRssMB: Math.round(rss.idle),
        peakRssMB: Math.round(peak),
        vmHwmMB: Math.round(hwm),
        seconds: Number(seconds.toFixed(1)),
      };
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      if (process.argv.includes('--timeline')) process.stdout.write(`RSS MB per second: ${timeline.join(' ')}\n`);
      if (Number(stored[0]?.byte_size) !== bytes) process.exitCode = 1;
      return;
    }
    const rows: { id: string }[] = await db.ds.query(
      `INSERT INTO raw_documents (content_hash, url, content_type, format_hint, body, byte_size)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [
        uniqueName('bench-doc'),
        FORMAT === 'jsonl' ? 'bench.jsonl' : FORMAT === 'hf-daily-papers' ? 'bench.json' : 'bench.xml',
        CONTENT_TYPE,
        FORMAT,
        body,
        body.length,
      ],
    );
    const docId = rows[0].id;
    body = Buffer.alloc(0);
    proc = await startServiceProcess('parser', serviceEnv, { logName: 'bench-parser-memory' });
    await new Promise((r) => setTimeout(r, 1_000));
    const rss = sampleRss(proc.proc.pid!);
    const t0 = Date.now();
    await parse.add('parse-document', { rawDocumentId: docId }, { jobId: jobIdOf('parse-document', { rawDocumentId: docId }), attempts: 1 });
    let state: { status: string; paper_count: number | null; error: string | null } | undefined;
    for (;;) {
      [state] = await db.ds.query(`SELECT status, paper_count, error FROM raw_documents WHERE id = $1`, [docId]);
      if (state && state.status !== 'fetched') break;
      const failed = await parse.getFailed();
      if (failed.length > 0) throw new Error(`parse job failed: ${failed[0].failedReason}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const seconds = (Date.now() - t0) / 1000;
    const { peak, hwm, timeline } = rss.stop();
    const stored = Number((await db.ds.query(`SELECT count(*)::int AS n FROM papers`))[0].n);
    const classifyJobs = await classify.getJobCountByTypes('waiting', 'delayed', 'prioritized');
    const result = {
      service: SERVICE,
      format: FORMAT,
      documentMB: Number((bytes / 1024 / 1024).toFixed(1)),
      papersInDocument: expected,
      status: state?.status,
      error: state?.error ?? undefined,
      papersStored: stored,
      classifyJobs,
      idleRssMB: Math.round(rss.idle),
      peakRssMB: Math.round(peak),
      vmHwmMB: Math.round(hwm),
      seconds: Number(seconds.toFixed(1)),
      papersPerSecond: Math.round(stored / seconds),
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    if (process.argv.includes('--timeline')) process.stdout.write(`RSS MB per second: ${timeline.join(' ')}\n`);
    if (stored !== expected || state?.status !== 'parsed') process.exitCode = 1;
  } finally {
    await proc?.stop(10_000).catch(() => undefined);
    server.close();
    await Promise.all([fetch, parse, classify].map((q) => q.obliterate({ force: true }).catch(() => undefined)));
    await Promise.all([fetch.close(), parse.close(), classify.close()]);
    await redis.quit();
    await db.drop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
