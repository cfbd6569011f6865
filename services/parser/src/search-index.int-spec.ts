import { JOB_QUEUE, type PaperRef } from '@paperwire/contracts';
import { commonEnvSchema, loadConfig } from '@paperwire/config';
import { listPaperRows, searchExpressionV1Of } from '@paperwire/db';
import { Sweeper } from '@paperwire/recovery';
import { Metrics } from '@paperwire/service-kit';
import { createTestStores, startJobWorkers, waitFor, type TestStores } from '@paperwire/testing';
import { PaperRepository } from './paper.repository';
import { ParserService } from './parser.service';

// Issue #19 item 3: full-text vectors off the parser's transaction. A document goes through the parse
// queue as in production (parse-document, then the index-search job on the search queue);
// the api's search read (`q=`) finds a new paper within seconds, a changed abstract is re-indexed, a
// replayed job writes nothing, and the sweeper re-enqueues a paper whose vector went missing.

jest.setTimeout(60_000);

describe('full-text vectors off the hot path (Postgres + Redis)', () => {
  let stores: TestStores;
  let parser: ParserService;
  let workers: ReturnType<typeof startJobWorkers>;
  let sourceId: string;
  let docs = 0;

  beforeAll(async () => {
    stores = await createTestStores('search_index');
    const config = loadConfig(commonEnvSchema, { BATCH_SIZE: '50' });
    parser = new ParserService(new PaperRepository(stores.db.ds), stores.queues, config, new Metrics());
    sourceId = (await stores.db.ds.query(`INSERT INTO sources (name, kind) VALUES ('upload', 'file') RETURNING id`))[0].id;
    // The parser's workers: the same handlers as ParseProcessor and SearchProcessor, one job at a time each.
    workers = startJobWorkers(stores, {
      'parse-document': (d) => parser.handleParseDocument(d.rawDocumentId),
      'index-search': (d) => parser.handleIndexSearch(d.refs),
    });
  });

  afterAll(async () => {
    await workers?.close();
    await stores?.close();
  });

  /** A JSON Lines document of these papers, fetched now and queued for the parser. */
  async function parse(papers: { id: string; title: string; abstract: string; authors?: string[] }[]): Promise<void> {
    const body = Buffer.from(papers.map((p) => JSON.stringify({ authors: ['A. Author'], ...p, categories: ['cs.LG'] })).join('\n') + '\n');
    const [doc]: { id: string }[] = await stores.db.ds.query(
      `INSERT INTO raw_documents (source_id, content_hash, url, content_type, format_hint, body, byte_size)
       VALUES ($1, md5($2), 'upload.jsonl', 'application/x-ndjson', 'jsonl', $3, $4) RETURNING id`,
      [sourceId, `doc-${++docs}`, body, body.length],
    );
    await stores.queues.enqueue('parse-document', { rawDocumentId: doc.id });
  }

  /** The api's search read: titles of the papers matching `q`. */
  const search = async (q: string) =>
    (await listPaperRows(stores.db.ds, { filters: { q }, sort: 'relevance', limit: 20 })).map((r) => r.title).sort();

  const refsOf = async (arxivId: string): Promise<PaperRef[]> =>
    (await stores.db.ds.query(`SELECT id, content_hash FROM papers WHERE arxiv_id = $1`, [arxivId])).map(
      (r: { id: string; content_hash: string }) => ({ paperId: r.id, contentHash: r.content_hash }),
    );

  it('makes a new paper searchable within seconds, and re-indexes a changed abstract', async () => {
    const started = Date.now();
    await parse([
      { id: '2501.00001', title: 'Sparse adapters', abstract: 'We study retrieval augmented generation.' },
      { id: '2501.00002', title: 'Dense mixers', abstract: 'We study token mixing.' },
    ]);
    await waitFor('the new paper is searchable', async () => (await search('retrieval')).length > 0, 10_000, 50);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await search('retrieval')).toEqual(['Sparse adapters']);

    await parse([{ id: '2501.00001v2', title: 'Sparse adapters', abstract: 'We prune attention heads.' }]);
    await waitFor('the new abstract is searchable', async () => (await search('pruning heads')).length > 0, 10_000, 50);
    expect(await search('retrieval')).toEqual([]);
    expect(await search('pruning heads')).toEqual(['Sparse adapters']);
  });

  it('writes nothing when an index-search job is replayed', async () => {
    const refs = await refsOf('2501.00001');
    const id = await stores.queues.enqueue('index-search', { refs }, { variant: 'replay' });
    const job = await waitFor('the replayed job completed', async () => {
      // State first, then the job: a job read before it completed carries no return value even once
      // isCompleted() (which asks Redis again) says it has.
      const queue = stores.queues.get(JOB_QUEUE['index-search']);
      return (await queue.getJobState(id)) === 'completed' ? queue.getJob(id) : undefined;
    });
    expect(job!.returnvalue).toEqual({ indexed: 0 });
  });

  it('has the sweeper re-enqueue a paper whose vector is missing', async () => {
    const [ref] = await refsOf('2501.00002');
    // A lost job: the vector never written, the version seen a minute ago.
    await stores.db.ds.query(`DELETE FROM paper_search WHERE paper_id = $1`, [ref.paperId]);
    await stores.db.ds.query(`UPDATE paper_versions SET seen_at = now() - interval '1 minute' WHERE paper_id = $1`, [ref.paperId]);
    expect(await search('mixing')).toEqual([]);

    const sweeper = new Sweeper(stores.db.ds, stores.queues, { afterSeconds: 5, batchSize: 50 });
    expect((await sweeper.sweep()).search).toBe(1);
    await waitFor('the repaired paper is searchable', async () => (await search('mixing')).length > 0, 10_000, 50);
    expect(await search('mixing')).toEqual(['Dense mixers']);
    // Repaired: a sweeper starting now finds nothing to re-index.
    expect((await new Sweeper(stores.db.ds, stores.queues, { afterSeconds: 5, batchSize: 50 }).sweep()).search).toBeUndefined();
  });

  it('re-indexes a paper whose author list alone changed, within seconds', async () => {
    await parse([{ id: '2501.00003', title: 'Kernel tricks', abstract: 'We study kernels.', authors: ['Ada Lovelace'] }]);
    await waitFor('the new paper is searchable', async () => (await search('Lovelace')).length > 0, 10_000, 50);
    const [before] = await refsOf('2501.00003');
    // The same title and abstract (the same content hash, so the same ids as the completed job the queue keeps).
    await parse([{ id: '2501.00003', title: 'Kernel tricks', abstract: 'We study kernels.', authors: ['Ada Lovelace', 'Grace Hopper'] }]);
    await waitFor('the new author is searchable', async () => (await search('Hopper')).length > 0, 10_000, 50);
    expect(await search('Grace Hopper')).toEqual(['Kernel tricks']);
    expect(await refsOf('2501.00003')).toEqual([before]);
  });

  it("has the sweeper's walk re-index vectors of an older document, and an author change whose job was lost", async () => {
    const [older] = await refsOf('2501.00001');
    const [lost] = await refsOf('2501.00003');
    // As the rows were before migration 1796000000000: the title and abstract only, no search key.
    await stores.db.ds.query(
      `UPDATE paper_search s SET search = ${searchExpressionV1Of('p')}, search_key = NULL FROM papers p WHERE p.id = s.paper_id AND p.id = $1`,
      [older.paperId],
    );
    // An author list changed without its index-search job (no content change, no paper version: staleSearchPapers misses it).
    await stores.db.ds.query(`UPDATE papers SET authors = '[{"name": "Alan Turing"}]' WHERE id = $1`, [lost.paperId]);
    expect(await search('Author')).toEqual(['Dense mixers']);
    expect(await search('Turing')).toEqual([]);

    const sweeper = new Sweeper(stores.db.ds, stores.queues, { afterSeconds: 5, batchSize: 50 });
    expect((await sweeper.sweep()).searchOutdated).toBe(2);
    await waitFor('the vectors are recomputed', async () => (await search('Turing')).length > 0 && (await search('Author')).length > 1, 10_000, 50);
    expect(await search('Author')).toEqual(['Dense mixers', 'Sparse adapters']);
    expect(await search('Turing')).toEqual(['Kernel tricks']);
    expect(await search('Hopper')).toEqual([]);
    // Every vector current: the next walk finds nothing.
    expect((await new Sweeper(stores.db.ds, stores.queues, { afterSeconds: 5, batchSize: 50 }).sweep()).searchOutdated).toBeUndefined();
  });
});
