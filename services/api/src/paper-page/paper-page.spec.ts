import type { ClaimDto, PaperDetailDto } from '../papers/paper.dto';
import { arxivMonth, claimFields, fmtNum, publicSourceName, readerEvidence, sightingGroups } from './paper-page';

describe('a claim as its tooltip shows it', () => {
  it.each([
    [11_200_000, '11,200,000'],
    [1234.5678, '1,234.568'],
    [78.45, '78.45'],
    [0.0012, '0.0012'],
    [-3.5, '-3.5'],
    [0, '0'],
    [123.456789, '123.457'],
  ])('writes %p as %p', (v, text) => {
    expect(fmtNum(v)).toBe(text);
  });

  it('names the metric as the field writes it and groups a range', () => {
    const claim = { value: 12_000_000, low: 4_500_000, unit: 'count', unitText: null, metric: 'gpu memory', baseline: null, comparedTo: null, dataset: null, kind: 'absolute', qualifier: null } as unknown as ClaimDto;
    expect(Object.fromEntries(claimFields(claim))).toMatchObject({ Value: '4,500,000–12,000,000', Metric: 'GPU memory' });
    expect(Object.fromEntries(claimFields({ ...claim, metric: null } as ClaimDto)).Metric).toBe('—');
  });

  // Review 26: a gain of 2.3 points showed "Kind: relative improvement".
  it('names a kind as a reader does: a gain in points is an improvement, a level a score', () => {
    const claim = { value: 2.3, low: null, unit: 'pp', unitText: null, metric: 'accuracy', baseline: null, comparedTo: null, dataset: 'GLUE', kind: 'relative_improvement', qualifier: null } as unknown as ClaimDto;
    expect(Object.fromEntries(claimFields(claim)).Kind).toBe('improvement');
    expect(Object.fromEntries(claimFields({ ...claim, kind: 'absolute_score' } as ClaimDto)).Kind).toBe('score');
    expect(Object.fromEntries(claimFields({ ...claim, kind: 'speedup' } as ClaimDto)).Kind).toBe('speed-up');
  });
});

describe('what a reader is told about topics and sightings', () => {
  it('words the classifier evidence as the phrases matched and where, without its internals', () => {
    expect(readerEvidence(['keyword "Sparse Attention" (title) x4', 'term "GPU"', 'description similarity 0.31', 'learned model probability 0.88'])).toBe(
      'matched “Sparse Attention” in the title; “Sparse Attention” (4 times) and “GPU” in the abstract',
    );
    expect(readerEvidence(['keyword "KV cache" (title)', 'term "latency" x3'])).toBe('matched “KV cache” in the title; “latency” (3 times) in the abstract');
    expect(readerEvidence(['term "speedups" x2'])).toBe('matched “speedups” (twice) in the abstract');
    expect(readerEvidence(['description similarity 0.31', 'example similarity 0.2'])).toBeNull();
    const many = Array.from({ length: 9 }, (_, i) => `term "w${i}"`);
    expect(readerEvidence(many)).toBe('matched “w0”, “w1”, “w2”, “w3”, “w4” and 4 more in the abstract');
  });

  it('names the public feed of a sighting by the format it was read in', () => {
    expect(publicSourceName('hf-daily-papers')).toBe('Hugging Face Daily Papers');
    expect(publicSourceName('daily-papers-text')).toBe('Hugging Face Daily Papers');
    expect(publicSourceName('arxiv-rss')).toBe('arXiv');
    expect(publicSourceName('arxiv-api')).toBe('arXiv');
    expect(publicSourceName('jsonl')).toBe('Another feed');
    expect(publicSourceName(null)).toBe('Another feed');
  });

  // Review 26: an arXiv entry ingested and then polled again from a file source showed two identical "arXiv" rows.
  it('gives one Sightings row per public origin, with its best counts, earliest dates and the ways it was read', () => {
    const sighting = (feed: string, o: Partial<PaperDetailDto['sightings'][number]> = {}) =>
      ({ feed, upvotes: null, comments: null, githubStars: null, submittedBy: null, featuredAt: null, firstSeenAt: '2026-12-07T10:00:00Z', ...o }) as PaperDetailDto['sightings'][number];
    const groups = sightingGroups([
      sighting('arxiv-api', { firstSeenAt: '2026-12-07T10:00:00Z' }),
      sighting('hf-daily-papers', { upvotes: 4, featuredAt: '2026-12-07T12:00:00Z', submittedBy: 'ada' }),
      sighting('arxiv-api', { firstSeenAt: '2026-12-06T09:00:00Z' }),
      sighting('arxiv-rss', { featuredAt: '2026-12-08T00:00:00Z' }),
      sighting('hf-papers-html', { upvotes: 9, comments: 2 }),
    ]);
    expect(groups).toEqual([
      { name: 'arXiv', n: 3, ways: ['the arXiv API', 'the arXiv RSS feed'], upvotes: null, comments: null, githubStars: null, submittedBy: null, featuredAt: '2026-12-08T00:00:00Z', firstSeenAt: '2026-12-06T09:00:00Z' },
      { name: 'Hugging Face Daily Papers', n: 2, ways: ['the Daily Papers API', 'the Daily Papers web page'], upvotes: 9, comments: 2, githubStars: null, submittedBy: 'ada', featuredAt: '2026-12-07T12:00:00Z', firstSeenAt: '2026-12-07T10:00:00Z' },
    ]);
  });
});

// An arXiv identifier's yymm is the month it was assigned in: a month, never a day.
describe('the month of an arXiv identifier', () => {
  it.each([
    ['2403.01234', '2024-03'],
    ['2412.12345v2', '2024-12'],
    ['0704.0001', '2007-04'],
    ['hep-th/9901001', '1999-01'],
    ['math.AG/0601001v3', '2006-01'],
    ['2413.01234', null],
    ['not-an-id', null],
    [null, null],
  ])('%p is %p', (id, month) => {
    expect(arxivMonth(id)).toBe(month);
  });
});
