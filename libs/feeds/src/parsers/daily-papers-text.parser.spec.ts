import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contentHash, normalizeText, parseDocument } from '../index';
import { dateOfLine } from './daily-papers-text.parser';
import { feedError } from '../../fixtures/fixtures';

const fixturePath = join(__dirname, '..', '..', 'fixtures', 'ok', 'daily-papers-text', 'daily-papers-sep-1.txt');
const raw = readFileSync(fixturePath);
const source = raw.toString('utf8');

// An independent reading of this particular file: after the six header lines, non-empty lines alternate
// title / abstract. The parser's grammar is more general; here we only check it agrees on this file.
function expectedBlocks(): { title: string; abstract: string }[] {
  const lines = source.split('\n').filter((l) => l.trim().length > 0);
  expect(lines.slice(0, 6)).toEqual([
    'new',
    'Get trending papers in your email inbox!',
    'Subscribe',
    'Daily Papers',
    'byAK and the research community',
    'Sep 1',
  ]);
  const body = lines.slice(6);
  const blocks: { title: string; abstract: string }[] = [];
  for (let i = 0; i < body.length; i += 2) blocks.push({ title: body[i], abstract: body[i + 1] });
  return blocks;
}

describe('daily-papers-text', () => {
  const result = parseDocument({ body: raw, contentType: 'text/plain', fileName: 'daily-papers-sep-1.txt' });

  it('is detected and yields exactly 60 papers and no errors', () => {
    expect(result.format).toBe('daily-papers-text');
    expect(result.papers).toHaveLength(60);
    expect(result.errors).toEqual([]);
  });

  it('keeps every title and abstract byte-identical to the source paragraphs', () => {
    const expected = expectedBlocks();
    expect(expected).toHaveLength(60);
    result.papers.forEach((p, i) => {
      expect(p.title).toBe(expected[i].title);
      expect(p.abstract).toBe(expected[i].abstract);
      expect(p.originalAbstract).toBeUndefined();
      expect(source.includes(p.abstract)).toBe(true);
    });
  });

  it('spot-checks titles and abstracts, LaTeX left as written', () => {
    const byTitle = (t: string) => result.papers.find((p) => p.title === t);
    expect(result.papers[0].title).toBe(
      'Cognitive Visual-Language Mapper: Advancing Multimodal Comprehension with Enhanced Visual Knowledge Alignment',
    );
    expect(result.papers[0].abstract.startsWith('Evaluating and Rethinking the current landscape of Large Multimodal Models (LMMs)')).toBe(true);
    expect(result.papers[0].abstract.endsWith('Ablation studies also verify the effectiveness of VKA and FKA, respectively.')).toBe(true);
    expect(result.papers[59].title).toBe(
      'KnowPO: Knowledge-aware Preference Optimization for Controllable Knowledge Selection in Retrieval-Augmented Language Models',
    );
    expect(result.papers[59].abstract.endsWith('across various out-of-distribution datasets.')).toBe(true);
    expect(byTitle('Sparse High Rank Adapters')?.abstract.startsWith('Low Rank Adaptation (LoRA) has gained massive attention')).toBe(true);
    expect(byTitle('Physics of Language Models: Part 3.3, Knowledge Capacity Scaling Laws')).toBeDefined();
    const withPercent = result.papers.filter((p) => p.abstract.includes('\\%'));
    expect(withPercent.length).toBeGreaterThan(0);
    expect(result.papers.some((p) => p.abstract.includes('parametric knowledge--knowledge encoded'))).toBe(true);
    expect(result.papers.every((p) => p.authors.length === 0 && p.categories.length === 0 && !p.externalIds.arxiv)).toBe(true);
  });

  it('hashes like the LaTeX-normalised text of the same paper from another source', () => {
    const p = result.papers.find((x) => x.abstract.includes('\\%'));
    expect(p).toBeDefined();
    if (!p) return;
    expect(contentHash(p.title, p.abstract)).toBe(contentHash(p.title, normalizeText(p.abstract)));
  });

  it('handles CRLF, trailing footers, blank-line-split abstracts and a title without abstract', () => {
    const abstract1 = 'We study a thing. '.repeat(12).trim();
    const abstract2a = 'First paragraph of a long abstract. '.repeat(6).trim();
    const abstract2b = 'Second paragraph of the same abstract, which had a blank line inside. '.repeat(3).trim();
    const abstract3 = 'Yet another abstract that is long enough to be an abstract. '.repeat(4).trim();
    const text = [
      'Daily Papers', '', 'Sep 2', '', 'Paper One', '', abstract1, '', 'Paper Two', '', abstract2a, '', abstract2b, '',
      'Orphan title without abstract', '', 'Paper Three', '', abstract3, '', 'Previous', '', 'Next', '',
    ].join('\r\n');
    const r = parseDocument({ body: text });
    expect(r.papers.map((p) => p.title)).toEqual(['Paper One', 'Paper Two', 'Paper Three']);
    expect(r.papers[1].abstract).toBe(`${abstract2a} ${abstract2b}`);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0].message).toContain('Orphan title without abstract');
  });

  it('refuses text that is not a capture', () => {
    expect(feedError(() => parseDocument({ body: 'hello\n\nworld\n' })).code).toBe('unknown-format');
    expect(feedError(() => parseDocument({ body: 'hello\n\nworld\n', format: 'daily-papers-text' })).code).toBe('malformed');
    expect(feedError(() => parseDocument({ body: '[]', format: 'daily-papers-text' })).code).toBe('malformed');
  });
});

// The page's "Sep 1" header is when Daily Papers listed the papers below it (their sighting's featuredAt), never
// their publication date (the page states none): the year is the capture's (when it was fetched or uploaded), or
// the year before when that day has not come yet; a date line with its year keeps it.
describe('daily-papers-text: the page date', () => {
  const at = (fetchedAt: string) => parseDocument({ body: raw, format: 'daily-papers-text', fetchedAt }).papers;

  it('lists every paper of the capture on its "Sep 1" header, in the year of the capture, and invents no publication date', () => {
    const papers = at('2026-12-07T03:00:00Z');
    expect(papers).toHaveLength(60);
    expect(new Set(papers.map((p) => p.sighting.featuredAt))).toEqual(new Set(['2026-09-01T00:00:00.000Z']));
    expect(papers.filter((p) => p.publishedAt !== undefined)).toEqual([]);
  });

  it('never in the future: a capture before Sep 1 is of the year before', () => {
    expect(at('2026-03-15T10:00:00Z')[0].sighting.featuredAt).toBe('2025-09-01T00:00:00.000Z');
    // the day itself (and the next, east of UTC) is no future
    expect(at('2026-09-01T05:00:00Z')[0].sighting.featuredAt).toBe('2026-09-01T00:00:00.000Z');
    expect(at('2026-08-31T22:00:00Z')[0].sighting.featuredAt).toBe('2026-09-01T00:00:00.000Z');
    expect(at('2026-08-30T10:00:00Z')[0].sighting.featuredAt).toBe('2025-09-01T00:00:00.000Z');
  });

  it.each([
    ['Sep 1', '2026-09-01T00:00:00.000Z'],
    ['Sept. 1', '2026-09-01T00:00:00.000Z'],
    ['September 12, 2024', '2024-09-12T00:00:00.000Z'],
    ['Dec 24', '2025-12-24T00:00:00.000Z'],
    ['Feb 29', '2024-02-29T00:00:00.000Z'],
    ['Feb 30', null],
    ['Foo 1', null],
  ])('%p captured 2026-12-07 is %p', (line, iso) => {
    expect(dateOfLine(line, new Date('2026-12-07T03:00:00Z'))).toBe(iso);
  });

  it('a capture without a date line leaves the listing date to the first sighting; papers under a later header take that one', () => {
    const noDate = source.replace(/^Sep 1$/m, '');
    expect(parseDocument({ body: noDate, format: 'daily-papers-text', fetchedAt: '2026-12-07T03:00:00Z' }).papers[0].sighting.featuredAt).toBeUndefined();
    const blocks = source.split('\n\n');
    const secondDay = [...blocks.slice(0, 10), 'Aug 31', ...blocks.slice(10)].join('\n\n');
    const papers = parseDocument({ body: secondDay, format: 'daily-papers-text', fetchedAt: '2026-12-07T03:00:00Z' }).papers;
    expect(papers[0].sighting.featuredAt).toBe('2026-09-01T00:00:00.000Z');
    expect(papers[papers.length - 1].sighting.featuredAt).toBe('2026-08-31T00:00:00.000Z');
  });
});

// Detection demands a listing's structure: the page's "Daily Papers" header above title / abstract blocks, titles
// that are titles, and no Markdown. A README (headings, lists, code) was read as 14 "papers" titled "## Security" ….
// Synthetic texts only: none of them is, or quotes, a real capture.
describe('daily-papers-text: what is no capture', () => {
  const abstract = (topic: string) =>
    `We present a study of ${topic} under a fixed compute budget. Our method trains a small model and compares it with three baselines on five tasks. It reduces memory by 2.1x and improves accuracy by 3.4% on average.`;
  const listing = (titles: string[]) =>
    ['Daily Papers', 'byAK and the research community', 'Nov 3', ...titles.flatMap((t) => [t, abstract(t.toLowerCase())])].join('\n\n');

  it('reads a listing with its page header', () => {
    const r = parseDocument({ body: listing(['Sparse Routing for Mixture Models', 'Token Pruning at Inference', 'Calibrated Retrieval Heads']) });
    expect(r.format).toBe('daily-papers-text');
    expect(r.papers.map((p) => p.title)).toEqual(['Sparse Routing for Mixture Models', 'Token Pruning at Inference', 'Calibrated Retrieval Heads']);
    expect(r.errors).toEqual([]);
  });

  const readme = [
    '# Widget Service',
    'Widget Service keeps a catalogue of widgets in Postgres and sends each new one to its subscribers by mail or webhook. It runs as six processes and one command starts them all.',
    '## Requirements',
    '- Node 20 and npm.\n- PostgreSQL 13 or later, reachable on the default port with trust authentication.',
    '## Security',
    'Keys are stored hashed and shown once. A key that leaks can be revoked at any time, and its subscriptions are paused with a reason that says so.',
    '```sh\nnpm start\n```',
  ].join('\n\n');

  it('refuses Markdown, naming what it is and the formats it could be', () => {
    const e = feedError(() => parseDocument({ body: readme, fileName: 'README.md' }));
    expect(e.code).toBe('unknown-format');
    expect(e.message).toMatch(/^Markdown \(\d+ lines of headings, lists, code or tables\), not a Daily Papers listing capture/);
    expect(e.message).toContain('hf-daily-papers, arxiv-api, arxiv-rss, arxiv-oai, hf-papers-html, daily-papers-text, jsonl');
    // named as a capture, it is still no capture
    expect(feedError(() => parseDocument({ body: readme, format: 'daily-papers-text' })).message).toMatch(/^Markdown/);
    // a page header on top does not make Markdown a listing
    expect(feedError(() => parseDocument({ body: `Daily Papers\n\n${readme}` })).code).toBe('unknown-format');
  });

  it('refuses prose without the page header, even in title / paragraph shape', () => {
    const essay = ['Why Gardens Matter', abstract('gardens'), 'Soil and Water', abstract('soil'), 'What Comes Next', abstract('next steps')].join('\n\n');
    const e = feedError(() => parseDocument({ body: essay, fileName: 'notes.txt' }));
    expect(e.code).toBe('unknown-format');
    expect(e.message).toMatch(/without the Daily Papers page header/);
    // a "Daily Papers" line below the first block is no page header
    expect(feedError(() => parseDocument({ body: `${essay}\n\nDaily Papers\n` })).code).toBe('unknown-format');
    // named explicitly, a capture without its header is read (the operator said what it is)
    expect(parseDocument({ body: essay, format: 'daily-papers-text' }).papers).toHaveLength(3);
  });

  it('skips a block whose title is a Markdown heading, with why, and keeps the others', () => {
    const text = listing(['Sparse Routing for Mixture Models', '## Results', 'Calibrated Retrieval Heads']);
    expect(feedError(() => parseDocument({ body: text })).code).toBe('unknown-format');
    const r = parseDocument({ body: text, format: 'daily-papers-text' });
    expect(r.papers.map((p) => p.title)).toEqual(['Sparse Routing for Mixture Models', 'Calibrated Retrieval Heads']);
    expect(r.errors).toEqual([expect.objectContaining({ line: 11, message: 'not a paper: its title is a Markdown heading' })]);
  });
});
