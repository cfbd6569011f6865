// Format detection from content type, file name and content. Content decides; a content type or file
// name of a different family is a conflict and an error, never a guess.
import type { FeedFormat } from '@paperwire/contracts';
import { FEED_FORMATS } from '@paperwire/contracts';
import { findTextBlocks, looksLikeDailyPapersText, notACaptureReason } from '../parsers/daily-papers-text.parser';
import { isDailyPaperItem } from '../parsers/hf-daily-papers.parser';
import { findDailyPapers } from '../parsers/hf-papers-html.parser';
import { isJsonlRecord } from '../parsers/jsonl.parser';
import { FeedError } from './feed-error';
import { xmlRootName } from './xml-reader';

/** The formats a document may be in, for errors that refuse one. */
export const FORMATS_READ = `the formats read are ${FEED_FORMATS.join(', ')}`;

export type Family = 'json' | 'xml' | 'html' | 'text';

function familyOfContentType(contentType: string | undefined): Family | undefined {
  const ct = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (ct === '') return undefined;
  if (ct === 'application/json' || ct.endsWith('+json') || ct.includes('ndjson') || ct.includes('jsonl')) return 'json';
  if (ct === 'text/html' || ct === 'application/xhtml+xml') return 'html';
  if (ct.endsWith('/xml') || ct.endsWith('+xml')) return 'xml';
  return undefined; // text/plain, octet-stream and friends say nothing reliable
}

function familyOfFileName(fileName: string | undefined): Family | undefined {
  const ext = /\.([A-Za-z0-9]{1,8})$/.exec(fileName ?? '')?.[1]?.toLowerCase();
  switch (ext) {
    case 'json':
    case 'jsonl':
    case 'ndjson':
      return 'json';
    case 'xml':
    case 'atom':
    case 'rss':
      return 'xml';
    case 'html':
    case 'htm':
      return 'html';
    case 'txt':
    case 'text':
      return 'text';
    case undefined:
    default:
      return undefined;
  }
}

function stripBom(s: string): string {
  return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
}

export function contentFamily(body: string): Family {
  const head = body.trimStart().slice(0, 1000);
  if (head.startsWith('{') || head.startsWith('[')) return 'json';
  if (head.startsWith('<')) {
    if (/^<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]/i.test(head)) return 'html';
    return 'xml';
  }
  return 'text';
}

function detectXml(body: string): FeedFormat {
  const root = xmlRootName(body.trimStart());
  switch (root) {
    case 'feed':
      return 'arxiv-api';
    case 'rss':
      return 'arxiv-rss';
    case 'OAI-PMH':
      return 'arxiv-oai';
    case null:
    default:
      throw new FeedError('unknown-format', `XML root <${root ?? '?'}> is neither Atom, RSS 2.0 nor OAI-PMH`);
  }
}

function tryJson(s: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(s) };
  } catch {
    return { ok: false };
  }
}

/** Classifies a parsed JSON value; null when it is none of our JSON formats. */
export function jsonFormatOf(value: unknown, fileFamilyHint?: string): FeedFormat | null {
  if (Array.isArray(value)) {
    const firstObject = value.find((v) => typeof v === 'object' && v !== null);
    if (value.length === 0) return fileFamilyHint === 'jsonl' ? 'jsonl' : 'hf-daily-papers';
    if (isDailyPaperItem(firstObject)) return 'hf-daily-papers';
    if (isJsonlRecord(firstObject)) return 'jsonl';
    return null;
  }
  return isJsonlRecord(value) ? 'jsonl' : null;
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return i < 0 ? s : s.slice(0, i);
}

function detectJson(body: string, fileName: string | undefined): FeedFormat {
  const trimmed = body.trim();
  const whole = tryJson(trimmed);
  const hint = /\.(jsonl|ndjson)$/i.test(fileName ?? '') ? 'jsonl' : undefined;
  if (whole.ok) {
    const format = jsonFormatOf(whole.value, hint);
    if (format) return format;
    throw new FeedError('unknown-format', 'JSON that is neither daily-papers items nor {title, abstract} records');
  }
  const line = tryJson(firstLine(trimmed).trim());
  if (line.ok && isJsonlRecord(line.value)) return 'jsonl';
  throw new FeedError('unknown-format', 'invalid JSON');
}

/**
 * Bytes that are no text at all (random bytes, an image, a zip): control characters other than whitespace, or
 * bytes that are not UTF-8 (decoded as U+FFFD), make up more than a tenth of the document's head. A text feed has none
 * (a stray one is a warning of its entry, not the document's format).
 */
export function looksBinary(text: string, head = 4096): boolean {
  const sample = text.slice(0, head);
  // eslint-disable-next-line no-control-regex
  const odd = sample.match(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffd]/g)?.length ?? 0;
  return odd > sample.length / 10;
}

/** The format of a document, from its content (content type and file name must not contradict it). */
export function detectFormat(body: string, contentType?: string, fileName?: string): FeedFormat {
  const text = stripBom(typeof body === 'string' ? body : String(body));
  if (text.trim().length === 0) throw new FeedError('unknown-format', 'empty document');
  if (looksBinary(text)) throw new FeedError('unknown-format', 'binary data, not a text document (no feed format is binary)');
  const family = contentFamily(text);
  const declared = familyOfContentType(contentType);
  if (declared && declared !== family && !(declared === 'xml' && family === 'html')) {
    throw new FeedError('unknown-format', `content type ${contentType} but the body looks like ${family}`);
  }
  const named = familyOfFileName(fileName);
  if (named && named !== family && named !== 'text') {
    throw new FeedError('unknown-format', `file ${fileName} but the body looks like ${family}`);
  }
  switch (family) {
    case 'json':
      return detectJson(text, fileName);
    case 'xml':
      return detectXml(text);
    case 'html':
      if (findDailyPapers(text) !== null) return 'hf-papers-html';
      throw new FeedError('unknown-format', 'HTML page without a data-props daily papers list');
    case 'text':
    {
      const found = findTextBlocks(text);
      if (looksLikeDailyPapersText(found)) return 'daily-papers-text';
      throw new FeedError('unknown-format', `${notACaptureReason(found)}; ${FORMATS_READ}`);
    }
  }
}
