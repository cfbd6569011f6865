import { buildSourceRequest, oaiResumptionToken } from './source-request';

const now = new Date('2026-11-24T10:00:00Z');

describe('buildSourceRequest', () => {
  it('asks HF daily papers for today unless a date is pinned', () => {
    expect(buildSourceRequest({ kind: 'hf-daily-papers', url: 'https://huggingface.co/api/daily_papers', params: {}, checkpoint: null }, now).url).toBe(
      'https://huggingface.co/api/daily_papers?date=2026-11-24',
    );
    expect(buildSourceRequest({ kind: 'hf-daily-papers', url: 'https://huggingface.co/api/daily_papers', params: { date: '2026-06-12', limit: 50 }, checkpoint: null }, now).url).toBe(
      'https://huggingface.co/api/daily_papers?date=2026-06-12&limit=50',
    );
  });

  it('resumes an OAI-PMH harvest from its checkpointed token and drops the other arguments', () => {
    const base = { kind: 'arxiv-oai', url: 'https://export.arxiv.org/oai2', params: { metadataPrefix: 'arXivRaw', set: 'cs', from: '2024-01-01' } };
    expect(buildSourceRequest({ ...base, checkpoint: null }).url).toBe(
      'https://export.arxiv.org/oai2?verb=ListRecords&metadataPrefix=arXivRaw&from=2024-01-01&set=cs',
    );
    expect(buildSourceRequest({ ...base, checkpoint: { resumptionToken: '726959|1001' } }).url).toBe(
      'https://export.arxiv.org/oai2?verb=ListRecords&resumptionToken=726959%7C1001',
    );
  });

  it('pages the arXiv API from its checkpoint', () => {
    const r = buildSourceRequest({ kind: 'arxiv-api', url: 'https://export.arxiv.org/api/query', params: { search_query: 'cat:cs.CL', max_results: 100 }, checkpoint: { start: 200 } });
    expect(r).toEqual({ url: 'https://export.arxiv.org/api/query?search_query=cat%3Acs.CL&max_results=100&start=200', formatHint: 'arxiv-api' });
  });

  it('keeps file paths and the format hint of a file source', () => {
    expect(buildSourceRequest({ kind: 'file', url: '/tmp/x.txt', params: { format: 'daily-papers-text' }, checkpoint: null })).toEqual({ url: '/tmp/x.txt', formatHint: 'daily-papers-text' });
  });
});

describe('oaiResumptionToken', () => {
  it('reads a token, an empty final token, and its absence', () => {
    expect(oaiResumptionToken('<resumptionToken cursor="0" completeListSize="58011">726959|1001</resumptionToken>')).toBe('726959|1001');
    expect(oaiResumptionToken('<resumptionToken completeListSize="3" cursor="0"/>')).toBe('');
    expect(oaiResumptionToken('<ListRecords></ListRecords>')).toBeUndefined();
  });
});
