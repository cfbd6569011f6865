import {
  JOB_NAMES,
  JOB_SCHEMAS,
  PAPER_JOBS,
  JOB_QUEUE,
  PAPER_STAGES,
  PIPELINE,
  STAGES_WITH_NEXT,
  handlerProblems,
  jobIdOf,
  jobReaching,
  jobsOfQueue,
  nextJobOf,
  type JobName,
  type JobOf,
} from './index';

const A = { paperId: '00000000-0000-4000-8000-000000000001', contentHash: 'a'.repeat(64) };
const uuid = '00000000-0000-4000-8000-0000000000aa';
const SAMPLE: { [N in JobName]: JobOf<N> } = {
  'fetch-source': { sourceId: uuid, reason: 'manual' },
  'parse-document': { rawDocumentId: uuid },
  'classify-papers': { papers: [A] },
  'extract-claims': { papers: [A] },
  'match-subscriptions': { papers: [A] },
  'index-search': { refs: [A] },
  'backfill-subscription': { subscriptionId: uuid, since: '2026-11-24T10:00:00.123Z' },
  'deliver': { deliveryId: uuid },
  'send-digest': { subscriptionId: uuid },
  'send-confirmation': { subscriptionId: uuid },
  'reconcile': {},
};

describe('the pipeline table', () => {
  it('orders the paper stages by the jobs that move papers between them', () => {
    expect(PAPER_STAGES).toEqual(['parsed', 'classified', 'extracted', 'notified']);
    expect(PAPER_STAGES.map((s) => nextJobOf(s))).toEqual(['classify-papers', 'extract-claims', 'match-subscriptions', undefined]);
    expect(STAGES_WITH_NEXT).toEqual(['parsed', 'classified', 'extracted']);
    expect(PAPER_STAGES.map((s) => jobReaching(s))).toEqual(['parse-document', 'classify-papers', 'extract-claims', 'match-subscriptions']);
  });

  it('gives stages to exactly the jobs whose payload is a batch of papers', () => {
    const schema = (n: (typeof JOB_NAMES)[number]) => JOB_SCHEMAS[n] as unknown as { shape?: object };
    expect(PAPER_JOBS).toEqual(JOB_NAMES.filter((n) => 'papers' in (schema(n).shape ?? {})));
  });

  it('names a batch of deliveries by its ids, whatever their order; a lone delivery by its own id', () => {
    const a = '00000000-0000-4000-8000-00000000000a';
    const b = '00000000-0000-4000-8000-00000000000b';
    expect(jobIdOf('deliver', { deliveryIds: [a, b] })).toBe(jobIdOf('deliver', { deliveryIds: [b, a] }));
    expect(jobIdOf('deliver', { deliveryIds: [a, b] })).toMatch(/^deliver-b2-[0-9a-f]{32}$/);
    expect(jobIdOf('deliver', { deliveryIds: [a, b] }, 'resume-1')).toMatch(/^deliver-b2-[0-9a-f]{32}-resume-1$/);
    expect(jobIdOf('deliver', { deliveryId: a })).toBe(`deliver-${a}`);
  });

  it('chains every job it names as next to a job of the table', () => {
    for (const name of JOB_NAMES) {
      const next = PIPELINE[name].next;
      if (next) expect(JOB_NAMES).toContain(next);
    }
  });

  it('gives every job an id with its queue or job prefix, without a colon, stable for one payload', () => {
    for (const name of JOB_NAMES) {
      const id = jobIdOf(name, SAMPLE[name] as never);
      expect(id).not.toContain(':');
      expect(id).toBe(jobIdOf(name, SAMPLE[name] as never));
      expect(jobIdOf(name, SAMPLE[name] as never, 'r7')).toBe(`${id}-r7`);
    }
    // ids other code and operators already know
    expect(jobIdOf('parse-document', { rawDocumentId: uuid })).toBe(`parse-${uuid}`);
    expect(jobIdOf('deliver', { deliveryId: uuid })).toBe(`deliver-${uuid}`);
    expect(jobIdOf('classify-papers', { papers: [A] })).toBe(`classify-${A.paperId}-${'a'.repeat(16)}`);
    expect(jobIdOf('index-search', { refs: [A] })).toBe(`search-${A.paperId}-${'a'.repeat(16)}`);
  });

  it('runs the full-text vectors on a queue of their own, never behind the parse backlog', () => {
    expect(JOB_QUEUE['index-search']).toBe('search');
    expect(jobsOfQueue('search')).toEqual(['index-search']);
    expect(jobsOfQueue('parse')).toEqual(['parse-document']);
  });

  it('puts the maintenance queue in the queue set, with the reconcile job', () => {
    expect(JOB_QUEUE.reconcile).toBe('maintenance');
    expect(jobsOfQueue('deliver').sort()).toEqual(['deliver', 'send-confirmation', 'send-digest']);
  });
});

describe('handler registrations against the table', () => {
  const notify = { owner: 'NotifyProcessor', queue: 'notify' as const, jobs: ['match-subscriptions', 'backfill-subscription'] };

  it('accepts one handler per job of a queue', () => {
    expect(handlerProblems([notify])).toEqual([]);
  });

  it('names a job without a handler, one with two, and a handler of another queue or of no job', () => {
    expect(handlerProblems([{ ...notify, jobs: ['match-subscriptions'] }])).toEqual([
      'job "backfill-subscription" (queue notify) has no handler',
    ]);
    expect(handlerProblems([notify, { ...notify, owner: 'Other' }])).toEqual([
      'job "match-subscriptions" (queue notify) has 2 handlers: NotifyProcessor, Other',
      'job "backfill-subscription" (queue notify) has 2 handlers: NotifyProcessor, Other',
    ]);
    expect(handlerProblems([{ ...notify, jobs: [...notify.jobs, 'deliver', 'nope'] }])).toEqual([
      'NotifyProcessor (queue notify) handles "deliver", a job of queue deliver',
      'NotifyProcessor handles "nope", which is not in the pipeline table',
    ]);
  });
});
