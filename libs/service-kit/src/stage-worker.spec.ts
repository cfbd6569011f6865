import { UnrecoverableError, type Job } from 'bullmq';
import type { PaperRef } from '@paperwire/contracts';
import { QueueSet } from '@paperwire/queue';
import { PermanentError, StageProcessor, StageWorker, isDataError, registerHandlers, type JobHandlers } from './stage-worker';

const ref = (n: number): PaperRef => ({
  paperId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  contentHash: String(n % 10).repeat(64),
});

/** A constraint violation as pg reports it (TypeORM copies the code onto its QueryFailedError). */
const notNullViolation = () =>
  Object.assign(new Error('null value in column "value" violates not-null constraint'), { code: '23502' });

@StageProcessor('extract')
class TestWorker extends StageWorker {
  constructor(private readonly handler: (papers: PaperRef[]) => Promise<unknown>) {
    super();
  }
  protected handlers(): JobHandlers {
    return { 'extract-claims': (data) => this.handler(data.papers) };
  }
}

function setup(handler: (papers: PaperRef[]) => Promise<unknown>) {
  const added: { name: string; data: { papers: PaperRef[] }; opts: { jobId: string } }[][] = [];
  const worker = new TestWorker(handler);
  const outcomes: string[] = [];
  Object.assign(worker, {
    log: { info: jest.fn(), warn: jest.fn(), debug: jest.fn(), error: jest.fn() },
    metrics: {
      jobs: { inc: (l: { outcome: string }) => outcomes.push(l.outcome) },
      jobDuration: { observe: jest.fn() },
    },
    // The real producer (ids from the pipeline table) over a queue that records what it is given.
    queueSet: Object.assign(Object.create(QueueSet.prototype) as QueueSet, {
      get: () => ({ addBulk: async (jobs: (typeof added)[number]) => void added.push(jobs) }),
    }),
  });
  const job = (papers: PaperRef[], attemptsMade = 0, attempts = 8) =>
    ({
      id: 'j1',
      name: 'extract-claims',
      data: { papers },
      attemptsMade,
      opts: { attempts },
    }) as unknown as Job;
  return { worker, job, added, outcomes };
}

describe('StageWorker and jobs of another queue', () => {
  it('hands a job an earlier release queued here to the queue the pipeline table names now', async () => {
    const { worker, added, outcomes } = setup(async () => ({}));
    // index-search travelled on the parse queue before it got its own; here one sits on 'extract'.
    const refs = [ref(1), ref(2)];
    const stray = { id: 'old-1', name: 'index-search', data: { refs }, attemptsMade: 0, opts: { attempts: 8 } };
    const queuesAsked: string[] = [];
    const set = (worker as unknown as { queueSet: QueueSet }).queueSet;
    const get = set.get.bind(set);
    Object.assign(set, { get: (q: string) => (queuesAsked.push(q), get(q as never)) });
    await expect(worker.process(stray as unknown as Job)).resolves.toEqual({ movedTo: 'search' });
    expect(queuesAsked).toEqual(['search']);
    expect(added).toHaveLength(1);
    expect(added[0][0]).toMatchObject({ name: 'index-search', data: { refs } });
    expect(outcomes).toEqual(['moved']);
  });

  it('still fails a job of its own queue that it has no handler for, and a payload that does not parse', async () => {
    const { worker } = setup(async () => ({}));
    const noHandler = { id: 'x', name: 'extract-claims', data: { papers: [ref(1)] }, attemptsMade: 0, opts: {} };
    Object.assign(worker, { handlers: () => ({}) });
    await expect(worker.process(noHandler as unknown as Job)).rejects.toThrow('has no handler');
    const { worker: w2 } = setup(async () => ({}));
    const bad = { id: 'y', name: 'index-search', data: { refs: [] }, attemptsMade: 0, opts: {} };
    await expect(w2.process(bad as unknown as Job)).rejects.toThrow();
  });
});

describe('StageWorker batch split', () => {
  it('splits a batch that fails with a data error into one job per paper, at once', async () => {
    const bad = ref(2);
    const { worker, job, added, outcomes } = setup(async (papers) => {
      if (papers.some((p) => p.paperId === bad.paperId)) throw notNullViolation();
      return { extracted: papers.length };
    });
    const result = await worker.process(job([ref(1), bad, ref(3)]));
    expect(result).toEqual({ split: 3, cause: expect.stringContaining('not-null') });
    expect(outcomes).toEqual(['split']);
    expect(added).toHaveLength(1);
    expect(added[0].map((j) => j.data.papers)).toEqual([[ref(1)], [bad], [ref(3)]]);
    expect(new Set(added[0].map((j) => j.opts.jobId)).size).toBe(3);
    expect(added[0][0].opts.jobId).toMatch(/^extract-.*-split$/);

    // The one-paper jobs: healthy papers complete, the bad one fails and keeps its retries.
    await expect(worker.process(job([ref(1)]))).resolves.toEqual({ extracted: 1 });
    await expect(worker.process(job([bad]))).rejects.toThrow('not-null');
  });

  it('retries a batch on other errors, and splits it only on its last attempt', async () => {
    const { worker, job, added } = setup(async () => {
      throw new Error('connection terminated unexpectedly');
    });
    await expect(worker.process(job([ref(1), ref(2)], 0, 3))).rejects.toThrow('connection terminated');
    expect(added).toHaveLength(0);
    await expect(worker.process(job([ref(1), ref(2)], 2, 3))).resolves.toMatchObject({ split: 2 });
    expect(added).toHaveLength(1);
  });

  it('never splits a single paper or a deliberate permanent failure', async () => {
    const single = setup(async () => {
      throw notNullViolation();
    });
    await expect(single.worker.process(single.job([ref(1)]))).rejects.toThrow('not-null');
    const permanent = setup(async () => {
      throw new UnrecoverableError('document is gone');
    });
    await expect(permanent.worker.process(permanent.job([ref(1), ref(2)], 7, 8))).rejects.toThrow(
      'document is gone',
    );
    expect([...single.added, ...permanent.added]).toHaveLength(0);
  });
});

describe('isDataError', () => {
  it('recognises SQLSTATE classes 22 and 23 on the error or its driverError', () => {
    expect(isDataError({ code: '23505' })).toBe(true);
    expect(isDataError({ code: '22003' })).toBe(true);
    expect(isDataError({ driverError: { code: '23514' } })).toBe(true);
    expect(isDataError({ code: '57P01' })).toBe(false); // admin shutdown: transient
    expect(isDataError({ code: 'ECONNREFUSED' })).toBe(false);
    expect(isDataError(new Error('x'))).toBe(false);
    expect(isDataError(null)).toBe(false);
  });
});

describe('registerHandlers (start-up check)', () => {
  it('refuses a worker that leaves a job of its queue without a handler', () => {
    expect(() => registerHandlers({ owner: 'Deliver', queue: 'deliver', jobs: ['deliver', 'send-digest'] })).toThrow(
      'job handlers do not match the pipeline table: job "send-confirmation" (queue deliver) has no handler',
    );
  });

  it('refuses a second worker for the jobs of a queue in the same process', () => {
    registerHandlers({ owner: 'Notify', queue: 'notify', jobs: ['match-subscriptions', 'backfill-subscription'] });
    expect(() =>
      registerHandlers({ owner: 'NotifyAgain', queue: 'notify', jobs: ['match-subscriptions', 'backfill-subscription'] }),
    ).toThrow('job "match-subscriptions" (queue notify) has 2 handlers: Notify, NotifyAgain');
  });
});

describe('StageWorker job log lines', () => {
  const logOf = (worker: StageWorker) => (worker as unknown as { log: Record<'warn' | 'debug', jest.Mock> }).log;

  it('logs a retry its handler reported already at debug only, and still warns about its final failure', async () => {
    const { worker, job } = setup(async () => {
      throw Object.assign(new Error('webhook attempt failed: HTTP 500'), { reported: true });
    });
    await expect(worker.process(job([ref(1)], 0, 3))).rejects.toThrow('HTTP 500');
    expect(logOf(worker).warn).not.toHaveBeenCalled();
    expect(logOf(worker).debug).toHaveBeenCalledWith(expect.objectContaining({ outcome: 'retry', err: 'webhook attempt failed: HTTP 500' }), 'job');
    await expect(worker.process(job([ref(1)], 2, 3))).rejects.toThrow('HTTP 500');
    expect(logOf(worker).warn).toHaveBeenCalledWith(expect.objectContaining({ outcome: 'failed' }), 'job');
  });

  it('warns about an unreported retry, and logs a permanent failure with its detail', async () => {
    const { worker, job } = setup(async () => {
      throw new Error('connection terminated');
    });
    await expect(worker.process(job([ref(1)], 0, 3))).rejects.toThrow('connection terminated');
    expect(logOf(worker).warn).toHaveBeenCalledWith(expect.objectContaining({ outcome: 'retry' }), 'job');
    const failing = setup(async () => {
      throw new PermanentError('malformed: not well-formed XML: line 3: …', "line 3: Invalid '[ \"feed\" ]' found.");
    });
    await expect(failing.worker.process(failing.job([ref(1)], 0, 3))).rejects.toThrow('not well-formed');
    expect(logOf(failing.worker).warn).toHaveBeenCalledWith(
      expect.objectContaining({ outcome: 'failed', err: 'malformed: not well-formed XML: line 3: …', detail: "line 3: Invalid '[ \"feed\" ]' found." }),
      'job',
    );
  });
});
