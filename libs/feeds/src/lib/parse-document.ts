import type { FeedFormat, ParseResult } from '@paperwire/contracts';
import { FEED_FORMATS } from '@paperwire/contracts';
import { parseArxivAtom } from '../parsers/arxiv-atom.parser';
import { parseArxivOai } from '../parsers/arxiv-oai.parser';
import { parseArxivRss } from '../parsers/arxiv-rss.parser';
import { parseDailyPapersText } from '../parsers/daily-papers-text.parser';
import { parseDailyPaperItems } from '../parsers/hf-daily-papers.parser';
import { parseHfPapersHtml } from '../parsers/hf-papers-html.parser';
import { parseJsonArrayRecords, parseJsonLines } from '../parsers/jsonl.parser';
import { decodeBody } from './body-decode';
import { errorMessage } from './entry-collector';
import { FeedError } from './feed-error';
import { contentFamily, detectFormat, jsonFormatOf } from './format-detect';
import { readXml, refuseDtd } from './xml-reader';

export interface ParseInput {
  body: Buffer | string;
  contentType?: string;
  /** skip detection, but the content must still match this format */
  format?: FeedFormat;
  fileName?: string;
  /** whole-document size limit in bytes (default 50 MB) */
  maxBytes?: number;
  /** when the document was fetched or uploaded (default now): the year of dates a capture writes without one */
  fetchedAt?: Date | string;
}

export const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;

function parseJsonDocument(text: string, format: 'hf-daily-papers' | 'jsonl'): ParseResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    if (format === 'jsonl') return parseJsonLines(text);
    throw new FeedError('malformed', 'invalid JSON');
  }
  const actual = jsonFormatOf(value, format === 'jsonl' ? 'jsonl' : undefined);
  if (actual !== format) throw new FeedError('malformed', `JSON content is not ${format}`);
  if (!Array.isArray(value)) return parseJsonArrayRecords([value]);
  return format === 'jsonl' ? parseJsonArrayRecords(value) : parseDailyPaperItems(value, 'hf-daily-papers');
}

function parseAs(text: string, format: FeedFormat, explicit: boolean, fetchedAt: Date): ParseResult {
  switch (format) {
    case 'arxiv-api':
      return parseArxivAtom(readXml(text));
    case 'arxiv-rss':
      return parseArxivRss(readXml(text));
    case 'arxiv-oai':
      return parseArxivOai(readXml(text));
    case 'hf-daily-papers':
    case 'jsonl':
      return parseJsonDocument(text.trim(), format);
    case 'hf-papers-html':
      return parseHfPapersHtml(text);
    case 'daily-papers-text':
      return parseDailyPapersText(text, explicit, fetchedAt);
  }
}

function checkExplicit(text: string, format: FeedFormat, input: ParseInput): void {
  if (!(FEED_FORMATS as readonly string[]).includes(format)) throw new FeedError('malformed', `unknown format ${format}`);
  // JSONL and text captures are verified by their own parsers (JSONL may be line-wise, text has no markers).
  if (format === 'jsonl' || format === 'daily-papers-text') {
    const head = text.trimStart()[0];
    if (format === 'daily-papers-text' && (head === '<' || head === '{' || head === '[')) {
      throw new FeedError('malformed', 'content is markup or JSON, not a daily-papers text capture');
    }
    if (format === 'jsonl' && head !== '{' && head !== '[') throw new FeedError('malformed', 'content is not JSON Lines');
    return;
  }
  let detected: FeedFormat;
  try {
    detected = detectFormat(text, input.contentType, input.fileName);
  } catch (err) {
    throw new FeedError('malformed', `content is not ${format}: ${errorMessage(err)}`);
  }
  if (detected !== format) throw new FeedError('malformed', `content is ${detected}, not ${format}`);
}

/**
 * Parses one document into canonical papers. Whole-document problems throw FeedError; a bad entry becomes an
 * entry in `errors` and the good ones are kept. Nothing else is ever thrown.
 */
export function parseDocument(input: ParseInput): ParseResult {
  try {
    const size = typeof input.body === 'string' ? Buffer.byteLength(input.body, 'utf8') : input.body.length;
    const max = input.maxBytes ?? DEFAULT_MAX_BYTES;
    if (size > max) throw new FeedError('too-large', `document of ${size} bytes is over the ${max} byte limit`);
    const decoded = decodeBody(input.body, input.contentType);
    const text = decoded.text;
    // Refuse DTDs before anything looks inside an XML document (HTML pages are never parsed as XML).
    if (contentFamily(text) === 'xml') refuseDtd(text);
    const format = input.format ?? detectFormat(text, input.contentType, input.fileName);
    if (input.format) checkExplicit(text, input.format, input);
    const fetchedAt = input.fetchedAt === undefined ? new Date() : new Date(input.fetchedAt);
    const result = parseAs(text, format, input.format !== undefined, Number.isNaN(fetchedAt.getTime()) ? new Date() : fetchedAt);
    if (decoded.warning) result.errors.unshift({ message: decoded.warning });
    return result;
  } catch (err) {
    if (err instanceof FeedError) throw err;
    // Stack overflows and parser bugs on hostile input are still a malformed document to the caller.
    throw new FeedError('malformed', `unparseable document: ${errorMessage(err)}`);
  }
}
