// Phase 3 — filtering: numbers that are names, citations, dates, versions, formulas, protocol settings or the
// paper's own parts rather than quantities.

import { EVALUATION_NOUNS, MONTHS, NAME_PREFIXES, SCOPE_NOUNS, SIZE_NOUNS } from './lexicon';
import { hyphenDataNoun, readUnit, type Unit } from './units';
import { codeAt, endsWithSign, isAlnum, isLetter, type NumberToken, wordBefore, wordsAfter } from './numbers';
import { assignedMetric } from './attribution';
import { canonicalMetric } from './metric-table';

export const FOLD_CHANGE_AFTER_RE =
  /^(?:\s+[\w-]+){0,2}?\s+(?:improvements?|increases?|gains?|boosts?|speed-?ups?|accelerations?|reductions?|decreases?|drops?|more|fewer|less|higher|lower|faster|larger|smaller|better|greater|rises?|jumps?|enhancements?)\b/i;
// "(SSIM = 0.883, LPIPS = 0.157)", "(ViTScore = 0.799)": an acronym or a "...Score" name of three letters or more
// set equal to a decimal reports a score even when the metric table does not know it ("k = 0.5", "SD = 1.2",
// "CN = 90" stay settings and statistics; "at FAR=0.01%" is an operating point)
export const SCORE_NAME_ASSIGNED_RE =
  /(?<![\w@-])(?<!\bat\s{1,3})(?=[A-Za-z-]{3,}\s*=)(?:[A-Z][A-Za-z]*[A-Z][A-Za-z-]*|[A-Z][a-z]+Score)\s*=\s*$/;
/** SCORE_NAME_ASSIGNED_RE's test, after a cheap one (most slices do not end with "="). */
export const scoreNameAssigned = (s: string): boolean =>
  endsWithSign(s, '=', false) && SCORE_NAME_ASSIGNED_RE.test(s);
export const DELTA_ASSIGNED_RE = /(?:Δ|\\Delta\$?)\s*(?:=|:)\s*\+?\$?\s*$/;

// "-fold" then up to three modifier words (no change noun) and cross-validation
const FOLD_MODIFIED_CV_RE =
  /^-?\s?fold\s+(?:(?!(?:increase|improvement|gain|reduction|decrease|higher|lower|more|less|fewer|faster|speed)\w*\b)[a-z][\w-]*\s+){1,3}(?:cross[-\s]?validat|CV\b)/i;
// metrics-1.22.0: "usage increases fivefold", "grew over threefold in A and twofold in B": a change verb right before
// the multiplier (its qualifiers and an earlier multiplier it is coordinated with between them) makes it a change
const FOLD_VERB_BEFORE_RE =
  /\b(?:increas|decreas|reduc|improv|gr[eo]w|ris|rose|boost|multipl|expand|shr[iu]nk|accelerat|jump|climb|drop)\w*\s+(?:(?:by|over|nearly|about|roughly|almost|more than|approximately|up to|around|some|a)\s+)*(?:[\w-]*fold\b[^,;.]{0,30}?\b(?:and|or)\s+)?$/i;

/**
 * A digit token that is part of a word or identifier whatever unit follows it: Llama2, F1, GPT-4o, ImageNet-1K, pass@1,
 * x^2, v1.2 (not after "\\times": "$\\times5.04$" is a multiplier sign, which isNotAQuantity tells once the unit is read).
 */
export function gluedToName(text: string, tok: NumberToken): boolean {
  // (no read before the text: one out of bounds deoptimizes the code that meets it, a number opening an abstract)
  // (character codes compared, not one-character strings: codeAt)
  const prev = codeAt(text, tok.start - 1);
  return (
    (prev >= 0 &&
      isAlnum(text[tok.start - 1]) &&
      !/\\times$/.test(text.slice(Math.max(0, tok.start - 6), tok.start))) ||
    prev === 0x40 /* @ */ ||
    prev === 0x23 /* # */ ||
    prev === 0x5e /* ^ */ ||
    prev === 0x5f /* _ */ ||
    prev === 0x5c /* \\ */ ||
    ((prev === 0x2d /* - */ || prev === 0x2e /* . */ || prev === 0x2013 /* – */) &&
      tok.start > 1 &&
      isAlnum(text[tok.start - 2]))
  );
}

/** Reasons a number is part of a name, a citation, a date or a formula rather than a quantity. */
export function isNotAQuantity(
  text: string,
  tok: NumberToken,
  unit: Unit | null,
  raw: string,
  followLists = true,
): boolean {
  // (the characters around the number as strings for isAlnum / isLetter, as codes for one-character compares: codeAt)
  const prev = tok.start > 0 ? text[tok.start - 1] : undefined;
  const prev2 = tok.start > 1 ? text[tok.start - 2] : undefined;
  const next = tok.end < text.length ? text[tok.end] : undefined;
  const prevCode = codeAt(text, tok.start - 1);
  const prev2Code = codeAt(text, tok.start - 2);
  const nextCode = codeAt(text, tok.end);
  // (before anything that reads the unit: readClaim makes the same test before reading one)
  if (!tok.isWord && gluedToName(text, tok)) return true;
  // "5-fold cross-validation", "four-fold cross-validation" is a protocol
  // (metrics-1.25.0: its modifiers may come between, "a 5-fold multi-label stratified cross-validation strategy")
  if (
    unit &&
    unit.unit === 'x' &&
    (/^-?\s?fold\s+(?:cross|CV\b|nested|stratified)/i.test(text.slice(tok.end, tok.end + 20)) ||
      FOLD_MODIFIED_CV_RE.test(text.slice(tok.end, tok.end + 64)))
  )
    return true;
  if (unit && (isPopulation(tok, unit) || isRivalSize(text, tok, unit))) return true;
  // metrics-1.30.0: "4x super-resolution", "an 8x upsampling task": the scale factor of a task is its setting, not a result
  // (named as the task — "for 4x super-resolution", "a 2x upsampling model"; "at 4x and 8x upscaling" are the conditions a
  // result is given at, GUIDE dev-21)
  if (
    unit?.unit === 'x' &&
    /\b(?:for|a|an|the|of)\s+$/i.test(text.slice(Math.max(0, tok.start - 6), tok.start)) &&
    /^[\s-]*(?:super-?resolution|SR\b|upscal|upsampl)/i.test(
      text.slice(tok.end + unit.text.length, tok.end + unit.text.length + 20),
    )
  )
    return true;
  // metrics-1.26.0: "a baseline 8x its size", "models twice their size": a rival's scale relative to the method's (GUIDE:
  // "models twice its size" is no claim)
  if (
    unit?.unit === 'x' &&
    /^\s+(?:its|their)\s+(?:own\s+)?size\b/i.test(text.slice(tok.end + unit.text.length, tok.end + unit.text.length + 20))
  )
    return true;
  if (tok.isWord) {
    // "contributions are threefold", "a twofold strategy": "-fold" written on a number word is a multiplier only
    // when a change follows or "by" precedes it ("a threefold improvement", "increases by twofold")
    if (unit && unit.unit === 'x' && /fold/.test(unit.text) && !/^twice|^thrice/i.test(raw)) {
      const after = text.slice(tok.end + unit.text.length, tok.end + unit.text.length + 40);
      const before = text.slice(Math.max(0, tok.start - 16), tok.start);
      if (
        !FOLD_CHANGE_AFTER_RE.test(after) &&
        !/\bby\s+(?:a\s+|about\s+|nearly\s+|over\s+)?$/i.test(before) &&
        !FOLD_VERB_BEFORE_RE.test(text.slice(Math.max(0, tok.start - 70), tok.start))
      )
        return true;
    }
    // "an order of magnitude" is a multiplier only as a change: "by an order of magnitude", "an order of
    // magnitude faster" ("within an order of magnitude of" is a bound)
    if (/^an?$/i.test(raw)) {
      const after = text.slice(tok.end + (unit?.text.length ?? 0), tok.end + (unit?.text.length ?? 0) + 40);
      const before = text.slice(Math.max(0, tok.start - 16), tok.start);
      if (
        !FOLD_CHANGE_AFTER_RE.test(after) &&
        !/\bby\s+(?:about\s+|nearly\s+|over\s+|more than\s+)?$/i.test(before)
      )
        return true;
    }
    // "a few dozen lines", "several hundred": a vague multiple, not a number
    if (VAGUE_BEFORE_RE.test(text.slice(Math.max(0, tok.start - 12), tok.start))) return true;
    // "the distance of two point features", "between two triples": a pair in a definition, not a count
    if (isPairInDefinition(text, tok, unit)) return true;
    // "two-thirds", "two-stage": fractions and compound adjectives, not counts ("two-year" is a duration)
    if (
      /^-(?!fold\b)[a-z]/i.test(text.slice(tok.end, tok.end + 2)) &&
      !(unit && (unit.unit === 'x' || unit.duration))
    )
      return true;
    return unit !== null && unit.unit === 'count' && isOwnPartCount(text, tok, unit, raw);
  }
  // metrics-1.12.0: "(600 trials, 3 seeds)", "24 convolutional layers" after "includes": repetitions of the protocol
  // and the parts of the paper's own model are not measured amounts, in digits as in words
  if (unit && unit.unit === 'count' && isOwnPartDigits(text, tok, unit)) return true;
  // "dense (8B)", "Qwen2.5-Coder (7B/14B/32B)", "$π_{0.5}$-3.3B", "OpenVLA-OFT 7B panel": a bare size in
  // parentheses after a word, joined to a LaTeX-set name or after a model's name names a model ("14B-scale" is
  // labelled a size in dev-5 and not in dev-9: left as it was)
  if (unit && unit.unit === 'params' && isBareSize(unit) && isNamedModelSize(text, tok, unit)) return true;
  // "3.2 ± 0.15", "+-1.2%", "$\pm$0.15": a spread around the value before it, not a claim of its own; with no
  // value before it ("a tidal range of ±12 m") the sign belongs to the quantity
  if (isSpreadOfValue(text, tok.start)) return true;
  // "32 x 32", "1 \times 1", "512×512": a shape or grid size, not a multiplier
  if (
    unit &&
    unit.unit === 'x' &&
    /^\s*\$?\s*\d/.test(text.slice(tok.end + unit.text.length, tok.end + unit.text.length + 4))
  )
    return true;
  if (DIMENSION_BEFORE_RE.test(text.slice(Math.max(0, tok.start - 12), tok.start))) return true;
  if (HARDWARE_NAME_BEFORE_RE.test(text.slice(Math.max(0, tok.start - 12), tok.start))) return true;
  // metrics-1.15.0: "at 1K and 2K resolutions", "at 4K resolution": a K written for an image resolution is a setting
  if (nextCode === 0x4b /* K */ && K_RESOLUTION_AFTER_RE.test(text.slice(tok.end, tok.end + 40))) return true;
  // metrics-1.21.0: "(95% CI: 0.863-0.872)", "[95\% CI 98.2--100]": the bounds of a confidence interval are no claim (GUIDE)
  const lead = text.slice(Math.max(0, tok.start - 36), tok.start);
  if ((lead.includes('CI') || lead.includes('interval')) && CI_BOUND_BEFORE_RE.test(lead)) return true;
  // metrics-1.29.0: "($p < 0.001$)", "p = 0.03", "$p\leq 0.05$": a p-value is a test statistic, never a claim (GUIDE)
  if (P_VALUE_BEFORE_RE.test(text.slice(Math.max(0, tok.start - 14), tok.start))) return true;
  // "95% confidence interval", "$95\%$ CI": a confidence level is a setting of the statistics
  if (
    unit &&
    unit.unit === '%' &&
    CONFIDENCE_AFTER_RE.test(text.slice(tok.end + unit.text.length, tok.end + unit.text.length + 28))
  )
    return true;
  // "at an IoU of 0.5", "IoU threshold 0.7": the protocol's matching threshold, not a result
  if (EVAL_THRESHOLD_BEFORE_RE.test(text.slice(Math.max(0, tok.start - 40), tok.start))) return true;
  // metrics-1.26.0: "TPR at 1 percent FPR", "recall at 0.1% FAR": the false-positive rate a detection rate is read at is
  // the protocol's operating point (GUIDE: "at FAR=0.01%"), not a result
  if (
    unit?.unit === '%' &&
    /\bat\s+$/i.test(text.slice(Math.max(0, tok.start - 4), tok.start)) &&
    RATE_POINT_AFTER_RE.test(text.slice(tok.end + unit.text.length, tok.end + unit.text.length + 32))
  )
    return true;
  // part of a word or identifier (gluedToName, tested first); after "\\times" a letter or digit before the number is
  // part of a word unless readUnit read that sign as the multiplier ("$\\times5.04$")
  if (
    (isAlnum(prev) && !(unit?.unit === 'x' && unit.text === '')) ||
    (prevCode === 0x2f /* / */ && !slashPaired(text, tok, unit))
  )
    return true;
  // metrics-1.21.0: "mAP@0.5:0.95", "mAP@.50:.95": the end of a threshold range after "@" is part of the name
  if (
    (prevCode === 0x3a /* : */ || prevCode === 0x2e /* . */) &&
    /@[\d.]+:\.?$/.test(text.slice(Math.max(0, tok.start - 10), tok.start))
  )
    return true;
  // "llama3.1:8B", "GPT-OSS:20B": a size glued after a model name and a colon is the model's tag
  if (
    prevCode === 0x3a /* : */ &&
    isAlnum(prev2) &&
    /^[kKMBTb](?![a-zA-Z0-9])/.test(text.slice(tok.end, tok.end + 2))
  )
    return true;
  if (
    prevCode === 0x2d /* - */ &&
    prev2Code === 0x20 /* space */ &&
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
  const plusSign =
    /(?:^|[\s(/])\+$/.test(before) && (before.at(-2) !== '/' || slashPaired(text, tok, unit, 1));
  // "mAP=0.56", "F1 = 0.81": a metric set equal to a value reports a score
  // "(Δ = 0.440)": a difference set equal to a value reports a change
  const metricValue =
    assignedMetric(text, tok.start) !== null ||
    isSampleSize(text, tok) ||
    DELTA_ASSIGNED_RE.test(text.slice(Math.max(0, tok.start - 12), tok.start)) ||
    (raw.includes('.') && scoreNameAssigned(text.slice(Math.max(0, tok.start - 24), tok.start)));
  if (
    (/[=^_*+]\s*$/.test(before) && !physical && !comparator && !plusSign && !metricValue) ||
    /^\s*[=^]/.test(after) ||
    /^[eE][-+]?\d/.test(after) ||
    /^:\d/.test(after)
  )
    return true;
  // (metrics-1.18.0: "clarity (4.88/5)": a decimal rating out of a small scale is kept, read as a score)
  if (/^\/\d/.test(after) && !(raw.includes('.') && RATING_SCALE_AFTER_RE.test(after) && !/[\w.-]$/.test(before)))
    return true;
  // citations [12], [3, 4]; list markers (1); section-like names
  if (insideBrackets(text, tok.start)) return true;
  if (
    !unit &&
    prevCode === 0x28 /* ( */ &&
    nextCode === 0x29 /* ) */ &&
    Number.isInteger(tok.value) &&
    tok.value < 30
  )
    return true;
  if (
    !unit &&
    nextCode === 0x29 /* ) */ &&
    (prevCode === 0x20 /* space */ || prevCode === -1) &&
    Number.isInteger(tok.value) &&
    tok.value < 30 &&
    (/(?:^|[.:;]\s*)$/.test(text.slice(Math.max(0, tok.start - 3), tok.start)) ||
      // "1) weakly supervised learning … and 2) inference-time verification": the next marker of a list
      (tok.value > 1 &&
        /(?:,|\band|\bor)\s+$/.test(text.slice(Math.max(0, tok.start - 5), tok.start)) &&
        new RegExp(`(?:^|[\\s:])${tok.value - 1}\\)\\s`).test(
          text.slice(Math.max(0, tok.start - 300), tok.start),
        )))
  )
    return true;
  const written = wordBefore(text, tok.start);
  const word = written.toLowerCase();
  if (NAME_PREFIXES.has(word) && (!unit || unit.unit === 'count' || unit.unit === 'params')) return true;
  // "Fig. 4A", "Figures 3I and 3J", "lines 13–17", "phases 3, 5, and 7": a reference to a part of the paper,
  // whatever letter is glued to the number
  if (REFERENCE_BEFORE_RE.test(text.slice(Math.max(0, tok.start - 40), tok.start))) return true;
  // "Llama 3.1 8B", "Gemma 2 9B", "LLaVA-v1.5 7B", "SEA-LION v3 70B": a bare size right after a version number
  // names a model
  if (
    unit &&
    unit.unit === 'params' &&
    !/param/i.test(unit.text) &&
    /[A-Za-z][\w-]*\s+\d+(?:\.\d+)?\s$|[A-Za-z]-\d+(?:\.\d+)?\s$|[A-Za-z](?:-|\s)?v\d+(?:\.\d+)?\s$/.test(
      text.slice(Math.max(0, tok.start - 24), tok.start),
    )
  )
    return true;
  // "{Qwen3-4B, 8B, 14B}", "Llama-2 7B and 13B": a bare size listed after a size that names a model is a name too
  if (followLists && unit && isBareSize(unit) && inNamedSizeList(text, tok)) return true;
  // "Llama-3 (8B, 70B)", "Gemma-3 (1B, 4B, 27B)": the sizes of a named model family are names
  // (metrics-1.16.0: "E5-large-instruct (560M)", "Qwen-VL 3B and 7B": a hyphenated model name, with a capital or a
  // digit after its first letter, right before a bare size names the model too)
  if (
    unit &&
    isBareSize(unit) &&
    (FAMILY_SIZES_BEFORE_RE.test(text.slice(Math.max(0, tok.start - 50), tok.start)) ||
      HYPHENATED_NAME_BEFORE_RE.test(text.slice(Math.max(0, tok.start - 40), tok.start)) ||
      properNameBeforeSize(text.slice(Math.max(0, tok.start - 60), tok.start)))
  )
    return true;
  // "360 cameras", "a 360 camera", "360° video": a camera type, not a count (metrics-1.24.0: the degree sign in LaTeX too,
  // "360$^\\circ$ panorama")
  if (
    tok.value === 360 &&
    /^[\s-]?(?:°|deg|\{\\deg\}|\$\^\{?\\circ|cameras?\b|panoram|videos?\b|views?\b)/i.test(
      text.slice(tok.end, tok.end + 9),
    )
  )
    return true;
  if (
    !unit &&
    !metricValue &&
    // "AUROC 0.979", "F1 0.81": a decimal after a metric name is its score, not part of a name
    !(raw.includes('.') && canonicalMetric(written) !== null) &&
    /^[A-Z][a-z]*[A-Z0-9]|^[A-Z][a-z]+$/.test(written) &&
    prevCode === 0x20 /* space */ &&
    !/^(?:On|In|For|With|By|Over|Only|Just|Across|From|To|At|And|Of|The|Using|Overall|Of|About|Approximately|Around|Roughly|Nearly|Almost|Up|Within|Among|Top)$/.test(
      written,
    )
  ) {
    return true;
  }
  // "on a single 24 GB GPU", "a 80GB A100": the memory of the device a method runs on is its spec, not a claim
  if (
    unit &&
    unit.unit === 'bytes' &&
    DEVICE_AFTER_RE.test(text.slice(tok.end + unit.text.length, tok.end + unit.text.length + 24))
  )
    return true;
  // "75%-pruned VAE decoding", "50%-sparse weights" ("%-points" is read as pp before): a share written as a compound adjective is a setting
  if (
    unit &&
    unit.unit === '%' &&
    /^\$?-[a-z]{3,}/i.test(text.slice(tok.end + unit.text.length, tok.end + unit.text.length + 14))
  )
    return true;
  // years and dates
  // (metrics-1.20.0: not a sample size, "(n=1939)")
  if (
    !unit &&
    Number.isInteger(tok.value) &&
    tok.value >= 1900 &&
    tok.value <= 2100 &&
    !raw.includes(',') &&
    !isSampleSize(text, tok)
  )
    return true;
  // metrics-1.25.0: a decade, "originally studied in the 1960s" ("s" read as seconds)
  if (
    unit?.unitText === 's' &&
    Number.isInteger(tok.value) &&
    tok.value >= 1900 &&
    tok.value <= 2090 &&
    tok.value % 10 === 0 &&
    /^s\b/.test(text.slice(tok.end, tok.end + 2)) &&
    /\bthe\s+(?:(?:early|late|mid)[\s-]+)?$/i.test(text.slice(Math.max(0, tok.start - 16), tok.start))
  )
    return true;
  if (MONTHS.has(word)) return true;
  const nextWord = wordsAfter(text, tok.end, 1)[0];
  if (!unit && nextWord && MONTHS.has(nextWord.replace(/[^a-z]/g, ''))) return true;
  // compound adjectives that set up an experiment rather than report one: 5-shot, 4-bit, 3-layer
  if (
    nextCode === 0x2d /* - */ &&
    /^-[a-z]/i.test(text.slice(tok.end, tok.end + 2)) &&
    (!unit || (unit.unit === 'count' && !hyphenDataNoun(text, tok.end)))
  ) {
    if (!/^-(?:fold|times)\b/i.test(text.slice(tok.end, tok.end + 7))) return true;
  }
  return false;
}

export const DEVICE_AFTER_RE = /^\s*(?:[A-Z][\w-]*\s+)?(?:GPUs?|TPUs?|cards?|devices?|graphics)\b/;
const P_VALUE_BEFORE_RE = /(?:^|[\s(,;$])[pP]\s*\$?\s*(?:[<>=≤≥]=?|\\[lg]eq?|\\[lg]t)\s*\$?\s*$/;
export const VAGUE_BEFORE_RE = /\b(?:few|several|many|some)\s+$/i;
const CI_BOUND_BEFORE_RE =
  /\b(?:CI|confidence interval)\s*[:,=]?\s*\$?\s*(?:[\d.]+\s*\\?%?\s*(?:-{1,2}|–|,|to)\s*)?$/;
// (metrics-1.24.0: "its 95% bootstrap interval [0.022, 0.073]": the level of a bootstrap interval too; metrics-1.29.0:
// "with paired-bootstrap 95% CIs", the plural)
export const CONFIDENCE_AFTER_RE =
  /^\s*(?:\$\s*)?(?:confidence|credible|CIs?\b|prediction interval|bootstrap(?:ped)?\s+(?:confidence\s+)?intervals?)/i;
export const EVAL_THRESHOLD_BEFORE_RE =
  /(?:\b(?:at|@)\s+(?:an?\s+|the\s+)?(?:standard\s+|strict\s+|default\s+)?(?:IoU|overlap)\s*(?:threshold\s*)?(?:of|=|@|≥|>=)?|\b(?:IoU|overlap)\s+threshold\s*(?:of|=|@|≥|>=)?)\s*$/i;
const RATE_POINT_AFTER_RE =
  /^\s*\$?\s*(?:FPR|FAR|FMR|false[-\s](?:positive|acceptance|alarm|match)\s+rates?)\b/i;
export const PAIR_BEFORE_RE = /\b(?:of|between|among)\s+$/i;
const COMPARED_BETWEEN_RE = /\b(?:comparisons?|compar\w+|differences?|gaps?|contrast)\s+between\s+$/i;

export function isPairInDefinition(text: string, tok: NumberToken, unit: Unit | null): boolean {
  if (!unit || unit.unit !== 'count' || !/^two$/i.test(text.slice(tok.start, tok.end))) return false;
  const noun = unit.noun ?? '';
  if (EVAL_NOUNS.has(noun)) return false;
  const pairBefore = PAIR_BEFORE_RE.exec(text.slice(Math.max(0, tok.start - 10), tok.start));
  // ("the comparison between two VQA models": what is compared is the breadth of the evaluation)
  if (pairBefore !== null && COMPARED_BETWEEN_RE.test(text.slice(Math.max(0, tok.start - 40), tok.start))) return false;
  // metrics-1.34.0: "inconsistencies between two independent service providers": what "between two" relates is a pair,
  // even of a breadth noun ("of two datasets", "among two models" may still count what is compared)
  return pairBefore !== null && (!SCOPE_NOUNS.has(noun) || /^between/i.test(pairBefore[0]));
}

/** True when the sign right before `start` ("±", "+-", "\\pm") follows a value, whose spread the number is. */
export function isSpreadOfValue(text: string, start: number): boolean {
  const before = text.slice(Math.max(0, start - 24), start);
  const sign = SPREAD_BEFORE_RE.exec(before);
  if (!sign) return false;
  return !SIGNED_VALUE_BEFORE_RE.test(before.slice(0, sign.index));
}
// what may stand before a sign that opens a quantity rather than following a value: "of ±12 m", "(e.g. ±5%"
const SIGNED_VALUE_BEFORE_RE =
  /(?:^|[([,;:=~∼≈]|\b(?:of|is|was|were|are|be|by|to|at|in|with|within|about|around|approximately|e\.g\.|i\.e\.))\s*\$?\s*$/i;
// "(n = 3)", "(N = 142)", "(1991 to 1993, n = 8815)": a sample size reported beside a result
// (metrics-1.20.0: "($n$=349,882 cells)": the n may be set in LaTeX)
// (metrics-1.27.0: also after a preposition, "evaluated on n=8,682 points")
const SAMPLE_SIZE_BEFORE_RE = /(?:\(|[,;]\s?|\b(?:on|over|across|of|from)\s)\s*(?:[nN]|\$[nN]\$)\s?=\s?\$?$/;

/** True when the number is a sample size written as an assignment inside a parenthetical. */
export function isSampleSize(text: string, tok: NumberToken): boolean {
  return (
    !tok.isWord &&
    Number.isInteger(tok.value) &&
    SAMPLE_SIZE_BEFORE_RE.test(text.slice(Math.max(0, tok.start - 10), tok.start))
  );
}
export const REFERENCE_BEFORE_RE =
  /\b(?:fig(?:ure)?s?\.?|tab(?:le)?s?\.?|eqs?\.?|equations?|lines?|columns?|rows?|panels?|sections?|phases?|stages?)\s*(?:[A-Z]?\d+[A-Za-z]?\s*(?:,\s*(?:and|or)?|and|&|–|-|or)\s*)*$/i;
export const FAMILY_SIZES_BEFORE_RE =
  /\b[A-Za-z][A-Za-z.]*-?\d[\w.]*\s*\(\s*(?:\d+(?:\.\d+)?[BMK]\s*(?:,|\/|and)\s*)*$/;
const HYPHENATED_NAME_BEFORE_RE = /(?:^|[\s,(])[A-Z](?=[\w.-]*[A-Z0-9])[\w.]*(?:-[\w.]+)+\s*\(?\s*$/;
const RATING_SCALE_AFTER_RE = /^\/(?:5|7|10)(?![\d.,])/;
export const SPREAD_BEFORE_RE = /(?:±|\+\s?-|\+\/-|\\pm\s?\$?|\\mp\s?\$?)\s*$/;
export const DIMENSION_BEFORE_RE = /\d\s*\$?\s?(?:[xX×]|\\times)\s?\$?\s*$/;
// a list of bare sizes ending right before a number: "4B, 8B, " / "7B and " / "1.5B/"
export const SIZE_LIST_TAIL_RE =
  /(\d+(?:\.\d+)?)[BMK]\s*(?:(?:,|\/|&|and|or)\s*\d+(?:\.\d+)?[BMK]\s*)*(?:,\s*and|,\s*or|,|\/|&|and|or)\s*$/;

// metrics-1.20.0: "outperform all 70B/72B models", "surpassing 32B models", "competitive with 7B-scale VLAs",
// "unlike large-scale VLMs (>7B parameters)", "a U-Net (2M vs 33M parameters)": the size of what the method is
// compared with is the rival's (a comparison, GUIDE.md), not a size of the paper's setup
const isRivalSize = (text: string, tok: NumberToken, unit: Unit): boolean =>
  unit.unit === 'params' && RIVAL_SIZE_BEFORE_RE.test(text.slice(Math.max(0, tok.start - 60), tok.start));
const RIVAL_SIZE_BEFORE_RE =
  /\b(?:outperform\w*|surpass\w*|compared (?:to|with)|competitive with|unlike|versus|vs\.?|than\s+(?:the|a|an|its|their)(?=\s))\s+(?:[\w-]+\s+){0,4}?(?:\(\s*)?(?:[>~<≥≤]\s*)?(?:\d+(?:\.\d+)?[BMK]\s*\/\s*)?$/i;

export function isBareSize(unit: Unit): boolean {
  return (unit.unit === 'params' || unit.unit === 'count') && /^[BMK]$/.test(unit.text);
}

export function inNamedSizeList(text: string, tok: NumberToken): boolean {
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
// (metrics-1.20.0: "a system that integrates five task-specific agents", "coordinates four complementary agents", "a
// reward that incorporates five … strategies", "specifying four reasoning archetypes": what a method is built from)
export const OWN_PART_BEFORE_RE =
  /\b(?:the|these|those|its|our|latter|former|first|last|both|of the)\s+$|\b(?:propose[sd]?|introduce[sd]?|design(?:s|ed)?|devise[sd]?|derive[sd]?|define[sd]?|construct(?:s|ed)?|develop(?:s|ed)?|present(?:s|ed)?|consist(?:s|ing)? of|composed of|compris(?:es?|ing)|contains?|adopts?|utilizes?|employs?|combin(?:es?|ed|ing)|(?:core|heart) of \w+ (?:is|are)|includes|fus(?:es|ed|ing)|(?:framework|suite) of|explore[sd]?|enable[sd]?|enabling|integrat(?:es|ed|ing)|coordinat(?:es|ed|ing)|incorporat(?:es|ed|ing)|specif(?:y|ies|ying))\s+(?:only\s+|just\s+)?$/i;
// "reveals two distinct regimes", "we identify three failure patterns", "systems face two coupled problems": what
// the paper finds or faces, counted in words, is a part of its argument, not the size of an evaluation
export const FINDING_BEFORE_RE =
  /\b(?:reveal(?:s|ed)?|uncover(?:s|ed)?|identif(?:y|ies|ied)|fac(?:e|es|ed)|motivated)\s+$/i;
export const EVAL_NOUNS = new Set([...EVALUATION_NOUNS, 'class', 'classes', 'category', 'categories']);

// "across three random permutations", "over five seeds", "at three cycles": repetitions of the protocol
export const PROTOCOL_NOUNS = new Set(['permutations', 'seeds']);
// metrics-1.20.0: "training lasted 300 epochs" (epochs are a training setting, GUIDE.md), "across five independent
// runs", "(5 runs each)", "over 15 federated rounds": a few repetitions of the protocol are not data ("3,000 agent
// runs", "50 rounds" of a study, "40,000 rounds" of gameplay are)
const REPEATED_PROTOCOL_NOUNS = new Set(['runs', 'rounds']);
// ("from 3.33 to 1.13 rounds", "within 7 rounds": how many a result needs is the result's)
const isProtocolRepetition = (noun: string, value: number, before = ''): boolean =>
  PROTOCOL_NOUNS.has(noun) ||
  noun === 'epochs' ||
  (REPEATED_PROTOCOL_NOUNS.has(noun) &&
    Number.isInteger(value) &&
    value <= 20 &&
    !/\b(?:within|to|in|after|only|just)\s+$/i.test(before));
// metrics-1.20.0: "spoken by around 5 million people", "the deaths of around 1.6 million people": millions of people
// are a population the background cites, not a size of the evaluation ("1,671,587 active users" of a platform's data
// are data: users are not in the list)
const POPULATION_NOUNS = new Set(['people', 'persons', 'speakers', 'deaths', 'residents', 'citizens']);
function isPopulation(tok: NumberToken, unit: Unit): boolean {
  if (unit.unit !== 'count') return false;
  const noun = (unit.noun ?? '').toLowerCase();
  return POPULATION_NOUNS.has(noun) && tok.value * unit.factor >= 1e6;
}
export const AT_SETTING_NOUNS = new Set(['cycles', 'iterations', 'rounds', 'steps']);
// "factorizing motion learning into two diffusion models": what a method is split into
export const SPLIT_INTO_NOUNS = new Set([
  'models',
  'modes',
  'agents',
  'experts',
  'branches',
  'parts',
  'subproblems',
  // metrics-1.34.0: "categorizes the dataset into three subsets": a partition of the data, not subsets evaluated
  'subsets',
]);

// metrics-1.20.0: what a count of two in words may still size — the breadth of an evaluation (datasets, tasks, models,
// baselines, …: the scope nouns of GUIDE.md), the people who label or judge, and the classes of the data. "Two" of
// anything else is a pair the method or its background works with ("blends two images", "two views", "two parallel
// graph encoders", "two low-rank matrices", "determining whether two texts …"), not a measured amount.
const PAIR_CLAIM_NOUNS = new Set([
  ...EVALUATION_NOUNS.filter((n) => n.endsWith('s') || n === 'corpora'),
  ...(
    'models llms lms mllms vlms video-llms backbones families architectures agents detectors methods approaches ' +
    'algorithms frameworks strategies experiments studies cases use-cases generations hosts platforms sites regions ' +
    'countries cities provinces states counties hospitals centers centres institutions protocols versions subtasks sub-tasks classes ' +
    'categories styles annotators radiologists judges experts raters participants clinicians evaluators labellers ' +
    'labelers physicians doctors psychiatrists subjects patients cohorts configurations leaderboards providers'
  ).split(' '),
]);
// (what an evaluation runs "across/on/over" or evaluates, and what a result needs "with only two …", stay claims)
const PAIR_KEPT_BEFORE_RE =
  /\b(?:across|on|over|evaluat\w*|test\w*|benchmark\w*|compar\w*|only|just|merely|as few as|about)\s+$|\bcompar\w*\b[^.;]{0,60}\b(?:with|to|against)\s+$/i;
const isUnlistedPair = (text: string, tok: NumberToken, raw: string, unit: Unit): boolean =>
  tok.value === 2 &&
  /^two$/i.test(raw) &&
  unit.noun !== undefined &&
  !PAIR_CLAIM_NOUNS.has(unit.noun.toLowerCase()) &&
  !PAIR_KEPT_BEFORE_RE.test(text.slice(Math.max(0, tok.start - 80), tok.start));

export function isOwnPartCount(text: string, tok: NumberToken, unit: Unit, raw = ''): boolean {
  const noun = unit.noun ?? '';
  const before = text.slice(Math.max(0, tok.start - 24), tok.start);
  if (isUnlistedPair(text, tok, raw, unit)) return true;
  if (isProtocolRepetition(noun, tok.value, before) || (AT_SETTING_NOUNS.has(noun) && /\bat\s+$/i.test(before))) return true;
  if (SPLIT_INTO_NOUNS.has(noun) && /\binto\s+$/i.test(before)) return true;
  // "using two distinct metrics", "we derive three memorization metrics": metrics counted in words are the
  // paper's own measures
  if (noun === 'metrics' || noun === 'hypotheses') return true;
  // "existing approaches fall into two categories": a taxonomy of the field, not the size of an evaluation
  if (/\bf(?:all|alls|ell)\s+into\s+$/i.test(before)) return true;
  if (EVAL_NOUNS.has(noun)) return false;
  // "through two main strategies: 1) …", "across three failure modes: …": a count of a noun no list knows whose
  // phrase runs into a colon announces the paper's own enumeration, not a measured amount
  if (
    ((!SIZE_NOUNS.has(noun) && !SCOPE_NOUNS.has(noun)) || CONCEPT_NOUNS.has(noun)) &&
    OWN_ENUMERATION_AFTER_RE.test(text.slice(tok.end, tok.end + 80)) &&
    // ("predicting five distinct outcomes: …", "annotated into six move types: …": the classes of the data)
    !LABEL_SET_BEFORE_RE.test(before) &&
    // ("we evaluate three prompting strategies: …", "results from five production deployments: …": what is evaluated)
    !EVALUATED_BEFORE_RE.test(before)
  )
    return true;
  // "we use two such approaches": "such" points back at things already named, the paper's own
  if (/^\s+such\b/i.test(text.slice(tok.end, tok.end + 8))) return true;
  if (FINDING_BEFORE_RE.test(before)) return true;
  if (SIZE_NOUNS.has(noun) && !CONCEPT_NOUNS.has(noun)) return false;
  return OWN_PART_BEFORE_RE.test(before) || OWN_PART_AFTER_RE.test(text.slice(tok.end, tok.end + 80));
}
function isOwnPartDigits(text: string, tok: NumberToken, unit: Unit): boolean {
  const noun = unit.noun ?? '';
  if (isProtocolRepetition(noun, tok.value, text.slice(Math.max(0, tok.start - 16), tok.start))) return true;
  // (own parts are few: "includes 12,985 distinct rules" counts data)
  return (
    CONCEPT_NOUNS.has(noun) &&
    tok.value < 100 &&
    OWN_PART_BEFORE_RE.test(text.slice(Math.max(0, tok.start - 24), tok.start)) &&
    !/^(?:the|these|those|its|our|latter|former|first|last|both|of the)$/i.test(
      /(\S+(?:\s+the)?)\s+$/.exec(text.slice(Math.max(0, tok.start - 24), tok.start))?.[1] ?? '',
    )
  );
}

// after a word and "(" with earlier bare sizes ("dense (", "Qwen2.5-Coder (7B/14B/"), joined to a name by "-"
// ("$π_{0.5}$-", "SmolVLA-"), or right after a name with an inner capital or digit ("OpenVLA-OFT ")
const SIZE_IN_PAREN_BEFORE_RE = /[A-Za-z][\w.-]*\s*\(\s*(?:\d+(?:\.\d+)?[BMK]\s*(?:,|\/|and)\s*)*$/;
const SIZE_PAREN_CLOSE_RE = /^\s*(?:(?:,|\/|and)\s*\d+(?:\.\d+)?[BMK]\s*)*\)/;
// (a LaTeX-set name: "VARCO-VISION-14B" is labelled a size since dev-5)
const SIZE_JOINED_BEFORE_RE = /[$}]-$/;
// (a name with a lower-case letter and a digit or a hyphen: "USD 2.4B" is money, "MoE 7.9B" a size of the setup)
const SIZE_AFTER_NAME_BEFORE_RE = /(?:^|\s)(?=[\w.-]*[a-z])(?=[\w.]*[\d-])[A-Z][a-z]*[A-Z0-9][\w.-]*\s$/;

function isNamedModelSize(text: string, tok: NumberToken, unit: Unit): boolean {
  if (/param/i.test(unit.text)) return false;
  const before = text.slice(Math.max(0, tok.start - 40), tok.start);
  const after = text.slice(tok.end + unit.text.length, tok.end + unit.text.length + 8);
  // ("the 8B and 70B parameter variants" size the setup)
  if (/^\s*(?:param|-param)/i.test(after) || /^\s*(?:-|–)/.test(after)) return false;
  const rest = text.slice(tok.end + unit.text.length, tok.end + unit.text.length + 40);
  return (
    // (the parenthesis holds only sizes: "(49B activated)", "(8B vs. 15B)", "model sizes (7B, 14B)" size the setup)
    (SIZE_IN_PAREN_BEFORE_RE.test(before) &&
      SIZE_PAREN_CLOSE_RE.test(rest) &&
      !/\b(?:sizes?|scales?|param\w*|from|of|with)\s*\(\s*(?:\d+(?:\.\d+)?[BMK]\s*(?:,|\/|and)\s*)*$/i.test(
        before,
      )) ||
    // (not the upper end of a range of sizes, "1B-27B")
    (SIZE_JOINED_BEFORE_RE.test(before) && !/\d[BMK]-$/.test(before)) ||
    SIZE_AFTER_NAME_BEFORE_RE.test(before)
  );
}

// metrics-1.20.0: "Pixtral 12B", "Gemma 3 (270M, 1B, 4B)", "Qwen 3.5 (0.8B, 2B)", "Aya 3.35B", "(Gemma, 2B)",
// "Qwen2.5 VL 7B": a bare size right after a proper name (a capitalised word, camel-cased or not, with its version
// number if any, an acronym tag between) or after "(Name, " names that model, as "Llama 3.1 8B" does (GUIDE.md).
// Function words and the adjectives that type an architecture ("The 14B student", "On Dense 1.5B") are no names.
const PROPER_NAME_SIZE_BEFORE_RE =
  /(?:^|[\s(,])([A-Z][a-z]{2,}(?:[A-Z][a-z]+)*)((?:\s\d+(?:\.\d+)?)?)(?:\s[A-Z]{2,4})?(?:\s?\(\s*(?:\d+(?:\.\d+)?[BMK]\s*(?:,|\/|and)\s*)*|\s)$/;
const NAME_IN_PAREN_SIZE_BEFORE_RE = /\(\s*[A-Z][\w.-]*[A-Za-z0-9],\s*$/;
const NOT_A_NAME = new Set(
  (
    'The Our Its Their This That These Those Each Every Both All Any Some Only With Without From Into Onto Over ' +
    'Under Using Across Among Between Beyond Despite During Even For When While Where Unlike Like Via After Before ' +
    'Compared Against Than Then Thus Also And But Dense Sparse Base Large Small Medium Tiny Mini Nano Full Larger ' +
    'Smaller Single Total Model Models Student Teacher Backbone Parameter Parameters Scale Scales Size Sizes'
  ).split(' '),
);
export function properNameBeforeSize(before: string): boolean {
  if (NAME_IN_PAREN_SIZE_BEFORE_RE.test(before)) return true;
  const m = PROPER_NAME_SIZE_BEFORE_RE.exec(before);
  return m !== null && !NOT_A_NAME.has(m[1]);
}

// Size nouns that, counted by a number word after "we introduce/the", are parts of the method, not data
export const CONCEPT_NOUNS = new Set([
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
// the counted phrase, then at most 50 characters of words up to a colon ("four choices for scaling agents: …")
export const LABEL_SET_BEFORE_RE =
  /\b(?:predict\w*|annotat\w*|classif\w*|label\w*|categori[sz]\w*|grouped|divided)\s+(?:in(?:to)?\s+|across\s+)?$/i;
export const EVALUATED_BEFORE_RE =
  /\b(?:evaluat\w*|compar\w*|test\w*|benchmark\w*|conduct\w*|cover\w*|spann?\w*|under|on|from|leverag\w*)\s+$/i;
export const OWN_ENUMERATION_AFTER_RE = /^[^.;:,()]{0,50}:\s/;
// "Three VGG models are utilized": things the method is built from
export const OWN_PART_AFTER_RE =
  /^(?:\s+[\w-]+){1,4}?\s+(?:are|were)\s+(?:utilized|used|employed|adopted|combined|fused|stacked|integrated)\b/i;

export function insideBrackets(text: string, pos: number): boolean {
  const before = text.slice(Math.max(0, pos - 30), pos);
  const open = before.lastIndexOf('[');
  if (open < 0 || before.indexOf(']', open) >= 0) return false;
  const after = text.slice(pos, pos + 30);
  const close = after.indexOf(']');
  return (
    close >= 0 && /^[\d\s,–-]*\]/.test(after.slice(0, close + 1)) && /\[[\d\s,–-]*$/.test(before.slice(open))
  );
}

// metrics-1.15.0: "94.6%/82.7% on A", "(+0.7 pp/+2.2 pp)", "the 2B/3B models": two values of one unit written with a
// slash are two values (of two metrics, or two settings), not a fraction "38/50" — both carry the unit written out
const SLASH_VALUE_BEFORE_RE = /\d(?:\s?(?:\\?%|pp|p\.p\.|points?|x|×|[KMB]))\s*\/\s*\+?$/;
export function slashPaired(text: string, tok: NumberToken, unit: Unit | null, sign = 0): boolean {
  if (!unit || unit.text.trim() === '' || unit.unit === 'count' || unit.unit === 'other') return false;
  const before = text.slice(Math.max(0, tok.start - 12), tok.start);
  const m = SLASH_VALUE_BEFORE_RE.exec(before);
  if (!m || (sign === 1) !== before.endsWith('+')) return false;
  const unitBefore = m[0]
    .slice(1)
    .replace(/[\s/+]+$/, '')
    .trim()
    .replace('\\%', '%');
  return unitBefore === unit.text.trim().replace('\\%', '%');
}
// ("native 4K ultra-high resolution generation": up to two modifiers before the word)
const K_RESOLUTION_AFTER_RE = /^K(?:\s*(?:,|and|or|\/)\s*\d{1,2}K)*(?:\s+[\w-]+){0,2}?\s+resolutions?\b/;
// "eight RTX 5090 GPUs", "a GTX 1080 Ti", "on Jetson Orin": the number of a hardware product names it
const HARDWARE_NAME_BEFORE_RE =
  /\b(?:RTX|GTX|Quadro|Radeon|Titan|TITAN|Tesla|Xeon|Ryzen|Snapdragon|Dimensity|Kirin)\s*$/;
