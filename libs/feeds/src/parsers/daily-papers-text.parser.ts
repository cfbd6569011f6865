// A text capture of the HF Daily Papers page: header lines, then blocks of a title line, a blank line and an
// abstract paragraph. Grammar (paragraphs are runs of non-blank lines):
//   document  := header* block* footer*
//   block     := title noise* abstract continuation*
//   title     := a short paragraph (<= 3 lines, <= 300 chars) that is not a known header/noise line;
//                the LAST such paragraph before an abstract is the title
//   abstract  := a long paragraph (>= 150 chars) that reads like prose (> 300 chars or has a sentence end)
//   continuation := another abstract-like paragraph right after an abstract (an abstract with a blank line)
// Abstracts keep their text exactly (whitespace collapse and NFC only), so spans on them match the capture.
import type { CanonicalPaper, EntryError, ParseResult } from '@paperwire/contracts';
import { collectEntries } from '../lib/entry-collector';
import { EntryFailure, FeedError } from '../lib/feed-error';
import { buildPaper } from '../lib/paper-builder';

interface Paragraph {
  text: string;
  lines: number;
  /** 0-based line number where it starts */
  line: number;
}

interface Block {
  title: Paragraph;
  abstract: Paragraph[];
  /** the date line the page showed above the block ("Sep 1"), as written */
  dateLine?: string;
}

export interface TextBlocks {
  blocks: Block[];
  /** short paragraphs between two blocks that did not become a title: likely a paper without abstract */
  orphans: Paragraph[];
  paragraphs: Paragraph[];
  hasHeader: boolean;
}

const HEADER_LINES = new Set([
  'new',
  'get trending papers in your email inbox!',
  'subscribe',
  'daily papers',
  'byak and the research community',
  'submit',
  'submit a paper',
  'daily',
  'weekly',
  'monthly',
  'previous',
  'next',
  'trending',
]);
const DATE_LINE = /^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]{0,6}\.? \d{1,2}(?:,? \d{4})?$/i;
const NOISE_LINE = /^(?:\d{1,6}|submitted by \S{1,60}|published on .{1,40}|· ?\d{1,4} authors?|upvotes?|\d{1,6} upvotes?)$/i;

function splitParagraphs(text: string): Paragraph[] {
  const lines = text.split(/\r\n|\r|\n/);
  const paragraphs: Paragraph[] = [];
  let current: string[] = [];
  let start = 0;
  const flush = (): void => {
    if (current.length > 0) paragraphs.push({ text: current.join('\n'), lines: current.length, line: start });
    current = [];
  };
  lines.forEach((line, i) => {
    if (line.trim().length === 0) {
      flush();
      return;
    }
    if (current.length === 0) start = i;
    current.push(line);
  });
  flush();
  return paragraphs;
}

function isNoise(p: Paragraph): boolean {
  const t = p.text.trim().replace(/\s+/g, ' ');
  return HEADER_LINES.has(t.toLowerCase()) || DATE_LINE.test(t) || NOISE_LINE.test(t);
}

function isTitle(p: Paragraph): boolean {
  const len = p.text.trim().length;
  return p.lines <= 3 && len >= 2 && len <= 300 && !isNoise(p);
}

function isAbstract(p: Paragraph): boolean {
  const t = p.text.trim();
  return t.length >= 150 && (t.length > 300 || /[.!?]["')\]]?$/.test(t) || /[.!?] /.test(t));
}

export function findTextBlocks(text: string): TextBlocks {
  const paragraphs = splitParagraphs(text);
  const blocks: Block[] = [];
  const orphans: Paragraph[] = [];
  let pending: Paragraph[] = [];
  let lastWasAbstract = false;
  // the page's date header ("Sep 1") applies to the blocks below it, up to the next one
  let dateLine: string | undefined;
  for (const p of paragraphs) {
    const t = p.text.trim().replace(/\s+/g, ' ');
    if (DATE_LINE.test(t)) dateLine = t;
    if (isAbstract(p)) {
      const titles = pending.filter(isTitle);
      const title = titles[titles.length - 1];
      if (title) {
        // Short paragraphs before the chosen title, after an earlier block, are papers we could not read.
        if (blocks.length > 0) orphans.push(...titles.slice(0, -1));
        blocks.push({ title, abstract: [p], ...(dateLine ? { dateLine } : {}) });
        lastWasAbstract = true;
      } else if (lastWasAbstract && blocks.length > 0) {
        blocks[blocks.length - 1].abstract.push(p);
      } else if (blocks.length > 0) {
        orphans.push(p);
      }
      pending = [];
      continue;
    }
    pending.push(p);
    lastWasAbstract = false;
  }
  const hasHeader = paragraphs.some((p) => p.text.trim().toLowerCase() === 'daily papers');
  return { blocks, orphans, paragraphs, hasHeader };
}

// Markdown's block syntax: a heading, a code fence, a table rule, a quote, a list item or a line that is only a link or
// an image. A page capture has none of it (the browser copies rendered text), so a text file with it is a README or
// notes, never a listing.
const MARKDOWN_HEADING = /^ {0,3}#{1,6}(?:[ \t]|$)/;
const MARKDOWN_BLOCK = /^ {0,3}(?:#{1,6}(?:[ \t]|$)|```|~~~|>[ \t]|[-*+][ \t]|\d{1,3}[.)][ \t]|\|.*\|[ \t]*$|:?-{3,}:?[ \t]*\||!?\[[^\]]*\]\([^)]*\)[ \t]*$)/;

/** Lines of Markdown block syntax in the text (headings, fences, tables, quotes, list items, link-only lines). */
export function markdownLines(found: TextBlocks): number {
  let n = 0;
  for (const p of found.paragraphs) for (const line of p.text.split('\n')) if (MARKDOWN_BLOCK.test(line)) n++;
  return n;
}

/** Why a block's title cannot be a paper's title (a Markdown heading, list item or link); null when it can be. */
export function titleProblem(title: string): string | null {
  const t = title.trim();
  if (MARKDOWN_HEADING.test(t)) return 'its title is a Markdown heading';
  if (MARKDOWN_BLOCK.test(t)) return 'its title is Markdown (a list item, quote, table row or link)';
  return null;
}

/**
 * The page's header above the first block: its "Daily Papers" line (with the page's other lines, "Subscribe", "byAK
 * and the research community", the date line …, or without them). A "Daily Papers" line after the first block is
 * no header: the page has it on top.
 */
function pageHeader(found: TextBlocks): boolean {
  const firstBlockLine = found.blocks.length > 0 ? found.blocks[0].title.line : Number.POSITIVE_INFINITY;
  return found.paragraphs.some((p) => p.line < firstBlockLine && p.text.split('\n').some((l) => l.trim().replace(/\s+/g, ' ').toLowerCase() === 'daily papers'));
}

/**
 * Content check used by detection: a Daily Papers listing capture is the page's header, then title / abstract
 * blocks that explain most of the text, with titles that are titles, and no Markdown anywhere. Prose with headings
 * and paragraphs (a README) has blocks too, but no page header, Markdown syntax and heading "titles".
 */
export function looksLikeDailyPapersText(found: TextBlocks): boolean {
  if (found.blocks.length === 0 || !pageHeader(found) || markdownLines(found) > 0) return false;
  if (found.blocks.some((b) => titleProblem(b.title.text) !== null)) return false;
  const used = found.blocks.reduce((n, b) => n + b.title.text.length + b.abstract.reduce((m, a) => m + a.text.length, 0), 0);
  const header = found.paragraphs.filter((p) => p.line < found.blocks[0].title.line).reduce((n, p) => n + p.text.length, 0);
  const total = found.paragraphs.reduce((n, p) => n + p.text.length, 0);
  return used >= 0.8 * (total - header);
}

/** Why a text is no capture, for the error: names what it looks like instead. */
export function notACaptureReason(found: TextBlocks): string {
  const md = markdownLines(found);
  if (md > 0) return `Markdown (${md} line${md === 1 ? '' : 's'} of headings, lists, code or tables), not a Daily Papers listing capture`;
  if (found.blocks.length === 0) return 'text without title / abstract blocks';
  if (!pageHeader(found)) return 'text without the Daily Papers page header (its "Daily Papers" line) above title / abstract blocks';
  return 'text whose paragraphs are not title / abstract blocks of a Daily Papers listing';
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * The day a date line names ("Sep 1", "Sept. 1", "September 1, 2024"), as an ISO timestamp at 00:00 UTC; null for no
 * such day (Feb 30). Without a year it is the capture's (`capturedAt`: when the page was fetched or uploaded), or
 * the year before when that day would come after the capture: a page never shows a day that has not come yet.
 */
export function dateOfLine(line: string, capturedAt: Date): string | null {
  const m = /^([a-z]{3})[a-z]*\.? (\d{1,2})(?:,? (\d{4}))?$/i.exec(line.trim());
  const month = m ? MONTHS.indexOf(m[1].toLowerCase()) : -1;
  if (!m || month < 0) return null;
  const day = Number(m[2]);
  const dateIn = (year: number): Date | null => {
    const d = new Date(Date.UTC(year, month, day));
    return d.getUTCMonth() === month && d.getUTCDate() === day ? d : null;
  };
  if (m[3]) return dateIn(Number(m[3]))?.toISOString() ?? null;
  // the latest such day not after the capture (a day ahead is allowed for time zones: a page dated by its reader's
  // clock, east of UTC); Feb 29 goes back to the last leap year
  const latest = capturedAt.getTime() + 86_400_000;
  for (let year = capturedAt.getUTCFullYear(); year >= capturedAt.getUTCFullYear() - 4; year--) {
    const d = dateIn(year);
    if (d && d.getTime() <= latest) return d.toISOString();
  }
  return null;
}

function blockToPaper(block: Block, capturedAt: Date): CanonicalPaper {
  const problem = titleProblem(block.title.text);
  if (problem) throw new EntryFailure(`not a paper: ${problem}`);
  // The date the page showed above the paper ("Sep 1") is when Daily Papers listed it (featuredAt: the day listing
  // files it there), never the paper's publication date: the page states none, so publishedAt stays unknown.
  const day = block.dateLine ? dateOfLine(block.dateLine, capturedAt) : null;
  return buildPaper({
    title: block.title.text,
    abstract: block.abstract.map((a) => a.text).join('\n\n'),
    latex: false,
    ...(day ? { sighting: { featuredAt: day } } : {}),
  });
}

/** `capturedAt`: when the text was captured (fetched or uploaded), for dates written without a year (dateOfLine). */
export function parseDailyPapersText(text: string, explicit: boolean, capturedAt: Date = new Date()): ParseResult {
  const found = findTextBlocks(text);
  // Named explicitly, a capture may lack the header; it may never be Markdown (more than a stray line of it).
  const acceptable = explicit ? (found.blocks.length > 0 || found.hasHeader) && markdownLines(found) < 2 : looksLikeDailyPapersText(found);
  if (!acceptable) throw new FeedError('malformed', notACaptureReason(found));
  const collected = collectEntries(found.blocks, (b) => blockToPaper(b, capturedAt), (b) => b.title.text.slice(0, 200));
  const { papers } = collected;
  // each skipped block by the line of its title: where a reader of the text finds it
  const errors = collected.errors.map((e) => (e.index === undefined ? e : { ...e, line: found.blocks[e.index]!.title.line + 1 }));
  const orphanErrors: EntryError[] = found.orphans.map((p) => ({
    line: p.line + 1,
    message: `paragraph without a title / abstract pair: ${p.text.trim().slice(0, 80)}`,
  }));
  return { format: 'daily-papers-text', papers, errors: [...errors, ...orphanErrors] };
}
