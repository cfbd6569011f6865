import { ActionError, namedMessage } from '@paperwire/actions';
import { FeedError } from '@paperwire/feeds';

// What the CLI prints: the objects the API returns (camelCase), as JSON Lines for scripts and pipes,
// or as a table built from the same objects on a terminal.

// What a terminal would act on rather than show: C0 controls but tab and newline (ESC starts a control
// sequence that can rewrite the screen, set the clipboard or forge a link), DEL, C1 controls (CSI …),
// line and paragraph separators, bidi marks, overrides and isolates. Names, reasons and errors the CLI
// prints come from tenants (subscription names, through the API) and upstreams (source errors).
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const hex = (c: string, width: number) => c.charCodeAt(0).toString(16).padStart(width, '0');

/** Text with every unprintable character shown as its escape (`\x1b`, `\u202e`) instead. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => (c.charCodeAt(0) <= 0xff ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`));
}

/** Text for one line of a report: unprintable characters escaped as above (CR too), and tab and LF as `\t`, `\n`. */
export function oneLine(text: string): string {
  return printable(text).replace(/[\t\n]/g, (c) => (c === '\t' ? '\\t' : '\\n'));
}

/** JSON whose unprintable characters are all \u escapes (JSON.stringify leaves DEL, C1 and bidi as they are): the same value. */
function printableJson(value: unknown): string {
  return JSON.stringify(value).replace(UNPRINTABLE, (c) => `\\u${hex(c, 4)}`);
}

export function out(obj: unknown): void {
  process.stdout.write(`${typeof obj === 'string' ? printable(obj) : printableJson(obj)}\n`);
}

export function err(msg: string): void {
  process.stderr.write(`${printable(msg)}\n`);
}

/**
 * A reader that stops early (`paperwire … | head`) closes the pipe: the next write fails with EPIPE.
 * That is the reader's choice, not an error: exit 0 quietly, before the failed write's 'error' event
 * crashes the process. Any other stdout error stays fatal.
 */
export function exitQuietlyOnClosedPipe(stream: NodeJS.WriteStream = process.stdout): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
}

export interface ListFormat {
  /** JSON Lines even on a terminal */
  json?: boolean;
}

/** JSON Lines unless stdout is a terminal and --json was not given. */
export const wantsJson = (o: ListFormat): boolean => Boolean(o.json) || !process.stdout.isTTY;

function cell(v: unknown): string {
  if (v === null || v === undefined) return '-';
  if (typeof v === 'object') return JSON.stringify(v);
  return printable(String(v).replace(/\s+/g, ' '));
}

/** Fixed-width columns of the given fields, long cells cut at 60 characters. */
export function formatTable<T extends object>(items: readonly T[], columns: readonly (keyof T & string)[]): string {
  const rows = items.map((it) => columns.map((c) => cell(it[c]).slice(0, 60)));
  const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) => cells.map((x, i) => x.padEnd(widths[i])).join('  ').trimEnd();
  return [line(columns), ...rows.map(line)].join('\n');
}

/** Prints a list: one JSON object a line, or a table of `columns`. */
export function printList<T extends object>(items: readonly T[], o: ListFormat, columns: readonly (keyof T & string)[]): void {
  if (wantsJson(o)) for (const it of items) out(it);
  else out(formatTable(items, columns));
}

/** The one line an error becomes: an action's refusal with its fields, a feed error with its code. */
export function describeError(e: unknown): string {
  if (e instanceof ActionError) {
    // Nothing said twice: a detail the message already says is left out (validateTopic's slug refusal), and a
    // detail that says all the message does stands alone (the unknown topics of a subscription).
    // A validation failure's details name their fields already (plainIssues): they are the whole message.
    const details = (e.details ?? []).filter((d) => !e.message.includes(d.message));
    const fields = details.map((d) => namedMessage(d.field, d.message));
    if (fields.length === 0) return e.message;
    const generic = /^invalid (?:body|query)$/.test(e.message);
    return generic || details.some((d) => d.message.includes(e.message)) ? fields.join('; ') : `${e.message}: ${fields.join('; ')}`;
  }
  if (e instanceof FeedError) return `${e.code}: ${e.message}`;
  return (e as Error).message;
}

/**
 * A word of a command the CLI suggests, as a POSIX shell reads it back: as it is when it holds nothing the shell
 * interprets, else in single quotes (a quote inside as '\'') — `paperwire sources poll 'z z'`.
 */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
