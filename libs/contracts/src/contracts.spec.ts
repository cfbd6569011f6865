import {
  InvalidJobPayloadError,
  JOB_QUEUE,
  JOB_SCHEMAS,
  SUBSCRIPTION_BACKFILL,
  backfillJobId,
  backfillStart,
  batchJobId,
  chunk,
  jobIdOf,
  papersInBatchJobId,
  parseJob,
} from './index';

const h = (c: string) => c.repeat(64);
const A = { paperId: '00000000-0000-4000-8000-000000000001', contentHash: h('a') };
const B = { paperId: '00000000-0000-4000-8000-000000000002', contentHash: h('b') };

describe('job ids', () => {
  it('are deterministic and independent of the order of a batch', () => {
    expect(batchJobId('classify', [A, B])).toBe(batchJobId('classify', [B, A]));
    expect(batchJobId('classify', [A, B])).not.toBe(batchJobId('extract', [A, B]));
  });

  it('change when a paper content hash changes', () => {
    expect(batchJobId('classify', [A, B])).not.toBe(batchJobId('classify', [A, { ...B, contentHash: h('c') }]));
    expect(batchJobId('classify', [A])).not.toBe(batchJobId('classify', [{ ...A, contentHash: h('c') }]));
  });

  it('never contain a colon (BullMQ forbids it)', () => {
    expect(batchJobId('notify', [A, B])).not.toContain(':');
    expect(jobIdOf('deliver', { deliveryId: 'x' }, 'resume-1')).toBe('deliver-x-resume-1');
  });

  it('tell how many papers a batch names, with or without a variant, and nothing for another prefix', () => {
    const refs = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ paperId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, contentHash: h('a') }));
    for (const n of [1, 2, 37, 500]) {
      const id = batchJobId('search', refs(n));
      expect(papersInBatchJobId('search', id)).toBe(n);
      expect(papersInBatchJobId('search', `${id}-r1760000000000`)).toBe(n);
      expect(papersInBatchJobId('classify', id)).toBe(0);
    }
    // A single paper whose uuid starts with "b" and digits is still one paper.
    const b = { paperId: 'b1234567-0000-4000-8000-000000000001', contentHash: h('c') };
    expect(papersInBatchJobId('search', batchJobId('search', [b]))).toBe(1);
    expect(papersInBatchJobId('search', 'parse-00000000-0000-4000-8000-0000000000aa')).toBe(0);
  });
});

describe('payload validation', () => {
  it('accepts a valid batch', () => {
    expect(parseJob('classify-papers', { papers: [A] })).toEqual({ papers: [A] });
  });

  it.each([
    ['no papers', { papers: [] }],
    ['a bad uuid', { papers: [{ ...A, paperId: 'nope' }] }],
    ['a bad hash', { papers: [{ ...A, contentHash: 'xyz' }] }],
    ['too many papers', { papers: Array.from({ length: 1001 }, () => A) }],
  ])('rejects %s with a readable error', (_, data) => {
    expect(() => parseJob('classify-papers', data)).toThrow(InvalidJobPayloadError);
  });

  it('strips documents smuggled into a payload: jobs carry ids only', () => {
    expect(parseJob('classify-papers', { papers: [{ ...A, abstract: 'x' }], title: 'x' })).toEqual({ papers: [A] });
  });

  it('maps every job name to exactly one queue', () => {
    expect(Object.keys(JOB_QUEUE).sort()).toEqual(Object.keys(JOB_SCHEMAS).sort());
  });
});

describe('subscription backfill', () => {
  const sub = '00000000-0000-4000-8000-0000000000aa';
  const now = new Date('2026-11-24T12:00:00.000Z');

  it('validates its job on the notify queue', () => {
    const data = { subscriptionId: sub, since: '2026-11-24T10:00:00.123Z' };
    expect(parseJob('backfill-subscription', data)).toEqual(data);
    expect(JOB_QUEUE['backfill-subscription']).toBe('notify');
    expect(() => parseJob('backfill-subscription', { ...data, since: 'yesterday' })).toThrow(
      InvalidJobPayloadError,
    );
    expect(() => parseJob('backfill-subscription', { since: data.since })).toThrow(InvalidJobPayloadError);
  });

  it('starts a minute before the pause', () => {
    expect(backfillStart(new Date('2026-11-24T10:00:00.000Z'), now)).toEqual(
      new Date('2026-11-24T09:59:00.000Z'),
    );
  });

  it('reaches at most seven days back', () => {
    const start = backfillStart(new Date('2026-10-01T00:00:00.000Z'), now);
    expect(now.getTime() - start.getTime()).toBe(SUBSCRIPTION_BACKFILL.maxAgeMs);
    expect(start).toEqual(new Date('2026-11-17T12:00:00.000Z'));
  });

  it('has one job id per pause, without a colon', () => {
    const t = new Date('2026-11-24T10:00:00.123Z');
    expect(backfillJobId(sub, t)).toBe(backfillJobId(sub, new Date(t.getTime())));
    expect(backfillJobId(sub, t)).not.toBe(backfillJobId(sub, new Date(t.getTime() + 1)));
    expect(backfillJobId(sub, t)).not.toContain(':');
  });
});

describe('chunk', () => {
  it('splits into batches of at most n', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 3)).toEqual([]);
  });
});
