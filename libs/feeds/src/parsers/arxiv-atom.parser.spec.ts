import { parseDocument } from '../index';
import { fixture, feedError } from '../../fixtures/fixtures';

describe('arxiv-api (Atom)', () => {
  it('parses the current response format (brevio, 20 entries) with paging', () => {
    const r = parseDocument({ body: fixture('ok/arxiv-api/brevio_query_cat-cs.LG-OR-cs.AI_max20_2026-04-30.xml'), contentType: 'application/atom+xml' });
    expect(r.format).toBe('arxiv-api');
    expect(r.papers).toHaveLength(20);
    expect(r.errors).toEqual([]);
    expect(r.paging).toEqual({ totalResults: 364218, startIndex: 0, itemsPerPage: 20 });
    const first = r.papers[0];
    expect(first.title).toBe('Turning the TIDE: Cross-Architecture Distillation for Diffusion Large Language Models');
    expect(first.externalIds).toEqual({ arxiv: '2604.26951' });
    expect(first.version).toBe(1);
    expect(first.authors.map((a) => a.name)).toEqual(['Gongbo Zhang', 'Wen Wang', 'Ye Tian', 'Li Yuan']);
    expect(first.categories).toEqual(['cs.CL', 'cs.AI', 'cs.LG']);
    expect(first.links).toEqual({
      abs: 'https://arxiv.org/abs/2604.26951',
      pdf: 'https://arxiv.org/pdf/2604.26951',
      code: ['https://github.com/PKU-YuanGroup/TIDE'],
      project: [],
    });
    expect(first.comment).toBe('15 pages, 3 figures. Code: https://github.com/PKU-YuanGroup/TIDE');
    expect(first.publishedAt).toBe('2026-04-29T17:59:01.000Z');
    expect(first.abstract.startsWith('Diffusion large language models (dLLMs) offer parallel decoding')).toBe(true);
    expect(first.sighting.sourceItemId).toBe('http://arxiv.org/abs/2604.26951v1');
    // Primary category first even when it is not the first <category>.
    expect(r.papers.find((p) => p.externalIds.arxiv === '2604.26942')?.categories[0]).toBe('cs.LG');
    expect(r.papers.filter((p) => p.externalIds.doi).map((p) => p.externalIds.doi)).toEqual([
      '10.1007/978-3-031-85252-7_10',
      '10.1145/3805689.3806498',
    ]);
    expect(r.papers.reduce((n, p) => n + p.authors.length, 0)).toBe(89);
  });

  it('parses the 2016 response format (inline namespaces, old-style ids, hard-wrapped summaries)', () => {
    const r = parseDocument({ body: fixture('ok/arxiv-api/arxivpy_query_au-del_maestro_max10_2016-10-09.xml') });
    expect(r.papers).toHaveLength(10);
    expect(r.paging).toEqual({ totalResults: 31, startIndex: 0, itemsPerPage: 10 });
    const first = r.papers[0];
    expect(first.title).toBe('A Luttinger Liquid Core Inside Helium-4 Filled Nanopores');
    expect(first.externalIds).toEqual({ arxiv: '1201.4869', doi: '10.1142/S021797921244002X' });
    expect(first.abstract.startsWith('As helium-4 is cooled below 2.17 K it undergoes a phase transition to a fundamentally')).toBe(true);
    expect(first.abstract).not.toMatch(/\n| {2}/);
    expect(first.originalAbstract).toContain('phase transition to a\nfundamentally');
    const old = r.papers[1];
    expect(old.externalIds.arxiv).toBe('cond-mat/0412498');
    expect(old.links.abs).toBe('https://arxiv.org/abs/cond-mat/0412498');
    expect(old.authors.map((a) => a.name)).toEqual(['Adrian Del Maestro', 'Subir Sachdev']);
    expect(r.papers.find((p) => p.externalIds.arxiv === '1303.6954')?.version).toBe(2);
    expect(r.papers.every((p) => p.externalIds.doi && p.comment)).toBe(true);
  });

  it('treats a feed with zero entries as a valid empty result', () => {
    const r = parseDocument({ body: fixture('ok/arxiv-api/arxivpy_empty_id-0000.0000_2026-04-12.body.xml') });
    expect(r).toEqual({ format: 'arxiv-api', papers: [], errors: [], paging: { totalResults: 0, startIndex: 0, itemsPerPage: 100 } });
  });

  it('throws upstream-error with the message of a lone error entry', () => {
    const err = feedError(() => parseDocument({ body: fixture('ok/arxiv-api/arxivpy_error400_id-abc_2026-04-12.body.xml') }));
    expect(err.code).toBe('upstream-error');
    expect(err.message).toContain('incorrect id format for abc');
  });

  it('reads the body of the arxiv.py golden-file wrappers the same way', () => {
    const wrapper = JSON.parse(fixture('ok/arxiv-api/arxivpy_error400_id-abc_2026-04-12.json').toString('utf8')) as { body: string; status_code: number };
    expect(wrapper.status_code).toBe(400);
    expect(feedError(() => parseDocument({ body: wrapper.body })).code).toBe('upstream-error');
    // The wrapper JSON itself is not a feed.
    expect(feedError(() => parseDocument({ body: fixture('ok/arxiv-api/arxivpy_error400_id-abc_2026-04-12.json') })).code).toBe('unknown-format');
  });

  it('keeps the papers when an error entry sits among them', () => {
    const r = parseDocument({ body: fixture('hand-made-ok/atom_error-entry-among-papers.xml') });
    expect(r.papers.map((p) => [p.title, p.externalIds.arxiv, p.version])).toEqual([['A real paper', '2401.00001', 2]]);
    expect(r.errors).toEqual([
      { index: 0, id: 'https://arxiv.org/api/errors#incorrect_id_format_for_abc', message: 'arXiv API error entry: incorrect id format for abc' },
    ]);
  });

  it('makes an oversize title an entry error and keeps the other entries', () => {
    const r = parseDocument({ body: fixture('not-ok/atom_oversize-title.xml') });
    expect(r.papers.map((p) => p.title)).toEqual(['Kept paper']);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ index: 0, id: 'http://arxiv.org/abs/2401.00001v1' });
    expect(r.errors[0].message).toMatch(/title too long \(3000 > 2000/);
  });

  it('strips a UTF-8 BOM', () => {
    const withBom = parseDocument({ body: fixture('not-ok/bom_atom.xml') });
    const plain = parseDocument({ body: fixture('ok/arxiv-api/arxivpy_query_au-del_maestro_max10_2016-10-09.xml') });
    expect(withBom).toEqual(plain);
  });

  it('refuses a wrong explicit format and truncated XML', () => {
    const body = fixture('ok/arxiv-api/brevio_query_cat-cs.LG-OR-cs.AI_max20_2026-04-30.xml');
    expect(feedError(() => parseDocument({ body, format: 'arxiv-rss' })).code).toBe('malformed');
    expect(feedError(() => parseDocument({ body, format: 'hf-daily-papers' })).code).toBe('malformed');
    expect(parseDocument({ body, format: 'arxiv-api' }).papers).toHaveLength(20);
    expect(feedError(() => parseDocument({ body: fixture('not-ok/truncated_atom.xml') })).code).toBe('malformed');
  });
});

describe('invisible format characters (golden)', () => {
  it('strips bidi controls, marks and tag characters from titles, abstracts and author names', () => {
    const r = parseDocument({ body: fixture('hand-made-ok/atom_bidi-controls.xml') });
    expect(r.errors).toEqual([]);
    expect(r.papers).toHaveLength(1);
    const [p] = r.papers;
    expect(p.title).toBe('Invoicefdp.exe detection with isolates');
    expect(p.abstract).toBe(
      'An abstract with marks, a wordjoiner and tags. Persian \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 keeps its ZWNJ.',
    );
    expect(p.authors.map((a) => a.name)).toEqual(['Jane Doe', 'Omar Ali']);
    // The raw title kept for display/audit is stripped too: nothing stored can reorder what a reader sees.
    const spoof = /[\u00ad\u061c\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069]|\udb40[\udc00-\udc7f]/u;
    for (const text of [p.title, p.abstract, p.originalTitle ?? '', p.originalAbstract ?? '', ...p.authors.map((a) => a.name)])
      expect(text).not.toMatch(spoof);
  });
});
