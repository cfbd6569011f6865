import { InvalidJobPayloadError, JOB_QUEUE, JOB_SCHEMAS, batchJobId, chunk, jobIdFor, parseJob } from './index';

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
    expect(jobIdFor('deliver', 'x', h('f'))).toBe(`deliver-x-${'f'.repeat(16)}`);
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

describe('chunk', () => {
  it('splits into batches of at most n', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 3)).toEqual([]);
  });
});
