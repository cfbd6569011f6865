import { z } from 'zod';
import { issueMessage } from './hints';

/** One refused parameter: where it is (`limit`, `/scopes/0`) and one plain sentence that names it. */
export interface PlainIssue {
  field: string;
  message: string;
}

/** The phrases of zod's default messages: none of them reaches a client (the error-body test looks for them). */
export const ZOD_PHRASES = /Expected [^,]*, received|\breceived\b|Invalid enum value|character\(s\)|element\(s\)|Invalid input|Required\b|Invalid (?:type|literal|date|union|discriminator)/;

/**
 * The one wording of text that is not a whole number (limit=abc, --grace-hours 1.5): alike on every page, in every API
 * answer and on the command line ("--grace-hours must be a whole number (got abc)"); the range is said on its own
 * ("must be at least 1 (got -5)").
 */
export const INTEGER_WORDS = 'must be a whole number';

/** Digits, with a minus sign: a negative number is a number out of range, not "not a number". */
export const INTEGER_TEXT = /^-?\d+$/;

/** A whole number from `min` to `max` sent as text (a query parameter, a command-line option), worded alike everywhere. */
export const integerText = (min: number, max: number) =>
  z
    .string()
    .regex(INTEGER_TEXT, INTEGER_WORDS)
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

/** A number sent as text (claimMin=10, --min 1.5e3). */
export const numberText = z
  .string()
  .regex(/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/, 'must be a number')
  .transform(Number);

/** The value at `path` in `input` (what the client sent, for "(got …)"). */
function valueAt(input: unknown, path: readonly (string | number)[]): unknown {
  let v = input;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[k];
  }
  return v;
}

/** A sent value as a message quotes it: short, on one line. */
function shown(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
  const line = s.replace(/\s+/g, ' ');
  return line.length > 60 ? `${line.slice(0, 57)}…` : line;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
  date: 'a date',
  null: 'null',
};
const typeWord = (t: string) => TYPE_WORDS[t] ?? t;
/** The string formats zod checks (`z.string().uuid()`…), as a sentence names them. */
const STRING_FORMATS: Record<string, string> = {
  uuid: 'a uuid',
  email: 'an email address',
  url: 'a URL',
  datetime: 'an ISO 8601 date-time',
  date: 'a date YYYY-MM-DD',
  ip: 'an IP address',
};
const plural = (n: number | bigint, one: string, many = `${one}s`) => `${n} ${Number(n) === 1 ? one : many}`;

/** Whether zod worded the issue itself (its default error map), rather than the schema's own message. */
function zodWorded(issue: z.ZodIssue): boolean {
  return issue.message === z.defaultErrorMap(issue as z.ZodIssueOptionalMessage, { defaultError: issue.message, data: undefined }).message;
}

/** A schema's own message ("must be a whole number"), with what was sent when it says "must". */
function ownWords(schema: z.ZodTypeAny, issue: z.ZodIssue, value: unknown): string {
  const text = issueMessage(schema, issue);
  if (ZOD_PHRASES.test(text)) return `is not valid (got ${shown(value)})`;
  const quoted = typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)) ? shown(value) : '';
  return /^must\b/.test(text) && quoted && !text.includes(quoted) ? `${text} (got ${quoted})` : text;
}

/** The words after the parameter's name: "is at most 500 characters (got 600)". */
function predicate(schema: z.ZodTypeAny, issue: z.ZodIssue, name: string, value: unknown, where: 'query' | 'body'): string {
  // A query parameter sent more than once reaches the schema as an array, whatever the schema says of that.
  if (where === 'query' && issue.code === 'invalid_type' && issue.received === 'array' && issue.expected !== 'array')
    return `is given ${Array.isArray(value) ? plural(value.length, 'time') : 'more than once'}; give it once`;
  // "schedule has an unknown key "tz" (did you mean timeZone?); accepted: …", a sentence like the others
  if (issue.code === 'unrecognized_keys') return ownWords(schema, issue, value).replace(/^unknown key /, 'has an unknown key ').replace(/^unknown keys /, 'has unknown keys ');
  if (!zodWorded(issue)) return ownWords(schema, issue, value);
  switch (issue.code) {
    case 'invalid_type':
      if (issue.received === 'undefined') return 'is required';
      if (issue.expected === 'object' && issueMessage(schema, issue) !== issue.message) return `must be an ${issueMessage(schema, issue).replace(/^expected an /, '').replace(/, received an? /, ' (got ')})`;
      return `must be ${typeWord(issue.expected)} (got ${issue.received === 'array' ? 'a list' : typeWord(issue.received)})`;
    case 'invalid_enum_value':
      return `must be one of ${issue.options.map(String).join(', ')} (got ${shown(issue.received)})`;
    case 'invalid_literal':
      return `must be ${shown(issue.expected)} (got ${shown(value)})`;
    case 'too_big': {
      const got = Array.isArray(value) ? value.length : typeof value === 'string' ? [...value].length : value;
      const most = issue.inclusive ? 'at most' : 'less than';
      if (issue.type === 'string') return `is ${most} ${plural(issue.maximum, 'character')} (got ${String(got)})`;
      if (issue.type === 'array' || issue.type === 'set') return `takes ${most} ${plural(issue.maximum, 'value')} (got ${String(got)})`;
      return `must be ${most} ${String(issue.maximum)} (got ${shown(value)})`;
    }
    case 'too_small': {
      const least = issue.inclusive ? 'at least' : 'more than';
      if (issue.type === 'string') return Number(issue.minimum) === 1 ? 'must not be empty' : `is ${least} ${plural(issue.minimum, 'character')}`;
      if (issue.type === 'array' || issue.type === 'set') return Number(issue.minimum) === 1 ? 'needs at least one value' : `takes ${least} ${plural(issue.minimum, 'value')}`;
      return `must be ${least} ${String(issue.minimum)} (got ${shown(value)})`;
    }
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.multipleOf)} (got ${shown(value)})`;
    case 'invalid_date':
      return 'must be a valid date';
    case 'invalid_union': {
      // The branch that got furthest says what is wrong (a limit "abc": not a number, not digits → "must be a whole number").
      const inner = issue.unionErrors.flatMap((e) => e.issues).find((i) => i.code !== 'invalid_type' && i.code !== 'invalid_union');
      return inner ? predicate(schema, inner, name, valueAt(value, inner.path.slice(issue.path.length)), where) : 'is not valid';
    }
    case 'invalid_string':
      // zod's own "Invalid uuid" / "Invalid email": what the value must be, and what was sent
      if (typeof issue.validation === 'string' && issue.validation in STRING_FORMATS)
        return `must be ${STRING_FORMATS[issue.validation]} (got ${shown(value)})`;
      return ownWords(schema, issue, value);
    case 'custom':
    case 'invalid_arguments':
    case 'invalid_intersection_types':
    case 'invalid_return_type':
    case 'invalid_union_discriminator':
    case 'not_finite':
      return ownWords(schema, issue, value);
  }
}

/** `filters.topics`, `scopes` (an item of a list is named by its list). */
function nameOf(path: readonly (string | number)[]): string {
  return path.filter((k) => typeof k === 'string').join('.');
}

/** A message that names its parameter: a schema's own sentence that starts with it already stays as it is. */
function sentence(name: string, words: string): string {
  if (!name) return words.charAt(0).toUpperCase() + words.slice(1);
  if (words.startsWith(name) && !/^[\w.]/.test(words.slice(name.length))) return words;
  return /^(?:is|are|must|needs|takes|has|should|can|cannot|does)\b/.test(words) ? `${name} ${words}` : `${name}: ${words}`;
}

/**
 * Zod issues as a client reads them, the one place every entry point (API routes, pages, the HF-compatible API, the
 * CLI) turns validation failures into words: one plain sentence per parameter that names it ("limit is given twice;
 * give it once", "window must be one of 24h, 7d, 30d (got 5y)", "q is at most 500 characters (got 600)"), never
 * zod's own phrasing. A parameter with several failures (not a date, and so not in range) keeps the first.
 */
export function plainIssues(schema: z.ZodTypeAny, issues: readonly z.ZodIssue[], input: unknown, where: 'query' | 'body'): PlainIssue[] {
  const byName = new Map<string, PlainIssue>();
  for (const issue of issues) {
    const name = nameOf(issue.path);
    if (byName.has(name)) continue;
    const value = valueAt(input, issue.path);
    const words = predicate(schema, issue, name, value, where);
    byName.set(name, {
      field: where === 'body' ? `/${issue.path.join('/')}` : name || '(query)',
      // the whole body or query is named as such ("the body must be an object such as …"), never a bare capitalised phrase
      message: sentence(name || `the ${where}`, words.replace(/\bgiven 2 times\b/, 'given twice')),
    });
  }
  return [...byName.values()];
}

/** A hand-written refusal of one field (`date`, `/filters/topics`) as a sentence that names it, as plainIssues words them. */
export function namedMessage(field: string, words: string): string {
  return sentence(nameOf(field.split(/[./]/).filter(Boolean).map((k) => (/^\d+$/.test(k) ? Number(k) : k))), words);
}
