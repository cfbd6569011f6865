// Output parity of the feed parsers (libs/feeds) across a code change: `--write` dumps what the current build makes
// of a fixed set of documents, `--check` compares the current build with such a dump and counts the outputs that
// differ, per set. A performance change must report 0 differences everywhere.
//   sets      every fixture under libs/feeds/fixtures (ok, hand-made-ok, not-ok: all formats), whole
//             (parseDocument) and, where planStream takes it, streamed (DocumentStream) at three slice and batch
//             sizes; 40 seeded mutations of each fixture (bytes cut, inserted, replaced: the fallback and error
//             paths); the bench's 1,000-record arXivRaw pages (tools/bench/corpus) whole and streamed as the parser
//             service reads them (256 KB slices, 200-record chunks); the offered load's 10-record documents
//   outputs   the ParseResult (format, every field of every paper, entry errors, paging) or the FeedError (code,
//             message); per paper also paperKey, the title-only key and contentHash, as the parser service
//             computes them; streamed: every batch, the warnings, the format and the error that ended the stream
// Fixture outputs are kept whole (a difference is printed); the bench outputs as a sha256 each.
// Usage: node tools/run.js tools/bench/feeds-parity --write FILE | --check FILE [--pages N (20)] [--offered N (200)]
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { CanonicalPaper, ParseResult } from '@paperwire/contracts';
import { findRepoRoot } from '@paperwire/classification';
import {
  DocumentStream,
  FeedError,
  contentHash,
  paperKey,
  parseDocument,
  planStream,
} from '@paperwire/feeds';
import { loadBaseTexts, oaiPage, rand, type CorpusOptions } from './corpus';
import { argOf, runParity, type Dump, type Verdict } from './parity-dump';

const ROOT = findRepoRoot(__dirname);
const FIXTURES = join(ROOT, 'libs', 'feeds', 'fixtures');
const PAGES = Number(argOf('pages') ?? 20);
const OFFERED = Number(argOf('offered') ?? 200);
const MUTATIONS = 40;

const sha = (v: unknown): string =>
  createHash('sha256')
    .update(JSON.stringify(v) ?? 'undefined')
    .digest('hex');

function failure(err: unknown): unknown {
  return err instanceof FeedError
    ? { error: err.code, message: err.message }
    : { crash: err instanceof Error ? err.message : String(err) };
}

/** What the parser service computes from a paper besides the paper: its key, its weaker title key, its hash. */
const identity = (p: CanonicalPaper): string[] => [
  paperKey(p),
  paperKey({ externalIds: {}, title: p.title }),
  contentHash(p.title, p.abstract),
];

function whole(
  body: Buffer,
  opts: { fileName?: string; format?: ParseResult['format']; contentType?: string },
): unknown {
  try {
    const r = parseDocument({ body, ...opts });
    return { ...r, identity: r.papers.map(identity) };
  } catch (err) {
    return failure(err);
  }
}

async function* slices(body: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let at = 0; at < body.length; at += size) yield body.subarray(at, at + size);
}

/** DocumentStream as the parser service drives it; null when planStream would parse the document whole. */
async function streamed(
  body: Buffer,
  sliceBytes: number,
  batch: number,
  contentType?: string,
): Promise<unknown> {
  const plan = planStream(body.subarray(0, 64 * 1024), { contentType });
  if (!plan) return null;
  const stream = new DocumentStream(plan, batch);
  const batches: unknown[] = [];
  let end: unknown = null;
  try {
    for await (const b of stream.batches(slices(body, sliceBytes)))
      batches.push({ ...b, identity: b.papers.map(identity) });
  } catch (err) {
    end = failure(err);
  }
  return { batches, end, warnings: stream.warnings, format: stream.format ?? null };
}

function fixtureFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) return fixtureFiles(p);
      return /PROVENANCE|README|\.ts$/.test(name) ? [] : [p];
    });
}

const MUTATION_PIECES = [
  '<',
  '>',
  '</',
  '/>',
  '&',
  '&amp;',
  '&#x;',
  '"',
  "'",
  '=',
  ' ',
  '\r\n',
  '<!--x-->',
  '<![CDATA[x]]>',
  '\ufeff',
  'é',
  '{',
  '}',
  ',',
  '\n',
  '\\',
  '$',
  '\u0000',
];

/** The n-th seeded mutation of a document: one to three cuts, insertions or replacements. */
function mutate(body: Buffer, n: number, salt: number): Buffer {
  let text = body.toString('latin1');
  const edits = 1 + Math.floor(rand(n, salt) * 3);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rand(n * 7 + e, salt + 1) * text.length);
    const cut = Math.floor(rand(n * 7 + e, salt + 2) * 4);
    const piece = MUTATION_PIECES[Math.floor(rand(n * 7 + e, salt + 3) * MUTATION_PIECES.length)];
    text = text.slice(0, at) + Buffer.from(piece, 'utf8').toString('latin1') + text.slice(at + cut);
  }
  return Buffer.from(text, 'latin1');
}

async function outputs(): Promise<Dump> {
  const dump: Dump = {};
  const files = fixtureFiles(FIXTURES);
  for (const [k, file] of files.entries()) {
    const name = relative(FIXTURES, file);
    const body = readFileSync(file);
    // The fixture's name as the file name (detection reads its extension; messages quote it).
    dump[`fixture ${name}`] = [whole(body, { fileName: name })];
    const runs: unknown[] = [];
    for (const [sliceBytes, batch] of [
      [7, 1],
      [1024, 3],
      [256 * 1024, 200],
    ] as const)
      runs.push(await streamed(body, sliceBytes, batch));
    dump[`stream ${name}`] = runs;
    const mutated: unknown[] = [];
    for (let n = 0; n < MUTATIONS; n++) {
      const m = mutate(body, n, 100 + k);
      mutated.push([whole(m, { fileName: name }), await streamed(m, 512, 2)]);
    }
    dump[`mutated ${name}`] = mutated;
  }
  const base = loadBaseTexts(ROOT);
  const corpus: CorpusOptions = { records: PAGES * 1000, duplicateRate: 0.05, versionRate: 0.05 };
  const contentType = 'text/xml; charset=utf-8';
  const pages: unknown[] = [];
  const pagesStreamed: unknown[] = [];
  for (let p = 0; p < PAGES; p++) {
    const body = Buffer.from(oaiPage(p, 1000, base, corpus), 'utf8');
    const w = whole(body, { contentType }) as { papers?: unknown[] };
    for (const paper of w.papers ?? [w]) pages.push(sha(paper));
    pages.push(sha({ ...w, papers: undefined }));
    const s = (await streamed(body, 256 * 1024, 200, contentType)) as {
      batches: { papers: unknown[] }[];
    } | null;
    for (const b of s?.batches ?? []) for (const paper of b.papers) pagesStreamed.push(sha(paper));
    pagesStreamed.push(sha({ ...s, batches: s?.batches.map((b) => ({ ...b, papers: b.papers.length })) }));
  }
  dump['bench pages, whole'] = pages;
  dump['bench pages, streamed'] = pagesStreamed;
  const offered: unknown[] = [];
  const endless = { records: Number.MAX_SAFE_INTEGER, duplicateRate: 0, versionRate: 0 };
  for (let n = 0; n < OFFERED; n++)
    offered.push(
      sha(whole(Buffer.from(oaiPage(PAGES * 100 + n, 10, base, endless)), { format: 'arxiv-oai' })),
    );
  dump['offered documents'] = offered;
  return dump;
}

/** Outputs are compared whole (the bench's are sha256 strings): no tolerance. */
const compare = (a: unknown, b: unknown): Verdict => (isDeepStrictEqual(a, b) ? 'same' : 'differs');

void runParity('feeds-parity', outputs, compare);
