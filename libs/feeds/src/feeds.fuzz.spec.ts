// Property-based robustness: every parser, fed mutated fixtures and hostile strings, either returns a
// ParseResult or throws FeedError, and every call finishes in bounded time. Scale with FUZZ_RUNS (runs per parser).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { FEED_FORMATS, type FeedFormat, type ParseResult } from '@paperwire/contracts';
import { extractLinks, FeedError, normalizeText, parseArxivId, parseDocument } from './index';

const RUNS = Math.max(1, Number(process.env['FUZZ_RUNS'] ?? '300'));
// Generous: the machine is shared; a ReDoS or entity expansion would take orders of magnitude longer.
const MAX_MS_PER_CALL = 3000;
const fixtures = join(__dirname, '..', 'fixtures', 'ok');
const load = (p: string): Buffer => readFileSync(join(fixtures, p));

const BASES: Record<FeedFormat, Buffer> = {
  'arxiv-api': load('arxiv-api/brevio_query_cat-cs.LG-OR-cs.AI_max20_2026-04-30.xml'),
  'arxiv-rss': load('arxiv-rss/distill_rss_cs.AI_3items.xml'),
  'arxiv-oai': load('arxiv-oai/arXivOAIHarvester_ListRecords_arXivRaw_with-resumptionToken_2015-01-06.xml'),
  'hf-daily-papers': load('hf-daily-papers/all-news-ai_daily_papers_5items_2026-07-31.json'),
  'hf-papers-html': load('hf-papers-html/slbqc_huggingface.co_papers_date-2024-08-01.html'),
  'daily-papers-text': load('daily-papers-text/daily-papers-sep-1.txt'),
  jsonl: Buffer.from(
    [
      { id: 'a', title: 'A title', abstract: 'An abstract with 1.9\\% gains, code at https://github.com/a/b.' },
      { id: 'b', title: 'B title', abstract: 'Another abstract --- with $\\times$ and ~10x.' },
    ]
      .map((o) => JSON.stringify(o))
      .join('\n'),
  ),
};

// Strings shaped to hurt: deep nesting, backtracking bait for every regex family we use, NULs, lone surrogates.
const HOSTILE: string[] = [
  '\u0000'.repeat(64),
  '\ud800',
  'x\udc00y\ud83d',
  '<a>'.repeat(5_000),
  '['.repeat(100_000),
  '{"a":'.repeat(20_000),
  '$'.repeat(50_000),
  '$a'.repeat(30_000),
  '\\'.repeat(50_000),
  '\\emph{'.repeat(20_000),
  '{'.repeat(50_000) + '}'.repeat(10),
  'https://' + 'a'.repeat(100_000),
  'http://x.y/' + ')'.repeat(50_000),
  'github.com/' + '/'.repeat(50_000),
  ' github.com/a' + '.'.repeat(50_000),
  '&#x'.repeat(30_000),
  '&amp;'.repeat(30_000),
  '--'.repeat(50_000),
  '~'.repeat(50_000),
  ' '.repeat(100_000) + 'x',
  '('.repeat(50_000),
  ','.repeat(100_000),
  ' and '.repeat(30_000),
  'arXiv:' + '1'.repeat(50_000) + ' Announce Type: ',
  '<!DOCTYPE x>',
  '<![CDATA[',
  ']]>',
  '\n\n' + 'T'.repeat(250) + '\n\n' + 'word. '.repeat(50_000),
  '\n\nSep 1\n\n'.repeat(10_000),
  'A'.repeat(1_000_000),
];

type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'bytes'; edits: [number, number][] }
  | { kind: 'insert'; at: number; payload: string }
  | { kind: 'delete'; at: number; len: number }
  | { kind: 'field'; nth: number; payload: string };

// Where a field's text starts in each format, and how to escape a payload so the document stays well-formed:
// these mutations reach the field-level code (normalisation, limits, links) instead of failing at the syntax.
const xmlEscape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const jsonEscape = (s: string): string => JSON.stringify(s).slice(1, -1);
const FIELD_SITES: Record<FeedFormat, { markers: RegExp; escape: (s: string) => string }> = {
  'arxiv-api': { markers: /<(?:summary|title|name|arxiv:comment)>/g, escape: xmlEscape },
  'arxiv-rss': { markers: /<(?:description|title|dc:creator|guid[^>]*)>/g, escape: xmlEscape },
  'arxiv-oai': { markers: /<(?:abstract|title|authors|comments|id)>/g, escape: xmlEscape },
  'hf-daily-papers': { markers: /"(?:summary|title|name|githubRepo|projectPage)": "/g, escape: jsonEscape },
  'hf-papers-html': {
    markers: /&quot;(?:summary|title|name)&quot;:&quot;/g,
    escape: (s) => jsonEscape(s).replace(/&/g, '&amp;').replace(/"/g, '&quot;'),
  },
  'daily-papers-text': { markers: /\n\n/g, escape: (s) => s },
  jsonl: { markers: /"(?:abstract|title|id)":"/g, escape: jsonEscape },
};

const position = fc.double({ min: 0, max: 1, noNaN: true });
const payload = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 1, arbitrary: fc.constantFrom('<', '>', '"', '&', '</entry>', '</item>', '</record>', '}', ']', '\n\n', '\r', '\uFEFF') },
);
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: position }),
  fc.record({
    kind: fc.constant('bytes' as const),
    edits: fc.array(fc.tuple(position, fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 30 }),
  }),
  fc.record({ kind: fc.constant('insert' as const), at: position, payload }),
  fc.record({ kind: fc.constant('delete' as const), at: position, len: fc.integer({ min: 1, max: 5_000 }) }),
  fc.record({ kind: fc.constant('field' as const), nth: fc.nat(), payload }),
  fc.record({ kind: fc.constant('field' as const), nth: fc.nat(), payload }),
);

function apply(format: FeedFormat, base: Buffer, mutations: Mutation[]): Buffer | string {
  let body: Buffer | string = base;
  for (const m of mutations) {
    const len = body.length;
    const at = (p: number): number => Math.floor(p * len);
    switch (m.kind) {
      case 'truncate':
        body = body.slice(0, at(m.at));
        break;
      case 'bytes': {
        const bytes: Buffer = Buffer.from(typeof body === 'string' ? Buffer.from(body, 'utf8') : body);
        for (const [p, b] of m.edits) if (bytes.length > 0) bytes[Math.min(bytes.length - 1, Math.floor(p * bytes.length))] = b;
        body = bytes;
        break;
      }
      case 'insert': {
        // Strings keep lone surrogates as they are; a Buffer body would re-encode them as U+FFFD.
        const text: string = typeof body === 'string' ? body : body.toString('utf8');
        const i = Math.floor(m.at * text.length);
        body = text.slice(0, i) + m.payload + text.slice(i);
        break;
      }
      case 'delete': {
        const i = at(m.at);
        body = typeof body === 'string' ? body.slice(0, i) + body.slice(i + m.len) : Buffer.concat([body.subarray(0, i), body.subarray(i + m.len)]);
        break;
      }
      case 'field': {
        const text: string = typeof body === 'string' ? body : body.toString('utf8');
        const site = FIELD_SITES[format];
        const ends = [...text.matchAll(site.markers)].map((x) => (x.index ?? 0) + x[0].length);
        if (ends.length === 0) break;
        const i = ends[m.nth % ends.length];
        body = text.slice(0, i) + site.escape(m.payload) + text.slice(i);
        break;
      }
    }
  }
  return body;
}

const timings: number[] = [];
const outcomes = { parsed: 0, withPapers: 0, feedError: 0 };

function checkContract(body: Buffer | string, format: FeedFormat | undefined): void {
  const started = performance.now();
  let result: ParseResult | undefined;
  try {
    result = parseDocument({ body, format });
  } catch (err) {
    if (!(err instanceof FeedError)) throw new Error(`non-FeedError thrown: ${String(err)}`);
    outcomes.feedError++;
  }
  const ms = performance.now() - started;
  timings.push(ms);
  if (ms > MAX_MS_PER_CALL) throw new Error(`parseDocument took ${ms.toFixed(0)} ms`);
  if (result) {
    outcomes.parsed++;
    if (result.papers.length > 0) outcomes.withPapers++;
    if (!(FEED_FORMATS as readonly string[]).includes(result.format)) throw new Error(`bad format ${result.format}`);
    if (!Array.isArray(result.papers) || !Array.isArray(result.errors)) throw new Error('bad result shape');
    for (const p of result.papers) {
      if (typeof p.title !== 'string' || p.title.length === 0 || p.title.length > 2_000) throw new Error('bad title');
      if (typeof p.abstract !== 'string' || p.abstract.length === 0 || p.abstract.length > 100_000) throw new Error('bad abstract');
      if ((p.title + p.abstract + (p.originalAbstract ?? '')).includes('\u0000')) throw new Error('NUL in stored text');
    }
  }
}

describe('fuzz: parseDocument never throws anything but FeedError, in bounded time', () => {
  afterAll(() => {
    const sorted = [...timings].sort((a, b) => a - b);
    const total = sorted.reduce((a, b) => a + b, 0);
    const p = (q: number): string => (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0).toFixed(1);
    // Printed, not asserted: benchmarks print numbers.
    process.stdout.write(
      `fuzz: ${sorted.length} calls, ${RUNS} runs/parser, total ${(total / 1000).toFixed(1)} s, p50 ${p(0.5)} ms, p99 ${p(0.99)} ms, max ${p(1)} ms; ${outcomes.parsed} parsed (${outcomes.withPapers} with papers), ${outcomes.feedError} FeedError\n`,
    );
  });

  it.each(FEED_FORMATS.map((f) => [f]))('%s: mutated fixture bytes, detected and explicit format', (format) => {
    const base = BASES[format];
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.boolean(), (mutations, explicit) => {
        checkContract(apply(format, base, mutations), explicit ? format : undefined);
      }),
      { numRuns: RUNS, seed: process.env['FUZZ_SEED'] ? Number(process.env['FUZZ_SEED']) : undefined },
    );
  });

  it('arbitrary strings and hostile payloads alone, under every format', () => {
    fc.assert(
      fc.property(fc.oneof(payload, fc.string({ unit: 'binary', maxLength: 2_000 })), fc.constantFrom(undefined, ...FEED_FORMATS), (body, format) => {
        checkContract(body, format);
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it('text helpers never throw and stay fast on hostile strings', () => {
    for (const s of HOSTILE) {
      const started = performance.now();
      normalizeText(s);
      normalizeText(s, { latex: false });
      extractLinks(s);
      parseArxivId(s);
      expect(performance.now() - started).toBeLessThan(MAX_MS_PER_CALL);
    }
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 500 }), (s) => {
        const once = normalizeText(s);
        extractLinks(s);
        parseArxivId(s);
        return !once.includes('\u0000');
      }),
      { numRuns: RUNS * 5 },
    );
  });
});

describe('1 MB abstracts become entry errors, other entries are kept', () => {
  const big = 'We show that '.repeat(80_000); // ~1 MB
  const good = 'A normal abstract that is long enough to be read as an abstract by every parser we have. '.repeat(3);
  const cases: [FeedFormat, string][] = [
    ['arxiv-api', `<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/abs/2401.00001v1</id><title>Big</title><summary>${big}</summary></entry><entry><id>http://arxiv.org/abs/2401.00002v1</id><title>Small</title><summary>${good}</summary></entry></feed>`],
    ['arxiv-rss', `<rss version="2.0"><channel><item><title>Big</title><description>${big}</description><guid>oai:arXiv.org:2401.00001v1</guid></item><item><title>Small</title><description>${good}</description><guid>oai:arXiv.org:2401.00002v1</guid></item></channel></rss>`],
    ['arxiv-oai', `<OAI-PMH><ListRecords><record><header><identifier>oai:arXiv.org:2401.00001</identifier></header><metadata><arXiv><id>2401.00001</id><title>Big</title><abstract>${big}</abstract></arXiv></metadata></record><record><header><identifier>oai:arXiv.org:2401.00002</identifier></header><metadata><arXiv><id>2401.00002</id><title>Small</title><abstract>${good}</abstract></arXiv></metadata></record></ListRecords></OAI-PMH>`],
    ['hf-daily-papers', JSON.stringify([{ paper: { id: '2401.00001', title: 'Big', summary: big } }, { paper: { id: '2401.00002', title: 'Small', summary: good } }])],
    ['hf-papers-html', `<html><body><div data-target="DailyPapers" data-props="${JSON.stringify({ dailyPapers: [{ paper: { id: '2401.00001', title: 'Big', summary: big } }, { paper: { id: '2401.00002', title: 'Small', summary: good } }] }).replace(/"/g, '&quot;')}"></div></body></html>`],
    ['daily-papers-text', `Daily Papers\n\nBig\n\n${big}\n\nSmall\n\n${good}\n`],
    ['jsonl', `${JSON.stringify({ id: 'big', title: 'Big', abstract: big })}\n${JSON.stringify({ id: 'small', title: 'Small', abstract: good })}\n`],
  ];

  it.each(cases)('%s', (format, body) => {
    const started = performance.now();
    const r = parseDocument({ body: Buffer.from(body, 'utf8') });
    expect(performance.now() - started).toBeLessThan(MAX_MS_PER_CALL);
    expect(r.format).toBe(format);
    expect(r.papers.map((p) => p.title)).toEqual(['Small']);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0].message).toMatch(/^abstract too long \((1039999|1040000) > 100000 characters\)$/);
  });
});
