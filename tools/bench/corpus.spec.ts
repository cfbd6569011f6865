import { parseDocument } from '@paperwire/feeds';
import { arxivRawRecord, oaiPage, recordAt, type BaseText } from './corpus';

const base: BaseText[] = Array.from({ length: 4 }, (_, i) => ({
  title: `Paper <${i}> & friends`,
  abstract: `An abstract with 3% gains & <tags> number ${i}, long enough to be a real one.`,
}));
const o = { records: 5, duplicateRate: 0, versionRate: 0.5 };

describe('bench corpus OAI pages', () => {
  it('writes arXivRaw records the parser reads back verbatim, escaped text included', () => {
    const record = arxivRawRecord({
      arxivId: '2401.00001',
      title: 'A <b>bold</b> & "quoted" title',
      authors: 'A. One and B. Two',
      abstract: 'Gains of 5% & more on <GLUE>.',
      categories: 'cs.LG cs.CL',
      datestamp: '2024-01-15',
      versionDates: ['Mon, 15 Jan 2024 10:00:00 GMT', 'Tue, 16 Jan 2024 10:00:00 GMT'],
      submitter: 'Bench & Co',
    });
    const doc = `<OAI-PMH><responseDate>2024-01-16T00:00:00Z</responseDate><ListRecords>${record}</ListRecords></OAI-PMH>`;
    const [p] = parseDocument({ body: doc, format: 'arxiv-oai' }).papers;
    expect(p).toMatchObject({
      title: 'A <b>bold</b> & "quoted" title',
      abstract: 'Gains of 5% & more on <GLUE>.',
      externalIds: { arxiv: '2401.00001' },
      version: 2,
      categories: ['cs.LG', 'cs.CL'],
    });
    expect(p.authors.map((a) => a.name)).toEqual(['A. One', 'B. Two']);
  });

  it('pages the corpus with resumption tokens, the last one empty', () => {
    const first = parseDocument({ body: oaiPage(0, 3, base, o) });
    const last = parseDocument({ body: oaiPage(1, 3, base, o) });
    expect(first.papers.map((p) => p.externalIds.arxiv)).toEqual([0, 1, 2].map((i) => recordAt(i, base, o).arxivId));
    expect(first.papers.map((p) => p.version)).toEqual([0, 1, 2].map((i) => recordAt(i, base, o).version));
    expect(first.paging).toEqual({ resumptionToken: 'bench-1', completeListSize: 5 });
    expect(last.papers).toHaveLength(2);
    expect(last.paging).toEqual({ completeListSize: 5 });
  });
});
