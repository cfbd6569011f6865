import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FeedFormat } from '@paperwire/contracts';
import { FeedError, parseDocument } from '../index';
import { codeOf, fixture } from '../../fixtures/fixtures';

const root = join(__dirname, '..', '..', 'fixtures');

describe('parseDocument: refusals and whole-document errors', () => {
  it.each(['dtd_billion-laughs.xml', 'dtd_external-entity.xml', 'dtd_plain-doctype_oai.xml'])('refuses %s before parsing', (file) => {
    const started = Date.now();
    expect(codeOf(() => parseDocument({ body: fixture(`not-ok/${file}`) }))).toBe('refused');
    expect(codeOf(() => parseDocument({ body: fixture(`not-ok/${file}`), format: 'arxiv-api' }))).toBe('refused');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('refuses a DTD even on an unknown root element, and an entity declaration without DOCTYPE', () => {
    expect(codeOf(() => parseDocument({ body: '<?xml version="1.0"?><!DOCTYPE x SYSTEM "http://e/x.dtd"><x/>' }))).toBe('refused');
    expect(codeOf(() => parseDocument({ body: '<feed><!ENTITY a "b"></feed>' }))).toBe('refused');
  });

  it('enforces the size limit before decoding', () => {
    const body = fixture('ok/arxiv-api/brevio_query_cat-cs.LG-OR-cs.AI_max20_2026-04-30.xml');
    expect(codeOf(() => parseDocument({ body, maxBytes: 1000 }))).toBe('too-large');
    expect(parseDocument({ body, maxBytes: body.length }).papers).toHaveLength(20);
  });

  it('rejects an explicit format that is not a format', () => {
    const body = fixture('ok/arxiv-api/arxivpy_empty_id-0000.0000_2026-04-12.body.xml');
    expect(codeOf(() => parseDocument({ body, format: 'atom' as FeedFormat }))).toBe('malformed');
  });

  it.each<[string, FeedFormat, FeedFormat]>([
    ['ok/arxiv-rss/distill_rss_cs.AI_3items.xml', 'arxiv-rss', 'arxiv-oai'],
    ['ok/arxiv-oai/arXivOAIHarvester_GetRecord_arXivRaw.xml', 'arxiv-oai', 'arxiv-api'],
    ['ok/hf-daily-papers/all-news-ai_daily_papers_5items_2026-07-31.json', 'hf-daily-papers', 'jsonl'],
    ['ok/hf-papers-html/slbqc_huggingface.co_papers_date-2024-08-01.html', 'hf-papers-html', 'daily-papers-text'],
    ['ok/daily-papers-text/daily-papers-sep-1.txt', 'daily-papers-text', 'hf-papers-html'],
  ])('%s parses as %s and is malformed as %s', (file, right, wrong) => {
    const body = fixture(file);
    expect(parseDocument({ body, format: right }).format).toBe(right);
    expect(codeOf(() => parseDocument({ body, format: wrong }))).toBe('malformed');
  });

  it('decodes a declared non-UTF-8 charset', () => {
    const xml = '<?xml version="1.0" encoding="ISO-8859-1"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/abs/2401.00001v1</id><title>R\u00f6glin</title><summary>Caf\u00e9 abstract.</summary></entry></feed>';
    const r = parseDocument({ body: Buffer.from(xml, 'latin1') });
    expect(r.papers[0].title).toBe('Röglin');
    expect(r.errors).toEqual([]);
    expect(codeOf(() => parseDocument({ body: Buffer.from(xml, 'latin1'), contentType: 'text/xml; charset=x-klingon' }))).toBe('malformed');
  });

  it('strips NUL bytes and lone surrogates from stored text', () => {
    const body = JSON.stringify([{ title: 'Nul\u0000 title \ud800', abstract: 'Text with a NUL \u0000 byte.' }]);
    const [p] = parseDocument({ body }).papers;
    expect(p.title).toBe('Nul title \ufffd');
    expect(p.abstract).toBe('Text with a NUL byte.');
    expect(p.originalTitle).toBeUndefined();
    expect(p.originalAbstract).toBe('Text with a NUL  byte.');
  });

  it('never turns a not-ok fixture into garbage papers', () => {
    const expected: Record<string, string | number> = {
      'atom_oversize-title.xml': 1,
      'bom_atom.xml': 10,
      'dtd_billion-laughs.xml': 'refused',
      'dtd_external-entity.xml': 'refused',
      'dtd_plain-doctype_oai.xml': 'refused',
      'html_without-data-props.html': 'unknown-format',
      'invalid-utf8_rss.xml': 3,
      'json_wrong-shape.json': 'unknown-format',
      'jsonl_huge-abstract-and-bad-line.jsonl': 2,
      'oai_bad-argument.xml': 'upstream-error',
      'truncated_atom.xml': 'malformed',
      'truncated_hf_daily_papers.json': 'unknown-format',
      'truncated_oai.xml': 'malformed',
      'xml_not-a-feed.xml': 'unknown-format',
    };
    const files = readdirSync(join(root, 'not-ok')).filter((f) => !f.endsWith('.md'));
    expect(files.sort()).toEqual(Object.keys(expected).sort());
    for (const file of files) {
      let outcome: string | number;
      try {
        outcome = parseDocument({ body: fixture(`not-ok/${file}`), fileName: file }).papers.length;
      } catch (err) {
        if (!(err instanceof FeedError)) throw err;
        outcome = err.code;
      }
      expect([file, outcome]).toEqual([file, expected[file]]);
    }
  });
});
