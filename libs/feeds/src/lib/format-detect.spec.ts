import type { FeedFormat } from '@paperwire/contracts';
import { detectFormat } from '../index';
import { codeOf, fixtureText } from '../../fixtures/fixtures';

describe('detectFormat', () => {
  it.each<[string, FeedFormat]>([
    ['ok/arxiv-api/brevio_query_cat-cs.LG-OR-cs.AI_max20_2026-04-30.xml', 'arxiv-api'],
    ['ok/arxiv-api/arxivpy_query_au-del_maestro_max10_2016-10-09.xml', 'arxiv-api'],
    ['ok/arxiv-api/arxivpy_empty_id-0000.0000_2026-04-12.body.xml', 'arxiv-api'],
    ['ok/arxiv-rss/distill_rss_cs.LG_3items.xml', 'arxiv-rss'],
    ['ok/arxiv-oai/invenio_error_noRecordsMatch_hep-lat_2016-06-02.xml', 'arxiv-oai'],
    ['ok/arxiv-oai/invenio_GetRecord_oai_dc_1507.03011.xml', 'arxiv-oai'],
    ['ok/hf-daily-papers/sotawhat_daily_papers_limit30_2026-06-12.json', 'hf-daily-papers'],
    ['ok/hf-daily-papers/all-news-ai_daily_papers_5items_2026-07-31.json', 'hf-daily-papers'],
    ['ok/hf-papers-html/slbqc_huggingface.co_papers_date-2024-08-01.html', 'hf-papers-html'],
    ['ok/daily-papers-text/daily-papers-sep-1.txt', 'daily-papers-text'],
  ])('detects %s as %s', (file, format) => {
    expect(detectFormat(fixtureText(file))).toBe(format);
  });

  it('uses the content type as a check, not as the answer', () => {
    const atom = fixtureText('ok/arxiv-api/arxivpy_empty_id-0000.0000_2026-04-12.body.xml');
    expect(detectFormat(atom, 'application/atom+xml; charset=utf-8')).toBe('arxiv-api');
    expect(detectFormat(atom, 'text/xml')).toBe('arxiv-api');
    expect(detectFormat(atom, 'text/plain')).toBe('arxiv-api');
    expect(codeOf(() => detectFormat(atom, 'application/json'))).toBe('unknown-format');
    expect(codeOf(() => detectFormat('[]', 'text/html'))).toBe('unknown-format');
    expect(codeOf(() => detectFormat(atom, undefined, 'page.json'))).toBe('unknown-format');
  });

  it('uses the file name to tell an empty JSONL array from an empty HF day', () => {
    expect(detectFormat('[]')).toBe('hf-daily-papers');
    expect(detectFormat('[]', undefined, 'input.jsonl')).toBe('jsonl');
  });

  it.each([
    ['not-ok/xml_not-a-feed.xml'],
    ['not-ok/json_wrong-shape.json'],
    ['not-ok/html_without-data-props.html'],
    ['not-ok/truncated_hf_daily_papers.json'],
    ['ok/arxiv-api/arxivpy_empty_id-0000.0000_2026-04-12.json'],
  ])('refuses %s as unknown-format', (file) => {
    expect(codeOf(() => detectFormat(fixtureText(file)))).toBe('unknown-format');
  });

  it('refuses empty, whitespace-only and RSS 1.0 documents', () => {
    expect(codeOf(() => detectFormat(''))).toBe('unknown-format');
    expect(codeOf(() => detectFormat(' \n\t'))).toBe('unknown-format');
    expect(codeOf(() => detectFormat('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"></rdf:RDF>'))).toBe('unknown-format');
  });

  it('calls random bytes binary, not text, whatever the file is named', () => {
    let seed = 7;
    const bytes = Buffer.from(Array.from({ length: 600 }, () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 256));
    expect(() => detectFormat(bytes.toString('utf8'), undefined, 'garbage.xml')).toThrow('binary data, not a text document');
    // text with one stray control character is still text
    expect(codeOf(() => detectFormat('Title: A paper\u0007 about adapters\n\nAbstract: short.'))).toBe('unknown-format');
    expect(() => detectFormat('Title: A paper\u0007 about adapters\n\nAbstract: short.')).not.toThrow('binary');
  });
});
