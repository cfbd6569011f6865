import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { QUEUES, batchJobId, type PaperRef, type QueueName } from '@paperwire/contracts';
import { commonEnvSchema, loadConfig } from '@paperwire/config';
import { searchKeyOf, topicCountsFreshSeconds, topicDayNeighbours, topicsWithCounts } from '@paperwire/db';
import { Sweeper, WALK_REST_MS, sweepOutdatedSearch } from '@paperwire/recovery';
import { createLogger } from '@paperwire/telemetry';
import {
  TEST_REDIS_URL,
  createTestStores,
  deleteRedisKeys,
  seedPaper,
  seedSource,
  seedTopic,
  waitFor,
  type TestStores,
} from '@paperwire/testing';
import { SweeperService } from './sweeper.service';

// The sweeper against real Postgres and Redis: what counts as stranded (no job left in Redis), what
// does not (a job still queued, retrying or dead-lettered, under any id), and its schedule surviving a
// Redis wipe.
describe('SweeperService (Postgres + Redis)', () => {
  let stores: TestStores;
  let reconciler: SweeperService;

  beforeAll(async () => {
    stores = await createTestStores('sweeper');
    const config = loadConfig(commonEnvSchema, {
      RECONCILE_AFTER_SECONDS: '5',
      RECONCILE_EVERY_SECONDS: '60',
      BATCH_SIZE: '50',
    });
    reconciler = new SweeperService(
      stores.db.ds,
      stores.queues,
      config,
      createLogger('sweeper-test', 'silent'),
    );
  });

  afterAll(async () => {
    reconciler?.onModuleDestroy();
    await stores?.close();
  });

  const dropKeys = () => deleteRedisKeys([`${stores.prefix}:*`], stores.redis);

  /** A paper sitting at `stage` for a minute (older than RECONCILE_AFTER_SECONDS). */
  async function stuckPaper(key: string, stage: string): Promise<PaperRef> {
    const row = (
      await stores.db.ds.query(`INSERT INTO papers (paper_key, title, abstract, content_hash) VALUES ($1, $1, 'abstract', md5($1)) RETURNING id, content_hash`, [
        key,
      ])
    )[0] as { id: string; content_hash: string };
    // notified_at is set exactly while a paper is at 'notified', as the pipeline sets it.
    await stores.db.ds.query(
      `UPDATE paper_stages SET stage = $2, stage_at = now() - interval '1 minute',
         notified_at = CASE WHEN $2 = 'notified' THEN now() - interval '1 minute' END WHERE paper_id = $1`,
      [row.id, stage],
    );
    return { paperId: row.id, contentHash: row.content_hash };
  }

  async function fetchedDoc(name: string): Promise<string> {
    return (
      await stores.db.ds.query(
        `INSERT INTO raw_documents (content_hash, body, byte_size, fetched_at)
         VALUES (md5($1), '\\x00', 1, now() - interval '1 minute') RETURNING id`,
        [name],
      )
    )[0].id as string;
  }

  /** Dead-letters a job the way production does: a worker whose only attempt throws. */
  async function deadLetter(queue: QueueName, name: string, data: object, jobId: string): Promise<void> {
    await stores.queues.get(queue).add(name, data, { jobId, attempts: 1 });
    const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    const worker = new Worker(
      queue,
      async () => {
        throw new Error('null value in column "value" violates not-null constraint');
      },
      { connection, prefix: stores.prefix },
    );
    try {
      await waitFor(`${jobId} failed`, async () =>
        (await stores.queues.get(queue).getJob(jobId))?.isFailed(),
      );
    } finally {
      await worker.close();
      connection.disconnect();
    }
  }

  it('re-enqueues stranded papers and documents, but not those a job still holds or dead-lettered', async () => {
    const stranded = await stuckPaper('arxiv:stranded', 'classified');
    const dead = await stuckPaper('arxiv:dead', 'classified');
    const retrying = await stuckPaper('arxiv:retrying', 'classified');
    await deadLetter('extract', 'extract-claims', { papers: [dead] }, batchJobId('extract', [dead]));
    await stores.queues
      .get('extract')
      .add(
        'extract-claims',
        { papers: [retrying] },
        { jobId: batchJobId('extract', [retrying]), delay: 60_000 },
      );
    const strandedDoc = await fetchedDoc('stranded');
    const deadDoc = await fetchedDoc('dead');
    await deadLetter('parse', 'parse-document', { rawDocumentId: deadDoc }, `parse-${deadDoc}`);

    const out = await reconciler.handleReconcile();

    expect(out.classified).toBe(1);
    expect(out.rawDocuments).toBe(1);
    const extractJobs = await stores.queues.get('extract').getJobs(['waiting', 'delayed', 'failed']);
    const papersInJobs = extractJobs.flatMap((j) =>
      (j.data as { papers: PaperRef[] }).papers.map((p) => p.paperId),
    );
    // One new job for the stranded paper; the dead-lettered and the retrying one are named once each.
    expect(papersInJobs.sort()).toEqual([stranded.paperId, dead.paperId, retrying.paperId].sort());
    const parseJobs = await stores.queues.get('parse').getJobs(['waiting', 'failed']);
    expect(parseJobs.map((j) => (j.data as { rawDocumentId: string }).rawDocumentId).sort()).toEqual(
      [strandedDoc, deadDoc].sort(),
    );

    // A second pass finds nothing new to add: the stranded paper and document are now held by jobs.
    const again = await reconciler.handleReconcile();
    expect(again.classified).toBeUndefined();
    expect(again.rawDocuments).toBeUndefined();
  });

  /** A webhook delivery of an active subscription, last touched a minute ago (older than RECONCILE_AFTER_SECONDS). */
  async function staleDelivery(key: string, status: 'pending' | 'sending' | 'delivered' | 'failed'): Promise<string> {
    const paper = await stuckPaper(key, 'notified');
    const [{ id: sub }] = await stores.db.ds.query(
      `INSERT INTO subscriptions (name, channel, target, status) VALUES ($1, 'webhook', 'https://hooks.example/x', 'active') RETURNING id`,
      [key],
    );
    const [{ id }] = await stores.db.ds.query(
      `INSERT INTO deliveries (subscription_id, paper_id, detail, status, updated_at)
       VALUES ($1, $2, '{"reasons":[]}', $3, now() - interval '1 minute') RETURNING id`,
      [sub, paper.paperId, status],
    );
    return id as string;
  }

  async function deliverJobsNaming(deliveryId: string): Promise<string[]> {
    const jobs = await stores.queues
      .get('deliver')
      .getJobs(['waiting', 'prioritized', 'paused', 'delayed', 'active', 'failed', 'completed']);
    return jobs
      .filter((j) => (j.data as { deliveryId?: string }).deliveryId === deliveryId)
      .map((j) => String(j.id));
  }

  /** A delayed deliver job for the delivery under the id a subscription resume gives it. */
  async function holdUnderResumeId(deliveryId: string): Promise<void> {
    await stores.queues
      .get('deliver')
      .add('deliver', { deliveryId }, { jobId: `deliver-${deliveryId}-resume-1764000000000`, delay: 60_000 });
  }

  it('re-enqueues a delivery whose job is gone, never one a job holds under any id (a resume re-send)', async () => {
    const gone = await staleDelivery('arxiv:delivery-gone', 'pending');
    // A resumed subscription's stranded delivery goes again under an id of that resume, retrying.
    const resumed = await staleDelivery('arxiv:delivery-resumed', 'pending');
    await holdUnderResumeId(resumed);
    // Mid-attempt (status sending) under its resume id: a second job would send it a second time.
    const inFlight = await staleDelivery('arxiv:delivery-in-flight', 'sending');
    await holdUnderResumeId(inFlight);

    const out = await reconciler.handleReconcile();

    expect(out.deliveries).toBe(1);
    expect(await deliverJobsNaming(gone)).toHaveLength(1);
    expect(await deliverJobsNaming(resumed)).toEqual([`deliver-${resumed}-resume-1764000000000`]);
    expect(await deliverJobsNaming(inFlight)).toEqual([`deliver-${inFlight}-resume-1764000000000`]);
    // The re-enqueued one is held now: a second pass adds nothing.
    expect((await reconciler.handleReconcile()).deliveries).toBeUndefined();
  });

  it('removes a failed deliver job left from before the notifier cleared them: its delivery was delivered since', async () => {
    const done = await staleDelivery('arxiv:delivery-redelivered', 'delivered');
    const failing = await staleDelivery('arxiv:delivery-still-failed', 'failed');
    // dead-lettered by a 302; `done` was redelivered since, before the notifier removed what it ends
    await deadLetter('deliver', 'deliver', { deliveryId: done }, `deliver-${done}`);
    await deadLetter('deliver', 'deliver', { deliveryId: failing }, `deliver-${failing}`);
    const failedIds = async () => (await stores.queues.get('deliver').getFailed()).map((j) => String(j.id)).sort();
    expect(await failedIds()).toEqual([`deliver-${done}`, `deliver-${failing}`].sort());

    expect((await reconciler.handleReconcile()).supersededFailures).toBe(1);
    expect(await failedIds()).toEqual([`deliver-${failing}`]);
    expect((await reconciler.handleReconcile()).supersededFailures).toBeUndefined();
  });

  it('registers the schedules again when Redis lost them, and leaves them alone otherwise', async () => {
    await reconciler.onApplicationBootstrap();
    expect(await reconciler.ensureScheduled()).toBe(false);
    await dropKeys(); // what a Redis restarted without persistence looks like
    expect(await stores.queues.get(QUEUES.maintenance).getJobScheduler('reconcile')).toBeUndefined();
    expect(await reconciler.ensureScheduled()).toBe(true);
    const again = await stores.queues.get(QUEUES.maintenance).getJobScheduler('reconcile');
    expect(again).toMatchObject({ key: 'reconcile', every: 60_000 });
    expect(await reconciler.ensureScheduled()).toBe(false);
  });

  // GET /v1/topics on a large catalogue reads topic_counts; the sweep refreshes it about every minute (here the
  // threshold is lowered so that this small schema counts as large).
  it('refreshes the topic counts rollup about every minute on a large catalogue, never on a small one', async () => {
    const ds = stores.db.ds;
    await ds.query(`INSERT INTO topics (slug, name, description) VALUES ('sweep-a', 'A', 'a'), ('sweep-b', 'B', 'b') ON CONFLICT DO NOTHING`);
    const [{ id }] = await ds.query(`INSERT INTO papers (paper_key, title, abstract, content_hash) VALUES ('arxiv:topic-count', 't', 'a', 'h') RETURNING id`);
    await ds.query(
      `INSERT INTO paper_topics (paper_id, topic_slug, score, is_primary, evidence, model_version, content_hash) VALUES ($1, 'sweep-a', 0.9, true, '[]', 'v', 'h')`,
      [id],
    );
    const counts = () => ds.query(`SELECT topic_slug, last7, refreshed_at FROM topic_counts WHERE topic_slug LIKE 'sweep-%' ORDER BY 1`);
    const t0 = Date.now();
    // the service's sweeper: this catalogue is small, listings count exactly, no rollup is written
    expect((await reconciler.handleReconcile()).topicCounts).toBeUndefined();
    expect(await counts()).toEqual([]);
    const sweeper = new Sweeper(ds, stores.queues, { afterSeconds: 5, batchSize: 50, topicCountsFrom: Number.NEGATIVE_INFINITY }, t0);
    expect((await sweeper.sweep(t0)).topicCounts).toBeGreaterThanOrEqual(2);
    const first: { topic_slug: string; last7: number; refreshed_at: Date }[] = await counts();
    expect(first.map((r) => [r.topic_slug, r.last7])).toEqual([['sweep-a', 1], ['sweep-b', 0]]);
    expect((await sweeper.sweep(t0 + 30_000)).topicCounts).toBeUndefined(); // not yet
    expect((await sweeper.sweep(t0 + 60_000)).topicCounts).toBeGreaterThanOrEqual(2);
    const second: { refreshed_at: Date }[] = await counts();
    expect(second[0].refreshed_at.getTime()).toBeGreaterThan(first[0].refreshed_at.getTime());
  });

  // The rollup is trusted for max(300 s, 3 sweep periods) after a refresh, a window the sweeper that wrote it sets
  // (stale_at): with RECONCILE_EVERY_SECONDS=600 a fixed 300 s left every listing computing the counts itself
  // (~1 s at 2M papers) for half of each period. Time passing is the rows' timestamps moved back.
  it('trusts the rollup for max(300 s, 3 periods) of the sweeper that wrote it: a 600 s period leaves no gap', async () => {
    const ds = stores.db.ds;
    const sent: string[] = [];
    const spy = { query: (sql: string, params?: unknown[]) => (sent.push(sql), ds.query(sql, params)) } as unknown as DataSource;
    /** What a listing read: the rollup, or the catalogue (it computed the counts itself). */
    const listing = async () => {
      sent.length = 0;
      const rows = await topicsWithCounts(spy, Number.NEGATIVE_INFINITY);
      expect(rows.find((r) => r.slug === 'sweep-a')).toMatchObject({ last7: 1 });
      return sent.some((sql) => /\bFROM papers\b/.test(sql)) ? 'catalogue' : 'rollup';
    };
    const passed = (secs: number) =>
      ds.query(
        `UPDATE topic_counts SET refreshed_at = refreshed_at - make_interval(secs => $1), stale_at = stale_at - make_interval(secs => $1)`,
        [secs],
      );
    const windows = () => ds.query(`SELECT DISTINCT extract(epoch from stale_at - refreshed_at)::int AS secs FROM topic_counts`);
    const sweeperEvery = (everySeconds?: number) =>
      new Sweeper(ds, stores.queues, { afterSeconds: 5, batchSize: 50, topicCountsFrom: Number.NEGATIVE_INFINITY, everySeconds });

    expect((await sweeperEvery(600).sweep()).topicCounts).toBeGreaterThanOrEqual(2);
    expect(await windows()).toEqual([{ secs: 1800 }]);
    expect(await listing()).toBe('rollup');
    await passed(400); // past the old fixed 300 s, within the period: the next sweep has not run yet
    expect(await listing()).toBe('rollup');
    await passed(1000); // 1,400 s: two sweeps late
    expect(await listing()).toBe('rollup');
    await passed(500); // 1,900 s: three periods without a sweep (no sweeper running)
    expect(await listing()).toBe('catalogue');
    // a minute apart (the default) or unset: 300 s, as before
    for (const every of [60, undefined]) {
      await sweeperEvery(every).sweep();
      expect(await windows()).toEqual([{ secs: 300 }]);
      await passed(290);
      expect(await listing()).toBe('rollup');
      await passed(20);
      expect(await listing()).toBe('catalogue');
    }
    expect([topicCountsFreshSeconds(1), topicCountsFreshSeconds(100), topicCountsFreshSeconds(300)]).toEqual([300, 300, 900]);
  });

  it('walks paper_search for vectors of an older document, never while the search queue is backlogged, never twice', async () => {
    await dropKeys();
    const start = '00000000-0000-0000-0000-000000000000';
    // Three vectors as migration 1796000000000 left them (no search key), one current.
    const ids: string[] = (
      await stores.db.ds.query(
        `INSERT INTO papers (paper_key, title, abstract, authors, content_hash)
         SELECT 'walk-' || i, 'Walked ' || i, 'abstract', '[{"name": "Ada Lovelace"}]', md5('walk-' || i) FROM generate_series(1, 4) i
         RETURNING id`,
      )
    ).map((r: { id: string }) => r.id);
    await stores.db.ds.query(
      `INSERT INTO paper_search (paper_id, search, content_hash) SELECT id, to_tsvector('english', title), content_hash FROM papers WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    await stores.db.ds.query(`UPDATE paper_search s SET search_key = ${searchKeyOf('p')} FROM papers p WHERE p.id = s.paper_id AND p.id = $1`, [ids[3]]);
    const queue = stores.queues.get(QUEUES.search);
    // More than a window of work waiting: the walk waits where it is.
    const waiting = Array.from({ length: 21 }, (_, k) => ({ paperId: ids[0], contentHash: String(k).padStart(2, '0').padEnd(64, 'a') }));
    for (const ref of waiting) await stores.queues.enqueue('index-search', { refs: [ref] });
    expect(await sweepOutdatedSearch(stores.db.ds, stores.queues, start)).toEqual({ requeued: 0, next: start, walked: false });
    await dropKeys();
    // The window is short of SEARCH_WALK: the whole table was walked, the next one starts again.
    expect(await sweepOutdatedSearch(stores.db.ds, stores.queues, start)).toEqual({ requeued: 3, next: start, walked: true });
    const named = (await queue.getJobs(['waiting'])).flatMap((j) => (j.data as { refs: PaperRef[] }).refs.map((r) => r.paperId));
    expect(named.sort()).toEqual(ids.slice(0, 3).sort());
    // Held by their queued job: not enqueued again.
    expect(await sweepOutdatedSearch(stores.db.ds, stores.queues, start)).toEqual({ requeued: 0, next: start, walked: true });
  });

  it('rests the walk for WALK_REST_MS after a whole walk that found every vector current, never after one that found work', async () => {
    await dropKeys();
    const ds = stores.db.ds;
    await ds.query(`UPDATE paper_search s SET search_key = ${searchKeyOf('p')} FROM papers p WHERE p.id = s.paper_id`);
    const [{ id }] = await ds.query(
      `INSERT INTO papers (paper_key, title, abstract, authors, content_hash)
       VALUES ('rest-1', 'Rested', 'abstract', '[{"name": "Grace Hopper"}]', md5('rest-1')) RETURNING id`,
    );
    await ds.query(`INSERT INTO paper_search (paper_id, search, content_hash) SELECT id, to_tsvector('english', title), content_hash FROM papers WHERE id = $1`, [id]);
    const stale = () => ds.query(`UPDATE paper_search SET search_key = NULL WHERE paper_id = $1`, [id]);
    const opts = { afterSeconds: 5, batchSize: 50, topicCountsFrom: Number.POSITIVE_INFINITY };
    const t0 = Date.now();
    const sweeper = new Sweeper(ds, stores.queues, opts, t0);
    // the walk found the stale vector: no rest, the next sweep walks again (and finds it held by its job)
    expect((await sweeper.sweep(t0)).searchOutdated).toBe(1);
    await dropKeys();
    await ds.query(`UPDATE paper_search s SET search_key = ${searchKeyOf('p')} FROM papers p WHERE p.id = s.paper_id`);
    expect((await sweeper.sweep(t0 + 60_000)).searchOutdated).toBeUndefined(); // a whole walk, nothing found: rests
    await stale();
    expect((await sweeper.sweep(t0 + 120_000)).searchOutdated).toBeUndefined(); // resting
    expect((await sweeper.sweep(t0 + 60_000 + WALK_REST_MS - 1)).searchOutdated).toBeUndefined();
    expect((await sweeper.sweep(t0 + 60_000 + WALK_REST_MS)).searchOutdated).toBe(1); // the rest is over
    // a new sweeper (a restart, e.g. a release that changed the document) walks at once
    await dropKeys();
    expect((await new Sweeper(ds, stores.queues, opts, t0).sweep(t0)).searchOutdated).toBe(1);
  });

  it('drops the topic-day facts a delete made false, which the readers step over until then', async () => {
    const ds = stores.db.ds;
    await seedTopic(ds, 'swept-topic', 'Swept');
    const source = await seedSource(ds, 'arxiv-swept', 'arxiv-api');
    const paperId = await seedPaper(ds, {
      title: 'Swept topic',
      abstract: 'A paper.',
      publishedAt: '2025-02-03T10:00:00Z',
      topics: [{ slug: 'swept-topic', score: 0.5 }],
      sightings: [{ sourceId: source, sourceKind: 'arxiv-api' }],
    });
    const facts = async () =>
      (await ds.query(`SELECT first, day::text AS day FROM topic_days WHERE topic_slug = 'swept-topic' ORDER BY 1`)) as { first: boolean; day: string }[];
    expect(await facts()).toEqual([
      { first: false, day: '2025-02-03' },
      { first: true, day: '2025-02-03' },
    ]);
    const near = () => topicDayNeighbours(ds, { from: '2025-02-01', to: '2025-02-01', topics: ['swept-topic'], firstDays: false });
    expect(await near()).toEqual({ previous: null, next: '2025-02-03' });
    await ds.query(`DELETE FROM paper_topics WHERE paper_id = $1`, [paperId]);
    expect([await facts(), await near()]).toEqual([expect.any(Array), { previous: null, next: null }]);
    expect(await facts()).toHaveLength(2);
    const sweeper = new Sweeper(ds, stores.queues, { afterSeconds: 5, batchSize: 50 });
    // (a suspect waits out the transactions running when the sweep stamped it: other suites may hold one briefly)
    let deleted = 0;
    for (let i = 0; i < 50 && deleted < 2; i++) deleted += (await sweeper.sweep()).topicDaysDeleted ?? 0;
    expect([deleted, await facts()]).toEqual([2, []]);
    expect(await ds.query(`SELECT count(*)::int AS n FROM topic_days_stale`)).toEqual([{ n: 0 }]);
  });
});
