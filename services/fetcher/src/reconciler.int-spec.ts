import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { batchJobId, type PaperRef } from '@paperwire/contracts';
import { commonEnvSchema, loadConfig } from '@paperwire/config';
import { MAINTENANCE_QUEUE, QueueSet } from '@paperwire/queue';
import { createLogger } from '@paperwire/telemetry';
import { TEST_REDIS_URL, createTestDb, uniqueName, waitFor, type TestDb } from '@paperwire/testing';
import { ReconcilerService } from './reconciler.service';
import { SchedulerService } from './scheduler.service';
import { SourceRepository } from './source.repository';

// The reconciler against real Postgres and Redis: what counts as stranded (no job left in Redis), what
// does not (a job still queued, retrying or dead-lettered), and its schedule surviving a Redis wipe.
describe('ReconcilerService (Postgres + Redis)', () => {
  let db: TestDb;
  let redis: Redis;
  let queues: QueueSet;
  let prefix: string;
  let reconciler: ReconcilerService;
  let scheduler: SchedulerService;

  beforeAll(async () => {
    db = await createTestDb('reconciler');
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    prefix = `{${uniqueName('recon')}}`;
    queues = new QueueSet(redis, prefix);
    const config = loadConfig(commonEnvSchema, {
      RECONCILE_AFTER_SECONDS: '5',
      RECONCILE_EVERY_SECONDS: '60',
      BATCH_SIZE: '50',
    });
    const log = createLogger('reconciler-test', 'silent');
    const sources = new SourceRepository(db.ds);
    scheduler = new SchedulerService(sources, queues, config, log);
    reconciler = new ReconcilerService(db.ds, queues, config, log, scheduler, sources);
  });

  afterAll(async () => {
    await queues?.close();
    await dropKeys();
    redis?.disconnect();
    await db?.drop();
  });

  async function dropKeys(): Promise<void> {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  }

  /** A paper sitting at `stage` for a minute (older than RECONCILE_AFTER_SECONDS). */
  async function stuckPaper(key: string, stage: string): Promise<PaperRef> {
    const row = (
      await db.ds.query(
        `INSERT INTO papers (paper_key, title, abstract, content_hash, stage, stage_at)
         VALUES ($1, $1, 'abstract', md5($1), $2, now() - interval '1 minute') RETURNING id, content_hash`,
        [key, stage],
      )
    )[0] as { id: string; content_hash: string };
    return { paperId: row.id, contentHash: row.content_hash };
  }

  async function fetchedDoc(name: string): Promise<string> {
    return (
      await db.ds.query(
        `INSERT INTO raw_documents (content_hash, body, byte_size, fetched_at)
         VALUES (md5($1), '\\x00', 1, now() - interval '1 minute') RETURNING id`,
        [name],
      )
    )[0].id as string;
  }

  /** Dead-letters a job the way production does: a worker whose only attempt throws. */
  async function deadLetter(queue: string, name: string, data: object, jobId: string): Promise<void> {
    await queues.get(queue).add(name, data, { jobId, attempts: 1 });
    const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    const worker = new Worker(
      queue,
      async () => {
        throw new Error('null value in column "value" violates not-null constraint');
      },
      { connection, prefix },
    );
    try {
      await waitFor(`${jobId} failed`, async () => (await queues.get(queue).getJob(jobId))?.isFailed());
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
    await queues
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
    const extractJobs = await queues.get('extract').getJobs(['waiting', 'delayed', 'failed']);
    const papersInJobs = extractJobs.flatMap((j) =>
      (j.data as { papers: PaperRef[] }).papers.map((p) => p.paperId),
    );
    // One new job for the stranded paper; the dead-lettered and the retrying one are named once each.
    expect(papersInJobs.sort()).toEqual([stranded.paperId, dead.paperId, retrying.paperId].sort());
    const parseJobs = await queues.get('parse').getJobs(['waiting', 'failed']);
    expect(parseJobs.map((j) => (j.data as { rawDocumentId: string }).rawDocumentId).sort()).toEqual(
      [strandedDoc, deadDoc].sort(),
    );

    // A second pass finds nothing new to add: the stranded paper and document are now held by jobs.
    const again = await reconciler.handleReconcile();
    expect(again.classified).toBeUndefined();
    expect(again.rawDocuments).toBeUndefined();
  });

  it('registers the schedules again when Redis lost them, and leaves them alone otherwise', async () => {
    await scheduler.onApplicationBootstrap();
    expect(await reconciler.ensureScheduled()).toBe(false);
    await dropKeys(); // what a Redis restarted without persistence looks like
    expect(await queues.get(MAINTENANCE_QUEUE).getJobScheduler('reconcile')).toBeUndefined();
    expect(await reconciler.ensureScheduled()).toBe(true);
    const again = await queues.get(MAINTENANCE_QUEUE).getJobScheduler('reconcile');
    expect(again).toMatchObject({ key: 'reconcile', every: 60_000 });
    expect(await reconciler.ensureScheduled()).toBe(false);
  });
});
