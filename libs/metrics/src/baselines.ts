// Phase 7 — baselines and coordination over the whole list of claims: comparison values become baselines,
// coordinated values share kind and metric, "(from A to B)" explains a relative claim.

import type { Claim, ClaimKind } from '@paperwire/contracts';
import {
  clauseAfter,
  clauseBefore,
  metricsInOrder,
  nameSlots,
  namesBeforeRespectively,
  namesRightAfter,
  respectiveSlots,
  OWN_NOUN_AFTER_RE,
  WINDOW_BEFORE,
} from './context';
import { labelMetric, metricDirection } from './metric-table';
import { metricAt } from './kind';
import { KIND_DECIDED } from './rivals';

// "85.2% accuracy, higher than GPT-4's 80.1%", "92% compared to 85% for LoRA", "F1 of 71 against SFT (65)":
// a value introduced by a comparison phrase after a claim is that claim's baseline, not a claim of its own.
export const COMPARISON_GAP_RE = new RegExp(
  '^(?:[^.;]|\\.(?=\\d))*?(?:\\b(?:higher|better|lower|worse|faster|slower) than|\\bcompared (?:to|with)|\\brelative to|\\bversus|\\bvs\\.?|\\bagainst|\\bover|\\b(?:below|above)(?=\\s+the\\b))' +
    "((?:\\s+(?!and\\b|by\\b|or\\b|but\\b|while\\b|whereas\\b|on\\b|in\\b|to\\b|achiev|reach|obtain|improv|reduc)[\\w.'’-]+){0,4}?)" +
    "\\s*(?:['’]s\\s*|\\(\\s*(?:[\\w./-]{1,40}\\s*:\\s*)?|:\\s*|\\bof\\s+|\\bat\\s+|\\bwith\\s+|\\bthe\\s+|" +
    // (metrics-1.30.0: "compared to the baseline models that achieved 70.8% and 65.5%": the rivals' scores after a relative clause)
    '\\b(?:that|which|who)\\s+(?:achiev|reach|obtain|scor|record|attain)\\w*\\s+(?:an?\\s+\\w+\\s+of\\s+)?)?(?:only\\s+|just\\s+)?$',
  'i',
);

// "higher than VGG-19 (96.79%), Efficient-Net (97.29%), and VGG-16 (97.50%)": further competitors of a list
// ("… structural (F1: 0.08) and semantic methods (F1: 0.28)")
// (metrics-1.25.0: a list naming each rival after its value, "against 55% (ReAct) and 45% (Plan-and-Solve)")
const NEXT_COMPETITOR_GAP_RE =
  /^\s*(?:\)\s*(?:,\s*(?:and\s+)?|and\s+)[^\s(),.;][^(),.;]{0,30}\((?:\s*[A-Za-z][\w@-]{0,15}\s*[:=])?|,\s*(?:and\s+)?[^\s(),;:][^(),;:]{0,40}:|\(\s*[A-Za-z][^()]{0,39}\)\s*(?:,\s*(?:and\s+)?|and\s+))\s*$/;
// "outperforming ... SOTA forward-only FOA (58.13%)": a competitor's own score in parentheses
// ("outperforming the structural detector (F1: 0.08)": the score may carry its metric's name; "outperforming
// Gemini-2.5-Pro (46.2%)": a dot inside a name is no sentence end; "an improvement over the strongest open model
// (Nemotron-Terminal-32B, 40.9%)": the competitor's name may open the parenthesis)
// (metrics-1.18.0: "outperforms (Weighted F1: 0.67 $\\pm$ 0.01) the state-of-the-art methods such as finetuned
// Resnet-18 (Weighted F1: 0.44 $\\pm$ 0.16)": the method's own score in parentheses may come between, and the metric's
// name may take two words)
const COMPETITOR_SCORE_BEFORE_RE =
  /\b(?:outperform\w*|surpass\w*|beat(?:s|ing)?|exceed(?:s|ing|ed)?|(?:improvements?|gains?)\s+over)\s(?:\s*\([^()]{0,40}\)\s)?(?!\s*\()(?:[^.;()]|\.(?=\w)|\([^()]{0,40}\)){0,120}\(\s*(?:[A-Za-z][\w@-]{0,15}(?:\s[A-Za-z][\w@-]{0,15})?\s*[:=]\s*|[A-Za-z][\w@.-]{0,40}\s*,\s*)?$/i;
// "reaches 59.1%, outperforming the strongest CLI agent at 48.2%", "surpassing the previous AR result of 3.60": the
// competitor's own score, given after its name
const COMPETITOR_AT_GAP_RE =
  /^[^.;]{0,40}?\b(?:outperform\w*|surpass\w*)\s+(?:[\w.'’-]+\s+){1,7}?(?:at|of)\s+(?:only\s+|just\s+)?$/i;
// "surpassing the spatial-only model's 80.45% and the earlier method's 76%": competitors' own scores
const POSSESSIVE_COMPETITOR_GAP_RE =
  /^[^.;]{0,40}?\b(?:outperform\w*|surpass\w*|beat(?:s|ing)?|exceed(?:s|ing|ed)?)\s(?:[\w-]+\s){0,5}?[\w-]+['’]s\s*$/i;
const NEXT_POSSESSIVE_GAP_RE = /^\s*,?\s*(?:and\s+)?(?:[\w-]+\s){0,6}?[\w-]+['’]s\s*$/i;

// metrics-1.25.0: "exceeding both the histology baseline at 0.894 and …", "This outperforms both GPT-4o at 90.3% and
// …": a rival named after the verb of beating it, its score after "at" (the sentence's own subject may be a pronoun,
// so no claim of the method need come before), and the next rivals of its list
const AT_RIVAL_BEFORE_RE =
  /\b(?:outperform\w*|surpass\w*|exceed(?:s|ed|ing)?|beat(?:s|ing)?)\s+(?:both\s+|all\s+)?(?:(?!\d|by\b|and\b)[\w.'’-]+\s+){1,7}?at\s+(?:only\s+|just\s+)?$/i;
const NEXT_AT_RIVAL_GAP_RE =
  /^\s*,?\s*(?:and\s+)?(?:(?!\d|by\b)[\w.'’-]+\s+){1,7}?at\s+(?:only\s+|just\s+)?$/i;

/** Whether `d` is a rival's score given "at" after the verb that beats it, or the next of such a list. */
function isAtRivalScore(text: string, d: Claim, lastRivalEnd: number): boolean {
  // (a rival's score ends its phrase: "surpassing X at 90% sparsity" is the condition they were compared at)
  if (
    d.category !== 'result' ||
    d.baseline ||
    d.low !== null ||
    !/\bat\s+(?:only\s+|just\s+)?$/i.test(text.slice(Math.max(0, d.start - 12), d.start)) ||
    !/^\s*(?:[,.;)]|(?:and|or|respectively)\b|$)/.test(text.slice(d.end, d.end + 16))
  )
    return false;
  if (
    lastRivalEnd >= 0 &&
    d.start - lastRivalEnd <= 80 &&
    NEXT_AT_RIVAL_GAP_RE.test(text.slice(lastRivalEnd, d.start))
  )
    return true;
  const lead = text.slice(Math.max(0, d.start - 120), d.start);
  return AT_RIVAL_BEFORE_RE.test(lead.slice(lead.search(/[^.;]*$/)));
}

const SPREAD_THEN_CLOSE_RE = /^\s*\$?\s*(?:\+-|±|\+\/-|\\pm)\s*\$?\s*\d[\d.]*\s*\\?%?\s*\$?\s*\)/;

// metrics-1.26.0: "improves by 13.07% over the strongest baseline (61.30%)", "higher than the base model (48.2%)": the
// score in parentheses right after the reference a change is measured over is the reference's
const REFERENCE_PAREN_BEFORE_RE =
  /\b(?:over|than|compared (?:to|with)|relative to|against|versus|vs\.?)\s+(?:the\s+|a\s+|an\s+|its\s+|their\s+)?(?:[\w-]+\s+){0,3}?(?:baselines?|base models?|backbones?|vanilla models?)\s*\(\s*$/i;
function isCompetitorScore(text: string, d: Claim): boolean {
  return (
    d.category === 'result' &&
    !d.baseline &&
    (d.low === null
      ? // metrics-1.18.0: "outperforming the best protocol (13.8% +- 2.6%)": a spread may close the competitor's score
        /^\s*\)/.test(text.slice(d.end, d.end + 3)) ||
        SPREAD_THEN_CLOSE_RE.test(text.slice(d.end, d.end + 24)) ||
        // metrics-1.26.0: "outperforming X (20.29% pass@1 and 25.12% pass@2)": the first of the rival's own scores
        LABELLED_LIST_IN_PAREN_RE.test(text.slice(d.end, d.end + 60)) ||
        // metrics-1.30.0: "outperforming the prior solver (gap 0.3% and 0.6%, respectively)": the first of a rival's list
        RESPECTIVE_REST_IN_PAREN_RE.test(text.slice(d.end, d.end + 60)) ||
        // metrics-1.29.0: "outperformed both encoders (ModelA: 64%, ModelB-large: 69%)": the first of rivals' keyed scores
        (KEYED_REST_IN_PAREN_RE.test(text.slice(d.end, d.end + 90)) &&
          !namesMeasures(text.slice(Math.max(0, d.start - 32), d.end + 90)))
      : d.unit === 'score' && /^\s*(?:[A-Za-z][\w@-]{0,15}\s*)?\)/.test(text.slice(d.end, d.end + 20))) &&
    (COMPETITOR_SCORE_BEFORE_RE.test(text.slice(Math.max(0, d.start - 160), d.start)) ||
      // (metrics-1.30.0: "(gap 0.4% and 0.7%, respectively)": a rival's list of scores after the name of their measure)
      (d.low === null &&
        LABEL_IN_PAREN_BEFORE_RE.test(text.slice(Math.max(0, d.start - 24), d.start)) &&
        RESPECTIVE_REST_IN_PAREN_RE.test(text.slice(d.end, d.end + 60)) &&
        COMPETITOR_SCORE_BEFORE_RE.test(
          text.slice(Math.max(0, d.start - 160), d.start).replace(LABEL_IN_PAREN_BEFORE_RE, '('),
        )) ||
      // (metrics-1.29.0: and the keyed scores after it in the same parenthesis)
      keyedAfterCompetitor(text.slice(Math.max(0, d.start - 220), d.start)) ||
      (d.low === null && REFERENCE_PAREN_BEFORE_RE.test(text.slice(Math.max(0, d.start - 80), d.start)))) &&
    // ("outperform full-tile generation …, with the prompt achieving the best alignment (Burn IoU = 0.456)", "outperforms
    // X (AUC = 0.68) …, while combining both further improved performance (AUC = 0.79)": a result verb or a new clause
    // after the comparison makes the score the method's own)
    !OWN_RESULT_AFTER_COMPARISON_RE.test(text.slice(Math.max(0, d.start - 160), d.start))
  );
}
export const A_LEVEL_RATE_RE =
  /\b(?:a|an)\s+\$?[\d.]+\s*\\?%\$?\s+(?:[a-z][\w-]*\s+){0,3}?(?:rates?|ratios?)\b(?!\s+(?:reductions?|improvements?|gains?|increases?|decreases?|drops?|of\s+change)\b)/;
const KEYED_REST_IN_PAREN_RE =
  /^\s*\$?(?:\s*,\s*(?:and\s+)?[A-Za-z][\w@.-]{0,30}\s*:\s*\$?[\d.]+\s*\\?%?\$?){1,3}\s*\)/;
const KEYED_LIST_BEFORE_RE =
  /(?:\s*[A-Za-z][\w@.-]{0,30}\s*:\s*\$?[\d.]+\s*\\?%?\$?\s*,\s*(?:and\s+)?){1,3}[A-Za-z][\w@.-]{0,30}\s*:\s*\$?$/;
function keyedAfterCompetitor(lead: string): boolean {
  if (!lead.endsWith(':') && !/:\s*\$?$/.test(lead.slice(-4))) return false;
  const keyed = KEYED_LIST_BEFORE_RE.exec(lead);
  return (
    keyed !== null && !namesMeasures(keyed[0]) && COMPETITOR_SCORE_BEFORE_RE.test(lead.slice(0, keyed.index))
  );
}
// ("surpasses the prior best on X (Top-1: 55.1%, Top-5: 78.9%)": keys that name measures label the method's own scores)
const KEY_RE = /([A-Za-z][\w@.-]{0,30})\s*:/g;
const namesMeasures = (list: string): boolean =>
  [...list.matchAll(KEY_RE)].some((k) => labelMetric(k[1]) !== null || /^top-?\d/i.test(k[1]));
const LABEL_IN_PAREN_BEFORE_RE =
  /\(\s*(?!(?:by|up|about|over|nearly|around|only|just)\b)[A-Za-z][\w@-]{0,15}\s+\$?$/i;
const RESPECTIVE_REST_IN_PAREN_RE =
  /^\s*\$?(?:\s*(?:,\s*(?:and\s+)?|and\s+)\$?[\d.]+\s*\\?%?\$?){1,3}\s*(?:,\s*)?(?:respectively\s*)?\)/;
const LABELLED_LIST_IN_PAREN_RE =
  /^\s*[A-Za-z][\w@-]{0,15}\s*(?:,\s*(?:and\s+)?|and\s+)\$?[\d.]+\s*\\?%?\$?\s*[A-Za-z][\w@-]{0,15}\s*\)/;
const OWN_RESULT_AFTER_COMPARISON_RE =
  /\b(?:outperform\w*|surpass\w*|beat(?:s|ing)?|exceed(?:s|ing|ed)?|over)\b(?:[^.;]|\.(?=\d))*\b(?:achiev\w*|reach\w*|attain\w*|obtain\w*|improv\w*|while|whereas)\b[^.;()]*\([^()]*$/i;

// metrics-1.20.0: "the baseline score of 15.1", "compared to a baseline win rate of 31.1%", "their FP16 references of
// 97.1% and …", "the human performance of 38 m": a value a reference's noun phrase gives ("<reference> … of N") is the
// reference's score, a comparison, not the paper's claim ("improves over the baseline by an average of 30%" and "from
// a baseline of 48.6 to 58.94" keep theirs: a change or a range)
const REFERENCE_OF_BEFORE_RE =
  /\b(?:baselines?|references?|human performance)((?:\s+[\w-]+){0,3})\s+of\s+(?:only\s+|just\s+|about\s+|around\s+)?$/i;
const REFERENCE_COMPARED_BEFORE_RE =
  /\b(?:compared|than|below|above|surpass\w*|outperform\w*|exceed\w*|match\w*|approach\w*|versus|vs\.?|over|relative|against)\b[^.;]{0,40}$/i;
function isReferenceValue(text: string, d: Claim): boolean {
  if (d.category !== 'result' || d.baseline || d.low !== null) return false;
  // (cheap test first, in a bounded window: "of" within a few words before the value)
  if (!text.slice(Math.max(0, d.start - 24), d.start).includes('of ')) return false;
  const before = text.slice(Math.max(0, d.start - 100), d.start);
  const m = REFERENCE_OF_BEFORE_RE.exec(before);
  // (only in a comparison: "LMs such as X and Y achieve modest baseline scores of 31.3% and 29.1%" are their scores)
  return (
    m !== null &&
    !/\b(?:by|from|an?\s+average|average)\b/i.test(before.slice(Math.max(0, m.index - 14))) &&
    REFERENCE_COMPARED_BEFORE_RE.test(before.slice(0, m.index))
  );
}
// "compared with 80.1% for X and 82.9% for Y", "their references of 97.1% and 87.0%", "compared with 71.5% accuracy
// and 0.65 Macro-F1 for …": the values listed after an absorbed comparison value are comparisons too
const NEXT_COMPARED_GAP_RE =
  /^\s*(?:[\w@-]+\s+){0,2}?(?:(?:for|on|in|with)\s+[^.;,()]{1,40}?\s*)?(?:,\s*(?:and\s+)?|and\s+)$/i;

/** A reference's score (the claim before it takes it as its baseline) or a value listed after an absorbed one. */
function absorbReference(text: string, d: Claim, c: Claim | undefined, absorbedEnd: number): boolean {
  if (d.category !== 'result' || d.baseline) return false;
  if (isReferenceValue(text, d)) {
    if (c && !/[.;]\s/.test(text.slice(c.end, d.start)) && c.category === 'result' && !c.baseline && c.unit === d.unit)
      c.baseline = { value: d.value, text: d.text };
    return true;
  }
  return (
    absorbedEnd >= 0 &&
    d.start - absorbedEnd <= 60 &&
    (!c || absorbedEnd > c.end) &&
    NEXT_COMPARED_GAP_RE.test(text.slice(absorbedEnd, d.start))
  );
}

/** Whether a parenthesis opened within 80 characters before `at` is still open there. */
function openParenBefore(text: string, at: number): boolean {
  const w = text.slice(Math.max(0, at - 80), at);
  return w.lastIndexOf('(') > w.lastIndexOf(')');
}

export function absorbComparisonValues(text: string, claims: Claim[]): Claim[] {
  const out: Claim[] = [];
  // end of the last comparison value absorbed into the last claim kept
  let absorbedEnd = -1;
  // end of the last rival's score read "at" after a verb of beating it
  let rivalEnd = -1;
  // metrics-1.26.0: "Compared with the 61.30% baseline, our model improves by 13.07%": the reference's value, waiting for
  // the claim of its sentence it is the baseline of
  let pending: Claim | null = null;
  for (const d of claims) {
    let c = out[out.length - 1];
    if (pending !== null) {
      if (/[.;]\s/.test(text.slice(pending.end, d.start))) out.push(pending);
      else if (d.category === 'result' && d.unit === pending.unit && !d.baseline) {
        d.baseline = { value: pending.value, text: pending.text };
        absorbedEnd = pending.end;
      } else out.push(pending);
      pending = null;
    }
    if (isLeadingReference(text, d)) {
      pending = d;
      continue;
    }
    if (absorbReference(text, d, c, absorbedEnd)) {
      absorbedEnd = d.end;
      continue;
    }
    // metrics-1.26.0: "reaching 75.51% from 61.30%": the level a change started from, written after the level reached
    if (
      c &&
      c.category === 'result' &&
      d.category === 'result' &&
      c.kind === 'absolute_score' &&
      !c.baseline &&
      c.unit === d.unit &&
      d.low === null &&
      REACHED_FROM_GAP_RE.test(text.slice(c.end, d.start)) &&
      !/^\s*(?:to|and|-|–)\s/i.test(text.slice(d.end, d.end + 5))
    ) {
      c.baseline = { value: d.value, text: d.text };
      absorbedEnd = d.end;
      continue;
    }
    if (isAtRivalScore(text, d, rivalEnd)) {
      if (
        c &&
        c.category === 'result' &&
        !c.baseline &&
        c.unit === d.unit &&
        !/[.;]\s/.test(text.slice(c.end, d.start))
      )
        c.baseline = { value: d.value, text: d.text };
      rivalEnd = absorbedEnd = d.end;
      continue;
    }
    // "56.5% mAP at 162G FLOPs, compared to 53.6% at 198G": a comparison value is compared with the last claim
    // of its unit, past a condition in another unit
    const prev = out[out.length - 2];
    // metrics-1.17.0: "outperformed X by 28% (11.43 points)": the change restated in another unit is no competitor's
    const restating = c !== undefined && restates(text, c, d);
    if (c && prev && c.unit !== d.unit && prev.unit === d.unit && d.start - prev.end <= 80) c = prev;
    if (!restating && isCompetitorScore(text, d)) {
      const sameSentence = c && !/[.;]\s/.test(text.slice(c.end, d.start));
      if (c && sameSentence && c.category === 'result' && !c.baseline && c.unit === d.unit) {
        c.baseline = { value: d.value, text: d.text };
        absorbedEnd = d.end;
      } else if (
        LABELLED_LIST_IN_PAREN_RE.test(text.slice(d.end, d.end + 60)) ||
        RESPECTIVE_REST_IN_PAREN_RE.test(text.slice(d.end, d.end + 60))
      )
        absorbedEnd = d.end; // (its list's next)
      continue;
    }
    // (the rest of a rival's list in its parenthesis: "(gap 0.3% and 0.6%, respectively)")
    if (
      absorbedEnd >= 0 &&
      d.category === 'result' &&
      /^\s*\$?\s*(?:,\s*(?:and\s+)?|and\s+)\$?$/.test(text.slice(absorbedEnd, d.start)) &&
      /^\s*\$?\s*(?:,\s*)?(?:respectively\s*)?\)/.test(text.slice(d.end, d.end + 24)) &&
      openParenBefore(text, d.start)
    ) {
      absorbedEnd = d.end;
      continue;
    }
    // two results in one unit, the second with no baseline of its own: it may be the first one's comparison
    const comparable =
      c && c.category === 'result' && d.category === 'result' && c.unit === d.unit && !d.baseline;
    if (
      comparable &&
      absorbedEnd < c.end &&
      d.start - c.end <= 100 &&
      COMPETITOR_AT_GAP_RE.test(text.slice(c.end, d.start))
    ) {
      c.baseline ??= { value: d.value, text: d.text };
      absorbedEnd = d.end;
      continue;
    }
    if (comparable && /['’]s\s*$/.test(text.slice(Math.max(0, d.start - 4), d.start))) {
      const gap = text.slice(Math.max(c.end, absorbedEnd), d.start);
      const first = absorbedEnd < c.end && POSSESSIVE_COMPETITOR_GAP_RE.test(gap);
      if (first || (absorbedEnd > c.end && NEXT_POSSESSIVE_GAP_RE.test(gap) && gap.length <= 70)) {
        if (first && !c.baseline) c.baseline = { value: d.value, text: d.text };
        absorbedEnd = d.end;
        continue;
      }
    }
    if (
      c &&
      c.baseline &&
      absorbedEnd > c.end &&
      d.category === 'result' &&
      c.unit === d.unit &&
      !d.baseline &&
      NEXT_COMPETITOR_GAP_RE.test(text.slice(absorbedEnd, d.start))
    ) {
      absorbedEnd = d.end;
      continue;
    }
    if (
      c &&
      c.category === 'result' &&
      d.category === 'result' &&
      c.unit === d.unit &&
      (c.kind === 'absolute_score' || c.kind === d.kind) &&
      !c.baseline &&
      !d.baseline &&
      (d.start - c.end <= 80 ||
        (d.start - c.end <= 100 && /\(\s*[\w./-]{1,40}\s*:\s*$/.test(text.slice(c.end, d.start))))
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
        absorbedEnd = d.end;
        continue;
      }
    }
    out.push(d);
  }
  if (pending !== null) out.push(pending);
  return out.sort((a, b) => a.start - b.start);
}

const REACHED_FROM_GAP_RE = /^\s+(?:(?:accuracy|score|rate)\s+)?from\s+(?:an?\s+|the\s+)?(?:baseline\s+(?:of\s+)?)?\$?$/i;
const LEADING_REFERENCE_BEFORE_RE = /\b(?:compared (?:to|with)|relative to|against|over)\s+(?:the|a|an)\s+\$?$/i;
const LEADING_REFERENCE_AFTER_RE =
  /^\s*\$?\s*(?:[\w-]+\s+){0,2}?(?:baseline|base model|backbone|vanilla model)s?\s*,/i;
/** "Compared with the 61.30% baseline, …": a reference's value opening the sentence, before the claim it is compared to. */
function isLeadingReference(text: string, d: Claim): boolean {
  return (
    d.category === 'result' &&
    !d.baseline &&
    d.low === null &&
    LEADING_REFERENCE_BEFORE_RE.test(text.slice(Math.max(0, d.start - 30), d.start)) &&
    LEADING_REFERENCE_AFTER_RE.test(text.slice(d.end, d.end + 40))
  );
}

// "improves AP by 2.0% and 0.9%", "76.17 and 69.97% F-measure", "boost mIoU and accuracy by 1.4% and 8.2%
// respectively": values joined by "and" / "," share what the sentence says about them once.
// ("by 4-23%, 6-10%, and more than 50%": a qualifier on a listed value does not break the list)
export const COORD_SEP_RE =
  /^\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|\/\s*)(?:(?:up to|more than|over|about|nearly|around|almost|at least|averaging|even)\s+)?[+]?$/;
// ("gains ranging from 0.34 to 4.49 percentage points and averaging 2.03 points": the average of the list is in it)
// "by 3.31% on VBench and 3.58% on VMBench", "8.4% higher performance on Sport360, 2.5% on PVS-HM", "by 11.1% on
// source sites and 4.9% on the unseen site": values each followed by where they were measured still form one list
// ("68.1% on CNN/DailyMail and 52.6% on XSum"; "reduces 99% of attention computations and 53.9% of FLOPs": what each
// value is a share of)
// (metrics-1.18.0: "28% for 8B models and 40% for …" — a model size; "35.28% improvement in Acctask (task completion)
// and 23.27% in …" — a name glossed in parentheses)
// (metrics-1.26.0: a qualifier on the listed value, "by 32% on normal tasks and nearly 70% on hard tasks"; metrics-1.28.0:
// a name with its generic noun, "of 6% on the AirRib dataset and 17.5% on …")
export const COORD_ON_NAME_SEP_RE =
  /^\s*(?:[a-z][\w-]*\s+){0,2}?(?:on|in|for|of|over)\s+(?:the\s+)?(?:[A-Z][\w.+/-]*(?:[\s-][A-Z0-9][\w.+/-]*){0,2}(?:\s+(?:dataset|benchmark|set|split|subset|corpus|test set|leaderboard|test|val|validation|score|scores))?|[a-z][\w@-]*(?:\s+[a-z][\w@-]*){0,2}|\d[\d.]*[BMK]\s+[a-z][\w-]*)(?:\s*\([^()]{1,30}\))?\s*(?:,\s*(?:and\s+)?|and\s+)(?:(?:up to|more than|over|about|nearly|around|almost|at least)\s+)?\+?$/;
const NEXT_NAME_RE = /^\s?([A-Za-z][\w@.-]{0,20})(?![\w@.-])/;
const REPEATED_TAG_GAP_RE = /^\s*([A-Za-z][\w@.-]{0,20})\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+)$/;
const COORD_AGAINST_SEP_RE =
  /^\s+(?:(?:on|in|for|across)\s+[^.;,()]{1,40}?\s+)?(?:against|over|compared (?:to|with)|relative to|versus|vs\.?)\s+[^.;,()]{1,40}?\s*(?:,\s*(?:and\s+)?|and\s+)$/i;
// "by 8.87% (val) and 6.43% (held-out test)": a short tag in parentheses after a value does not break the list
const COORD_TAG_RE = /^\s*\([^()]{1,24}\)/;
const LATEX_WRAP_RE = /\\(?:textbf|textit|emph|mathbf|boldsymbol|underline)\s*\{|[{}]/g;
// (what the shares are of: the data or labels a method is given, "with 98% and 88% task success rates" are levels)
const CONDITION_NOUN_AFTER_RE =
  /^\s*(?:of\s+(?:the\s+)?)?(?:[\w-]+\s+){0,2}?(?:data|labels?|labell?ed\s+\w+|annotations?|samples|examples|supervision|training\s+(?:set|data)|budget)\b/i;
const CONDITION_LIST_BEFORE_RE = /\b(?:using|with|under|at)\s+(?:only\s+|just\s+)?$/i;
export const STRONG_KINDS = new Set<ClaimKind>(['relative_improvement', 'reduction', 'speedup', 'retention']);

export function coordinate(text: string, all: Claim[], ownHeads?: ReadonlySet<Claim>): void {
  // metrics-1.17.0: "by 28% (11.43 points) and 27% (11.21 points), respectively": a change restated in parentheses in
  // another unit is a tag of its value, so the list runs from value to value past it (restatePoints gives it the kind)
  // (metrics-1.18.0: "by 28% for 8B models and 40% for 32B models": the model size a value is given for is a tag of
  // the value, so the list runs past it
  // ("15.9% on six MSA datasets against X and 11.2% against Y": nor does a count of where it was measured)
  const claims = all.filter(
    (d, idx) =>
      idx === 0 ||
      (!restates(text, all[idx - 1], d) &&
        !(
          d.category === 'setup' &&
          ((d.unit === 'params' && /\bfor\s+$/.test(text.slice(Math.max(0, d.start - 5), d.start))) ||
            (d.unit === 'count' && /\b(?:on|across|over)\s+$/.test(text.slice(Math.max(0, d.start - 8), d.start))))
        )),
  );
  let k = 0;
  while (k < claims.length) {
    let j = k;
    while (j + 1 < claims.length && claims[j].category === 'result' && claims[j + 1].category === 'result') {
      // (metrics-1.16.0: "\\textbf{38.54\\%} and \\textbf{14.53\\%}": a formatting command around a value is no word)
      // (a cheap test first: every LATEX_WRAP_RE match holds a brace, and most gaps hold none)
      const between = text.slice(claims[j].end, claims[j + 1].start);
      let gap = between.includes('{') || between.includes('}') ? between.replace(LATEX_WRAP_RE, '') : between;
      // (metrics-1.30.0: "by $8\%$ and $15\%$": the math delimiters around listed values are no words either)
      if (gap.includes('$')) gap = gap.replace(/\$/g, '');
      const tag = COORD_TAG_RE.exec(gap);
      if (tag) gap = gap.slice(tag[0].length);
      const plain = gap.length <= 20 && COORD_SEP_RE.test(gap);
      // metrics-1.18.0: "improvements of 15.9% on six datasets against the zero-shot paradigm and 11.2% against the random
      // baseline": values each followed by the reference they are measured against form one list
      const against =
        gap.length <= 100 &&
        COORD_AGAINST_SEP_RE.test(gap) &&
        /^\s+(?:against|over|compared (?:to|with)|relative to|versus|vs\.?)\s/i.test(text.slice(claims[j + 1].end, claims[j + 1].end + 20));
      // metrics-1.31.0: "by 15% MAE, 13% MAE and 10% MAE": the measure written after each value is a tag of it
      const repeatedTag = REPEATED_TAG_GAP_RE.exec(gap);
      const tagged =
        repeatedTag !== null &&
        text.startsWith(repeatedTag[1], claims[j + 1].end + (text[claims[j + 1].end] === ' ' ? 1 : 0));
      // metrics-1.32.0: "by 5.37 mIoU and 5.13 F1", "gains of 13.12 mIoU and 14.82 F1": values each followed by a measure of
      // their own, both in the table, are one list (each keeps its measure; the change is shared)
      const eachNamed =
        repeatedTag !== null &&
        !tagged &&
        labelMetric(repeatedTag[1]) !== null &&
        labelMetric(NEXT_NAME_RE.exec(text.slice(claims[j + 1].end, claims[j + 1].end + 24))?.[1] ?? '') !==
          null;
      if (
        !plain &&
        !against &&
        !tagged &&
        !eachNamed &&
        !(gap.length <= 48 && COORD_ON_NAME_SEP_RE.test(gap))
      )
        break;
      j++;
    }
    if (j > k) shareInGroup(text, claims.slice(k, j + 1), ownHeads);
    k = j + 1;
  }
}

// how far back a "respectively" list looks for the one metric of its values
const RESPECTIVELY_WINDOW = 260;

export function shareInGroup(text: string, group: Claim[], ownHeads?: ReadonlySet<Claim>): void {
  const last = group[group.length - 1];
  // a unit written once at the end distributes over bare numbers before it
  // (metrics-1.31.0: not over values that a "respectively" pairs with measures of their own, "0.52 and 7.3% in MAE and
  // MAPE, respectively")
  if (
    (last.unit === '%' || last.unit === 'pp') &&
    group.some((c) => c.unit === 'score') &&
    !namesBeforeRespectively(clauseAfter(text, last.end, 80), group.length)
  ) {
    for (const c of group) if (c.unit === 'score' && /^[+−-]?[\d.,]+$/.test(c.text)) c.unit = last.unit;
  }
  // metrics-1.30.0: "using 50%, 30%, and even 10% of the training data", "with 5, 10 or 20% labels": a list opened by
  // a condition word is a list of conditions, whatever the clause says after its last value
  const conditions =
    group[0].kind === 'other' &&
    group[0].unit === '%' &&
    CONDITION_LIST_BEFORE_RE.test(text.slice(Math.max(0, group[0].start - 24), group[0].start)) &&
    CONDITION_NOUN_AFTER_RE.test(text.slice(group[group.length - 1].end, group[group.length - 1].end + 50)) &&
    group.every((c) => c.unit === group[0].unit && !c.baseline);
  if (conditions)
    for (const c of group) {
      c.kind = 'other';
      c.improvement = null;
      KIND_DECIDED.add(c);
    }
  const strong = conditions
    ? []
    : [...new Set(group.filter((c) => STRONG_KINDS.has(c.kind)).map((c) => c.kind))];
  if (strong.length === 1) {
    const model = group.find((c) => c.kind === strong[0]) as Claim;
    // ("absolute improvements of 15.50% and 31.46%": percentages a list reads as points are all points)
    // (metrics-1.31.0: "4.9%, 6.5%, 5.4% absolute improvements": "absolute" written after the last percentage)
    const pointsModel = group.find((c) => c.kind === strong[0] && c.unit === 'pp') ?? model;
    if (pointsModel.unit === 'pp' && /%(?:\s*absolute)?$/.test(pointsModel.text))
      for (const c of group)
        if (c.unit === '%' && !c.baseline && !/^\s*relative\b/i.test(text.slice(c.end, c.end + 10))) c.unit = 'pp';
    // (metrics-1.18.0: "outperforming prior methods by 6.35%, and 89.79% mIoU on …, surpassing baselines by 13.99%": a
    // value after a comma that its own metric name follows, in a list whose change does not, is a level of its own;
    // "by 3.7% and 3.6% mAPs": a name after a plain pair is the whole list's)
    const modelNamed = metricAt(text.slice(model.end, model.end + 30)) !== null;
    for (const c of group) {
      if (
        c.kind === 'absolute_score' &&
        c.start > model.end &&
        /,/.test(text.slice(model.end, c.start)) &&
        !modelNamed &&
        metricAt(text.slice(c.end, c.end + 30)) !== null
      )
        continue;
      // (metrics-1.29.0: "a 40% gain in answer quality and a 50% detection rate": "a N% … rate" names a level reached)
      if (
        c.kind === 'absolute_score' &&
        A_LEVEL_RATE_RE.test(text.slice(Math.max(0, c.start - 6), c.end + 40))
      ) {
        KIND_DECIDED.add(c);
        continue;
      }
      if ((c.kind === 'absolute_score' || c.kind === 'other') && c.unit === model.unit && !c.baseline) {
        c.kind = model.kind;
        c.improvement = model.improvement;
      }
    }
  }
  // "with 5% and 10% scribble annotations": the condition word before the first value governs the list
  if (
    strong.length === 0 &&
    group[0].kind === 'other' &&
    group.every(
      (c) => c.unit === group[0].unit && !c.baseline && (c === group[0] || c.kind === 'absolute_score'),
    )
  )
    for (const c of group) c.kind = 'other';
  // metrics-1.16.0: values listed after a list of as many names pair with them in order, known to the table or not
  const slots = nameSlots(clauseBefore(text, group[0].start, WINDOW_BEFORE));
  if (slots && slots.length === group.length) {
    group.forEach((c, idx) => (c.metric = slots[idx]));
    return;
  }
  const respectively = /^[^.;]{0,60}\brespectively\b/i.exec(clauseAfter(text, last.end, 80));
  const pairedAfter = respectively ? null : namesRightAfter(text.slice(last.end, last.end + 80), group.length);
  if (pairedAfter) {
    group.forEach((c, idx) => (c.metric = pairedAfter[idx]));
    return;
  }
  if (respectively) {
    const named = metricsInOrder(clauseBefore(text, group[0].start, WINDOW_BEFORE));
    if (named.length === group.length) {
      group.forEach((c, idx) => (c.metric = named[idx]));
      return;
    }
    const phrases = respectiveSlots(clauseBefore(text, group[0].start, WINDOW_BEFORE), group.length);
    if (phrases) {
      group.forEach((c, idx) => (c.metric = phrases[idx]));
      return;
    }
    // metrics-1.13.0: "absolute improvements of 15.50% and 31.46% in entity and relationship F1-score, respectively":
    // the metrics named between the list and "respectively" pair with it, or one of them is the whole list's
    const listed = namesBeforeRespectively(respectively[0], group.length);
    if (listed) {
      group.forEach((c, idx) => (c.metric = listed[idx]));
      return;
    }
    const between = metricsInOrder(respectively[0]);
    if (between.length === group.length || (between.length === 1 && named.length === 0)) {
      group.forEach((c, idx) => (c.metric = between[between.length === 1 ? 0 : idx]));
      return;
    }
    // "improvements in AP50 over A, B, C and D by 4-23%, 6-10%, 7-40% and 50%, respectively": one metric named before a
    // long list of compared items is every value's
    if (named.length === 0 && group.every((c) => c.metric === null)) {
      const wide = metricsInOrder(clauseBefore(text, group[0].start, RESPECTIVELY_WINDOW));
      if (wide.length === 1) for (const c of group) if (!ownHeads?.has(c)) c.metric = wide[0];
    }
  }
  const metrics = [...new Set(group.map((c) => c.metric).filter((m): m is string => m !== null))];
  // ("5.4% improvement in mIoU and 2.1x acceleration": a value whose own phrase names no metric keeps none)
  // ("96.3% SR on A, 71.2% visual matching on B": nor does a value its own noun phrase follows, metrics-1.13.0)
  if (metrics.length === 1)
    for (const c of group)
      if (!ownHeads?.has(c) && (c.metric !== null || !OWN_NOUN_AFTER_RE.test(text.slice(c.end, c.end + 60))))
        c.metric ??= metrics[0];
}

// "a 41.2% improvement in F1 over SFT (from 22.1 to 31.2) on NarrativeQA": the relative claim takes the
// baseline of the "from A to B" that explains it, and the absolute claim B takes its context.
export function linkParentheticalBaselines(text: string, claims: Claim[]): void {
  for (let k = 0; k + 1 < claims.length; k++) {
    const c = claims[k];
    const d = claims[k + 1];
    if (!d.baseline || c.baseline || c.category !== 'result') continue;
    if (d.start - c.end > 120 || !/[(,]\s*(?:i\.e\.,?\s*)?from\s+[^()]*$/.test(text.slice(c.end, d.start)))
      continue;
    // (written out as every baseline is: a copy by spread has another hidden class, which deoptimizes the code that
    // reads baselines when novel text first brings one)
    c.baseline = { value: d.baseline.value, text: d.baseline.text };
    d.metric ??= c.metric;
    d.comparedTo ??= c.comparedTo;
    d.dataset ??= c.dataset;
    c.dataset ??= d.dataset;
  }
}

// metrics-1.13.0: "boosts the VBench score by 7% (5.6 points, from 70.4 to 76.0)", "cuts errors by 12% (-3.1 points)":
// points in the parenthesis right after a change restate that change in percentage points — its kind and its metric;
// a multiplier there restates it as a ratio, of the same metric
const RESTATING_PAREN_GAP_RE = /^\s*\(\s*(?:i\.e\.,?\s*|or\s+)?[+−-]?$/;

/** Whether `d` restates the change `c` in another unit, in parentheses right after it ("by 28% (11.43 points)"). */
function restates(text: string, c: Claim, d: Claim): boolean {
  return (
    c.category === 'result' &&
    d.category === 'result' &&
    STRONG_KINDS.has(c.kind) &&
    d.unit !== c.unit &&
    (d.unit === 'pp' || d.unit === 'x' || d.unit === '%') &&
    d.start - c.end <= 6 &&
    RESTATING_PAREN_GAP_RE.test(text.slice(c.end, d.start)) &&
    /^\s*\)/.test(text.slice(d.end, d.end + 3))
  );
}

export function restatePoints(text: string, claims: Claim[]): void {
  for (let k = 0; k + 1 < claims.length; k++) {
    const c = claims[k];
    const d = claims[k + 1];
    if (
      d.category !== 'result' ||
      c.category !== 'result' ||
      d.start - c.end > 6 ||
      !RESTATING_PAREN_GAP_RE.test(text.slice(c.end, d.start))
    )
      continue;
    if (
      d.unit === 'pp' &&
      (d.kind === 'other' || d.kind === 'absolute_score') &&
      (c.kind === 'relative_improvement' || c.kind === 'reduction')
    ) {
      d.kind = c.kind;
      d.improvement = c.improvement;
    }
    // ("compressing the backbone from 14.3 GB to 2.7 GB (5.3x)": a ratio in the parenthesis restates the change too)
    if (d.unit === 'pp' || d.unit === 'x') d.metric ??= c.metric;
  }
  // metrics-1.31.0: "reduces bias metrics by 30-55% (median 38%)": the median or mean of a change, in parentheses right
  // after it in its unit, is that change too
  for (let k = 0; k + 1 < claims.length; k++) {
    const c = claims[k];
    const d = claims[k + 1];
    if (
      d.category === 'result' &&
      c.category === 'result' &&
      d.unit === c.unit &&
      d.start - c.end <= 16 &&
      (d.kind === 'absolute_score' || d.kind === 'other') &&
      (c.kind === 'relative_improvement' || c.kind === 'reduction' || c.kind === 'speedup') &&
      AVERAGE_PAREN_GAP_RE.test(text.slice(c.end, d.start))
    ) {
      d.kind = c.kind;
      d.improvement = c.improvement;
      d.metric ??= c.metric;
    }
  }
}
const AVERAGE_PAREN_GAP_RE = /^\s*\(\s*(?:median|mean|average|avg\.?|on average)\s*[:=]?\s*(?:of\s+)?[+−-]?$/i;
