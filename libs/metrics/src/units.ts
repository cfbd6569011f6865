// Phase 2 — unit resolution: the unit right after a number token (%, pp, x, scale letters and words, bytes,
// params/tokens, written units, counted nouns), each read by a sticky pattern at the token's end.

import type { ClaimUnit } from '@paperwire/contracts';
import {
  BYTE_UNITS,
  COUNT_ADJECTIVES,
  OTHER_UNITS,
  SCALE_LETTERS,
  SCALE_WORDS,
  SCOPE_NOUNS,
  SIZE_NOUNS,
  TIME_UNITS,
} from './lexicon';
import { canonicalMetric } from './metric-table';
import { codeAt, escapeRe, isAlnum, type NumberToken, stickyMatch, wordsAfter } from './numbers';

// Counted things that are the paper's own parts, not the size of an evaluation.
export const NON_COUNT_NOUNS = new Set([
  'challenges',
  // metrics-1.18.0: "a framework built upon two core designs"
  'designs',
  'findings',
  'directions',
  'mechanisms',
  'stages',
  'phases',
  'components',
  'modules',
  'contributions',
  'ideas',
  'insights',
  'aspects',
  'assumptions',
  'granularities',
  'techniques',
  'dimensions',
  'axes',
  'types',
  'tiers',
  'hands',
  'pillars',
  'principles',
  'innovations',
  'parts',
  'steps',
  'ways',
  'reasons',
  'factors',
  'properties',
  'lessons',
  'observations',
  'regimes',
  'perspectives',
  'levels',
  'key',
  'structures',
  'gates',
  'vertices',
  'shortcomings',
  'limitations',
  'drawbacks',
  'weaknesses',
  'strengths',
  'advantages',
  'benefits',
  'goals',
  'objectives',
  'folds',
  'branches',
  'pathways',
  'streams',
  // terms of the paper's own objective: "with two losses", "three variants"
  'losses',
  'variants',
  'regularizers',
  'constraints',
  // "at both 4B and 8B scales": sizes of a model family, not a count
  'scales',
  // what a method must satisfy or find ("two conflicting requirements", "minimizing two discrepancies")
  'requirements',
  'discrepancies',
  // "three core capabilities" a benchmark tests, "learns two capabilities": what is measured, not a count
  'capabilities',
]);

export interface Unit {
  unit: ClaimUnit;
  /** text of the unit as written (may be empty for a bare number) */
  text: string;
  /** multiplier applied to the number (scale letters, GB, ...) */
  factor: number;
  unitText: string | null;
  /** count noun, when the unit is a counted noun */
  noun?: string;
  /** a duration written as a compound adjective: "5-year", "two-day", "64-year-old" */
  duration?: true;
}

/**
 * A unit, built in one place so that every unit has the same fields in the same order: one hidden class. Units built as
 * literals of four shapes (with or without `noun`, `duration`, or copied by a spread) deoptimized every function a new
 * shape reached, text the warm code had not met brought it, and V8 then compiled the extractor again on the worker's
 * thread.
 */
export function unitOf(
  unit: ClaimUnit,
  text: string,
  factor: number,
  unitText: string | null,
  noun?: string,
  duration?: true,
): Unit {
  return { unit, text, factor, unitText, noun, duration };
}
// A factor no small integer holds ("a trillion tokens": 1e12) changes how V8 stores that field, and with it the hidden
// class of every unit: when novel text first brought one, every optimized function that held a unit (and the code that
// read drafts and claims built from one) was deoptimized at once. Units built here with a fractional factor give the
// class its general field from the start (a hundred: V8 makes the literal's template only once unitOf has feedback).
for (let k = 0; k < 100; k++) unitOf('x', '', 0.5, null);

export const OTHER_UNIT_ALT = [...OTHER_UNITS]
  .sort((a, b) => b.length - a.length)
  .map(escapeRe)
  .join('|');
// Sticky patterns tried at the end of a number; each is a bounded alternation of literals.
// "1.3 wt.%", "5 vol%", "2 mol.%": a percentage by weight, volume or amount is a percentage
// (metrics-1.26.0: "by 10+%", a bound written between the number and its sign)
export const PERCENT_RE =
  /\s?(?:(?:wt|vol|mol)\.?\s?%|\+?\\?%|\s?percent(?:age)?(?! points?)\b|\s?per cent\b)(?:\s*(?:absolute|abs\.)\b)?/y;
export const PP_RE =
  /\s?(?:-points?\b|pp\b|p\.p\.|\\?%p\b|percentage[- ]points?\b|%\s*points?\b|%-points?\b|points?\b|pts?\b|absolute (?:percentage )?points?\b)/y;
export const AVERAGED_POINTS_RE = /^(?:average|avg\.?|macro|micro|mean)$/i;
export const METRIC_POINTS_RE = /\s([A-Za-z][\w@-]{0,14})\s(?:points?|pts?)\b/y;
export const PERCENT_THEN_ABS_RE = /\s?(?:\\?%)\s*(?:absolute|abs\.)(?![\w-])/y;
export const TIMES_RE =
  /\s?(?:[xX](?![a-zA-Z0-9])|×|\$?\s?\\times\s?\$?|\{\\?times\}|-?\s?fold\b|\s?times\b(?! (?:of|per|when|where|in which|as many))|\s?orders? of magnitude\b)/y;
export const SCALE_LETTER_RE = /([kKMBT])(?![a-zA-Z0-9])/y;
export const SPACED_SCALE_RE = / ([KMB])(?![a-zA-Z0-9])/y;
export const SCALE_WORD_RE = /\s?(thousand|million|billion|trillion)\b/iy;
export const BYTES_RE = /\s?(bytes?|[KMGTP]i?B|kB)(?![a-zA-Z0-9])/y;
export const PARAMS_RE = /[\s-]?(?:parameters?|params?)\b/iy;
export const TOKENS_RE = /[\s-]?(?:tokens?)\b/iy;
export const OTHER_UNIT_RE = new RegExp(
  `\\s?(${OTHER_UNIT_ALT})(?![\\w%])(?:(?![\\s·/]?in\\b)[\\s·/]?(?:${OTHER_UNIT_ALT})(?:[−-]?\\d)?(?![\\w%])){0,2}`,
  'y',
);
// "a 5-year follow-up", "2-hour postload glucose", "Ten-day-old rosettes", "a 64-year-old male": a duration
// joined to its noun by a hyphen
export const HYPHEN_DURATION_RE =
  /-(seconds?|minutes?|min|hours?|hr|days?|nights?|weeks?|months?|years?|decades?)(?:-old)?(?![\w-])/y;
// multi-letter units only: "3-D", "4-A" and the like are names, not measurements
export const HYPHEN_UNIT_RE = new RegExp(
  `-(${OTHER_UNITS.filter(
    (u) => u.length >= 2 && !/^(?:in|mi|ft|AU|pc|ha|Ma|ka|yr|yrs|pm|um|mm?ol|mM)$/.test(u),
  )
    .sort((a, b) => b.length - a.length)
    .map(escapeRe)
    .join('|')})(?![\\w%-])`,
  'y',
);
// (metrics-1.20.0: up to three modifiers between — "a 300-example human calibrated gold evaluation set", "a
// 997-sentence FLORES+ dev set", "a 4,515-question, text-only benchmark" —, and samples, pools and audits as the set:
// "a 10,000-record sample", "a 40-example few-shot pool", "a 200-case … manual audit")
export const HYPHEN_DATA_NOUN_RE =
  /-([a-z]{3,12})(?=,?\s+(?:[\w+-]+\s+){0,3}?(?:evaluation|benchmark|test set|dataset|set|subset|corpus|suite|split|collection|sample|pool|audit|cohort|panel|study|run|resource|extension)\b)/y;
// data a benchmark is made of ("5-shot evaluation", "4-bit model" stay compound settings)
// (metrics-1.32.0: and the people and domains a cohort, panel, study or run is made of — "a 1,482-patient cohort", "a
// 14-member clinical panel", "a 50-participant study", "an 8-domain dataset", "a 200-question run"; "a 5-way human study"
// stays a setting)
export const HYPHEN_DATA_NOUNS = new Set([
  'participants',
  'subjects',
  'members',
  'users',
  'domains',
  'artworks',
  'personas',
  'images',
  'queries',
  'questions',
  'prompts',
  'samples',
  'examples',
  'videos',
  'documents',
  'problems',
  'instances',
  'items',
  'dialogues',
  'conversations',
  'sentences',
  'utterances',
  'tasks',
  'pairs',
  'clips',
  'scenes',
  'patients',
  'articles',
  'cases',
  'records',
  'entries',
]);
/** "-query" of "a 150-query evaluation" at `pos`: the data noun (plural) and the text it spans, or null. */
export function hyphenDataNoun(text: string, pos: number): { text: string; noun: string } | null {
  const m = stickyMatch(HYPHEN_DATA_NOUN_RE, text, pos);
  if (!m) return null;
  const noun = m[1].endsWith('y') ? `${m[1].slice(0, -1)}ies` : `${m[1]}s`;
  return HYPHEN_DATA_NOUNS.has(noun) ? { text: m[0], noun } : null;
}
export const HYPHEN_SCALE_NOUN_RE = /-(thousand|million|billion|trillion)-(tokens?|parameters?|params?)\b/iy;
// "162G FLOPs", "3.9 GFLOPs": a compute amount whose scale letter is written apart from FLOPs
export const SCALED_FLOPS_RE = /\s?([GTP])\s?(FLOPs|FLOPS)(?![\w])/y;
const FLOPS_SCALE: Readonly<Record<string, number>> = { G: 1e9, T: 1e12, P: 1e15 };
const APART_SCALE_RE = /(?:\s?\\[,;:]\s?\\(?:mathrm|text|rm)\{([MGTP])\}|\s([MGTP])(?![\w.,]?\w))/y;
const FLOPS_BEFORE_RE = /\b(?:[GTP]?FLOPs|FLOPS|MACs)\b(?:[^.;]|\.(?=\d)){0,45}$/;
// "a 2b parameter model", "an 8b model": a lower-case billion before what it sizes
export const LOWER_B_PARAMS_RE = /b(?=[\s-](?:param|model|LLM|LM\b|variant|backbone))/y;
// "10.8M trainable parameters", "7B total parameters": a modifier between the scale and "parameters"
export const PARAMS_AFTER_MODIFIER_RE =
  /[\s-](?:trainable|learnable|tunable|total|active|activated|additional|extra)\s(?:parameters?|params?)\b/iy;
// "parameter scales from 86M to 632M", "model sizes of 7B": the sizes of a range named before it
const PARAM_SCALE_BEFORE_RE =
  /\b(?:parameter|model)\s(?:scales?|sizes?|counts?)\s(?:from|of|between|ranging from)\s(?:[\d.]+[KMBT]?\s(?:to|and|-)\s)?$/i;
const PARAMS_EARLIER_RE = /\d[MB][\s-]param(?:eter)?s?\b[^.;]*$/;
const PARAM_COUNT_TO_RE =
  /\b(?:parameter|param|model)\s+(?:count|size)\s+(?:(?:is|was|are|were)\s+)?(?:[a-z]+\s+)?(?:to|of)\s+(?:about\s+|around\s+|~\s*)?$/i;
export const CURRENCY_BEFORE_RE = /(?:US\$|\$|€|£|¥)\s?$/;

// LaTeX spacing between a number and its unit: "85.3~\\%", "90\\,\\%", "7\\,B parameters", "1.2~M images"
// "2.0,M-parameter", "23,ms": a "\\," whose backslash an export dropped, kept only before a scale or a unit
export const LATEX_SPACE_RE =
  /(?:\$\s?(?=\\?%)|~|\\[,;:! ]|\\(?:thinspace|enspace|quad)\b\s?|,(?=[KMBT][\s-]?(?:param|token)|(?:ms|µs|GB|MB|TB)\b))(?=[^\s\d~])/y;

const SIGN_CODES: ReadonlySet<number> = new Set([0x2d /* - */, 0x2b /* + */, 0x2212 /* − */]);

const MATH_HYPHEN_SIZE_RE = /^-(?:(?:million|billion|trillion)-)?(?:tokens?|param(?:eter)?s?)\b/i;
// ("$512$ text chunks": a lower-case modifier before the plural, not a word that ends a phrase, "$1$ but degrades")
const modifiedNoun = (phrase: string): boolean => {
  const m = /^\s*([a-z][a-z-]+)\s+[a-z][a-z-]+s\s*$/.exec(phrase);
  return m !== null && !STOPWORDS.has(m[1]) && !RUN_BREAKS.has(m[1]) && !AFTER_NUMBER_VERBS.has(m[1]);
};
const listedPluralNoun = (noun: string | undefined): boolean =>
  noun !== undefined && /s$/.test(noun) && (SCOPE_NOUNS.has(noun) || SIZE_NOUNS.has(noun));

/** Reads the unit right after a number; null means "bare number". A LaTeX space before the unit is skipped. */
export function readUnit(text: string, tok: NumberToken): Unit | null {
  const space = stickyMatch(LATEX_SPACE_RE, text, tok.end);
  if (space) {
    const u = readUnitAt(text, tok, tok.end + space[0].length);
    if (u && u.text) return unitOf(u.unit, space[0] + u.text, u.factor, u.unitText, u.noun, u.duration);
  }
  // metrics-1.22.0: "$34$ billion parameters", "by $105$ times", "$3$x", "$4.5$ points", "$420$k images": a number
  // alone in LaTeX math keeps the unit written after the "$" that closes it
  // ("GSM$8$K": a "$" glued to a word is part of a name; "$2$-simplicial": a hyphenated modifier stays as it was read)
  // (metrics-1.31.0: a sign inside the math too, "a paired difference of $-33.07$ pp")
  const signed = SIGN_CODES.has(codeAt(text, tok.start - 1)) && codeAt(text, tok.start - 2) === 0x24;
  if (
    codeAt(text, tok.end) === 0x24 /* $ */ &&
    (codeAt(text, tok.start - 1) === 0x24 || signed) &&
    !isAlnum(text[tok.start - (signed ? 3 : 2)])
  ) {
    // metrics-1.32.0: "a $512$-token context", "a $7$-billion-parameter model": a hyphenated token or parameter count
    // reads as it does without the math ("$2$-simplicial", "$3$-read" stay modifiers)
    const hyphen = codeAt(text, tok.end + 1) === 0x2d; /* - */
    const w =
      hyphen && !MATH_HYPHEN_SIZE_RE.test(text.slice(tok.end + 1, tok.end + 24))
        ? null
        : readUnitAt(text, tok, tok.end + 1);
    // (not a bare counted noun: "$2$ admits" keeps the metrics-1.7.0 reading, a verb after math is no counted noun;
    // metrics-1.32.0: a listed plural noun, or one with a modifier, is counted, "$4$ datasets", "$512$ text chunks")
    if (
      w &&
      w.text &&
      (!hyphen || w.unit === 'tokens' || w.unit === 'params') &&
      (w.unit !== 'count' || w.factor !== 1 || listedPluralNoun(w.noun) || modifiedNoun(w.text))
    )
      return unitOf(w.unit, '$' + w.text, w.factor, w.unitText, w.noun, w.duration);
  }
  const u = readUnitAt(text, tok, tok.end);
  if (u || tok.isWord) return u;
  // metrics-1.13.0: "\textbf{10.57}$\times$", "{2.1}\%": a multiplier or percent written after the brace that
  // closes a wrapper around the value
  if (
    codeAt(text, tok.end) === 0x7d /* } */ &&
    /\{$/.test(text.slice(Math.max(0, tok.start - 1), tok.start))
  ) {
    // (metrics-1.25.0: "$\textbf{35.8}$%": the math that holds the wrapper closes before the sign)
    const math = codeAt(text, tok.end + 1) === 0x24 /* $ */ ? '$' : '';
    const w = readUnitAt(text, tok, tok.end + 1 + math.length);
    if (w && (w.unit === 'x' || w.unit === '%' || w.unit === 'pp'))
      return unitOf(w.unit, '}' + math + w.text, w.factor, w.unitText, w.noun, w.duration);
  }
  // "$\times5.04$", "$\sim \times2.6$", "×3": a multiplier sign written before the number ("32 \times 32" is a
  // shape: isNotAQuantity)
  if (LEADING_TIMES_RE.test(text.slice(Math.max(0, tok.start - 8), tok.start)))
    return unitOf('x', '', 1, null);
  return null;
}
const LEADING_TIMES_RE = /(?:\\times|×)\s?$/;
const WORD_DURATION_RE =
  /\s(seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?)\b(?![\s-]+(?:ago|ahead|later|earlier|old|prior)\b)/iy;

export function readUnitAt(text: string, tok: NumberToken, pos: number): Unit | null {
  let m: RegExpExecArray | null;
  if (codeAt(text, pos) === 0x2d /* - */) {
    // "a 1.2-trillion-token corpus", "a 400-billion-parameter model"
    if (!tok.isWord && (m = stickyMatch(HYPHEN_SCALE_NOUN_RE, text, pos)))
      return unitOf(/^tok/i.test(m[2]) ? 'tokens' : 'params', m[0], SCALE_WORDS[m[1].toLowerCase()], null);
    if ((m = stickyMatch(HYPHEN_DURATION_RE, text, pos)))
      return unitOf('other', m[0], 1, m[1], undefined, true);
    // "100-ml bioreactors", "a 27-km ring", "50-ms activity": a measurement joined to its noun by a hyphen
    if (!tok.isWord && (m = stickyMatch(HYPHEN_UNIT_RE, text, pos))) return unitOf('other', m[0], 1, m[1]);
    // "a 150-query evaluation", "a 300-image test set": a data noun joined to the set it sizes
    const data = tok.isWord ? null : hyphenDataNoun(text, pos);
    if (data) return unitOf('count', data.text, 1, null, data.noun);
  }
  if (!tok.isWord) {
    // "9 F1 points", "+2.12 F1 points", "3.1 BLEU points": percentage points of a named metric
    // ("0.83 macro points", "16.0 average points": points of an averaged metric)
    if (
      (m = stickyMatch(METRIC_POINTS_RE, text, pos)) &&
      (canonicalMetric(m[1]) !== null || AVERAGED_POINTS_RE.test(m[1]))
    )
      return unitOf('pp', m[0], 1, null);
    if ((m = stickyMatch(PERCENT_THEN_ABS_RE, text, pos))) return unitOf('pp', m[0], 1, null);
    if ((m = stickyMatch(PP_RE, text, pos)) && !/^\s?points?\b/.test(m[0]) && !pointNoun(text, pos, m[0]))
      return unitOf('pp', m[0], 1, null);
  }
  // "15%", and also "fifteen percent": a number word takes a written-out percent sign
  if ((m = stickyMatch(PERCENT_RE, text, pos)) && (!tok.isWord || /percent|per cent/i.test(m[0]))) {
    return unitOf(/absolute|abs\./.test(m[0]) ? 'pp' : '%', m[0], 1, null);
  }
  if ((m = stickyMatch(TIMES_RE, text, pos))) {
    const magnitude = /order/.test(m[0]);
    return unitOf('x', m[0], magnitude ? -1 : 1, null);
  }
  if (tok.isWord) {
    if (/^(?:twice|thrice)$/i.test(text.slice(tok.start, tok.end))) return unitOf('x', '', 1, null);
    // metrics-1.17.0: "collected over eight years", "more than two years of posts", "within one hour": a number word
    // takes a duration unit as a digit does ("six months ahead" is a horizon, "two years ago" a date)
    // ("over the past two decades" is the background's time, "a six month lead time" a compound setting)
    if (
      (m = stickyMatch(WORD_DURATION_RE, text, pos)) &&
      (tok.value === 1) === !/s$/i.test(m[1]) &&
      !/\b(?:past|last|next|coming|recent|previous|first)\s+$/i.test(
        text.slice(Math.max(0, tok.start - 12), tok.start),
      )
    )
      return unitOf('other', m[0], 1, m[1].toLowerCase());
    // (metrics-1.36.0: "across five in-domain and four existing benchmarks": a number word shares the listed noun of the
    // count it is coordinated with, as digits do)
    const shared = countNoun(text, pos) ? null : sharedCountNoun(text, pos);
    // (not when the words before "and" end in a plural noun of their own: "nine auditable components and 6,438
    // instances", "three analytical levels and three domains" count two things)
    const noun =
      countNoun(text, pos) ??
      (shared && listedPluralNoun(shared.noun) && !/[^s]s$/.test(shared.text.trim().split(/\s+/).pop() ?? '')
        ? shared
        : null);
    return noun ? unitOf('count', noun.text, 1, null, noun.noun) : null;
  }
  if ((m = stickyMatch(SCALED_FLOPS_RE, text, pos))) return unitOf('other', m[0], FLOPS_SCALE[m[1]], 'FLOPs');
  // metrics-1.27.0: "reducing FLOPs from 8.21\,\mathrm{G} to 1.55\,\mathrm{G}", "FLOPs drop from 8.21 G to 1.55 G": a scale letter
  // alone (in LaTeX roman or after a space) of a compute amount the clause names just before
  if (
    (m = stickyMatch(APART_SCALE_RE, text, pos)) &&
    (FLOPS_BEFORE_RE.test(text.slice(Math.max(0, tok.start - 60), tok.start)) ||
      /^\$?\s*(?:FLOPs|FLOPS|MACs)\b/.test(text.slice(pos + m[0].length, pos + m[0].length + 8)))
  )
    return unitOf('other', m[0], FLOPS_SCALE[m[1] ?? m[2]] ?? 1e6, 'FLOPs');
  // metrics-1.24.0: "208 slides per hour", "50,000 requests per second": items processed per unit of time are a rate,
  // measured as written (GUIDE: a rate in items per unit of time is throughput)
  if ((m = stickyMatch(ITEM_RATE_RE, text, pos))) return unitOf('other', m[0], 1, m[0].trim());
  // ("GPT-OSS:20b", "llama3.1:8b" are model tags, names)
  if (
    /^[\s(]?$/.test(text.slice(tok.start - 1, tok.start)) &&
    (m = stickyMatch(LOWER_B_PARAMS_RE, text, pos))
  ) {
    const p = stickyMatch(PARAMS_RE, text, pos + 1);
    return unitOf('params', m[0] + (p ? p[0] : ''), 1e9, null);
  }
  // "7B", "32K", "1.5M" (attached) or "7 billion"
  let factor = 1;
  let scaleText = '';
  if ((m = stickyMatch(SCALE_LETTER_RE, text, pos))) {
    factor = SCALE_LETTERS[m[1]];
    scaleText = m[0];
  } else if (
    (m = stickyMatch(SPACED_SCALE_RE, text, pos)) &&
    (countNoun(text, pos + m[0].length) ||
      /^[\s-](?:param|token)/i.test(text.slice(pos + m[0].length, pos + m[0].length + 7)))
  ) {
    // "500 K images", "7 B parameters": a spaced scale letter is a scale only before what it counts
    factor = SCALE_LETTERS[m[1]];
    scaleText = m[0];
  } else if ((m = stickyMatch(SCALE_WORD_RE, text, pos))) {
    factor = SCALE_WORDS[m[1].toLowerCase()];
    scaleText = m[0];
  }
  const after = pos + scaleText.length;
  if (!scaleText && (m = stickyMatch(BYTES_RE, text, after))) {
    return unitOf('bytes', m[0], BYTE_UNITS[m[1]] ?? 1, m[1]);
  }
  if ((m = stickyMatch(PARAMS_RE, text, after))) return unitOf('params', scaleText + m[0], factor, null);
  if (scaleText && (m = stickyMatch(PARAMS_AFTER_MODIFIER_RE, text, after)))
    return unitOf('params', scaleText + m[0], factor, null);
  if ((m = stickyMatch(TOKENS_RE, text, after))) return unitOf('tokens', scaleText + m[0], factor, null);
  if (
    (m = stickyMatch(PP_RE, text, after)) &&
    !scaleText &&
    // metrics-1.15.0: "20 point correspondences", "the 5-point algorithm", "a 7-point Likert scale": "point" as the
    // first word of a noun phrase names no percentage points
    !pointNoun(text, after, m[0]) &&
    // metrics-1.27.0: "n=8,682 points": the points a sample size counts
    !/\b[nN]\s?=\s?\$?$/.test(text.slice(Math.max(0, tok.start - 6), tok.start))
  )
    return unitOf('pp', m[0], 1, null);
  if (scaleText) {
    // metrics-1.27.0: "14B bits of knowledge": a scaled amount of information, no model's parameters
    const info = /^\s(bits?|nats?)\b/.exec(text.slice(after, after + 8));
    if (info) return unitOf('other', scaleText + info[0], factor, info[1]);
    // a scaled number: what follows decides between a model size, a context length and a count
    const next = wordsAfter(text, after, 3);
    const ctx = text.slice(Math.max(0, tok.start - 40), tok.start).toLowerCase();
    // "21k hours of driving": a scaled duration
    const time = /^\s/.test(text.slice(after, after + 1)) ? stickyMatch(OTHER_UNIT_RE, text, after) : null;
    if (time && TIME_UNITS.has(time[0].trim()) && time[0].trim().length > 1)
      return unitOf('other', scaleText + time[0], factor, time[0].trim());
    if (
      // (metrics-1.15.0: whole words — "2K instructions", "1K dense scene descriptions" count data)
      /^[-\s]?(?:(?:models?|llms?|lms?|moe|instruct|chat|variants?|backbones?|students?|teachers?|baselines?)\b|(?:dense|base)(?=\s*(?:models?\b|llms?\b|lms?\b|transformers?\b|variants?\b|counterparts?\b|and\b|or\b|[,.;)]|$)))/i.test(
        text.slice(after, after + 24),
      ) ||
      // metrics-1.14.0: "our 0.5B-scale model", "a 30M action head": a model, or a part of one, sized by it
      /^-(?:scale|sized?)\s(?:model|llm|lm|vlm|backbone|student|teacher|network|transformer)/i.test(
        text.slice(after, after + 20),
      ) ||
      /^\s(?:[a-z]+\s)?(?:heads?|encoders?|decoders?|adapters?)\b/.test(text.slice(after, after + 24)) ||
      // "at the 100M, 1B and 3B parameter scales": a list of sizes with the unit written once at its end
      SCALE_LIST_THEN_PARAMS_RE.test(text.slice(after, after + 60)) ||
      (/\b(?:with|of)\s*$/.test(ctx) && /param|model/.test(next.join(' '))) ||
      PARAM_SCALE_BEFORE_RE.test(ctx)
    ) {
      return unitOf('params', scaleText, factor, null);
    }
    const noun = countNoun(text, after);
    // (metrics-1.32.0: "7B VLAs": a scaled number before a kind of model in the plural sizes the models, read as a bare "7B")
    if (noun && !(noun.noun === 'models' && /[A-Z]s$/.test(noun.text)))
      return unitOf('count', scaleText + noun.text, factor, null, noun.noun);
    if (
      /^[-\s]?(?:context|sequence|length|window)/i.test(text.slice(after, after + 12)) ||
      /(?:context|sequence)(?: length| window)?(?: of)?(?: up to)?\s*$/.test(ctx)
    ) {
      return unitOf('tokens', scaleText, factor, null);
    }
    // a bare "53.3B" or "7B" is, in ML abstracts, a model size, and so is a bare "278M" after a parameter count of
    // the same sentence ("BERT at 125M parameters matching XLM-R at 278M", metrics-1.14.0)
    // (metrics-1.25.0: and a bare "662M" that a parameter count is set to, "the parameter count is increased to 662M")
    if (
      /^[BT]$/.test(scaleText) ||
      // (a code compare: a scale word read from the text is no internalised string, codeAt)
      (scaleText.length === 1 &&
        scaleText.charCodeAt(0) === 0x4d /* M */ &&
        (PARAMS_EARLIER_RE.test(text.slice(Math.max(0, tok.start - 100), tok.start)) ||
          PARAM_COUNT_TO_RE.test(text.slice(Math.max(0, tok.start - 60), tok.start))))
    )
      return unitOf('params', scaleText, factor, null);
    return unitOf('count', scaleText, factor, null);
  }
  if ((m = stickyMatch(OTHER_UNIT_RE, text, pos))) {
    const written = m[0].trim();
    // "in", "A", "S", "T", "N", "V", "s", "m", "h", "g" alone are also words: only after a space-free number or
    // when the next character cannot continue a word
    if (
      /^(?:in|A|S|T|N|V|W|J|K|L|g|h|m|s|min|ha|bar|pc|mi|ft|AU)$/.test(written) &&
      !plausibleShortUnit(text, pos, m[0])
    ) {
      // fall through to count nouns
    } else {
      return unitOf('other', m[0], 1, written);
    }
  }
  // metrics-1.14.0: "DreamX-World 1.0 reaches", "ABot-Earth 0.5 significantly lowers": a fraction right after a
  // capitalised name is its version, which counts nothing
  if (
    /\.\d/.test(text.slice(tok.start, tok.end)) &&
    /[A-Z][\w-]*\s$/.test(text.slice(Math.max(0, tok.start - 30), tok.start))
  )
    return null;
  const noun = countNoun(text, pos) ?? sharedCountNoun(text, pos) ?? listedCountNoun(text, pos);
  if (noun) return unitOf('count', noun.text, 1, null, noun.noun);
  return null;
}

const SCALE_LIST_THEN_PARAMS_RE =
  /^(?:(?:,\s*(?:and\s+)?|\s+and\s+|\s*\/\s*)\d+(?:\.\d+)?[KMBT]\b){1,4}[\s-]param/;

// "400 English and 400 Chinese questions", "3,413 multiple-choice and 768 open-ended questions", "5 frontier and
// 5 open-weight models": a count whose noun is written once, after the next count of the pair
// (metrics-1.36.0: in number words too, "across five in-domain and four existing benchmarks", "on one simulated and
// two real datasets", "three base and four thinking models")
const SHARED_NOUN_RE =
  /\s([A-Za-z][\w-]*)(?:\s([A-Za-z][\w-]*))?\sand\s(?=\d|(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s)/y;
const SHARED_NEXT_NUMBER_RE =
  /\d{1,3}(?:,\d{3})*(?:\.\d+)?|\d+(?:\.\d+)?|(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)(?=\s)/y;

function sharedCountNoun(text: string, pos: number): { text: string; noun: string } | null {
  const m = stickyMatch(SHARED_NOUN_RE, text, pos);
  if (!m) return null;
  const mods = [m[1], m[2]].filter((w): w is string => Boolean(w));
  if (mods.some((w) => STOPWORDS.has(w.toLowerCase()) || AFTER_NUMBER_VERBS.has(w.toLowerCase())))
    return null;
  if (mods.some((w) => canonicalMetric(w) !== null || /^(?:on|in|at|for|by)$/i.test(w))) return null;
  const num = stickyMatch(SHARED_NEXT_NUMBER_RE, text, pos + m[0].length);
  if (!num) return null;
  const next = countNoun(text, pos + m[0].length + num[0].length);
  if (!next) return null;
  return { text: m[0].slice(0, m[0].length - ' and '.length), noun: next.noun };
}

// metrics-1.26.0: "span 5, 9, and 12 agents": whole numbers listed before one counted noun each count it
const COUNT_LIST_RE =
  /(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)\d{1,4}(?![\d%]|[.,]\d)(?:(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)\d{1,4}(?![\d%]|[.,]\d)){0,4}/y;
function listedCountNoun(text: string, pos: number): { text: string; noun: string } | null {
  if (!/^[,\s]/.test(text[pos] ?? '') || /[.\d]/.test(text[pos - 2] ?? '')) return null;
  const m = stickyMatch(COUNT_LIST_RE, text, pos);
  // (a list of three or more, with its commas: "3 or 4 orders of magnitude" is no list of counts)
  // (metrics-1.27.0: the first of "5, 9, and 12 agents" — a comma after a listed number is the list's, no decimal or
  // thousands separator — and the middle of "3, 7 and 15 robots", whose comma is before it)
  if (
    !m ||
    !(
      m[0].includes(',') || /(?:^|[^\d.,])\d{1,4}\s*,\s*\d{1,4}$/.test(text.slice(Math.max(0, pos - 12), pos))
    ) ||
    /^\s*orders?\s+of\b/i.test(text.slice(pos + m[0].length, pos + m[0].length + 12)) ||
    // ("5, 10, and 20-shot settings": the last item is a compound setting, no count)
    !/^\s/.test(text.slice(pos + m[0].length, pos + m[0].length + 1))
  )
    return null;
  const next = countNoun(text, pos + m[0].length);
  return next ? { text: '', noun: next.noun } : null;
}

export function plausibleShortUnit(text: string, pos: number, matched: string): boolean {
  const written = matched.trim();
  const next = text.slice(pos + matched.length, pos + matched.length + 12);
  if (written === 'in') return /^\s(?:thick|long|wide|diameter|tall)/.test(next);
  if (/^(?:A|S|T|N|V|W|J|L)$/.test(written))
    return /^(?:\s*[,.;)]|\s+(?:and|or|to|at|of|for|in|with|m|s)\b|$)/.test(next);
  // m, s, h, g, K: a unit when followed by punctuation, an operator or a lowercase word
  // (metrics-1.25.0: or by a measure the table names, "a 0.013 m RMSE", "within 2 m error")
  return (
    /^(?:\s*[,.;:)\]/±−-]|\s+[a-z(]|$)/.test(next) ||
    /^\s*[−-]?\d/.test(next) ||
    canonicalMetric(
      /^\s+([A-Za-z]+)/.exec(text.slice(pos + matched.length, pos + matched.length + 16))?.[1] ?? '',
    ) !== null
  );
}

// metrics-1.36.0: the nouns that count kinds of something named after "of" ("7 types of sarcasm"), the words after "of"
// that are no category of data (a benchmark's difficulty, the paper's own attention or hierarchy), and the plain
// lower-case noun that may follow the first word after "of" ("three levels of nitrogen availability")
const TYPES_OF_NOUN_RE = /^(?:types|kinds|forms|levels|stages|grades)$/;
const TYPES_OF_NOT_RE =
  /^(?:thinking|capability|capabilities|guidance|objectives|examples|reinforcement|difficulty|difficulties|complexity|abstraction|granularity|granularities|detail|details|supervision|attention|hierarchy|resolution|resolutions|scale|scales|noise|information|knowledge|features?|representations?|reasoning|learning|training|fusion|interaction|interactions|parallelism|modeling|modelling|analysis|abstractions|uncertainty|memory|caching|sparsity|quantization|precision|compression|context|semantics|processing|optimization|adaptation|evaluation|the|our|their|its|these|this|such)$/;
const COMPARED_METHOD_NOUN_RE = /^(?:strategies|techniques|mechanisms|paradigms)$/;
// (the number itself, in digits or a word, ends the text tested)
const COMPARED_BEFORE_RE =
  /\b(?:evaluat(?:e|es|ed|ing)|compar(?:e|es|ed|ing)|test(?:s|ed|ing)?|benchmark(?:s|ed|ing)?|assess(?:es|ed|ing)?|across|against|investigat(?:e|es|ed|ing)\s+how)\s+[\w,-]+\s*$/i;
const TYPES_OF_OWN_BEFORE_RE =
  /\b(?:propos\w*|categori[sz]e|introduc\w*|design\w*|produc\w*|supports?|leverag\w*|identif\w*|focus\w*\s+on|exists?|enabl\w*|structured\s+across|distill\w*(?:\s+\w+){0,2}\s+from|incorporat\w*|integrat\w*|combin\w*)\s+[\w-]+\s*$/i;
const OF_NOUN_AFTER_RE = /^[a-z][a-z]{2,}(?:s|ity|ment|ion|ness|ence|ance|y)$/;
// "two distinct types", "three fundamental types": kinds of the paper's own argument, not categories of data
const GENERIC_TYPE_ADJ =
  /^(?:distinct|different|fundamental|main|major|key|common|basic|primary|core|general|broad|specific|various|diverse|new|novel|unique|several)$/i;

/** "26 tasks", "28~different kinds", "three core 3D recognition tasks", "six diverse datasets", "1,000 human-annotated questions", "two jailbreak robustness benchmarks" */
// metrics-1.13.0: "41 multi-turn, multimodal, multi-directory scenarios", "twelve proprietary, community-hosted, and
// self-hosted models", "22 local, open-weight LLMs": lower-case modifiers listed with commas before a counted noun are
// one modifier (joined by "-" so that the span keeps its length)
// (metrics-1.25.0: up to two more modifiers after the list, "three diverse, real-world clinical datasets", "1,168
// multimodal, bilingual multiple-choice question-answer pairs")
const LISTED_MODIFIERS_RE =
  /^(\$?\+?[-\s~]+)((?:[a-z][\w-]*,\s+(?:and\s+|or\s+)?){1,3}[a-z][\w-]*)\s+((?:[a-z][\w-]*\s+){0,2}[A-Za-z][\w-]*)/;

const CLAUSE_WORD_RE = /^(?:where|when|which|who|whose|whereas|each|if|so|then|thus|hence|yet|but|all)$/i;
const NUMBER_WORD_RE =
  /^(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|dozens?)$/;

function joinListedModifiers(slice: string): string {
  if (!slice.includes(',')) return slice; // a cheap test first
  const m = LISTED_MODIFIERS_RE.exec(slice);
  if (!m) return slice;
  // (the first word after the list that is a counted noun, "datasets" in "… datasets for evaluation", with no stop
  // word before it: "5k length, where random frames" lists nothing)
  const after = m[3].split(/\s+/);
  const k = after.findIndex(
    (w) =>
      (/s$/.test(w) && (SCOPE_NOUNS.has(w.toLowerCase()) || SIZE_NOUNS.has(w.toLowerCase()))) ||
      /^[A-Z][\w-]*?(?:LLMs|VLMs|LMs)$/.test(w),
  );
  // (each a modifier: "four encoders, three detectors" is a list of counts)
  const modifiers = m[2].split(/,\s+(?:and\s+|or\s+)?/);
  if (
    k < 0 ||
    modifiers.some((w) => SCOPE_NOUNS.has(w) || SIZE_NOUNS.has(w) || NUMBER_WORD_RE.test(w)) ||
    // (a plural noun is no modifier: "10 codebases, spanning diverse domains" counts codebases)
    (k > 0 && modifiers.some((w) => /[^su]s$/.test(w) && !UNLISTED_NOT_PLURAL_RE.test(w))) ||
    [...modifiers, ...after.slice(0, k)].some(
      (w) => STOPWORDS.has(w.toLowerCase()) || AFTER_NUMBER_VERBS.has(w) || CLAUSE_WORD_RE.test(w),
    )
  )
    return slice;
  const joined = m[2].replace(/,\s+(?:and\s+|or\s+)?/g, (sep) => '-'.repeat(sep.length));
  return m[1] + joined + slice.slice(m[1].length + m[2].length);
}

// words a modifier run cannot hold: "2.1 consistently outperformed all other backbones", "8 positive but uncertain effects"
const RUN_BREAKS = new Set('all but yet has have had not also both some any such whose'.split(' '));
const UNLISTED_PLURAL_RE = /^[a-z][a-z-]{3,}s$/;
const UNLISTED_NOT_PLURAL_RE = /(?:ss|ous|ness|ics|ities|ties)$/;
const SHORT_PLURAL_RE = /^[a-z]{3}s$/;
const SHORT_NOT_PLURAL = new Set(
  // (and concepts or settings, not items: "14 typed epistemic acts", "five self-referential cues", "1 to 3 relational hops")
  'this thus less plus bias axis lens news does goes uses gets sets puts adds says sees lets runs hits fits asks ends acts cues hops'.split(
    ' ',
  ),
);
const ACRONYM_PLURAL_RE = /^[A-Z][A-Z0-9]*[A-Z]s$/;
// (devices a method runs on, read as before, and units of compute: "8 GPUs", "$\\times5.04$ FLOPs", "4 additional NFEs")
const NOT_COUNTED_ACRONYM_RE = /^(?:GPU|CPU|TPU|NPU|FPGA|ASIC|[KMGTP]?FLOP|MAC|[GT]?OP|NFE)s$/;
const MODEL_ACRONYM_PLURAL_RE = /(?:LMs|LMMs|LRMs|NNs|GANs|VAEs)$/;
// (an acronym ends the phrase before punctuation, a stop word or a verb: "24,000 CDEs, the system", "55 OMHCs on Reddit")
const acronymEnds = (next: string | undefined): boolean =>
  next === undefined ||
  (next !== 'per' &&
    (STOPWORDS.has(next.toLowerCase()) ||
      AFTER_NUMBER_VERBS.has(next.toLowerCase()) ||
      /^[a-z]+(?:ed|s)$/.test(next)));

/** Whether `words` is a run of lower-case modifiers ending in a listed plural noun, with no stop word or verb in it. */
function listedPluralAhead(words: string[]): boolean {
  if (words.length < 4) return false; // a cheap test first: the short runs need no more than two unknown modifiers
  for (let j = 0; j < words.length; j++) {
    const w = words[j];
    if (!/^[a-z][a-z-]*$/.test(w) || STOPWORDS.has(w) || RUN_BREAKS.has(w) || AFTER_NUMBER_VERBS.has(w))
      return false;
    if (NON_COUNT_NOUNS.has(w)) return false;
    // the first plural ends the run ("420 test certificates spanning six verification methods")
    if ((SCOPE_NOUNS.has(w) || SIZE_NOUNS.has(w)) && /[^s]s$/.test(w)) return j >= 3;
    if (/^[a-z][a-z-]+s$/.test(w) && !UNLISTED_NOT_PLURAL_RE.test(w))
      return j >= 3 && UNLISTED_PLURAL_RE.test(w);
  }
  return false;
}

export const ITEM_RATE_RE =
  /\s(?:[a-z][a-z-]+\s)?[a-z][a-z-]{2,}s\s(?:per|\/)\s?(?:second|sec|minute|min|hour|hr)(?![\w-])/y;
const FEW_STEPS_AFTER_RE =
  /^\s(?:(?:sampling|denoising|inference|diffusion|function|solver|decoding|generation)\s)?(steps?|NFEs?|evaluations?)(?![\w-])/;
const FEW_BEFORE_RE = /(?:\b(?:only|just|merely)|\bas few as)\s+\$?(?:\d+\s?(?:to|-|–|--)\s?)?\d+$/i;

export function countNoun(text: string, pos: number): { text: string; noun: string } | null {
  // "9 BIG-Bench Hard (BBH) tasks": an acronym in parentheses among the modifiers is blanked out
  // (a cheap test first: most slices have no " (")
  const ahead = text.slice(pos, pos + 90);
  const slice = joinListedModifiers(
    ahead.includes(' (')
      ? ahead.replace(/ \([A-Z][A-Za-z0-9-]{1,12}\)(?= )/g, (a) => ' '.repeat(a.length))
      : ahead,
  );
  // "200+ controlled ablations": a "+" after the number is a lower bound
  const m =
    /^\$?\+?(?:[-\s~]+)((?:[A-Za-z]|[1-4]D(?![\w-]))[\w-]*)(?:\s+((?:[A-Za-z]|[1-4]D(?![\w-]))[\w-]*))?(?:\s+((?:[A-Za-z]|[1-4]D(?![\w-]))[\w-]*))?(?:\s+((?:[A-Za-z]|[1-4]D(?![\w-]))[\w-]*))?(?:\s+((?:[A-Za-z]|[1-4]D(?![\w-]))[\w-]*))?(?:\s+([a-z][\w-]*))?(?:\s+([a-z][\w-]*))?/.exec(
      slice,
    );
  if (!m) return null;
  // metrics-1.24.0: "with only 1 sampling step", "With only 3 NFE", "in as few as 4 denoising steps": the steps a result is
  // reached in, after "only" / "as few as", are counted (GUIDE: inputs a result is reached "with only" N are
  // `result`/`other` counts), though "three steps" alone are the paper's own parts
  const fewSteps = FEW_STEPS_AFTER_RE.exec(slice);
  if (fewSteps && FEW_BEFORE_RE.test(text.slice(Math.max(0, pos - 40), pos)))
    return { text: slice.slice(0, fewSteps[0].length), noun: fewSteps[1] };
  const words = [m[1], m[2], m[3], m[4], m[5], m[6], m[7]].filter((w): w is string => Boolean(w));
  let consumed = 0;
  let unknown = 0;
  // metrics-1.14.0: "seven state-of-the-art temporal action detection architectures", "16,000 high-confidence
  // ground-truth segmentation masks": a run of up to five lower-case modifiers may stand before a listed plural noun
  // (two unknown ones before any other noun)
  const maxUnknown = listedPluralAhead(words) ? 4 : 2;
  const endOf = (i: number): number => slice.indexOf(words[i], consumed) + words[i].length;
  // modifiers (known adjectives, capitalised names, at most two unknown lowercase words) then the noun: a
  // listed noun ("benchmarks"), or an unlisted plural when no listed noun follows ("459 chromosomes")
  let plural = -1;
  // "13 industrial and medical datasets": two modifiers joined by "and" before a listed plural noun
  // (metrics-1.18.0: "three closed-source and open-source victim models": one more modifier may stand before the noun)
  // (metrics-1.35.0: or a plural acronym naming a kind of model, "15 open and closed-source LVLMs", as "four CNNs")
  const listedPlural = (noun: string, written = noun): boolean =>
    ((SCOPE_NOUNS.has(noun) || SIZE_NOUNS.has(noun)) && noun.endsWith('s')) ||
    (ACRONYM_PLURAL_RE.test(written) && MODEL_ACRONYM_PLURAL_RE.test(written));
  const modifierAnd = (i: number): boolean =>
    words[i] === 'and' &&
    /^[a-z][a-z-]+$/.test(words[i + 1] ?? '') &&
    // ("four text classification and two question-answering benchmarks": a number word after "and" opens another count)
    !NUMBER_WORD_RE.test(words[i + 1]) &&
    (listedPlural(words[i + 2]?.toLowerCase() ?? '', words[i + 2] ?? '') ||
      (/^[a-z][a-z-]+$/.test(words[i + 2] ?? '') &&
        !NON_COUNT_NOUNS.has(words[i + 2]) &&
        listedPlural(words[i + 3]?.toLowerCase() ?? '')));
  for (let i = 0; i < words.length; i++) {
    const w = words[i].toLowerCase();
    const base = w.includes('-') ? w.replace(/-(?:level|based|scale|wise)$/, '') : w;
    // "6 reasoning types", "11 WIA types": the types of something, counted after what they are types of, are
    // categories ("three types" alone stays a part of the paper)
    // (metrics-1.18.0: "five distinct task types" are tasks, the breadth of the evaluation as "N tasks")
    if (i > 0 && w === 'types' && !GENERIC_TYPE_ADJ.test(words[i - 1]))
      return { text: slice.slice(0, endOf(i)), noun: /^tasks?$/i.test(words[i - 1]) ? 'tasks' : 'types-of' };
    // metrics-1.36.0: "7 types of sarcasm", "three levels of nitrogen availability", "four forms of political
    // incivility", "three stages of cognitive impairment": kinds of something named after "of" are its categories, the
    // classes of the data ("four types of OOD detectors" are the detectors compared); not "three levels of difficulty"
    // or the kinds of the paper's own parts ("two types of attention", "three levels of the hierarchy")
    if (
      (i === 0 || (i === 1 && /^(?:distinct|different)$/i.test(words[0]))) &&
      TYPES_OF_NOUN_RE.test(w) &&
      words[i + 1] === 'of' &&
      words[i + 2] !== undefined &&
      (/^[a-z][a-z-]*$/.test(words[i + 2]) ||
        // ("four types of OOD detectors": an acronym modifying the plural noun after it)
        (/^[A-Z]{2,5}$/.test(words[i + 2]) && /^[a-z]{3,}s$/.test(words[i + 3] ?? ''))) &&
      !STOPWORDS.has(words[i + 2]) &&
      !TYPES_OF_NOT_RE.test(words[i + 2]) &&
      // ("all three types of hallucinations", "the two levels of …": kinds already named, pointed back at)
      !/\b(?:all|the|these|those|both|our|its|their)\s+\S+\s*$/i.test(
        text.slice(Math.max(0, pos - 30), pos),
      ) &&
      // (nor kinds the paper's method proposes, produces, supports or builds on: "a generator that produces three types
      // of guidance", "we leverage two types of encoder models", "there exist four kinds of …")
      !TYPES_OF_OWN_BEFORE_RE.test(text.slice(Math.max(0, pos - 50), pos))
    ) {
      const last =
        words[i + 3] !== undefined && OF_NOUN_AFTER_RE.test(words[i + 3]) && !STOPWORDS.has(words[i + 3])
          ? i + 3
          : i + 2;
      const counted = words[last].toLowerCase();
      if (TYPES_OF_NOT_RE.test(counted)) break;
      return {
        text: slice.slice(0, endOf(last)),
        noun: SCOPE_NOUNS.has(counted) && counted.endsWith('s') ? counted : 'types-of',
      };
    }
    // metrics-1.36.0: "we evaluate four adaptation mechanisms", "across three prompting strategies", "against six
    // mitigation techniques": strategies, techniques, mechanisms and paradigms an evaluation runs over or compares are
    // the methods compared, its breadth ("two core strategies" of the paper's own method stay its parts)
    if (
      COMPARED_METHOD_NOUN_RE.test(w) &&
      i <= 3 &&
      COMPARED_BEFORE_RE.test(text.slice(Math.max(0, pos - 50), pos))
    )
      return { text: slice.slice(0, endOf(i)), noun: 'methods' };
    // metrics-1.32.0: "499 WVIs", "10,000 expert-annotated NOTAMs", "15 widely used LMMs": an acronym in the plural, last
    // in the phrase, is what is counted — models compared when it names a kind of model ("four CNNs"), else items of the
    // data (not the devices a method runs on, "8 GPUs", read as before)
    // (in words, "four CNNs", only models: "three large PFMs" a model is distilled from, "three training GEMMs" are the
    // method's own; "16 DRRs per input" is a setting)
    if (
      ACRONYM_PLURAL_RE.test(words[i]) &&
      !NOT_COUNTED_ACRONYM_RE.test(words[i]) &&
      acronymEnds(words[i + 1]) &&
      (MODEL_ACRONYM_PLURAL_RE.test(words[i]) || /\d/.test(text[pos - 1] ?? ''))
    )
      return {
        text: slice.slice(0, endOf(i)),
        noun: MODEL_ACRONYM_PLURAL_RE.test(words[i]) ? 'models' : words[i].toLowerCase(),
      };
    // "10 advanced VideoLLMs", "five Code-LLMs": a capitalised model name in the plural counts models
    // (metrics-1.18.0: "four video-LLMs": a lower-case modifier hyphenated to the plural name)
    const model = /^(?:[A-Z][\w-]*?|[a-z]+-)(?:LLMs|VLMs|LMs|Models)$/.test(words[i]);
    if (model && i <= 2) return { text: slice.slice(0, endOf(i)), noun: 'models' };
    // "36 model variants": variants of a model are models ("three variants" alone stays the paper's own)
    if (i > 0 && w === 'variants' && /^(?:model|llm|network)$/i.test(words[i - 1]))
      return { text: slice.slice(0, endOf(i)), noun: 'models' };
    // "three common use cases": uses of a system are its scope, not cases of data
    if (i > 0 && w === 'cases' && words[i - 1].toLowerCase() === 'use')
      return { text: slice.slice(0, endOf(i)), noun: 'use-cases' };
    // "12 representative memory systems": a metric's name before a listed plural noun is a modifier of it
    const after = words[i + 1]?.toLowerCase() ?? '';
    // (metrics-1.24.0: "three hallucination categories", "five error types": before a listed noun of the data's size too)
    const modifiesListed = /s$/.test(after) && (SCOPE_NOUNS.has(after) || SIZE_NOUNS.has(after));
    if (
      (canonicalMetric(w) !== null && !modifiesListed) ||
      NON_COUNT_NOUNS.has(w) ||
      DURATION_WORDS.test(w) ||
      AFTER_NUMBER_VERBS.has(w)
    )
      break;
    if (i > 0 && modifierAnd(i)) {
      consumed = endOf(i);
      continue;
    }
    if (STOPWORDS.has(w) && !COUNT_ADJECTIVES.has(w)) break;
    const next = words[i + 1]?.toLowerCase();
    const nextIsWordy =
      next !== undefined && ((!STOPWORDS.has(next) && !AFTER_NUMBER_VERBS.has(next)) || modifierAnd(i + 1));
    if (SCOPE_NOUNS.has(w) || SIZE_NOUNS.has(w)) {
      if (/[^s]s$|^(?:people|mice|data|corpora|media|species)$/.test(w))
        return { text: slice.slice(0, endOf(i)), noun: w };
      // a singular noun is a modifier of a compound ("attack strategies", "image pairs")
      if (!nextIsWordy) break;
    } else if (
      plural < 0 &&
      (i <= 2 || maxUnknown > 2) &&
      (UNLISTED_PLURAL_RE.test(words[i]) ||
        /^(?:men|women|children)$/.test(words[i]) ||
        // metrics-1.32.0: "20 mixed-breed pigs", "20 healthcare apps": a short plural after a modifier
        (i > 0 && SHORT_PLURAL_RE.test(words[i]) && !SHORT_NOT_PLURAL.has(words[i]))) &&
      !UNLISTED_NOT_PLURAL_RE.test(w)
    ) {
      plural = i;
    }
    const known =
      COUNT_ADJECTIVES.has(w) ||
      COUNT_ADJECTIVES.has(base) ||
      /^[A-Z][\w-]*$/.test(words[i]) ||
      /^[1-4]D$/.test(words[i]) ||
      SCOPE_NOUNS.has(w) ||
      SIZE_NOUNS.has(w);
    const unknownModifier = !known && /^[a-z][a-z-]+$/.test(words[i]) && ++unknown <= maxUnknown;
    if (!nextIsWordy || !(known || unknownModifier || plural === i)) break;
    consumed = endOf(i);
  }
  // "by $2$ admits": after a LaTeX digit an unlisted plural may be a verb
  if (plural < 0 || slice[0] === '$') return null;
  consumed = 0;
  return { text: slice.slice(0, endOf(plural)), noun: words[plural].toLowerCase() };
}

// "six months ahead" is a duration, not a count
export const DURATION_WORDS = /^(?:days?|weeks?|months?|years?|decades?|centuries)$/;
export const STOPWORDS = new Set([
  'of',
  'in',
  'on',
  'and',
  'or',
  'to',
  'the',
  'a',
  'an',
  'for',
  'with',
  'by',
  'at',
  'from',
  'than',
  'as',
  'is',
  'are',
  'was',
  'were',
  'that',
  'which',
  'while',
  'across',
  'over',
  'under',
  'per',
  'into',
  'we',
  'it',
  'its',
  'our',
  'their',
  'respectively',
  'compared',
  'versus',
  'vs',
  'vs.',
  'more',
  'less',
  'higher',
  'lower',
  'faster',
  'better',
  'improvement',
  'improvements',
  'gain',
  'gains',
  'reduction',
  'accuracy',
]);
export const AFTER_NUMBER_VERBS = new Set([
  'improves',
  'achieves',
  'outperforms',
  'reduces',
  'increases',
  'shows',
  'yields',
  'results',
  'times',
  'requires',
  'uses',
  'remains',
  'points',
  'steps',
]);

function pointNoun(text: string, pos: number, unitText: string): boolean {
  return (
    /^\s?-?points?$/.test(unitText) &&
    POINT_NOUN_AFTER_RE.test(text.slice(pos + unitText.length, pos + unitText.length + 24))
  );
}
const POINT_NOUN_AFTER_RE =
  /^\s+(?:correspondences?|clouds?|sets?|algorithms?|solvers?|methods?|problems?|scales?|Likert|ratings?|rating|estimates?|estimation|matches|matching|features?|sources?|processes|process|mass(?:es)?|functions?|masks?|prompts?|grids?|samples?|sampling|tracks?|tracking|maps?|annotations?|labels?|queries|configurations?|crossover|mutations?)\b/i;
