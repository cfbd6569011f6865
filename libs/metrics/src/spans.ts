// Phase 4 — candidate spans: one number (with its unit) or a range, "from A to B", "A vs. B" read into a draft
// claim with value, low and baseline.

import type { Claim } from '@paperwire/contracts';
import { readUnit, type Unit } from './units';
import { type NumberToken } from './numbers';
import { gluedToName, isNotAQuantity, SPREAD_BEFORE_RE } from './filters';

export interface Draft {
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

// ("gains of +12.8 to +25.3 percentage points": an explicit plus on the upper end)
export const RANGE_SEP_RE = /\s?(?:--|-|–|—|~|to|and)\s?\+?/y;
// ("from over 30 hours to about 1 hour": a qualifier on A)
// (metrics-1.27.0: each value in its own math, "from $8.21\,\mathrm{G}$ to $1.55\,\mathrm{G}$")
export const FROM_BEFORE_RE =
  /\bfrom\s+(?:an?\s+|the\s+)?(?:average of\s+|about\s+|around\s+|~|∼|over\s+|more than\s+|nearly\s+|almost\s+|roughly\s+|approximately\s+)?(?:\$\s?)?$/i;
// "from 0.54 to 0.26 and 10.13% to 5.99%": a further "A to B" coordinated after a "from A to B" is a change too
export const PAIR_LIST_BEFORE_RE =
  /\bfrom\s+(?:[^.;()]|\.(?=\d)){0,50}?\bto\s+[-+−]?\$?\d[\d.,]*\s?(?:\\?%|x|×)?\$?\s*(?:,\s*(?:and\s+)?|and\s+)$/i;
// "by 23.9% in FVD (81.3 to 61.9)": a parenthesis after a change gives its A and B
export const CHANGE_PAREN_BEFORE_RE =
  /\bby\s+[-+−]?\$?\d[\d.,]*\s?(?:\\?%|x|×|points?|pp)?\$?[^.;()]{0,30}\(\s*$/i;
// "accuracy ranged from 0.63 to 0.93", "gains ranging from -1.4% to 2.9%": a range, not a change from A to B
// (sizes keep "from A to B": "models ranging from 1B to 14B parameters" is read as the 14B, see rules-1.6)
// (metrics-1.31.0: a bare score or a measured unit too, "F1 ranged from 0.61 to 0.78", "latencies vary from 12 ms to
// 40 ms": only the size units keep reading B)
const SIZE_UNITS = new Set(['count', 'params', 'tokens', 'bytes']);
export const RANGED_FROM_RE = /\b(?:rang(?:e|es|ed|ing)|var(?:y|ies|ied|ying))\s+from\s+[-−]?$/i;
// ("falls from 71.1% on original questions to 38.0%": where A was measured, between A and "to")
export const TO_AFTER_RE =
  /^(?:\s?\$)?\s*(?:\([^)]{0,30}\)\s*)?(?:(?:on|for|under|in)\s+(?:[A-Za-z][\w-]*\s+){1,3}?)?(?:up\s+)?to\s+(?:about\s+|around\s+|~|∼|under\s+|below\s+|over\s+|above\s+|nearly\s+|almost\s+|just\s+|only\s+|roughly\s+)?(?:\$\s?)?$/i;
// "72% -> 100%", "0.917 → 0.997", "$0.45 \rightarrow 0.61$": an arrow between two values reads "from A to B"
const ARROW_GAP_RE =
  /^\s*\$?\s*(?:-{1,2}>|→|⟶|=>|\\(?:rightarrow|longrightarrow|Rightarrow|to)(?![A-Za-z]))\s*\$?\s*$/;
// (metrics-1.26.0: each value in its own math, "$66\%$ vs. $67\%$")
export const VS_AFTER_RE =
  /^\$?\s*(?:\(\s*)?(?:vs\.?|versus|v\.s\.|compared (?:to|with)|against|over)\s+(?:only\s+|just\s+)?\$?$/i;

/** `d` with another end and value: written out field by field, as readClaim builds a draft, so that every draft has
 * one hidden class (a copy by spread has another, and deoptimizes the code that meets it first). */
export function draftWith(d: Draft, end: number, value: number): Draft {
  return {
    start: d.start,
    end,
    value,
    low: d.low,
    unit: d.unit,
    baseline: d.baseline,
    consumedUntil: d.consumedUntil,
    isWord: d.isWord,
  };
}

export function sameUnit(a: Unit | null, b: Unit | null): boolean {
  if (!a || !b) return !a && !b;
  return a.unit === b.unit;
}

/**
 * True when every number of a claim is finite. "400 orders of magnitude" (10^400), a 400-digit number or a
 * huge number times a scale overflow to Infinity; such a number is not a measurement, and `paper_claims`
 * (float8 columns, filled from JSON where Infinity and NaN turn into null) cannot store it.
 */
export function hasFiniteNumbers(c: Pick<Claim, 'value' | 'low' | 'baseline'>): boolean {
  return (
    Number.isFinite(c.value) &&
    (c.low === null || Number.isFinite(c.low)) &&
    (c.baseline === null || Number.isFinite(c.baseline.value))
  );
}

export function applyFactor(value: number, unit: Unit | null): number {
  if (!unit) return value;
  if (unit.factor === -1) return Math.pow(10, value); // "two orders of magnitude" -> 100x
  return value * unit.factor;
}

export function readClaim(text: string, tokens: NumberToken[], i: number): Draft | null {
  const tok = tokens[i];
  const raw = text.slice(tok.start, tok.end);
  // "1.2.3" reads as NaN, a 400-digit number as Infinity: neither is a measurement
  if (!Number.isFinite(tok.value)) return null;
  // ("Llama2", "GPT-4o": a fifth of the tokens, rejected before their unit is read)
  if (!tok.isWord && gluedToName(text, tok)) return null;
  let unit = readUnit(text, tok);
  if (isNotAQuantity(text, tok, unit, raw)) return null;
  // "8.7%-64.3%", "12-26%", "5x-16x", "between 20 and 100 keV": the range takes the unit of its upper end
  const next = tokens[i + 1];
  let low: number | null = null;
  let start = tok.start;
  let end = tok.end + (unit ? unit.text.length : 0);
  let value = tok.value;
  let consumed = i;
  if (next && !next.isWord === !tok.isWord) {
    // metrics-1.25.0: "$33\%$-$51\%$", "$1.11\times$-$1.76\times$": each end of a range in math of its own
    const mathEnds = text[tok.start - 1] === '$' && text[next.start - 1] === '$';
    const sepAt = mathEnds && text[end] === '$' ? end + 1 : end;
    RANGE_SEP_RE.lastIndex = sepAt;
    const sep = RANGE_SEP_RE.exec(text);
    const isAnd = sep && /and/.test(sep[0]);
    if (
      sep &&
      (RANGE_SEP_RE.lastIndex === next.start ||
        (mathEnds &&
          text[sepAt - 1] === '$' &&
          RANGE_SEP_RE.lastIndex + 1 === next.start &&
          /^\s?[-–—]{1,2}\s?$/.test(sep[0]))) &&
      (!isAnd || /\bbetween\s+$/i.test(text.slice(Math.max(0, tok.start - 10), tok.start)))
    ) {
      const nextUnit = readUnit(text, next);
      const compatible =
        (!unit && nextUnit) ||
        sameUnit(unit, nextUnit) ||
        // "307M-567M parameters": a bare scale letter read as a count takes the unit written after B
        (unit?.unit === 'count' &&
          nextUnit !== null &&
          /^[kKMBT]$/.test(unit.text) &&
          unit.factor === nextUnit.factor);
      const nextRaw = text.slice(next.start, next.end);
      const lead = text.slice(Math.max(0, tok.start - 30), tok.start);
      if (
        (compatible && !/to/.test(sep[0])) ||
        (compatible &&
          /to/.test(sep[0]) &&
          // ("gains ranging from 0.34 to 4.49 percentage points": the unit written once, after B)
          ((!SIZE_UNITS.has(unit?.unit ?? nextUnit?.unit ?? '') && RANGED_FROM_RE.test(lead)) ||
            !FROM_BEFORE_RE.test(lead)))
      ) {
        if ((nextRaw.match(/\./g)?.length ?? 0) < 2 && tok.value <= next.value) {
          unit = nextUnit ?? unit;
          low = applyFactor(tok.value, unit);
          // "gains ranging from -1.4% to 2.9%": a negative lower end of a range whose upper end is not negative
          if (/(?:^|[\s(])[-−]$/.test(lead) && !/[-−]\s*$/.test(text.slice(end, next.start))) {
            low = -low;
            start = tok.start - 1;
          }
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
  // "from A to B": the claim is B, with A as its baseline ("format 72% -> 100%", "0.917 $\rightarrow$ 0.997": so is
  // "A -> B", the arrow written for "from A to")
  const arrow =
    consumed === i && tokens[i + 1] !== undefined && ARROW_GAP_RE.test(text.slice(end, tokens[i + 1].start));
  if (
    consumed === i &&
    // (the gap's anchored test first: it fails for most values, and the end-anchored ones try every start)
    tokens[i + 1] !== undefined &&
    (arrow || TO_AFTER_RE.test(text.slice(end, tokens[i + 1].start))) &&
    (arrow ||
      FROM_BEFORE_RE.test(text.slice(Math.max(0, start - 30), start)) ||
      PAIR_LIST_BEFORE_RE.test(text.slice(Math.max(0, start - 90), start)) ||
      CHANGE_PAREN_BEFORE_RE.test(text.slice(Math.max(0, start - 60), start)))
  ) {
    const b = tokens[i + 1];
    if (b && (arrow || TO_AFTER_RE.test(text.slice(end, b.start)))) {
      const bUnit = readUnit(text, b);
      if (
        !isNotAQuantity(text, b, bUnit, text.slice(b.start, b.end)) &&
        // (metrics-1.27.0: "from \(1\) to \(1+c\)": a B that opens a formula is no value)
        !/^\s?[+*/^]\s?[A-Za-z\\]/.test(text.slice(b.end, b.end + 4)) &&
        // "from 28M to 120M parameters": a bare scale letter takes the unit written after B
        (sameUnit(unit, bUnit) ||
          !unit ||
          !bUnit ||
          (/^[kKMBT]$/.test(unit.text) && unit.factor === bUnit.factor))
      ) {
        const baseText = text.slice(start, end).trim();
        const u = bUnit ?? unit;
        baseline = { value: applyFactor(value, u), text: baseText };
        unit = u;
        start = b.start;
        end = b.end + (bUnit ? bUnit.text.length : 0);
        value = b.value;
        consumed = i + 1;
        // "from roughly 3% to 17-24%": B is itself a range, written with the unit once at its end
        const c = tokens[i + 2];
        RANGE_SEP_RE.lastIndex = end;
        const sep = c && !bUnit && !b.isWord && !c.isWord ? RANGE_SEP_RE.exec(text) : null;
        if (c && sep && !/to|and/.test(sep[0]) && RANGE_SEP_RE.lastIndex === c.start && b.value <= c.value) {
          const cUnit = readUnit(text, c);
          // ("from 1.00 to 0.57-0.76": metrics-1.15.0, a bare B range after a bare A)
          if (cUnit ? sameUnit(cUnit, u) : !u && !/\./.test(text.slice(end, c.start))) {
            low = applyFactor(b.value, cUnit);
            value = c.value;
            end = c.end + (cUnit?.text.length ?? 0);
            consumed = i + 2;
          }
        }
      }
    }
  }
  // "A vs. B", "A (vs. B)", "A compared to B": the claim is A, with B as its baseline
  const after = tokens[consumed + 1];
  const vsGap = after ? text.slice(end, after.start) : '';
  // "3,000 questions over 447 long videos": "over" between counts spreads one over the other
  const countOver = unit?.unit === 'count' && /\bover\s*$/i.test(vsGap);
  if (!baseline && after && !countOver && VS_AFTER_RE.test(vsGap)) {
    const bUnit = readUnit(text, after);
    const bValue = applyFactor(after.value, bUnit ?? unit);
    // a comparison value that overflows is no baseline: the claim stands alone and the value is read (and
    // rejected) on its own
    // metrics-1.17.0: "(2M vs 33M parameters)": a bare scale letter takes the unit written after B, as in "from A to B"
    const scaleOnly =
      unit !== null && bUnit !== null && /^[kKMBT]$/.test(unit.text) && unit.factor === bUnit.factor;
    if (scaleOnly) unit = bUnit;
    if (
      (scaleOnly ||
        sameUnit(unit, bUnit) ||
        // (metrics-1.31.0: "ranges from 1.15 to 1.92 m over 0-20 m": a bare number that opens a range after "over" is
        // what the value spans, no value compared with)
        (!bUnit &&
          unit &&
          unit.unit !== 'count' &&
          !(
            /\bover\s*$/i.test(vsGap) && /^\s?[-–—]{1,2}\s?\d/.test(text.slice(after.end, after.end + 4))
          ))) &&
      Number.isFinite(bValue)
    ) {
      const bEnd = after.end + (bUnit ? bUnit.text.length : 0);
      baseline = { value: bValue, text: text.slice(after.start, bEnd).trim() };
      consumed += 1;
      // "98.9% (vs. 78.2% / 40.5%)": the further comparison values are baselines too, not claims
      // (metrics-1.26.0: and the upper end of a range compared with, "80--87% vs. 40--59%")
      let prevEnd = bEnd;
      while (
        tokens[consumed + 1] &&
        /^\s*(?:\/|,|or|and|-{1,2}|–)\s*$/.test(text.slice(prevEnd, tokens[consumed + 1].start)) &&
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

export function trimEnd(text: string, start: number, end: number): number {
  let e = end;
  while (e > start && /\s/.test(text[e - 1])) e--;
  return e;
}
