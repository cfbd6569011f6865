// Phase 6 — metric attribution: what a claim measures (negation and scope applied, see negation.ts).

import { UNNAMED, findMetric, headMetric, metricHits, metricRightBefore, performanceGoverns } from './context';
import { METRIC_TABLE, canonicalMetric, labelMetric } from './metric-table';
import { maskKeptPhrases } from './negation';
import { approxSignAsAbout, COORDINATED_HEAD_RE } from './kind';
import { ownHeadMetric } from './head-phrase';
import { endsWithSign } from './numbers';

// "mAP=0.56", "F1 = 0.81", "acc. = 92.3%", "BLEU: 31.2": a metric name set equal to the number
// (metrics-1.22.0: a decimal cut-off after "@" is part of the name: "mAP@0.5 = 0.843", "F1@5: 0.72")
export const ASSIGNED_RE = /([A-Za-z][\w@-]*(?:(?<=@\d*)\.\d+)?)(\.?)\s*[=:]\s*(?:\$\s*)?$/;
// metrics-1.21.0: "ROUGE-1 F1 = 0.67", "ROUGE-L F1: 0.65": a metric's name before the assigned one qualifies it (the F-measure
// of ROUGE-1 is a ROUGE score)
const QUALIFIED_NAME_BEFORE_RE = /([A-Za-z][\w@-]*)\s+$/;

/** The canonical metric a number is assigned to ("F1 = 0.81" -> f1), or null. */
export function assignedMetric(text: string, start: number): string | null {
  const slice = text.slice(Math.max(0, start - 24), start);
  // (a cheap test first: most numbers follow no "=" or ":")
  if (!endsWithSign(slice, '=:', true)) return null;
  const m = ASSIGNED_RE.exec(slice);
  if (!m) return null;
  // ":" only after a metric name that cannot be an ordinary word ("BLEU: 31.2", not "Results: 3")
  if (m[0].includes(':') && !/[A-Z0-9@]/.test(m[1])) return null;
  const qualifier = QUALIFIED_NAME_BEFORE_RE.exec(slice.slice(0, m.index));
  return (
    (qualifier ? canonicalMetric(`${qualifier[1]} ${m[1]}`) : null) ??
    canonicalMetric(m[1]) ??
    cutOffMetric(m[1])
  );
}

// metrics-1.22.0: "mAP@50", "F1@5", "AP@0.5": a metric the table names, read at a cut-off after "@", is that metric
// when the table has no entry for the name with its cut-off ("pass@1", "Recall@10" have their own)
const cutOffMetric = (name: string): string | null => {
  const at = name.indexOf('@');
  return at > 0 && /^@[\d.]+$/.test(name.slice(at)) ? canonicalMetric(name.slice(0, at)) : null;
};

// "(accuracy: 82.89", ", IS: 304.4", "(e.g., FID: 1.59": a label and a colon opening a value of a parenthesised list
const KEYED_VALUE_RE = /(?:\(|\(\s*e\.g\.,?|,)\s*([A-Za-z][\w@-]*)\s*:\s*(?:\$\s*)?$/;
const KEY_IN_LIST_RE = /(?:^|,)\s*(?:e\.g\.,?\s*)?([A-Za-z][\w@-]*)\s*:/g;
// ("(mean: 0.78", "(n: 20)": a statistic of the measure named before, or a count, is no label of a measure)
const STAT_LABEL_RE = /^(?:mean|average|avg|median|overall|total|range|std|sd|n|N|max|min|e\.g)$/i;

// a percentage or a range of percentages ("3-6%", "12 percent")
const PERCENT_START_RE = /^[\d.,]+(?:\s?[-–]\s?[\d.,]+)?\s?(?:\\?%|percent)/;

const MULTIPLE_OF_COUNTED_RE =
  /^[\s$]*(?:(?:generated|output|input|reasoning|trainable|model)\s+)?(?:tokens|param(?:eter)?s)\b/i;
// metrics-1.23.0: "reduces 76% visual tokens", "uses only 23% of the vision tokens", "~62x single-agent tokens": a share
// or a multiple of the tokens a model reads or writes (up to two modifiers, "of the" before them) measures token usage
// (GUIDE: "utilizes only 10% tokens" is a retention of token usage); not "tokens per second", "tokens of each image"
// (a share only after a verb of using or saving them: "training on the 80% lowest-entropy tokens", "steering only 12%
// of tokens" select tokens, they do not measure how many a method needs)
const TOKEN_USE_VERB_BEFORE_RE =
  /\b(?:us(?:es?|ed|ing)|utiliz\w*|consum\w*|requir\w*|need(?:s|ed|ing)?|reduc\w*|sav(?:es?|ed|ing)|cut(?:s|ting)?)\s+(?:(?:only|just|about|around|approximately|roughly|up to|less than|under|below|nearly|merely|~)\s*)*\$?\s*$/i;
const SHARE_OF_TOKENS_RE =
  /^[\s$]*(?:of\s+(?:the\s+|their\s+|its\s+)?)?(?:(?!(?:of|the|and|or|in|on|for|with|than|per|by|to)\s)[\w-]+\s){0,2}tokens\b(?!\s+(?:per|of)\b|\/)/i;

// the words up to the last value of a coordinated-head match ("prefill and 7.6x ")
const COORDINATED_VALUE_RE = /^[\s\S]*?\d[\d.,]*\s?(?:x|×|%|times)/;

// (returns literals: the group read from the text is no internalised string, and the compares of its callers would
// deoptimize on it)
const UNIT_SIGN_RE = /^[\d.,]+\s?(x|×|%|times)/;
const unitSign = (s: string): string => {
  const sign = UNIT_SIGN_RE.exec(s)?.[1];
  if (sign === undefined) return '';
  if (sign.length > 1) return 'times';
  return sign.charCodeAt(0) === 0x25 /* % */ ? '%' : 'x';
};

// metrics-1.13.0: "N% of (the) <up to three words> <plural noun>" (not "of the parameters", "of its original accuracy")
const SHARE_OF_ITEMS_AFTER_RE =
  /^\s*\$?\s*of\s+(?:(?:the|all|its|their|our|these|those)\s+)?((?:(?!(?:of|the|its|their|a|an|and|or|in|on|for|with|to|by|this|that)\s)[\w-]+\s+){0,3}?[a-z][a-z-]{2,}[a-rt-z]s)\b(?!\s+(?:of|per)\b)/i;
const SHARE_OF_PERFORMANCE_RE =
  /^\s*\$?\s*of\s+(?:the\s+|its\s+|their\s+)?(?:[\w-]+['’]s\s+)?(?:(?:original|baseline|full|base|teacher|dense|reference|overall|initial)\s+)?(?:[\w-]+\s+)?performance\b/i;
const TITLED_MEASURE_OF_RE =
  /(?:^|[\s(,])((?:[A-Z][a-z]{2,}\s){1,2}[A-Z][a-z]{2,})\s+of\s+(?:(?:about|around|approximately|only|over|nearly|up to)\s+|~\s*)?\$?$/;
const ACRONYM_OF_END_RE =
  /\(\s*([A-Za-z][\w@.-]{1,15})\s*\)\s+(?:of|=|:)\s+(?:(?:about|around|approximately|only|just|over|nearly|up to|~)\s+)?\$?$/;
// "a content effect of", "an IS of", "an overall score of": an article, a measure's head noun (with up to two modifier words)
// or an acronym of two to six capitals, then "of" and the value
const OWN_MEASURE_OF_RE =
  /\b(?:an?)\s+((?:[a-z][\w-]*\s+){0,2}(?:effects?|ratio|index|coefficient)|(?:[a-z][\w-]*\s+){1,2}scores?|[A-Z][A-Z0-9]{1,5})\s+of\s+(?:(?:about|around|approximately|only|over|nearly|up to|just)\s+|~\s*)?\$?\s*$/;
const MOVED_WITH_END_RE =
  /\bwith\s+(?:the\s+|its\s+|their\s+|a\s+)?((?:[A-Za-z][\w@-]*\s+){1,3}?)(?:fall|dropp|ris|decreas|increas|improv|climb|declin|shrink|grow|jump|go)\w*\s+from\s+\$?[\d.,]+\s*(?:\\?%|x|×)?\$?\s+to\s+(?:(?:about|only|just|nearly|roughly|around)\s+|~\s*)?\$?\s*$/i;
const HELD_WITHIN_END_RE =
  /\b(?:maintain|keep|preserv|retain|sustain)\w*\s+(?:(?:competitive|comparable|similar|high|strong|the same|its|their|nearly|near)\s+)*((?:[\w@-]+\s+){0,2}?[\w@-]+)(?:\s*\(\s*(?:(?:typically|only|roughly|still|often|usually|always)\s+)?|\s+)within\s+(?:an?\s+)?(?:(?:about|around|roughly)\s+|~\s*)?\$?\s*$/i;
const DEFINED_MEASURE_OF_RE =
  /\b((?:[A-Za-z][\w-]*\s+){0,3}(?:rates?|ratios?|scores?|fractions?|shares?|proportions?|coverage|index))\s*\((?!\s*(?:e\.g|i\.e)\b)([^()]*\s[^()]*)\)\s+of\s+(?:(?:about|around|approximately|only|just|over|nearly|up to|roughly)\s+|~\s*)*\$?\s*$/i;
// metrics-1.26.0: "pass@1", "Recall@10" right after a value
const CUT_OFF_NAME_AFTER_RE = /^[\s$]{0,3}([A-Za-z][\w-]*@[\w.]+)/;
const RESOURCE_SHARE_AFTER_RE =
  /^\s*\$?\s*of\s+(?:the|its|their)\s+((?:[\w-]+\s+){0,4}?[\w-]+)\s+(?:of|required|needed|used)\b/i;
const LISTED_SHARES_RE = /^(?:\s*(?:,\s*(?:and\s+)?|and\s+|or\s+)\$?[\d.,]+\s?\\?%\$?)+/;
// the verbs whose share names a table metric: "succeed on < 50% of the tasks", "passes 35.51% of", "wins 75.6% of"
const SHARE_VERB_BEFORE_RE =
  /\b(?:(succeed\w*)|(pass(?:es|ed|ing)?)|(wins?|won|winning))\s+(?:(?:in|on|only|just|about|around|over|nearly|up to|<|>|~)\s*)*\$?\s*$/i;
/** What a count of weights or tokens measures: tokens are token usage, parameters and weights model size. */
const countedMeasure = (noun: string): string => (/^t/i.test(noun) ? 'token usage' : 'model size');
// a finite verb that takes a share away ("removes", "prunes up to", "eliminated over"), right before the share ("when
// pruning 75% of the tokens", "pruning that removes 88% of visual tokens" name the setting another figure is measured
// in: GUIDE, dev-22)
const REMOVAL_VERB_BEFORE_RE =
  /(?<!\b(?:that|which)\s+)\b(?:(?:remov|prun|eliminat|discard|evict|sparsifi)(?:es|ed|e|s)|(?:drop|cut|skip)(?:s|ped)?)\s+(?:(?:up to|about|around|over|nearly|roughly|approximately|more than|as much as|as many as|only|just)\s+|~\s*)*\$?\s*$/i;
// ... and the same removal as the setting of another figure: "when pruning 75% of the tokens", "a schedule that removes"
const REMOVAL_SETTING_BEFORE_RE =
  /(?:\b(?:that|which)\s+(?:remov|prun|eliminat|discard|evict|sparsifi|drop|cut|skip)\w*|\b(?:when|while|after|under|with|by)\s+(?:remov|prun|eliminat|discard|evict|sparsify|dropp|cutt|skipp)ing)\s+(?:(?:up to|about|around|over|nearly|roughly|approximately|more than|as much as|as many as|only|just)\s+|~\s*)*\$?\s*$/i;
// the weights or tokens a share is of ("of the parameters", "of its visual tokens", "of the model weights")
const REMOVED_SHARE_AFTER_RE =
  /^\s*\$?\s*of\s+(?:(?:the|all|its|their|our|model|network|trainable|total|redundant|visual|vision|image|video|input|output|text|prompt|context|KV|cached|attention|retrieved|generated|reasoning|decoded|processed|intermediate|unimportant)\s+){0,3}(param(?:eter)?s|weights|tokens)\b/i;
// what a share of counted items can measure: a resource it saves or uses ("reduces up to 99% of attention computations")
const SHARE_RESOURCES = new Set([
  'compute',
  'memory',
  'gpu memory',
  'token usage',
  'energy',
  'cost',
  'model size',
]);

/** The metric of a percentage of counted items, or undefined when the value is not one. */
function shareOfItemsMetric(
  text: string,
  start: number,
  before: string,
  after: string,
): string | null | undefined {
  // (metrics-1.16.0: a range too, "3-6% of items")
  if (!PERCENT_START_RE.test(text.slice(start, start + 16))) return undefined;
  // metrics-1.30.0 (GUIDE: "reducing parameters" is model size): "prunes 40% of the parameters of BERT", "drops 60% of
  // the visual tokens": a share of weights or tokens a method removes measures them, whatever the clause names next; a
  // share it tunes or keeps is read by the other rules (GUIDE: "only 40% of the model parameters" it trains: null)
  const tail = before.slice(-48);
  const removed = REMOVAL_VERB_BEFORE_RE.test(tail) ? REMOVED_SHARE_AFTER_RE.exec(after) : null;
  if (removed) return countedMeasure(removed[1]);
  if (REMOVAL_SETTING_BEFORE_RE.test(tail) && REMOVED_SHARE_AFTER_RE.test(after)) return null;
  // ("37.7% and 38.1% of fired codes": the values of a list share the items they are shares of)
  after = after.replace(LISTED_SHARES_RE, '');
  if (!/^\s*\$?\s*of\s/.test(after)) return undefined;
  const items = SHARE_OF_ITEMS_AFTER_RE.exec(after);
  if (!items || /^(?:param|weight|token)/i.test(items[1].split(/\s+/).pop() ?? '')) return undefined;
  const verb = SHARE_VERB_BEFORE_RE.exec(before.slice(-40));
  if (verb) return verb[1] ? 'success rate' : verb[2] ? 'pass@k' : 'win rate';
  const named = findMetric(items[1], '');
  if (named !== null) return SHARE_RESOURCES.has(named) ? named : null;
  // ("The hallucination rate is high: errors in 7.5% of responses": a rate said to be something since the last value is
  // what the share gives)
  const since = before.slice(before.search(/\d[^\d]*$/) + 1);
  return /\brates?\s+(?:is|are|was|were|remains?|stays?)\b/i.test(since) && findMetric(since, '') !== null
    ? undefined
    : null;
}

export interface MetricReading {
  /** the metric the number measures, or null */
  metric: string | null;
  /** true when the value's own noun phrase decided the metric (a list it is in does not lend it another) */
  own: boolean;
  /** the clause windows with every "kept constant" phrase blanked out: kind and later metric reads use these */
  keptBefore: string;
  keptAfter: string;
}

/**
 * The metric a number at `start` measures, read from its clause windows: an assignment ("F1 = 0.81") first,
 * else the nearest metric named around it once the phrases that say what did NOT change ("with no loss in
 * accuracy", "while maintaining F1") are blanked out, so neither "loss" nor "accuracy" is taken from them.
 */
export function attributeMetric(
  text: string,
  start: number,
  before: string,
  after: string,
  readHead = true,
): MetricReading {
  const keptBefore = maskKeptPhrases(before, true);
  const keptAfter = maskKeptPhrases(after);
  const assigned = assignedMetric(text, start);
  if (assigned) return { metric: assigned, own: false, keptBefore, keptAfter };
  // metrics-1.37.0: "improves SD3.5 by 15.89%, SD3 by 8.56%, and Flux-Dev by 2.44% in FID on average": values listed each
  // after its own "by" share the measure named after the last one's "in" / "on"
  if (BY_VALUE_END_RE.test(before.slice(-40))) {
    const list = BY_LIST_BEFORE_ON_RE.exec(after);
    const shared = list ? metricOnAfter(after.slice(list[0].length)) : null;
    if (shared !== null) return { metric: shared, own: true, keptBefore, keptAfter };
  }
  // metrics-1.26.0: "an accuracy of 27.54% pass@1": a metric read at a cut-off, written right after the value, is what the
  // value scores, over the measure named before it
  const cutOff = /^[\s$]{0,3}[A-Za-z][\w-]*@/.test(after) ? CUT_OFF_NAME_AFTER_RE.exec(after) : null;
  const cutOffMetric = cutOff ? labelMetric(cutOff[1]) : null;
  if (cutOffMetric !== null) return { metric: cutOffMetric, own: true, keptBefore, keptAfter };
  // metrics-1.16.0: "(accuracy: 82.89%)", "(e.g., FID: 1.59, IS: 304.4)": a name and a colon right after an opening
  // parenthesis or a list comma label the value; an unknown name labels it with no table metric
  // (an unknown name only among the table's: "(MMLU: 70.2, GSM8K: 80.1)" are benchmarks, the clause's metric applies)
  const keyed = /:\s*\$?\s*$/.test(before) ? KEYED_VALUE_RE.exec(before.slice(-40)) : null;
  if (keyed && !STAT_LABEL_RE.test(keyed[1])) {
    // (metrics-1.23.0: a cut-off after the name keeps the metric, "(precision@15: 0.70-0.73)")
    const named = labelMetric(keyed[1]);
    if (named !== null) return { metric: named, own: false, keptBefore, keptAfter };
    const list = before.slice(before.lastIndexOf('(') + 1, before.length - keyed[0].length);
    if ([...list.matchAll(KEY_IN_LIST_RE)].some((k) => canonicalMetric(k[1]) !== null))
      return { metric: null, own: true, keptBefore, keptAfter };
  }
  // metrics-1.17.0: "a peak signal-to-noise ratio (PSNR) of 23.8": the acronym that a long name defines, right before
  // "of", names the measure even when the long name is not in the table
  const acronym = ACRONYM_OF_END_RE.exec(keptBefore.slice(-40));
  const defined = acronym ? canonicalMetric(acronym[1]) : null;
  if (defined !== null) return { metric: defined, own: true, keptBefore, keptAfter };
  // metrics-1.29.0: "with mean rank dropping from 120 to 14": the noun phrase a participle of change follows after "with"
  // is what moved from A to B — its measure, or none the table knows (not the metric of the value before it)
  const movedWith = /\bto\s/.test(before.slice(-24)) ? MOVED_WITH_END_RE.exec(before.slice(-110)) : null;
  if (movedWith) return { metric: findMetric(movedWith[1], ''), own: true, keptBefore, keptAfter };
  // metrics-1.29.0: "while keeping competitive recall (typically within 4% of the best baseline)": a bound in parentheses
  // right after a measure held is how close that measure stayed (GUIDE: "within 3.0 percentage points of the ceiling")
  const heldWithin = /\bwithin\s/.test(before.slice(-40))
    ? HELD_WITHIN_END_RE.exec(before.slice(-110))
    : null;
  const heldMetric = heldWithin ? findMetric(heldWithin[1], '') : null;
  if (heldMetric !== null) return { metric: heldMetric, own: true, keptBefore, keptAfter };
  // metrics-1.29.0: "an overall repair rate (share of wrong answers fixed by feedback) of 21.5%": a parenthesis that defines
  // the measure named before it, between the name and "of", says what is counted — the name is what the value measures
  // (one the table does not know names none; the definition's words, "errors" here, are not the value's metric)
  const definedMeasure = /\)\s+of\s/.test(keptBefore.slice(-40))
    ? DEFINED_MEASURE_OF_RE.exec(keptBefore.slice(-150))
    : null;
  if (definedMeasure) return { metric: findMetric(definedMeasure[1], ''), own: true, keptBefore, keptAfter };
  // metrics-1.25.0: "improving erasure specificity (by up to 31%) and robustness (by up to 38%)": a change in parentheses
  // right after a noun phrase is that phrase's, a metric or none
  const byParen = PAREN_BY_END_RE.exec(keptBefore.slice(-60));
  if (byParen) return { metric: objectMetric(byParen[1]), own: true, keptBefore, keptAfter };
  // "Dice (0.57) and IoU (0.40), representing strong accuracy": a value in parentheses right after a metric's
  // name is that metric's, whatever the clause names after it
  if (/\(\s*$/.test(keptBefore)) {
    const right = metricRightBefore(keptBefore);
    if (right) return { metric: right, own: false, keptBefore, keptAfter };
  }
  // metrics-1.26.0: "with roughly 40% of the time and cost of X", "at 30% of the memory used by": a share of a resource
  // list measures the first one the table names
  if (PERCENT_START_RE.test(text.slice(start, start + 16))) {
    const resources = RESOURCE_SHARE_AFTER_RE.exec(keptAfter);
    const first = resources ? metricHits(resources[1]).find((h) => SHARE_RESOURCES.has(h.name)) : undefined;
    if (first) return { metric: first.name, own: true, keptBefore, keptAfter };
  }
  // metrics-1.17.0: "while maintaining 98.7% of the original performance": a share of a performance says what it is a
  // share of, and that names no metric — the clause's other measures (a speed-up before it) are not its
  if (PERCENT_START_RE.test(text.slice(start, start + 16)) && SHARE_OF_PERFORMANCE_RE.test(after))
    return { metric: null, own: true, keptBefore, keptAfter };
  // "passes only 35.51% of all tasks", "90.8% of LLM errors", "with only 0.4% of entries requiring …": a share of
  // counted items measures what the verb before it says of them, or nothing — never a neighbour's metric
  const share = shareOfItemsMetric(text, start, keptBefore, keptAfter);
  // (a list the share is in may still lend it one: "99% of attention computations and 53.9% of FLOPs")
  if (share !== undefined) return { metric: share, own: share !== null, keptBefore, keptAfter };
  // metrics-1.24.0: "a Dice score of 0.967 and Instance Affinity of 0.738": a measure named in Title Case right before "of"
  // is the value's own, even one the table does not know (a list it is in does not lend it the first value's)
  const titled = TITLED_MEASURE_OF_RE.exec(keptBefore.slice(-60));
  if (titled && metricHits(titled[1]).length === 0) return { metric: null, own: true, keptBefore, keptAfter };
  // metrics-1.25.0: "with a content effect of 2.85", "and an IS of 305.9", "a calibration index of 0.12": a measure the
  // value's own "a/an … of" names (a measure's head noun, or an acronym) is its own, even one the table does not know —
  // the clause's other metric ("94.3% accuracy with …") is not lent to it
  const ownOf = /of\s+(?:(?:about|around|approximately|only|over|nearly|up to|just)\s+|~\s*)?\$?\s*$/.test(
    keptBefore,
  )
    ? OWN_MEASURE_OF_RE.exec(keptBefore.slice(-60))
    : null;
  if (ownOf && metricHits(ownOf[1]).length === 0) return { metric: null, own: true, keptBefore, keptAfter };
  // "0.057 LPIPS", "2.1x acceleration", "camera-control score of 73.75": the phrase the value quantifies
  const head = readHead
    ? ownHeadMetric(keptBefore, keptAfter, PERCENT_START_RE.test(text.slice(start, start + 16)))
    : null;
  if (head?.decided) return { metric: head.metric, own: true, keptBefore, keptAfter };
  // "+0.13 pp for ~5x tokens", "needs 2x parameters": a multiple of counted tokens or weights measures them
  const multiple = MULTIPLE_OF_COUNTED_RE.exec(keptAfter);
  if (multiple && unitSign(text.slice(start, start + 24)) === 'x')
    return { metric: objectMetric(multiple[0].replace(/^[\s$]+/, '')), own: true, keptBefore, keptAfter };
  if (/tokens/i.test(keptAfter.slice(0, 60))) {
    const sign = unitSign(text.slice(start, start + 24));
    if (
      (sign === 'x' || (sign === '%' && TOKEN_USE_VERB_BEFORE_RE.test(keptBefore.slice(-48)))) &&
      SHARE_OF_TOKENS_RE.test(keptAfter)
    )
      return { metric: 'token usage', own: true, keptBefore, keptAfter };
  }
  // "14.2x prefill and 7.6x decoding speedups": values coordinated under one head noun share the metric it names, as
  // they share its kind (kind.ts)
  const coordinated = /^\s*\S*\s+(?:\S+\s+)?(?:and|or)\s/.test(keptAfter)
    ? COORDINATED_HEAD_RE.exec(keptAfter)
    : null;
  // (in one unit: "90% sparsity and 1.72x inference speedup" are two measures)
  if (
    coordinated &&
    unitSign(text.slice(start, start + 24)) === unitSign(coordinated[0].replace(/^\D*/, ''))
  ) {
    const shared = findMetric('', coordinated[0].replace(COORDINATED_VALUE_RE, ''));
    if (shared) return { metric: shared, own: true, keptBefore, keptAfter };
  }
  // metrics-1.25.0: "3-8% Dice improvements and 10-20% higher generalisation": the noun a comparative right after the value
  // governs is what the value measures; when it names no metric the value has none (a list it is in lends it none)
  // (nor a measure named further on in its phrase: "3x higher query-per-second (QPS) throughput")
  // (not a speed's comparative: "17.8% faster inference" is read by the speed rules)
  const rateObject = /^\s*(?:faster|slower)\b/i.test(keptAfter)
    ? null
    : RATE_COMPARATIVE_OBJECT_RE.exec(keptAfter.slice(0, 60));
  if (
    rateObject &&
    !NOT_AN_OBJECT_RE.test(rateObject[1]) &&
    objectMetric(rateObject[1]) === null &&
    metricHits(keptAfter.slice(0, 60).split(RATE_PHRASE_END_RE)[0]).length === 0
  )
    return { metric: null, own: true, keptBefore, keptAfter };
  // metrics-1.35.0 (GUIDE: "over 60% in both the number of parameters and computational requirements" is the first named):
  // "reducing end-to-end latency and inference cost by nearly 40%": one value after a change of two coordinated objects
  // measures the first one the table names; "lowers ARE and DTW by 21% and 9%": values listed after them pair in order
  // (an object the table does not name measures nothing, not a measure of the clause before, and a list lends it none)
  const coordinatedObject = coordinatedObjectMetric(keptBefore, keptAfter);
  if (coordinatedObject !== undefined) return { metric: coordinatedObject, own: true, keptBefore, keptAfter };
  const scoped = scopedMetric(keptBefore, keptAfter);
  // metrics-1.22.0: "clears 20% on strict pass^3", "by over 10% in both top-1 and top-5 accuracy": a measure named
  // right after the value's "in" / "on" is what the value scores, whatever the clause named before
  const onMetric = /^\s*\$?\s*(?:in|on)\s/i.test(keptAfter) ? metricOnAfter(keptAfter) : null;
  if (onMetric !== null) return { metric: onMetric, own: true, keptBefore, keptAfter };
  // metrics-1.35.0: "~2 dB in PSNR and 45.7% in Cosine Distance", "2x in translation error and 7x in Chamfer Distance": a
  // measure's head noun right after the value's "in" / "on" is the value's own even when the table does not know it — a
  // list it is in does not lend it the first value's
  const onOwn = /^\s*\$?\s*(?:in|on)\s/i.test(keptAfter) ? ON_MEASURE_AFTER_RE.exec(keptAfter) : null;
  if (onOwn !== null && MEASURE_HEAD_END_RE.test(onOwn[1]) && metricHits(onOwn[1]).length === 0)
    return { metric: null, own: true, keptBefore, keptAfter };
  // metrics-1.22.0 (GUIDE: "a number a metric name does not reach in its own clause has metric null"): "an 8x reduction
  // in scan radiation dose" — a change whose object names no measure changed that object, not the clause's metric
  // metrics-1.23.0: "a 2.4x reduction in decoder parameters": a change of counted weights or tokens measures them
  const counted = changedCountedObject(keptAfter);
  if (counted !== null) return { metric: counted, own: true, keptBefore, keptAfter };
  if (changeOfUnnamedObject(keptAfter)) return { metric: null, own: true, keptBefore, keptAfter };
  // metrics-1.35.0 (GUIDE: "performance" names no metric): "while human performance reaches 78.57%", "slumps the performance
  // to 3.8%": a value the word governs, nearer than any metric, measures none — and a list it is in lends it none
  if (performanceGoverns(keptBefore) && findMetric('', keptAfter) === null)
    return { metric: null, own: true, keptBefore, keptAfter };
  // metrics-1.34.0 (GUIDE: "a number a metric name does not reach in its own clause has metric null"): "…, while human
  // performance reaches 78%", "While earlier work reported accuracies of 96%, our re-implementation achieves 46%": a value in
  // a contrast clause (or in the main clause after a leading one) takes only what its own clause names
  // (a parallel level keeps the measure its clause elides: "X achieves 80% accuracy, while Y achieves only 25%"; unless the
  // clause says it is a performance, which names none)
  const contrast = contrastTail(keptBefore);
  if (
    contrast !== null &&
    metricHits(contrast.tail).length === 0 &&
    (contrast.leading || /\bperformance\b/i.test(contrast.tail) || !parallelLevel(contrast.tail))
  ) {
    const own = scopedMetric(contrast.tail, keptAfter);
    return { metric: own ?? marginMetric(text, start, contrast.tail), own: false, keptBefore, keptAfter };
  }
  return { metric: scoped ?? marginMetric(text, start, keptBefore), own: false, keptBefore, keptAfter };
}

// ", while X reaches", ", whereas X", ", yet X": a clause that contrasts with the one before it
const CONTRAST_OPEN_RE = /(?:,\s*(?:while|whereas|yet)|\bwhereas)\s+/gi;
// "while humans achieve", "while most models remain below", "while Y improves from 65% to", "while Y showed gains of": a
// level or change of a parallel subject, right before the value (a participle clause, "while reducing …", states its own)
const PARALLEL_LEVEL_END_RE =
  /(?:\b(?:achiev\w*|reach\w*|attain\w*|obtain\w*|scor\w*|exceed\w*|succeed\w*|to|by|at|gains?\s+of)|\bperform\w*\s+at|\b(?:remain\w*|stay\w*)\s+(?:below|above|under))\s+(?:(?:only|just|about|around|approximately|up to|upto|over|nearly|roughly|more than|less than)\s+|~\s*)*\$?\s*$/i;
// "…, while Y reaches 11.57 and": a value listed after another shares its reading
const LISTED_AFTER_VALUE_RE = /\d[\d.,]*\s*(?:\\?%|percent)?\s*(?:,\s*(?:and\s+)?|and\s+)\$?\s*$/i;
/** Whether a contrast clause states a level or change of a parallel subject, whose measure it elides (a participle's
 * "by", "while reducing latency by", measures the participle's own object). */
function parallelLevel(contrast: string): boolean {
  if (LISTED_AFTER_VALUE_RE.test(contrast)) return true;
  if (!PARALLEL_LEVEL_END_RE.test(contrast)) return false;
  return !(/^\s*\w+ing\s/.test(contrast) && /\bby\s+(?:[a-z]+\s+){0,3}[~$]?\s*$/i.test(contrast));
}
// "While earlier work reported …, our model …": the main clause after a leading contrast clause
const LEADING_CONTRAST_RE =
  /^\s*(?:While|Whereas|Although|Though)\s[^;]*?,\s+(?=(?:our|we|the|it|its|this|they|these)\s)/;
/** The part of a value's clause window after the contrast word that opens its clause (`leading`: the main clause after a
 * leading contrast clause), or null when none does. */
function contrastTail(before: string): { tail: string; leading: boolean } | null {
  // (a cheap test first: most clauses hold no contrast word)
  if (!/\b(?:while|whereas|yet|although|though)\b/i.test(before)) return null;
  let end = -1;
  for (const m of before.matchAll(CONTRAST_OPEN_RE)) end = m.index + m[0].length;
  if (end >= 0) return { tail: before.slice(end), leading: false };
  const lead = LEADING_CONTRAST_RE.exec(before);
  return lead ? { tail: before.slice(lead[0].length), leading: true } : null;
}

// "a 40% reduction in memory traffic", "an 8x increase of label noise": a change noun right after the value and its
// object
const CHANGE_OF_OBJECT_AFTER_RE =
  /^\s*\$?\s*(?:(?:relative|absolute|overall|average)\s+)?(?:reductions?|decreases?|drops?|increases?|improvements?|gains?|boosts?|rises?|cuts?|savings?)\s+(?:in|of)\s+((?:[\w@^.'/-]+ ){0,4}?[\w@^'/-]+)(?=\s*(?:[,;:)]|\.\s|\.?$)|\s{2,}|\s\((?=[^()]*\d)|\s(?:and|while|whereas|with|compared|over|than|across|for|on|in|at|under|relative|versus|vs|by|from|to|when|without)\b)/i;
const changedCountedObject = (after: string): string | null => {
  const m = /^\s*\$?\s*[a-z]/i.test(after) ? CHANGE_OF_OBJECT_AFTER_RE.exec(after) : null;
  const counted = m !== null ? COUNTED_OBJECT_RE.exec(m[1]) : null;
  return counted === null ? null : countedMeasure(counted[1]);
};
const changeOfUnnamedObject = (after: string): boolean => {
  const m = /^\s*\$?\s*[a-z]/i.test(after) ? CHANGE_OF_OBJECT_AFTER_RE.exec(after) : null;
  if (m === null || objectMetric(m[1]) !== null) return false;
  // (nor a measure named further on in the phrase: "improvement in area under the ROC curve (AUC)")
  const rest = after.slice(m[0].length, m[0].length + 60);
  const stop = rest.search(/[,;.]/);
  if (metricHits(m[1] + (stop < 0 ? rest : rest.slice(0, stop))).length > 0) return false;
  // (a name is where the change was measured, not what changed: "in Cifar10-LT", "on ImageNet", "in MS COCO")
  const words = m[1].split(/\s+/);
  return !words.some((w) => /\d|[A-Z][\w-]*[A-Z]/.test(w)) && !(words.length === 1 && /^[A-Z]/.test(m[1]));
};
// the phrase after "in" / "on" up to five words, ending at a clause stop; its last words name the measure
// (words one space apart: a masked "while maintaining …" phrase is a run of spaces; "metrics including PSNR" ends
// before the examples; "in both A and B accuracy" is one phrase)
const ON_MEASURE_AFTER_RE =
  /^\s*\$?\s*(?:in|on)\s+((?:both (?:[\w@^.'-]+ ){1,3}?and )?(?:[\w@^.'-]+ ){0,5}?[\w@^'-]+)(?=\s*(?:[,;.:)]\s|[,;:)]|\.?$)|\s{2,}|\s(?:and|while|whereas|with|compared|over|than|across|for|on|in|at|under|relative|versus|vs|including|such|like|e\.g)\b)/i;
// metrics-1.25.0: "+6.8% on Toolathlon (Pass@1)": where the value was measured, then the measure it scores in
// parentheses (the whole parenthesis a table name)
const ON_NAME_PAREN_METRIC_RE =
  /^\s*\$?\s*(?:in|on)\s+(?:[\w@^.'$-]+\s){0,3}?[\w@^.'$-]+\s?\(\s*([A-Za-z][\w@-]*(?:\s[A-Za-z][\w@-]*)?)\s*\)/i;
const MEASURE_HEAD_END_RE =
  /\b(?:distances?|similarit(?:y|ies)|scores?|index|indices|ratios?|coefficients?|correlations?|divergences?|deviations?)$/i;
// (a value right after "by" and a qualifier)
const BY_VALUE_END_RE =
  /\bby\s+(?:(?:up to|about|over|nearly|around|approximately|only|an average of)\s+|~\s*)*[-+]?\$?\s*$/i;
// ", SD3 by 8.56%, and Flux-Dev by 2.44%" up to " in": further values, each after a name of up to four words and "by"
const BY_LIST_BEFORE_ON_RE =
  /^\s*\$?(?:(?:,\s*(?:and\s+)?|\s+and\s+)(?:[\w.+-]+\s+){1,4}?by\s+(?:(?:up to|about|over|nearly|around|approximately|only)\s+)?[-+~]?\$?\d[\d.,]*\s?(?:\\?%|x|×|pp|points?)?\$?)+(?=\s+(?:in|on)\s)/i;

function metricOnAfter(after: string): string | null {
  const named = ON_NAME_PAREN_METRIC_RE.exec(after);
  if (named) {
    const metric = labelMetric(named[1]);
    if (metric !== null && !UNNAMED.has(metric)) return metric;
  }
  const m = ON_MEASURE_AFTER_RE.exec(after);
  if (!m) return null;
  const hits = metricHits(m[1]).filter((h) => !UNNAMED.has(h.name));
  const last = hits[hits.length - 1];
  return last && last.end === m[1].length ? last.name : null;
}

// "reduces TPOT by up to 58%", "improves the pass rate of agents by 5%": the object of the change verb is
// what the number measures; when it names no known metric, an earlier metric in the clause (a neighbouring
// claim's "TTFT") is not taken instead.
const VERB_OBJECT_BY_RE =
  /^.*\b(?:improv|reduc|increas|decreas|lower|cut|trim|boost|rais|shrink|lift|enhanc|accelerat|speed\w*\s+up)\w*\s+((?:(?!and\b|or\b)[\w@./'%-]+\s+){1,5}?)by\s+(?:(?:up to|about|over|nearly|more than|roughly|approximately|around|an average of|average|an?|only|just|at least)\s+)*$/i;
// "1.7x fewer distance computations", "2x more samples": the noun after a comparative is what is counted (its
// words one space apart: a masked "while maintaining" phrase is a run of spaces, not part of the object)
const COMPARATIVE_OBJECT_RE =
  /^\s*(?:fewer|less|more|larger|smaller|bigger)\s+((?!than\b|of\b|in\b|on\b|for\b|with\b|to\b|and\b|by\b)[A-Za-z][\w@-]*(?:\s(?!than\b|of\b|in\b|on\b|for\b|with\b|to\b|and\b|by\b|while\b|at\b)[A-Za-z][\w@-]*){0,2})/i;

const SIZE_OF_MODEL_RE =
  /^\s*(?:smaller|lighter|more compact)\s+(?:(?:student|final|compressed|distilled|quantized|pruned|overall)\s+)?(?:models?|networks?|checkpoints?|footprints?)\b/i;
const FURTHER_OBJECT_BY_RE =
  /\b(?:improv|reduc|increas|decreas|lower|cut|boost|rais|shrink|lift|enhanc)\w*\s+((?:(?!and\b|or\b|by\b)[\w@./'-]+\s+){1,4}?)by\s+(?:(?:up to|about|over|nearly|around|approximately|only)\s+)*[-+~]?\$?\d[\d.,]*\s?(?:\\?%|x|×|pp|points?)?\$?\s*(?:,\s*(?:and\s+)?|and\s+)((?:(?!and\b|or\b|by\b)[\w@./'-]+\s+){1,4}?)by\s+(?:(?:up to|about|over|nearly|around|approximately|only)\s+)*$/i;
// metrics-1.35.0: "reducing end-to-end latency and inference cost by", "lowers ARE and DTW by 21% and": a change verb, two
// objects joined by "and" / "as well as" (each up to four words, "both" allowed before them, no preposition: "accuracy on A
// and B" coordinates where it was measured), "by" and a qualifier; or that with its first value and "and" after it (the
// second value of the pair)
const COORDINATED_OBJECTS_BY_RE =
  /\b(?:improv|reduc|increas|decreas|lower|cut|trim|boost|rais|shrink|lift|enhanc|accelerat)\w*\s+(?:(?:in|of)\s+)?(?:both\s+|the\s+|its\s+|their\s+)?((?:(?!(?:and|or|by|of|while|with|to|on|in|for|across|at|over|under|from|per|between|among|than|compared)\b)[\w@./'-]+\s+){1,4}?)(?:and|as well as)\s+(?:the\s+|its\s+|their\s+)?((?:(?!(?:and|or|by|of|while|with|to|on|in|for|across|at|over|under|from|per|between|among|than|compared)\b)[\w@./'-]+\s+){1,4}?)by\s+(?:(?:up to|about|over|nearly|more than|roughly|approximately|around|an average of|average|only|just|at least)\s+|~\s*)*(?:([-+~]?\$?\d[\d.,]*\s?(?:\\?%|x|×|pp|points?)?\$?)\s+and\s+(?:(?:up to|about|over|nearly|around|approximately|only)\s+|~\s*)*)?$/i;
// the value after this one is listed with it ("and 9%", ", 9% and"): a pair of values, read in order
const LISTED_VALUE_NEXT_RE = /^\s*(?:\\?%|x|×|pp|points?)?\$?\s*(?:,\s*|and\s+|,\s*and\s+)[-+~]?\$?\d/i;
const PAIR_SECOND_END_RE = /\bby\s[^,;]{0,30}\d[^\s]*\s+and\s+(?:[a-z]+\s+){0,2}[~$]?\s*$/i;
const AUXILIARY_RE = /\b(?:is|are|was|were|be|been|has|have|had|can|could|will|would)\b/;
const CHANGE_VERB_RE =
  /\b(?:improv|reduc|increas|decreas|lower|cut|boost|rais|achiev|yield|attain|enhanc|outperform|surpass|deliver|maintain|keep|preserv)\w*\b/i;
/** The metric of a value after a change of two coordinated objects, or undefined when the value is none. */
function coordinatedObjectMetric(before: string, after: string): string | null | undefined {
  const tail = approxSignAsAbout(before.slice(-90)).replace(/\$\s*$/, '');
  const byEnd = /\bby\s+(?:[a-z]+\s+){0,3}$/i.test(tail);
  const coordinated = byEnd || PAIR_SECOND_END_RE.test(tail) ? coordinatedObjects(tail) : null;
  if (coordinated === null) return undefined;
  // (a metric form that only modifies the object's head is none: "error localization and first-error accuracy")
  const [first, second] = coordinated.objects.map((o) => (modifiesObjectHead(o) ? null : objectMetric(o)));
  if (coordinated.second) return second;
  if (LISTED_VALUE_NEXT_RE.test(after)) return first;
  return first !== null || second !== null ? (first ?? second) : undefined;
}
/** The two coordinated objects of a change right before the value, and whether the value is the second of a pair. */
function coordinatedObjects(tail: string): { objects: [string, string]; second: boolean } | null {
  // (a cheap test first: most change objects hold no coordination)
  if (!/\s(?:and|as well as)\s/i.test(tail)) return null;
  const m = COORDINATED_OBJECTS_BY_RE.exec(tail);
  if (m === null) return null;
  // ("by 9% and" alone, "improving recall by 3% and precision by": the first object already took its own value)
  // ("reduces latency and improves accuracy by 3%": a second verb takes its own object)
  // (nor a passive clause, "and the memory footprint is reduced by": its subject is the one object — in lower case, since
  // "ARE" may be a measure's acronym)
  if (/\bby\s/i.test(m[1]) || /\d/.test(m[2]) || CHANGE_VERB_RE.test(m[2]) || AUXILIARY_RE.test(m[2]))
    return null;
  return { objects: [m[1].trim(), m[2].trim()], second: m[3] !== undefined };
}

// "the training schedule is reduced by 6x": the passive subject is the object of the change
const PASSIVE_OBJECT_BY_RE =
  /((?:[\w@./'-]+\s+){1,4}?)(?:is|are|was|were|gets|got|has been|have been|can be|could be)\s+(?:\w+ly\s+)?(?:reduced|improved|increased|decreased|lowered|cut|boosted|raised|accelerated|shortened|compressed|sped up)(?:\s+\w+ly)?\s+by\s+(?:(?:up to|about|over|nearly|more than|roughly|approximately|around|an average of|average|an?|only|just|at least)\s+)*$/i;

// metrics-1.26.0: "the average accuracy on two faulty classes is improved by 8%": a passive subject with a complement
// ("on/in/for/across … ") — its head is before the complement
const PASSIVE_SUBJECT_COMPLEMENT_BY_RE =
  /((?:[\w@./'-]+\s+){1,4}?)(?:on|in|for|across|over|of|at|under)\s+(?:[\w@./'-]+\s+){1,5}?(?:is|are|was|were|has been|have been|can be)\s+(?:\w+ly\s+)?(?:reduced|improved|increased|decreased|lowered|cut|boosted|raised|accelerated|shortened|compressed)(?:\s+\w+ly)?\s+by\s+(?:(?:up to|about|over|nearly|more than|roughly|approximately|around|an average of|average|an?|only|just|at least)\s+)*$/i;
/** The passive subject a change is of: the words before the auxiliary, or the head before their complement. */
function passiveObject(tail: string): RegExpExecArray | null {
  const m = PASSIVE_OBJECT_BY_RE.exec(tail);
  if (m === null || findMetric(m[1], '') !== null) return m;
  const head = PASSIVE_SUBJECT_COMPLEMENT_BY_RE.exec(tail);
  return head !== null && findMetric(head[1], '') !== null ? head : m;
}

// "96% smaller than FlowNet in terms of model parameters": the comparison names its quantity after "in terms of"
const IN_TERMS_OF_RE =
  /^\s*(?:faster|slower|fewer|less|more|larger|smaller|bigger|higher|lower|better|worse|cheaper)\b[^.;:]{0,60}?\bin terms of\s+((?:the\s+)?[A-Za-z][\w@-]*(?:\s+[A-Za-z][\w@-]*){0,2})/i;
// "60%-90% faster inference speeds", "12% higher win rate": the noun after a comparative is what is measured
const RATE_COMPARATIVE_OBJECT_RE =
  /^\s*(?:faster|slower|higher|lower|better|worse|cheaper)\s+((?!than\b|of\b|in\b|on\b|for\b|with\b|to\b|and\b|by\b)[A-Za-z][\w@-]*(?:\s(?!than\b|of\b|in\b|on\b|for\b|with\b|to\b|and\b|by\b|while\b|at\b)[A-Za-z][\w@-]*){0,2})/i;

// words after a comparative that are no object of it: "higher overall", "better respectively", "lower still"
const PAREN_BY_END_RE =
  /(?:^|[\s,])((?:(?!and\b|or\b|by\b|of\b)[a-z][\w-]*\s+){0,2}[A-Za-z][\w-]*)\s*\(\s*by\s+(?:(?:up to|about|around|over|nearly|approximately|roughly|at least|more than)\s+|~\s*)*[+~]?\$?$/;
const RATE_PHRASE_END_RE = /[,;.]\s|\s(?:than|over|compared|relative|on|in|for|with|while|across|and|at|to|from)\s/i;
const NOT_AN_OBJECT_RE =
  /^(?:\w+ly|overall|still|even|yet|again|here|there|now|too|alone|instead|thereby|respectively|compared|relative|while|when|whereas|whilst|but|as|so)\b/i;

const COUNTED_OBJECT_RE =
  /^(?:(?!(?:and|or|of|by|per|with|in|on|for)\s)[\w-]+\s+){1,3}(param(?:eter)?s|tokens)$/i;
// what a counted object measures when the table has no name for it: "45.5% fewer parameters" is model size,
// "reduces generated tokens by 50%" token usage
function objectMetric(object: string): string | null {
  const named = findMetric(object, '');
  if (named) return named;
  // "the number of trainable parameters"
  if (
    /^(?:(?:the|its|their|model|trainable|learnable|total|number|of)\s+)*param(?:eter)?s\b/i.test(
      object.trim(),
    )
  )
    return 'model size';
  if (
    /^(?:(?:the|generated|output|reasoning|input|visual|decoded|processed|prompt)\s+)*tokens\b/i.test(
      object.trim(),
    )
  )
    return 'token usage';
  // metrics-1.23.0: "reduces text encoder parameters by up to 88%", "cuts vision tokens by 60%": weights or tokens of a
  // named part, up to three modifier words
  const counted = COUNTED_OBJECT_RE.exec(object.trim());
  if (counted) return countedMeasure(counted[1]);
  return null;
}

// "accuracy gains ranging from -1.4% to 2.9%", "ROUGE improvements of about 68.1%": a metric right before the change
// noun that introduces the value is what the value measures
const CHANGE_NOUN_NEAR_RE = /(?:gain|improvement|increase|boost|reduction|decrease|drop)s?\s/i;
const METRIC_CHANGE_BEFORE_RE =
  /([A-Za-z][\w@.-]*)\s+(?:gains?|improvements?|increases?|boosts?|reductions?|decreases?|drops?)\s+(?:of\s+|(?:ranging|var(?:y|ies|ied|ying))\s+from\s+|by\s+)?(?:(?:up to|about|around|over|nearly|approximately|roughly)\s+)?[-−+]?$/i;
// "reduction in parameters", "a 78% reduction of the parameters"
const CHANGE_OF_PARAMS_RE =
  /^\s+(?:reductions?|decreases?|drops?|savings?)\s+(?:in|of)\s+(?:the\s+)?(?:(?:model|trainable|learnable|total)\s+)?param(?:eter)?s\b/i;

const MORE_EFFICIENT_RE = /^\s*(?:more|less)\s+(?:data|sample)[-\s]efficient\b/i;

const ELIDED_COMPARATIVE_RE = /^\s*(?:fewer|less|more)\s+than\b/i;
// a value and the elided comparison it starts ("13x less than STFPM, ")
const ELIDED_SEGMENT_RE = /^\W{0,2}(?:x|×|times)?\s*(?:fewer|less|more)\s+than\b/i;

/** The words naming an elided comparison's noun: those after the last value of `before` that is not itself an
 * elided comparison ("8 MB of additional memory, 13x less than STFPM (95 MB), 48x less than": "MB of additional
 * memory, …"); parenthesised values are the compared items' own figures. */
function elidedNounWindow(before: string): string {
  const plain = before.replace(/\([^()]*\)/g, (m) => ' '.repeat(m.length));
  // the values of the window, last first ("RD4AD" is a name, not a value)
  const ends = [...plain.matchAll(/(?<![\w.])\d[\d.,]*/g)].map((m) => [m.index, m.index + m[0].length]);
  let end = plain.length;
  for (let i = ends.length - 1; i >= Math.max(0, ends.length - 4); i--) {
    if (!ELIDED_SEGMENT_RE.test(plain.slice(ends[i][1], end))) return plain.slice(ends[i][1], end);
    end = ends[i][0];
  }
  return plain.slice(0, end);
}

const CHANGE_HEAD_RE = /^(?:gaps?|differences?|margins?|drops?|degradations?|deltas?)$/;
// metrics-1.21.0: "achieves 59.4% average accuracy on X, improving over the strongest baseline by 15.3 points and the
// strongest open one by 26.8 points", "accuracy scores of 79.2% and 84.6% …, surpassing GPT-4o by a margin of 11.9%": a
// margin over a rival takes the metric its sentence reports (GUIDE), when the clause window does not reach it and the
// sentence names one metric only
const MARGIN_BY_END_RE =
  /\b(?:outperform\w*|surpass\w*|improv\w*\s+(?:over|upon)|exceed\w*|beat\w*)\b(?:[^.;]|\.\d)*\bby\s+(?:a\s+margin\s+of\s+|(?:up to|about|over|nearly|more than|an average of|average|around|approximately)\s+)*[+~]?$/i;
const MARGIN_GENERIC: ReadonlySet<string> = new Set([
  'performance',
  'memory',
  'reward',
  'speed',
  'cost',
  'compute',
]);
const MARGIN_BY_TAIL_RE = /\bby\s+(?:[a-z]+\s+){0,3}[+~]?$/i;
const MARGIN_VERB_RE = /\b(?:outperform|surpass|improv\w*\s+(?:over|upon)|exceed|beat)/i;

/** The one metric the sentence before a margin over a rival names, or null. */
function marginMetric(text: string, start: number, before: string): string | null {
  // (a cheap test first: most values with no metric are no margins)
  if (!MARGIN_BY_TAIL_RE.test(before.slice(-40))) return null;
  const window = before.slice(-160);
  if (!MARGIN_VERB_RE.test(window) || !MARGIN_BY_END_RE.test(window)) return null;
  const from = Math.max(0, start - 400);
  const lead = text.slice(from, start);
  const sentenceStart = Math.max(lead.lastIndexOf('. '), lead.lastIndexOf('; '));
  const sentence = lead.slice(sentenceStart + 1);
  const verb = MARGIN_VERB_RE.exec(sentence);
  if (!verb) return null;
  const names = new Set(
    metricHits(sentence.slice(0, verb.index))
      .map((h) => h.name)
      // (a generic name is a condition more often than what the margin measures: "under a fixed compute budget")
      .filter((n) => !MARGIN_GENERIC.has(n)),
  );
  return names.size === 1 ? [...names][0] : null;
}

// (metrics-1.25.0: a comparison too, "speeding up computation compared to base fine-tuning by")
const OBJECT_COMPLEMENT_RE =
  /\s(?:of|for|on|in|across|over|at|with|from|under|per|to|around|between|among|within|during|after|before|when|while|compared|relative)\s[\s\S]*$/i;
const FORM_LAST_WORDS: ReadonlySet<string> = new Set(
  METRIC_TABLE.flatMap((e) => e.forms.map((f) => (f.split(' ').pop() ?? f).toLowerCase())),
);
/** Whether the object of a change names a table metric only as a modifier of another head noun. */
function modifiesObjectHead(object: string): boolean {
  // ("improves latency significantly by": an adverb after the object is no head)
  const core = object
    .replace(OBJECT_COMPLEMENT_RE, '')
    .trim()
    .replace(/(?:\s+\w+ly)+$/, '');
  const hits = metricHits(core);
  const head = core.split(/\s+/).pop() ?? '';
  // (a gap, a difference or a margin of a metric is a change of that metric: "the AUC gap")
  // ("GPU memory usage", "VRAM usage": a word that ends a table form is a head of that metric)
  return (
    hits.length > 0 &&
    headMetric(core) === null &&
    /^[a-z]{3,}$/.test(head) &&
    !CHANGE_HEAD_RE.test(head) &&
    !FORM_LAST_WORDS.has(head)
  );
}

// metrics-1.28.0: "in a model 3.9x smaller", "a network 5 times lighter": the model noun before the factor; "achieving
// 3.9x compression" of a student sized in parameters: a model compressed by a factor measures its size (not the
// precision or data the clause names), unless the clause compresses something else (a cache, tokens, images)
const MODEL_BEFORE_RE = /\b(?:models?|networks?|students?|checkpoints?|footprints?)\s+(?:(?:up to|about|roughly|nearly|over)\s+)?$/i;
const SMALLER_AFTER_RE = /^\s*(?:smaller|lighter|more compact)\b/i;
const COMPRESSION_AFTER_RE = /^\s*(?:(?:model|weight|parameter|network)\s+)?(?:compression|size reduction)\b(?!\s+(?:of|in|on)\s)/i;
const MODEL_SIZED_RE = /\b(?:parameters|params|students?|distill\w*|prun\w*|quantiz\w*|model size)\b/i;
const OTHER_COMPRESSED_RE = /\b(?:KV|cache|tokens?|context|prompts?|images?|videos?|bit-?rates?|codecs?|activations?|gradients?|communication|data|point clouds?)\b/i;
function modelMadeSmaller(before: string, near: string): boolean {
  if (SMALLER_AFTER_RE.test(near)) return MODEL_BEFORE_RE.test(before.slice(-40));
  const compression = COMPRESSION_AFTER_RE.exec(near);
  if (!compression) return false;
  if (/model|weight|parameter|network/i.test(compression[0])) return true;
  const clause = before.slice(-160);
  return MODEL_SIZED_RE.test(clause) && !OTHER_COMPRESSED_RE.test(clause.slice(-80));
}

function scopedMetric(before: string, after: string): string | null {
  const near = after.slice(0, 90);
  // a cheap test first: most values follow no change noun
  const changeBefore = CHANGE_NOUN_NEAR_RE.test(before.slice(-40))
    ? METRIC_CHANGE_BEFORE_RE.exec(before.slice(-60))
    : null;
  // (metrics-1.24.0: a name of several words ends there too, "mean average precision increase of"; a token or a
  // parameter count changed is token usage or model size, "token reductions vary from")
  const changeMetric = changeBefore
    ? (headMetric(before.slice(-60, before.length - changeBefore[0].length + changeBefore[1].length)) ??
      canonicalMetric(changeBefore[1]) ??
      objectMetric(changeBefore[1].replace(/^(token|param(?:eter)?)$/i, '$1s')))
    : null;
  if (changeMetric && changeMetric !== 'performance') return changeMetric;
  if (CHANGE_OF_PARAMS_RE.test(near)) return 'model size';
  if (modelMadeSmaller(before, near)) return 'model size';
  const terms = IN_TERMS_OF_RE.exec(near);
  const termsMetric = terms ? findMetric(terms[1], '') : null;
  if (termsMetric) return termsMetric;
  // "7.75 VLM calls per episode, 6x fewer than the 46.62 …": the compared noun is elided; it is the one named
  // since the last value, and a metric named before that value (or after "than") is not this value's
  if (ELIDED_COMPARATIVE_RE.test(after)) return findMetric(elidedNounWindow(before), '');
  // metrics-1.24.0: "20x more data-efficient than X": the comparative of data- or sample-efficient measures sample efficiency
  if (MORE_EFFICIENT_RE.test(after)) return 'sample efficiency';
  const obj = COMPARATIVE_OBJECT_RE.exec(after.slice(0, 60));
  if (obj) {
    // metrics-1.26.0: "a 3.9× smaller model", "a 5x smaller network": a model made smaller by a factor measures its size
    // (GUIDE: "approximately 8x less parameters" is model size), whatever precision or data the clause names
    if (SIZE_OF_MODEL_RE.test(after.slice(0, 40))) return 'model size';
    const named = objectMetric(obj[1]);
    // "2x fewer parameters": the counted noun is measured, a metric or not
    return named;
  }
  const rateObj = RATE_COMPARATIVE_OBJECT_RE.exec(after.slice(0, 60));
  const rateMetric = rateObj ? findMetric(rateObj[1], '') : null;
  if (rateMetric) return rateMetric;
  // (metrics-1.25.0: the math a value opens is no word, "reduces the hotspot miss rate by $33\%$")
  const tail = approxSignAsAbout(before.slice(-90)).replace(/\$\s*$/, '');
  // both patterns end in "by <qualifiers>": test that cheaply before the backtracking ones
  const byEnd = /\bby\s+(?:[a-z]+\s+){0,3}$/i.test(tail);
  // metrics-1.15.0: "reducing token consumption by 12.9% and search iterations by 20.2%", "improving TTFT by 33%, TPOT
  // by 22%": a further "<object> by N" after a change verb's first one measures its own object, a metric or none
  const further = byEnd && /\d/.test(tail) ? FURTHER_OBJECT_BY_RE.exec(tail) : null;
  // (metrics-1.35.0: a first object the table names through its counted noun too, "reducing parameters by 93.6% and GFLOPs
  // by")
  if (further && objectMetric(further[1]) !== null && !/^(?:over|upon)\s/i.test(further[2]))
    return objectMetric(further[2]);
  const verb = byEnd ? (VERB_OBJECT_BY_RE.exec(tail) ?? passiveObject(tail)) : null;
  // "improved significantly by": an adverb is not an object; "improving over the strongest baseline by": a
  // competitor is not one either (the change is of the metric the clause names, as after "outperforming X by")
  if (verb && !/^(?:\w+ly\s+)+$/.test(verb[1]) && !/^(?:over|upon)\s/i.test(verb[1])) {
    // metrics-1.21.0: "reducing inference time steps by 64%", "loss spikes reduced by 98%": a metric that only modifies
    // the object's head noun is not what changed ("the pass rate of agents": the words before "of" hold the head)
    if (modifiesObjectHead(verb[1])) return null;
    // "reducing computational costs by 111x": the object names the metric, even a generic one
    // (metrics-1.26.0: the object's own words before a complement first, "increases TPR at 1% FPR by": the rate an
    // operating point is read at is not what changed)
    const core = verb[1].replace(OBJECT_COMPLEMENT_RE, '');
    const named = (core.length < verb[1].trim().length ? findMetric(core, '') : null) ?? findMetric(verb[1], '');
    if (named) return named;
    return objectMetric(verb[1]) ?? findMetric('', after);
  }
  const found = findMetric(before, after, undefined, true);
  // metrics-1.35.0: "we use just 1/3 the GFLOPs … and still outperform it by up to 15.8%": a margin over a rival is not of a
  // resource the clause names before it (what the method spends is a condition of the margin, as marginMetric reads it),
  // unless the margin's own words name it after the value
  if (found !== null && MARGIN_GENERIC.has(found) && byEnd && MARGIN_BY_END_RE.test(tail) && findMetric('', after) !== found)
    return null;
  return found;
}
