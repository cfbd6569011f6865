// Piecewise parsing of large documents: JSON Lines, JSON arrays (HF daily papers, JSONL-as-array), OAI-PMH
// ListRecords pages and arXiv API (Atom) feeds. The document arrives as byte pieces (e.g. slices of a raw_documents row) and comes out as
// batches of papers, so memory follows the batch and the piece, not the document (issue 14 item 11).
//
// The splitters work on bytes: every delimiter they look for ('\n', '"', '\\', brackets, ',', '<record', '</record>')
// is ASCII, and in UTF-8 an ASCII byte never occurs inside a multi-byte sequence, so a slice cut at one is whole
// characters. Each entry (a line, an array element, a record) is decoded on its own. Entry numbering matches the
// whole-document parsers: a JSONL entry error carries its 0-based line index, an array element or record its index.
import type { CanonicalPaper, EntryError, FeedFormat } from '@paperwire/contracts';
import { TextDecoder } from 'node:util';
import { checkAtomDocument, parseAtomEntries } from '../parsers/arxiv-atom.parser';
import { parseArxivOai } from '../parsers/arxiv-oai.parser';
import { parseDailyPaperItems } from '../parsers/hf-daily-papers.parser';
import { isJsonlRecord, parseJsonArrayRecords } from '../parsers/jsonl.parser';
import { FeedError } from './feed-error';
import { NO_ARXIV_ID } from './paper-builder';
import { jsonFormatOf } from './format-detect';
import { asArray, child, readXml, refuseDtd, xmlRootName } from './xml-reader';

export type StreamKind = 'json-lines' | 'json-array' | 'oai-records' | 'atom-entries';

/** How a document is read piecewise; `format` is undefined for a JSON array until its first object is seen. */
export interface StreamPlan {
  kind: StreamKind;
  format?: FeedFormat;
}

export interface StreamedBatch {
  papers: CanonicalPaper[];
  errors: EntryError[];
}

const UTF8_CHARSET = /^(utf-?8|us-ascii|ascii)$/i;

function charsetOf(contentType: string | undefined): string | undefined {
  return contentType ? /charset\s*=\s*"?([A-Za-z0-9_.:-]{1,40})/i.exec(contentType)?.[1] : undefined;
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return i < 0 ? s : s.slice(0, i);
}

/**
 * Whether a document can be parsed piecewise, decided from its first bytes (64 KB is plenty). Only UTF-8
 * (or ASCII) documents qualify; null means "parse it whole" (other charsets, other formats, anything unclear).
 */
export function planStream(
  head: Buffer,
  opts: { contentType?: string; format?: FeedFormat } = {},
): StreamPlan | null {
  if (head.length >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))) return null;
  const declared = charsetOf(opts.contentType);
  if (declared && !UTF8_CHARSET.test(declared)) return null;
  const bom = head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
  const text = head.subarray(bom ? 3 : 0).toString('utf8').trimStart();
  const { format } = opts;
  if (text.startsWith('{')) {
    if (format !== undefined && format !== 'jsonl') return null;
    // Undetected: the first line must be a {title, abstract} record, as detection would require.
    if (format === undefined) {
      const line = firstLine(text);
      if (line.length === text.length) return null;
      try {
        if (!isJsonlRecord(JSON.parse(line))) return null;
      } catch {
        return null;
      }
    }
    return { kind: 'json-lines', format: 'jsonl' };
  }
  if (text.startsWith('[')) {
    if (format !== undefined && format !== 'jsonl' && format !== 'hf-daily-papers') return null;
    return { kind: 'json-array', format };
  }
  if (text.startsWith('<')) {
    if (format !== undefined && format !== 'arxiv-oai' && format !== 'arxiv-api') return null;
    const xmlDecl = /^<\?xml[^>]{0,150}?encoding\s*=\s*["']([A-Za-z0-9_.:-]{1,40})["']/.exec(text);
    if (xmlDecl && !UTF8_CHARSET.test(xmlDecl[1])) return null;
    // Errors and DTDs come before the records; documents with them are small and parsed whole.
    if (text.includes('<!') && /<!(DOCTYPE|ENTITY|ELEMENT|ATTLIST)/i.test(text)) return null;
    const root = xmlRootName(text);
    if (root === 'feed' && format !== 'arxiv-oai') return { kind: 'atom-entries', format: 'arxiv-api' };
    if (root !== 'OAI-PMH' || format === 'arxiv-api' || /<error[\s>]/.test(text)) return null;
    return { kind: 'oai-records', format: 'arxiv-oai' };
  }
  return null;
}

const isWhitespace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** Splits a JSON array, piece by piece, into the bytes of its top-level elements. */
export class JsonArraySplitter {
  private started = false;
  private ended = false;
  private open = false;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private afterComma = false;
  private partial: Buffer[] = [];
  private bom = true;

  push(piece: Buffer): Buffer[] {
    const out: Buffer[] = [];
    let i = 0;
    if (this.bom && piece.length >= 3 && piece[0] === 0xef && piece[1] === 0xbb && piece[2] === 0xbf) i = 3;
    this.bom = false;
    let start = this.open ? 0 : -1;
    const finish = (end: number) => {
      const tail = piece.subarray(start, end);
      out.push(this.partial.length > 0 ? Buffer.concat([...this.partial, tail]) : Buffer.from(tail));
      this.partial = [];
      this.open = false;
      start = -1;
    };
    for (; i < piece.length; i++) {
      const c = piece[i];
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 0x5c) this.escaped = true;
        else if (c === 0x22) this.inString = false;
        continue;
      }
      if (!this.started) {
        if (isWhitespace(c)) continue;
        if (c !== 0x5b) throw new FeedError('malformed', 'invalid JSON');
        this.started = true;
        continue;
      }
      if (this.ended) {
        if (isWhitespace(c)) continue;
        throw new FeedError('malformed', 'invalid JSON: content after the array');
      }
      if (this.depth > 0) {
        if (c === 0x22) this.inString = true;
        else if (c === 0x7b || c === 0x5b) this.depth++;
        else if (c === 0x7d || c === 0x5d) this.depth--;
        continue;
      }
      if (isWhitespace(c)) continue;
      if (c === 0x2c) {
        if (!this.open) throw new FeedError('malformed', 'invalid JSON: empty array element');
        finish(i);
        this.afterComma = true;
        continue;
      }
      if (c === 0x5d) {
        if (this.open) finish(i);
        else if (this.afterComma) throw new FeedError('malformed', 'invalid JSON: trailing comma');
        this.ended = true;
        continue;
      }
      if (!this.open) {
        this.open = true;
        this.afterComma = false;
        start = i;
      }
      if (c === 0x22) this.inString = true;
      else if (c === 0x7b || c === 0x5b) this.depth++;
      else if (c === 0x7d) throw new FeedError('malformed', 'invalid JSON: unbalanced }');
    }
    if (this.open) this.partial.push(Buffer.from(piece.subarray(start)));
    return out;
  }

  /** Throws for a document that is not one complete array. */
  end(): void {
    if (!this.started) throw new FeedError('malformed', 'invalid JSON: empty document');
    if (!this.ended) throw new FeedError('malformed', 'invalid JSON: the array is not closed (truncated document?)');
  }
}

/**
 * How many top-level elements a JSON array has, read in slices of `sliceBytes` without parsing the elements
 * (the fetcher's "is this HF page full?"): memory follows the slice, not the page. Throws FeedError when the
 * body is not one complete array.
 */
export function countJsonArrayElements(body: Buffer, sliceBytes = 256 * 1024): number {
  const splitter = new JsonArraySplitter();
  let count = 0;
  for (let at = 0; at < body.length; at += sliceBytes) count += splitter.push(body.subarray(at, at + sliceBytes)).length;
  splitter.end();
  return count;
}

/** Splits JSON Lines, piece by piece, into complete lines (bytes, without the line break). */
export class LineSplitter {
  private carry: Buffer | null = null;
  private bom = true;

  push(piece: Buffer): Buffer[] {
    let buf = this.carry ? Buffer.concat([this.carry, piece]) : piece;
    if (this.bom && buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
    if (buf.length >= 3) this.bom = false;
    const out: Buffer[] = [];
    let from = 0;
    for (let nl = buf.indexOf(0x0a, from); nl >= 0; nl = buf.indexOf(0x0a, from)) {
      out.push(buf.subarray(from, nl > from && buf[nl - 1] === 0x0d ? nl - 1 : nl));
      from = nl + 1;
    }
    this.carry = from < buf.length ? Buffer.from(buf.subarray(from)) : null;
    return out;
  }

  end(): Buffer[] {
    const last = this.carry;
    this.carry = null;
    if (!last) return [];
    return [last.length > 0 && last[last.length - 1] === 0x0d ? last.subarray(0, last.length - 1) : last];
  }
}

/** Bytes kept before the first element / after the last one: a page's header and trailer are small. */
const MAX_FRAME_BYTES = 1024 * 1024;

/** What an XML page's list is made of: OAI-PMH `<record>`s in `<OAI-PMH>`, Atom `<entry>`s in `<feed>`. */
interface XmlList {
  element: string;
  root: string;
  /** what the page is called in messages */
  page: string;
  /** whether an `<error>` before the first element is the page's (OAI-PMH) error answer */
  errorElement: boolean;
}

const OAI_LIST: XmlList = { element: 'record', root: 'OAI-PMH', page: 'OAI-PMH page', errorElement: true };
const ATOM_LIST: XmlList = { element: 'entry', root: 'feed', page: 'Atom feed', errorElement: false };

/** Splits an XML page, piece by piece, into the bytes of its list elements (OAI-PMH records, Atom entries). */
export class XmlElementSplitter {
  private carry: Buffer = Buffer.alloc(0);
  /** text before the first element (checked for DTDs and OAI errors) */
  private head = '';
  /** text after the latest element (the resumptionToken and the closing tags, once the page ends) */
  private trailer = '';
  private seenElement = false;
  private readonly open: Buffer;
  private readonly close: Buffer;
  private readonly rootEnd: RegExp;

  constructor(private readonly list: XmlList = OAI_LIST) {
    this.open = Buffer.from(`<${list.element}`);
    this.close = Buffer.from(`</${list.element}>`);
    this.rootEnd = new RegExp(`</(?:[A-Za-z_][\\w.-]*:)?${list.root}>\\s*$`);
  }

  push(piece: Buffer): Buffer[] {
    const buf = this.carry.length > 0 ? Buffer.concat([this.carry, piece]) : piece;
    const out: Buffer[] = [];
    let pos = 0;
    for (;;) {
      const open = this.findOpen(buf, pos);
      if (open < 0) {
        // Keep what could be the start of a split opening tag.
        const keepFrom = Math.max(pos, buf.length - this.open.length);
        this.noteFrame(buf.subarray(pos, keepFrom));
        this.carry = Buffer.from(buf.subarray(keepFrom));
        return out;
      }
      this.noteFrame(buf.subarray(pos, open));
      const close = buf.indexOf(this.close, open);
      if (close < 0) {
        this.carry = Buffer.from(buf.subarray(open));
        return out;
      }
      out.push(Buffer.from(buf.subarray(open, close + this.close.length)));
      this.seenElement = true;
      this.trailer = '';
      pos = close + this.close.length;
    }
  }

  /** Checks the frame around the elements: a page cut short is malformed, as the whole-document parser says. */
  end(): void {
    this.noteFrame(this.carry);
    this.carry = Buffer.alloc(0);
    refuseDtd(this.head);
    refuseDtd(this.trailer);
    const tail = this.seenElement ? this.trailer : this.head;
    if (!this.rootEnd.test(tail))
      throw new FeedError('malformed', `not well-formed XML: the ${this.list.page} ends before </${this.list.root}> (is the file cut short?)`);
  }

  private findOpen(buf: Buffer, from: number): number {
    for (let at = buf.indexOf(this.open, from); at >= 0; at = buf.indexOf(this.open, at + 1)) {
      const next = buf[at + this.open.length];
      if (next === undefined) return -1;
      if (next === 0x3e || isWhitespace(next)) return at;
    }
    return -1;
  }

  private noteFrame(bytes: Buffer): void {
    if (bytes.length === 0) return;
    const text = bytes.toString('utf8');
    if (this.seenElement) {
      this.trailer += text;
      if (this.trailer.length > MAX_FRAME_BYTES)
        throw new FeedError('malformed', `not well-formed XML: more than 1 MB between two <${this.list.element}> elements`);
      return;
    }
    this.head += text;
    if (this.head.length > MAX_FRAME_BYTES)
      throw new FeedError('malformed', `${this.list.page} without ${this.list.element}s in its first MB`);
    if (this.list.errorElement && /<error[\s>]/.test(this.head))
      throw new FeedError('malformed', `${this.list.root} error response in a large page`);
  }
}

/** Splits an OAI-PMH ListRecords page, piece by piece, into the bytes of its <record> elements. */
export class OaiRecordSplitter extends XmlElementSplitter {
  constructor() {
    super(OAI_LIST);
  }
}

const NEWLINE = Buffer.from('\n');
const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8', { fatal: false });
export const INVALID_UTF8_WARNING = 'document: invalid utf-8 byte sequences were replaced with U+FFFD';

/**
 * Parses a document given as byte pieces into batches of about `batchEntries` entries. Whole-document
 * problems (a JSON array that is not closed, a truncated OAI page, no JSONL record at all) throw FeedError,
 * possibly after earlier batches were returned; entry problems are in each batch's `errors`.
 * `warnings` holds document-level notes (invalid UTF-8) once the stream is consumed.
 */
export class DocumentStream {
  format: FeedFormat | undefined;
  readonly warnings: string[] = [];
  private entryIndex = 0;
  private sawJsonlRecord = false;
  /** Atom: what the whole-feed checks need (entries, the API's error entries, entries without an arXiv id) */
  private atom = { entries: 0, errorEntries: [] as string[], withoutArxivId: 0 };

  constructor(
    private readonly plan: StreamPlan,
    private readonly batchEntries: number,
  ) {
    this.format = plan.format;
  }

  async *batches(pieces: AsyncIterable<Buffer>): AsyncGenerator<StreamedBatch> {
    let pending: Buffer[] = [];
    const lines = this.plan.kind === 'json-lines' ? new LineSplitter() : undefined;
    const array = this.plan.kind === 'json-array' ? new JsonArraySplitter() : undefined;
    const records =
      this.plan.kind === 'oai-records'
        ? new OaiRecordSplitter()
        : this.plan.kind === 'atom-entries'
          ? new XmlElementSplitter(ATOM_LIST)
          : undefined;
    for await (const piece of pieces) {
      const entries = lines?.push(piece) ?? array?.push(piece) ?? records!.push(piece);
      for (const entry of entries) {
        pending.push(entry);
        if (pending.length >= this.batchEntries) {
          yield this.parseBatch(pending);
          pending = [];
        }
      }
    }
    if (lines) pending.push(...lines.end());
    array?.end();
    records?.end();
    if (pending.length > 0) yield this.parseBatch(pending);
    if (this.plan.kind === 'json-lines' && !this.sawJsonlRecord)
      throw new FeedError('malformed', 'no line is a {title, abstract} JSON object');
    if (this.plan.kind === 'atom-entries') {
      // The whole-feed checks, on counts: when they fail, every entry failed and no paper was returned.
      const { entries, errorEntries, withoutArxivId } = this.atom;
      checkAtomDocument(entries, errorEntries, Array.from({ length: withoutArxivId }, () => ({ message: NO_ARXIV_ID })));
    }
    this.format ??= this.plan.format ?? 'hf-daily-papers';
  }

  private decode(bytes: Buffer): string {
    try {
      return fatalUtf8.decode(bytes);
    } catch {
      if (!this.warnings.includes(INVALID_UTF8_WARNING)) this.warnings.push(INVALID_UTF8_WARNING);
      return lenientUtf8.decode(bytes);
    }
  }

  private parseBatch(entries: Buffer[]): StreamedBatch {
    const first = this.entryIndex;
    this.entryIndex += entries.length;
    switch (this.plan.kind) {
      case 'json-lines':
        return this.parseLines(entries, first);
      case 'json-array':
        return this.parseElements(entries, first);
      case 'oai-records':
        return this.parseRecords(entries, first);
      case 'atom-entries':
        return this.parseAtomEntries(entries, first);
    }
  }

  private parseLines(entries: Buffer[], first: number): StreamedBatch {
    const records: unknown[] = [];
    const lineOf: number[] = [];
    const errors: EntryError[] = [];
    entries.forEach((bytes, i) => {
      const line = this.decode(bytes);
      if (line.trim().length === 0) return;
      try {
        const value: unknown = JSON.parse(line);
        records.push(value);
        lineOf.push(first + i);
        if (!this.sawJsonlRecord && isJsonlRecord(value)) this.sawJsonlRecord = true;
      } catch {
        errors.push({ index: first + i, line: first + i + 1, message: 'not valid JSON' });
      }
    });
    const parsed = parseJsonArrayRecords(records);
    const entryErrors = parsed.errors.map((e) => ({ ...e, index: lineOf[e.index ?? 0], line: lineOf[e.index ?? 0]! + 1 }));
    return {
      papers: parsed.papers,
      errors: [...errors, ...entryErrors].sort((a, b) => (a.index ?? 0) - (b.index ?? 0)),
    };
  }

  private parseElements(entries: Buffer[], first: number): StreamedBatch {
    const items: unknown[] = [];
    const indexOf: number[] = [];
    const errors: EntryError[] = [];
    entries.forEach((bytes, i) => {
      try {
        items.push(JSON.parse(this.decode(bytes)));
        indexOf.push(first + i);
      } catch {
        errors.push({ index: first + i, message: 'not valid JSON' });
      }
    });
    if (this.format === undefined) {
      const firstObject = items.find((v) => typeof v === 'object' && v !== null);
      if (firstObject !== undefined) {
        const format = jsonFormatOf([firstObject]);
        if (!format) throw new FeedError('unknown-format', 'JSON that is neither daily-papers items nor {title, abstract} records');
        this.format = format;
      }
    }
    const parsed =
      this.format === 'jsonl' ? parseJsonArrayRecords(items) : parseDailyPaperItems(items, 'hf-daily-papers');
    const entryErrors = parsed.errors.map((e) => ({ ...e, index: indexOf[e.index ?? 0] }));
    return {
      papers: parsed.papers,
      errors: [...errors, ...entryErrors].sort((a, b) => (a.index ?? 0) - (b.index ?? 0)),
    };
  }

  /**
   * The entries joined by newlines between `open` and `close`, decoded at once: the same text as decoding each
   * entry on its own (every entry starts and ends with an ASCII byte, '<' and '>', so no byte sequence spans two
   * of them, and the invalid-UTF-8 warning is noted once either way), as one flat string.
   */
  private decodeJoined(open: string, entries: Buffer[], close: string): string {
    const parts: Buffer[] = [Buffer.from(open)];
    entries.forEach((entry, i) => {
      if (i > 0) parts.push(NEWLINE);
      parts.push(entry);
    });
    parts.push(Buffer.from(close));
    return this.decode(Buffer.concat(parts));
  }

  private parseRecords(entries: Buffer[], first: number): StreamedBatch {
    const xml = this.decodeJoined('<OAI-PMH><ListRecords>', entries, '</ListRecords></OAI-PMH>');
    const parsed = parseArxivOai(readXml(xml));
    return {
      papers: parsed.papers,
      errors: parsed.errors.map((e) => ({ ...e, index: first + (e.index ?? 0) })),
    };
  }

  private parseAtomEntries(entries: Buffer[], first: number): StreamedBatch {
    const xml = this.decodeJoined('<feed>', entries, '</feed>');
    const elements = asArray(child(readXml(xml)['feed'], 'entry'));
    const parsed = parseAtomEntries(elements);
    this.atom.entries += elements.length;
    this.atom.errorEntries.push(...parsed.errorEntries);
    this.atom.withoutArxivId += parsed.errors.filter((e) => e.message === NO_ARXIV_ID).length;
    return {
      papers: parsed.papers,
      errors: parsed.errors.map((e) => ({ ...e, index: first + (e.index ?? 0) })),
    };
  }
}
