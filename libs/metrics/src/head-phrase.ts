// Phase 6a (metrics-1.11.0) — the noun phrase a number quantifies. A value written next to its own noun phrase
// measures that phrase: "0.057 LPIPS", "2.1x acceleration", "a 0.27% average relative gap", "48% lower overall
// score", "a 0.4% drop in VBench total score", "camera-control score of 73.75", "policy-following accuracy from 0.6465
// to 0.7415", "raises CLI success to 69.3%". Its metric is the one the phrase's head
// names; when the head is a measured quantity the metric table does not know (a score, a gap, a rate, an unknown
// acronym), the value has no metric, and a metric named elsewhere in the clause is not taken instead. A phrase whose
// head is not a measured quantity ("97% of the tasks", "8 GPUs") decides nothing: the clause rules apply.

import { headMetric } from './context';
import { METRIC_TABLE } from './metric-table';

export interface HeadReading {
  /** true when the value's own noun phrase decides its metric (which may be null) */
  decided: boolean;
  metric: string | null;
}

const UNDECIDED: HeadReading = { decided: false, metric: null };

// words that end a noun phrase: prepositions, determiners, conjunctions, auxiliaries and the result verbs
const STOP = new Set(
  (
    'on in of for with and or across over above below than compared relative vs vs. versus while whereas at to ' +
    'from by as when under respectively per against among using without within into via after before between ' +
    'the a an its their our this that these those each every all both which who is are was were be been being ' +
    'has have had can could will would may might it they we but not no only just about around nearly up'
  ).split(' '),
);
// change nouns: "a 5.4% improvement in mIoU" measures the phrase after "in"
const CHANGE_NOUN_RE =
  /^(?:improvements?|gains?|increases?|boosts?|reductions?|decreases?|drops?|degradations?|declines?)$/i;
// heads that name a measured quantity (a value of one is a score of it, whatever its name)
// (metrics-1.24.0: "93% agreement with human judgments", "by 7.2% C-index": agreement, and a hyphenated index or score
// name, are measures the table does not list)
const MEASURE_HEAD_RE =
  /^(?:scores?|rates?|gaps?|times?|acceleration|efficiency|quality|consumption|volume|emissions?|coefficients?|ratios?|fidelity|faithfulness|completeness|coverage|validity|specificity|kappa|correlations?|agreement|[A-Za-z]{1,8}-(?:index|score)|PPV|NPV)$/i;
// an unknown metric written as an acronym ("LPIPS", "HPSv3", "PDMS", "ADE@3s"; not a plural "ODVs", nor a "GPU")
const ACRONYM_RE = /^(?![GCTN]PU$)[A-Z][A-Z0-9]*[A-Z0-9](?:v\d+)?(?:@[\w.]+)?$/;
const UNLISTED_SCORER_RE = /^\(?(?:[A-Z][A-Za-z]*Score|BLEURT|COMET(?:-?Kiwi)?|W?S?MAPE)\)?$/;
const WORD_RE = /^[A-Za-z][\w@-]*(?:\.\d+)?$/;

// the words a measured phrase can end in: the last word of every table form, the words that may follow a table name
// (see headMetric) and the heads decided below
const HEAD_WORDS = new Set([
  ...METRIC_TABLE.flatMap((e) => e.forms.map((f) => (f.split(' ').pop() ?? f).toLowerCase())),
  ...'macro micro weighted similarity score scores rate rates value values metric metrics result results coefficient coefficients index'.split(
    ' ',
  ),
  // (metrics-1.21.0: measures the table does not list, GUIDE: specificity, kappa, correlations, PPV / NPV — a value of one has
  // no table metric, and a neighbour's is not its own)
  ...'param params parameters tokens success performance gap gaps time times acceleration efficiency quality consumption volume emission emissions ratio ratios fidelity faithfulness completeness coverage validity specificity kappa correlation correlations agreement ppv npv'.split(
    ' ',
  ),
]);

/** What the phrase `words` (head last) says the value measures. */
function decide(words: string[], acronymHead: boolean, counted = false, context?: string): HeadReading {
  if (words.length === 0) return UNDECIDED;
  const head = words[words.length - 1];
  // metrics-1.30.0: "a mean absolute percentage error (MAPE) of 58%", "BERTScore F1 +4.0", "COMET-Kiwi scores": a
  // percentage error, and a learned scorer's score (its F1 or precision included), are measures the table does not list
  // (GUIDE: MAPE, BERTScore null) — not the error rate or the F1 their last word names
  if (
    words.some(
      (w, i) =>
        UNLISTED_SCORER_RE.test(w) || (/^errors?$/i.test(w) && /^percentage$/i.test(words[i - 1] ?? '')),
    )
  )
    return { decided: true, metric: null };
  // a cheap test first: most phrases ("datasets", "GPUs", "of the tasks") end in no word a metric can end in
  const last = head.toLowerCase().replace(/@.*$/, '');
  if (
    !HEAD_WORDS.has(last) &&
    !/f1$|^[a-z]{1,8}-(?:index|score)$/.test(last) &&
    !(acronymHead && ACRONYM_RE.test(head))
  )
    return UNDECIDED;
  // a table name may begin before the phrase's first word ("balanced accuracy": the phrase stops at "-ed" words)
  const named = headMetric(context ? context.slice(-48) : words.join(' '));
  if (named) return { decided: true, metric: named };
  // heads the table does not list as such: counted objects of a change and plural or bare forms of a table name
  // ("3x to 10x fewer generator tokens"; "0.003% additional parameters" is a share, not a size)
  if (counted && /^(?:param(?:eter)?s)$/i.test(head)) return { decided: true, metric: 'model size' };
  if (counted && /^tokens$/i.test(head)) return { decided: true, metric: 'token usage' };
  if (/^success$/i.test(head)) return { decided: true, metric: 'success rate' };
  // "a score of 59" after "an FID score of 73": a bare "score" refers back to a named one
  if (words.length === 1 && /^scores?$/i.test(head)) return UNDECIDED;
  if (/^performance$/i.test(head)) return UNDECIDED;
  if (MEASURE_HEAD_RE.test(head) || (acronymHead && ACRONYM_RE.test(head)))
    return { decided: true, metric: null };
  return UNDECIDED;
}

/** Up to four words of a noun phrase from the start of `s` (none when it starts with a stop word). Words are one
 * space apart: a blanked-out "while maintaining …" phrase is a run of spaces and ends the phrase. */
function phraseAfter(s: string): string[] {
  const run = /^\s*([^\s,;:()]+(?: [^\s,;:()]+){0,4})/.exec(s);
  // (no loop over an empty literal: its array class is not the split's, and deoptimized this when first met)
  if (!run) return [];
  const words: string[] = [];
  for (const w of run[1].split(' ')) {
    const word = w.endsWith('.') ? w.slice(0, -1) : w;
    if (!WORD_RE.test(word) || STOP.has(word.toLowerCase())) break;
    words.push(word);
    if (word !== w) break;
  }
  return words.length <= 4 ? words : [];
}

/** Up to four words of a noun phrase ending at the end of `s` (head last); "(FID)" after a name is part of it. */
function phraseBefore(s: string): string[] {
  // words one space apart (a blanked-out phrase is a run of spaces); a scan, not a regex: it runs for many values
  const tail = s.slice(-80);
  if (/\s\s$/.test(tail)) return [];
  const tokens = tail.trimEnd().split(' ');
  const words: string[] = [];
  for (let i = tokens.length - 1; i >= 0 && words.length < 5; i--) {
    const w = tokens[i];
    if (w === '') break;
    if (/^\([A-Z][\w@-]*\)$/.test(w) && words.length > 0) {
      words.unshift(w);
      continue;
    }
    // ("a driving score of", "the matching accuracy": an -ing or -ed word right after an article modifies the noun)
    const modifier = /(?:ed|ing)$/.test(w) && i > 0 && /^(?:a|an|the)$/i.test(tokens[i - 1]);
    if (
      !WORD_RE.test(w) ||
      STOP.has(w.toLowerCase()) ||
      (/(?:ed|ing)$/.test(w) && !modifier) ||
      RESULT_VERB_RE.test(w)
    )
      break;
    words.unshift(w);
  }
  return words.filter((w) => !w.startsWith('(')).length <= 4 ? words : [];
}
const RESULT_VERB_RE =
  /^(?:improves|raises|reduces|increases|decreases|boosts|lowers|cuts|lifts|enhances|brings|pushes|drops|falls|rises|grows|moves|achieves|reaches|obtains|yields|attains|scores|shows|reports|gives)$/i;

const QUALIFIERS =
  '(?:(?:up to|about|around|over|nearly|more than|less than|fewer than|at least|at most|roughly|approximately|only|just|under|below|~|\\$)\\s*)*';
// "... from A to ", "... from A with ECoT to "
const FROM_TO_TAIL_RE = new RegExp(`\\bfrom\\s+[^\\s]+(?:\\s+[^\\s]+){0,3}?\\s+to\\s+${QUALIFIERS}$`, 'i');
// "raises CLI success to "
const VERB_TO_TAIL_RE = new RegExp(
  `(\\b(?:improv|rais|reduc|increas|decreas|boost|lower|cut|lift|enhanc|bring|push|drop|compress|shrink|quantiz)\\w*\\s+(?:[^\\s]+\\s+){1,4}?)to\\s+${QUALIFIERS}$`,
  'i',
);
// "camera-control score of ", "a Rater Feedback Score (RFS) of "
const OF_TAIL_RE = new RegExp(`\\s+(?:\\([^()]{1,12}\\)\\s*)?of\\s+${QUALIFIERS}$`, 'i');
const LEAD_WORDS = new Set(['average', 'avg', 'mean', 'relative', 'absolute', 'overall', 'total']);
const COMPARATIVES = new Set(
  'higher lower better worse fewer less more larger smaller faster slower'.split(' '),
);
const IN_AFTER_RE = /^[\s$}]*in\s+(?:the\s+)?/i;
const FIRST_WORD_RE = /^[\s$}]*([A-Za-z][\w@-]*)/;
const LEAD_RE = /^[$}]*\s*(?:(?:average|avg\.?|mean|relative|absolute|overall|total)\s+)*/i;
const TO_OR_OF_END_RE = /\b(?:to|of)\s+(?:\S+\s+){0,3}\S*$/i;
const COMPARATIVE_RE = /^\s*(?:higher|lower|better|worse|fewer|less|more|larger|smaller|faster|slower)\s/i;

/** What the noun phrase ending at the end of `s` says the value measures. */
function phraseEndingAt(s: string, counted: boolean): HeadReading {
  // metrics-1.13.0: "compressing the backbone from 14.3 GB to 2.7 GB", "quantizes the model to 2.1 GB": the size of
  // a model a method compresses is its model size
  if (COMPRESSED_MODEL_END_RE.test(s.slice(-60))) return { decided: true, metric: 'model size' };
  return decide(phraseBefore(s), true, counted, s.trimEnd());
}
const COMPRESSED_MODEL_END_RE =
  /\b(?:compress\w*|shrink\w*|quantiz\w*|prun\w*)\s+(?:the\s+|its\s+|our\s+|a\s+)?(?:[\w-]+\s+)?(?:model|backbone|network|weights|checkpoint)s?\s*$/i;

const changedObjectMetric = (w: string): string | null =>
  /^[KMGT]?FLOPs?$/i.test(w)
    ? 'compute'
    : /^param(?:eter)?s?$/i.test(w)
      ? 'model size'
      : /^tokens?$/i.test(w)
        ? 'token usage'
        : null;

/** The phrase written right after the value (math signs and adjectives skipped). */
function headAfter(near: string, comparative: boolean): HeadReading {
  const cmp = comparative ? COMPARATIVE_RE.exec(near) : null;
  const words = phraseAfter(cmp ? near.slice(cmp[0].length - 1) : near);
  if (words.length === 0) return UNDECIDED;
  // "5.4% improvement in mIoU", "5.41x acceleration in inference speed": the phrase after "in" is measured
  const rest = words.length === 1 && !cmp ? /^\s*\S+\s+(?:in|of|on)\s+(?:the\s+)?/i.exec(near) : null;
  if (CHANGE_NOUN_RE.test(words[0]) && words.length === 1 && !cmp)
    return rest ? decide(phraseAfter(near.slice(rest[0].length)), true) : UNDECIDED;
  // metrics-1.32.0: "90.11% FLOP reduction", "96.30% parameter reduction", "87-93% text token reduction": the counted
  // object written right before a change noun is what changed (GUIDE: "reducing parameters" is model size, "token
  // reductions" token usage, FLOPs compute)
  if (words.length >= 2 && !cmp && CHANGE_NOUN_RE.test(words[words.length - 1])) {
    const changed = changedObjectMetric(words[words.length - 2]);
    if (changed) return { decided: true, metric: changed };
  }
  // (not "speedup on NVIDIA A800": "on" says where, not what)
  if (rest && /^(?:acceleration|speed-?ups?)$/i.test(words[0]) && !/\son\s/i.test(rest[0])) {
    const inner = decide(phraseAfter(near.slice(rest[0].length)), true);
    if (inner.decided) return inner;
  }
  return decide(words, !cmp, cmp !== null);
}

/** The metric the noun phrase a value quantifies names, read from the value's clause windows. */
export function ownHeadMetric(before: string, after: string, percent = false): HeadReading {
  // after the value: "2.1x acceleration", "48% lower overall score", "5.4% improvement in mIoU" ("$0.27\%$ average
  // relative gap": the closing math sign and the adjectives that qualify a measure are skipped); a cheap test
  // first: most values are followed by punctuation or a preposition
  const first = FIRST_WORD_RE.exec(after);
  const word = first !== null ? first[1].toLowerCase() : '';
  // (metrics-1.16.0: "a 24.5% relative improvement in SS": "relative" is a stop word of phrases, but a lead word here)
  if (first !== null && (!STOP.has(word) || LEAD_WORDS.has(word))) {
    const near = after.slice(0, 80);
    const lead = LEAD_WORDS.has(word) || first[0].includes('$') || first[0].includes('}');
    // metrics-1.16.0: "83.5% mean Average Precision (mAP)": a lead word may begin the metric's own name
    const named = LEAD_WORDS.has(word) ? headAfter(near.replace(/^[$}]*/, ''), false) : UNDECIDED;
    if (named.decided && named.metric !== null) return named;
    const got = headAfter(lead ? near.replace(LEAD_RE, ' ') : near, COMPARATIVES.has(word));
    if (got.decided) return got;
  }
  // metrics-1.16.0: "3.8x in generation speed and 4.7x in energy efficiency": a measure named after "in" right after
  // the value is what it measures ("35.9% in Persian": a name that is no measure decides nothing)
  if (word === 'in') {
    const inner = IN_AFTER_RE.exec(after);
    if (inner) {
      // (not an acronym the table does not know: "5.2 in ICLR 2025" names where, not what)
      const got = decide(phraseAfter(after.slice(inner[0].length)), false);
      if (got.decided) return got;
    }
  }
  // before it: "from A to", "raises X to", "X of" (a cheap test first: most values follow neither word)
  const end = before.slice(-32);
  const to = end.includes('to ');
  if (!to && !end.includes('of ')) return UNDECIDED;
  if (!TO_OR_OF_END_RE.test(end)) return UNDECIDED;
  const tail = before.slice(-120);
  if (to) {
    const fromTo = FROM_TO_TAIL_RE.exec(tail);
    if (fromTo) return phraseEndingAt(tail.slice(0, fromTo.index), false);
    const verbTo = VERB_TO_TAIL_RE.exec(tail);
    if (verbTo) return phraseEndingAt(tail.slice(0, verbTo.index + verbTo[1].length), true);
  }
  const of = OF_TAIL_RE.exec(tail);
  if (of) return ofPhrase(tail.slice(0, of.index), percent);
  return UNDECIDED;
}

// metrics-1.16.0: "an Rmean of 84.43", "a best Elo of 1210": a capitalised name right after an article (and its lead
// adjectives) that the table does not know names a measure of its own; "missing pixel scenarios of 90%": a plural
// noun of a percentage is the thing the share sizes. Either way the value is that phrase's, and a metric named elsewhere in the clause
// is not taken instead ("the accuracy on CIFAR-10 of 95%": a name after a preposition is where, not what)
const NAME_AFTER_ARTICLE_END_RE =
  /\b(?:a|an|the)\s+(?:(?:average|mean|overall|best|final|highest|lowest|top)\s+)*[A-Z][a-z][A-Za-z]*\s*$/;
const PLURAL_NOUN_END_RE = /(?<![\w-])[a-z]{3,}[a-rt-z]s\s*$/;
// nouns of quantity whose "of N" is still the clause's measure ("margins of 3 points", "improvements of 5%")
const QUANTITY_NOUN_END_RE =
  /(?:margins|factors|totals|averages|amounts|levels|values|results|improvements|gains|increases|boosts|reductions|decreases|drops|savings|differences|changes|points|orders|ups|downs|ranges)\s*$/i;

function ofPhrase(s: string, percent: boolean): HeadReading {
  const got = phraseEndingAt(s, false);
  if (got.decided) return got;
  if (
    NAME_AFTER_ARTICLE_END_RE.test(s.slice(-60)) ||
    (percent && PLURAL_NOUN_END_RE.test(s) && !QUANTITY_NOUN_END_RE.test(s))
  )
    return headMetric(s.slice(-48)) === null ? { decided: true, metric: null } : got;
  return got;
}
