// metrics-1.27.0 — whose number a claim is, and what it measures (issue #18, brief claims22b): figures whose subject is
// another named system, a teacher's figure set against the paper's student, a share of a gap closed, a rival's "vs."
// scores, a score a method only matches, and a change written together with the level it reaches.

import type { Claim } from '@paperwire/contracts';
import { headMetric, metricHits } from './context';

/** Claims whose kind a rule here decided: the learned kind correction leaves them as they are. */
export const KIND_DECIDED = new WeakSet<Claim>();

const SENTENCE_RE = /[^.!?]+(?:[.!?]+(?=\s+["'([]?[A-Z]|\s*$)|$)/g;
// the abstract's turn to its own work: "we", "our", "this paper", "here, …"
const OWN_WORK_RE =
  /\b(?:we|our|ours|us)\b|\b(?:this|the present)\s+(?:paper|work|study|article|thesis|report)\b|\bHere,?\s/i;
// a system's name: a capital inside the word or a digit (LoRA, Mem0, GPT-4, BERT), not a plain capitalised word
// (hardware and field acronyms are no systems: "on a single GPU, while it takes …")
const SYSTEM_NAME =
  '(?!(?:[GCTN]PUs?|LLMs?|VLMs?|MLLMs?|LMs?|AI|NLP|ML|RL|APIs?|SOTA|QA|CNNs?|RNNs?|GNNs?|DNNs?|IoT|US|EU|UK)\\b)(?:[A-Z][A-Za-z]*[A-Z0-9][\\w.-]*|[A-Z][a-z]+-\\d[\\w.-]*)';
// the name as the subject of a verb that says what the system does or causes, a few words after it
const COST_VERB_RE =
  /\b(?:adds|incurs|introduces|suffers|causes|requires|increases|degrades|needs|consumes|takes|wastes)\b/;
const NAMED_SUBJECT_RE = new RegExp(
  `(?:^|[,;:]\\s+|\\s)${SYSTEM_NAME}(?:,?\\s+(?:[a-z][\\w-]*|\\([^)]{0,30}\\))){0,3}?,?\\s+(?:still\\s+|often\\s+|only\\s+|typically\\s+|also\\s+|however,?\\s+)?(?:adds|incurs|introduces|suffers|causes|requires|increases|degrades|needs|consumes|takes|wastes)\\b`,
);

/**
 * What another named system costs or causes, stated before the abstract turns to its own work ("QLoRA … adds up to
 * 25% higher decoding latency. We propose …"): the motivation states a rival's number, not the paper's (GUIDE: a
 * background figure is not a claim). A rival's score stated on its own ("MemGPT reaches 41% on …") stays a claim, as
 * the GUIDE has it (dev-3), and so do setup counts (they may size the evaluation the paper goes on to run).
 */
function dropMotivationRivalFigures(text: string, claims: Claim[]): Claim[] {
  // (a cheap test first: most abstracts say nothing a named system costs)
  if (!COST_VERB_RE.test(text)) return claims;
  const spans = sentences(text);
  const own = spans.find(([a, b]) => OWN_WORK_RE.test(text.slice(a, b)));
  const firstOwn = own ? own[0] : -1;
  if (firstOwn <= 0) return claims;
  return claims.filter((c) => {
    if (c.category !== 'result' || c.start >= firstOwn) return true;
    const s = spans.find(([a, b]) => c.start >= a && c.end <= b);
    return !s || !NAMED_SUBJECT_RE.test(text.slice(s[0], c.start));
  });
}

/** The [start, end) of each sentence of the text. */
function sentences(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  SENTENCE_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = SENTENCE_RE.exec(text)) !== null) {
    if (m[0].length === 0) SENTENCE_RE.lastIndex++;
    else spans.push([m.index, m.index + m[0].length]);
  }
  return spans;
}

// "The teacher suffers a sharp drop under 4-bit weights (-19% AP), while our student keeps (-3.1% AP)": the clause of
// a teacher set against the paper's student or model states the teacher's figure, a comparison, not a claim
const TEACHER_CLAUSE_RE =
  /(?:^|[.;]\s+)(?:(?:In contrast|By contrast|However),?\s+)?(?:the|its|a)\s+(?:[\w-]+\s+){0,2}?teachers?\b[^.;]*?(?=,?\s+(?:while|whereas|but)\s+(?:the\s+|our\s+|its\s+)?(?:[\w-]+\s+){0,2}?(?:students?|model|method|ours)\b)/gi;

function dropTeacherFigures(text: string, claims: Claim[]): Claim[] {
  if (!/teacher/i.test(text)) return claims;
  const spans: Array<[number, number]> = [];
  TEACHER_CLAUSE_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = TEACHER_CLAUSE_RE.exec(text)) !== null) spans.push([m.index, m.index + m[0].length]);
  if (spans.length === 0) return claims;
  return claims.filter((c) => c.category !== 'result' || !spans.some(([a, b]) => c.start >= a && c.end <= b));
}

// "closes the performance gap by 87.3%", "bridges 60% of the gap": the share of a gap closed, not a gain of that size
// (GUIDE: "recovers N% of" is a retention); its metric is the gap's, which no table form names
const GAP_CLOSED_BEFORE_RE =
  /\b(?:clos|narrow|bridg)(?:es|ed|ing|e)\s+(?:the\s+|this\s+|that\s+|a\s+)?(?:[\w-]+\s+){0,3}?gap\s+(?:[\w-]+\s+){0,3}?by\s+(?:up to\s+|about\s+|nearly\s+|over\s+|more than\s+|roughly\s+|an average of\s+|approximately\s+)?$/i;
const GAP_SHARE_BEFORE_RE =
  /\b(?:clos|narrow|bridg)(?:es|ed|ing|e)\s+(?:up to\s+|about\s+|nearly\s+|over\s+)?$/i;
const GAP_SHARE_AFTER_RE = /^\s+of\s+(?:the\s+|this\s+|that\s+)?(?:[\w-]+\s+){0,3}?gap\b/i;

function gapShares(text: string, claims: Claim[]): void {
  for (const c of claims) {
    if (c.category !== 'result' || c.unit !== '%') continue;
    const before = text.slice(Math.max(0, c.start - 90), c.start);
    const after = text.slice(c.end, c.end + 60);
    if (
      GAP_CLOSED_BEFORE_RE.test(before) ||
      (GAP_SHARE_BEFORE_RE.test(before) && GAP_SHARE_AFTER_RE.test(after))
    ) {
      c.kind = 'retention';
      c.metric = null;
      c.improvement = null;
      KIND_DECIDED.add(c);
    }
  }
}

// "(vs. 94.1% / 72.0%)": the scores of several rivals, no value the claim started from; "(vs. 95.7% for the commercial
// tool)": one rival's score, named after it
const VS_BEFORE_RE = /\(\s*(?:vs\.?|versus|compared (?:to|with))\s*$/i;
const VS_OPEN_BEFORE_RE = /^[^.;()]{0,30}?\b(?:vs\.?|versus|compared (?:to|with))\s*$/i;
const RIVAL_FOR_AFTER_RE =
  /^\s*(?:\\?%\s*)?for\s+(?:the\s+|a\s+|an\s+)?([A-Za-z][\w-]*(?:\s+[A-Za-z][\w-]*){0,3}?\s+(?:baselines?|models?|methods?|systems?|approach(?:es)?|pipelines?))\b/;
const SEVERAL_RIVALS_AFTER_RE = /^\s*\\?%?\s*\/\s*\d/;
const RIVAL_LABEL_AFTER_RE =
  /^\s*(?:\\?%\s*)?(?:for\s+|of\s+|by\s+)?(?:the\s+|a\s+|an\s+)?(?!(?:with|without|in|on|at|under|when|after|before|during|using|across|and|or|to|from|per|average|overall|previously|originally|initially)\b)([A-Za-z][\w-]*(?:\s+[A-Za-z][\w-]*){0,3})\s*\)/;

function rivalComparators(text: string, claims: Claim[]): void {
  for (const c of claims) {
    const b = c.baseline;
    if (!b || c.category !== 'result') continue;
    const at = text.indexOf(b.text, c.end);
    if (at < 0 || at - c.end > 40) continue;
    const gap = text.slice(c.end, at);
    const after = text.slice(at + b.text.length, at + b.text.length + 60);
    if (!VS_BEFORE_RE.test(gap)) {
      // "reach 48.78 compared to 32.3 for the AR baseline": the system the value is of, named after it
      const named = VS_OPEN_BEFORE_RE.test(gap) ? RIVAL_FOR_AFTER_RE.exec(after) : null;
      if (named && c.comparedTo === null) c.comparedTo = named[1];
      continue;
    }
    if (SEVERAL_RIVALS_AFTER_RE.test(after)) {
      c.baseline = null;
      c.improvement = null;
      continue;
    }
    const label = RIVAL_LABEL_AFTER_RE.exec(after);
    if (label && c.comparedTo === null) c.comparedTo = label[1];
  }
}

// "while matching its accuracy on SuperGLUE (84.2 vs 84.5)": the scores of a measure a method only matches: the
// measure is the one matched, and no improvement is claimed
const MATCHING_BEFORE_RE =
  /(?<![\w-])(?:match(?:es|ing|ed)?|preserv(?:es|ing|ed)?|maintain(?:s|ing|ed)?|retain(?:s|ing|ed)?|keep(?:s|ing)?)\s+(?:(?:its|their|the|a)\s+)?(?:(?:[\w-]+\s+){0,2}?[\w-]+['’]s\s+)?((?:[\w-]+\s+){0,2}?[\w-]+)(?:\s+(?:on|in|across)\s+[^.;()]{1,40}?)?\s*\(\s*$/i;

function matchedScores(text: string, claims: Claim[]): void {
  for (const c of claims) {
    if (c.category !== 'result' || c.kind !== 'absolute_score') continue;
    const m = MATCHING_BEFORE_RE.exec(text.slice(Math.max(0, c.start - 120), c.start));
    if (!m) continue;
    const metric = headMetric(m[1]);
    // (a unit that names its measure keeps it: "real-time inference speed (132.1 FPS)" is throughput)
    if (metric && c.unit !== 'other') c.metric = metric;
    c.improvement = null;
  }
}

// "improves by 11.3% to 68.2%": the change and the level it reaches, not a range
const CHANGE_TO_LEVEL_RE = /^(\d[\d.,]*)\s?(\\?%)\s+to\s+(\d[\d.,]*\s?\\?%)$/;
const CHANGE_BY_BEFORE_RE =
  /\b(?:improv|increas|boost|rais|lift|enhanc|gain|ris|jump|grow|climb)\w*\s+(?:[\w-]+\s+){0,3}?by\s+(?:up to\s+|about\s+|nearly\s+|over\s+|roughly\s+)?$/i;

// (a range "by 26% to 40%" is far more common: the second number is a level reached only when a value the sentence
// gives before it, plus the change, makes it — in points or relatively)
const NUMBER_RE = /\d+(?:\.\d+)?/g;
function reachedFrom(text: string, c: Claim, change: number, level: number): boolean {
  const from = Math.max(text.lastIndexOf('. ', c.start), text.lastIndexOf('; ', c.start), 0);
  const starts = c.baseline ? [c.baseline.value] : [];
  for (const n of text.slice(from, c.start).match(NUMBER_RE) ?? []) starts.push(Number(n));
  return starts.some(
    (a) =>
      a > 0 &&
      (Math.abs(a + change - level) <= 0.011 || Math.abs(a * (1 + change / 100) - level) <= 0.005 * level),
  );
}

function splitChangeToLevel(text: string, claims: Claim[]): Claim[] {
  const out: Claim[] = [];
  for (const c of claims) {
    const m = c.low !== null && c.unit === '%' ? CHANGE_TO_LEVEL_RE.exec(c.text) : null;
    if (
      !m ||
      !CHANGE_BY_BEFORE_RE.test(text.slice(Math.max(0, c.start - 80), c.start)) ||
      !reachedFrom(text, c, c.low!, c.value)
    ) {
      out.push(c);
      continue;
    }
    const changeEnd = c.start + m[1].length + m[2].length;
    const change: Claim = {
      ...c,
      end: changeEnd,
      text: text.slice(c.start, changeEnd),
      value: c.low!,
      low: null,
      kind: 'relative_improvement',
      improvement: true,
    };
    const levelStart = c.start + c.text.length - m[3].length;
    const level: Claim = {
      ...c,
      start: levelStart,
      text: text.slice(levelStart, c.end),
      low: null,
      kind: 'absolute_score',
      improvement: null,
      comparedTo: null,
      qualifier: null,
    };
    KIND_DECIDED.add(change);
    KIND_DECIDED.add(level);
    out.push(change, level);
  }
  return out;
}

// metrics-1.28.0: "enables training on datasets more than 100x larger than previously feasible" (dev's label: `result`/
// `other`, metric null), "lets users fit corpora 50x larger": a factor of data scale a method makes possible measures
// no gain of the memory or speed the clause names
const DATA_NOUN_BEFORE_RE =
  /\b(?:datasets?|data|corpora|corpus|collections?|benchmarks?|training sets?|graphs?)\s+(?:(?:that\s+are|which\s+are|is|are)\s+)?(?:(?:more than|over|up to|about|roughly|nearly|almost|at least)\s+)?$/i;
const LARGER_AFTER_RE = /^\s*(?:larger|bigger)\b/i;

function dataScaleFactors(text: string, claims: Claim[]): void {
  for (const c of claims) {
    if (c.unit !== 'x' || c.category !== 'result') continue;
    if (!LARGER_AFTER_RE.test(text.slice(c.end, c.end + 20))) continue;
    if (!DATA_NOUN_BEFORE_RE.test(text.slice(Math.max(0, c.start - 60), c.start))) continue;
    c.kind = 'other';
    c.metric = null;
    c.improvement = null;
    c.comparedTo = null;
    KIND_DECIDED.add(c);
  }
}

// metrics-1.28.0: "with PSNR increasing by 3-4dB, SSIM improving by 0.08-0.11, and LPIPS reducing by 0.06-0.10",
// "BLEU rises by 2.1 points while TER drops by 1.4", "while mean EI decreases from 0.71 to 0.14": the subject of the
// change verb right before the value is what it measures — a table metric, or an unknown measure written as an acronym
// (no metric then, never the one of the clause before) — and the verb says whether it rose or fell
const SUBJECT_CHANGE_RE =
  /(?:^|[,;:(]\s*|\b(?:while|whereas|and|with|but|as)\s+)((?:[\w@.-]+\s+){0,3}?[\w@.-]+)\s+(?:(increas|ris|improv|grow|climb|jump|boost)|(decreas|drop|reduc|declin|fall|fell|shrink))\w*\s+(?:(?:significantly|substantially|further|only|slightly|consistently|markedly|notably|sharply)\s+)?(?:by|(from)\s+[^,;()]{1,40}?\s+to)\s+(?:(?:up to|about|around|nearly|approximately|roughly|over|more than|only|an average of|on average)\s+)?[~≈]?$/i;
const ACRONYM_RE = /^[A-Z][A-Za-z0-9@-]{1,9}$/;
const NOT_MEASURE_RE = /^(?:LLMs?|VLMs?|MLLMs?|GPUs?|TPUs?|CPUs?|AI|API|SOTA|RL|ML|NLP|QA|I|We|It|This|That|These|Our|Its|Their)$/;

// an acronym the abstract shows is a measure, not a system: defined as one ("Entanglement Index (EI)"), averaged ("mean
// EI"), or listed with a table metric ("in PSNR, SSIM, and LPIPS"); "IGE improves from 81% to 95%" names a system
const MEASURE_NOUN_RE = /(?:index|score|rate|error|distance|ratio|measure|metric|divergence|similarity|count)$/i;
function unknownMeasure(text: string, subject: string, acronym: string): boolean {
  if (!(ACRONYM_RE.test(acronym) && /[A-Z].*[A-Z]/.test(acronym)) || NOT_MEASURE_RE.test(acronym)) return false;
  if (/\b(?:mean|average|median|overall)\s+\S+$/i.test(subject)) return true;
  const at = text.indexOf(`(${acronym})`);
  if (at > 0 && MEASURE_NOUN_RE.test(text.slice(Math.max(0, at - 30), at).trim())) return true;
  const esc = acronym.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const listed = new RegExp(`(?:([\\w@-]+),\\s*(?:and\\s+)?${esc}\\b|\\b${esc},\\s*(?:and\\s+)?([\\w@-]+))`).exec(text);
  return listed !== null && headMetric(listed[1] ?? listed[2] ?? '') !== null;
}

/**
 * unknownMeasure, read once per acronym of a text: its whole-text searches would otherwise run for every claim, a
 * quadratic cost on a long text of many such claims (the subject's own "mean …" test depends on the subject: kept)
 */
function unknownMeasureOnce(text: string, subject: string, acronym: string, seen: Map<string, boolean>): boolean {
  if (/\b(?:mean|average|median|overall)\s+\S+$/i.test(subject)) return unknownMeasure(text, subject, acronym);
  let known = seen.get(acronym);
  if (known === undefined) {
    known = unknownMeasure(text, '', acronym);
    seen.set(acronym, known);
  }
  return known;
}

function subjectChanges(text: string, claims: Claim[]): void {
  const measures = new Map<string, boolean>();
  for (const c of claims) {
    if (c.category !== 'result' || c.unit === 'count') continue;
    const lead = text.slice(Math.max(0, c.start - 90), c.start);
    // (a cheap test first: a "by" or "to" just before the value)
    if (!/\b(?:by|to)\b/.test(lead.slice(-32))) continue;
    const m = SUBJECT_CHANGE_RE.exec(lead);
    if (!m) continue;
    const subject = m[1];
    const last = subject.split(/\s+/).pop() ?? '';
    const named = headMetric(subject);
    if (named === null && !unknownMeasureOnce(text, subject, last, measures)) continue;
    c.metric = named;
    if (m[4]) continue; // "from A to B": the level reached keeps its kind
    const kind = m[2] ? 'relative_improvement' : 'reduction';
    if (c.kind !== kind && (c.kind === 'relative_improvement' || c.kind === 'reduction' || c.kind === 'absolute_score')) {
      c.kind = kind;
      c.improvement = null;
      KIND_DECIDED.add(c);
    }
  }
}

// metrics-1.28.0: "retain up to 93.4% of their original performance when …, and 90.8% with …" (dev-27), "2.5% of the
// parameters for text and 1.2% for speech": a value whose noun is elided ("90.8% with …") after one that names it
// ("93.4% of … when …") is the same kind of figure, of the same measure
const NAMED_SHARE_GAP_RE =
  /^\s*of\s+[^.;()\d]{1,120}?(?:,\s*(?:and\s+)?|\s+and\s+)(?:only\s+|about\s+|just\s+)?$/i;
const ELIDED_AFTER_RE = /^\s*(?:for|on|in|with|under|when|at)\s/i;

function elidedShares(text: string, claims: Claim[]): void {
  for (let i = 1; i < claims.length; i++) {
    const a = claims[i - 1];
    const b = claims[i];
    if (a.unit !== '%' || b.unit !== '%' || a.category !== 'result' || b.category !== 'result') continue;
    const gap = text.slice(a.end, b.start).replace(/^\\?%/, '');
    if (!NAMED_SHARE_GAP_RE.test(gap) || !ELIDED_AFTER_RE.test(text.slice(b.end, b.end + 8))) continue;
    b.kind = a.kind;
    b.metric = a.metric;
    b.improvement = a.improvement;
    // (the learned correction reads each value alone: it would part the pair again)
    KIND_DECIDED.add(a);
    KIND_DECIDED.add(b);
  }
}

// metrics-1.28.0: "higher win rates in 81% of hyperparameter combinations", "agree only 73% of the time": the share of
// cases in which something holds is `other` unless a metric names the value itself (GUIDE: "in 87% of chains")
const IN_SHARE_BEFORE_RE = /\bin\s+(?:up to\s+|about\s+|over\s+|nearly\s+|only\s+|roughly\s+|more than\s+)?\$?$/i;
// (settings a comparison holds in; "in only 26.5% of tasks" is a level the system reaches, dev-3)
const OF_CASES_AFTER_RE =
  /^\s*\$?\s*of\s+(?:the\s+|all\s+|its\s+|their\s+)?(?:[\w-]+\s+){0,2}?(?:combinations|settings|configurations|conditions|comparisons|cases|scenarios|runs|seeds|chains|languages|datasets|benchmarks|models|pairs|splits|layers)\b/i;
const OF_THE_TIME_AFTER_RE = /^\s*\$?\s*of\s+the\s+time\b/i;
// (how often judges agree or prefer; "succeeds only 17% of the time" is a rate the system reaches)
const AGREE_BEFORE_RE =
  /\b(?:agree|disagree|differ|prefer|preferr|chose|choose|pick|select|favou?r)\w*\s+(?:only\s+|about\s+|roughly\s+|nearly\s+|just\s+|over\s+)?\$?$/i;

function sharesOfCases(text: string, claims: Claim[]): void {
  for (const c of claims) {
    if (c.category !== 'result' || c.unit !== '%' || c.metric !== null || c.kind === 'other') continue;
    const after = text.slice(c.end, c.end + 60);
    const lead = text.slice(Math.max(0, c.start - 30), c.start);
    if (
      !(OF_THE_TIME_AFTER_RE.test(after) && AGREE_BEFORE_RE.test(lead)) &&
      !(OF_CASES_AFTER_RE.test(after) && IN_SHARE_BEFORE_RE.test(lead))
    )
      continue;
    c.kind = 'other';
    c.improvement = null;
    KIND_DECIDED.add(c);
  }
}

// metrics-1.28.0: "raises GSM8K accuracy (67.1 vs. 65.2, +1.8 pp), drives held-out loss below …": every value of a
// parenthesis right after a metric's noun phrase is of that metric, not of one the sentence names after it
const HEAD_BEFORE_PAREN_RE = /([A-Za-z][\w@.-]*(?:\s+[A-Za-z][\w@.-]*){0,3})\s*$/;
const LISTED_VALUES_RE = /^(?:[\s\d.,;:%~+\-−±$\\]|vs\.?|versus|from|to|and)*$/i;

/** The "(" at most `within` characters before `at` that no ")" closes before `at`, or -1. */
function openParenBefore(text: string, at: number, within: number): number {
  for (let i = at; i >= Math.max(0, at - within); i--) {
    const ch = text.charCodeAt(i);
    if (ch === 41 /* ) */) return -1;
    if (ch === 40 /* ( */) return i;
  }
  return -1;
}

function parenthesisHeads(text: string, claims: Claim[]): void {
  for (const c of claims) {
    // (a unit that names its measure keeps it: "inference speed (132.1 FPS)" is throughput)
    if (c.category !== 'result' || c.unit === 'count' || c.unit === 'other') continue;
    // (a cheap test first: an open parenthesis at most 50 characters before the value, not closed before it)
    // (scanned back 51 characters at most: lastIndexOf would walk to the text's start for every claim, quadratic on
    // a long text without parentheses)
    const open = openParenBefore(text, c.start, 51);
    if (open < 0) continue;
    // (only values the parenthesis lists: a word before the value labels it, "(EPE 6 to 8 pixels", "(merely updating
    // 4.1% parameters", "(e.g., +15% F1 over …)")
    if (!LISTED_VALUES_RE.test(text.slice(open + 1, c.start))) continue;
    const p = HEAD_BEFORE_PAREN_RE.exec(text.slice(Math.max(0, open - 60), open));
    if (!p) continue;
    if (metricHits(text.slice(c.end, c.end + 14)).some((h) => h.index < 4)) continue;
    const head = headMetric(p[1]);
    if (head !== null && head !== c.metric && head !== 'performance') c.metric = head;
  }
}

/** The claims after the rules above: whose figure each is, and what it measures. */
export function attributeRivalFigures(text: string, claims: Claim[]): Claim[] {
  if (claims.length === 0) return claims;
  const kept = dropTeacherFigures(text, dropMotivationRivalFigures(text, claims));
  gapShares(text, kept);
  dataScaleFactors(text, kept);
  subjectChanges(text, kept);
  elidedShares(text, kept);
  sharesOfCases(text, kept);
  parenthesisHeads(text, kept);
  rivalComparators(text, kept);
  matchedScores(text, kept);
  return splitChangeToLevel(text, kept);
}
