import fc from 'fast-check';
import type { FeedFormat } from '@paperwire/contracts';
import { DocumentStream, countJsonArrayElements, planStream } from './document-stream';
import { FeedError } from './feed-error';
import { parseDocument } from './parse-document';
import { codeOf, fixture } from '../../fixtures/fixtures';

async function* piecesOf(body: Buffer, sizes: number[]): AsyncGenerator<Buffer> {
  let at = 0;
  for (let i = 0; at < body.length; i++) {
    const n = Math.max(1, sizes.length ? sizes[i % sizes.length] : body.length);
    yield body.subarray(at, at + n);
    at += n;
  }
}

async function streamed(body: Buffer, sizes: number[], batch: number, format?: FeedFormat) {
  const plan = planStream(body.subarray(0, 65_536), { format });
  if (!plan) throw new Error('not streamable');
  const stream = new DocumentStream(plan, batch);
  const papers = [];
  const errors = [];
  for await (const b of stream.batches(piecesOf(body, sizes))) {
    papers.push(...b.papers);
    errors.push(...b.errors);
  }
  return { format: stream.format, papers, errors, warnings: stream.warnings };
}

function jsonl(n: number): Buffer {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    if (i % 17 === 5) lines.push('{"title": "broken');
    else if (i % 23 === 7) lines.push('');
    else if (i % 29 === 3) lines.push(JSON.stringify({ id: `x${i}`, title: '', abstract: 'no title' }));
    else
      lines.push(
        JSON.stringify({
          id: `2401.${String(10000 + i)}`,
          title: `Päper ${i} \u202Eevil\u202C — ünïcode`,
          abstract: `Abstract ${i} with "quotes", [brackets], {braces} and a \\ backslash.`,
          authors: [`Author ${i}`],
        }),
      );
  }
  return Buffer.from(lines.join(i18nNewline()));
}
const i18nNewline = () => '\r\n';

/** A real arXivRaw page whose middle record lost its title (an entry error, the rest still parses). */
function withBrokenMiddleRecord(): Buffer {
  const text = fixture('ok/arxiv-oai/arXivOAIHarvester_ListRecords_arXivRaw_with-resumptionToken_2015-01-06.xml').toString('utf8');
  const starts = [...text.matchAll(/<record>/g)].map((m) => m.index ?? 0);
  const middle = starts[Math.floor(starts.length / 2)];
  const end = text.indexOf('</record>', middle);
  const record = text.slice(middle, end).replace(/<title>[\s\S]*?<\/title>/, '');
  return Buffer.from(text.slice(0, middle) + record + text.slice(end));
}

/** A real HF page with a non-object element and an item without a paper in the middle. */
function withBrokenMiddleItems(): Buffer {
  const items = JSON.parse(fixture('ok/hf-daily-papers/sotawhat_daily_papers_limit30_2026-06-12.json').toString('utf8')) as unknown[];
  const half = Math.floor(items.length / 2);
  return Buffer.from(JSON.stringify([...items.slice(0, half), 42, { title: 'no paper' }, ...items.slice(half)]));
}

const cases: { name: string; body: () => Buffer; format?: FeedFormat }[] = [
  { name: 'JSON Lines with bad lines, CRLF and multi-byte text', body: () => jsonl(300) },
  { name: 'JSON Lines, explicit format', body: () => jsonl(120), format: 'jsonl' },
  { name: 'HF daily papers array', body: () => fixture('ok/hf-daily-papers/sotawhat_daily_papers_limit30_2026-06-12.json') },
  { name: 'HF daily papers array, explicit', body: () => fixture('ok/hf-daily-papers/all-news-ai_daily_papers_5items_2026-07-31.json'), format: 'hf-daily-papers' },
  { name: 'JSONL records as one array', body: () => Buffer.from(JSON.stringify(jsonl(60).toString().split('\r\n').filter((l) => l.startsWith('{"id"')).map((l) => JSON.parse(l)))) },
  { name: 'OAI-PMH ListRecords (oai_dc)', body: () => fixture('ok/arxiv-oai/invenio_ListRecords_arXiv_set-cs_2015-01-16to18.xml') },
  { name: 'OAI-PMH ListRecords (arXivRaw) with a token', body: () => fixture('ok/arxiv-oai/arXivOAIHarvester_ListRecords_arXivRaw_with-resumptionToken_2015-01-06.xml') },
  { name: 'OAI-PMH with a deleted record', body: () => fixture('hand-made-ok/oai_deleted-and-empty-token.xml') },
  { name: 'arXiv API Atom feed', body: () => fixture('ok/arxiv-api/brevio_query_cat-cs.LG-OR-cs.AI_max20_2026-04-30.xml') },
  { name: 'arXiv API Atom feed (2016)', body: () => fixture('ok/arxiv-api/arxivpy_query_au-del_maestro_max10_2016-10-09.xml'), format: 'arxiv-api' },
  { name: 'Atom feed with an error entry among papers', body: () => fixture('hand-made-ok/atom_error-entry-among-papers.xml') },
  { name: 'Atom feed with bidi controls', body: () => fixture('hand-made-ok/atom_bidi-controls.xml') },
  { name: 'OAI-PMH with a record without a title in the middle', body: () => withBrokenMiddleRecord() },
  { name: 'HF array with bad elements in the middle', body: () => withBrokenMiddleItems() },
];

describe('DocumentStream: piecewise parsing gives what the whole-document parser gives', () => {
  it.each(cases)('$name, cut anywhere, in any batch size', async ({ body, format }) => {
    const bytes = body();
    const whole = parseDocument({ body: bytes, format });
    expect(whole.papers.length).toBeGreaterThan(0);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 4096 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 50 }),
        async (sizes, batch) => {
          const got = await streamed(bytes, sizes, batch, format);
          expect(got.format).toBe(whole.format);
          expect(got.papers).toEqual(whole.papers);
          // JSONL: the whole-document parser trims the text first; these documents have no leading blank lines.
          expect(got.errors).toEqual(whole.errors);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('reports invalid UTF-8 once, as the whole-document parser does', async () => {
    const bytes = Buffer.concat([jsonl(3), Buffer.from([0x0a, 0xff, 0xfe]), Buffer.from('\n'), jsonl(2)]);
    const got = await streamed(bytes, [7], 2);
    expect(got.warnings).toEqual(['document: invalid utf-8 byte sequences were replaced with U+FFFD']);
    expect(got.papers.map((p) => p.title)).toEqual(
      parseDocument({ body: bytes }).papers.map((p) => p.title),
    );
  });

  it('refuses truncated and malformed documents as the whole-document parser does', async () => {
    const failure = async (bytes: Buffer, format?: FeedFormat) => {
      try {
        await streamed(bytes, [100], 5, format);
      } catch (err) {
        if (err instanceof FeedError) return err.code;
        throw err;
      }
      return 'parsed';
    };
    expect(await failure(fixture('not-ok/truncated_hf_daily_papers.json'))).toBe('malformed');
    expect(await failure(fixture('not-ok/truncated_oai.xml'))).toBe('malformed');
    expect(await failure(fixture('not-ok/truncated_atom.xml'))).toBe('malformed');
    expect(await failure(fixture('ok/arxiv-api/arxivpy_error400_id-abc_2026-04-12.body.xml'))).toBe(
      codeOf(() => parseDocument({ body: fixture('ok/arxiv-api/arxivpy_error400_id-abc_2026-04-12.body.xml') })),
    );
    expect(await failure(Buffer.from('[{"paper": {}}, ]'))).toBe('malformed');
    expect(await failure(Buffer.from('[{"a": 1}] trailing'))).toBe('malformed');
    expect(await failure(Buffer.from('{"title": "t", "abstract": "a"}\n{"x": 1}\n'), 'jsonl')).toBe('parsed');
    expect(await failure(Buffer.from('{"x": 1}\n{"y": 2}\n'), 'jsonl')).toBe('malformed');
  });

  it('streams only UTF-8 JSON Lines, JSON arrays and OAI-PMH pages', () => {
    expect(planStream(Buffer.from('{"title": "t", "abstract": "a"}\n{}'))).toEqual({ kind: 'json-lines', format: 'jsonl' });
    expect(planStream(Buffer.from('[{"paper": {}}]'))).toEqual({ kind: 'json-array', format: undefined });
    expect(planStream(fixture('ok/arxiv-oai/invenio_ListRecords_arXiv_set-cs_2015-01-16to18.xml'))).toEqual({
      kind: 'oai-records',
      format: 'arxiv-oai',
    });
    expect(planStream(fixture('ok/arxiv-oai/invenio_error_noRecordsMatch_hep-lat_2016-06-02.xml'))).toBeNull();
    expect(planStream(fixture('not-ok/dtd_plain-doctype_oai.xml'))).toBeNull();
    expect(planStream(fixture('ok/hf-daily-papers/sotawhat_daily_papers_limit30_2026-06-12.json'), { format: 'arxiv-oai' })).toBeNull();
    expect(planStream(Buffer.from('{"title": "t", "abstract": "a"}\n'), { contentType: 'application/x-ndjson; charset=latin1' })).toBeNull();
    expect(planStream(Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><OAI-PMH>'))).toBeNull();
    expect(planStream(Buffer.from('<feed xmlns="http://www.w3.org/2005/Atom"></feed>'))).toEqual({ kind: 'atom-entries', format: 'arxiv-api' });
    expect(planStream(Buffer.from('<feed xmlns="http://www.w3.org/2005/Atom"></feed>'), { format: 'arxiv-oai' })).toBeNull();
    expect(planStream(fixture('ok/arxiv-oai/invenio_ListRecords_arXiv_set-cs_2015-01-16to18.xml'), { format: 'arxiv-api' })).toBeNull();
  });

  it('the broken middle entries above are entry errors, and the entries around them still parse', () => {
    const oai = parseDocument({ body: withBrokenMiddleRecord() });
    const hf = parseDocument({ body: withBrokenMiddleItems() });
    expect(oai.errors).toHaveLength(1);
    expect(hf.errors.length).toBeGreaterThanOrEqual(2);
    expect(oai.papers.length).toBe(parseDocument({ body: fixture('ok/arxiv-oai/arXivOAIHarvester_ListRecords_arXivRaw_with-resumptionToken_2015-01-06.xml') }).papers.length - 1);
    expect(hf.papers.length).toBe(parseDocument({ body: fixture('ok/hf-daily-papers/sotawhat_daily_papers_limit30_2026-06-12.json') }).papers.length);
  });

  it('counts the elements of an HF page as JSON.parse does, cut anywhere, and refuses a truncated one', () => {
    for (const file of [
      'ok/hf-daily-papers/sotawhat_daily_papers_limit30_2026-06-12.json',
      'ok/hf-daily-papers/all-news-ai_daily_papers_5items_2026-07-31.json',
    ]) {
      const bytes = fixture(file);
      const n = (JSON.parse(bytes.toString('utf8')) as unknown[]).length;
      for (const slice of [1, 7, 1024, 1 << 20]) expect(countJsonArrayElements(bytes, slice)).toBe(n);
    }
    expect(countJsonArrayElements(Buffer.from('[]'))).toBe(0);
    expect(() => countJsonArrayElements(fixture('not-ok/truncated_hf_daily_papers.json'))).toThrow(FeedError);
    expect(() => countJsonArrayElements(Buffer.from('{"error": "x"}'))).toThrow(FeedError);
  });
});
