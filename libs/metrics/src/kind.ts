// Phase 5 — kind resolution: relative improvement, reduction, speed-up, retention, absolute score or other,
// from cue words after the unit and the nearest verb before it; and whether the change is an improvement.

import type { Claim, ClaimKind, ClaimUnit } from '@paperwire/contracts';
import { canonicalMetric, metricDirection } from './metric-table';
import { endsWithSign } from './numbers';

// (metrics-1.17.0: "achieves an R^2 of 0.82": a name written with "^" or "$" is a word)
export const RESULT_VERB_RE =
  /\b(?:achiev|attain|reach|obtain|scor|yield|deliver|record|set|establish|get|gets|got|hit|produc|result)\w*\s+(?:an?\s+|the\s+)?(?:new\s+)?(?:state-of-the-art\s+)?(?:[\w$^{}-]+\s+){0,3}$/i;
// metrics-1.17.0: "reaches a mean Spearman correlation of 0.71": for a bare number, a measure's phrase closed by "of" may
// be one word longer (not for amounts in a unit: "obtained over the course of 13 years" is no level reached)
export const RESULT_VERB_OF_RE =
  /\b(?:achiev|attain|reach|obtain|scor|yield|deliver|record|set|establish|get|gets|got|hit|produc|result)\w*\s+(?:an?\s+|the\s+)?(?:new\s+)?(?:state-of-the-art\s+)?(?:[\w$^{}-]+\s+){3}of\s+$/i;

export interface KindDecision {
  kind: ClaimKind;
  /** true when the words themselves say it is better ("improvement", "outperforms") */
  explicitBetter: boolean;
}

// between the value and the change noun: up to three words, a metric with its cut-off ("mAP@0.7") or an acronym in
// parentheses ("67% Block Error Rate (BLER) reduction"); "43% sharper", "2x stronger": comparatives of a gain
// ("reduces fabricated detections by 45% with per-category gains": a gain after "with" is another phrase's)
// (metrics-1.15.0: "drive ~83% of the gain": a share "of the" gain is a part of it, not a gain)
export const AFTER_IMPROVE =
  /^(?!\s*(?:\$\s*)?of\s+(?:the|its|their|this|that|these|all)\b)(?:\s+(?!with\b|while\b|and\b|but\b|whereas\b)[\w-]+(?:@[\d.]*\d)?){0,3}?(?:\s+\([A-Z][\w-]{0,12}\))?\s*(?:improvements?|gains?|boosts?|increases?|higher|better|more|uplift|enhancements?|advantage|rise|jump|increment|lift|greater|larger|stronger|sharper)\b/i;
// (metrics-1.24.0: "3.4x worse mean return": a value that is worse by N is a degradation, as "N% degradation")
export const AFTER_REDUCE =
  /^(?:\s+(?!of\b|in\b|on\b|and\b)[\w-]+(?:@[\d.]*\d)?){0,3}?(?:\s+\([A-Z][\w-]{0,12}\))?\s*(?:reductions?|degradations?|decreases?|decline|lower|less|fewer|drops?|smaller|lighter|cuts?|savings?|cheaper|shorter|compression|saving|decrease|reduced|worse)\b/i;
export const AFTER_SPEED =
  /^(?:\s+[\w-]+){0,2}?\s*(?:faster|as fast|as quickly|speed-?ups?|acceleration|quicker|higher throughput|more throughput|throughput|inference speed-?up|training speed-?up|wall-clock speed-?up|speed)\b/i;
// "6% higher downlink throughput": a percentage of a rate says nothing about speeding up without such a word
const AFTER_SPEED_WORD =
  /^(?:\s+[\w-]+){0,2}?\s*(?:faster|as fast|as quickly|speed-?ups?|acceleration|quicker)\b/i;
const HIGHER_THROUGHPUT_AFTER_RE =
  /^(?:\s+[\w-]+)?\s*(?:higher|more|greater|larger)\s+(?:[\w-]+\s+){0,2}?(?:throughputs?|QPS|queries per second|tokens per second)\b/i;
// ("~10%, ~5%, and ~15% improvement": further values of the list before the last, metrics-1.13.0)
export const COORDINATED_HEAD_RE =
  /^(?:\s+[\w-]+){0,2}?(?:\s*,\s*[~∼]?\d[\d.,]*\s?(?:x|×|%|times)){0,3}(?:\s*,)?\s+(?:and|or)\s+[~∼]?\d[\d.,]*\s?(?:x|×|%|times)(?:\s+[\w-]+){0,3}?\s+(speed-?ups?|accelerations?|reductions?|savings?|cuts|improvements?|gains?)\b/i;
// (metrics-1.15.0: "at both 30% and 50% mask ratios", "at a 90% pruning rate": the ratio a method is run at)
export const AFTER_CONDITION =
  /^(?:(?:\s+[\w-]+){0,2}?\s*(?:threshold|budget|cutoff|cut-off)|(?:\s+and\s+\d[\d.]*\s?\\?%)?\s+(?:token\s+)?(?:mask(?:ing)?|sampling|pruning|dropout|drop|keep|sparsity|compression)\s+(?:ratios?|rates?|levels?))\b/i;
// "achieve over 90% of flagship performance", "reaches 95% of the teacher's accuracy": a share of a reference level
// (metrics-1.26.0: a rival's name of three words, "91.2% of Claude Opus 4.6's quality")
export const AFTER_SHARE_OF_LEVEL =
  /^\s*(?:\$\s*)?of\s+(?:(?:the|its|their)\s+(?:[\w'’.-]+\s+){0,2}?|(?:[\w'’.-]+\s+){1,2}?|(?:[\w.-]+\s+){2}[\w.-]+['’]s\s+)(?:performance|accuracy|quality|capabilit(?:y|ies))\b/i;
// "in 87% of chains", "account for 48.0% of samples", "0.5% of the training set": a share of the data
// ("updating at most 1.49% of parameters": a share of the model's weights)
// (metrics-1.24.0: a share of the outputs, predictions, suggestions or units a study counts, "unfaithfulness in 49.7% of
// outputs", "covers 49.7% of the knowledge units")
export const AFTER_SHARE_OF_DATA =
  /^\s*(?:\$\s*)?of\s+(?:the\s+|all\s+)?(?:[\w-]+\s+){0,2}?(?:parameters|weights|samples|images|data|examples|instances|cases|chains|mutations|queries|questions|users|documents|sentences|training set|test set|dataset|articles|videos|items|responses|generations|papers|patients|participants|trials|runs|episodes|respondents|interviewees|comments|reports|posts|tweets|reviews|messages|people|households|annotators|practitioners|researchers|developers|clinicians|students|workers|outputs|predictions|suggestions|completions|traces|utterances|conversations|dialogues|citations|units)\b|^\s*of\s+them\b/i;
// metrics-1.14.0: "90.8% of LLM errors were due to", "37.7% and 38.1% of fired codes": a share of errors or of the
// parts a breakdown counts is how they split, not a level reached
export const SHARE_OF_PARTS =
  /^\s*(?:\$\s*)?of\s+(?:the\s+|all\s+)?(?:[\w-]+\s+){0,3}?(?:errors|failures|mistakes|codes|gains?|improvements?|speed-?ups?)\b/i;
// "the denoise loop dominates 78.6% of latency", "capture 93% of X energy but only 37% of Y energy", "accounting for
// 37.7% and 38.1% of": a share a part makes up of a whole
export const COMPOSITION_BEFORE_RE =
  /\b(?:account(?:s|ed|ing)?\s+for|dominat(?:es?|ed|ing)|captur(?:es?|ed|ing)|constitut(?:es?|ed|ing)|represent(?:s|ed|ing)?|mak(?:es?|ing)\s+up)\s+(?:(?:only|about|over|nearly|roughly|more than|less than|around|approximately)\s+)?(?:\d[\d.]*%\s+(?:of\s+[^.;,]{1,50}?\s+)?(?:and|but|,)\s+(?:only\s+)?)?$/i;
// "requiring less than 1% of the computational cost of", "using only 5% of the memory of": a share of a reference
// amount of a resource is what is left of it
export const SHARE_OF_RESOURCE =
  /^\s*(?:\$\s*)?of\s+(?:the|its|their)\s+(?:[\w-]+\s+){0,2}?(?:cost|compute|computation|memory|storage|time|energy|parameters|FLOPs|data)\s+(?:of|required|needed|used)\b/i;
// (metrics-1.26.0: "with roughly 40% of the time and cost of", "at 30% of the memory of": with or at a share too)
const BEFORE_RESOURCE_SHARE =
  /\b(?:requir\w*|us(?:e|es|ing)|needs?|needing|consum\w*|with|at)\s+(?:(?:only|just|less than|under|about|roughly|approximately|around|nearly|merely)\s+|~\s*)*$/i;
const RESOURCE_USE_BEFORE_RE =
  /\b(?:requir\w*|us(?:e|es|ing)|needs?|needing|consum\w*)\s+(?:only\s+|just\s+)?(?:[^.;]{0,40}?\band\s+)?$/i;
const RESOURCE_METRICS = new Set([
  'energy',
  'gpu memory',
  'memory',
  'compute',
  'cost',
  'model size',
  'token usage',
]);
const RESOURCE_REFERENCE_AFTER_RE =
  /^\s*(?:[\w-]+\s+){0,3}?(?:compared (?:to|with)|relative to|of (?:the|its|a|an))\b/i;
export const AFTER_RETAIN =
  /^\s*(?:of\s+(?:the|its|their|full|original|teacher|baseline|dense|uncompressed)\b)/i;
export const BEFORE_IMPROVE =
  /\b(?:improv\w*|outperform\w*|surpass\w*|boost\w*|gain\w*|enhanc\w*|exceed\w*|beat\w*|rais\w*|lift\w*|increas\w*|advanc\w*|better)\b(?:[^.;]|\.(?=\d)){0,70}$/i;
// (metrics-1.18.0: "underperforms GPT-4-Turbo by 55 points", "lags behind X by 3%": falling short is a reduction)
export const BEFORE_REDUCE =
  /\b(?:underperform\w*|lag(?:s|ged|ging)?|trim\w*|collaps\w*|degrad\w*|plummet\w*|plung\w*|tumbl\w*|reduc\w*|lower\w*|decreas\w*|cut\w*|sav\w*|shrink\w*|compress\w*|drop\w*|declin\w*|fell|falls?|minimi\w*|eliminat\w*|mitigat\w*|(?:less|fewer|smaller)(?!\s+(?:models?|networks?|LLMs?|LMs?|ones|variants|students?)\b))\b(?:[^.;]|\.(?=\d)){0,70}$/i;
export const BEFORE_SPEED = /\b(?:speed\w*|accelerat\w*|faster|fast)\b(?:[^.;]|\.(?=\d)){0,60}$/i;
export const BEFORE_RETAIN =
  /\b(?:retain\w*|preserv\w*|maintain\w*|recover\w*|keep\w*|kept|match\w*|while using|using only|with only)\b(?:[^.;,]|\.(?=\d)){0,40}$/i;

const GAIN_VERB_RIGHT_BEFORE_RE =
  /\b(?:improv(?:es|ed|ing)|gain(?:s|ed|ing)|boost(?:s|ed|ing)|increas(?:es|ed|ing))\s+(?:(?:up ?to|about|over|nearly|more than|roughly|approximately|around|consistently|an average of|on average)\s+)*$/i;
// metrics-1.31.0: "the number of cars reduced on average 30%", "latency drops roughly 20%": a decrease verb right
// before the value, with no "by"
const REDUCE_VERB_RIGHT_BEFORE_RE =
  /\b(?:reduc(?:es|ed|ing)|decreas(?:es|ed|ing)|drop(?:s|ped|ping)|declin(?:es|ed|ing)|fell|falls?|lower(?:s|ed|ing)?)\s+(?:(?:up ?to|about|over|nearly|more than|roughly|approximately|around|consistently|an average of|on average)\s+)+$/i;
const RETAIN_VERB_RIGHT_BEFORE_RE =
  /\b(?:retain(?:s|ed|ing)?|preserv(?:es|ed|ing)|recover(?:s|ed|ing)?)\s+(?:(?:up ?to|about|over|nearly|more than|roughly|approximately|around|at least)\s+)*$/i;
// "(", "(7.1% and ": the value opens a parenthesis or follows percentages inside one
const PAREN_VALUES_END_RE = /\((?:\s*[+~]?\d[\d.]*\s*\\?%\s*(?:,|and|,\s*and)?)*\s*$/;
// a gain noun earlier in the clause, not followed by a level ("improvements across tasks, including …")
const GAIN_NOUN_IN_CLAUSE_RE =
  /\b(?:improvements|gains)\b(?![^.;]*\b(?:to|of|reach\w*|achiev\w*)\s+\d)[^.;]*$/i;
// "improving A and B by 22.3% and 9.2% " — a change verb's "by" values right before the parenthesis
const BY_GAIN_END_RE =
  /\b(?:improv|boost|gain|increas|outperform|surpass)\w*\b(?:[^.;]|\.(?=\d)){0,80}\bby\s+[+~]?\d[\d.]*\s*\\?%(?:\s*(?:,|and|,\s*and)\s*[+~]?\d[\d.]*\s*\\?%)*\s*$/i;

const EXPLAINING_PAREN_RE =
  /^\s*\((?=[^()]*\d)[^()]{1,48}\)(?=\s+(?:higher|lower|better|worse|more|less|fewer|faster|improvements?|gains?|reductions?)\b)/i;

const CHANGE_IN_METRIC_OF_RE =
  /\b(?:(reductions?|decreases?|drops?|degradations?|declines?|losses)|(gains?|improvements?|increases?|boosts?))\s+(?:in|of)\s+(?:the\s+)?(?:[\w@-]+\s+){1,3}?of\s+(?:(?:up to|about|around|over|nearly|only|just|less than|more than|at least|at most|approximately|roughly)\s+)*$/i;

const CHANGE_SUBJECT_RE =
  /\b(?:(reductions?|decreases?|drops?|savings?|declines?)|(gains?|improvements?|increases?|boosts?))\b(?:\s+(?:in|on|over|of|for|from|to|against|relative to|compared to)\s+[^.;,()]{1,50}?)?\s+(?:is|was|are|were)\s+(?:of\s+)?(?:(?:up to|about|around|approximately|roughly|nearly|over|at least|only|just|~)\s+)?$/i;
const CHANGE_LINKED_RE =
  /\b(?:(reductions?|decreases?|drops?|savings?|declines?)|(gains?|improvements?|increases?|boosts?))\s*,?\s+(?:(?:reach(?:es|ed|ing)?|peak(?:s|ed|ing)?\s+at|hit(?:s|ting)?|amount(?:s|ed|ing)?\s+to|total(?:s|l?ed|l?ing)?|var(?:y|ies|ied|ying)\s+from|rang(?:e|es|ed|ing)\s+from|(?:in\s+|within\s+)?the\s+range\s+of|between)\s+)(?:(?:up to|about|around|approximately|roughly|nearly|over|as much as)\s+)?$/i;
const GAP_AFTER_RE =
  /^(?:\s+(?!of\b|in\b|on\b|and\b|with\b)[\w-]+){0,3}?\s*(?:performance\s+)?gaps?\b/i;
const MARGIN_OVER_AFTER_RE =
  /^\s+(?:over|above)\s+(?:the\s+)?(?:(?:SOTA|state[- ]of[- ]the[- ]art|prior|previous|existing|best|strongest|vanilla|standard|original|base|competing)\b|(?:[\w-]+\s+)?baselines?\b)/i;
const MARGIN_AFTER_RE = /^\s*(above|below)\s+(?:the|all|its|their|every|each)\b/i;

export const APPROX_SIGN_END_RE = /\s*(?:~|∼|≈|\$\s*\\sim\s*\$|\\sim)\s*$/;
/** `s` with the approximation sign at its end read as " about " (a cheap test first: each of the signs
 * APPROX_SIGN_END_RE reads ends in one of these characters, and most windows end in none). */
export const approxSignAsAbout = (s: string): string =>
  endsWithSign(s, '~∼≈$m', false) ? s.replace(APPROX_SIGN_END_RE, ' about ') : s;

export function nearestCue(before: string, cues: Array<[RegExp, ClaimKind]>): ClaimKind | null {
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

// metrics that name no quantity ("performance") or a rate that is itself a condition ("memory")
const UNNAMED_KIND = new Set(['performance', 'memory', 'cost', 'compute']);

/** The metric named right after a value ("99% accuracy" -> accuracy), or null. */
export function metricAt(after: string): string | null {
  const m = /^\s*\(?\s*([A-Za-z][\w@-]*(?:[\s-][A-Za-z][\w@-]*)?)/.exec(after);
  if (!m) return null;
  return canonicalMetric(m[1]) ?? canonicalMetric(m[1].split(/[\s-]/)[0]);
}

export function resultKind(
  unit: ClaimUnit,
  before: string,
  after: string,
  hasBaseline: boolean,
  isRange = false,
): KindDecision {
  // "retains over $95\\%$ of", "by \\textbf{11.91\\%} in": math delimiters and a bold wrapper around the value are
  // spacing, not words
  after = after.replace(/^(?:\s*[$}])+/, '');
  // (a cheap test first: the pattern ends in "{")
  if (endsWithSign(before, '{', false)) before = before.replace(/\\(?:textbf|mathbf|textit|emph)\{\s*$/, ' ');
  // "1.8% (91.9% vs. 90.1%) higher accuracy": the values that explain a change do not hide its cue word
  const explained = EXPLAINING_PAREN_RE.exec(after);
  if (explained) after = after.slice(explained[0].length);
  // metrics-1.30.0: "11.4 times higher throughput", "2x more throughput": a multiple of a rate said with a comparative
  // is a gain in it (GUIDE: dev-16, dev-17, dev-19); a speed-up needs "faster", "speedup" or "acceleration"
  if (unit === 'x' && HIGHER_THROUGHPUT_AFTER_RE.test(after))
    return { kind: 'relative_improvement', explicitBetter: true };
  if (AFTER_SPEED.test(after) && (unit !== '%' || AFTER_SPEED_WORD.test(after)))
    return { kind: 'speedup', explicitBetter: true };
  // "14.2x prefill and 7.6x decoding speedups", "3x memory and 2x latency reductions": values coordinated
  // under one head noun share its kind
  const head = COORDINATED_HEAD_RE.exec(after);
  if (head) {
    const noun = head[1].toLowerCase();
    if (/^(?:speed|accel)/.test(noun)) return { kind: 'speedup', explicitBetter: true };
    if (/^(?:reduc|saving|cut)/.test(noun)) return { kind: 'reduction', explicitBetter: false };
    return { kind: 'relative_improvement', explicitBetter: true };
  }
  if (unit === '%' && BEFORE_RESOURCE_SHARE.test(before.slice(-40)) && SHARE_OF_RESOURCE.test(after))
    return { kind: 'retention', explicitBetter: false };
  // "requiring only 500KB storage and 0.1% energy consumption compared to DnCNN": a percentage of a resource,
  // measured against a reference, is what is left of it
  if (
    unit === '%' &&
    RESOURCE_USE_BEFORE_RE.test(before.slice(-80)) &&
    RESOURCE_METRICS.has(metricAt(after) ?? '') &&
    RESOURCE_REFERENCE_AFTER_RE.test(after)
  )
    return { kind: 'retention', explicitBetter: false };
  // "crossing the 70% mIoU threshold", "under a 10% budget": a condition, not a result
  if (AFTER_CONDITION.test(after)) return { kind: 'other', explicitBetter: false };
  // metrics-1.18.0: "with minimal computational overhead below 1%": the overhead a method adds is result/other (the
  // held-out-6 adjudication), written before its bound too
  if (/\boverheads?\s+(?:of\s+)?(?:(?:below|under|less than|of only|only|just|about|around|at most)\s+|~\s*)?$/i.test(before.slice(-40)))
    return { kind: 'other', explicitBetter: false };
  if (AFTER_REDUCE.test(after)) return { kind: 'reduction', explicitBetter: false };
  // "5.8%p above the strongest open-source baseline", "3 points below the teacher": a margin over a reference
  const margin = MARGIN_AFTER_RE.exec(after);
  if (margin)
    return /^above$/i.test(margin[1])
      ? { kind: 'relative_improvement', explicitBetter: true }
      : { kind: 'reduction', explicitBetter: false };
  // metrics-1.18.0: "80.1% ASR@1 across three models, 33.9% over SOTA": a value said to be over a reference system is
  // the margin by which it is ahead ("improves to 90% over 5 epochs" has a number after "over", "to 90%" a level)
  if (
    (unit === '%' || unit === 'pp' || unit === 'x') &&
    MARGIN_OVER_AFTER_RE.test(after) &&
    // ("reduces hallucination rates by 68% over the strongest baseline": a "by" change keeps its verb's kind)
    !/\b(?:to|of|at|by|reach\w*|achiev\w*)\s+(?:(?:about|around|up to|over|nearly|more than|at least|approximately|an average of)\s+|~\s*)?$/i.test(
      before.slice(-30),
    )
  )
    return { kind: 'relative_improvement', explicitBetter: true };
  // metrics-1.18.0: "leaves an 11.4% final output gap", "a 32--55 percentage point gap": a gap the study measures is a
  // difference (GUIDE, dev-6's "an average gap of 40%"); "matching the teacher with only a 0.27% average relative gap"
  // is how far behind a reference the method stays (dev-8)
  if (unit !== 'score' && GAP_AFTER_RE.test(after))
    return /\b(?:only|just|merely|a small|a minor|a negligible)\s+(?:an?\s+)?(?:\$\s*)?$/i.test(before.slice(-24)) ||
      /\b(?:match\w*|narrow\w*|clos(?:e|es|ed|ing))\b[^.;,]{0,40}$/i.test(before.slice(-50))
      ? { kind: 'reduction', explicitBetter: false }
      : { kind: 'relative_improvement', explicitBetter: false };
  if (AFTER_IMPROVE.test(after)) {
    const better = /improv|gain|better|boost|enhanc|advantage|uplift/i.test(after.slice(0, 40));
    return { kind: 'relative_improvement', explicitBetter: better };
  }
  // "by $92.1\\%$": an opening math delimiter is spacing, not a word; "by ~95%", "by $\\sim$3x": an
  // approximation sign is the qualifier "about"
  const approx = approxSignAsAbout(before.slice(-90));
  const tail = endsWithSign(approx, '$', false) ? approx.replace(/\s*\$\s*$/, ' ') : approx;
  // "an average gain of 1.5%", "an increase of 0.45%", "a reduction of 30%"
  // (metrics-1.17.0: "speed advantages of 19-44% over leading competitors": an advantage is a gain)
  if (
    // ("performance improvements of up to around 30%": metrics-1.15.0, two qualifiers)
    /\b(?:gains?|improvements?|increases?|boosts?|margin|gaps?|advantages?|uplifts?)\s+(?:of\s+|ranging from\s+)?(?:(?:up to|about|around|approximately|roughly|nearly|at least|over)\s+){0,2}$/i.test(
      tail,
    )
  )
    return {
      kind: 'relative_improvement',
      explicitBetter: /gain|improv|boost|margin/i.test(tail.slice(-30)),
    };
  if (
    // (metrics-1.29.0: "average declines of 48% on one and 58% on the other": a decline is a drop)
    /\b(?:reductions?|decreases?|drops?|savings?|declines?)\s+(?:of\s+|ranging from\s+)?(?:up to\s+|about\s+|around\s+|at least\s+|over\s+)?$/i.test(
      tail,
    )
  )
    return { kind: 'reduction', explicitBetter: false };
  // metrics-1.30.0: "the maximum drop reaching 49.9%", "token reductions vary from 32.6% to 33.9%", "energy savings, in the
  // range of 5% to 10%", "gains amounting to 12%": a change noun linked to its value by a verb or a range phrase
  const linked = CHANGE_LINKED_RE.exec(tail);
  if (linked)
    return linked[1]
      ? { kind: 'reduction', explicitBetter: false }
      : { kind: 'relative_improvement', explicitBetter: /gain|improv|boost/i.test(linked[2]) };
  // metrics-1.17.0: "the relative gain over fine-tuning is of 62%", "the average reduction was about 18%": a change noun
  // that is the subject of "is"/"was" names the kind of the value it is equated with
  const changeSubject = CHANGE_SUBJECT_RE.exec(tail);
  if (changeSubject)
    return changeSubject[1]
      ? { kind: 'reduction', explicitBetter: false }
      : { kind: 'relative_improvement', explicitBetter: /gain|improv|boost/i.test(changeSubject[2]) };
  // metrics-1.13.0: "a minimal degradation in success rate of less than 1.7%", "an improvement in accuracy of 5%": the
  // change noun before "in <metric> of" gives the kind
  const changeIn = CHANGE_IN_METRIC_OF_RE.exec(tail);
  if (changeIn)
    return changeIn[1]
      ? { kind: 'reduction', explicitBetter: false }
      : { kind: 'relative_improvement', explicitBetter: /gain|improv|boost/i.test(changeIn[2]) };
  if (/(?:^|[\s($])[-−]$/.test(tail)) return { kind: 'reduction', explicitBetter: false };
  // "substantial reduction (17.8-33.8%)", "a clear gain (+3.1%)": a change noun right before the parenthesis
  const paren =
    // (metrics-1.18.0: "only marginal benefits ($\\sim 1.3\\%$)": a benefit is a gain)
    /\b(?:(reductions?|decreases?|drops?|savings?|declines?)|(improvements?|gains?|increases?|boosts?|benefits?))\s*\(\s*\$?\s*(?:up ?to\s+|about\s+|~\s*|\+\s*|(?:<|≤|\\leq?|\\lt|less than|under|below)\s*\$?\s*)?$/i.exec(
      tail,
    );
  if (paren)
    return paren[1]
      ? { kind: 'reduction', explicitBetter: false }
      : { kind: 'relative_improvement', explicitBetter: true };
  // "compresses skills to 30 to 60 percent of their original length": what is left of the original
  if (
    /\bto\s+(?:about\s+|only\s+|just\s+|merely\s+|around\s+|~\s*)?$/i.test(tail) &&
    AFTER_RETAIN.test(after)
  )
    return { kind: 'retention', explicitBetter: false };
  // "removes 60% of the parameters", "prunes up to 50% of tokens": removing a share is a reduction ("saves 25%-53%
  // of attempts": so is saving one)
  if (
    /\b(?:remov|prun|eliminat|discard|skipp?|sav(?=es\b|ing\b|ed\b)|cuts?\b|cutting\b)\w*\s+(?:up to\s+|about\s+|over\s+|nearly\s+|around\s+|more than\s+)?$/i.test(
      tail,
    )
  )
    return { kind: 'reduction', explicitBetter: false };
  if (/(?:^|[\s(])\+$/.test(tail)) return { kind: 'relative_improvement', explicitBetter: false };
  // "improvements across tasks, including video understanding (1.8%) and video LLMs (0.5%)", "by 22.3% and 9.2% (7.1%
  // and 3.7% over vanilla finetuning)": percentages in parentheses after a gain noun or a "by" change are gains too
  if (unit === '%' && PAREN_VALUES_END_RE.test(tail)) {
    const open = tail.lastIndexOf('(');
    const outside = before.slice(0, before.length - (tail.length - open));
    if (GAIN_NOUN_IN_CLAUSE_RE.test(outside.slice(-160)) || BY_GAIN_END_RE.test(outside.slice(-90)))
      return { kind: 'relative_improvement', explicitBetter: true };
  }
  const cue = nearestCue(tail, [
    [BEFORE_IMPROVE, 'relative_improvement'],
    [BEFORE_REDUCE, 'reduction'],
    [BEFORE_SPEED, 'speedup'],
    [BEFORE_RETAIN, 'retention'],
  ]);
  // "improves the classification scores up to 5%": "up to" after a change verb reads as "by up to"
  const upToAfterVerb =
    cue !== null && cue !== 'retention' && /\bup ?to\s*$/i.test(tail) && !/\bby\s+up ?to\s*$/i.test(tail);
  // "outperforms GRPO and DAPO (0.5%~4%)", "improves over X (upto 10.02%)": a margin in parentheses after the
  // change verb (a single bare value there is the competitor's score, see baselines.ts)
  const parenMargin =
    cue !== null &&
    cue !== 'retention' &&
    (isRange || /\bup ?to\s*$/i.test(tail)) &&
    /\(\s*(?:up ?to\s*)?$/i.test(tail);
  const byBefore =
    upToAfterVerb ||
    parenMargin ||
    // "improves 7-12% on RoboCasa", "gains 3.1% over": a gain verb right before the value, with no "by"
    (cue === 'relative_improvement' &&
      GAIN_VERB_RIGHT_BEFORE_RE.test(tail) &&
      !/^\s*(?:of|to)\b/i.test(after)) ||
    (cue === 'reduction' && REDUCE_VERB_RIGHT_BEFORE_RE.test(tail) && !/^\s*(?:of|to)\b/i.test(after)) ||
    // (metrics-1.18.0: "stability by at least 57%"; metrics-1.28.0: "increases mean latency by only 2.34%")
    /\bby\s+(?:(?:up ?to|about|over|nearly|more than|roughly|approximately|around|an average of|average|an?|at least|only|just|merely|a mere|less than)\s+)*$/i.test(
      tail,
    );
  if (unit === '%' && !byBefore && cue !== 'reduction' && cue !== 'speedup') {
    if (AFTER_SHARE_OF_LEVEL.test(after)) return { kind: 'retention', explicitBetter: false };
    // "wins 75.6% of instances" is a win rate, a level reached ("completes only 60.4% of rubric items", "solves 41% of
    // the tasks": metrics-1.14.0)
    if (
      cue !== 'retention' &&
      (AFTER_SHARE_OF_DATA.test(after) || SHARE_OF_PARTS.test(after) || COMPOSITION_BEFORE_RE.test(tail)) &&
      !/\b(?:wins?|complet(?:es?|ed|ing)|solv(?:es?|ed|ing)|resolv(?:es?|ed|ing))\s+(?:over\s+|about\s+|only\s+|just\s+)?$/i.test(
        tail,
      )
    )
      return { kind: 'other', explicitBetter: false };
  }
  // "cost varies by up to 5x across categories", "results differ by 3%", "API cost spans over 100 times",
  // "behaviors diverge by more than an order of magnitude": a spread, not a gain
  if (
    (cue === null || cue === 'relative_improvement') &&
    /\b(?:var(?:y|ies|ied|ying)|differ(?:s|ed|ing)?|fluctuat\w*|deviat\w*|spans?|spanning|diverg\w*)\b[^.;,]{0,40}$/i.test(
      tail,
    ) &&
    (cue === null ||
      /\b(?:spans?|spanning|diverg\w*)\s+(?:by\s+)?(?:over|under|about|more than|less than|nearly)?\s*(?:an?\s+)?$/i.test(
        tail,
      ))
  )
    return { kind: 'other', explicitBetter: false };
  // "remains within 0.53% on libero_goal", "come within 1-4pp of QLoRA": the gap left to a reference
  // (metrics-1.18.0: "within 100 GPU hours of training" is a duration, not a gap)
  if (
    /\bwithin\s+(?:only\s+|about\s+|roughly\s+|just\s+)?$/i.test(tail) &&
    !(unit === 'other' && /^\s*of\s+(?:training|fine-?tuning|pre-?training|compute|computation)\b/i.test(after)) &&
    (/^\s*of\b/i.test(after) || /\b(?:remain|come|came|stay|lie|lag)\w*\s+within\s+\S*\s*$/i.test(tail))
  )
    return { kind: 'reduction', explicitBetter: false };
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
  // "retaining 95.0% on OpenVLA-OFT": a share kept, written right after the verb and before where it was kept
  if (unit === '%' && RETAIN_VERB_RIGHT_BEFORE_RE.test(tail) && metricAt(after) === null)
    return { kind: 'retention', explicitBetter: false };
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
  if (/\b(?:at|under|with|using)\s+(?:only\s+|just\s+)?(?:an?\s+)?$/i.test(tail) && !hasBaseline) {
    // "with 99% accuracy", "with 54.3% mIoU": a level of a named metric is a score, not a condition
    const named = metricAt(after);
    if (named && !UNNAMED_KIND.has(named)) return { kind: 'absolute_score', explicitBetter: false };
    return { kind: 'other', explicitBetter: false };
  }
  if (hasBaseline || RESULT_VERB_RE.test(tail) || unit === '%' || unit === 'score')
    return { kind: 'absolute_score', explicitBetter: false };
  // "requiring only 500KB storage": an amount followed by the metric it measures is the level reached
  const named = metricAt(after);
  if (named && !UNNAMED_KIND.has(named)) return { kind: 'absolute_score', explicitBetter: false };
  return { kind: 'other', explicitBetter: false };
}

export function improvementOf(
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

export const SPEED_METRICS = new Set([
  'latency',
  'inference time',
  'training time',
  'throughput',
  'speed',
  'compute',
]);
