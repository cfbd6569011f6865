// JSON Lines (or one JSON array) of {id?, title, abstract, authors?, ...}: input for the CLI classify/extract.
import type { CanonicalPaper, EntryError, PaperAuthor, ParseResult } from '@paperwire/contracts';
import { parseArxivId } from '../lib/arxiv-id';
import { collectEntries } from '../lib/entry-collector';
import { EntryFailure, FeedError } from '../lib/feed-error';
import { buildPaper, splitAuthorString } from '../lib/paper-builder';
import { isJsonObject } from './hf-daily-papers.parser';

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  return typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined;
}

/** True when `v` is an object with a string title and abstract (or summary). */
export function isJsonlRecord(v: unknown): boolean {
  return isJsonObject(v) && typeof v['title'] === 'string' && (typeof v['abstract'] === 'string' || typeof v['summary'] === 'string');
}

function authorsOf(v: unknown): PaperAuthor[] {
  if (typeof v === 'string') return splitAuthorString(v);
  if (!Array.isArray(v)) return [];
  return v.flatMap((a) => {
    const name = isJsonObject(a) ? str(a['name']) : str(a);
    return name ? [{ name }] : [];
  });
}

function recordToPaper(rec: unknown): CanonicalPaper {
  if (!isJsonObject(rec)) throw new EntryFailure('line is not a JSON object');
  const id = str(rec['id']);
  const arxiv = str(rec['arxivId']) ?? str(rec['arxiv_id']) ?? (id && parseArxivId(id) ? id : undefined);
  const categories = Array.isArray(rec['categories'])
    ? rec['categories'].filter((c): c is string => typeof c === 'string')
    : (str(rec['categories'])?.split(/\s+/) ?? []);
  return buildPaper({
    title: str(rec['title']),
    abstract: str(rec['abstract']) ?? str(rec['summary']),
    authors: authorsOf(rec['authors']),
    arxivId: arxiv,
    doi: str(rec['doi']),
    publishedAt: str(rec['publishedAt']) ?? str(rec['published']),
    categories,
    comment: str(rec['comment']),
    sighting: { sourceItemId: id },
    // The caller's text is kept as given (whitespace and NFC only) so spans computed on it stay meaningful.
    latex: false,
  });
}

/** Parses each non-blank line; a line that is not JSON is an entry error, not a document failure. */
export function parseJsonLines(text: string): ParseResult {
  const lines = text.split(/\r?\n/);
  const records: unknown[] = [];
  const lineNumbers: number[] = [];
  const errors: EntryError[] = [];
  lines.forEach((line, i) => {
    if (line.trim().length === 0) return;
    try {
      records.push(JSON.parse(line));
      lineNumbers.push(i);
    } catch {
      errors.push({ index: i, line: i + 1, message: 'not valid JSON' });
    }
  });
  // Some lines may be broken, but a document without a single {title, abstract} line is not JSONL at all.
  if (!records.some(isJsonlRecord)) throw new FeedError('malformed', 'no line is a {title, abstract} JSON object');
  const collected = collectEntries(records, recordToPaper, (r) => (isJsonObject(r) ? str(r['id']) : undefined));
  // Report entry errors by line, the only position a JSONL user can find (index: the line's, from 0; line: from 1).
  const entryErrors = collected.errors.map((e) => ({ ...e, index: lineNumbers[e.index ?? 0], line: lineNumbers[e.index ?? 0]! + 1 }));
  const all = [...errors, ...entryErrors].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  return { format: 'jsonl', papers: collected.papers, errors: all };
}

export function parseJsonArrayRecords(items: readonly unknown[]): ParseResult {
  const { papers, errors } = collectEntries(items, recordToPaper, (r) => (isJsonObject(r) ? str(r['id']) : undefined));
  return { format: 'jsonl', papers, errors };
}
