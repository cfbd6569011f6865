// Negation and scope: the phrases in which an abstract says what did NOT change ("with no loss in
// accuracy", "without sacrificing F1", "while maintaining accuracy", "negligible degradation of BLEU").
// Neither the negated noun ("loss", "drop") nor the metric kept constant ("accuracy") is what a nearby
// number measures, so these phrases are blanked out (same length, spaces) before a metric or a kind is read
// from a window. Every pattern is a bounded alternation of literals with at most a few optional words, run
// on a window of a few hundred characters, so the cost stays linear.

const NEGATOR =
  '(?:no|zero|little|minimal|minor|marginal|negligible|insignificant|limited|without(?:\\s+any)?|hardly\\s+any|virtually\\s+no|almost\\s+no|nearly\\s+no|barely\\s+any|not\\s+any|no\\s+significant|no\\s+noticeable|no\\s+appreciable|no\\s+measurable|no\\s+substantial|without\\s+significant|without\\s+noticeable|without\\s+much)';
const CHANGE_NOUN =
  '(?:loss(?:es)?|drops?|degradations?|decreases?|declines?|reductions?|sacrifices?|penalt(?:y|ies)|compromises?|harm|hit|deteriorations?|regressions?|cost|impact|change|trade-?off)';
const KEEP_VERB =
  '(?:maintain(?:s|ing|ed)?|preserv(?:e|es|ing|ed)|retain(?:s|ing|ed)?|keep(?:s|ing)?|kept|sustain(?:s|ing|ed)?|(?<=(?:while|and|but|whilst|still|also)\\s+)match(?:es|ing|ed)?)';
const HARM_VERB =
  '(?:sacrific(?:e|es|ing)|compromis(?:e|es|ing)|hurt(?:s|ing)?|harm(?:s|ing)?|degrad(?:e|es|ing)|los(?:e|es|ing)|affect(?:s|ing)?|reduc(?:e|es|ing)|lower(?:s|ing)?|decreas(?:e|es|ing)|impair(?:s|ing)?|trading\\s+off)';
// the thing kept: up to three words ("the original accuracy", "competitive F1 score", "model quality")
// (metrics-1.32.0: or a measure after up to two words of any kind, "while matching full fine-tuning accuracy", "keeping
// teacher-level task performance" — not a level claimed, "maintains state-of-the-art accuracy with an average of 63.8%")
const OBJECT =
  "(?:(?:the|its|their|model|comparable|competitive|similar|high|strong|original|baseline|overall|task|downstream|same|much|any|full)\\s+){0,3}(?:(?!(?:state-of-the-art|SOTA|best|leading|top|higher|better)\\b)(?:[\\w@.'-]+\\s+){1,2}?(?:accuracy|accuracies|performance|quality|fidelity|precision|recall|F1|speed|latency|throughput)\\b|[\\w@.'-]+(?:\\s+(?:score|scores|rate|quality|performance))?)";

const KEPT_PHRASES: RegExp[] = [
  // "with no loss in accuracy", "with negligible degradation of BLEU", "no drop in F1"
  new RegExp(
    `\\b${NEGATOR}\\s+(?:(?:significant|noticeable|obvious|appreciable|measurable|substantial|accuracy|performance|quality)\\s+)?${CHANGE_NOUN}(?:\\s+(?:in|of|to|on)\\s+${OBJECT})?`,
    'gi',
  ),
  // "with minimal accuracy loss", "negligible F1 drop"
  new RegExp(`\\b${NEGATOR}\\s+[\\w@-]+(?:\\s+[\\w@-]+)?\\s+${CHANGE_NOUN}\\b`, 'gi'),
  // "without sacrificing accuracy", "without compromising the F1 score"
  new RegExp(`\\bwithout\\s+(?:significantly\\s+|noticeably\\s+|much\\s+)?${HARM_VERB}\\s+${OBJECT}`, 'gi'),
  // "while maintaining accuracy", "maintaining comparable F1", "and preserves the original accuracy"
  new RegExp(
    `(?<!-)\\b(?:(?:while|and|but|whilst)\\s+(?:still\\s+|also\\s+)?)?${KEEP_VERB}\\s+(?!\\d|over\\b|up\\b|about\\b|around\\b|nearly\\b|more\\b|at\\b|than\\b)${OBJECT}(?!\\s*(?:\\d|of\\s+\\d|at\\s+\\d|above\\s+\\d|over\\s+\\d))`,
    'gi',
  ),
  // metrics-1.23.0: "trained on identical data and compute", "at the same FLOPs", "compute-matched": a resource held
  // equal across the compared systems is the comparison's setting, not what its numbers measure
  new RegExp(
    `\\b(?:same|identical|equal|matched|fixed|equivalent)\\s+(?:(?:data|training|inference|parameter)\\s+(?:and\\s+)?)?(?:compute|FLOPs|computational\\s+(?:cost|budget)|inference\\s+cost|training\\s+cost|cost|memory|latency)\\b`,
    'gi',
  ),
  // metrics-1.28.0: "a 14.5% gain at equivalent recall", "2x faster at comparable accuracy": a measure held at one level
  // is the operating point of the comparison, not what its number measures
  new RegExp(
    `\\bat\\s+(?:an?\\s+|the\\s+)?(?:same|identical|equal|matched|fixed|equivalent|comparable|similar)(?:\\s+or\\s+(?:higher|better|lower|greater|superior|improved))?\\s+${OBJECT}(?:\\s+(?!(?:and|or|but|while|whereas|with|on|in|for|of|to|than|against|compared|across|over|by|at)\\b)[a-z][\\w-]*){0,2}`,
    'gi',
  ),
  // "accuracy-preserving", "lossless", "at no cost to accuracy"
  new RegExp(
    `\\b[\\w@-]+-(?:preserving|neutral|matched)\\b|\\blossless(?:ly)?\\b|\\bat\\s+no\\s+(?:extra\\s+)?cost\\s+(?:to|in|of)\\s+${OBJECT}`,
    'gi',
  ),
];

// a kept phrase that ends right before the number, a "(", "of", "by", "within" … measures it
// ("with negligible accuracy drop (0.2%)", "with a minimal loss of 0.3%")
// ("a minimal degradation in success rate of less than 1.7%": "of" and a bound together)
const REACHES_NUMBER =
  /^\s*(?:(?:\(|of\b|by\b|within\b|under\b|below\b|less than\b|only\b|<|,?\s*i\.e\.)\s*){0,3}$/i;

/** `window` with every "kept constant" phrase replaced by spaces (indices unchanged). */
// one cheap test first: most windows have none of these words, and then nothing is masked
const TRIGGER_RE =
  /\b(?:no|zero|little|minimal|minor|marginal|negligible|insignificant|limited|without|hardly|virtually|almost|nearly|barely|not|maintain|preserv|retain|keep|kept|sustain|match|lossless|loss|same|identical|equal|fixed|equivalent|comparable|similar)|-(?:preserving|neutral|matched)\b/i;

export function maskKeptPhrases(window: string, numberAtEnd = false): string {
  if (!TRIGGER_RE.test(window)) return window;
  let out = window;
  for (const re of KEPT_PHRASES) {
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(window)) !== null) {
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      const end = m.index + m[0].length;
      if (numberAtEnd && REACHES_NUMBER.test(window.slice(end))) continue;
      out = out.slice(0, m.index) + ' '.repeat(m[0].length) + out.slice(end);
    }
  }
  // "accuracy loss", "sensor loss", "information loss": the loss OF something names that thing (or nothing),
  // never the training objective "loss"
  NOUN_LOSS_RE.lastIndex = 0;
  let n: RegExpExecArray | null;
  while ((n = NOUN_LOSS_RE.exec(out)) !== null) {
    const at = n.index + n[0].length - n[1].length;
    out = out.slice(0, at) + ' '.repeat(n[1].length) + out.slice(at + n[1].length);
  }
  return out;
}

const NOUN_LOSS_RE =
  /\b(?:accuracy|performance|quality|precision|recall|f1|bleu|information|data|sensor|packet|signal|power|utility|fidelity|knowledge|capability|generali[sz]ation|detail|privacy|coverage)\s+(loss(?:es)?)\b/gi;
