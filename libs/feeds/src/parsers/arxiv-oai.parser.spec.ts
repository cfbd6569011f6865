import { parseDocument } from '../index';
import { fixture, feedError } from '../../fixtures/fixtures';

describe('arxiv-oai', () => {
  it('parses ListRecords in arXivRaw with its resumptionToken', () => {
    const r = parseDocument({ body: fixture('ok/arxiv-oai/arXivOAIHarvester_ListRecords_arXivRaw_with-resumptionToken_2015-01-06.xml'), contentType: 'text/xml' });
    expect(r.format).toBe('arxiv-oai');
    expect(r.errors).toEqual([]);
    expect(r.paging).toEqual({ resumptionToken: '726959|1001', completeListSize: 58011 });
    expect(r.papers.map((p) => [p.externalIds.arxiv, p.version])).toEqual([
      ['0704.0471', 1],
      ['0704.0716', 4],
      ['0704.0874', 3],
      ['0704.1109', 2],
      ['0704.1114', 1],
      ['0704.1586', 1],
    ]);
    const last = r.papers[5];
    expect(last.title).toBe('Core excitation in the elastic scattering and breakup of ^11Be on protons');
    expect(last.originalTitle).toBe('Core excitation in the elastic scattering and breakup of $^{11}$Be on\n  protons');
    expect(last.authors).toEqual([{ name: 'N.C. Summers' }, { name: 'F.M. Nunes' }]);
    // Two DOIs in one field: the first is the paper's.
    expect(last.externalIds.doi).toBe('10.1103/PhysRevC.76.014611');
    expect(last.sighting).toEqual({ sourceItemId: 'oai:arXiv.org:0704.1586', submittedBy: 'Neil Summers' });
    const multi = r.papers[1];
    expect(multi.publishedAt).toBe('2007-04-05T12:45:03.000Z');
    expect(multi.updatedAt).toBe('2008-11-14T09:07:25.000Z');
  });

  it('parses GetRecord in arXivRaw: "A, B, C and D" authors, versions, categories', () => {
    const r = parseDocument({ body: fixture('ok/arxiv-oai/arXivOAIHarvester_GetRecord_arXivRaw.xml') });
    expect(r.paging).toBeUndefined();
    expect(r.papers).toHaveLength(1);
    const p = r.papers[0];
    expect(p.title).toBe('The Same-Sign Dilepton Signature of RPV/MFV SUSY');
    expect(p.authors.map((a) => a.name)).toEqual(['Joshua Berger', 'Maxim Perelstein', 'Michael Saelim', 'Philip Tanedo']);
    expect(p.externalIds).toEqual({ arxiv: '1302.2146' });
    expect(p.version).toBe(2);
    expect(p.categories).toEqual(['hep-ph', 'hep-ex']);
    expect(p.comment).toBe('18 pages, 6 figures; v2: References added');
    expect(p.publishedAt).toBe('2013-02-08T21:00:01.000Z');
    expect(p.updatedAt).toBe('2013-04-02T01:50:08.000Z');
    expect(p.abstract.endsWith('with a 100 fb^-1 data set.')).toBe(true);
  });

  it('parses ListRecords in the arXiv prefix (46 records, keyname/forenames, char refs, no token)', () => {
    const r = parseDocument({ body: fixture('ok/arxiv-oai/invenio_ListRecords_arXiv_set-cs_2015-01-16to18.xml') });
    expect(r.papers).toHaveLength(46);
    expect(r.errors).toEqual([]);
    expect(r.paging).toBeUndefined();
    expect(r.papers.reduce((n, p) => n + p.authors.length, 0)).toBe(131);
    const [first, second, third] = r.papers;
    expect(first.title).toBe('Reproducing Kernel Banach Spaces with the l1 Norm');
    expect(first.authors.map((a) => a.name)).toEqual(['Guohui Song', 'Haizhang Zhang', 'Fred J. Hickernell']);
    expect(first.externalIds).toEqual({ arxiv: '1101.4388', doi: '10.1016/j.acha.2012.03.009' });
    expect(first.categories).toEqual(['stat.ML', 'cs.LG', 'math.FA']);
    expect(first.publishedAt).toBe('2011-01-23T00:00:00.000Z');
    expect(first.updatedAt).toBe('2012-03-28T00:00:00.000Z');
    expect(first.version).toBeUndefined();
    expect(second.authors[1].name).toBe('Heiko Röglin');
    expect(third.authors[0]).toEqual({ name: 'Emilie Morvant', affiliation: 'LIF' });
  });

  it('parses GetRecord in oai_dc ("Last, First" creators, Comment: description)', () => {
    const r = parseDocument({ body: fixture('ok/arxiv-oai/invenio_GetRecord_oai_dc_1507.03011.xml') });
    expect(r.papers).toHaveLength(1);
    const p = r.papers[0];
    expect(p.title).toBe('The Distribution of Star Formation and Metals in the Low Surface Brightness Galaxy UGC 628');
    expect(p.authors.map((a) => a.name)).toEqual(['J. E. Young', 'Rachel Kuzio de Naray', 'Sharon X. Wang']);
    expect(p.externalIds).toEqual({ arxiv: '1507.03011' });
    expect(p.comment).toBe('13 pages, 7 figures');
    expect(p.abstract.startsWith('We introduce the MUSCEL Program')).toBe(true);
    expect(p.abstract).not.toContain('Comment:');
    expect(p.publishedAt).toBe('2015-07-10T00:00:00.000Z');
  });

  it.each(['arXivOAIHarvester_error_noRecordsMatch_badSet_2015-06-23.xml', 'invenio_error_noRecordsMatch_hep-lat_2016-06-02.xml'])(
    'treats noRecordsMatch as an empty page (%s)',
    (file) => {
      expect(parseDocument({ body: fixture(`ok/arxiv-oai/${file}`) })).toEqual({ format: 'arxiv-oai', papers: [], errors: [] });
    },
  );

  it('throws upstream-error for other OAI errors', () => {
    const err = feedError(() => parseDocument({ body: fixture('not-ok/oai_bad-argument.xml') }));
    expect(err.code).toBe('upstream-error');
    expect(err.message).toContain('badArgument: Illegal argument');
  });

  it('skips deleted records and reads an empty token on the last page', () => {
    const r = parseDocument({ body: fixture('hand-made-ok/oai_deleted-and-empty-token.xml') });
    expect(r.papers.map((p) => [p.externalIds.arxiv, p.authors[0].name, p.categories])).toEqual([
      ['1501.00002', 'Jane Doe Jr', ['cs.LG', 'stat.ML']],
    ]);
    expect(r.errors).toEqual([]);
    expect(r.paging).toEqual({ completeListSize: 1002 });
  });

  it('refuses DTDs and truncated documents', () => {
    expect(feedError(() => parseDocument({ body: fixture('not-ok/dtd_plain-doctype_oai.xml') })).code).toBe('refused');
    expect(feedError(() => parseDocument({ body: fixture('not-ok/truncated_oai.xml') })).code).toBe('malformed');
  });
});
