// Finds every quantitative claim in an abstract. One left-to-right scan for number tokens (digits or
// number words); each token is read with its unit from a sticky pattern at its end, then classified from
// a bounded window around it. Nothing scans further than a window, so the cost is linear in the text.

import type { Claim, ClaimCategory, ClaimKind, ClaimUnit } from '@paperwire/contracts';
import {
  WINDOW_AFTER,
  WINDOW_BEFORE,
  clauseAfter,
  clauseBefore,
  findComparedTo,
  findDataset,
  findMetric,
  findQualifier,
  metricsInOrder,
} from './context';
import {
  BYTE_UNITS,
  COUNT_ADJECTIVES,
  MONTHS,
  NAME_PREFIXES,
  OTHER_UNITS,
  SCALE_LETTERS,
  SCALE_WORDS,
  SCOPE_NOUNS,
  SIZE_NOUNS,
  TIME_UNITS,
  WORD_NUMBERS,
} from './lexicon';
import { canonicalMetric, metricDirection } from './metric-table';
import { maskKeptPhrases } from './negation';

// Counted things that are the paper's own parts, not the size of an evaluation.
const NON_COUNT_NOUNS = new Set([
  'challenges',
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
]);

/** Bump when extraction behaviour changes: stored claims carry the version that produced them. */
export const EXTRACTOR_VERSION = 'metrics-1.4.0';

// A number token: digits with thousands separators or a decimal part, or a number word.
const WORD_NUMBER_ALT = Object.keys(WORD_NUMBERS).join('|');
const TOKEN_RE = new RegExp(
  `(\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?(?![\\d,]\\d)|(?<![\\d.,]|\\d )\\d{1,3}(?: \\d{3})+(?=\\s[a-z])|\\d+(?:\\.\\d+)*|\\.\\d+)|\\b(twice|thrice|(?:${WORD_NUMBER_ALT})(?:-(?:one|two|three|four|five|six|seven|eight|nine))?)\\b`,
  'gi',
);

interface Unit {
  unit: ClaimUnit;
  /** text of the unit as written (may be empty for a bare number) */
  text: string;
  /** multiplier applied to the number (scale letters, GB, ...) */
  factor: number;
  unitText: string | null;
  /** count noun, when the unit is a counted noun */
  noun?: string;
}

interface NumberToken {
  start: number;
  end: number;
  value: number;
  isWord: boolean;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const OTHER_UNIT_ALT = [...OTHER_UNITS]
  .sort((a, b) => b.length - a.length)
  .map(escapeRe)
  .join('|');
// Sticky patterns tried at the end of a number; each is a bounded alternation of literals.
const PERCENT_RE = /\s?(?:\\?%|\s?percent(?:age)?(?! points?)\b|\s?per cent\b)(?:\s*(?:absolute|abs\.)\b)?/y;
const PP_RE =
  /\s?(?:-points?\b|pp\b|p\.p\.|percentage[- ]points?\b|%\s*points?\b|%-points?\b|points?\b|pts?\b|absolute (?:percentage )?points?\b)/y;
const PERCENT_THEN_ABS_RE = /\s?(?:\\?%)\s*(?:absolute|abs\.)(?![\w-])/y;
const TIMES_RE =
  /\s?(?:[xX](?![a-zA-Z0-9])|×|\$?\s?\\times\s?\$?|\{\\?times\}|-?\s?fold\b|\s?times\b(?! (?:of|per|when|where|in which|as many))|\s?orders? of magnitude\b)/y;
const SCALE_LETTER_RE = /([kKMBT])(?![a-zA-Z0-9])/y;
const SPACED_SCALE_RE = / ([KMB])(?![a-zA-Z0-9])/y;
const SCALE_WORD_RE = /\s?(thousand|million|billion|trillion)\b/iy;
const BYTES_RE = /\s?(bytes?|[KMGTP]i?B|kB)(?![a-zA-Z0-9])/y;
const PARAMS_RE = /[\s-]?(?:parameters?|params?)\b/iy;
const TOKENS_RE = /[\s-]?(?:tokens?)\b/iy;
const OTHER_UNIT_RE = new RegExp(
  `\\s?(${OTHER_UNIT_ALT})(?![\\w%])(?:(?![\\s·/]?in\\b)[\\s·/]?(?:${OTHER_UNIT_ALT})(?:[−-]?\\d)?(?![\\w%])){0,2}`,
  'y',
);
const CURRENCY_BEFORE_RE = /(?:US\$|\$|€|£|¥)\s?$/;

function parseDigits(raw: string): number {
  return Number(raw.replace(/[, ]/g, ''));
}

function wordValue(raw: string): number {
  const lower = raw.toLowerCase();
  if (lower === 'twice') return 2;
  if (lower === 'thrice') return 3;
  const [tens, ones] = lower.split('-');
  return (WORD_NUMBERS[tens] ?? 0) + (ones ? (WORD_NUMBERS[ones] ?? 0) : 0);
}

// "one hundred", "two hundred and fifty", "twenty-five thousand", "one hundred thousand", "three million":
// number words joined by spaces, hyphens or "and" after a hundred/thousand are one number
const WORD_PART_RE = new RegExp(
  `(?:\\s+and\\s+|[\\s-]+)(hundred|thousand|million|billion|trillion|(?:${WORD_NUMBER_ALT})(?:-(?:one|two|three|four|five|six|seven|eight|nine))?)\\b`,
  'iy',
);
const WORD_SCALES: Readonly<Record<string, number>> = { thousand: 1e3, million: 1e6, billion: 1e9, trillion: 1e12 };

function compoundWordNumber(text: string, start: number, end: number, value: number): NumberToken {
  const first = text.slice(start, end).toLowerCase();
  if (first === 'twice' || first === 'thrice' || first === 'dozen') return { start, end, value, isWord: true };
  let total = 0;
  let current = value;
  let last = first; // the last word read: "and" may only follow hundred/thousand/million
  let pos = end;
  for (let n = 0; n < 6; n++) {
    const m = stickyMatch(WORD_PART_RE, text, pos);
    if (!m) break;
    const word = m[1].toLowerCase();
    const viaAnd = /\band\b/i.test(m[0]);
    if (viaAnd && !/^(?:hundred|thousand|million|billion|trillion)$/.test(last)) break;
    if (/\n/.test(m[0])) break;
    if (word === 'hundred') {
      if (current === 0 || current >= 100 || viaAnd) break;
      current *= 100;
    } else if (WORD_SCALES[word] !== undefined) {
      if (viaAnd) break;
      total += (current || 1) * WORD_SCALES[word];
      current = 0;
    } else {
      const v = wordValue(word);
      // "one hundred twenty", "one hundred and five": only a smaller part can follow
      if (!(last === 'hundred' || WORD_SCALES[last] !== undefined) || v >= 100 || word === 'dozen') break;
      current += v;
    }
    last = word;
    pos = m.index + m[0].length;
  }
  if (pos === end) return { start, end, value, isWord: true };
  return { start, end: pos, value: total + current, isWord: true };
}

function stickyMatch(re: RegExp, text: string, pos: number): RegExpExecArray | null {
  re.lastIndex = pos;
  return re.exec(text);
}

function isLetter(ch: string | undefined): boolean {
  return ch !== undefined && /\p{L}/u.test(ch);
}
function isAlnum(ch: string | undefined): boolean {
  return ch !== undefined && /[\p{L}\p{N}_]/u.test(ch);
}

/** The word that ends right before `pos` (skipping one space). */
function wordBefore(text: string, pos: number): string {
  const slice = text.slice(Math.max(0, pos - 24), pos);
  const m = /([\p{L}\p{N}@.-]+)\s?$/u.exec(slice);
  return m ? m[1] : '';
}

/** Words after `pos`, at most `n`, lowercase, punctuation stripped. */
function wordsAfter(text: string, pos: number, n: number): string[] {
  const slice = text.slice(pos, pos + 80);
  const m = slice.match(/^\s+([^\s,.;:()[\]]+(?:\s+[^\s,.;:()[\]]+){0,6})/);
  if (!m) return [];
  return m[1]
    .split(/\s+/)
    .slice(0, n)
    .map((w) => w.toLowerCase());
}

// LaTeX spacing between a number and its unit: "85.3~\\%", "90\\,\\%", "7\\,B parameters", "1.2~M images"
const LATEX_SPACE_RE = /(?:~|\\[,;:! ]|\\(?:thinspace|enspace|quad)\b\s?)(?=[^\s\d~])/y;

/** Reads the unit right after a number; null means "bare number". A LaTeX space before the unit is skipped. */
function readUnit(text: string, tok: NumberToken): Unit | null {
  const space = stickyMatch(LATEX_SPACE_RE, text, tok.end);
  if (space) {
    const u = readUnitAt(text, tok, tok.end + space[0].length);
    if (u && u.text) return { ...u, text: space[0] + u.text };
  }
  return readUnitAt(text, tok, tok.end);
}

function readUnitAt(text: string, tok: NumberToken, pos: number): Unit | null {
  let m: RegExpExecArray | null;
  if (!tok.isWord) {
    if ((m = stickyMatch(PERCENT_THEN_ABS_RE, text, pos)))
      return { unit: 'pp', text: m[0], factor: 1, unitText: null };
    if ((m = stickyMatch(PP_RE, text, pos)) && !/^\s?points?\b/.test(m[0]))
      return { unit: 'pp', text: m[0], factor: 1, unitText: null };
  }
  // "15%", and also "fifteen percent": a number word takes a written-out percent sign
  if ((m = stickyMatch(PERCENT_RE, text, pos)) && (!tok.isWord || /percent|per cent/i.test(m[0]))) {
    return { unit: /absolute|abs\./.test(m[0]) ? 'pp' : '%', text: m[0], factor: 1, unitText: null };
  }
  if ((m = stickyMatch(TIMES_RE, text, pos))) {
    const magnitude = /order/.test(m[0]);
    return { unit: 'x', text: m[0], factor: magnitude ? -1 : 1, unitText: null };
  }
  if (tok.isWord) {
    if (/^(?:twice|thrice)$/i.test(text.slice(tok.start, tok.end)))
      return { unit: 'x', text: '', factor: 1, unitText: null };
    const noun = countNoun(text, pos);
    return noun ? { unit: 'count', text: noun.text, factor: 1, unitText: null, noun: noun.noun } : null;
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
    return { unit: 'bytes', text: m[0], factor: BYTE_UNITS[m[1]] ?? 1, unitText: m[1] };
  }
  if ((m = stickyMatch(PARAMS_RE, text, after)))
    return { unit: 'params', text: scaleText + m[0], factor, unitText: null };
  if ((m = stickyMatch(TOKENS_RE, text, after)))
    return { unit: 'tokens', text: scaleText + m[0], factor, unitText: null };
  if ((m = stickyMatch(PP_RE, text, after)) && !scaleText)
    return { unit: 'pp', text: m[0], factor: 1, unitText: null };
  if (scaleText) {
    // a scaled number: what follows decides between a model size, a context length and a count
    const next = wordsAfter(text, after, 3);
    const ctx = text.slice(Math.max(0, tok.start - 40), tok.start).toLowerCase();
    if (
      /^[-\s]?(?:model|llm|lm|dense|moe|base|instruct|chat|variant|backbone)/i.test(
        text.slice(after, after + 12),
      ) ||
      (/\b(?:with|of)\s*$/.test(ctx) && /param|model/.test(next.join(' ')))
    ) {
      return { unit: 'params', text: scaleText, factor, unitText: null };
    }
    const noun = countNoun(text, after);
    if (noun) return { unit: 'count', text: scaleText + noun.text, factor, unitText: null, noun: noun.noun };
    if (
      /^[-\s]?(?:context|sequence|length|window)/i.test(text.slice(after, after + 12)) ||
      /(?:context|sequence)(?: length| window)?(?: of)?(?: up to)?\s*$/.test(ctx)
    ) {
      return { unit: 'tokens', text: scaleText, factor, unitText: null };
    }
    // a bare "53.3B" or "7B" is, in ML abstracts, a model size
    if (/^[BT]$/.test(scaleText)) return { unit: 'params', text: scaleText, factor, unitText: null };
    return { unit: 'count', text: scaleText, factor, unitText: null };
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
      return { unit: 'other', text: m[0], factor: 1, unitText: written };
    }
  }
  const noun = countNoun(text, pos);
  if (noun) return { unit: 'count', text: noun.text, factor: 1, unitText: null, noun: noun.noun };
  return null;
}

function plausibleShortUnit(text: string, pos: number, matched: string): boolean {
  const written = matched.trim();
  const next = text.slice(pos + matched.length, pos + matched.length + 12);
  if (written === 'in') return /^\s(?:thick|long|wide|diameter|tall)/.test(next);
  if (/^(?:A|S|T|N|V|W|J|L)$/.test(written))
    return /^(?:\s*[,.;)]|\s+(?:and|or|to|at|of|for|in|with|m|s)\b|$)/.test(next);
  // m, s, h, g, K: a unit when followed by punctuation, an operator or a lowercase word
  return /^(?:\s*[,.;:)\]/±−-]|\s+[a-z(]|$)/.test(next) || /^\s*[−-]?\d/.test(next);
}

/** "26 tasks", "six diverse datasets", "1,000 human-annotated questions", "two jailbreak robustness benchmarks" */
function countNoun(text: string, pos: number): { text: string; noun: string } | null {
  const slice = text.slice(pos, pos + 90);
  const m =
    /^(?:[-\s]+)([A-Za-z][\w-]*)(?:\s+([A-Za-z][\w-]*))?(?:\s+([A-Za-z][\w-]*))?(?:\s+([A-Za-z][\w-]*))?(?:\s+([A-Za-z][\w-]*))?/.exec(
      slice,
    );
  if (!m) return null;
  const words = [m[1], m[2], m[3], m[4], m[5]].filter((w): w is string => Boolean(w));
  let consumed = 0;
  let unknown = 0;
  const endOf = (i: number): number => slice.indexOf(words[i], consumed) + words[i].length;
  // modifiers (known adjectives, capitalised names, at most two unknown lowercase words) then the noun: a
  // listed noun ("benchmarks"), or an unlisted plural when no listed noun follows ("459 chromosomes")
  let plural = -1;
  for (let i = 0; i < words.length; i++) {
    const w = words[i].toLowerCase();
    const base = w.replace(/-(?:level|based|scale|wise)$/, '');
    if (
      canonicalMetric(w) !== null ||
      NON_COUNT_NOUNS.has(w) ||
      DURATION_WORDS.test(w) ||
      AFTER_NUMBER_VERBS.has(w)
    )
      break;
    if (STOPWORDS.has(w) && !COUNT_ADJECTIVES.has(w)) break;
    const next = words[i + 1]?.toLowerCase();
    const nextIsWordy = next !== undefined && !STOPWORDS.has(next) && !AFTER_NUMBER_VERBS.has(next);
    if (SCOPE_NOUNS.has(w) || SIZE_NOUNS.has(w)) {
      if (/[^s]s$|^(?:people|mice|data|corpora|media|species)$/.test(w))
        return { text: slice.slice(0, endOf(i)), noun: w };
      // a singular noun is a modifier of a compound ("attack strategies", "image pairs")
      if (!nextIsWordy) break;
    } else if (
      plural < 0 &&
      i <= 2 &&
      /^[a-z][a-z-]{3,}s$/.test(words[i]) &&
      !/(?:ss|ous|ness|ics|ities|ties)$/.test(w)
    ) {
      plural = i;
    }
    const known =
      COUNT_ADJECTIVES.has(w) ||
      COUNT_ADJECTIVES.has(base) ||
      /^[A-Z][\w-]*$/.test(words[i]) ||
      SCOPE_NOUNS.has(w) ||
      SIZE_NOUNS.has(w);
    const unknownModifier = !known && /^[a-z][a-z-]+$/.test(words[i]) && ++unknown <= 2;
    if (!nextIsWordy || !(known || unknownModifier || plural === i)) break;
    consumed = endOf(i);
  }
  if (plural < 0) return null;
  consumed = 0;
  return { text: slice.slice(0, endOf(plural)), noun: words[plural].toLowerCase() };
}

// "six months ahead" is a duration, not a count
const DURATION_WORDS = /^(?:days?|weeks?|months?|years?|decades?|centuries)$/;
const STOPWORDS = new Set([
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
const AFTER_NUMBER_VERBS = new Set([
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
  'pairs',
  'steps',
]);

/** Reasons a number is part of a name, a citation, a date or a formula rather than a quantity. */
// "mAP=0.56", "F1 = 0.81", "acc. = 92.3%", "BLEU: 31.2": a metric name set equal to the number
const ASSIGNED_RE = /([A-Za-z][\w@-]*)(\.?)\s*[=:]\s*(?:\$\s*)?$/;

/** The canonical metric a number is assigned to ("F1 = 0.81" -> f1), or null. */
function assignedMetric(text: string, start: number): string | null {
  const m = ASSIGNED_RE.exec(text.slice(Math.max(0, start - 24), start));
  if (!m) return null;
  // ":" only after a metric name that cannot be an ordinary word ("BLEU: 31.2", not "Results: 3")
  if (m[0].includes(':') && !/[A-Z0-9@]/.test(m[1])) return null;
  return canonicalMetric(m[1]);
}

function isNotAQuantity(
  text: string,
  tok: NumberToken,
  unit: Unit | null,
  raw: string,
  followLists = true,
): boolean {
  const prev = text[tok.start - 1];
  const prev2 = text[tok.start - 2];
  const next = text[tok.end];
  // "5-fold cross-validation", "four-fold cross-validation" is a protocol
  if (
    unit &&
    unit.unit === 'x' &&
    /^-?\s?fold\s+(?:cross|CV\b|nested|stratified)/i.test(text.slice(tok.end, tok.end + 20))
  )
    return true;
  if (tok.isWord) {
    // "a few dozen lines", "several hundred": a vague multiple, not a number
    if (VAGUE_BEFORE_RE.test(text.slice(Math.max(0, tok.start - 12), tok.start))) return true;
    // "the distance of two point features", "between two triples": a pair in a definition, not a count
    if (isPairInDefinition(text, tok, unit)) return true;
    // "two-thirds", "two-stage": fractions and compound adjectives, not counts
    if (/^-(?!fold\b)[a-z]/i.test(text.slice(tok.end, tok.end + 2)) && !(unit && unit.unit === 'x'))
      return true;
    return unit !== null && unit.unit === 'count' && isOwnPartCount(text, tok, unit);
  }
  // "± 0.15", "+-1.2%", "$\pm$0.15": a spread around the value before it, not a claim of its own
  if (SPREAD_BEFORE_RE.test(text.slice(Math.max(0, tok.start - 8), tok.start))) return true;
  // "32 x 32", "1 \times 1", "512×512": a shape or grid size, not a multiplier
  if (
    unit &&
    unit.unit === 'x' &&
    /^\s*\$?\s*\d/.test(text.slice(tok.end + unit.text.length, tok.end + unit.text.length + 4))
  )
    return true;
  if (DIMENSION_BEFORE_RE.test(text.slice(Math.max(0, tok.start - 12), tok.start))) return true;
  // "95% confidence interval", "$95\%$ CI": a confidence level is a setting of the statistics
  if (unit && unit.unit === '%' && CONFIDENCE_AFTER_RE.test(text.slice(tok.end + unit.text.length, tok.end + unit.text.length + 16)))
    return true;
  // "at an IoU of 0.5", "IoU threshold 0.7": the protocol's matching threshold, not a result
  if (EVAL_THRESHOLD_BEFORE_RE.test(text.slice(Math.max(0, tok.start - 40), tok.start))) return true;
  // part of a word or identifier: Llama2, F1, GPT-4o, ImageNet-1K, pass@1, x^2, v1.2
  if (
    isAlnum(prev) ||
    prev === '@' ||
    prev === '#' ||
    prev === '^' ||
    prev === '_' ||
    prev === '/' ||
    prev === '\\'
  )
    return true;
  if ((prev === '-' || prev === '.' || prev === '–') && isAlnum(prev2)) return true;
  if (
    prev === '-' &&
    prev2 === ' ' &&
    /[A-Za-z]-\s*$/.test(text.slice(Math.max(0, tok.start - 6), tok.start - 1))
  )
    return true;
  // a letter glued after a number that is not a unit: 3D, 4o, 2nd, 5th
  if (!unit && isLetter(next)) return true;
  if (unit && unit.text.length === 0 && isLetter(next)) return true;
  // version strings and IP-like dotted runs
  if ((raw.match(/\./g) ?? []).length >= 2) return true;
  // arXiv identifiers
  if (/^\d{4}\.\d{4,5}$/.test(raw)) return true;
  // formulas and hyper-parameter settings: k=5, n^2, 1e-4, 3:1
  const before = text.slice(Math.max(0, tok.start - 3), tok.start);
  const after = text.slice(tok.end, tok.end + 3);
  // "T = 0.5 K" sets a physical condition and is kept; "k=5", "lr=1e-4" are hyper-parameters
  const physical = unit !== null && unit.unit === 'other' && /=\s*$/.test(before);
  const comparator = /[<>≤≥]=?\s*$/.test(before);
  // "+2.7 box AP" is a signed gain, "x+2" a formula
  const plusSign = /(?:^|[\s(])\+$/.test(before);
  // "mAP=0.56", "F1 = 0.81": a metric set equal to a value reports a score
  const metricValue = assignedMetric(text, tok.start) !== null;
  if (
    (/[=^_*+]\s*$/.test(before) && !physical && !comparator && !plusSign && !metricValue) ||
    /^\s*[=^]/.test(after) ||
    /^[eE][-+]?\d/.test(after) ||
    /^:\d/.test(after)
  )
    return true;
  if (/^\/\d/.test(after)) return true;
  // citations [12], [3, 4]; list markers (1); section-like names
  if (insideBrackets(text, tok.start)) return true;
  if (!unit && prev === '(' && next === ')' && Number.isInteger(tok.value) && tok.value < 30) return true;
  if (
    !unit &&
    next === ')' &&
    (prev === ' ' || prev === undefined) &&
    Number.isInteger(tok.value) &&
    tok.value < 30 &&
    /(?:^|[.:;]\s*)$/.test(text.slice(Math.max(0, tok.start - 3), tok.start))
  )
    return true;
  const word = wordBefore(text, tok.start).toLowerCase();
  if (NAME_PREFIXES.has(word) && (!unit || unit.unit === 'count' || unit.unit === 'params')) return true;
  // "Llama 3.1 8B", "Gemma 2 9B": a bare size right after a version number names a model
  if (
    unit &&
    unit.unit === 'params' &&
    !/param/i.test(unit.text) &&
    /[A-Za-z][\w-]*\s+\d+(?:\.\d+)?\s$|[A-Za-z]-\d+(?:\.\d+)?\s$/.test(
      text.slice(Math.max(0, tok.start - 24), tok.start),
    )
  )
    return true;
  // "{Qwen3-4B, 8B, 14B}", "Llama-2 7B and 13B": a bare size listed after a size that names a model is a name too
  if (followLists && unit && isBareSize(unit) && inNamedSizeList(text, tok)) return true;
  if (
    !unit &&
    !metricValue &&
    /^[A-Z][a-z]*[A-Z0-9]|^[A-Z][a-z]+$/.test(wordBefore(text, tok.start)) &&
    prev === ' ' &&
    !/^(?:On|In|For|With|By|Over|Only|Just|Across|From|To|At|And|Of|The|Using|Overall|Of|About|Approximately|Around|Roughly|Nearly|Almost|Up|Within|Among|Top)$/.test(
      wordBefore(text, tok.start),
    )
  ) {
    return true;
  }
  // years and dates
  if (!unit && Number.isInteger(tok.value) && tok.value >= 1900 && tok.value <= 2100 && !raw.includes(','))
    return true;
  if (MONTHS.has(word)) return true;
  const nextWord = wordsAfter(text, tok.end, 1)[0];
  if (!unit && nextWord && MONTHS.has(nextWord.replace(/[^a-z]/g, ''))) return true;
  // compound adjectives that set up an experiment rather than report one: 5-shot, 4-bit, 3-layer
  if (next === '-' && /^-[a-z]/i.test(text.slice(tok.end, tok.end + 2)) && (!unit || unit.unit === 'count')) {
    if (!/^-(?:fold|times)\b/i.test(text.slice(tok.end, tok.end + 7))) return true;
  }
  return false;
}

const VAGUE_BEFORE_RE = /\b(?:few|several|many|some)\s+$/i;
const CONFIDENCE_AFTER_RE = /^\s*\$?\s*(?:confidence|credible|CI\b|prediction interval)/i;
const EVAL_THRESHOLD_BEFORE_RE =
  /(?:\b(?:at|@)\s+(?:an?\s+|the\s+)?(?:standard\s+|strict\s+|default\s+)?(?:IoU|overlap)\s*(?:threshold\s*)?(?:of|=|@|≥|>=)?|\b(?:IoU|overlap)\s+threshold\s*(?:of|=|@|≥|>=)?)\s*$/i;
const PAIR_BEFORE_RE = /\b(?:of|between|among)\s+$/i;

function isPairInDefinition(text: string, tok: NumberToken, unit: Unit | null): boolean {
  if (!unit || unit.unit !== 'count' || !/^two$/i.test(text.slice(tok.start, tok.end))) return false;
  const noun = unit.noun ?? '';
  if (EVAL_NOUNS.has(noun) || SCOPE_NOUNS.has(noun)) return false;
  return PAIR_BEFORE_RE.test(text.slice(Math.max(0, tok.start - 10), tok.start));
}

const SPREAD_BEFORE_RE = /(?:±|\+\s?-|\+\/-|\\pm\s?\$?|\\mp\s?\$?)\s*$/;
const DIMENSION_BEFORE_RE = /\d\s*\$?\s?(?:[xX×]|\\times)\s?\$?\s*$/;
// a list of bare sizes ending right before a number: "4B, 8B, " / "7B and " / "1.5B/"
const SIZE_LIST_TAIL_RE =
  /(\d+(?:\.\d+)?)[BMK]\s*(?:(?:,|\/|&|and|or)\s*\d+(?:\.\d+)?[BMK]\s*)*(?:,\s*and|,\s*or|,|\/|&|and|or)\s*$/;

function isBareSize(unit: Unit): boolean {
  return (unit.unit === 'params' || unit.unit === 'count') && /^[BMK]$/.test(unit.text);
}

function inNamedSizeList(text: string, tok: NumberToken): boolean {
  const from = Math.max(0, tok.start - 60);
  const m = SIZE_LIST_TAIL_RE.exec(text.slice(from, tok.start));
  if (!m) return false;
  const first: NumberToken = {
    start: from + m.index,
    end: from + m.index + m[1].length,
    value: Number(m[1]),
    isWord: false,
  };
  const firstUnit = readUnit(text, first);
  return (
    firstUnit !== null &&
    isBareSize(firstUnit) &&
    first.start < tok.start &&
    isNotAQuantity(text, first, firstUnit, m[1], false)
  );
}

// Counts of the paper's own parts: "the two modalities", "the latter two gates", "we design three gated
// structures". The evaluation's datasets, benchmarks and data sizes are never own parts.
const OWN_PART_BEFORE_RE =
  /\b(?:the|these|those|its|our|latter|former|first|last|both|of the)\s+$|\b(?:propose[sd]?|introduce[sd]?|design(?:s|ed)?|devise[sd]?|derive[sd]?|define[sd]?|construct(?:s|ed)?|develop(?:s|ed)?|present(?:s|ed)?|consists? of|composed of|comprises?|contains?|adopts?|utilizes?|employs?)\s+(?:only\s+|just\s+)?$/i;
const EVAL_NOUNS = new Set([
  'task',
  'tasks',
  'dataset',
  'datasets',
  'benchmark',
  'benchmarks',
  'language',
  'languages',
  'environment',
  'environments',
  'game',
  'games',
  'domain',
  'domains',
  'suite',
  'suites',
  'testbed',
  'testbeds',
  'corpus',
  'corpora',
  'baseline',
  'baselines',
  'setting',
  'settings',
  'scenario',
  'scenarios',
  'class',
  'classes',
  'category',
  'categories',
]);

function isOwnPartCount(text: string, tok: NumberToken, unit: Unit): boolean {
  const noun = unit.noun ?? '';
  if (EVAL_NOUNS.has(noun) || (SIZE_NOUNS.has(noun) && !CONCEPT_NOUNS.has(noun))) return false;
  return (
    OWN_PART_BEFORE_RE.test(text.slice(Math.max(0, tok.start - 24), tok.start)) ||
    OWN_PART_AFTER_RE.test(text.slice(tok.end, tok.end + 80))
  );
}
// Size nouns that, counted by a number word after "we introduce/the", are parts of the method, not data
const CONCEPT_NOUNS = new Set([
  'concept',
  'concepts',
  'feature',
  'features',
  'variable',
  'variables',
  'rule',
  'rules',
  'module',
  'modules',
  'component',
  'components',
  'block',
  'blocks',
  'stage',
  'stages',
  'phase',
  'phases',
  'layer',
  'layers',
  'head',
  'heads',
  'group',
  'groups',
  'view',
  'views',
  'function',
  'functions',
  'step',
  'steps',
]);
// "Three VGG models are utilized": things the method is built from
const OWN_PART_AFTER_RE =
  /^(?:\s+[\w-]+){1,4}?\s+(?:are|were)\s+(?:utilized|used|employed|adopted|combined|fused|stacked|integrated)\b/i;

function insideBrackets(text: string, pos: number): boolean {
  const before = text.slice(Math.max(0, pos - 30), pos);
  const open = before.lastIndexOf('[');
  if (open < 0 || before.indexOf(']', open) >= 0) return false;
  const after = text.slice(pos, pos + 30);
  const close = after.indexOf(']');
  return (
    close >= 0 && /^[\d\s,–-]*\]/.test(after.slice(0, close + 1)) && /\[[\d\s,–-]*$/.test(before.slice(open))
  );
}

interface Draft {
  start: number;
  end: number;
  value: number;
  low: number | null;
  unit: Unit | null;
  baseline: { value: number; text: string } | null;
  /** indices into the token list consumed by this claim (range ends, "to B", "vs B") */
  consumedUntil: number;
  isWord: boolean;
}

const RANGE_SEP_RE = /\s?(?:--|-|–|—|~|to|and)\s?/y;
const FROM_BEFORE_RE = /\bfrom\s+(?:an?\s+|the\s+)?(?:average of\s+|about\s+|around\s+|~|∼)?$/i;
const TO_AFTER_RE = /^\s*(?:\([^)]{0,30}\)\s*)?(?:up\s+)?to\s+(?:about\s+|around\s+|~|∼)?$/i;
const VS_AFTER_RE =
  /^\s*(?:\(\s*)?(?:vs\.?|versus|v\.s\.|compared (?:to|with)|against|over)\s+(?:only\s+|just\s+)?$/i;

function sameUnit(a: Unit | null, b: Unit | null): boolean {
  if (!a || !b) return !a && !b;
  return a.unit === b.unit;
}

/**
 * True when every number of a claim is finite. "400 orders of magnitude" (10^400), a 400-digit number or a
 * huge number times a scale overflow to Infinity; such a number is not a measurement, and `paper_claims`
 * (float8 columns, filled from JSON where Infinity and NaN turn into null) cannot store it.
 */
function hasFiniteNumbers(c: Pick<Claim, 'value' | 'low' | 'baseline'>): boolean {
  return (
    Number.isFinite(c.value) &&
    (c.low === null || Number.isFinite(c.low)) &&
    (c.baseline === null || Number.isFinite(c.baseline.value))
  );
}

function applyFactor(value: number, unit: Unit | null): number {
  if (!unit) return value;
  if (unit.factor === -1) return Math.pow(10, value); // "two orders of magnitude" -> 100x
  return value * unit.factor;
}

export function extractClaims(abstract: string): Claim[] {
  const text = abstract;
  const tokens: NumberToken[] = [];
  TOKEN_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = TOKEN_RE.exec(text)) !== null) {
    const raw = m[0];
    if (m[1] !== undefined) {
      // digits glued to letters on the left (Llama2) are still tokens here; isNotAQuantity rejects them
      tokens.push({
        start: m.index,
        end: m.index + raw.length,
        value: raw.startsWith('.') ? Number('0' + raw) : parseDigits(raw),
        isWord: false,
      });
    } else {
      const tok = compoundWordNumber(text, m.index, m.index + raw.length, wordValue(raw));
      tokens.push(tok);
      TOKEN_RE.lastIndex = tok.end;
    }
  }
  const claims: Claim[] = [];
  let i = 0;
  while (i < tokens.length) {
    const draft = readClaim(text, tokens, i);
    i = draft ? draft.consumedUntil + 1 : i + 1;
    if (!draft) continue;
    const claim = classify(text, draft);
    if (claim) claims.push(claim);
  }
  claims.sort((a, b) => a.start - b.start);
  linkParentheticalBaselines(text, claims);
  coordinate(text, claims);
  // readClaim already rejects non-finite numbers; this last check is what guarantees no claim ever carries
  // one, whatever a later step copies or computes, since a single such claim fails the batch's INSERT
  return absorbComparisonValues(text, claims).filter(hasFiniteNumbers);
}

// "85.2% accuracy, higher than GPT-4's 80.1%", "92% compared to 85% for LoRA", "F1 of 71 against SFT (65)":
// a value introduced by a comparison phrase after a claim is that claim's baseline, not a claim of its own.
const COMPARISON_GAP_RE = new RegExp(
  '^[^.;]*?(?:\\b(?:higher|better|lower|worse|faster|slower) than|\\bcompared (?:to|with)|\\brelative to|\\bversus|\\bvs\\.?|\\bagainst|\\bover)' +
    "((?:\\s+(?!and\\b|by\\b|or\\b|but\\b|while\\b|whereas\\b|on\\b|in\\b|to\\b|achiev|reach|obtain|improv|reduc)[\\w.'’-]+){0,4}?)" +
    "\\s*(?:['’]s\\s*|\\(\\s*|:\\s*|\\bof\\s+|\\bat\\s+|\\bwith\\s+|\\bthe\\s+)?(?:only\\s+|just\\s+)?$",
  'i',
);

function absorbComparisonValues(text: string, claims: Claim[]): Claim[] {
  const out: Claim[] = [];
  for (const d of claims) {
    const c = out[out.length - 1];
    if (
      c &&
      c.category === 'result' &&
      d.category === 'result' &&
      c.unit === d.unit &&
      (c.kind === 'absolute_score' || c.kind === d.kind) &&
      !c.baseline &&
      !d.baseline &&
      d.start - c.end <= 80
    ) {
      const gap = text.slice(c.end, d.start);
      const m = COMPARISON_GAP_RE.exec(gap);
      // "over" right before a number is the qualifier "more than", not a comparison
      if (m && !(m[1].trim() === '' && /\bover\s*$/i.test(gap))) {
        c.baseline = { value: d.value, text: d.text };
        if (c.improvement == null && c.kind === 'absolute_score' && c.metric) {
          const dir = metricDirection(c.metric);
          if (dir) c.improvement = dir === 'higher' ? c.value > d.value : c.value < d.value;
        }
        continue;
      }
    }
    out.push(d);
  }
  return out;
}

// "improves AP by 2.0% and 0.9%", "76.17 and 69.97% F-measure", "boost mIoU and accuracy by 1.4% and 8.2%
// respectively": values joined by "and" / "," share what the sentence says about them once.
const COORD_SEP_RE = /^\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|\/\s*)$/;
const STRONG_KINDS = new Set<ClaimKind>(['relative_improvement', 'reduction', 'speedup', 'retention']);

function coordinate(text: string, claims: Claim[]): void {
  let k = 0;
  while (k < claims.length) {
    let j = k;
    while (
      j + 1 < claims.length &&
      claims[j + 1].start - claims[j].end <= 8 &&
      claims[j].category === 'result' &&
      claims[j + 1].category === 'result' &&
      COORD_SEP_RE.test(text.slice(claims[j].end, claims[j + 1].start))
    )
      j++;
    if (j > k) shareInGroup(text, claims.slice(k, j + 1));
    k = j + 1;
  }
}

function shareInGroup(text: string, group: Claim[]): void {
  const last = group[group.length - 1];
  // a unit written once at the end distributes over bare numbers before it
  if (last.unit === '%' || last.unit === 'pp') {
    for (const c of group) if (c.unit === 'score' && /^[\d.,]+$/.test(c.text)) c.unit = last.unit;
  }
  const strong = [...new Set(group.filter((c) => STRONG_KINDS.has(c.kind)).map((c) => c.kind))];
  if (strong.length === 1) {
    const model = group.find((c) => c.kind === strong[0]) as Claim;
    for (const c of group) {
      if ((c.kind === 'absolute_score' || c.kind === 'other') && c.unit === model.unit && !c.baseline) {
        c.kind = model.kind;
        c.improvement = model.improvement;
      }
    }
  }
  if (/^[^.;]{0,60}\brespectively\b/i.test(clauseAfter(text, last.end, 80))) {
    const named = metricsInOrder(clauseBefore(text, group[0].start, WINDOW_BEFORE));
    if (named.length === group.length) {
      group.forEach((c, idx) => (c.metric = named[idx]));
      return;
    }
  }
  const metrics = [...new Set(group.map((c) => c.metric).filter((m): m is string => m !== null))];
  if (metrics.length === 1) for (const c of group) c.metric ??= metrics[0];
}

// "a 63.5% improvement in F1 over SFT (from 19.5 to 31.5) on StreamingQA": the relative claim takes the
// baseline of the "from A to B" that explains it, and the absolute claim B takes its context.
function linkParentheticalBaselines(text: string, claims: Claim[]): void {
  for (let k = 0; k + 1 < claims.length; k++) {
    const c = claims[k];
    const d = claims[k + 1];
    if (!d.baseline || c.baseline || c.category !== 'result') continue;
    if (d.start - c.end > 120 || !/[(,]\s*(?:i\.e\.,?\s*)?from\s+[^()]*$/.test(text.slice(c.end, d.start)))
      continue;
    c.baseline = { ...d.baseline };
    d.metric ??= c.metric;
    d.comparedTo ??= c.comparedTo;
    d.dataset ??= c.dataset;
    c.dataset ??= d.dataset;
  }
}

function readClaim(text: string, tokens: NumberToken[], i: number): Draft | null {
  const tok = tokens[i];
  const raw = text.slice(tok.start, tok.end);
  // "1.2.3" reads as NaN, a 400-digit number as Infinity: neither is a measurement
  if (!Number.isFinite(tok.value)) return null;
  let unit = readUnit(text, tok);
  if (isNotAQuantity(text, tok, unit, raw)) return null;
  // "9.9%-71.9%", "12-26%", "5x-16x", "between 20 and 100 keV": the range takes the unit of its upper end
  const next = tokens[i + 1];
  let low: number | null = null;
  let start = tok.start;
  let end = tok.end + (unit ? unit.text.length : 0);
  let value = tok.value;
  let consumed = i;
  if (next && !next.isWord === !tok.isWord) {
    RANGE_SEP_RE.lastIndex = end;
    const sep = RANGE_SEP_RE.exec(text);
    const isAnd = sep && /and/.test(sep[0]);
    if (
      sep &&
      RANGE_SEP_RE.lastIndex === next.start &&
      (!isAnd || /\bbetween\s+$/i.test(text.slice(Math.max(0, tok.start - 10), tok.start)))
    ) {
      const nextUnit = readUnit(text, next);
      const compatible = (!unit && nextUnit) || sameUnit(unit, nextUnit);
      const nextRaw = text.slice(next.start, next.end);
      if (
        (compatible && !/to/.test(sep[0])) ||
        (compatible &&
          /to/.test(sep[0]) &&
          !FROM_BEFORE_RE.test(text.slice(Math.max(0, tok.start - 30), tok.start)))
      ) {
        if ((nextRaw.match(/\./g)?.length ?? 0) < 2 && tok.value <= next.value) {
          unit = nextUnit ?? unit;
          low = applyFactor(tok.value, unit);
          value = next.value;
          end = next.end + (nextUnit ? nextUnit.text.length : 0);
          consumed = i + 1;
        }
      }
    }
  }
  // "86.3+-1.2%": a bare value takes the unit of the spread that follows it; the spread is not a claim
  const spreadTok = tokens[consumed + 1];
  if (
    spreadTok &&
    !spreadTok.isWord &&
    spreadTok.start - end <= 8 &&
    SPREAD_BEFORE_RE.test(text.slice(end, spreadTok.start))
  ) {
    const spreadUnit = readUnit(text, spreadTok);
    if (!unit && spreadUnit && spreadUnit.unit !== 'count') {
      unit = spreadUnit;
      end = spreadTok.end + spreadUnit.text.length;
    }
    consumed += 1;
  }
  let baseline: Draft['baseline'] = null;
  // "from A to B": the claim is B, with A as its baseline
  if (consumed === i && FROM_BEFORE_RE.test(text.slice(Math.max(0, start - 30), start))) {
    const b = tokens[i + 1];
    if (b && TO_AFTER_RE.test(text.slice(end, b.start))) {
      const bUnit = readUnit(text, b);
      if (
        !isNotAQuantity(text, b, bUnit, text.slice(b.start, b.end)) &&
        (sameUnit(unit, bUnit) || !unit || !bUnit)
      ) {
        const baseText = text.slice(start, end).trim();
        const u = bUnit ?? unit;
        baseline = { value: applyFactor(value, u), text: baseText };
        unit = u;
        start = b.start;
        end = b.end + (bUnit ? bUnit.text.length : 0);
        value = b.value;
        consumed = i + 1;
      }
    }
  }
  // "A vs. B", "A (vs. B)", "A compared to B": the claim is A, with B as its baseline
  const after = tokens[consumed + 1];
  if (!baseline && after && VS_AFTER_RE.test(text.slice(end, after.start))) {
    const bUnit = readUnit(text, after);
    const bValue = applyFactor(after.value, bUnit ?? unit);
    // a comparison value that overflows is no baseline: the claim stands alone and the value is read (and
    // rejected) on its own
    if ((sameUnit(unit, bUnit) || (!bUnit && unit && unit.unit !== 'count')) && Number.isFinite(bValue)) {
      const bEnd = after.end + (bUnit ? bUnit.text.length : 0);
      baseline = { value: bValue, text: text.slice(after.start, bEnd).trim() };
      consumed += 1;
      // "98.9% (vs. 78.2% / 40.5%)": the further comparison values are baselines too, not claims
      let prevEnd = bEnd;
      while (
        tokens[consumed + 1] &&
        /^\s*(?:\/|,|or|and)\s*$/.test(text.slice(prevEnd, tokens[consumed + 1].start)) &&
        tokens[consumed + 1].start - prevEnd < 5
      ) {
        const t = tokens[consumed + 1];
        prevEnd = t.end + (readUnit(text, t)?.text.length ?? 0);
        consumed += 1;
      }
    }
  }
  const draft: Draft = {
    start,
    end: trimEnd(text, start, end),
    value: applyFactor(value, unit),
    low,
    unit,
    baseline,
    consumedUntil: consumed,
    isWord: tok.isWord,
  };
  // "400 orders of magnitude" is 10^400, "1000…0 TB" a huge number times 10^12: both overflow to Infinity
  return hasFiniteNumbers(draft) ? draft : null;
}

function trimEnd(text: string, start: number, end: number): number {
  let e = end;
  while (e > start && /\s/.test(text[e - 1])) e--;
  return e;
}

const RESULT_VERB_RE =
  /\b(?:achiev|attain|reach|obtain|scor|yield|deliver|record|set|establish|get|gets|got|hit|produc|result)\w*\s+(?:an?\s+|the\s+)?(?:new\s+)?(?:state-of-the-art\s+)?(?:[\w-]+\s+){0,3}$/i;

interface KindDecision {
  kind: ClaimKind;
  /** true when the words themselves say it is better ("improvement", "outperforms") */
  explicitBetter: boolean;
}

const AFTER_IMPROVE =
  /^(?:\s+[\w-]+){0,3}?\s*(?:improvements?|gains?|boosts?|increases?|higher|better|more|uplift|enhancements?|advantage|rise|jump|increment|lift)\b/i;
const AFTER_REDUCE =
  /^(?:\s+(?!of\b|in\b|on\b|and\b)[\w-]+){0,3}?\s*(?:reductions?|degradations?|decreases?|decline|lower|less|fewer|drops?|smaller|cuts?|savings?|cheaper|shorter|compression|saving|decrease|reduced)\b/i;
const AFTER_SPEED =
  /^(?:\s+[\w-]+){0,2}?\s*(?:faster|as fast|as quickly|speed-?ups?|acceleration|quicker|higher throughput|more throughput|throughput|inference speed-?up|training speed-?up|wall-clock speed-?up|speed)\b/i;
const AFTER_CONDITION = /^(?:\s+[\w-]+){0,2}?\s*(?:threshold|budget|cutoff|cut-off)\b/i;
const AFTER_RETAIN = /^\s*(?:of\s+(?:the|its|their|full|original|teacher|baseline|dense|uncompressed)\b)/i;
const BEFORE_IMPROVE =
  /\b(?:improv\w*|outperform\w*|surpass\w*|boost\w*|gain\w*|enhanc\w*|exceed\w*|beat\w*|rais\w*|lift\w*|increas\w*|advanc\w*|better)\b[^.;]{0,70}$/i;
const BEFORE_REDUCE =
  /\b(?:collaps\w*|degrad\w*|reduc\w*|lower\w*|decreas\w*|cut\w*|sav\w*|shrink\w*|compress\w*|drop\w*|declin\w*|fell|falls?|minimi\w*|eliminat\w*|mitigat\w*|less|fewer|smaller)\b[^.;]{0,70}$/i;
const BEFORE_SPEED = /\b(?:speed\w*|accelerat\w*|faster|fast)\b[^.;]{0,60}$/i;
const BEFORE_RETAIN =
  /\b(?:retain\w*|preserv\w*|maintain\w*|recover\w*|keep\w*|kept|match\w*|while using|using only|with only)\b[^.;]{0,40}$/i;

function nearestCue(before: string, cues: Array<[RegExp, ClaimKind]>): ClaimKind | null {
  let best: ClaimKind | null = null;
  let bestPos = -1;
  for (const [re, kind] of cues) {
    const m = re.exec(before);
    if (m && m.index > bestPos) {
      bestPos = m.index;
      best = kind;
    }
  }
  return best;
}

function resultKind(unit: ClaimUnit, before: string, after: string, hasBaseline: boolean): KindDecision {
  if (AFTER_SPEED.test(after)) return { kind: 'speedup', explicitBetter: true };
  // "crossing the 70% mIoU threshold", "under a 10% budget": a condition, not a result
  if (AFTER_CONDITION.test(after)) return { kind: 'other', explicitBetter: false };
  if (AFTER_REDUCE.test(after)) return { kind: 'reduction', explicitBetter: false };
  if (AFTER_IMPROVE.test(after)) {
    const better = /improv|gain|better|boost|enhanc|advantage|uplift/i.test(after.slice(0, 40));
    return { kind: 'relative_improvement', explicitBetter: better };
  }
  // "by $92.1\\%$": an opening math delimiter is spacing, not a word
  const tail = before.slice(-90).replace(/\s*\$\s*$/, ' ');
  // "an average gain of 1.5%", "an increase of 0.45%", "a reduction of 30%"
  if (
    /\b(?:gains?|improvements?|increases?|boosts?|margin)\s+(?:of\s+)?(?:up to\s+|about\s+|around\s+|at least\s+|over\s+)?$/i.test(
      tail,
    )
  )
    return {
      kind: 'relative_improvement',
      explicitBetter: /gain|improv|boost|margin/i.test(tail.slice(-30)),
    };
  if (
    /\b(?:reductions?|decreases?|drops?|savings?)\s+(?:of\s+)?(?:up to\s+|about\s+|around\s+|at least\s+|over\s+)?$/i.test(
      tail,
    )
  )
    return { kind: 'reduction', explicitBetter: false };
  if (/(?:^|[\s(])[-−]$/.test(tail)) return { kind: 'reduction', explicitBetter: false };
  // "removes 60% of the parameters", "prunes up to 50% of tokens": removing a share is a reduction
  if (/\b(?:remov|prun|eliminat|discard|skipp?)\w*\s+(?:up to\s+|about\s+|over\s+|nearly\s+|around\s+|more than\s+)?$/i.test(tail))
    return { kind: 'reduction', explicitBetter: false };
  if (/(?:^|[\s(])\+$/.test(tail)) return { kind: 'relative_improvement', explicitBetter: false };
  const cue = nearestCue(tail, [
    [BEFORE_IMPROVE, 'relative_improvement'],
    [BEFORE_REDUCE, 'reduction'],
    [BEFORE_SPEED, 'speedup'],
    [BEFORE_RETAIN, 'retention'],
  ]);
  const byBefore =
    /\bby\s+(?:(?:up to|about|over|nearly|more than|roughly|approximately|around|an average of|average|an?)\s+)*$/i.test(
      tail,
    );
  if (unit === 'x') {
    if (cue === 'reduction' || /memory|cost|size|compress|fewer|less/i.test(after.slice(0, 30)))
      return { kind: 'reduction', explicitBetter: false };
    if (cue === 'speedup' || /speed|faster|latency|throughput/i.test(after.slice(0, 40)))
      return { kind: 'speedup', explicitBetter: true };
    return {
      kind: 'relative_improvement',
      explicitBetter: cue === 'relative_improvement' && /improv|outperform|better|surpass|beat/i.test(tail),
    };
  }
  if (cue === 'retention' && (AFTER_RETAIN.test(after) || /^\s*(?:of|performance)/i.test(after)) && !byBefore)
    return { kind: 'retention', explicitBetter: false };
  if (AFTER_RETAIN.test(after) && /retain|preserv|maintain|recover|match/i.test(tail + after.slice(0, 60)))
    return { kind: 'retention', explicitBetter: false };
  if (byBefore && cue) {
    if (cue === 'relative_improvement')
      return {
        kind: 'relative_improvement',
        explicitBetter: /improv|outperform|surpass|beat|exceed|better|boost|enhanc|gain/i.test(tail),
      };
    if (cue === 'reduction') return { kind: 'reduction', explicitBetter: false };
    if (cue === 'speedup') return { kind: 'speedup', explicitBetter: true };
  }
  if (byBefore) return { kind: 'relative_improvement', explicitBetter: false };
  if (/\b(?:at|under|with|using)\s+(?:only\s+|just\s+)?(?:an?\s+)?$/i.test(tail) && !hasBaseline)
    return { kind: 'other', explicitBetter: false };
  if (hasBaseline || RESULT_VERB_RE.test(tail) || unit === '%' || unit === 'score')
    return { kind: 'absolute_score', explicitBetter: false };
  return { kind: 'other', explicitBetter: false };
}

function improvementOf(
  kind: ClaimKind,
  explicitBetter: boolean,
  metric: string | null,
  value: number,
  baseline: Claim['baseline'],
): boolean | null {
  const dir = metric ? metricDirection(metric) : null;
  switch (kind) {
    case 'speedup':
      return true;
    case 'relative_improvement':
      if (explicitBetter) return true;
      return dir === null ? null : dir === 'higher';
    case 'reduction':
      return dir === null ? null : dir === 'lower';
    case 'absolute_score':
      if (!baseline || dir === null || baseline.value === value) return null;
      return dir === 'higher' ? value > baseline.value : value < baseline.value;
    case 'retention':
    case 'other':
    case 'scope':
    case 'size':
      return null;
  }
}

function classify(text: string, d: Draft): Claim | null {
  const before = clauseBefore(text, d.start, WINDOW_BEFORE);
  const after = clauseAfter(text, d.end, WINDOW_AFTER);
  let unit: ClaimUnit;
  let category: ClaimCategory;
  let kind: ClaimKind;
  let unitText: string | null = null;
  const u = d.unit;
  // "$60\text{-}80\times$" is LaTeX math, not money
  const latex = /[\\$]/.test(text.slice(d.start, d.end + 15));
  const currency = latex ? null : CURRENCY_BEFORE_RE.exec(text.slice(Math.max(0, d.start - 4), d.start));
  let start = d.start;
  if (currency) start = d.start - currency[0].length;
  // what did not change ("with no loss in accuracy", "while maintaining F1") is not what the number measures
  const keptBefore = maskKeptPhrases(before, true);
  const keptAfter = maskKeptPhrases(after);
  const metric = assignedMetric(text, d.start) ?? findMetric(keptBefore, keptAfter);

  if (currency) {
    unit = 'other';
    unitText = currency[0].trim();
  } else if (!u) {
    // a bare number is a claim only when it reads as a score: a metric next to it or a result verb
    if (d.isWord) return null;
    const scoreLike =
      assignedMetric(text, d.start) !== null ||
      /\b(?:gains?|improvements?|increases?|drops?|reductions?|decreases?) of\s*$/i.test(before.slice(-30)) ||
      (metric !== null &&
        (findMetric('', after.slice(0, 25)) !== null ||
          /\b(?:of|at|to|is|was|reaches|reaching|achieves|achieving|scores?|scoring|with|by|=|:)\s*(?:about|around|~|only|just|over|nearly|up to)?\s*$/i.test(
            before.slice(-20),
          )));
    if (scoreLike || d.baseline || RESULT_VERB_RE.test(before.slice(-60))) {
      unit = 'score';
    } else {
      return null;
    }
  } else if (u.unit === 'other') {
    unit = 'other';
    unitText = u.unitText;
  } else {
    unit = u.unit;
  }
  if (d.isWord && unit !== 'x' && unit !== 'count' && unit !== '%') return null;
  if (d.isWord && unit === 'count' && d.value < 2) return null;
  // computed once the number is known to be a claim: bare numbers are by far the most common rejects
  const qualifier = findQualifier(text.slice(Math.max(0, start - 40), start), after);

  if (
    unit === 'count' ||
    unit === 'params' ||
    unit === 'tokens' ||
    (unit === 'bytes' &&
      !/memory|reduc|from|to\s*$|storage|footprint|cache/i.test(before.slice(-50) + after.slice(0, 30)))
  ) {
    const changeCue =
      /\b(?:reduc\w*|fewer|less|lower|cut\w*|sav\w*|only)\s*(?:\w+\s+){0,2}$/i.test(before.slice(-40)) ||
      d.baseline !== null;
    if (!changeCue || unit === 'count') {
      category = 'setup';
      const noun = u?.noun ?? '';
      kind = unit === 'count' && SCOPE_NOUNS.has(noun) ? 'scope' : 'size';
      return build(text, d, start, {
        unit,
        unitText,
        category,
        kind,
        metric: null,
        improvement: null,
        qualifier,
        before,
        after,
      });
    }
  }
  if (unit === 'other' && unitText && !TIME_UNITS.has(unitText) && !currency) {
    // a physical measurement (2617.4 m, 17 mg): reported as found
    // a rate unit names its own metric ("10 frames per second" -> throughput)
    const unitMetric = canonicalMetric(unitText) ?? metric;
    return build(text, d, start, {
      unit,
      unitText,
      category: 'result',
      kind: d.baseline ? 'absolute_score' : 'other',
      metric: unitMetric,
      improvement: null,
      qualifier,
      before,
      after,
    });
  }
  category = 'result';
  const decision = resultKind(unit, keptBefore, keptAfter, d.baseline !== null);
  kind = decision.kind;
  // a speed-up is of speed: a metric read from the clause only counts when it is a time or a rate
  const kindMetric =
    kind === 'speedup' && metric && !SPEED_METRICS.has(metric)
      ? findMetric(keptBefore, keptAfter, SPEED_METRICS)
      : metric;
  if (unit === 'other' && kind === 'relative_improvement' && !/\bby\s*$/.test(before))
    kind = 'absolute_score';
  if (unit === 'other' && unitText && TIME_UNITS.has(unitText) && kind === 'other' && !metric) {
    return build(text, d, start, {
      unit,
      unitText,
      category: 'setup',
      kind: 'size',
      metric: null,
      improvement: null,
      qualifier,
      before,
      after,
    });
  }
  const improvement = improvementOf(kind, decision.explicitBetter, kindMetric, d.value, d.baseline);
  return build(text, d, start, {
    unit,
    unitText,
    category,
    kind,
    metric: kindMetric,
    improvement,
    qualifier,
    before,
    after,
  });
}

const SPEED_METRICS = new Set([
  'latency',
  'inference time',
  'training time',
  'throughput',
  'speed',
  'compute',
]);

interface Parts {
  unit: ClaimUnit;
  unitText: string | null;
  category: ClaimCategory;
  kind: ClaimKind;
  metric: string | null;
  improvement: boolean | null;
  qualifier: string | null;
  before: string;
  after: string;
}

function build(text: string, d: Draft, start: number, p: Parts): Claim {
  const isResult = p.category === 'result';
  return {
    start,
    end: d.end,
    text: text.slice(start, d.end),
    value: d.value,
    low: d.low,
    unit: p.unit,
    unitText: p.unitText,
    category: p.category,
    kind: p.kind,
    metric: p.metric,
    improvement: p.improvement,
    baseline: d.baseline,
    comparedTo: isResult ? findComparedTo(p.before, p.after) : null,
    dataset: isResult || p.kind === 'scope' ? findDataset(p.before, p.after) : null,
    qualifier: p.qualifier,
  };
}
