// Reading the words around a number: its metric, what it beats, where it was measured, its qualifier.
// Every function here works on a bounded window (a few hundred characters at most), so the cost of a
// claim does not grow with the abstract.

import {
  METRIC_TABLE,
  METRIC_RE_ANY_CASE,
  METRIC_RE_EXACT_CASE,
  METRIC_RE_PASS_AT,
  METRIC_RE_PREFIXED_F1,
  METRIC_RE_SUFFIXED_F1,
  canonicalMetric,
} from './metric-table';
import { codeAt } from './numbers';

export const WINDOW_BEFORE = 140;
export const WINDOW_AFTER = 160;

/** The part of `text` before `pos` that is in the same clause (stops at a sentence end or ';'). */
export function clauseBefore(text: string, pos: number, max = WINDOW_BEFORE): string {
  const from = Math.max(0, pos - max);
  const slice = text.slice(from, pos);
  let cut = -1;
  // (character codes compared, not one-character strings: codeAt)
  for (let i = slice.length - 1; i >= 0; i--) {
    const ch = slice.charCodeAt(i);
    if (ch === 0x3b /* ; */ || ch === 0x0a /* \n */ || ch === 0x21 /* ! */ || ch === 0x3f /* ? */) {
      cut = i;
      break;
    }
    // a full stop ends a sentence only when followed by a space and not inside a number or "e.g."
    if (
      ch === 0x2e /* . */ &&
      codeAt(slice, i + 1) === 0x20 /* space */ &&
      !/\b(?:e\.g|i\.e|et al|vs|v\.s|approx|resp|cf|Fig|Eq|Sec|No|ca|avg)$/i.test(
        slice.slice(Math.max(0, i - 8), i),
      )
    ) {
      cut = i;
      break;
    }
  }
  return slice.slice(cut + 1);
}

const REPORTING_PARTICIPLE_RE =
  /^,\s+(?:thereby\s+)?(?:confirming|showing|indicating|suggesting|demonstrating|revealing|highlighting|proving|implying|underscoring)\s+(?:that|how|the)\b/i;

/** The part of `text` from `pos` that is in the same sentence. */
export function clauseAfter(text: string, pos: number, max = WINDOW_AFTER): string {
  const slice = text.slice(pos, pos + max);
  for (let i = 0; i < slice.length; i++) {
    const ch = slice.charCodeAt(i);
    if (ch === 0x3b /* ; */ || ch === 0x0a /* \n */ || ch === 0x21 /* ! */ || ch === 0x3f /* ? */)
      return slice.slice(0, i);
    // metrics-1.26.0: ", confirming that residual error is perceptual": a participle reporting what a result shows opens a
    // clause of its own, whose measures are not the value's
    if (ch === 0x2c /* , */ && REPORTING_PARTICIPLE_RE.test(slice.slice(i, i + 40))) return slice.slice(0, i);
    if (
      ch === 0x2e /* . */ &&
      (codeAt(slice, i + 1) === 0x20 /* space */ || i + 1 === slice.length) &&
      // ("91.9% v.s. 90.1%": an abbreviation of versus does not end the sentence)
      !/\b(?:e\.g|i\.e|et al|vs|v\.s|approx|resp|cf|avg)$/i.test(slice.slice(Math.max(0, i - 8), i))
    ) {
      return slice.slice(0, i);
    }
  }
  return slice;
}

// metrics-1.12.0: a table acronym the abstract defines as something else ("Self-Review (SR)", "super-resolution (SR)")
// names no metric in that abstract; set once per abstract by definedOtherwise() (extractClaims is synchronous)
let redefined: ReadonlySet<string> = new Set();
// "(SR)", "(ASR)": an acronym in parentheses (a cheap scan: few abstracts define one that is also a table form; read at
// each "(" that indexOf finds, faster than the regex's own scan)
const ACRONYM_DEF_RE = /\(([A-Z][A-Za-z0-9@]{0,7})\)/y;

/** Reads the acronyms `text` defines in parentheses; a table acronym defined by words that do not name its metric
 * ("Self-Review (SR)") is not that metric anywhere in `text`. Returns the set it keeps until the next call. */
export function definedOtherwise(text: string): ReadonlySet<string> {
  let found: Set<string> | null = null;
  redefined = EMPTY;
  if (text.includes('(')) {
    for (let at = text.indexOf('('); at >= 0; at = text.indexOf('(', at + 1)) {
      ACRONYM_DEF_RE.lastIndex = at;
      const m = ACRONYM_DEF_RE.exec(text);
      if (m === null) continue;
      const name = canonicalMetric(m[1]);
      // (only acronyms the table spells out: "SR" for "success rate", "EER"; "FID" has no long form to compare with)
      if (!name || !SPELLED_ACRONYMS.has(m[1])) continue;
      // the words right before the parenthesis name the metric the acronym abbreviates, or they define another thing
      const words = text.slice(Math.max(0, m.index - 40), m.index);
      const named = metricHits(words).filter((h) => h.name === name);
      if (named.length === 0 || named[named.length - 1].end < words.trimEnd().length - 2)
        (found ??= new Set()).add(m[1]);
    }
  }
  redefined = found ?? EMPTY;
  return redefined;
}
const EMPTY: ReadonlySet<string> = new Set();
// the table's capitalised acronyms that abbreviate one of their entry's long forms ("SR" = "success rate")
const SPELLED_ACRONYMS: ReadonlySet<string> = new Set(
  METRIC_TABLE.flatMap((e) =>
    e.forms.filter(
      (f) =>
        f !== f.toLowerCase() &&
        e.forms.some(
          (long) =>
            long.includes(' ') &&
            long
              .split(/[\s-]+/)
              .map((w) => w[0])
              .join('')
              .toUpperCase() === f.toUpperCase(),
        ),
    ),
  ),
);

// metrics-1.15.0: "SPEED using only 75% of layers reaches 51.2", "COST-aware routing": an English metric word written
// in capitals is a name (a method, an acronym it spells), not the metric; the table's acronyms ("WER", "PSNR", "AUC")
// are written so and stay metrics
const METRIC_WORDS = new Set([
  'speed',
  'speeds',
  'energy',
  'cost',
  'costs',
  'price',
  'memory',
  'loss',
  'performance',
  'error',
  'errors',
  'recall',
  'precision',
  'accuracy',
  'reward',
  'rewards',
  'compute',
  'computation',
  'storage',
  'runtime',
  'latency',
  'throughput',
  'hallucination',
]);
function capitalisedWord(form: string): boolean {
  return form.length >= 4 && form === form.toUpperCase() && METRIC_WORDS.has(form.toLowerCase());
}

// metrics-1.21.0: "a sensitivity analysis", "low sensitivity to pruning": sensitivity in its everyday sense is no recall
const PLAIN_SENSITIVITY_AFTER_RE = /^\s+(?:analys[ie]s|to|of)\b/i;
// metrics-1.37.0: the modifiers of a physical or spectral energy ("activation energy", "high-frequency energy")
const PHYSICAL_ENERGY_BEFORE_RE =
  /\b(?:activation|binding|formation|adsorption|free|kinetic|potential|ionization|excitation|interaction|ground[\s-]state|(?:high|low|mid)[\s-]frequency|spectral)[\s-]$/i;

function plainSense(form: string, window: string, end: number): boolean {
  return (
    form.length === 11 &&
    form.toLowerCase() === 'sensitivity' &&
    PLAIN_SENSITIVITY_AFTER_RE.test(window.slice(end, end + 12))
  );
}

// (metrics-1.28.0: and of a component a method is built from, "reward shaping", "reward model", "loss function",
// "cost function")
const SYSTEM_HEAD_AFTER_RE =
  /^ (?:baselines?|methods?|approaches|systems?|mechanisms?|modules?|architectures?|frameworks?|techniques?|models?|functions?|shaping|hacking|signals?|heads?|landscapes?|engineering)\b/i;

export interface MetricHit {
  index: number;
  end: number;
  name: string;
}

/** Every table metric named in `window`, in order (the acronyms the abstract redefines excepted). */
export function metricHits(window: string): MetricHit[] {
  const hits: MetricHit[] = [];
  for (const re of [METRIC_RE_ANY_CASE, METRIC_RE_EXACT_CASE, METRIC_RE_PREFIXED_F1, METRIC_RE_SUFFIXED_F1]) {
    // (every match of METRIC_RE_PREFIXED_F1 / _SUFFIXED_F1 holds "F1": a cheap test first)
    if ((re === METRIC_RE_PREFIXED_F1 || re === METRIC_RE_SUFFIXED_F1) && !window.includes('F1')) continue;
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(window)) !== null) {
      const end = m.index + m[0].length;
      // "Item-F1": the hit is the F1 at the end of the match
      if (re === METRIC_RE_PREFIXED_F1) hits.push({ index: end - 2, end, name: 'f1' });
      else if (re === METRIC_RE_SUFFIXED_F1) hits.push({ index: m.index, end, name: 'f1' });
      else {
        // (group 1 is the table form without a threshold suffix: "mAP50-95" is mAP)
        const form = m[1] ?? m[0];
        const name =
          (redefined.size > 0 && redefined.has(form)) ||
          // metrics-1.26.0: "static memory baselines", "accuracy-based methods": a form that modifies the name of a kind of
          // system names no measure
          // (not a unit after a number, "a 30 FPS system")
          (codeAt(window, end) === 0x20 /* space */ &&
            SYSTEM_HEAD_AFTER_RE.test(window.slice(end, end + 16)) &&
            !/\d\s*$/.test(window.slice(Math.max(0, m.index - 3), m.index))) ||
          (re === METRIC_RE_ANY_CASE && (capitalisedWord(form) || plainSense(form, window, end))) ||
          // metrics-1.30.0: "mean absolute percentage error": a percentage error is no error rate, and not in the table
          // (GUIDE: MAPE null)
          (/^errors?$/i.test(form) &&
            (/\bpercentage[\s-]$/i.test(window.slice(Math.max(0, m.index - 12), m.index)) ||
              // metrics-1.32.0: "lower error bars": the spread of a measurement, no error rate
              /^\s+bars?\b/i.test(window.slice(end, end + 6)))) ||
          // metrics-1.37.0: "the recovered activation energy Q_fit = 0.296 eV", "a 12% reduction in high-frequency energy":
          // a physical or spectral energy is no energy consumption (GUIDE: null)
          (/^energy$/i.test(form) &&
            PHYSICAL_ENERGY_BEFORE_RE.test(window.slice(Math.max(0, m.index - 24), m.index))) ||
          // metrics-1.37.0: "margins between win and loss rates": a loss rate is a share of outcomes, no training loss
          (/^loss$/i.test(form) && /^\s+rates?\b/i.test(window.slice(end, end + 7)))
            ? null
            : canonicalMetric(form);
        if (name) hits.push({ index: m.index, end, name });
      }
    }
  }
  // ("pass@25": a pass@k the table's forms do not spell; once, "pass@1" is a table form; a cheap test first)
  if (window.includes('ass@') || window.includes('ass^')) {
    METRIC_RE_PASS_AT.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = METRIC_RE_PASS_AT.exec(window)) !== null) {
      const at = m.index;
      if (!hits.some((h) => h.index === at)) hits.push({ index: at, end: at + m[0].length, name: 'pass@k' });
    }
  }
  return hits.sort((a, b) => a.index - b.index);
}

// "the lowest false positive rate and improves precision": a verb between two metrics ends a list of them
const METRIC_LIST_GAP = /^\s*(?:,\s*)?(?:and|or|,)\s+(?:(?![\w-]*(?:es|ed|ing|s)\s)[\w-]+\s+){0,2}$/i;

/** The metrics of the last list in the window ("boost mIoU and accuracy by" -> [miou, accuracy]). */
export function metricsInOrder(window: string): string[] {
  const hits = metricHits(window).filter((h) => !UNNAMED.has(h.name));
  let first = hits.length - 1;
  while (first > 0 && METRIC_LIST_GAP.test(window.slice(hits[first - 1].end, hits[first].index))) first--;
  const names: string[] = [];
  for (const h of hits.slice(Math.max(0, first))) if (!names.includes(h.name)) names.push(h.name);
  return names;
}

// "4.59% reduction on RMSE", "a 3% gain in F1": the change noun right after the value names its metric
const CHANGE_OF_METRIC =
  /^\W*(?:[\w-]+\s+)?(?:reductions?|improvements?|gains?|increases?|decreases?|drops?|boosts?|degradations?)\s+(?:on|in|of)\s+(?:the\s+)?$/i;

// "AUROC exceeding 0.96", "accuracy (42.43)", "AP@25 of 61.66", "(mean AUROC 0.979-0.983)", "F1 0.81": a metric named right
// before a bare number is what the number scores
// ("mean absolute error (MAE) of 7.48": the acronym in parentheses after the name)
// (metrics-1.22.0: "$F_1$ 0.70": the "$" closing the name's math)
// (metrics-1.26.0: math opened after a space, "AUC $0.799 \pm 0.009$")
const RIGHT_BEFORE_GAP_RE =
  /^(?:@\d+(?:\.\d+)?)?\s*\$?\s*(?:\)\s*)?(?:\(\s*)?(?:(?:mean|average|avg\.?|exceeding|above|over|of|up to|reaching|>=|≥|>|~|≈)\s*)*$/i;

export function metricRightBefore(before: string): string | null {
  const tail = before.slice(-40);
  const hits = metricHits(tail).filter((h) => !UNNAMED.has(h.name));
  const last = hits[hits.length - 1];
  return last && RIGHT_BEFORE_GAP_RE.test(tail.slice(last.end)) ? last.name : null;
}

// metrics-1.15.0: "accuracy and phase-level Jaccard …: 94.6%/82.7%", "an accuracy/F1 of 91.2%/88.0%": the values of a
// slash pair measure the two measures named last before them, in order (a table metric or none)
const PAIRED_MEASURE_AFTER_RE = /^\s*(?:\/|and\b)\s*((?:[A-Za-z][\w@.-]*[\s-]){0,2}[A-Za-z][\w@.-]*)/;
export function pairedMeasures(before: string): [string | null, string | null] | null {
  const hits = metricHits(before).filter((h) => !UNNAMED.has(h.name));
  const last = hits[hits.length - 1];
  if (!last) return null;
  const pair = PAIRED_MEASURE_AFTER_RE.exec(before.slice(last.end));
  if (pair) return [last.name, findMetric(pair[1], '')];
  // "Jaccard and accuracy …": the pair may end with the last metric
  const prev = hits[hits.length - 2];
  return prev && /^\s*(?:\/|and)\s*$/.test(before.slice(prev.end, last.index))
    ? [prev.name, last.name]
    : null;
}

// metrics-1.16.0: "improves SR and SPL by 9.4% and 5.0%", "on BERTScore, RadGraph F1 and CheXbert F1 by average": the
// names of a coordinated list right before the "by" / "of" that opens a list of values, in order, each the table's
// (metrics-1.18.0: "its AUC, precision, CA and F1score values of 99%, 86%, 85.5% and 84.2%": "values" / "scores" may
// stand between the names and "of")
// metric or null (a name the table does not know still takes its place in the list)
// (metrics-1.24.0: "cost and runtime savings of up to 76.8% and 72.7%": a change noun the names modify may stand there too)
// (metrics-1.31.0: a lowercase head after the name, "dice score and IoU of 0.93 and 0.87"; "MAPE and MAE are 7.3% and 0.52")
const NAME_ITEM = '[A-Za-z][\\w@.-]*(?:\\s(?:[A-Z][\\w@.-]*|scores?|rates?|coefficients?))?';
const NAME_LIST_END_RE = new RegExp(
  `(${NAME_ITEM}(?:,\\s*${NAME_ITEM})*,?\\s+and\\s+${NAME_ITEM})\\s+(?:(?:values|scores|savings|reductions|improvements|gains)\\s+)?(?:on\\s+average\\s+)?(?:by|of|are|were)\\s+(?:(?:an?\\s+)?(?:average|avg\\.?|mean)\\s+(?:of\\s+)?|up\\s+to\\s+)?$`,
);
// metrics-1.31.0: "0.52 and 7.3% in MAE and MAPE, respectively", "55% and 63% reductions in RMSE and SAD, respectively":
// the names listed after the values, before "respectively", pair with them in order — a name the table does not know
// keeps its place (null) — when the first of them is a table metric ("in entity and relationship F1-score" shares one)
const NAMES_BEFORE_RESPECTIVELY_RE = new RegExp(
  `\\b(?:in|on|of|for)\\s+(?:the\\s+|terms\\s+of\\s+)?(${NAME_ITEM}(?:,\\s*${NAME_ITEM})*,?\\s+and\\s+${NAME_ITEM})\\s*,?\\s*respectively\\b`,
);
// metrics-1.31.0: "a gain of 35.3% and 39.6% in FID and FDD scores": the names listed right after the values, ending the
// clause, pair with them in order as a "respectively" list does
const NAMES_RIGHT_AFTER_RE = new RegExp(
  `^\\s*\\$?\\s*(?:in|on)\\s+(?:the\\s+|terms\\s+of\\s+)?(${NAME_ITEM}(?:,\\s*${NAME_ITEM})*,?\\s+and\\s+${NAME_ITEM})(?:\\s+(?:scores?|metrics?|values?))?\\s*(?:[,.;)]|$)`,
);
export function namesRightAfter(after: string, size: number): Array<string | null> | null {
  const m = NAMES_RIGHT_AFTER_RE.exec(after);
  return m ? pairedNames(m[1], size) : null;
}
function pairedNames(list: string, size: number): Array<string | null> | null {
  const items = list.split(/,\s*(?:and\s+)?|\s+and\s+/);
  if (size > 0 && items.length !== size) return null;
  const names = items.map((item) => findMetric(item, ''));
  return names[0] !== null && names.some((n) => n === null || n !== names[0]) ? names : null;
}

/** (size 0: a list of any length) */
export function namesBeforeRespectively(between: string, size: number): Array<string | null> | null {
  const m = NAMES_BEFORE_RESPECTIVELY_RE.exec(between);
  return m ? pairedNames(m[1], size) : null;
}
export function nameSlots(before: string): Array<string | null> | null {
  const m = NAME_LIST_END_RE.exec(before.slice(-120));
  if (!m) return null;
  const items = m[1].split(/,\s*(?:and\s+)?|\s+and\s+/);
  const names = items.map((item) => findMetric(item, ''));
  // metrics-1.18.0: "image-level and pixel-level AUROC of 98.0% and 97.6%": modifiers coordinated before one metric's name
  // share that name (each a single word the table does not know, the last item a modifier and the name)
  const last = names[names.length - 1];
  if (
    last !== null &&
    names.slice(0, -1).every((n, i) => n === null && /^\s*[A-Za-z][\w]*-[\w-]+\s*$/.test(items[i])) &&
    /^\s*[A-Za-z][\w]*-[\w-]+\s+\S/.test(items[items.length - 1])
  )
    return names.map(() => last);
  return names.some((n) => n !== null) ? names : null;
}

// metrics-1.24.0: "improves driving score and success rate by +15.7 and +26.2, respectively": before a "respectively" list,
// the coordinated noun phrases (up to three words each) between a change verb and its "by" are its measures in order — a
// table metric or none — when as many as its values, each naming at most one metric and one of them a table metric
const PHRASE_ITEM = "(?:[\\w@.'-]+\\s){0,2}[\\w@.'-]+";
const PHRASE_LIST_END_RE = new RegExp(
  `\\b(?:improv|reduc|increas|decreas|lower|cut|boost|rais|lift|enhanc)\\w*\\s+(?:the\\s+|its\\s+|their\\s+)?(${PHRASE_ITEM}(?:,\\s${PHRASE_ITEM})*,?\\sand\\s${PHRASE_ITEM})\\sby\\s(?:(?:up to|about|around|over|nearly|an average of|on average)\\s)*[+]?$`,
  'i',
);
export function respectiveSlots(before: string, size: number): Array<string | null> | null {
  const m = PHRASE_LIST_END_RE.exec(before.slice(-120));
  if (!m) return null;
  const items = m[1].split(/,\s(?:and\s)?|\sand\s/);
  if (items.length !== size) return null;
  const hits = items.map((item) => metricHits(item).filter((h) => !UNNAMED.has(h.name)));
  if (hits.some((h) => new Set(h.map((x) => x.name)).size > 1) || hits.every((h) => h.length === 0))
    return null;
  return hits.map((h) => (h.length ? h[0].name : null));
}

// "performance" says that something was measured, not what: never reported as a claim's metric
export const UNNAMED: ReadonlySet<string> = new Set(['performance']);
// what may stand between "performance" and the value it governs: a verb or preposition and a few words, no clause break,
// no other value
// (nor a name set equal to the value: "model performance (partial r = +0.41)" is a statistic of its own)
const PERFORMANCE_GAP_RE = /^(?![^]*[.;:]\s)(?![^]*[\d=])[^]{0,40}$/;
/** Whether the last measure word before the value is "performance", after every metric of the window. */
export function performanceGoverns(
  before: string,
  beforeHits: MetricHit[] = metricHits(before).filter((h) => !UNNAMED.has(h.name)),
): boolean {
  // (a cheap test first)
  if (!/performance/i.test(before.slice(-60))) return false;
  const hits = metricHits(before);
  const last = hits[hits.length - 1];
  if (last === undefined || !UNNAMED.has(last.name)) return false;
  const lastNamed = beforeHits[beforeHits.length - 1];
  if (lastNamed !== undefined && lastNamed.end > last.index) return false;
  // ("a Performance per kWh of 0.52": a measure named with "per" is one of its own; "performance improvements of" is a
  // change the sentence's metric may name, as OWN_PERFORMANCE_RE reads it; "an accuracy performance of" is that metric's)
  const gap = before.slice(last.end);
  if (/^\s*(?:per|gains?|improvements?|drops?|boosts?|increases?|degradations?|losses?|lifts?)\b/i.test(gap)) return false;
  if (lastNamed !== undefined && /^[\s-]*$/.test(before.slice(lastNamed.end, last.index))) return false;
  // (the value is the word's when nothing but a verb of its own and prepositions stand between: "while reducing
  // parameters by" opens another object)
  return PERFORMANCE_GAP_RE.test(gap) && !PERFORMANCE_GAP_BREAK_RE.test(gap);
}
const PERFORMANCE_GAP_BREAK_RE =
  /\b(?:while|whereas|but|and|with|using|reduc\w*|improv\w*|increas\w*|decreas\w*|lower\w*|cut\w*|sav\w*|requir\w*)\b/i;
// Generic names ("score", "memory") lose to a specific one in the same window.
const GENERIC = new Set(['performance', 'memory', 'reward', 'speed', 'cost', 'compute']);

// "88.85% versus 88.95% top-1": the comparison value between a claim and its metric is skipped
const VERSUS_VALUE_RE = /^(\s*)(?:vs\.?|v\.s\.|versus)\s+[+-]?\d[\d.,]*\s*(?:\\?%)?/i;
// ", reduces ROI MAE by": a metric that a new verb governs belongs to the next claim
const NEW_VERB_RE =
  /,\s*(?:and\s+)?(?:\w+ly\s+)?(?:reduc|improv|increas|decreas|achiev|boost|lower|rais|yield|obtain|outperform|surpass|cut)\w*\b/i;
// "+8.6% visual PSNR and -62.3% velocity divergence": a metric written right after another value is that
// value's, and a value followed by its own noun phrase measures that phrase
const OWNED_BY_VALUE_RE = /\d(?:\s*(?:%|\\%|x|×|pp|points?|dB))?\s+(?:[\w-]+\.?\s+)?$/;
export const OWN_NOUN_AFTER_RE =
  /^\s+(?!(?:on|in|of|for|with|and|or|across|over|above|below|beyond|than|compared|relative|vs|versus|while|at|to|from|by|as|when|under|respectively|improvements?|gains?|reductions?|increases?|decreases?|drops?|higher|lower|better|worse|more|less|fewer|faster|slower|absolute|relative|average|points?|the|a|an)\b)[a-z][a-z-]{2,}\s+[a-z][a-z-]{2,}/;

const OWN_PERFORMANCE_RE =
  /^[\s(]{0,2}performance\b(?!\s+(?:gains?|improvements?|drops?|boosts?|increases?|degradations?|losses?)\b)/i;

// metrics-1.13.0: "at 50 fps, X achieves a 93.1% relative improvement", "under a $\times5.04$ FLOPs reduction on FLUX,
// it reduces LPIPS by 31%", "At inference time, X is 41.5 to 534 times faster": a metric named by an operating point
// (a value after "at"/"under" and the words it quantifies, or "at <…> time") that opens a clause of its own — a comma,
// then a verb before the value — is the point's own, never the later value's ("streaming at 31 FPS, 17.6x faster"
// has no verb of its own: the rate is what the speed-up is of)
const OPERATING_POINT_END_RE =
  /\b(?:at|under)\s+(?:an?\s+)?(?:(?:about|around|only|roughly|approximately|nearly|~|≈|\$?\\sim\$?)\s*)*(?:\$?\s*(?:\\times|×)\s*)?\d[\d.,]*\s*(?:\\?%|x|×|\\times|-?fold)?\s*\$?\s*(?:[\w-]+\s+)?$/i;
const WHEN_PHRASE_END_RE = /\bat\s+$/i;
const OWN_CLAUSE_AFTER_RE =
  /^[^,;:]{0,40},\s+(?:[^\s,;:]+\s+){0,5}?(?:is|are|was|were|achiev\w*|reach\w*|attain\w*|obtain\w*|yield\w*|deliver\w*|improv\w*|boost\w*|rais\w*|increas\w*|reduc\w*|lower\w*|decreas\w*|drop\w*|cut\w*|outperform\w*|surpass\w*)\b/i;

/** Whether the metric `h` of `window` is written right after an operating point ("at 25 fps", "at 90% precision"). */
function namedByPoint(window: string, h: MetricHit): boolean {
  const lead = window.slice(Math.max(0, h.index - 50), h.index);
  return /\b(?:at|under)\s/i.test(lead) && OPERATING_POINT_END_RE.test(lead); // a cheap test first
}

/** Whether the metric `h` of the window before a value is named by an operating point of another clause. */
function atOperatingPoint(window: string, h: MetricHit): boolean {
  const lead = window.slice(Math.max(0, h.index - 50), h.index);
  if (!/\b(?:at|under)\s/i.test(lead)) return false; // a cheap test first
  const point = WHEN_PHRASE_END_RE.test(lead)
    ? /time$/i.test(window.slice(h.index, h.end))
    : OPERATING_POINT_END_RE.test(lead);
  return point && OWN_CLAUSE_AFTER_RE.test(window.slice(h.end));
}

// a metric name followed by its own value: "Recall 0.951", "mAP@0.5 0.978", "IoU of 0.579", "F1 = 0.81", "(precision: 0.62"
// ("BLEU-1 gain", "ROUGE-2": a number glued to the name is part of it)
// (metrics-1.31.0: and a name a bound links to the next value, ", with mean trajectory errors below 1.1 mm")
const NAMES_NEXT_VALUE_RE =
  /^(?:@[\w.:-]+(?![\w.:-]))?(?:\s*[:=~≈]|\s+(?:of\s+|below\s+|above\s+|under\s+|over\s+|exceeding\s+|(?:of\s+)?(?:less|more|greater|lower|higher)\s+than\s+)?[-+~]?\$?\s*\d)/;
// the label written right before a value ("Item-F1 92.8", "IoU of 0.579", "mAP@0.5 0.978", "MIA AUC (…) 0.81"): up to
// three words after a list comma, a ";", an opening parenthesis, "e.g.", "and", "with" or an article (a scan, not a
// regex: it runs for most values)
const LABEL_LEADS: ReadonlySet<string> = new Set(['and', 'with', 'a', 'an', 'the', 'its', 'their', 'our']);
// (on character codes, codeAt: -1 out of bounds)
const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x09;
const isLetter = (c: number): boolean => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
// the characters of a label word: letters, digits, "_", "@", ".", ":", "$", "^", "{", "}", "-"
const isLabelChar = (c: number): boolean =>
  isLetter(c) ||
  (c >= 0x30 && c <= 0x39) ||
  c === 0x5f ||
  c === 0x40 ||
  c === 0x2e ||
  c === 0x3a ||
  c === 0x24 ||
  c === 0x5e ||
  c === 0x7b ||
  c === 0x7d ||
  c === 0x2d;

/** Where the label phrase right before the end of `tail` starts and ends, or null. */
function labelPhrase(tail: string): [number, number] | null {
  let i = tail.length;
  const skipSpaces = (): void => {
    while (i > 0 && isSpace(codeAt(tail, i - 1))) i--;
  };
  skipSpaces();
  if (codeAt(tail, i - 1) === 0x24 /* $ */) i--;
  skipSpaces();
  const last = codeAt(tail, i - 1);
  if (last === 0x3a /* : */ || last === 0x3d /* = */) i--;
  else if (
    i >= 3 &&
    last === 0x66 /* f */ &&
    codeAt(tail, i - 2) === 0x6f /* o */ &&
    isSpace(codeAt(tail, i - 3))
  )
    i -= 2;
  skipSpaces();
  if (codeAt(tail, i - 1) === 0x29 /* ) */) {
    const open = tail.lastIndexOf('(', i - 2);
    if (open < 0 || i - 2 - open > 40 || tail.lastIndexOf(')', i - 2) > open) return null;
    i = open;
    skipSpaces();
  }
  const end = i;
  for (let words = 0; words < 3; words++) {
    let j = i;
    while (j > 0 && isLabelChar(codeAt(tail, j - 1))) j--;
    if (
      j === i ||
      !isLetter(codeAt(tail, j)) ||
      (i - j === 2 && codeAt(tail, j) === 0x6f /* o */ && codeAt(tail, j + 1) === 0x66 /* f */)
    )
      return null;
    i = j;
    if (i === 0) return [0, end];
    // a separator right before the word ends the label
    let k = i;
    while (k > 0 && isSpace(codeAt(tail, k - 1))) k--;
    const c = codeAt(tail, k - 1);
    if (k === 0 || c === 0x2c /* , */ || c === 0x3b /* ; */ || c === 0x28 /* ( */) return [i, end];
    if (k === i) return null; // glued to a character that is no separator
    let w = k;
    while (
      w > 0 &&
      (isLetter(codeAt(tail, w - 1)) ||
        codeAt(tail, w - 1) === 0x2e /* . */ ||
        codeAt(tail, w - 1) === 0x5c) /* \\ */
    )
      w--;
    const lead = tail.slice(w, k);
    if (LABEL_LEADS.has(lead) || /^e\.g\.\\?$/.test(lead) || (lead === '' && c === 0x2c /* , */))
      return [i, end];
  }
  return null;
}
// a list of labelled values before it ("IoU of 0.579, sensitivity of 69.8%, specificity of "): the label is this value's
// (not a change, "…to 48.9%, a gain of 6.6 points": an article or a change noun is no label)
const LABELLED_LIST_BEFORE_RE =
  /\d[^,;()]{0,12},\s*(?:and\s+)?(?!(?:an?|the|its|their|our|this)\s)(?![^,;]*\b(?:gains?|improvements?|increases?|reductions?|drops?|decreases?|boosts?|margins?)\s+of\s+\$?\s*$)(?:[A-Za-z][\w@.:$^{}-]*\s+){0,2}[A-Za-z][\w@.:$^{}-]*\s+of\s+\$?\s*$/;

// the measures the GUIDE keeps out of the table (metric null): the label's last word names one
const UNLISTED_MEASURE_END_RE =
  /(?:^|[\s-])(?:R\^?\{?2\}?|R²|kappa|specificity|correlations?|Spearman|Pearson|PLCC|SRCC|SROCC|LPIPS|BERTScore|Jaccard|MOTA|HOTA|PPV|NPV)$/i;

/** The metric of the label written right before a value: a table metric, null for a list item's unknown label or a
 * measure the table does not list, or undefined when no label decides. With `hitsBefore` (the metrics named in
 * `before`), a label that names a metric is left to the clause rules, which read the same name. */
function labelRightBefore(before: string, hitsBefore?: readonly MetricHit[]): string | null | undefined {
  const tail = before.slice(-48);
  const at = labelPhrase(tail);
  if (at === null) return undefined;
  const label = tail.slice(at[0], at[1]);
  if (hitsBefore) {
    const start = before.length - tail.length + at[0];
    if (hitsBefore.some((h) => h.index >= start)) return undefined;
  } else {
    const hits = metricHits(label).filter((h) => !UNNAMED.has(h.name));
    const last = hits[hits.length - 1];
    if (last && /^(?:@[\w.:-]+)?\s*$/.test(label.slice(last.end))) return last.name;
    if (hits.length > 0) return undefined;
  }
  // ("an R^2 of 95% with 99% accuracy", "a Spearman rank correlation of 0.99": a measure the table does not list)
  if (UNLISTED_MEASURE_END_RE.test(label)) return null;
  return LABELLED_LIST_BEFORE_RE.test(tail) ? null : undefined;
}

/**
 * The metric of a claim: the first one named right after it ("41.2% improvement in F1 score"),
 * else the nearest one before it in the clause ("accuracy of 85%", "reduces latency by 30%").
 */
export function findMetric(
  before: string,
  after: string,
  allowed?: ReadonlySet<string>,
  labelled = false,
): string | null {
  const vs = VERSUS_VALUE_RE.exec(after);
  const near = (vs ? vs[1] + after.slice(vs[0].length) : after).slice(0, 70);
  const ok = (h: MetricHit): boolean => (!allowed || allowed.has(h.name)) && !UNNAMED.has(h.name);
  // a metric after the value belongs to it when nothing but punctuation, or no clause word, comes between
  const afterHits = metricHits(near).filter(
    (h) =>
      ok(h) &&
      // ("160 ms at 25 fps": the rate of an operating point after the value is the point's own)
      !namedByPoint(near, h) &&
      // "0.72 (precision: 0.62": a name set equal to the next value is that value's; metrics-1.21.0: so is a name
      // written right before the next value ("Precision 0.956, Recall 0.951", "mAP@0.5 0.978", "IoU of 0.579")
      !NAMES_NEXT_VALUE_RE.test(near.slice(h.end)) &&
      ((!/\b(?:over|than|compared|vs\.?|versus|on|while|whereas|and|but|then)\b/i.test(
        near.slice(0, h.index),
      ) &&
        !NEW_VERB_RE.test(near.slice(0, h.index))) ||
        /^\W*$/.test(near.slice(0, h.index)) ||
        CHANGE_OF_METRIC.test(near.slice(0, h.index))),
  );
  // "with only 41.8% FLOPs", "40% memory": a metric right after the value is its metric, generic or not
  // (metrics-1.21.0: a closing "$" of LaTeX math is no word: "$80.1\%$ ASR@1")
  if (afterHits.length > 0 && /^\$?[\s(]{0,2}$/.test(near.slice(0, afterHits[0].index)))
    return afterHits[0].name;
  // metrics-1.21.0: "Item-F1 92.8 against Row-F1 53.7, accuracy falls", "sensitivity of 69.8%, specificity of 98.8%": a
  // label right before the value names what it scores (nothing, when a list item's label is no table metric)
  // (`labelled`: `before` ends at the value; read only when it can decide: a metric named after the value to beat, or
  // one named before it)
  if (labelled && afterHits.length > 0) {
    const label = labelRightBefore(before);
    if (label !== undefined) return label;
  }
  const specificAfter = afterHits.find((h) => !GENERIC.has(h.name));
  if (specificAfter && specificAfter.index < 45) return specificAfter.name;
  // "99% performance": the value says it measures performance, i.e. no metric in particular
  if (OWN_PERFORMANCE_RE.test(near)) return null;
  const beforeHits = metricHits(before).filter((h) => ok(h) && !atOperatingPoint(before, h));
  // metrics-1.35.0 (GUIDE: "performance" names no metric): "slumps the performance to 3.8%", "while human performance reaches
  // 78.57%", "competitive performance on LIBERO at 96.0%", "lag behind human performance (best: 85.34%": a value the word
  // "performance" governs, nearer than any metric and in the same clause, measures none — not a metric named before it
  if (afterHits.length === 0 && performanceGoverns(before, beforeHits)) return null;
  if (labelled && afterHits.length === 0 && beforeHits.length > 0) {
    const label = labelRightBefore(before, beforeHits);
    if (label !== undefined) return label;
  }
  const last = beforeHits[beforeHits.length - 1];
  if (
    afterHits.length === 0 &&
    last &&
    OWNED_BY_VALUE_RE.test(before.slice(Math.max(0, last.index - 30), last.index)) &&
    OWN_NOUN_AFTER_RE.test(after)
  )
    return null;
  const specificBefore = [...beforeHits].reverse().find((h) => !GENERIC.has(h.name));
  if (specificBefore) return specificBefore.name;
  if (specificAfter) return specificAfter.name;
  if (afterHits.length > 0 && afterHits[0].index < 30) return afterHits[0].name;
  if (beforeHits.length > 0) return beforeHits[beforeHits.length - 1].name;
  return null;
}

const QUALIFIER_BEFORE: Array<[RegExp, string]> = [
  [/\bup ?to\s*$/i, 'up to'],
  [/\b(?:an? )?(?:average|averaged|averaging|mean)(?: of| by)?\s*$/i, 'average'],
  [/\bon average(?: by)?\s*$/i, 'average'],
  [/\b(?:more than|greater than|exceeding|above|higher than|beyond)\s*$/i, 'more than'],
  [/(?:>|&gt;)\s*$/, 'more than'],
  [/\bover\s*$/i, 'over'],
  [
    /(?:\b(?:about|around|approximately|approx\.|roughly|circa|ca\.|some)|~|∼|≈|\$\\sim\$|\\sim)\s*$/i,
    'about',
  ],
  [/\b(?:nearly|almost|close to|just under)\s*$/i, 'nearly'],
  [/(?:\bat least|≥|⩾|>=)\s*$/i, 'at least'],
  [/(?:\bat most|≤|⩽|<=)\s*$/i, 'less than'],
  [/(?:\b(?:less than|fewer than|under|below|at most|lower than|within)|<|&lt;|≤|⩽|<=)\s*$/i, 'less than'],
];

export function findQualifier(before: string, after: string): string | null {
  const tail = before.slice(-32);
  for (const [re, q] of QUALIFIER_BEFORE) if (re.test(tail)) return q;
  if (/^\W{0,3}(?:on average|in average|averaged)\b/i.test(after.slice(0, 24))) return 'average';
  return null;
}

// What a result is compared to: the phrase after "over"/"than"/"compared to"/…, up to a stop word.
const STOP =
  '(?:compared|relative|versus|vs|respectively|while|on|in|by|with|across|while|and|at|for|when|under|using|which|that|to|from|as|of|among|despite|without|whereas|but|via|through|after|respectively)';
const PHRASE = `((?:(?!${STOP}\\b)[A-Za-z0-9][\\w.+/'’-]*)(?:\\s+(?!${STOP}\\b)[A-Za-z0-9(][\\w.+/'’()-]*){0,5})`;
// the words before a compared-to phrase that it reads without; group 1 keeps the ones that say which systems
// ("existing", "prior"), for a phrase that is nothing but a generic noun ("over existing implementations")
const LEAD =
  '(?:the |a |an |its |their |our )*((?:(?:all |prior |existing |previous |strong |standard |both )(?:the |a |an |its |their |our )*)*)';
const COMPARE_AFTER = new RegExp(
  `^[^.;]{0,60}?\\b(?:over|than|compared (?:to|with)|comparing to|relative to|against|versus|vs\\.?|beyond|surpassing|outperforming)\\s+${LEAD}${PHRASE}`,
  'i',
);
const COMPARE_BEFORE = new RegExp(
  `\\b(?:outperform(?:s|ing|ed)?|surpass(?:es|ing|ed)?|beat(?:s|ing)?|exceed(?:s|ing|ed)?|improv(?:es|ing|ed|e) (?:up)?on|over)\\s+${LEAD}${PHRASE}\\s+by\\s+(?:up to |about |over |nearly |an average of |average |around |approximately |more than |roughly )?$`,
  'i',
);

// (a value of a participial clause after it: "…, reducing false alarms by 44% versus the teacher"; not one of a list
// of changes, "reducing training time by 24%, inference latency by 31%, and memory by 22% compared to RotatE", which
// share the comparison)
const VALUE_IN_GAP_RE =
  /(?:,|\bwhile|\bwhereas)\s+(?:thereby\s+|thus\s+|also\s+)?[a-z]+ing\s+(?:[\w-]+\s+){0,4}?(?:by|of|(?<!\bup\s)to|at)\s+(?:(?:up to|about|over|nearly|only|around|approximately|at least|more than)\s+)?[-+~]?\d[\d.,]*\s*(?:%|\\%|x\b|×|times\b|-fold\b|pp\b|points?\b)/i;

function tidyPhrase(s: string): string | null {
  let t = s
    .replace(/[\s,(]+$/, '')
    .replace(/\s+\($/, '')
    .trim();
  // drop a trailing unbalanced "(" part and trailing stop words
  const open = t.lastIndexOf('(');
  if (open >= 0 && t.indexOf(')', open) < 0) t = t.slice(0, open).trim();
  // (metrics-1.28.0: the ")" closing a parenthesis the value opened, "(e.g., +15% F1 over embedding baselines)")
  else if (open < 0 && t.endsWith(')')) t = t.slice(0, -1).trim();
  t = t.replace(/\b(?:baselines?|methods?|models?|approaches)\b$/i, (m) => m).trim();
  if (
    !t ||
    /^(?:\d[\d.,]*%?|that|this|those|these|it|them|other|others|previous|prior|baseline|the)$/i.test(t)
  )
    return t === 'baseline' ? t : null;
  return t;
}

// A compared-to phrase that is one common noun names no system by itself ("over the model", "than
// implementations", "over existing solvers"): it keeps the words that say which ("existing implementations") and a
// modifier after it ("the model with full fine-tuning"). A named system (capitals, digits) is left as written.
const COMMON_NOUN_RE = /^[a-z][a-z-]*$/;
// the nouns a modifier after them says which of ("the baseline without distillation")
const SYSTEM_NOUN_RE =
  /^(?:models?|methods?|baselines?|approach(?:es)?|variants?|versions?|counterparts?|systems?|pipelines?|networks?|polic(?:y|ies)|runs?|retrieval|implementations?)$/;
const GENERIC_MODIFIER_RE =
  /^\s+((?:with|without|using|trained (?:on|with)|based on|fine-tuned (?:on|with)|(?:that|which)\s+(?:[a-z]+ly\s+)?(?:uses|relies on|applies|adds|feeds|retrieves|trains on|is trained on))\s+(?:the |a |an )?[A-Za-z0-9][\w.+/'’-]*(?:[\s-]+(?!(?:and|or|by|on|in|at|for|to|from|while|which|that|when|across|under|respectively)\b)[A-Za-z0-9][\w.+/'’-]*){0,3})/;

function comparedPhrase(lead: string, raw: string, rest: string): string | null {
  const phrase = tidyPhrase(raw);
  if (!phrase || !COMMON_NOUN_RE.test(phrase)) return phrase;
  const which = lead.replace(/\b(?:the|a|an|its|their|our)\s+/gi, '').trim();
  let modifier =
    raw.trim() === phrase && SYSTEM_NOUN_RE.test(phrase) ? GENERIC_MODIFIER_RE.exec(rest)?.[1] : undefined;
  // "baselines with at least 2x fewer …" is another quantity, "… without compromising" a clause, not which baselines
  if (modifier && /\d|\b(?:least|most|fewer|more|less|than|only|over)\b|^\S+\s+\w+ing\b/i.test(modifier))
    modifier = undefined;
  // metrics-1.27.0: "over a method that simply relies on retrieved passages" keeps what says which method; a generic system
  // noun with nothing saying which ("vs method") names no comparator
  if (
    !which &&
    !modifier &&
    /^(?:model|method|approach|system|variant|version|pipeline|network)$/.test(phrase)
  )
    return null;
  return [which, phrase, modifier?.replace(/[\s,]+$/, '')].filter(Boolean).join(' ');
}

export function findComparedTo(before: string, after: string): string | null {
  const b = COMPARE_BEFORE.exec(before.slice(-120));
  // (the phrase ends at "by": no modifier can follow it)
  if (b) return comparedPhrase(b[1], b[2], '');
  const a = COMPARE_AFTER.exec(after);
  if (a) {
    // "over 2x" / "than 10%" start another number, not a comparator
    if (/^\d/.test(tidyPhrase(a[2]) ?? '')) return null;
    // metrics-1.28.0: "a 14.5% gain …, reducing false alarms by 44% versus the teacher": a comparison written after
    // another value is that value's
    if (VALUE_IN_GAP_RE.test(a[0].slice(0, a[0].length - a[2].length - a[1].length))) return null;
    return comparedPhrase(a[1], a[2], after.slice(a.index + a[0].length));
  }
  return null;
}

// Benchmark-looking names: a capital inside the word or a digit (MMLU, GSM8K, WebQSP, ImageNet),
// optionally joined by "and" / "," / "-".
const NAME =
  "[A-Z][A-Za-z0-9]*(?:[A-Z0-9][A-Za-z0-9]*|-[A-Za-z0-9]+)(?:[-.+'][A-Za-z0-9]+)*(?:\\s+(?:Verified|Lite|Hard|Pro|Bench|Plus|Diamond|Hard|Live|Mini|Full|v\\d[\\w.]*|[A-Z][A-Za-z0-9-]*[A-Z0-9][A-Za-z0-9-]*))*";
const DATASET_AFTER = new RegExp(
  `\\b(?:on|across|in|for)\\s+(?:the |both |all |several |(?:[a-z-]+ ){0,2}(?:benchmarks?|datasets?|tasks?) (?:like |such as |including |of )?)?(${NAME}(?:(?:,\\s*(?:and\\s+)?|\\s+and\\s+|\\s*/\\s*)${NAME}){0,6})`,
  'g',
);
const DATASET_BEFORE = new RegExp(
  `\\b(?:On|on|Across|across|In|in)\\s+(?:the\\s+)?(${NAME}(?:(?:,\\s*(?:and\\s+)?|\\s+and\\s+|\\s*/\\s*)${NAME}){0,6})\\b[^.;]{0,80}$`,
);

const NOT_DATASETS =
  /^(?:F1|EM|BLEU|ROUGE(?:-\w+)?|AUC|AUROC|FID|PSNR|SSIM|WER|CER|mAP|MRR|NDCG|LoRA|LLMs?|VLMs?|MLLMs?|AI|GPUs?|NLP|ML|RL|API|APIs|SOTA|QA|CNNs?|RNNs?|GNNs?|MoE|ViTs?)$/;

// metrics-1.28.0: "improvements … in PSNR, SSIM, and LPIPS": a list that names a table metric lists measures, not
// benchmarks
// ("CNN/DailyMail" is one name: a slash joins its parts)
const LIST_SEP_RE = /,\s*(?:and\s+)?|\s+and\s+/;
// metrics-1.28.0: "14.2x faster on H800": an accelerator is the hardware a figure was measured on, never a benchmark
const HARDWARE_RE =
  /^(?:(?:NVIDIA|AMD)\s+)?(?:[HA]100|H200|H800|H20|A800|A10G?|A30|A40|A6000|V100|P100|T4|L4|L40S?|B200|GB200|GeForce(?:\s+RTX)?(?:\s?\d{3,4}(?:\s?Ti)?)?|RTX(?:\s?[2-5]0[5-9]0(?:\s?Ti)?)?|Jetson\s+\w+|MI[23]\d0X?|TPU\s?v\d\w*|Ascend\s?910\w*)(?:\s+GPUs?)?$/;
// metrics-1.30.0: "3x faster on CPU", "on mobile devices", "on an Apple M2": a processor or a device class, too
const DEVICE_RE =
  /^(?:(?:a|an|the|one|single|commodity|consumer|edge|mobile|desktop|laptop|server|multi-core|ARM|x86|Intel|AMD|Apple|Qualcomm)\s+)*(?:CPUs?|GPUs?|TPUs?|NPUs?|FPGAs?|DSPs?|ASICs?|M[1-4](?:\s+(?:Pro|Max|Ultra))?|Snapdragon\s+\w+|Raspberry\s+Pi(?:\s+\d)?|smartphones?|phones?|devices?)$/;
const hardware = (names: string): boolean =>
  names.split(LIST_SEP_RE).every((n) => HARDWARE_RE.test(n.trim()) || DEVICE_RE.test(n.trim()));
// metrics-1.30.0: "a 2.1x speedup on LLaMA-7B", "on Qwen2.5-72B and Mistral-7B": a model the figure was measured with is
// not a dataset: a family the field names, alone or with its version, size and variant ("LLaMA-2-13B-Chat", "ViT-B/16",
// "GPT-4o"); a dataset named after a family ("SAMSum", "BERTScore" a metric) or with a size of its own ("LAION-5B",
// "SA-1B") is not one
const MODEL_RE =
  /^(?:LLaMA|Llama|LLAMA|Qwen|QwQ|Mistral|Mixtral|Gemma|Phi|GPT|Claude|Gemini|DeepSeek|BERT|RoBERTa|DeBERTa|ALBERT|ELECTRA|T5|Flan-T5|BART|OPT|BLOOM|Falcon|Vicuna|Alpaca|InternLM|InternVL|LLaVA|Baichuan|ChatGLM|OLMo|Pythia|StarCoder|CodeLlama|ResNet|ResNeXt|ViT|DeiT|Swin|ConvNeXt|EfficientNet|MobileNet|CLIP|SigLIP|DINO|DINOv2|SAM|SDXL|Stable\s+Diffusion|Whisper|Wav2Vec2?|HuBERT)(?:\d+(?:\.\d+)*[a-z]?|v\d+(?:\.\d+)*)?(?:[\s-](?:\d+(?:\.\d+)*[a-z]?[BMK]?|v\d+(?:\.\d+)*|[BLSHGT](?:\/\d+)?|base|large|small|tiny|mini|medium|xl|xxl|instruct|chat|it|hf|coder|vl|math|turbo|pro|flash|ultra|distill|sonnet|opus|haiku|nano|lite|plus|max|r1))*$/i;
const model = (names: string): boolean => names.split(LIST_SEP_RE).every((n) => MODEL_RE.test(n.trim()));
// metrics-1.31.0: "by 3.4% on Llama3-based agents": a name compounded into a modifier ("-based", "-style") says what
// the system is built on, not what it was measured on
const MODIFIER_COMPOUND_RE = /-(?:based|style|like|powered|driven|guided|augmented|enhanced|specific|only|free|aware|scale|sized|level)$/i;
function notDatasets(names: string): boolean {
  if (NOT_DATASETS.test(names)) return true;
  if (names.split(LIST_SEP_RE).some((n) => MODIFIER_COMPOUND_RE.test(n.trim()))) return true;
  if (hardware(names) || model(names)) return true;
  const parts = names.split(LIST_SEP_RE);
  return parts.length > 1 && parts.some((n) => canonicalMetric(n.trim()) !== null);
}

// metrics-1.27.0: "compared to 32.3 for the AR baseline": a name before a system noun names the system compared with,
// not a benchmark
const SYSTEM_AFTER_NAME_RE =
  /^\s*(?:baselines?|models?|methods?|teachers?|students?|variants?|counterparts?|approach(?:es)?|systems?)\b/i;
// "HumanEval scores reach 48.78": a benchmark's name before "scores" / "results" in the value's own clause
const DATASET_SCORES_BEFORE = new RegExp(
  `(?:^|[.;,]\\s+|\\bwhere\\s+)(${NAME})\\s+(?:scores?|results?)\\s+(?:reach|rise|increase|improve|climb|jump|grow|are|were|remain|stand|hit|exceed|of)\\w*\\b[^.;,]{0,40}$`,
);

const NEXT_CLAUSE_GAP_RE = /\b(?:while|whereas|but|although|though)\b|;/i;
// metrics-1.31.0: "improves exact match on Natural Questions by 4.1 points": a name of two or more capitalised words
// between the value's own "on" and its "by" is the benchmark it was measured on
const TITLE_NAME_BEFORE_BY_RE =
  /\b(?:on|across)\s+(?:the\s+)?([A-Z][a-z]+(?:\s+[A-Z][A-Za-z0-9-]*){1,3})\s+by\s+(?:(?:up to|about|around|over|nearly|roughly|approximately|only|just)\s+)?[-+−~]?\$?$/;
const NEXT_VALUE_AFTER_NAME_RE =
  /^\s*(?:by|to|from|of)\s+(?:(?:up to|about|around|over|nearly|roughly|approximately|only|just|a further)\s+)?[-+−~]?\$?\d/i;

export function findDataset(before: string, after: string): string | null {
  const near = after.slice(0, 120);
  DATASET_AFTER.lastIndex = 0;
  let a: RegExpExecArray | null;
  while ((a = DATASET_AFTER.exec(near)) !== null && a.index <= 80) {
    // "3.4x faster on A100 GPUs and reduces memory by 40% on LongBench": the value's own "on" names its hardware, and
    // a later "on" belongs to the next value
    if (hardware(a[1])) break;
    // metrics-1.31.0: "removes 30% of the layers, while perplexity on WikiText-2 rises by 0.4", "by 4.1 points and F1 on
    // TriviaQA by 2.2 points": a benchmark past a clause break, or one that opens another value's own phrase, is that
    // value's
    if (NEXT_CLAUSE_GAP_RE.test(near.slice(0, a.index))) break;
    if (!notDatasets(a[1]) && !SYSTEM_AFTER_NAME_RE.test(near.slice(a.index + a[0].length))) {
      if (/\w/.test(near.slice(0, a.index)) && NEXT_VALUE_AFTER_NAME_RE.test(near.slice(a.index + a[0].length))) break;
      return a[1].trim();
    }
  }
  const tail = before.slice(-80);
  const s = /\b(?:scores?|results?)\s/.test(tail) ? DATASET_SCORES_BEFORE.exec(tail) : null;
  if (s && !NOT_DATASETS.test(s[1]) && canonicalMetric(s[1]) === null) return s[1].trim();
  const b = DATASET_BEFORE.exec(before);
  // (metrics-1.31.0: "experiments on DiT and SiT models …, achieving": names before a system noun are the systems)
  if (
    b &&
    !notDatasets(b[1]) &&
    !anotherValuesBenchmark(before, b) &&
    !SYSTEM_AFTER_NAME_RE.test(before.slice(b.index + b[0].indexOf(b[1]) + b[1].length))
  )
    return b[1].trim();
  const t = TITLE_NAME_BEFORE_BY_RE.exec(tail);
  if (t && !notDatasets(t[1])) return t[1];
  return null;
}
// metrics-1.28.0: "improves accuracy by 2.1% on MMLU, while achieving an 8x GPU memory reduction": a benchmark written
// right after another value is that value's, not a later claim's; a fronted "On MMLU, …" still scopes the clause, and so
// does a comparison that goes on about the same score ("57.2% on AMA-Bench, surpassing the baselines by 11.2%")
const VALUE_BEFORE_ON_RE = /(?<![\w.@$-])\d[\d.,]*(?:\s*(?:%|\\%|x|×|times|pp|points?|[A-Za-z]{1,3}))?(?:\s+[A-Za-z@-]+){0,3}\s*$/;
const OWN_PHRASE_GAP_RE =
  /^\s*(?:(?:\([^()]{0,30}\)\s*)?(?:,\s*)?(?:by|with|:|reaching|achieving|to)\s+(?:(?:up to|about|around|over|nearly|more than|roughly|approximately|an average of|only)\s+)?|\(\s*(?:[+~]?\d[\d.]*\s*(?:\\?%|pp)?\s*\/\s*)?)[~+]?\$?$/i;
const SAME_SCORE_GAP_RE =
  /^[^.;]{0,40}?(?:,|\s[-–—]|\(|\s+and)\s*(?:(?:thereby|thus|clearly|significantly|substantially|consistently)\s+)?(?:outperform|surpass|exceed|beat|improv|represent|(?:a|an)\s+[\d.]+)/i;
function anotherValuesBenchmark(before: string, b: RegExpExecArray): boolean {
  if (!VALUE_BEFORE_ON_RE.test(before.slice(Math.max(0, b.index - 40), b.index))) return false;
  const nameEnd = b.index + b[0].indexOf(b[1]) + b[1].length;
  const gap = before.slice(nameEnd);
  // ("… and on ComplexWebQuestions by 1.8%": a benchmark that opens the value's own phrase is its)
  return !SAME_SCORE_GAP_RE.test(gap) && !OWN_PHRASE_GAP_RE.test(gap);
}

// "average success rate", "BLEU score", "F1 macro score", "Dice similarity coefficient": a metric at the end of a
// noun phrase, or followed only by words that say it is a value of that metric, is the phrase's head ("memory
// bottleneck": a metric followed by another noun only modifies it)
const HEAD_TAIL_RE =
  /^(?:@[\w.]+)?[\s)]*(?:(?:macro|micro|weighted|similarity|scores?|rates?|values?|metrics?|results?|coefficients?|index)(?:\s+|$)){0,2}$/i;

/** The metric a noun phrase names as its head ("policy-following accuracy" -> accuracy), or null. */
export function headMetric(phrase: string): string | null {
  const hits = metricHits(phrase).filter((h) => !UNNAMED.has(h.name));
  for (let i = hits.length - 1; i >= 0; i--)
    if (HEAD_TAIL_RE.test(phrase.slice(hits[i].end))) return hits[i].name;
  return null;
}
