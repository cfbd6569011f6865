import {
  buildSourceRequest,
  checkpointHash,
  incompleteOaiPage,
  nextPage,
  pageJobId,
  pageOfJob,
} from './source-request';

const now = new Date('2026-11-24T10:00:00Z');

describe('buildSourceRequest', () => {
  it('asks HF daily papers for today unless a date is pinned', () => {
    expect(
      buildSourceRequest(
        {
          kind: 'hf-daily-papers',
          url: 'https://huggingface.co/api/daily_papers',
          params: {},
          checkpoint: null,
        },
        now,
      ).url,
    ).toBe('https://huggingface.co/api/daily_papers?date=2026-11-24');
    expect(
      buildSourceRequest(
        {
          kind: 'hf-daily-papers',
          url: 'https://huggingface.co/api/daily_papers',
          params: { date: '2026-06-12', limit: 50 },
          checkpoint: null,
        },
        now,
      ).url,
    ).toBe('https://huggingface.co/api/daily_papers?date=2026-06-12&limit=50');
  });

  it('resumes an OAI-PMH harvest from its checkpointed token and drops the other arguments', () => {
    const base = {
      kind: 'arxiv-oai',
      url: 'https://export.arxiv.org/oai2',
      params: { metadataPrefix: 'arXivRaw', set: 'cs', from: '2024-01-01' },
    };
    expect(buildSourceRequest({ ...base, checkpoint: null }).url).toBe(
      'https://export.arxiv.org/oai2?verb=ListRecords&metadataPrefix=arXivRaw&from=2024-01-01&set=cs',
    );
    expect(buildSourceRequest({ ...base, checkpoint: { resumptionToken: '726959|1001' } }).url).toBe(
      'https://export.arxiv.org/oai2?verb=ListRecords&resumptionToken=726959%7C1001',
    );
  });

  it('pages the arXiv API from its checkpoint', () => {
    const r = buildSourceRequest({
      kind: 'arxiv-api',
      url: 'https://export.arxiv.org/api/query',
      params: { search_query: 'cat:cs.CL', max_results: 100 },
      checkpoint: { start: 200 },
    });
    expect(r).toEqual({
      url: 'https://export.arxiv.org/api/query?search_query=cat%3Acs.CL&max_results=100&start=200',
      formatHint: 'arxiv-api',
    });
  });

  it('keeps file paths and the format hint of a file source', () => {
    expect(
      buildSourceRequest({
        kind: 'file',
        url: '/tmp/x.txt',
        params: { format: 'daily-papers-text' },
        checkpoint: null,
      }),
    ).toEqual({ url: '/tmp/x.txt', formatHint: 'daily-papers-text' });
  });
});

// Pages as the fetcher hands them over: whole OAI-PMH documents (incompleteOaiPage refuses anything else).
const oaiDoc = (inner: string) => `<OAI-PMH>${inner}</OAI-PMH>`;

describe('incremental OAI-PMH harvests', () => {
  const oai = { kind: 'arxiv-oai', url: 'https://export.arxiv.org/oai2', params: { metadataPrefix: 'arXivRaw', set: 'cs' } };
  const page = (day: string, token: string | null) =>
    oaiDoc(
      `<responseDate>${day}T10:00:00Z</responseDate><ListRecords><record/>` +
        `${token === null ? '' : `<resumptionToken cursor="0">${token}</resumptionToken>`}</ListRecords>`,
    );

  it('carries the first page\'s responseDate to the end of the list and reports it as harvested', () => {
    const first = nextPage({ ...oai, checkpoint: null }, page('2026-11-20', 'tok|1'));
    expect(first).toEqual({ checkpoint: { resumptionToken: 'tok|1', pages: 1, harvestStartedAt: '2026-11-20' }, more: true });
    // Later pages answer on later days: the harvest still started on the 20th.
    const second = nextPage({ ...oai, checkpoint: first.checkpoint! }, page('2026-11-21', 'tok|2'));
    expect(second.checkpoint).toEqual({ resumptionToken: 'tok|2', pages: 2, harvestStartedAt: '2026-11-20' });
    expect(nextPage({ ...oai, checkpoint: second.checkpoint! }, page('2026-11-21', ''))).toEqual({
      checkpoint: null,
      more: false,
      harvestedUntil: '2026-11-20',
    });
    // One page, nothing new: both complete the harvest.
    expect(nextPage({ ...oai, checkpoint: null }, page('2026-11-22', null)).harvestedUntil).toBe('2026-11-22');
    expect(
      nextPage({ ...oai, checkpoint: null }, oaiDoc('<responseDate>2026-11-23T00:00:00Z</responseDate><error code="noRecordsMatch"/>'))
        .harvestedUntil,
    ).toBe('2026-11-23');
  });

  it('does not move on after a list that ended in an error, or one resumed from an older checkpoint', () => {
    expect(
      nextPage(
        { ...oai, checkpoint: { resumptionToken: 'x', pages: 3, harvestStartedAt: '2026-11-20' } },
        oaiDoc('<responseDate>2026-11-21T00:00:00Z</responseDate><error code="badResumptionToken">expired</error>'),
      ),
    ).toEqual({ checkpoint: null, more: false });
    expect(nextPage({ ...oai, checkpoint: { resumptionToken: 'x', pages: 3 } }, page('2026-11-21', '')).harvestedUntil).toBeUndefined();
    // A page that is not well-formed XML says nothing about the list: it ends the run, not the harvest.
    expect(nextPage({ ...oai, checkpoint: null }, '<OAI-PMH><responseDate>2026-11-21T00:00:00Z</responseDate><ListRecords>')).toEqual({
      checkpoint: null,
      more: false,
    });
  });

  it('asks the next harvest from the later of the configured from and the last harvest, unless incremental is off', () => {
    const url = (params: Record<string, unknown>, harvested_until: string | null) =>
      new URL(buildSourceRequest({ ...oai, params: { ...oai.params, ...params }, checkpoint: null, harvested_until }).url).searchParams.get('from');
    expect(url({}, null)).toBeNull();
    expect(url({}, '2026-11-20')).toBe('2026-11-20');
    expect(url({ from: '2024-01-01' }, '2026-11-20')).toBe('2026-11-20');
    expect(url({ from: '2026-12-01' }, '2026-11-20')).toBe('2026-12-01');
    expect(url({ from: '2024-01-01', incremental: false }, '2026-11-20')).toBe('2024-01-01');
    expect(url({ from: '2024-01-01', incremental: 'false' }, '2026-11-20')).toBe('2024-01-01'); // from the CLI's --param
    // A resumption request carries only its token.
    expect(buildSourceRequest({ ...oai, checkpoint: { resumptionToken: 't' }, harvested_until: '2026-11-20' }).url).not.toContain('from=');
  });
});

describe('nextPage', () => {
  it('follows OAI-PMH resumption tokens and ends on an empty token or noRecordsMatch', () => {
    const oai = { kind: 'arxiv-oai', params: { metadataPrefix: 'arXivRaw' } };
    expect(
      nextPage({ ...oai, checkpoint: null }, oaiDoc('<ListRecords><resumptionToken cursor="0">abc|1</resumptionToken></ListRecords>')),
    ).toEqual({
      checkpoint: { resumptionToken: 'abc|1', pages: 1 },
      more: true,
    });
    expect(
      nextPage(
        { ...oai, checkpoint: { resumptionToken: 'abc|1', pages: 1 } },
        oaiDoc('<ListRecords><resumptionToken cursor="50"/></ListRecords>'),
      ),
    ).toEqual({ checkpoint: null, more: false });
    expect(nextPage({ ...oai, checkpoint: null }, oaiDoc('<error code="noRecordsMatch">none</error>'))).toEqual({
      checkpoint: null,
      more: false,
    });
  });

  it('pages the arXiv API with start/max_results up to max_total, and leaves plain queries alone', () => {
    const body = (total: number, entries: number) =>
      `<feed><opensearch:totalResults xmlns:opensearch="x">${total}</opensearch:totalResults>${'<entry><id>x</id></entry>'.repeat(entries)}</feed>`;
    const api = { kind: 'arxiv-api', params: { search_query: 'cat:cs.CL', max_results: 10, max_total: 25 } };
    expect(nextPage({ ...api, checkpoint: null }, body(100, 10))).toEqual({
      checkpoint: { start: 10, pages: 1 },
      more: true,
    });
    expect(nextPage({ ...api, checkpoint: { start: 10, pages: 1 } }, body(100, 10))).toEqual({
      checkpoint: { start: 20, pages: 2 },
      more: true,
    });
    expect(nextPage({ ...api, checkpoint: { start: 20, pages: 2 } }, body(100, 10))).toEqual({
      checkpoint: null,
      more: false,
    });
    expect(nextPage({ ...api, checkpoint: null }, body(8, 8))).toEqual({ checkpoint: null, more: false });
    expect(nextPage({ ...api, checkpoint: { start: 10 } }, body(100, 0))).toEqual({
      checkpoint: null,
      more: false,
    });
    expect(
      nextPage({ kind: 'arxiv-api', params: { id_list: '2401.00001' }, checkpoint: null }, body(1, 1)),
    ).toEqual({ checkpoint: undefined, more: false });
  });

  it('walks an HF date range day by day, paging full days with p', () => {
    const hf = { kind: 'hf-daily-papers', params: { from: '2026-06-11', to: '2026-06-13', limit: 2 } };
    const items = (n: number) =>
      JSON.stringify(Array.from({ length: n }, (_, i) => ({ paper: { id: `2606.0000${i}` } })));
    expect(nextPage({ ...hf, checkpoint: null }, items(2), now)).toEqual({
      checkpoint: { date: '2026-06-11', p: 1, pages: 1 },
      more: true,
    });
    expect(nextPage({ ...hf, checkpoint: { date: '2026-06-11', p: 1, pages: 1 } }, items(1), now)).toEqual({
      checkpoint: { date: '2026-06-12', p: 0, pages: 2 },
      more: true,
    });
    expect(nextPage({ ...hf, checkpoint: { date: '2026-06-13', p: 0, pages: 3 } }, items(0), now)).toEqual({
      checkpoint: null,
      more: false,
    });
    expect(
      buildSourceRequest(
        { ...hf, url: 'https://huggingface.co/api/daily_papers', checkpoint: { date: '2026-06-12', p: 1 } },
        now,
      ).url,
    ).toBe('https://huggingface.co/api/daily_papers?date=2026-06-12&limit=2&p=1');
    expect(
      buildSourceRequest({ ...hf, url: 'https://huggingface.co/api/daily_papers', checkpoint: null }, now)
        .url,
    ).toBe('https://huggingface.co/api/daily_papers?date=2026-06-11&limit=2');
    // "today" with a limit pages the same day while pages are full, pinning the date
    expect(
      nextPage({ kind: 'hf-daily-papers', params: { limit: 2 }, checkpoint: null }, items(2), now),
    ).toEqual({ checkpoint: { date: '2026-11-24', p: 1, pages: 1 }, more: true });
    expect(nextPage({ kind: 'hf-daily-papers', params: {}, checkpoint: null }, items(2), now)).toEqual({
      checkpoint: null,
      more: false,
    });
  });

  it('names page jobs by a key-order-independent checkpoint hash', () => {
    const id = '00000000-0000-4000-8000-000000000001';
    expect(pageJobId(id, { resumptionToken: 't', pages: 2 })).toBe(
      pageJobId(id, { pages: 2, resumptionToken: 't' }),
    );
    expect(pageJobId(id, { resumptionToken: 't', pages: 2 })).not.toBe(
      pageJobId(id, { resumptionToken: 'u', pages: 2 }),
    );
    expect(pageOfJob(id, pageJobId(id, { start: 10 }))).toBe(checkpointHash({ start: 10 }));
    expect(pageOfJob(id, `${pageJobId(id, { start: 10 })}-s123`)).toBe(checkpointHash({ start: 10 }));
    expect(pageOfJob(id, `fetch-${id}-m123`)).toBeUndefined();
  });
});

describe('incompleteOaiPage', () => {
  it('accepts whole OAI-PMH documents, error responses included', () => {
    expect(incompleteOaiPage('<OAI-PMH><ListRecords><record/></ListRecords></OAI-PMH>\n')).toBeUndefined();
    expect(
      incompleteOaiPage('<OAI-PMH><error code="noRecordsMatch">nothing new</error></OAI-PMH>'),
    ).toBeUndefined();
    expect(incompleteOaiPage('<oai:OAI-PMH xmlns:oai="x"><oai:ListRecords/></oai:OAI-PMH>\r\n')).toBeUndefined();
  });

  it('refuses an empty body and a body cut short (which would read as the end of the list)', () => {
    expect(incompleteOaiPage('')).toBe('incomplete OAI-PMH response (0 bytes, no closing </OAI-PMH>)');
    expect(incompleteOaiPage('<OAI-PMH><ListRecords><record/><rec')).toMatch(
      /^incomplete OAI-PMH response \(35 bytes/,
    );
  });
});
