import { createHash } from 'node:crypto';
import { fetcherEnvSchema, loadConfig } from '@paperwire/config';
import { BODY_PART_BYTES } from '@paperwire/db';
import { Metrics } from '@paperwire/service-kit';
import { createLogger } from '@paperwire/telemetry';
import { startReplayServer, type ReplayServer } from '@paperwire/testing';
import { useTestStores } from '@paperwire/testing/jest';
import { FetcherService } from './fetcher.service';
import { SourceRepository } from './source.repository';

// Issue 19: a large page is stored in parts (BODY_PART_BYTES) and its paging read from its bytes, not from
// one string or JSON tree of the page. What lands must be the page byte for byte, and the paging the same.
function oaiPage(records: number, token: string): Buffer {
  const parts = [
    '<?xml version="1.0" encoding="UTF-8"?>\n<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">',
    '<responseDate>2026-11-20T00:00:00Z</responseDate><request verb="ListRecords">x</request><ListRecords>\n',
  ];
  for (let i = 0; i < records; i++)
    parts.push(
      `<record><header><identifier>oai:arXiv.org:2611.${String(i).padStart(5, '0')}</identifier><datestamp>2026-11-19</datestamp></header>` +
        `<metadata><arXivRaw xmlns="http://arxiv.org/OAI/arXivRaw/"><id>2611.${String(i).padStart(5, '0')}</id>` +
        `<title>Pâper ${i} — ünïcode ${'words '.repeat(20)}</title><abstract>${'abstract text '.repeat(40)}</abstract></arXivRaw></metadata></record>\n`,
    );
  parts.push(`<resumptionToken cursor="0" completeListSize="${records * 2}">${token}</resumptionToken></ListRecords></OAI-PMH>\n`);
  return Buffer.from(parts.join(''));
}

function hfPage(items: number): Buffer {
  const list = Array.from({ length: items }, (_, i) => ({
    paper: { id: `2611.${String(i).padStart(5, '0')}`, title: `Päper ${i} {[,"\\`, summary: 'summary '.repeat(120), upvotes: i },
    publishedAt: '2026-11-20T00:00:00Z',
  }));
  return Buffer.from(JSON.stringify(list));
}

describe('fetching a page larger than one part', () => {
  const stores = useTestStores('fetch_large');
  let server: ReplayServer;
  let fetcher: FetcherService;
  const oai = oaiPage(3_000, 'tok|2');
  const hf = hfPage(2_500);

  beforeAll(async () => {
    expect(oai.length).toBeGreaterThan(2 * BODY_PART_BYTES);
    expect(hf.length).toBeGreaterThan(2 * BODY_PART_BYTES);
    server = await startReplayServer({
      '/oai': { body: oai, contentType: 'text/xml' },
      '/oai-chunked': { body: oai, contentType: 'text/xml', chunked: true },
      '/oai-gzip': { body: oai, contentType: 'text/xml', gzip: true },
      '/hf': { body: hf, contentType: 'application/json' },
    });
    const config = loadConfig(fetcherEnvSchema, { QUEUE_PREFIX: stores().prefix, FETCH_RETRIES: '0', FETCH_TIMEOUT_MS: '20000' });
    fetcher = new FetcherService(new SourceRepository(stores().db.ds), stores().queues, stores().redis, config, createLogger('large', 'silent'), new Metrics());
  });

  afterAll(async () => {
    await server?.close();
  });

  async function source(name: string, kind: string, path: string, params: Record<string, unknown>): Promise<string> {
    const [{ id }] = (await stores().db.ds.query(
      `INSERT INTO sources (name, kind, url, params, allow_private, min_interval_ms) VALUES ($1, $2, $3, $4::jsonb, true, 0) RETURNING id`,
      [name, kind, `${server.url}${path}`, JSON.stringify(params)],
    )) as { id: string }[];
    return id;
  }

  async function stored(id: string): Promise<{ byte_size: number; length: number; sha: string; content_hash: string }> {
    const [row] = (await stores().db.ds.query(
      `SELECT byte_size, octet_length(body)::int AS length, encode(sha256(body), 'hex') AS sha, content_hash FROM raw_documents WHERE id = $1`,
      [id],
    )) as { byte_size: number; length: number; sha: string; content_hash: string }[];
    return row;
  }

  it.each(['/oai', '/oai-chunked', '/oai-gzip'])(
    'an OAI-PMH page from %s lands byte for byte, and its token is the next page',
    async (path) => {
      // One content hash per page: each route's source is the only one storing it (the first stores, the rest find it).
      const id = await source(`oai${path.replace('/', '-')}`, 'arxiv-oai', path, { metadataPrefix: 'arXivRaw' });
      const out = await fetcher.handleFetchSource(id, 'manual', true);
      expect(out.nextPage).toBe(true);
      const row = await stored(out.rawDocumentId!);
      const sha = createHash('sha256').update(oai).digest('hex');
      expect(row).toEqual({ byte_size: oai.length, length: oai.length, sha, content_hash: sha });
      const [src] = (await stores().db.ds.query(`SELECT checkpoint FROM sources WHERE id = $1`, [id])) as {
        checkpoint: Record<string, unknown>;
      }[];
      expect(src.checkpoint).toMatchObject({ resumptionToken: 'tok|2', pages: 1, harvestStartedAt: '2026-11-20' });
    },
  );

  it('a page stored before is found by its hash: same document, not created again', async () => {
    const id = await source('oai-again', 'arxiv-oai', '/oai', { metadataPrefix: 'arXivRaw' });
    const first = await fetcher.handleFetchSource(id, 'manual', true);
    const again = await fetcher.handleFetchSource(id, 'manual', true);
    expect(again.rawDocumentId).toBe(first.rawDocumentId);
    expect(again.newDocument).toBe(false);
    // (documents are stored once per source and content hash: other sources of this file hold the same bytes too)
    const [{ n }] = (await stores().db.ds.query(
      `SELECT count(*)::int AS n FROM raw_documents WHERE content_hash = $1 AND source_id = $2`,
      [createHash('sha256').update(oai).digest('hex'), id],
    )) as { n: number }[];
    expect(n).toBe(1);
  });

  it('an HF page is counted without parsing it: full at its item count, not full one above', async () => {
    const full = await source('hf-full', 'hf-daily-papers', '/hf', { date: '2026-11-20', limit: 2_500 });
    expect((await fetcher.handleFetchSource(full, 'manual', true)).nextPage).toBe(true);
    const notFull = await source('hf-not-full', 'hf-daily-papers', '/hf', { date: '2026-11-20', limit: 2_501 });
    const out = await fetcher.handleFetchSource(notFull, 'manual', true);
    expect(out.nextPage).toBe(false);
    const row = await stored(out.rawDocumentId!);
    expect(row.length).toBe(hf.length);
    expect(row.sha).toBe(createHash('sha256').update(hf).digest('hex'));
  });
});
