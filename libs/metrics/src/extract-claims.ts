// Finds every quantitative claim in an abstract. One left-to-right scan for number tokens (digits or
// number words); each token is read with its unit from a sticky pattern at its end, then classified from
// a bounded window around it. Nothing scans further than a window, so the cost is linear in the text.

import { dropPriorWorkFigures } from './background';
import { attributeRivalFigures, KIND_DECIDED } from './rivals';
import type { Claim, ClaimCategory, ClaimKind, ClaimUnit } from '@paperwire/contracts';
import {
  clauseAfter,
  clauseBefore,
  findComparedTo,
  findDataset,
  findMetric,
  findQualifier,
  metricRightBefore,
  namesBeforeRespectively,
  pairedMeasures,
  WINDOW_AFTER,
  WINDOW_BEFORE,
} from './context';
import { SCOPE_NOUNS, SIZE_NOUNS, TIME_UNITS } from './lexicon';
import { canonicalMetric, labelMetric } from './metric-table';
import { CURRENCY_BEFORE_RE, countNoun, unitOf } from './units';
// "Craft/Clarity (Δ = 0.440)", "$\\Delta$ = +1.2": a difference written as an assignment to delta
import { DELTA_ASSIGNED_RE as DELTA_BEFORE_RE, isSampleSize, scoreNameAssigned } from './filters';
import { endsWithSign, tokenize } from './numbers';
import { correctKinds } from './kind-model';
import { assignedMetric, attributeMetric } from './attribution';
import { type Draft, RANGED_FROM_RE, draftWith, hasFiniteNumbers, readClaim } from './spans';
import {
  A_LEVEL_RATE_RE,
  absorbComparisonValues,
  coordinate,
  linkParentheticalBaselines,
  restatePoints,
} from './baselines';
import { definedOtherwise, metricHits } from './context';
import { newClaim, slashValues } from './slash-values';
import {
  AFTER_IMPROVE,
  AFTER_REDUCE,
  AFTER_SHARE_OF_DATA,
  BEFORE_REDUCE,
  BEFORE_SPEED,
  COMPOSITION_BEFORE_RE,
  SHARE_OF_PARTS,
  BEFORE_IMPROVE,
  improvementOf,
  metricAt,
  RESULT_VERB_RE,
  RESULT_VERB_OF_RE,
  resultKind,
  SPEED_METRICS,
} from './kind';

/** Bump when extraction behaviour changes: stored claims carry the version that produced them. */
export const EXTRACTOR_VERSION = 'metrics-1.37.0';

// "absolute accuracy improvements of 10% to 20%", "an absolute gain of 5.7%": a difference of percentages
const ABSOLUTE_CHANGE_RE =
  /\babsolute\s+(?:[\w-]+\s+){0,2}?(?:gains?|improvements?|increases?|boosts?|drops?|reductions?|decreases?)\s+(?:of\s+)?(?:up to\s+|about\s+|around\s+|over\s+|nearly\s+)?$/i;

const PAREN_NAME_RE = /\(\s*([A-Za-z][\w@-]*[A-Z0-9][\w@-]*)\s*:\s*[^():]*$/;
// ("with approximately 3% trainable parameters": the share written before the weights it counts)
const SHARE_OF_WEIGHTS_AFTER_RE =
  /^\s*(?:\$\s*)?(?:of\s+(?:the\s+|its\s+|their\s+|all\s+)?(?:[\w-]+\s+){0,2}?|(?:trainable|learnable|tunable|tuned|updated)\s+)?(?:parameters|weights|params)\b(?!\s+(?:reductions?|savings?|decreases?|compression|overhead|increases?)\b)/i;
// "6 out of 9", "9 of the 12": a part of a counted whole
// ("seven of eight models", "11 of 12 seed-level cells": metrics-1.13.0, a bare "of" and a number word too; "five of the
// three-ton satellites" is no part of a whole)
const PART_OF_TOTAL_AFTER_RE =
  /^\s+(?:out\s+of|of(?:\s+(?:the|all)(?:\s+\w+)?)?)\s+(?:\d[\d,.]*|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)(?![\w-])/i;

const OPERATING_POINT_BEFORE_RE =
  /\b(?:at|under)\s+(?:an?\s+)?(?:(?:about|around|roughly|approximately|only|~|≈)\s*)?(?:\$\s*(?:\\sim\s*)?)?(?:\\times\s*|×\s*)?$/i;
const OPERATING_POINT_AFTER_RE =
  /^\s*\$?\s*(?:[A-Za-z][\w-]*\s+)?(?:speed-?ups?|accelerations?|reductions?|compression|retention)\s*(?:[,;.)]|(?:on|in|for|with|over|compared|relative|vs)\b)/i;
const RESOURCE_ONLY_BEFORE_RE =
  /(?:\b(?:us(?:e|es|ed|ing)|utiliz\w*|requir\w*|need(?:s|ed|ing)?|add(?:s|ed|ing)?|operat\w*\s+on|tak(?:e|es|ing)|consum\w*)\s+(?:only|merely|just|fewer than|less than)|\bas few as)\s+(?:about\s+|around\s+|~\s*)?$/i;
const DURATION_TAKEN_BEFORE_RE =
  /(?:\b(?:in|under|within|requir\w*|takes?|taking|took)\s+(?:(?:only|just|about|around|approximately|roughly|less than|under|~)\s*)?|\bas (?:short|little) as\s+|\bsub-)$/i;
const SIGNED_UNIT_BEFORE_RE =
  /(?:^|[\s(])\+\d[\d.]*\s?(pp|p\.p\.|points?)(?![\w])[^.;+]{0,110}(?:\+\d[\d.]*(?![\d.]*\s?(?:%|pp|x|×))[^.;+\d]{0,40})*$/;
const COORDINATED_UNIT_AFTER_RE =
  /^\s*(?:,\s*(?:and\s+)?|and\s+)\$?[+]?\d[\d.,]*\$?\s?(?:(\\?%)|(pp\b|p\.p\.|(?:(?:average|mean|macro)\s+)?points?\b)|(x(?![\w])|×))/;
const MATH_QUALIFIER_END_RE = /\s*\$\s*\\(?:sim|approx|geq|leq|ge|le)\s*\$\s*$/;
const MATH_OPEN_END_RE = /\s\$\s?$/;
// (a value alone in its math: the "$" closes right after it, "\\(0.8\\)", not "$1 + \\frac{…}$")
const MATH_CLOSE_START_RE = /^\s?\$(?![-\w])/;

const SCORER_RIGHT_BEFORE_RE =
  /(?:^|[\s(,;])(?:[A-Z][A-Za-z]*Score|BLEURT|COMET)(?:[\s-](?:F1|precision|recall|F-?score))?\s*(?:[:=]\s*|of\s+)?[+−-]?\$?\s*$/;
// a multiple or share followed by its own measure ("3x less compute", "40% lower latency") with no number after it
const PREVIOUS_VALUE_MEASURE_RE =
  /(?:^|[\s($~∼])\d[\d.,]*\s*(?:x|×|\\times|\$?\\times\$?|times|-fold|%|\\%)\$?\s+(?:(?:less|more|lower|higher|fewer|smaller|greater|reduced|faster)\s+)?((?:[A-Za-z][\w-]*\s+){0,2}?[A-Za-z][\w-]*)(?=[^\d]*$)/;
// ("a 1000x speedup for queries and a 20x speedup without GPU": a speed-up noun is the value's own measure, speed)
const OWN_SPEED_NOUN_AFTER_RE = /^\s*\$?\s*(?:[\w-]+\s+)?(?:speed-?ups?|accelerations?)\b/i;
const namedByPreviousValue = (before: string, metric: string): boolean => {
  const m = PREVIOUS_VALUE_MEASURE_RE.exec(before.slice(-120));
  // (not when that value is itself a speed-up, "15.6x speedup on A, and up to 34.2x with caching": one list)
  return m !== null && !/speed-?ups?|accelerat|faster/i.test(m[1]) && findMetric(m[1], '') === metric;
};

const ALMOST_RE = /\balmost(?=\s)/gi;
// (metrics-1.25.0: with the math that opens it, "by up to $\textbf{35.8}$%")
const LATEX_OPEN_END_RE = /(?:\$\s*)?\\(?:textbf|textit|emph|mathbf|boldsymbol|underline|uline)\s*\{\s*$/;
const LEADING_PERCENT_RE = /(?<![\w.%])\\?%$/;
const CLOSING_BRACE_START_RE = /^\s*\}/;

export function extractClaims(abstract: string): Claim[] {
  const claims = extractClaimsByRules(abstract);
  // metrics-1.19.0: the learned kind correction (kind-model.ts, data/metrics/kind-model.json.gz) over the rules' kinds
  correctKinds(abstract, claims);
  return claims;
}

/** The rules alone (no learned kind correction): what the rule specs pin, and the correction's input. */
export function extractClaimsByRules(abstract: string): Claim[] {
  // metrics-1.26.0: "\(81.1\%\)", "vs.\ $67\%$": LaTeX's other inline-math delimiters and its control space, read as "$"
  // and spaces (lengths kept, so every offset holds; the claims' texts are the abstract's own), and a comparison sign set
  // alone as math read as the sign (metrics-1.29.0)
  const text = LATEX_INLINE_RE.test(abstract) ? abstract.replace(LATEX_INLINE_G_RE, latexAsDollar) : abstract;
  if (text !== abstract) {
    const claims = extractFrom(text);
    for (const c of claims) {
      // (a span that took the math's closing "$" ends before the "\" of "\)")
      if (abstract[c.end - 1] === '\\' && abstract[c.end] === ')') c.end--;
      c.text = abstract.slice(c.start, c.end);
    }
    return claims;
  }
  return extractFrom(text);
}

const LONG_TIME_RE = /^(?:days?|weeks?|months?|years?|yrs?|decades?|centuries)$/i;
const BOUND_OF_THINGS_BEFORE_RE =
  /(?:^|[\s(,])([a-z][a-z-]{2,}s)\s+(?:below|above|beyond|under)\s+(?:about\s+|around\s+|roughly\s+|~\s*)?\$?\s*$/;
// (quantities and measures, and the verbs a bound follows: "runs above 100 GHz" is the device's result)
const QUANTITY_NOUN_RE =
  /^(?:values|levels|temperatures|frequencies|energies|voltages|pressures|rates|errors|scores|speeds|latencies|times|durations|sizes|lengths|distances|losses|gains|improvements|results|costs|thresholds|budgets|ranges|densities|powers|margins|deviations|accuracies|distortions|delays|overheads|amounts|counts|numbers|totals|averages|means|medians|ratios|percentages|shares|fractions|consumptions|uses|usages|savings|reductions|increases|drops|declines|this|was|is|has|does|goes|runs|operates|works|remains|stays|keeps|falls|rises|drops|performs|scales|grows|lies|sits|holds|reads|shows|gets|reaches|tends|results|measures|means)$/i;
const COSTS_VERB_END_RE =
  /\bcosts?\s+(?:(?:only|just|merely|about|around|approximately|roughly|nearly|up to|less than|under|~)\s*)?[-+−]?\s*\$?\s*$/i;
// ("reducing token costs", "lowers the inference cost": a change verb before the noun makes "cost" what changed)
const COST_CHANGED_BEFORE_RE =
  /\b(?:reduc|cut|lower|decreas|sav|halv|minimi|shrink|trim|increas|rais)\w*\s+(?:(?:the|its|their|our)\s+)?(?:[\w-]+\s+){0,2}$/i;
const OUTCOME_HORIZON_AFTER_RE =
  /^\s+(?:[\w-]+\s+){0,3}?(?:survival|recurrence|relapse|mortality|readmission|risk|outcomes?|horizons?|forecasts?|follow-?ups?|windows?|incidence|progression|prognosis)\b/i;
// (metrics-1.29.0: "Dice $>$ 0.9", "HD95 $\\leq$ 3 mm": a comparison sign set alone as math is that sign, so the value
// after it is read as after "Dice > 0.9" — not as money after a "$")
const LATEX_INLINE_RE = /\\[()]|\\ |\$\s?(?:[<>]|\\[lg](?:eq?|t))\s?\$/;
const LATEX_INLINE_G_RE = /\\[()]|\\ |\$\s?(?:[<>]|\\[lg](?:eq?|t))\s?\$/g;
const MATH_SIGNS: Record<string, string> = { '<': '<', '>': '>', l: '≤', g: '≥' };
const latexAsDollar = (m: string): string => {
  if (m === '\\(') return ' $';
  if (m === '\\)') return '$ ';
  if (m.length <= 2) return '  ';
  const sign =
    /[<>]/.exec(m)?.[0] ??
    (/\\[lg]t/.test(m) ? (m.includes('\\l') ? '<' : '>') : MATH_SIGNS[/\\([lg])/.exec(m)![1]]);
  return ' ' + sign + ' '.repeat(m.length - 2);
};

function extractFrom(text: string): Claim[] {
  definedOtherwise(text);
  const tokens = tokenize(text);
  const claims: Claim[] = [];
  // the claims whose own noun phrase decided their metric: a list they are in does not lend them another
  const ownHeads = new Set<Claim>();
  let i = 0;
  while (i < tokens.length) {
    const draft = readClaim(text, tokens, i);
    i = draft ? draft.consumedUntil + 1 : i + 1;
    if (!draft) continue;
    const claim = classify(text, draft);
    if (!claim) continue;
    claims.push(claim);
    if (ownHeadRead) ownHeads.add(claim);
  }
  claims.sort((a, b) => a.start - b.start);
  linkParentheticalBaselines(text, claims);
  restatePoints(text, claims);
  coordinate(text, claims, ownHeads);
  // metrics-1.17.0: "by 28% (11.43 points) and 27% (11.21 points)": the list gave the second change its kind, which
  // its own restatement in points now takes
  restatePoints(text, claims);
  elidedChanges(text, claims);
  keptWithin(text, claims);
  preferenceShares(text, claims);
  smallerModels(text, claims);
  // metrics-1.32.0: slash lists of scores and "N/M" counts no token reading keeps (slash-values.ts)
  slashValues(text, claims);
  consumedTokens(text, claims);
  expertSizes(text, claims);
  // readClaim already rejects non-finite numbers; this last check is what guarantees no claim ever carries
  // one, whatever a later step copies or computes, since a single such claim fails the batch's INSERT
  // metrics-1.27.0: whose figure each claim is, and what it measures (rivals.ts)
  const out = attributeRivalFigures(
    text,
    dropPriorWorkFigures(text, absorbComparisonValues(text, slashPairsFromTo(text, claims))),
  ).filter(hasFiniteNumbers);
  // (last: the arrow is the value's own word, over what the comparison reading gives it)
  arrowChanges(text, out);
  return out;
}

// metrics-1.32.0: "68%$\\downarrow$ question answering token cost", "12.4%↑ in recall": an arrow written right after a
// value is its change — down a reduction, up an increase (GUIDE: a change is classified by its wording) — of the measure
// the noun phrase after the arrow names, when it names one
const ARROW_AFTER_RE = /^\s?\$?\s?(?:\\(down|up)arrow|(↓)|(↑))\s?\$?/;
const ARROW_PHRASE_RE = /^\s*((?:[\w@-]+\s){0,4}[\w@-]+)/;
const ARROW_PHRASE_STOP_RE =
  /\s(?:compared|than|over|versus|vs|relative|on|in|for|with|while|and|at|to|from|across)\b[\s\S]*$/i;
function arrowChanges(text: string, claims: Claim[]): void {
  if (
    !text.includes('↓') &&
    !text.includes('↑') &&
    !text.includes('\\downarrow') &&
    !text.includes('\\uparrow')
  )
    return;
  for (const c of claims) {
    if (c.category !== 'result' || c.baseline) continue;
    const arrow = ARROW_AFTER_RE.exec(text.slice(c.end, c.end + 14));
    if (!arrow) continue;
    const down = arrow[1] === 'down' || arrow[2] !== undefined;
    c.kind = down ? 'reduction' : 'relative_improvement';
    KIND_DECIDED.add(c);
    const phrase = ARROW_PHRASE_RE.exec(text.slice(c.end + arrow[0].length, c.end + arrow[0].length + 60));
    const hits = phrase ? metricHits(phrase[1].replace(ARROW_PHRASE_STOP_RE, '')) : [];
    if (hits.length) c.metric = hits[hits.length - 1].name;
    c.improvement = improvementOf(c.kind, false, c.metric, c.value, c.baseline);
  }
}

// metrics-1.32.0: "scaling up to a 2x14B model", "a 8×7B MoE": N experts of a size each — the size of each is the model's
// own size as written (GUIDE, dev-31: "a 2x14B model" `setup`/`size`, read as 14B); the count of experts is its own part
const EXPERTS_SIZE_RE =
  /(?<![\w.])\d{1,2}\s?[x×]\s?(\d{1,4}(?:\.\d+)?)([BMK])(?=[-\s](?:[\w-]+\s)?(?:models?|MoEs?|LLMs?|LMs?|mixtures?|experts?|param\w*)\b)/g;
const isDigitCode = (c: number): boolean => c >= 0x30 && c <= 0x39;
function digitTimesDigit(text: string): boolean {
  for (const sign of ['x', '×']) {
    for (let i = text.indexOf(sign); i >= 0; i = text.indexOf(sign, i + 1)) {
      const b = text.charCodeAt(i - 1) === 0x20 ? text.charCodeAt(i - 2) : text.charCodeAt(i - 1);
      const a = text.charCodeAt(i + 1) === 0x20 ? text.charCodeAt(i + 2) : text.charCodeAt(i + 1);
      if (isDigitCode(b) && isDigitCode(a)) return true;
    }
  }
  return false;
}
function expertSizes(text: string, claims: Claim[]): void {
  // (a cheap test first: a digit on both sides of an "x" or a "×")
  if (!digitTimesDigit(text)) return;
  EXPERTS_SIZE_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  const n = claims.length;
  while ((m = EXPERTS_SIZE_RE.exec(text)) !== null) {
    const start = m.index + m[0].length - m[1].length - m[2].length;
    const end = m.index + m[0].length;
    if (claims.some((c) => c.start < end && m!.index < c.end)) continue;
    const factor = { B: 1e9, M: 1e6, K: 1e3 }[m[2] as 'B' | 'M' | 'K'];
    const size = newClaim(text, start, end, Number(m[1]) * factor, 'params', 'size', null);
    KIND_DECIDED.add(size);
    claims.push(size);
  }
  if (claims.length !== n) claims.sort((a, b) => a.start - b.start);
}

// metrics-1.32.0: "the agent consumes 1,480,996 tokens per benchmark", "spends about 2,300 tokens per query": the tokens a
// system consumes are the level of its token usage it reaches (GUIDE, dev-31: `absolute_score` of `token usage`), not the
// size of its data ("pretrained on 300B tokens") nor an input it is given ("with only 64 tokens")
const CONSUMES_BEFORE_RE =
  /\b(?:consum(?:es|ed|ing|e)|spend(?:s|ing)?|spent)\s+(?:(?:only|just|about|around|approximately|roughly|nearly|over|under|fewer than|less than|more than|on average|an average of|~)\s+)*~?\s*$/i;
function consumedTokens(text: string, claims: Claim[]): void {
  for (const c of claims) {
    if (c.unit !== 'tokens' || c.low !== null || c.baseline) continue;
    if (!CONSUMES_BEFORE_RE.test(text.slice(Math.max(0, c.start - 60), c.start))) continue;
    c.category = 'result';
    c.kind = 'absolute_score';
    c.metric = 'token usage';
    c.improvement = null;
    KIND_DECIDED.add(c);
  }
}

// metrics-1.30.0: "raises precision/recall from 19.6%/16.1% in prior tools to 69.0%/87.5%": a slash pair changed "from A/B
// to C/D" is two changes, C from A and D from B — A and B are the baselines, not claims
const SLASH_PAIR = String.raw`\$?\s*([\d.]+)\s*\\?%?\s*\$?\s*\/\s*\$?\s*([\d.]+)\s*\\?%?\s*\$?`;
const SLASH_FROM_TO_RE = new RegExp(
  String.raw`\bfrom\s+` + SLASH_PAIR + String.raw`(?:\s+[^.;\d]{1,40}?)?\s+to\s+` + SLASH_PAIR,
  'g',
);

function slashPairsFromTo(text: string, claims: Claim[]): Claim[] {
  if (!text.includes('/')) return claims;
  const drop = new Set<Claim>();
  SLASH_FROM_TO_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = SLASH_FROM_TO_RE.exec(text)) !== null) {
    const inMatch = claims.filter((c) => c.start >= m!.index && c.end <= m!.index + m![0].length + 2);
    if (inMatch.length !== 4 || inMatch.some((c) => c.category !== 'result' || c.low !== null)) continue;
    const [a, b, c, d] = inMatch;
    if (a.unit !== c.unit || b.unit !== d.unit) continue;
    c.baseline = { value: a.value, text: a.text };
    d.baseline = { value: b.value, text: b.text };
    for (const x of [c, d]) if (x.kind === 'other') x.kind = 'absolute_score';
    drop.add(a);
    drop.add(b);
  }
  return drop.size ? claims.filter((c) => !drop.has(c)) : claims;
}

// metrics-1.30.0: "67.6% of preferences favor our method", "readers favored ours in 93.4 percent of cases", "humans prefer
// it in over 70% of comparisons": the share of judgements a system wins is its win rate, a level (GUIDE: "wins 75.6% of
// instances" is a win rate)
const PREFERENCE_SHARE_AFTER_RE =
  /^\s*\$?\s*of\s+(?:the\s+|all\s+)?(?:[\w-]+\s+)?(?:preferences|votes|comparisons|cases|judge?ments|matchups|trials|pairs)\b/i;
const PREFERENCE_WORD_RE =
  /\b(?:prefer(?:s|red|ring|ence|ences)?|favou?r(?:s|ed|ing)?|chose|chosen|choose)\b/i;
function preferenceShares(text: string, claims: Claim[]): void {
  for (const c of claims) {
    if (c.category !== 'result' || c.unit !== '%' || c.metric !== null || c.baseline || c.low !== null)
      continue;
    if (c.kind !== 'other' && c.kind !== 'absolute_score') continue;
    if (!PREFERENCE_SHARE_AFTER_RE.test(text.slice(c.end, c.end + 50))) continue;
    const clause = text.slice(Math.max(0, c.start - 70), c.end + 60).split(/[.;](?:\s|$)/);
    const around = clause.find((part) => part.includes(c.text)) ?? '';
    if (!PREFERENCE_WORD_RE.test(around)) continue;
    c.kind = 'absolute_score';
    c.metric = 'win rate';
    c.improvement = null;
    KIND_DECIDED.add(c);
  }
}

// metrics-1.30.0: "despite being 50-250 times smaller", "while being 3-5 times smaller in size": a multiple by which a
// model is smaller, with no noun of its own after it, is its size (as 1.28.0's "a model 3.9x smaller")
const SMALLER_AFTER_RE =
  /^\s*\$?\s*(?:smaller|lighter|more compact)(?:\s+in\s+(?:size|parameters|parameter count))?(?=\s*(?:[,.;)]|than\b|while\b|and\b|$))/i;
// ("despite being 50x smaller", "the CNN is over 55 times smaller", "while being up to 9x smaller")
const BEING_BEFORE_RE =
  /\b(?:being|is|are|was|were)\s+(?:(?:up to|over|about|nearly|roughly|approximately|more than|an estimated)\s+|~\s*)?\$?\s*$/i;
const NOT_A_MODEL_RE =
  /\b(?:data(?:sets?)?|corp(?:us|ora)|benchmarks?|training sets?|treebanks?|lexic(?:on|a)|vocabular(?:y|ies)|contexts?|tokens?|prompts?|images|videos|samples|files?|logs?)\b/i;
function smallerModels(text: string, claims: Claim[]): void {
  for (const c of claims)
    if (
      c.category === 'result' &&
      c.unit === 'x' &&
      c.metric === null &&
      SMALLER_AFTER_RE.test(text.slice(c.end, c.end + 40)) &&
      BEING_BEFORE_RE.test(text.slice(Math.max(0, c.start - 30), c.start))
    ) {
      // ("this dataset is 265 times smaller", "a treebank which is 10x smaller", "an active context 10x smaller": data,
      // text or a context made smaller is no model)
      // (the subject: the three words before the verb)
      const lead = text.slice(Math.max(0, c.start - 80), c.start).replace(BEING_BEFORE_RE, '');
      if (!NOT_A_MODEL_RE.test(lead.split(/\s+/).slice(-3).join(' '))) c.metric = 'model size';
    }
}

// metrics-1.30.0: "accuracy is held within 0.5 points of the full model", "while maintaining within 0.2% accuracy of",
// "keeping recall (typically within 4% of the best)": a measure KEPT within a bound of a reference is what it retains, not
// a drop (a user's review, brief claims25; GUIDE, thirtieth batch); "achieves / comes within N of" stays the gap the
// held-out-6 rule calls a reduction, and so does "remains within N" (dev-8, metrics-1.11.0). Read on the raw text: the kept phrase is masked in the windows classify() reads.
const WITHIN_KEPT_BEFORE_RE =
  /\b(?:held|holds?|holding|maintain\w*|keep(?:s|ing)?|kept|preserv\w*|retain\w*|sustain\w*)\s+(?:[\w@-]+\s+){0,3}?(?:\(\s*(?:(?:typically|only|roughly|still|often|usually|always|all)\s+)?)?within\s+(?:(?:only|about|roughly|just|around|approximately)\s+|~\s*)?\$?\s*$/i;

function keptWithin(text: string, claims: Claim[]): void {
  for (const c of claims) {
    if (c.category !== 'result' || (c.unit !== '%' && c.unit !== 'pp' && c.unit !== 'score')) continue;
    if (!WITHIN_KEPT_BEFORE_RE.test(text.slice(Math.max(0, c.start - 90), c.start))) continue;
    c.kind = 'retention';
    c.improvement = null;
    KIND_DECIDED.add(c);
  }
}

// metrics-1.29.0: "cuts latency by 32.7%, energy consumption by 40.1%, and resource use by up to 98.3%", "reduces
// wrong answers by over 10% on noisy input, and by about 3% on clean input": a change whose verb is left out ("<noun> by
// N", or a bare "by N") after a change in the same sentence is that change's kind, and in a list of measures each
// "by" (its own "<noun> by N" when the first value's noun named its metric) measures the noun right before it, or
// nothing the table knows — never the previous item's measure
const ELIDED_GAP_RE =
  /^[^.;!?]{0,90}?(?:,\s*(?:and\s+|or\s+)?|\s(?:and|or)\s+)((?:[A-Za-z][\w/-]*\s+){0,4}?)by\s+(?:(?:up to|about|approximately|roughly|nearly|over|more than|around|at least|only|just|~)\s*)*\$?\s*(?:\\sim\s*\$?\s*)?$/i;
const MEASURE_BY_END_RE =
  /(?:^|[\s,;:(])((?:[A-Za-z][\w/-]*\s+){1,4}?)by\s+(?:(?:up to|about|approximately|roughly|nearly|over|more than|around|at least|only|just|~)\s*)*\$?\s*$/i;
const ELIDED_KINDS: ReadonlySet<ClaimKind> = new Set(['reduction', 'relative_improvement', 'speedup']);

function elidedChanges(text: string, claims: Claim[]): void {
  // ("a 40% gain in answer quality and a 50% detection rate": "a N% … rate" is a level reached, whatever the learned
  // correction reads next to a gain)
  for (const c of claims)
    if (
      c.kind === 'absolute_score' &&
      c.unit === '%' &&
      A_LEVEL_RATE_RE.test(text.slice(Math.max(0, c.start - 6), c.end + 40))
    )
      KIND_DECIDED.add(c);
  for (let k = 1; k < claims.length; k++) {
    const a = claims[k - 1];
    const b = claims[k];
    if (a.category !== 'result' || b.category !== 'result' || !ELIDED_KINDS.has(a.kind)) continue;
    if (b.start - a.end > 110 || b.baseline) continue;
    const gap = text.slice(a.end, b.start);
    const m = ELIDED_GAP_RE.exec(gap);
    if (!m) continue;
    const phrase = m[1];
    // (a verb of its own between them, "and improves recall by", "while reducing cost and time by", starts a change of
    // its own)
    if (BEFORE_IMPROVE.test(gap) || BEFORE_REDUCE.test(gap) || BEFORE_SPEED.test(gap)) continue;
    const kindChanged = b.kind !== a.kind && b.kind !== 'retention';
    if (kindChanged) b.kind = a.kind;
    KIND_DECIDED.add(b);
    // (only in a list of measures: "outperforms A by 5% and B by 3%" lists rivals, whose names measure nothing)
    const first =
      phrase && a.metric !== null
        ? MEASURE_BY_END_RE.exec(text.slice(Math.max(0, a.start - 60), a.start))
        : null;
    const listed = first !== null && findMetric(first[1], '') === a.metric;
    if (listed) b.metric = findMetric(phrase, '');
    if (kindChanged || listed)
      b.improvement = improvementOf(
        b.kind,
        a.improvement === true && b.kind === a.kind,
        b.metric,
        b.value,
        b.baseline,
      );
  }
}

// whether the value classify() last read had its metric decided by its own noun phrase (read right after the call;
// kept out of the Draft so that drafts keep one shape)
let ownHeadRead = false;

function classify(text: string, d: Draft): Claim | null {
  ownHeadRead = false;
  // "by \%6.80 and \%7.82": a percent sign written before the number (a Turkish convention)
  const leadingPercent = d.unit
    ? null
    : LEADING_PERCENT_RE.exec(text.slice(Math.max(0, d.start - 4), d.start));
  // (metrics-1.16.0: "by almost 20 points" is "by nearly 20 points" — the same length, so offsets hold — for every
  // qualifier list the rules below spell)
  // (metrics-1.18.0: "up to \\textbf{4.58} absolute gains": a formatting command around the value is read as spaces)
  const window = clauseBefore(text, d.start - (leadingPercent?.[0].length ?? 0), WINDOW_BEFORE).replace(
    ALMOST_RE,
    'nearly',
  );
  // (a cheap test first: LATEX_OPEN_END_RE ends in "{")
  const before = endsWithSign(window, '{', false)
    ? window.replace(LATEX_OPEN_END_RE, (m) => ' '.repeat(m.length))
    : window;
  const windowAfter = clauseAfter(text, d.end, WINDOW_AFTER);
  const after = CLOSING_BRACE_START_RE.test(windowAfter)
    ? windowAfter.replace(CLOSING_BRACE_START_RE, (m) => ' '.repeat(m.length))
    : windowAfter;
  let unit: ClaimUnit;
  let kind: ClaimKind;
  let unitText: string | null = null;
  // metrics-1.13.0: "by a mean +10.4 pp across LIBERO (600 trials) -- per-suite +20.0 Object, +11.0 Long-horizon": bare
  // signed values after a signed value in points in the same clause are further changes in points
  const signedAnchor =
    !d.unit &&
    !leadingPercent &&
    !d.isWord &&
    /(?:^|[\s(])\+$/.test(before.slice(-2)) &&
    !/\bfrom\s+\+$/.test(before)
      ? SIGNED_UNIT_BEFORE_RE.exec(before.slice(-140, -1))
      : null;
  // "by 15.8 and 16.0 average points", "76.17 and 69.97%": a bare value coordinated with the next one takes the unit
  // written once after it
  const nextUnit =
    !d.unit &&
    // (a cheap test first: most bare numbers are followed by no list)
    /^\s*(?:,|and\s)/.test(after) &&
    !leadingPercent &&
    !signedAnchor &&
    !d.isWord &&
    d.low === null &&
    !d.baseline &&
    // ("p<0.0001, 95% CI": a test statistic, then a confidence level)
    !/[<>=≤≥:]\s*$/.test(before) &&
    !/^[^)]{0,40}?\b(?:CI|confidence)\b/.test(after.slice(0, 50)) &&
    // (metrics-1.31.0: "0.52 and 7.3% in MAE and MAPE, respectively": each value of its own measure keeps its own unit)
    !namesBeforeRespectively(after.slice(0, 100), 0)
      ? COORDINATED_UNIT_AFTER_RE.exec(after.slice(0, 40))
      : null;
  // metrics-1.17.0: "600 derivational and 7000 inflectional word forms": a whole number with one modifier, coordinated
  // with a count of the same shape, counts the noun written once at the end
  // metrics-1.31.0: "settings of 15, 30, and 60 views": whole numbers listed before a counted number count its noun too
  const sharedNoun =
    !d.unit && !d.isWord && d.low === null && !d.baseline && /^\d[\d,]*$/.test(text.slice(d.start, d.end))
      ? (COORDINATED_COUNT_AFTER_RE.exec(after.slice(0, 60)) ?? COUNT_LIST_AFTER_RE.exec(after.slice(0, 60)))
      : null;
  const sharedCounted = sharedNoun ? countNoun(after, sharedNoun[0].length) : null;
  // (a list of tokens or weights keeps their unit, "only 64 or 128 tokens")
  const sharedCount = sharedCounted && !SIZE_NOUN_RE.test(sharedCounted.noun) ? sharedCounted : null;
  // metrics-1.18.0: "reduces attention FLOPs by a factor of 17.5": a bare number after "a factor of" is a multiplier
  const factorOf = !d.unit && !d.isWord && !leadingPercent && FACTOR_OF_BEFORE_RE.test(before.slice(-50));
  const u: Draft['unit'] = factorOf
    ? unitOf('x', '', 1, null)
    : sharedCount
      ? unitOf('count', '', 1, null, sharedCount.noun)
      : leadingPercent
        ? unitOf('%', '', 1, null)
        : signedAnchor
          ? unitOf('pp', '', 1, null)
          : nextUnit
            ? unitOf(nextUnit[1] ? '%' : nextUnit[2] ? 'pp' : 'x', '', 1, null)
            : d.unit;
  // metrics-1.24.0: "As 2030 nears", "talks from 2023 applies", "the 2025 edition": a year after "from", "since", "as",
  // or after "the" or a name before a word no count is made of, is a date, not a count; "19.018 raw images", "1.602 patients": a count of items written with a dot before three digits groups
  // thousands (no item is counted in thousandths), unless the count is an average or a rate
  if (u?.unit === 'count' && !d.isWord && d.low === null && !d.baseline) {
    const digits = /^\d[\d.,]*/.exec(text.slice(d.start, d.end))?.[0] ?? '';
    if (
      YEAR_NUMBER_RE.test(digits) &&
      (/\b(?:[Ff]rom|[Ss]ince|[Uu]ntil|[Aa]s|[Bb]y)\s+$/.test(before.slice(-8)) ||
        (!LISTED_NOUNS.has(u.noun ?? '') && /(?:\b[Tt]he|\b[A-Z][\w-]*)\s+$/.test(before.slice(-16))))
    )
      return null;
    if (
      /^[1-9]\d{0,2}\.\d{3}$/.test(digits) &&
      !/\b(?:average|mean|avg|per)\b/i.test(before.slice(-24)) &&
      !/^\s*(?:[\w-]+\s+){0,4}?per\b|^\s*[\w-]+\//i.test(text.slice(d.end, d.end + 40))
    )
      d = draftWith(d, d.end, Number(digits.replace('.', '')));
  }
  // metrics-1.24.0: "a viewing cone of 46.6° X 37.6°": an angular extent written as width by height is a shape, a setting
  // (GUIDE: shapes are no claims)
  if (
    u?.unit === 'other' &&
    ANGLE_UNIT_RE.test(u.text) &&
    (/^\s*(?:X|x|×|\$?\\times\$?)\s*\d/.test(text.slice(d.end, d.end + 12)) ||
      /\d\s*(?:°|\{\\deg\}|\$\^\{?\\circ\}?\$)\s*(?:X|x|×|\$?\\times\$?)\s*$/.test(
        text.slice(Math.max(0, d.start - 24), d.start),
      ))
  )
    return null;
  // "$60\text{-}80\times$" is LaTeX math, not money
  // ("0.45 $\\rightarrow$ 0.61": a "$" closing math right before the value is not a dollar sign either)
  // (metrics-1.22.0: "macro-$F_1$ 0.475", "$R^{2}$ 0.91": a "$" right after a subscript, superscript or brace closes
  // math)
  const lead = text.slice(Math.max(0, d.start - 24), d.start);
  const latex =
    /[\\$]/.test(text.slice(d.start, d.end + 15)) ||
    // (a cheap test first: the pattern ends in "$")
    (endsWithSign(lead, '$', false) && /(?:\\[A-Za-z]+|[_^](?:\w|\{[^{}$]*\})|\})\s*\$\s*$/.test(lead));
  const currency = latex ? null : CURRENCY_BEFORE_RE.exec(text.slice(Math.max(0, d.start - 4), d.start));
  let start = d.start - (leadingPercent?.[0].length ?? 0);
  if (currency) start = d.start - currency[0].length;
  // "reduces reproduction time from over 30 hours to about 1 hour": a duration a change verb moves is a result
  const durationChange =
    d.baseline !== null && /\b(?:reduc|cut|shorten|decreas|lower|sav|drop|speed|accelerat)\w*/i.test(before);
  // metrics-1.14.0: "5-second VBench", "on 30-second rollouts", "a 5-second video": a clip length in seconds or minutes
  // written as a modifier names a setting or an item, not an amount the paper reports ("a 700-hour study" stays)
  if (
    u?.duration &&
    !durationChange &&
    SHORT_DURATION_MODIFIER_RE.test(text.slice(d.start, d.end)) &&
    /^\s+[\w$]/.test(text.slice(d.end, d.end + 3))
  )
    return null;
  // metrics-1.26.0: "predicting 5-year cancer recurrence", "a 30-day mortality risk": a horizon written as a modifier of
  // an outcome is a setting of the task (GUIDE: "30-day" windows are no claims), not the size of the data
  if (
    u?.duration &&
    !durationChange &&
    /^-/.test(text.slice(d.end - u.text.length, d.end)) &&
    OUTCOME_HORIZON_AFTER_RE.test(text.slice(d.end, d.end + 60))
  )
    return null;
  // metrics-1.18.0: "at 10 m spatial resolution", "3 m resolution imagery", "(0.149 meters per pixel)": a length that is
  // the resolution of an image or a map is a setting of the data, not an amount the paper reports (GUIDE: resolutions
  // and ground sample distances are no claims)
  if (
    u?.unit === 'other' &&
    u.unitText !== null &&
    LENGTH_UNITS.test(u.unitText) &&
    RESOLUTION_AFTER_RE.test(text.slice(d.end, d.end + 40))
  )
    return null;
  // metrics-1.15.0: "on 4$\\times$H20 GPUs", "8×A100", "trained on 8x H100 GPUs": a multiplier sign before a
  // hardware model counts the devices a method runs on (a condition of its result, as "using only 8 GPUs")
  if (
    u?.unit === 'x' &&
    !d.baseline &&
    d.low === null &&
    HARDWARE_AFTER_RE.test(text.slice(d.end, d.end + 24))
  )
    return countFound(text, d, start, before, after);
  // metrics-1.29.0: "surveys amplifiers below 60 GHz and mixers above 60 GHz", "covers lenses beyond 5 mm": a physical
  // bound written right after the things a paper covers marks out which of them it covers — the breadth of the work
  // (setup/scope), no result (not after a measure or a quantity, "errors below 15 ms", "at temperatures below 100 K")
  if (
    u?.unit === 'other' &&
    !currency &&
    !u.duration &&
    !(u.unitText !== null && (TIME_UNITS.has(u.unitText.toLowerCase()) || LONG_TIME_RE.test(u.unitText))) &&
    d.low === null &&
    !d.baseline &&
    BOUND_OF_THINGS_BEFORE_RE.test(before.slice(-48))
  ) {
    const noun = BOUND_OF_THINGS_BEFORE_RE.exec(before.slice(-48))![1];
    if (
      !QUANTITY_NOUN_RE.test(noun) &&
      findMetric(noun, '') === null &&
      !RESULT_VERB_RE.test(before.slice(-60))
    ) {
      const bound = findQualifier(text.slice(Math.max(0, start - 40), start), after);
      const scope = buildSetup(text, d, start, {
        unit: 'other',
        unitText: u.unitText,
        kind: 'scope',
        qualifier: bound,
        before,
        after,
      });
      // (a kind a rule read from the words before the value: not the learned correction's to change)
      KIND_DECIDED.add(scope);
      return scope;
    }
  }
  if (u?.duration && !currency && !durationChange) {
    // "a 5-year follow-up", "a two-day course": how long something lasted is part of the setup
    return buildSetup(text, d, start, {
      unit: 'other',
      unitText: u.unitText,
      kind: 'size',
      qualifier: null,
      before,
      after,
    });
  }
  // metrics-1.15.0: "grows 6x larger at 100,000 steps", "thinking with as few as 3 steps", "at 5k training steps": the
  // number of steps a result is given at or needs is a condition of it (a bare "three steps" stays the paper's own)
  if (!d.baseline && d.low === null && STEPS_CONDITION_BEFORE_RE.test(before.slice(-16))) {
    const steps =
      u === null || u.unit === 'count' ? STEPS_AFTER_RE.exec(text.slice(d.end, d.end + 40)) : null;
    if (steps || u?.noun === 'steps')
      return countFound(text, draftWith(d, d.end + (steps?.[0].length ?? 0), d.value), start, before, after);
  }
  if (!u && isSampleSize(text, d)) {
    // "(n = 3)": how many were measured is part of the setup (metrics-1.15.0: its size, as the GUIDE labels group
    // sizes "(n=20)" and every dev set labels "n=45", "N=800")
    return buildSetup(text, d, start, {
      unit: 'count',
      unitText: null,
      kind: 'size',
      qualifier: null,
      before,
      after,
    });
  }
  if (
    !u &&
    (!d.isWord || d.value >= 2) &&
    !d.baseline &&
    d.low === null &&
    Number.isInteger(d.value) &&
    PART_OF_TOTAL_AFTER_RE.test(after)
  ) {
    // "improves for 6 out of 9 disease types", "9 of the 12 evaluated models": how many of a counted whole a
    // result holds for is a count the paper finds, with no metric of its own
    return countFound(text, d, start, before, after);
  }
  // metrics-1.18.0: "2.0-4.2 distinct action sequences per 10 runs", "$2 per 1K tokens": a count after "per" is the
  // denominator of a rate, not an amount of its own
  if (u?.unit === 'count' && !d.baseline && /\bper\s+$/i.test(before.slice(-6))) return null;
  // (a count, a parameter or a token amount sizes the setup unless a change verb moves it: its own phrase is the
  // counted noun, which names no metric, so head-phrase.ts is not asked)
  const counted = u !== null && (u.unit === 'count' || u.unit === 'params' || u.unit === 'tokens');
  // a number word with no unit is no claim (the `!u` branch below, or the number-word test after it when a currency
  // sign stands before it): decided here, before the metric is read for nothing (a fifth of the values classified)
  if (!u && d.isWord) return null;
  // a bare whole number (no unit, no money, no baseline: a fifth of the values classified, most of them rejected) is a
  // claim only on a cue of a score: when neither a cue that names no metric nor one that needs a metric is there (nor a
  // sign, whose cue needs one), it is rejected whatever metric the clause names, so that metric is not read
  const bareWhole = !u && !currency && !d.baseline && !/\./.test(text.slice(d.start, d.end));
  const plainCue = bareWhole ? plainScoreCue(text, d, before) : null;
  const metricCue = plainCue === false ? metricScoreCue(before, after) : null;
  if (metricCue === false && !SIGN_END_RE.test(before.slice(-2))) return null;
  const reading = attributeMetric(text, d.start, before, after, !counted);
  const { keptBefore, keptAfter } = reading;
  ownHeadRead = reading.own;
  // "9 F1 points": the metric is written inside the unit
  const pointsOf = u?.unit === 'pp' ? /\s([A-Za-z][\w@-]*)\s(?:points?|pts?)$/.exec(u.text) : null;
  // "LPIPS = 0.157": a name the metric table does not know, set equal to the value, is the value's own metric
  const unknownName = assignedMetric(text, d.start) === null && scoreNameAssigned(before.slice(-24));
  // "(ICM-Hard: 0.6774 for binary classification, 0.4991 for …)": decimals listed inside a parenthesis opened by a
  // metric's name and a colon are scores of that metric (none, when the table does not know the name)
  const parenName = /\./.test(text.slice(d.start, d.end)) ? PAREN_NAME_RE.exec(before.slice(-100)) : null;
  let metric =
    unknownName || parenName
      ? parenName
        ? labelMetric(parenName[1])
        : null
      : ((pointsOf && canonicalMetric(pointsOf[1])) ?? reading.metric);

  // metrics-1.15.0: the two values of a slash pair take the two measures of a pair named before them
  const slashSecond = SLASH_SECOND_BEFORE_RE.test(text.slice(Math.max(0, start - 12), start));
  const slashFirst = !slashSecond && d.unit !== null && /^\s*\/\s*\+?\d/.test(text.slice(d.end, d.end + 6));
  const pair = slashFirst || slashSecond ? pairedMeasures(clauseBefore(text, start, 280)) : null;
  const pairedMetric = pair ? pair[slashSecond ? 1 : 0] : undefined;
  // (the rate's own name is its metric: sensitivity is recall, as the GUIDE labels it; specificity is not in the table)
  const diagnostic = !u ? DIAGNOSTIC_RATE_BEFORE_RE.exec(before.slice(-24)) : null;
  // metrics-1.30.0: "and BERTScore F1 +4.00": a learned scorer named right before the value is its own measure, one the
  // table does not list — a list it is in does not lend it a neighbour's
  // (the value is read as its F1's first — a scored number needs a named measure — and takes none at the end)
  const scorerOwn = SCORER_RIGHT_BEFORE_RE.test(before.slice(-32));
  if (scorerOwn) ownHeadRead = true;
  if (diagnostic) {
    metric = /^sens/i.test(diagnostic[1]) ? 'recall' : null;
    ownHeadRead = true;
  }
  // metrics-1.17.0: "while occupying 30 MB of memory", "about 2 s of latency": an amount in a unit followed by "of" and a
  // measure is that measure's amount, whatever else the clause names
  const ofMeasure =
    u !== null && (u.unit === 'bytes' || u.unit === 'other') ? OF_MEASURE_AFTER_RE.exec(after) : null;
  const ofMetric = ofMeasure ? findMetric(ofMeasure[1], '') : null;
  if (ofMetric !== null && ofMetric !== 'performance') {
    metric = ofMetric;
    ownHeadRead = true;
  }
  // metrics-1.23.0: "consumes 0.36 kWh per 3,000 slides": an amount in watt-hours is energy consumed (GUIDE), whatever
  // the clause names
  // ("RMSE = 0.28 kWh": an error set equal to the value stays its metric)
  if (
    u !== null &&
    u.unit === 'other' &&
    WATT_HOURS_RE.test(u.text) &&
    assignedMetric(text, d.start) === null
  ) {
    metric = 'energy';
    ownHeadRead = true;
  }
  // metrics-1.24.0: "processes 208 slides per hour": items per unit of time measure throughput (GUIDE), unless the items
  // name a measure of their own ("2.5 errors per hour") or the clause names the value's ("an RMSE of 3.3 beats per minute")
  if (
    metric === null &&
    u !== null &&
    u.unit === 'other' &&
    ITEM_RATE_TEXT_RE.test(u.text) &&
    assignedMetric(text, d.start) === null &&
    findMetric(u.text.replace(ITEM_RATE_PER_RE, ''), '') === null
  ) {
    metric = 'throughput';
    ownHeadRead = true;
  }
  // metrics-1.17.0: "high accuracy is achievable at under $2 per 1K tokens": money measures a cost — a clause's score
  // is not what an amount of money is of ("training costs" stays training time)
  // ("$+$9.0 points", "$<$30W", "${\pm}$ 0.2": a "$" that closes LaTeX math is no money)
  const money =
    currency !== null &&
    !/[$}]/.test(text.slice(Math.max(0, d.start - currency[0].length - 3), d.start - currency[0].length));
  if (money && metric !== null && !MONEY_METRICS.has(metric)) metric = 'cost';
  // metrics-1.29.0: "dropping the adapter costs only -0.4%", "the pruning costs 3x more recall": "costs" right before a
  // share or a multiple (no money) says what a change loses, it names no cost; the value measures what else the clause
  // names, or nothing ("reducing API costs 3x" keeps its cost: a change verb moves the noun)
  if (metric === 'cost' && !currency && u !== null && (u.unit === '%' || u.unit === 'pp' || u.unit === 'x')) {
    const verb = COSTS_VERB_END_RE.exec(before.slice(-40));
    if (verb && !COST_CHANGED_BEFORE_RE.test(before.slice(-70, before.length - verb[0].length))) {
      metric = findMetric(before.slice(0, before.length - verb[0].length), after);
      if (metric === 'cost') metric = null;
      ownHeadRead = true;
    }
  }
  if (pairedMetric !== undefined) {
    metric = pairedMetric;
    ownHeadRead = true; // (a list it is in does not lend it the first measure back)
  }
  if (currency) {
    unit = 'other';
    unitText = currency[0].trim();
  } else if (!u) {
    // a bare number is a claim only when it reads as a score: a metric next to it or a result verb
    if (d.isWord) return null;
    const rating =
      /\./.test(text.slice(d.start, d.end)) &&
      /^\s*\/\s*(?:5|7|10)(?![\d.,])/.test(text.slice(d.end, d.end + 8)) &&
      !/[\w.-]$/.test(text.slice(Math.max(0, d.start - 1), d.start));
    // (a rating takes only a metric named right before it: "natural writing flow (2.81/5), indicating … clinical
    // accuracy" rates no accuracy)
    if (rating) metric = metricRightBefore(before);
    const scoreLike =
      (plainCue ?? plainScoreCue(text, d, before)) ||
      parenName !== null ||
      // "improves AP50 on ScanNet V2 (+5.3)", "AUC differences as small as -0.004": an explicit sign on a bare
      // number is a change, when the clause names a metric or a change verb
      (SIGN_END_RE.test(before.slice(-2)) && (metric !== null || BEFORE_IMPROVE.test(before))) ||
      // "0.057 LPIPS", "an out-of-scope rate of 0.07": a decimal that its own measured phrase names (head-phrase.ts;
      // "16 VLM, 10 LLM" and "58:42 class ratio" are counts and ratios)
      (reading.own && /\./.test(text.slice(d.start, d.end))) ||
      // metrics-1.18.0: "clarity (4.88/5)", "scoring 4.95/5 in blind expert review": a decimal rating out of a small scale
      rating ||
      // metrics-1.30.0: "increases the TPF of the base model to 10.1", "lifts its mean score to 7.85": a decimal a change
      // verb moves something to is the level reached, named or not
      (/\./.test(text.slice(d.start, d.end)) &&
        CHANGED_TO_BEFORE_RE.test(before.slice(-90)) &&
        !SETTING_CHANGED_TO_RE.test(before.slice(-90))) ||
      // metrics-1.15.0: "with specificity 0.81 and sensitivity 0.76": a decimal right after a diagnostic rate's name
      (/\./.test(text.slice(d.start, d.end)) && DIAGNOSTIC_RATE_BEFORE_RE.test(before.slice(-24))) ||
      (/\./.test(text.slice(d.start, d.end)) && scoreNameAssigned(before.slice(-24))) ||
      // "F1-scores of 0.83 and 0.79", "an AUROC of 0.55-0.73 for X and 0.55-0.74 for Y": a decimal coordinated
      // with a decimal score of the metric named before them
      (metric !== null &&
        /\./.test(text.slice(d.start, d.end)) &&
        /\d\.\d+(?:[^.;]|\.(?=\d)){0,60}?(?:,\s*(?:and\s+)?|\band\s+)$/.test(before.slice(-80))) ||
      (metric !== null && (metricCue ?? metricScoreCue(before, after)));
    // metrics-1.16.0: "relative mAP50:95 gain": the number after a threshold and a colon closes the metric's name
    if (/[A-Za-z]\d{2,}:$/.test(text.slice(Math.max(0, d.start - 8), d.start))) return null;
    if (
      scoreLike ||
      d.baseline ||
      // metrics-1.31.0: "F1 ranged from 0.61 to 0.78": a bare range a measure ranges or varies over is its scores
      (d.low !== null && RANGED_FROM_RE.test(text.slice(Math.max(0, d.start - 30), d.start))) ||
      bareScoreCue(text, d, before, after)
    ) {
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
  if (
    d.isWord &&
    unit !== 'x' &&
    unit !== 'count' &&
    unit !== '%' &&
    !(unitText && DURATION_UNITS.test(unitText))
  )
    return null;
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
    // "from 7B to 32B" is a change only when a verb says so ("reduces the model from 7B to 3B"); "scale the
    // model from 28M to 120M parameters", "models ranging from 0.5B to 13B parameters" size the setup
    // ("with only 3.1M parameters" sizes the setup: "only" says small, not smaller)
    const changeCue =
      /\b(?:reduc\w*|fewer|less|lower|cut\w*|sav\w*)\s*(?:\w+\s+){0,2}$/i.test(before.slice(-40)) ||
      (d.baseline !== null &&
        (unit === 'bytes' ||
          /\b(?:reduc|compress|shrink|prun|cut|decreas|lower|sav|drop)\w*\b/i.test(before.slice(-60))));
    // "using only 8 GPUs", "as few as five input images", "utilizing merely 4K samples", "adding fewer than 10M
    // parameters": the little a method runs on or needs is a condition of its result, not the size of the setup
    // ("with only 10.8M trainable parameters" stays a size: dev sets label "with only" both ways)
    // ("approximately 150 lines of code", "affecting only 492 lines": how much code a method takes is what it found)
    if (
      (/\b(?:only|merely|just|fewer|less|few)\s/.test(before.slice(-22)) &&
        RESOURCE_ONLY_BEFORE_RE.test(before.slice(-50))) ||
      (unit === 'count' && u?.noun === 'lines') ||
      // metrics-1.15.0: "(12-16x speedup at 128K context)", "reducing KV memory by 25% at 64K context length": the
      // context length a result is given at is its condition (dev-4, dev-10), not the size of the setup
      (unit === 'tokens' &&
        /\b(?:at|under|for)\s+(?:a\s+|an?\s+)?(?:up to\s+)?$/i.test(before.slice(-14)) &&
        /^[\s-]*(?:tokens?\s+(?:of\s+)?)?context\b/i.test(after)) ||
      // metrics-1.15.0: "with merely 10K samples", "with only 500 labelled images": the training data a result is
      // reached with (GUIDE, held-out-6 adjudication; "with only 10.8M trainable parameters" stays a size)
      // (metrics-1.17.0: whatever is counted — "with only 50 projections", "with only four vision tokens", "fine-tuned
      // on only 2k pairs", "from only 7 clips": "only" after the preposition that introduces what a result is reached
      // with or from says it is the little the method needs, a condition of the result)
      (unit === 'count' &&
        /\b(?:with|on|from)\s+(?:only|merely|just|as few as)\s+(?:about\s+|around\s+|~\s*)?$/i.test(
          before.slice(-30),
        ))
    )
      return build(text, d, start, {
        unit,
        unitText,
        category: 'result',
        kind: 'other',
        metric: null,
        improvement: null,
        qualifier,
        before,
        after,
      });
    if (!changeCue || unit === 'count') {
      const noun = u?.noun ?? '';
      // "four dialogue scenarios" are the breadth of an evaluation, "144 enterprise agent scenarios" its items
      // (metrics-1.15.0: "more than 10,000 subjects", "253 rated games", "960 configurations", "15,692 parallel corpora":
      // from a hundred on, a breadth noun counts people or items, not subjects of study, games played on or settings
      // compared; "400 tasks", "236 countries", "300+ controlled experiments" stay the breadth of the evaluation)
      const items = noun === 'scenarios' ? d.value >= 20 : d.value >= 100 && !BREADTH_AT_ANY_SCALE.has(noun);
      kind =
        unit === 'count' &&
        SCOPE_NOUNS.has(noun) &&
        !items &&
        !healthConditions(noun, text.slice(start, start + 80))
          ? 'scope'
          : 'size';
      return buildSetup(text, d, start, { unit, unitText, kind, qualifier, before, after });
    }
  }
  // metrics-1.17.0: "collected over eight years", "spanning more than 36 years": a span of months or years with no
  // metric in its clause is read as durations are (the length of the data, or how long a method takes), not as a
  // physical measurement ("a mean absolute error of 7.48 years" names its metric and stays a level)
  // ("over the last 43 years" is the background's time: it stays as it was read)
  const longSpan =
    unit === 'other' &&
    unitText !== null &&
    LONG_SPAN_UNITS.test(unitText) &&
    metric === null &&
    !/\b(?:past|last|next|coming|recent|previous)\s+$/i.test(before.slice(-14));
  if (unit === 'other' && unitText && !TIME_UNITS.has(unitText) && !longSpan && !currency) {
    // a physical measurement (2617.4 m, 17 mg): reported as found
    // a rate unit names its own metric ("10 frames per second" -> throughput)
    // (metrics-1.15.0: "88% attack success rate at distances greater than 25m": a metric that is a share or a score
    // without unit, read from the clause, is not what an amount in metres measures)
    const unitMetric =
      canonicalMetric(unitText) ?? (metric !== null && UNITLESS_METRICS.has(metric) ? null : metric);
    // "increases PSNR by +0.27 dB", "+0.29 dB": a change by a physical amount ("−18 °C" is a value)
    // ">10 dB higher PSNR", "5 ms lower latency": a comparative right after the amount says it is a change
    // ("average improvements of 0.96 dB PSNR": a change noun with "of" introduces the amount)
    const change =
      // (metrics-1.18.0: "reduced by approximately 1.5 m": any qualifier of an amount)
      /(?:\bby\s+(?:up to\s+|about\s+|over\s+|nearly\s+|approximately\s+|around\s+|roughly\s+|almost\s+|more than\s+|~\s*)?[+−-]?|(?:^|[\s(])\+)$/.test(
        before,
      ) ||
      /\b(?:gains?|improvements?|increases?|reductions?|decreases?|drops?)\s+of\s+(?:up to\s+|about\s+|around\s+)?$/i.test(
        before.slice(-40),
      ) ||
      AFTER_IMPROVE.test(keptAfter) ||
      AFTER_REDUCE.test(keptAfter)
        ? resultKind(unit, keptBefore, keptAfter, false).kind
        : null;
    // "a mean absolute error (MAE) of 7.48 years", "5.07 years MAE": the amount a named metric takes is a level
    // (metrics-1.18.0: "root mean square errors (RMSEs) of 2.54 m and 5.75 m": the amounts listed after the first take
    // its reading)
    const namedLevel =
      unitMetric !== null &&
      (metricRightBefore(keptBefore) !== null ||
        metricAt(keptAfter) !== null ||
        levelListBefore(keptBefore, unitText) ||
        // (metrics-1.18.0: "mean trajectory errors below 1.1 mm", "RMSEs as low as 0.073 N": a bound on a named level)
        (BOUND_END_RE.test(keptBefore) && metricRightBefore(keptBefore.replace(BOUND_END_RE, ' ')) !== null));
    return build(text, d, start, {
      unit,
      unitText,
      category: 'result',
      kind:
        change === 'relative_improvement' || change === 'reduction' || change === 'speedup'
          ? change
          : d.baseline ||
              (!scoreAtBefore(before, after) &&
                (namedLevel ||
                  (unitMetric !== null && RESULT_VERB_RE.test(keptBefore.slice(-60))) ||
                  // "running at 11 FPS", "processing 165 frames per second", "at 162G FLOPs": a rate or compute unit
                  // names its own metric, and the amount is the level the method reaches
                  rateLevel(unitText, before, after)))
            ? 'absolute_score'
            : 'other',
      metric: unitMetric,
      improvement: null,
      qualifier,
      before,
      after,
    });
  }
  // metrics-1.18.0: "within 100 GPU hours of training": a time unit that is a metric's own name ("GPU hours") names it
  if (unit === 'other' && unitText && canonicalMetric(unitText) !== null) metric = canonicalMetric(unitText);
  const category: ClaimCategory = 'result';
  const decision = resultKind(unit, keptBefore, keptAfter, d.baseline !== null, d.low !== null);
  kind = decision.kind;
  if (DELTA_BEFORE_RE.test(before.slice(-12))) kind = 'relative_improvement';
  // "at 7.2x speed-up, with …", "under a $\times5.04$ FLOPs reduction on FLUX, it …": an operating point a result is
  // given at is a condition, whatever its change noun says ("caps at a 21% acceleration ceiling" is not one, nor
  // "at 2 to 3 times lower compute")
  if (
    (kind === 'speedup' || kind === 'reduction' || kind === 'retention') &&
    OPERATING_POINT_BEFORE_RE.test(before.slice(-40)) &&
    OPERATING_POINT_AFTER_RE.test(after.slice(0, 60))
  )
    kind = 'other';
  // "hallucinations occurred in 6.5% of responses": a share of the data that a named metric counts is a rate
  // "fine-tuning only 40% of the model parameters", "updating at most 1.49% of parameters": a share of the model's
  // weights that a method touches is a condition of it, not the size of the model nor a score
  const shareOfWeights =
    unit === '%' &&
    (kind === 'other' || kind === 'absolute_score') &&
    !d.baseline &&
    SHARE_OF_WEIGHTS_AFTER_RE.test(keptAfter);
  if (shareOfWeights) kind = 'other';
  else if (kind === 'other' && metric !== null && AFTER_SHARE_OF_DATA.test(keptAfter))
    kind = 'absolute_score';
  if (
    unit === '%' &&
    (kind === 'relative_improvement' || kind === 'reduction') &&
    ABSOLUTE_CHANGE_RE.test(before)
  )
    unit = 'pp';
  // metrics-1.30.0: "Inference requires 15 ms on a GPU and 322 ms on a CPU", "training takes about 6 hours", "less than
  // 24 hours to train": the time a stage of the method takes is that stage's time, the level the method reaches
  const stage =
    unit === 'other' &&
    unitText &&
    TIME_UNITS.has(unitText) &&
    !d.baseline &&
    (kind === 'other' || kind === 'absolute_score')
      ? stageTimeMetric(before, after)
      : null;
  if (stage !== null) {
    kind = 'absolute_score';
    metric = stage;
  }
  // a speed-up is of speed: a metric read from the clause only counts when it is a time or a rate
  // (metrics-1.30.0: "costs 3x less compute … and is 2.5x faster": the measure another value's own phrase names is that
  // value's; a speed-up whose own words name none takes none, not the compute the clause before it cut)
  const kindMetric =
    kind === 'speedup' &&
    metric &&
    SPEED_METRICS.has(metric) &&
    !OWN_SPEED_NOUN_AFTER_RE.test(keptAfter) &&
    namedByPreviousValue(keptBefore, metric)
      ? null
      : kind === 'speedup' && metric && !SPEED_METRICS.has(metric)
        ? findMetric(keptBefore, keptAfter, SPEED_METRICS)
        : metric;
  if (unit === 'other' && kind === 'relative_improvement' && !/\bby\s*$/.test(before))
    kind = 'absolute_score';
  // metrics-1.15.0: "with only 1 hour of fine-tuning": what is left of a reference is a share or a multiple, so an
  // amount in a time or physical unit is never a retention; with "only" it is what the method needs (a condition)
  if (unit === 'other' && kind === 'retention') kind = 'other';
  const scoreAt = !d.baseline && scoreAtBefore(before, after);
  const neededOnly =
    unit === 'other' &&
    kind === 'other' &&
    /\b(?:with|in|on)\s+(?:only|just|merely)\s+$/i.test(before.slice(-20));
  // metrics-1.18.0: "a worst-case total latency of 4.5 ms", "with inference times under 20 ms": a time that a time
  // metric named right before it takes is the level the method reaches
  if (
    unit === 'other' &&
    unitText &&
    TIME_UNITS.has(unitText) &&
    kind === 'other' &&
    metric !== null &&
    TIME_LEVEL_METRICS.has(metric) &&
    TIME_LEVEL_BEFORE_RE.test(before.slice(-60))
  )
    kind = 'absolute_score';
  if (
    unit === 'other' &&
    unitText &&
    (TIME_UNITS.has(unitText) || longSpan) &&
    kind === 'other' &&
    !metric &&
    // "in just 3-5 minutes", "under 10 minutes per square kilometer", "estimated to require 470 hours": how long the
    // method (or its alternative) takes is a result, not the length of the data
    // ("grounded in 28.1 hours of screen recordings" is data)
    !(DURATION_TAKEN_BEFORE_RE.test(before.slice(-40)) && !/^\s*of\b/.test(after)) &&
    !neededOnly &&
    !scoreAt
  ) {
    return buildSetup(text, d, start, { unit, unitText, kind: 'size', qualifier, before, after });
  }
  // ("while occupying 30 MB of memory": the amount of a measure a method itself takes is the level it reaches, unless
  // a preposition makes it a condition — "at 2 GB of memory", "with only 4 GB of memory")
  if (
    ofMetric !== null &&
    kind === 'other' &&
    !/\b(?:at|under|with|using|within|for)\s+(?:only\s+|just\s+|about\s+|around\s+|~\s*)?$/i.test(
      before.slice(-24),
    )
  )
    kind = 'absolute_score';
  if (scoreAt && (kind === 'absolute_score' || kind === 'other')) kind = 'other';
  const improvement = improvementOf(kind, decision.explicitBetter, kindMetric, d.value, d.baseline);
  // metrics-1.14.0: "capture 93% of joint-position energy", "dominates 78.6% of latency": a share a part makes up of
  // a measured whole is no level of that measure
  const composition =
    unit === '%' &&
    kind === 'other' &&
    (SHARE_OF_PARTS.test(keptAfter) || COMPOSITION_BEFORE_RE.test(before.slice(-90)));
  // metrics-1.30.0: "when combined with 10 percent of the corpus", "using 30% of the labels": a share of the data a
  // result is reached with is a condition that measures nothing — a metric the clause names is the result's
  const conditionShare =
    unit === '%' &&
    (kind === 'other' || kind === 'absolute_score') &&
    !d.baseline &&
    CONDITION_SHARE_BEFORE_RE.test(before.slice(-30)) &&
    CONDITION_SHARE_AFTER_RE.test(keptAfter) &&
    metricAt(keptAfter) === null;
  if (conditionShare) {
    kind = 'other';
    ownHeadRead = true;
  }
  const claim = build(text, d, start, {
    unit,
    unitText,
    category,
    kind,
    metric: shareOfWeights || composition || conditionShare || scorerOwn ? null : kindMetric,
    improvement: conditionShare ? null : improvement,
    qualifier,
    before,
    after,
  });
  // (the stage a time measures decided its kind: the learned correction, trained before this rule, reads such times as
  // conditions)
  if (stage !== null || conditionShare || (scoreAt && kind === 'other')) KIND_DECIDED.add(claim);
  return claim;
}

const CHANGED_TO_BEFORE_RE =
  /\b(?:increas|rais|improv|boost|lift|push|reduc|lower|decreas|cut|drop)\w*\s+(?:its\s+|the\s+|their\s+)?(?:[^\s.;,()]+\s+){1,6}?to\s+(?:(?:about|around|approximately|roughly|only|just)\s+|~\s*)?\$?$/i;
// ("we raise the sampling temperature to 0.7": a setting the authors move is no result)
const SETTING_CHANGED_TO_RE =
  /\b(?:temperatures?|learning rates?|thresholds?|weight decay|dropout|ratios?|rank|lambda|alpha|beta|momentum|top-?[pk]|sizes?|budgets?|scales?|coefficients?|weights?|probabilit(?:y|ies))\b[^.;,()]{0,30}\bto\s+[^.;,()]{0,20}$/i;
const CONDITION_SHARE_BEFORE_RE = /\b(?:with|using|from|given)\s+(?:only\s+|just\s+|merely\s+|even\s+)?$/i;
const CONDITION_SHARE_AFTER_RE =
  /^\s*(?:of\s+(?:the\s+|its\s+|their\s+)?(?:[\w-]+\s+){0,2}?(?:[A-Z][\w-]*|data|labels?|annotations?|samples|examples|training\s+\w+|corpus|dataset)\b|(?:[\w-]+\s+)?(?:data|labels|annotations|samples|supervision)\b)/;
const STAGE_TIME_BEFORE_RE =
  /\b(inference|decoding|prediction|generation|(?:pre-?|fine-?)?training)\s+(?:(?:on|per|with)\s+(?:an?\s+|one\s+|each\s+)?[\w-]+\s+)?(?:requires|required|takes|took|needs|needed|lasts|completes in|finishes in|runs in)\s+(?:(?:only|just|about|around|approximately|roughly|less than|under|~)\s*)?(?:\d[\d.,]*\s*[A-Za-z]+\s+(?:on|per|with|for)\s+(?:an?\s+|the\s+)?[\w-]+\s*,?\s*(?:and|or)\s+)?$/i;
const TO_TRAIN_AFTER_RE =
  /^\s+(?:of\s+[\w-]+\s+)?(?:to|for)\s+(?:train|training|fine-?tune|fine-?tuning|pre-?train|pre-?training)\b/i;
function stageTimeMetric(before: string, after: string): string | null {
  const m = STAGE_TIME_BEFORE_RE.exec(before.slice(-120));
  if (m) return /train/i.test(m[1]) ? 'training time' : 'inference time';
  return TO_TRAIN_AFTER_RE.test(after) ? 'training time' : null;
}

// (also "achieving a reduction factor of 10.81", "a speed-up factor of 3")
const BOUND_END_RE = /\s+(?:below|under|as low as|less than|lower than|of less than|of under|of only)\s+$/i;
const TIME_LEVEL_METRICS = new Set(['latency', 'inference time', 'training time']);
const TIME_LEVEL_BEFORE_RE =
  /\b(?:latency|latencies|times?|runtimes?|TTFT|time-to-first-token)\s+(?:(?:of|is|was|are|were|under|below|within|as low as|of only|of about|around|about)\s+)*(?:~\s*)?$/i;
const FACTOR_OF_BEFORE_RE =
  /(?:\bby\s+(?:a\s+)?|\b(?:reduction|speed-?up|compression|acceleration|improvement)\s+)factors?\s+of\s+(?:about\s+|approximately\s+|around\s+|roughly\s+|nearly\s+|over\s+|more than\s+|up to\s+|~\s*)?$/i;
const LENGTH_UNITS =
  /^(?:m|cm|mm|km|nm|meters?|metres?|centimeters?|millimeters?|kilometers?|arc-?sec(?:onds?)?|degrees?|°|\{\\deg\}|\$\^\{?\\circ\}?\$)$/i;
const RESOLUTION_AFTER_RE =
  /^\s*(?:\)\s*)?(?:-\s*)?(?:(?:spatial|ground|pixel|grid|horizontal|vertical|native)\s+)?(?:resolution|ground sample distance|GSD\b|per\s+pixel|\/\s*pixel|pixel\s+size)/i;

/** "of 2.54 m and 5.75 m": an amount listed after a first amount in the same unit that a named metric takes. */
function levelListBefore(before: string, unitText: string): boolean {
  const tail = before.slice(-60);
  const esc = unitText.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return (
    new RegExp(
      `\\bof\\s+(?:about\\s+|approximately\\s+|around\\s+|~\\s*)?\\d[\\d.,]*\\s*${esc}\\s*(?:,\\s*\\d[\\d.,]*\\s*${esc}\\s*)*(?:,\\s*)?(?:and\\s+)?$`,
    ).test(tail) &&
    metricRightBefore(tail.replace(/\d[\d.,]*\s*\S+\s*(?:,\s*|and\s+)*$/, '').replace(/\s+$/, ' ')) !== null
  );
}

// metrics that are shares, ratios or scores: no amount in a physical unit measures them
const UNITLESS_METRICS = new Set([
  'accuracy',
  'balanced accuracy',
  'f1',
  'precision',
  'recall',
  'auc',
  'map',
  'miou',
  'ndcg',
  'mrr',
  'success rate',
  'attack success rate',
  'pass@k',
  'win rate',
  'hallucination rate',
  'false positive rate',
  'em',
  'bleu',
  'rouge',
  'meteor',
  'cider',
  'ssim',
  'wer',
  'cer',
]);

// metrics-1.33.0: "reaches 78.3% top-1 accuracy at 0.9 GFLOPs", "0.76 macro-F1 at 72.3% coverage", "75% at ~6s",
// "units as short as 160 ms at 25 fps": a value written right after "at" that follows a score or a time of the same
// clause is the operating point that score is reported at (GUIDE, dev-9 adjudication: result/other, keeping the metric
// it names), not a level the method reaches ("runs at 16 FPS" has no score before it and stays a level; "below 10% and
// overlap at 16-27%" joins two levels)
// metrics-1.34.0: a bare decimal is a score only with the measure it scores ("0.76 macro-F1 at"), not with any unit word
// ("reaches 2.5 bpw at 90.1%": the 90.1% is the level, the bits per weight its setting); and a value after "at" that
// names the same measure as the score before it is a second level of that measure, not the point it is read at
// ("88.6% top-1 at about 70% pointing accuracy")
const SCORE_AT_BEFORE_RE =
  /(?:^|[\s(])(?:(\d+\.\d+)|\d+(?:\.\d+)?\s*(?:\\?%|percent\b|ms\b|s\b))((?:\s+(?!(?:and|or|but|while|whereas|than|to|from|vs)\b)[A-Za-z][\w@.-]*){0,3})\s+at\s+(?:(?:about|around|approximately|roughly)\s+|~\s*|\$?\\sim\$?\s*)?\$?\s*$/i;
/** Whether `before` ends with "<score> [measure] at [about]" (SCORE_AT_BEFORE_RE), tested only when an "at" is near its
 * end, and the value (`after` follows it) is the point that score is read at. */
function scoreAtBefore(before: string, after: string): boolean {
  const tail = before.slice(-70);
  const at = tail.toLowerCase().lastIndexOf('at ');
  const m = at >= 0 && tail.length - at <= 24 ? SCORE_AT_BEFORE_RE.exec(tail) : null;
  if (m === null) return false;
  // (a bare decimal's measure may come before it: "a recall of more than 0.93 at", "accuracy from 1.00 to 0.00 at")
  const scored = metricHits(
    m[1] !== undefined && metricHits(m[2]).length === 0 ? tail.slice(0, m.index) + m[2] : m[2],
  );
  if (m[1] !== undefined && scored.length === 0) return false;
  if (scored.length === 0) return true;
  const own = metricHits(after.slice(0, 32).split(/[,;()]/)[0]);
  return !(own.length > 0 && own[0].name === scored[0].name);
}
// metrics-1.34.0: "three major health conditions", "13 CheXpert conditions": medical conditions are the classes a model
// tells apart (GUIDE: "13 diet-related health conditions" are a size), unlike the conditions an evaluation is run under
const HEALTH_CONDITIONS_RE =
  /^[^.;:,]{0,40}?(?:\b(?:health|medical|clinical|disease|chronic|cardiac|cardiovascular|skin|mental|psychiatric|neurological|thoracic|chest|ocular|retinal|pulmonary|CheXpert)\b)[^.;:,]{0,24}?\bconditions\b/i;
const healthConditions = (noun: string, span: string): boolean =>
  noun === 'conditions' && HEALTH_CONDITIONS_RE.test(span);
// "requires 30 FPS input", "below 5 GFLOPs": a rate asked for or bounded, not reached
const RATE_CONDITION_BEFORE_RE =
  /\b(?:requir\w*|need\w*|target\w*|budget\w*|below|under|than|exceed\w*|input|captured)\s+(?:at\s+|of\s+)?(?:about\s+|around\s+|~\s*)?$/i;

/** A throughput or compute amount (its unit names a metric) reported as reached, not required. */
function rateLevel(unitText: string, before: string, after: string): boolean {
  return (
    canonicalMetric(unitText) !== null &&
    !RATE_CONDITION_BEFORE_RE.test(before.slice(-40)) &&
    // "1 fps input sources", "30 FPS video": the rate of what goes in
    !RATE_CONDITION_AFTER_RE.test(after)
  );
}
const RATE_CONDITION_AFTER_RE =
  /^\s*(?:\([^()]{0,12}\)\s*)?(?:inputs?|videos?|streams?|sampling|frames?|footage)\b/i;

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

const SHORT_DURATION_MODIFIER_RE = /-(?:seconds?|minutes?|sec|min)$/;
const DIAGNOSTIC_RATE_BEFORE_RE = /\b(specificity|sensitivity)\s*(?:of\s+|=\s*|:\s*)?$/i;
const ITEM_RATE_TEXT_RE =
  /^\s(?:[a-z][a-z-]+\s)?[a-z][a-z-]{2,}s\s(?:per|\/)\s?(?:second|sec|minute|min|hour|hr)$/;
const ITEM_RATE_PER_RE = /\s(?:per|\/)\s?\w+$/;
const ANGLE_UNIT_RE = /^\s?(?:°|\{\\deg\}|\$\^\{?\\circ\}?\$)$/;
const YEAR_NUMBER_RE = /^(?:19[5-9]\d|20[0-4]\d)$/;
const LISTED_NOUNS: ReadonlySet<string> = new Set([...SCOPE_NOUNS, ...SIZE_NOUNS]);
const SLASH_SECOND_BEFORE_RE = /\d\s?(?:\\?%|pp|p\.p\.|points?)\s*\/\s*\+?$/;
const STEPS_CONDITION_BEFORE_RE =
  /(?:\b(?:at|after|within)\s+(?:only\s+|just\s+|about\s+|around\s+|~\s*)?|\bas few as\s+)$/i;
const COORDINATED_COUNT_AFTER_RE = /^\s+[a-z][a-z-]{3,}\s+and\s+\d[\d,]*(?=\s+[a-z])/;
// (and a list of settings or of the model's parts is no list of counts: "3 or 4 orders of magnitude", "20 and 50 epochs",
// "10, 15, 20, and 25 neurons")
const SIZE_NOUN_RE =
  /^(?:tokens?|parameters?|params|weights|bytes|[KMGT]B|orders?|times|folds?|epochs?|layers?|neurons?|units?|heads?|channels?|filters?|dimensions?|bits?|seeds?|iterations?|steps?)$/i;
const COUNT_LIST_AFTER_RE = /^(?:,\s*\d{1,6}(?![\d.%]))*,?\s+(?:and|or)\s+\d{1,6}(?=\s+[a-z])/;
const OF_MEASURE_AFTER_RE = /^\s+of\s+(?:the\s+|its\s+|their\s+)?((?:[\w-]+\s+){0,2}[\w-]+)/;
// metrics-1.23.0: watt-hours ("kWh", "mWh") measure energy consumed
const WATT_HOURS_RE = /^\s*[mkMGT]?Wh$/;
const MONEY_METRICS = new Set(['cost', 'training time', 'inference time', 'compute', 'energy']);
const LONG_SPAN_UNITS = /^(?:months?|years?|yrs?|decades?)$/;
// the units a number word may take besides counts, shares and multipliers (metrics-1.17.0)
const DURATION_UNITS = /^(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?)$/;
const STEPS_AFTER_RE =
  /^\s+(?:(?:training|optimi[sz]ation|gradient|update|denoising|sampling|inference|decoding|reasoning|thinking|RL)\s+)?steps?\b/i;
const BREADTH_AT_ANY_SCALE = new Set([
  'tasks',
  'subtasks',
  'sub-tasks',
  'countries',
  'cities',
  'counties',
  'experiments',
  'ablations',
  'languages',
  'datasets',
  'benchmarks',
  'domains',
  'models',
  'llms',
  'environments',
]);
// a GPU or TPU model right after the multiplier sign ("H20", "A100", "V100", "L40S", "RTX 4090", "TPU v4"); not a
// measure named after the device (metrics-1.28.0: "an 8x GPU memory reduction", "4x TPU hours" are multipliers)
const HARDWARE_AFTER_RE =
  /^\s*(?:NVIDIA\s+)?(?:[AHVLB]\d{1,4}[A-Z]?\b|RTX\s?\d{4}|MI\d{3}X?\b|TPUs?\b|GPUs?\b|Ascend\b)(?![\s-]*(?:memory|VRAM|RAM|hours?|days?|time|utili[sz]ation|usage|costs?|consumption|footprint|budget|energy|power)\b)/;

// metrics-1.14.0: "achieves 68.1 on A and 73.3 on B": a decimal coordinated with a decimal said of a name before it,
// and said of a name itself, is a score as the first is
const COORDINATED_ON_RE =
  /\d\.\d+\s+(?:on|for)\s+[^\s,;.()]+(?:\s+[^\s,;.()]+){0,2}(?:,\s*(?:and\s+)?|\s+and\s+)$/;
// "improves the state of the art to 8.079", "lifting average performance by 4.18 over the base model": a decimal a
// change verb moves performance, a score or the state of the art to (or by)
const PERFORMANCE_TO_RE =
  /\b(?:improv|rais|lift|boost|increas|elevat|push)\w*\s+(?:the\s+|its\s+|their\s+)?(?:[\w-]+\s+){0,2}(?:performance|scores?|state of the art|results?)\s+(?:to|by)\s+$/i;

const SCORES_OF_BEFORE_RE = /\b(?:scores|ratings)\s+of\s+\d\.\d+\s+for\s/i;

// (an explicit sign right before a bare number)
const SIGN_END_RE = /(?:^|[\s(])[+−-]$/;

/** The cues that make a bare number a score whatever metric the clause names (or none). */
function plainScoreCue(text: string, d: Draft, rawBefore: string): boolean {
  // metrics-1.31.0: "achieves an AUC greater than \\(0.8\\)": the math that opens right before the value is read as a
  // space (the cues end in a word)
  const before =
    (rawBefore.endsWith('$') || rawBefore.endsWith('$ ')) &&
    MATH_CLOSE_START_RE.test(text.slice(d.end, d.end + 4))
      ? rawBefore.replace(MATH_OPEN_END_RE, ' ')
      : rawBefore;
  return (
    assignedMetric(text, d.start) !== null ||
    metricRightBefore(before) !== null ||
    /\b(?:gains?|improvements?|increases?|drops?|reductions?|decreases?) of\s*\+?$/i.test(
      before.slice(-30),
    ) ||
    // "beats X by +28 points and Y by +20": a signed margin
    /\bby\s+\+$/.test(before.slice(-6)) ||
    // "improved clip coherence scores (0.348)": a value in parentheses after the scores it gives
    /\bscores?\s*\(\s*$/i.test(before.slice(-12)) ||
    DELTA_BEFORE_RE.test(before.slice(-12)) ||
    RESULT_VERB_RE.test(before.slice(-60)) ||
    RESULT_VERB_OF_RE.test(before.slice(-70)) ||
    // metrics-1.36.0: "correlations between algorithmic and human rankings were 0.45", "the proportion of agreement
    // … was 0.7", "answer completeness averages 0.40": a decimal an agreement, correlation or similarity measure the
    // table does not list is said to be (in words, not "r = 0.41") is its score
    (/\d\.\d/.test(text.slice(d.start, d.end)) && d.value <= 1 && agreementIs(before))
  );
}

/** "… were 0.45" or "… were 0.45 and" before the value (the second of a pair takes the first's measure). */
function agreementIs(before: string): boolean {
  if (AGREEMENT_IS_BEFORE_RE.test(before.slice(-80))) return true;
  const pair = /\d\.\d+\s*(?:,\s*(?:and\s+)?|\band\s+)$/.exec(before.slice(-20));
  return (
    pair !== null && AGREEMENT_IS_BEFORE_RE.test(before.slice(0, before.length - pair[0].length).slice(-80))
  );
}

const AGREEMENT_IS_BEFORE_RE =
  /\b(?:correlations?|agreement|similarit(?:y|ies)|kappa|completeness|faithfulness)\b(?:(?![.;:()=<>]|\bthreshold|\bwhen\b|\bif\b)[^\d]){0,50}?\b(?:was|were|is|are|averages?|averaged|reached|reaches)\s+(?:about|around|approximately|only|nearly|roughly)?\s*$/i;

/** The cues that make a bare number a score when the clause names a metric: the metric's name right after it, or a
 * word that links the name to the value right before it. */
function metricScoreCue(before: string, after: string): boolean {
  return (
    findMetric('', after.slice(0, 25)) !== null ||
    // (metrics-1.31.0: "the AUC is above 0.8", "an AUC greater than \\(0.8\\)": a bound the level is stated with, and
    // the math that opens before the value)
    // (metrics-1.36.0: "same-dataset AUC averages 0.704")
    /\b(?:of|at|to|is|was|are|were|remains?|stays?|reaches|reaching|achieves|achieving|scores?|scoring|averages|averaged|averaging|with|by|=|:)\s*(?:about|around|~|only|just|over|nearly|up to|above|greater than|higher than|more than|exceeding|at least|below|lower than|less than|under)?\s*$/i.test(
      // ("a mean average precision of $\sim$0.83", "macro $F_1$ $\geq$ 0.796": a math qualifier is "about")
      (MATH_CLOSE_START_RE.test(after) ? before.replace(MATH_OPEN_END_RE, ' ') : before)
        .slice(-32)
        .replace(MATH_QUALIFIER_END_RE, ' about '),
    )
  );
}

function bareScoreCue(text: string, d: Draft, before: string, after: string): boolean {
  if (!/\./.test(text.slice(d.start, d.end))) return false; // a cheap test first: decimals only
  return (
    (COORDINATED_ON_RE.test(before.slice(-60)) && /^\s+(?:on|for)\s+[A-Z]/.test(after)) ||
    // metrics-1.18.0: "mean scores of 4.83 for relevance, 4.89 for routing, …": a list of scores, each for the aspect it
    // rates, after the scores it opens
    (COORDINATED_ON_RE.test(before.slice(-60)) &&
      /^\s+for\s+[a-z]/.test(after) &&
      SCORES_OF_BEFORE_RE.test(before.slice(-200))) ||
    PERFORMANCE_TO_RE.test(before.slice(-70))
  );
}

/** A count the paper finds or a result holds under (devices, steps, parts of a whole): result/other, no metric. */
function countFound(text: string, d: Draft, start: number, before: string, after: string): Claim {
  return build(text, d, start, {
    unit: 'count',
    unitText: null,
    category: 'result',
    kind: 'other',
    metric: null,
    improvement: null,
    qualifier: null,
    before,
    after,
  });
}

/** A claim about how the work was set up (sizes, counts, durations): no metric, no direction. */
function buildSetup(
  text: string,
  d: Draft,
  start: number,
  p: Pick<Parts, 'unit' | 'unitText' | 'kind' | 'qualifier' | 'before' | 'after'>,
): Claim {
  // (the fields written out: an object spread here is a slow runtime call, ~100x the cost of a literal)
  return build(text, d, start, {
    unit: p.unit,
    unitText: p.unitText,
    category: 'setup',
    kind: p.kind,
    metric: null,
    improvement: null,
    qualifier: p.qualifier,
    before: p.before,
    after: p.after,
  });
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
