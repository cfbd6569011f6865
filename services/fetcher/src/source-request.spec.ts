import {
  buildSourceRequest,
  checkpointHash,
  nextPage,
  oaiResumptionToken,
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

describe('oaiResumptionToken', () => {
  it('reads a token, an empty final token, and its absence', () => {
    expect(
      oaiResumptionToken(
        '<resumptionToken cursor="0" completeListSize="58011">726959|1001</resumptionToken>',
      ),
    ).toBe('726959|1001');
    expect(oaiResumptionToken('<resumptionToken completeListSize="3" cursor="0"/>')).toBe('');
    expect(oaiResumptionToken('<ListRecords></ListRecords>')).toBeUndefined();
  });
});

describe('nextPage', () => {
  it('follows OAI-PMH resumption tokens and ends on an empty token or noRecordsMatch', () => {
    const oai = { kind: 'arxiv-oai', params: { metadataPrefix: 'arXivRaw' } };
    expect(
      nextPage({ ...oai, checkpoint: null }, '<resumptionToken cursor="0">abc|1</resumptionToken>'),
    ).toEqual({
      checkpoint: { resumptionToken: 'abc|1', pages: 1 },
      more: true,
    });
    expect(
      nextPage(
        { ...oai, checkpoint: { resumptionToken: 'abc|1', pages: 1 } },
        '<resumptionToken cursor="50"/>',
      ),
    ).toEqual({ checkpoint: null, more: false });
    expect(nextPage({ ...oai, checkpoint: null }, '<error code="noRecordsMatch">none</error>')).toEqual({
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
