// metrics-1.32.0: values written with a slash that no token reading keeps — a slash list of decimal scores and a whole
// count out of a whole count. Both are read after the token pass, over the abstract's own text, and add claims only
// where no claim overlaps (GUIDE: each value of a list of scores is a claim; "N/M" is N `result`/`other`, M the count it
// is out of).
import type { Claim, ClaimKind, ClaimUnit } from '@paperwire/contracts';
import { clauseBefore, metricHits, UNNAMED } from './context';
import { SCOPE_NOUNS } from './lexicon';
import { canonicalMetric } from './metric-table';
import { countNoun } from './units';
import { KIND_DECIDED } from './rivals';

/** A claim read outside the token pass (this file's and extract-claims.ts's later passes), no baseline or comparison. */
export function newClaim(
  text: string,
  start: number,
  end: number,
  value: number,
  unit: ClaimUnit,
  kind: ClaimKind,
  metric: string | null,
): Claim {
  const setup = kind === 'scope' || kind === 'size';
  return {
    start,
    end,
    text: text.slice(start, end),
    value,
    low: null,
    unit,
    unitText: null,
    category: setup ? 'setup' : 'result',
    kind,
    metric,
    improvement: null,
    baseline: null,
    comparedTo: null,
    dataset: null,
    qualifier: null,
  };
}

const overlapsAny = (claims: readonly Claim[], start: number, end: number): boolean =>
  claims.some((c) => c.start < end && start < c.end);

// "Dice scores of 0.93/0.85/0.89", "ROUGE-1/2/L of 61.10/55.77/59.44", "(94.1/93.5% on Clean/Random)": two to five
// decimals joined by slashes (a "%" after the last one is every value's unit)
const SLASH_DECIMALS_RE =
  /(?<![\w./$\\-])(\d{1,3}\.\d+)((?:\s?\/\s?\d{1,3}\.\d+){1,4})(\s?\\?%)?(?![\w/]|\.\d|\s?\/\s?\d)/g;
// the measures named with slashes right before the values ("ROUGE-1/2/L of", "P/R/F1:", "mAP/NDS =")
const SLASH_NAMES_END_RE =
  /((?:[A-Za-z][\w@.-]*)(?:\/[\w@.-]+){1,4})\s*(?:\(\s*)?(?:scores?\s+)?(?:of|=|:|is|are|reaches|reach|at)?\s*$/;
// a metric named right before the list, up to a short link ("Dice scores of", "an F1 of", "AUC:")
const METRIC_LINK_END_RE =
  /^(?:\s*(?:scores?|values?|results?))?\s*(?:\(\s*)?(?:of|=|:|is|are|reaches|reach|reaching|achieves|achieving|at|with)?\s*(?:\(\s*)?$/i;
// values after a comparison word are a rival's (the comparison rule), and a scale ("4.5/5.0") is a rating's bound
const COMPARISON_END_RE = /\b(?:vs\.?|versus|compared (?:to|with)|than|against|from)\s*(?:\(\s*)?$/i;
const INITIALS: Readonly<Record<string, string>> = { P: 'precision', R: 'recall' };
const SCALE_TAIL_RE = /^\s?\/\s?(?:5|7|10|100)\.0+$/;

function slashScoreLists(text: string, claims: Claim[]): void {
  SLASH_DECIMALS_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = SLASH_DECIMALS_RE.exec(text)) !== null) {
    const start = m.index;
    const end = start + m[0].length;
    if (overlapsAny(claims, start, end) || (!m[2].includes('/', 1) && SCALE_TAIL_RE.test(m[2]))) continue;
    const before = clauseBefore(text, start, 60);
    if (COMPARISON_END_RE.test(before)) continue;
    const percent = m[3] !== undefined;
    const values = [m[1], ...m[2].split('/').slice(1)].map((v) => v.trim());
    // the measure: one slot per value when as many names stand slashed before the list, else the metric named last
    let slots: Array<string | null> | null = null;
    const names = SLASH_NAMES_END_RE.exec(before);
    if (names) {
      const parts = names[1].split('/');
      const first = canonicalMetric(parts[0]) ?? canonicalMetric(parts[0].replace(/-[\w@.]+$/, ''));
      // ("P/R/F1": precision and recall by their initials beside a named F1)
      const slot = (p: string): string | null => canonicalMetric(p) ?? INITIALS[p] ?? null;
      if (
        parts.length === values.length &&
        parts.some((p) => canonicalMetric(p) !== null) &&
        parts.every((p) => slot(p))
      )
        slots = parts.map(slot);
      // "ROUGE-1/2/L": the variants of one measure
      else if (first !== null && parts.slice(1).every((p) => /^[\w@.]{1,3}$/.test(p)))
        slots = parts.map(() => first);
    }
    if (!slots) {
      const hits = metricHits(before).filter((h) => !UNNAMED.has(h.name));
      const last = hits[hits.length - 1];
      const named = last && METRIC_LINK_END_RE.test(before.slice(last.end)) ? last.name : null;
      if (!named && !percent) continue;
      slots = values.map(() => named);
    }
    let at = start;
    values.forEach((v, i) => {
      const s = text.indexOf(v, at);
      const e = s + v.length + (percent && i === values.length - 1 ? m![3].length : 0);
      at = s + v.length;
      const claim = newClaim(
        text,
        s,
        e,
        Number(v),
        percent ? '%' : 'score',
        'absolute_score',
        slots![i] ?? null,
      );
      KIND_DECIDED.add(claim);
      claims.push(claim);
    });
  }
}

// "reaches 595/600 with …", "(38/50 on each of 3 seeds)", "2/6 tasks for Gemini", "50/50 pooled accuracy": a whole count
// out of a whole count no larger than it (not a split, a ratio or a fraction of something: "70/30 split", "1/3 the
// FLOPs", "3/4 of the data"; not a date or a rating out of 5 or 10)
const COUNT_FRACTION_RE =
  /(?<![\w./$\\:-])([1-9]\d{0,5}|0)\s?\/\s?([1-9]\d{0,5})(?![\w/%:-]|\.\d|\s?\/|,\d)/g;
const YEAR_RE = /^(?:19|20)\d\d$/;
const RANKED_NOUN_RE = /^(?:teams|submissions|entries|entrants)$/;
// (nor a probability restated as a decimal, "a reference of 5/36, approximately 0.139")
const NOT_A_COUNT_AFTER_RE =
  /^\s*(?:,?\s*(?:approximately|approx\.?|roughly|about|i\.e\.|≈|~|=)\s*\$?\d|th\b|of\b|the\b|splits?\b|ratios?\b|mix\w*|partition\w*|divisions?\b|chance\b|odds\b|scale\b|rule\b|split\b|train\w*|[*^=<>]|\$)/i;
const RATING_BOUNDS = new Set([5, 7, 10, 100]);
const OUT_OF_BEFORE_RE = /\b(?:of|among|across)\s+(?:the|all|these|its|their)\s+([a-z]+s)\s*\(\s*$/;
const COUNT_FRACTION_TAIL_RE =
  /^(?:\s*[).,;:]|\s*$|\s+(?:with|on|in|for|of each|across|under|at|and|or|while|when|after|by|from|within|using|correct|successful|successes|were|was|are|is|remain|remained|pass|passed)\b)/i;
// the measure the count is of, named in the words right after ("50/50 pooled accuracy", "1079/1080 controlled pointer
// accuracy"), never further
function metricAfter(after: string): string | null {
  const tail = /^\s+(?:[a-z][\w-]*\s+){0,2}[A-Za-z][\w@-]*/.exec(after)?.[0] ?? '';
  return metricHits(tail).find((h) => !UNNAMED.has(h.name) && h.end === tail.length)?.name ?? null;
}

function countFractions(text: string, claims: Claim[]): void {
  COUNT_FRACTION_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = COUNT_FRACTION_RE.exec(text)) !== null) {
    const n = Number(m[1]);
    const total = Number(m[2]);
    const start = m.index;
    const totalStart = start + m[0].length - m[2].length;
    const afterEnd = text.slice(start + m[0].length, start + m[0].length + 90);
    // (two years are a span of time, "i2b2 2006/2014")
    if (
      n > total ||
      total < 2 ||
      NOT_A_COUNT_AFTER_RE.test(afterEnd) ||
      (YEAR_RE.test(m[1]) && YEAR_RE.test(m[2]))
    )
      continue;
    const noun = countNoun(text, start + m[0].length);
    if (RATING_BOUNDS.has(total) && !noun) continue;
    // (a place among the teams of a shared task is a rank, "an F1 of 0.75 (26/96 teams)")
    if (noun && RANKED_NOUN_RE.test(noun.noun)) continue;
    // (one out of a whole with nothing counted is a fraction, "1/16 resolution", "to 1/6 and latency to 1/4")
    if (n === 1 && !noun) continue;
    // (a fraction in math or after an operator is a formula, "(5/24)*delta"; a pair in a list of ratios is a
    // composition, "(8/2, 2/8)"; after a capitalised name it is the name's, "AIME 24/25")
    const before = text.slice(Math.max(0, start - 16), start);
    if (
      /[=^_*+]\s*\$?\s*$/.test(before) ||
      /^\)?\s*(?:[*^×·/]|\\)/.test(afterEnd) ||
      /\d\s?\/\s?\d+\s*,\s*$/.test(before) ||
      /^\s*,\s*\d+\s?\/\s?\d/.test(afterEnd) ||
      /(?:^|[\s(])[A-Z][\w-]*\s$/.test(before)
    )
      continue;
    // (what follows is what is counted, the measure, or no noun at all: "40/60 fusion" names a mixture)
    if (!noun && !COUNT_FRACTION_TAIL_RE.test(afterEnd) && !metricAfter(afterEnd)) continue;
    const end = start + m[0].length + (noun ? noun.text.length : 0);
    if (overlapsAny(claims, start, end)) continue;
    const got = newClaim(text, start, start + m[1].length, n, 'count', 'other', metricAfter(afterEnd));
    // (with no noun after it, what it is out of may be named right before: "half of the families (8/17)")
    const backNoun = noun ? null : OUT_OF_BEFORE_RE.exec(text.slice(Math.max(0, start - 60), start))?.[1];
    const kind: ClaimKind = SCOPE_NOUNS.has(noun?.noun ?? backNoun?.toLowerCase() ?? '') ? 'scope' : 'size';
    const outOf = newClaim(text, totalStart, end, total, 'count', kind, null);
    KIND_DECIDED.add(got);
    KIND_DECIDED.add(outOf);
    claims.push(got, outOf);
  }
}

// (a cheap test first: most abstracts hold a "/" only in a web address, none between two digits)
function digitSlashDigit(text: string): boolean {
  for (let i = text.indexOf('/'); i >= 0; i = text.indexOf('/', i + 1)) {
    const b = text.charCodeAt(i - 1) === 0x20 ? text.charCodeAt(i - 2) : text.charCodeAt(i - 1);
    const a = text.charCodeAt(i + 1) === 0x20 ? text.charCodeAt(i + 2) : text.charCodeAt(i + 1);
    if (b >= 0x30 && b <= 0x39 && a >= 0x30 && a <= 0x39) return true;
  }
  return false;
}

/** Adds the slash lists of scores and the "N/M" counts no claim covers, keeping the claims sorted by position. */
export function slashValues(text: string, claims: Claim[]): void {
  if (!digitSlashDigit(text)) return;
  const n = claims.length;
  slashScoreLists(text, claims);
  countFractions(text, claims);
  if (claims.length !== n) claims.sort((a, b) => a.start - b.start);
}
