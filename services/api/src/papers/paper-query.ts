import { z } from 'zod';
import { TOPIC_SLUG_RE, integerText, numberText, queryEnum } from '@paperwire/actions';
import { CLAIM_KINDS, CLAIM_UNITS, CONTRIBUTION_TYPES, claimKindOf } from '@paperwire/contracts';
import { PAPER_SORTS } from '@paperwire/db';
import { DATE_RANGE_MESSAGE, inDateRange } from '../common/dates';
import { listParam } from '../common/validation';

const ISO_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2})(?::?(\d{2}))?)?)?$/;

/** A real calendar date and time that Postgres accepts too (no year 0, no 30 February, no 25:00). */
export function validIsoDate(s: string): boolean {
  const m = ISO_DATE_RE.exec(s);
  if (!m) return false;
  const [y, mo, d, h = 0, mi = 0, sec = 0, oh = 0, om = 0] = m.slice(1).map((v) => (v === undefined ? undefined : Number(v))) as number[];
  // Date.UTC maps years 0-99 to 1900-1999, so check the day in a leap-neutral way: a fixed leap
  // year for the month length, then the real year for 29 February.
  const dayExists = new Date(Date.UTC(2000, mo - 1, d)).getUTCMonth() === mo - 1 && (mo !== 2 || d <= 28 || new Date(Date.UTC(y, 1, d)).getUTCMonth() === 1);
  const timeValid = h < 24 && mi < 60 && sec < 60 && oh <= 15 && om < 60;
  return y >= 1 && mo >= 1 && mo <= 12 && d >= 1 && dayExists && timeValid && !Number.isNaN(Date.parse(s));
}

/** A date-time whose `+01:00` reached us as ` 01:00`: in a query string an unescaped `+` is a space. */
const SPACED_OFFSET_RE = /^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?) (\d{2}(?::?\d{2})?)$/;

/**
 * `since` / `until`: a date or a date-time. `since=2026-12-07T21:00:00+01:00` typed into a URL arrives with a space for
 * the `+` (form encoding); a space before an offset can mean nothing else, so it is read as the `+` it was.
 */
export const isoDate = z.preprocess(
  (v) => (typeof v === 'string' ? v.replace(SPACED_OFFSET_RE, '$1+$2') : v),
  z
    .string()
    .max(40)
    .refine(validIsoDate, 'must be a valid ISO 8601 date or date-time')
    .refine((s) => inDateRange(s), DATE_RANGE_MESSAGE),
);
/** A yes/no in a query string: true/false (any case) or 1/0. */
export const boolParam = queryEnum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
export const numberParam = numberText;
export const limitParam = integerText(1, 100)
  .optional()
  .transform((v) => v ?? 20);
/** A topic slug as a filter takes it: in any case (`Efficiency` is `efficiency`, as a subscription's slugs are). */
export const slug = z.string().toLowerCase().regex(TOPIC_SLUG_RE, 'topic slugs are letters, digits and dashes');
/** `topic`: slugs, a comma list or repeated; an empty value is no filter. */
export const topicListParam = z.preprocess(listParam, z.array(slug).max(20).optional());

/** A text filter; an empty (or blank) value is no filter, as `topic=` is. */
const textFilter = (max: number) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.string().trim().min(1).max(max).optional());

/** `source`: a name or kind, repeated for any of them; an empty value is no filter. */
const sourceListParam = z.preprocess((v) => {
  const values = (Array.isArray(v) ? v : v === undefined ? [] : [v]).map((x) => (typeof x === 'string' ? x.trim() : x)).filter((x) => x !== '');
  return values.length > 0 ? values : undefined;
}, z.array(z.string().max(200)).max(20).optional());

export const claimFilterShape = {
  claimMetric: textFilter(100),
  // also as the pages name a kind ("improvement", "speed-up": CLAIM_KIND_NAMES)
  claimKind: z.preprocess((v) => (typeof v === 'string' ? claimKindOf(v) : v), queryEnum(CLAIM_KINDS)).optional(),
  claimUnit: queryEnum(CLAIM_UNITS).optional(),
  claimMin: numberParam.optional(),
  claimMax: numberParam.optional(),
};

export const paperFilterShape = {
  topic: topicListParam,
  q: z.string().trim().min(1).max(500).optional(),
  since: isoDate.optional(),
  until: isoDate.optional(),
  source: sourceListParam,
  hasCode: boolParam.optional(),
  contribution: queryEnum(CONTRIBUTION_TYPES).optional(),
  ...claimFilterShape,
};

export { PAPER_SORTS, type PaperSort } from '@paperwire/db';

export const paperListQuerySchema = z
  .object({
    ...paperFilterShape,
    sort: queryEnum(PAPER_SORTS).optional(),
    limit: limitParam,
    cursor: z.string().min(1).max(1000).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.sort === 'relevance' && !v.q) ctx.addIssue({ code: 'custom', path: ['sort'], message: 'sort=relevance needs q' });
    if (v.claimMin !== undefined && v.claimMax !== undefined && v.claimMin > v.claimMax)
      ctx.addIssue({ code: 'custom', path: ['claimMin'], message: 'claimMin is greater than claimMax' });
    if (v.since && v.until && Date.parse(v.since) > Date.parse(v.until))
      ctx.addIssue({ code: 'custom', path: ['since'], message: 'since is after until' });
  });

export type { PaperFilters } from '@paperwire/actions';
export type PaperListQuery = z.infer<typeof paperListQuerySchema>;
