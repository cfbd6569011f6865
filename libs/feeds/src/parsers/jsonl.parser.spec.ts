import { parseDocument } from '../index';
import { fixture, feedError } from '../../fixtures/fixtures';

describe('jsonl', () => {
  it('parses JSON Lines, puts the id into sourceItemId and keeps text verbatim', () => {
    const body = [
      JSON.stringify({ id: 'p1', title: 'First  paper', abstract: 'Gains of 1.9\\% over   baselines.', authors: ['A. One', { name: 'B. Two' }] }),
      '',
      JSON.stringify({ id: '2401.00001v2', title: 'An arXiv paper', abstract: 'Abstract.', categories: 'cs.CL cs.LG', doi: '10.1234/ABC' }),
    ].join('\n');
    const r = parseDocument({ body, fileName: 'in.jsonl' });
    expect(r.format).toBe('jsonl');
    expect(r.errors).toEqual([]);
    expect(r.papers[0]).toMatchObject({
      title: 'First paper',
      abstract: 'Gains of 1.9\\% over baselines.',
      authors: [{ name: 'A. One' }, { name: 'B. Two' }],
      sighting: { sourceItemId: 'p1' },
      externalIds: {},
    });
    expect(r.papers[1]).toMatchObject({
      externalIds: { arxiv: '2401.00001', doi: '10.1234/ABC' },
      version: 2,
      categories: ['cs.CL', 'cs.LG'],
      sighting: { sourceItemId: '2401.00001v2' },
    });
  });

  it('accepts a JSON array and a single object', () => {
    const arr = parseDocument({ body: JSON.stringify([{ title: 'T', abstract: 'A' }, { title: 'U', summary: 'B' }]) });
    expect(arr.format).toBe('jsonl');
    expect(arr.papers.map((p) => [p.title, p.abstract])).toEqual([['T', 'A'], ['U', 'B']]);
    expect(parseDocument({ body: '{"title":"T","abstract":"A"}' }).papers).toHaveLength(1);
  });

  it('keeps good lines when others are broken or oversize', () => {
    const r = parseDocument({ body: fixture('not-ok/jsonl_huge-abstract-and-bad-line.jsonl') });
    expect(r.papers.map((p) => p.sighting.sourceItemId)).toEqual(['ok-1', 'ok-2']);
    expect(r.errors).toEqual([
      // each by its line as the file numbers it (from 1), the index (from 0) beside it for the API
      { index: 1, line: 2, id: 'huge', message: 'abstract too long (150000 > 100000 characters)' },
      { index: 2, line: 3, message: 'not valid JSON' },
      { index: 3, line: 4, id: 'no-abstract', message: 'missing abstract' },
    ]);
  });

  it('rejects JSON of another shape', () => {
    expect(feedError(() => parseDocument({ body: '[{"name":"x"}]', format: 'jsonl' })).code).toBe('malformed');
    expect(feedError(() => parseDocument({ body: '<feed/>', format: 'jsonl' })).code).toBe('malformed');
    expect(feedError(() => parseDocument({ body: '{"name":"x"}\n{"name":"y"}' })).code).toBe('unknown-format');
    expect(feedError(() => parseDocument({ body: '{"name":"x"}\n{"name":"y"}', format: 'jsonl' })).code).toBe('malformed');
    expect(feedError(() => parseDocument({ body: '{broken\n{also broken', format: 'jsonl' })).code).toBe('malformed');
  });
});
