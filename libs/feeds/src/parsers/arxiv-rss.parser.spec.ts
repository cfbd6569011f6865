import { FeedError, parseDocument } from '../index';
import { fixture } from '../../fixtures/fixtures';

describe('arxiv-rss', () => {
  it.each([
    ['distill_rss_cs.AI_3items.xml', ['2604.21935', '2604.21936', '2604.21937']],
    ['distill_rss_cs.CL_3items.xml', ['2604.22002', '2604.22027', '2604.22038']],
    ['distill_rss_cs.LG_3items.xml', ['2604.21952', '2604.21953', '2604.21956']],
  ])('parses %s (3 new items)', (file, ids) => {
    const r = parseDocument({ body: fixture(`ok/arxiv-rss/${file}`), contentType: 'application/rss+xml' });
    expect(r.format).toBe('arxiv-rss');
    expect(r.errors).toEqual([]);
    expect(r.papers.map((p) => p.externalIds.arxiv)).toEqual(ids);
    for (const p of r.papers) {
      expect(p.version).toBe(1);
      expect(p.sighting.announceType).toBe('new');
      expect(p.sighting.featuredAt).toBe('2026-04-27T04:00:00.000Z');
      expect(p.sighting.sourceItemId).toBe(`oai:arXiv.org:${p.externalIds.arxiv}v1`);
      // The "arXiv:… Announce Type: … Abstract:" prefix is not part of the abstract.
      expect(p.abstract).not.toMatch(/Announce Type|^arXiv:|^Abstract:/);
      expect(p.authors.length).toBeGreaterThan(0);
    }
  });

  it('reads title, authors and categories of the first cs.AI item', () => {
    const [p] = parseDocument({ body: fixture('ok/arxiv-rss/distill_rss_cs.AI_3items.xml') }).papers;
    expect(p.title).toBe('Math Takes Two: A test for emergent mathematical reasoning in communication');
    expect(p.abstract.startsWith('Although language models demonstrate remarkable proficiency')).toBe(true);
    expect(p.authors).toEqual([{ name: 'Michael Cooper' }, { name: 'Samuel Cooper' }]);
    expect(p.categories).toEqual(['cs.AI', 'cs.LG']);
    expect(p.links.abs).toBe('https://arxiv.org/abs/2604.21935');
  });

  it('maps every announce type and splits "A, B and C" authors', () => {
    const r = parseDocument({ body: fixture('hand-made-ok/rss_announce-types.xml') });
    expect(r.papers.map((p) => [p.externalIds.arxiv, p.version, p.sighting.announceType])).toEqual([
      ['2604.10001', 1, 'new'],
      ['2603.05002', 2, 'replace'],
      ['2604.10003', 1, 'cross'],
      ['2602.00004', 3, 'replace-cross'],
    ]);
    const p = r.papers[1];
    expect(p.title).toBe('Paper replace & friends');
    expect(p.authors.map((a) => a.name)).toEqual(['Ada Lovelace', 'Alan Turing', 'Grace Hopper']);
    expect(p.abstract).toBe('An abstract for the replace item with 5% gains. Code: https://github.com/example/replace-repo.');
    expect(p.originalAbstract).toContain('5\\% gains');
    expect(p.links.code).toEqual(['https://github.com/example/replace-repo']);
  });

  it('treats an empty channel as a valid empty result', () => {
    expect(parseDocument({ body: fixture('hand-made-ok/rss_empty-channel.xml') })).toEqual({ format: 'arxiv-rss', papers: [], errors: [] });
  });

  it('replaces invalid UTF-8 with U+FFFD and reports it once, keeping every item', () => {
    const r = parseDocument({ body: fixture('not-ok/invalid-utf8_rss.xml') });
    expect(r.papers).toHaveLength(3);
    expect(r.papers[0].title).toBe('Math\ufffd\ufffd Takes Two: A test for emergent mathematical reasoning in communication');
    expect(r.errors).toEqual([{ message: 'document: invalid utf-8 byte sequences were replaced with U+FFFD' }]);
    // Deterministic: the same bytes give the same result.
    expect(parseDocument({ body: fixture('not-ok/invalid-utf8_rss.xml') })).toEqual(r);
  });

  it('refuses an external entity before parsing', () => {
    let err: unknown;
    try {
      parseDocument({ body: fixture('not-ok/dtd_external-entity.xml') });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FeedError);
    expect((err as FeedError).code).toBe('refused');
  });
});

describe('arxiv-rss: a non-arXiv RSS feed is a wrong guess', () => {
  const blog = (items: string): string => `<rss version="2.0"><channel><title>A blog</title>${items}</channel></rss>`;
  const post = '<item><title>My post</title><link>https://blog.example.org/p/1</link><description>Some post text.</description></item>';
  const arxivItem =
    '<item><title>Real</title><link>https://arxiv.org/abs/2401.00001</link><description>arXiv:2401.00001v1 Announce Type: new Abstract: Real abstract.</description><guid>oai:arXiv.org:2401.00001v1</guid></item>';

  it('throws unknown-format when no item is an arXiv item', () => {
    let code: string | undefined;
    try {
      parseDocument({ body: blog(post + post) });
    } catch (err) {
      code = err instanceof FeedError ? err.code : 'other';
    }
    expect(code).toBe('unknown-format');
  });

  it('keeps arXiv items and reports the others', () => {
    const r = parseDocument({ body: blog(post + arxivItem) });
    expect(r.papers.map((p) => p.externalIds.arxiv)).toEqual(['2401.00001']);
    expect(r.errors).toEqual([{ index: 0, id: 'https://blog.example.org/p/1', message: 'entry without an arXiv id' }]);
  });
});
