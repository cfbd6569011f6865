import { FeedError, parseDocument, readAtomPageFrame, readOaiPageFrame } from '../index';
import { fixture, fixtureText } from '../../fixtures/fixtures';

const oai = (inner: string) =>
  `<?xml version="1.0"?><OAI-PMH><responseDate>2026-11-20T10:00:00Z</responseDate>${inner}</OAI-PMH>`;

describe('readOaiPageFrame', () => {
  it('reads a token, an empty final token, and its absence', () => {
    const list = (token: string) => oai(`<ListRecords><record><header/></record>${token}</ListRecords>`);
    expect(
      readOaiPageFrame(
        list('<resumptionToken cursor="0" completeListSize="58011">726959|1001</resumptionToken>'),
      ),
    ).toEqual({
      resumptionToken: '726959|1001',
      completeListSize: 58011,
      responseDay: '2026-11-20',
      errorCodes: [],
    });
    expect(readOaiPageFrame(list('<resumptionToken completeListSize="3" cursor="0"/>')).resumptionToken).toBe(
      '',
    );
    expect(readOaiPageFrame(oai('<ListRecords></ListRecords>')).resumptionToken).toBeUndefined();
  });

  it('reads the error codes of an error response', () => {
    expect(readOaiPageFrame(fixtureText('not-ok/oai_bad-argument.xml'))).toEqual({
      responseDay: '2026-01-01',
      errorCodes: ['badArgument'],
    });
    expect(
      readOaiPageFrame(fixtureText('ok/arxiv-oai/arXivOAIHarvester_error_noRecordsMatch_badSet_2015-06-23.xml'))
        .errorCodes,
    ).toEqual(['noRecordsMatch']);
  });

  it('refuses what the parser refuses: malformed, truncated and DTD-carrying pages', () => {
    for (const file of ['not-ok/truncated_oai.xml', 'not-ok/dtd_plain-doctype_oai.xml']) {
      expect(() => readOaiPageFrame(fixtureText(file))).toThrow(FeedError);
    }
  });

  it.each([
    'ok/arxiv-oai/arXivOAIHarvester_ListRecords_arXivRaw_with-resumptionToken_2015-01-06.xml',
    'ok/arxiv-oai/invenio_ListRecords_arXiv_set-cs_2015-01-16to18.xml',
    'hand-made-ok/oai_deleted-and-empty-token.xml',
  ])('agrees with the parser on the paging of %s', (file) => {
    const body = fixtureText(file);
    const parsed = parseDocument({ body }).paging;
    const frame = readOaiPageFrame(body);
    expect(frame.resumptionToken).toBe(parsed === undefined ? undefined : (parsed.resumptionToken ?? ''));
    expect(frame.completeListSize).toBe(parsed?.completeListSize);
  });
});

describe('readAtomPageFrame', () => {
  it.each([
    ['ok/arxiv-api/brevio_query_cat-cs.LG-OR-cs.AI_max20_2026-04-30.xml', 20],
    ['ok/arxiv-api/arxivpy_query_au-del_maestro_max10_2016-10-09.xml', 10],
  ])('agrees with the parser on the paging and entry count of %s', (file, entries) => {
    const body = fixtureText(file);
    const parsed = parseDocument({ body });
    expect(parsed.papers).toHaveLength(entries);
    expect(readAtomPageFrame(body)).toEqual({ ...parsed.paging, entries });
  });

  it('counts no entries on an empty result page', () => {
    expect(
      readAtomPageFrame(fixtureText('ok/arxiv-api/arxivpy_empty_id-0000.0000_2026-04-12.body.xml')),
    ).toMatchObject({
      entries: 0,
      totalResults: 0,
    });
  });

  it('refuses a truncated page', () => {
    expect(() => readAtomPageFrame(fixtureText('not-ok/truncated_atom.xml'))).toThrow(FeedError);
  });
});

describe('page frames read from bytes (the fetcher never decodes a whole page)', () => {
  const outcome = (fn: () => unknown) => {
    try {
      return fn();
    } catch (err) {
      if (err instanceof FeedError) return `${err.code}: ${err.message}`;
      throw err;
    }
  };
  it.each([
    'ok/arxiv-oai/arXivOAIHarvester_ListRecords_arXivRaw_with-resumptionToken_2015-01-06.xml',
    'ok/arxiv-oai/invenio_ListRecords_arXiv_set-cs_2015-01-16to18.xml',
    'ok/arxiv-oai/arXivOAIHarvester_error_noRecordsMatch_badSet_2015-06-23.xml',
    'ok/arxiv-oai/invenio_GetRecord_oai_dc_1507.03011.xml',
    'hand-made-ok/oai_deleted-and-empty-token.xml',
    'not-ok/oai_bad-argument.xml',
    'not-ok/truncated_oai.xml',
    'not-ok/dtd_plain-doctype_oai.xml',
  ])('OAI-PMH %s: the same frame (or refusal) as from its text', (file) => {
    expect(outcome(() => readOaiPageFrame(fixture(file)))).toEqual(outcome(() => readOaiPageFrame(fixtureText(file))));
  });

  it.each([
    'ok/arxiv-api/brevio_query_cat-cs.LG-OR-cs.AI_max20_2026-04-30.xml',
    'ok/arxiv-api/arxivpy_query_au-del_maestro_max10_2016-10-09.xml',
    'ok/arxiv-api/arxivpy_empty_id-0000.0000_2026-04-12.body.xml',
    'hand-made-ok/atom_bidi-controls.xml',
    'not-ok/truncated_atom.xml',
  ])('Atom %s: the same frame (or refusal) as from its text', (file) => {
    expect(outcome(() => readAtomPageFrame(fixture(file)))).toEqual(outcome(() => readAtomPageFrame(fixtureText(file))));
  });

  it('finds the records by byte offset in a page with multi-byte text before, between and after them', () => {
    const body = oai(
      '<!-- ünïcödé — ✓ --><ListRecords><record><header>é</header></record><record><header>日本</header></record>' +
        '<resumptionToken cursor="0">tök|✓</resumptionToken></ListRecords>',
    );
    expect(readOaiPageFrame(Buffer.from(body))).toEqual(readOaiPageFrame(body));
    expect(readOaiPageFrame(Buffer.from(body)).resumptionToken).toBe('tök|✓');
  });
});
