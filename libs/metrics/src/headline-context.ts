// What a claim's sentence says about whether it may head a card (headlineScore in format-claim.ts): reads the
// abstract, never changes a claim.

import type { Claim } from '@paperwire/contracts';
import { metricHits } from './context';

/** A sentence end: . ! ? followed by space and a capital (a decimal point or "e.g. the" is not one), or the end. */
const SENTENCE_END = /[.!?](?=\s+["'([]?[A-Z])/g;

/** [from, to) of the sentence of `text` around offset `at`. */
function sentenceAround(text: string, at: number): [number, number] {
  let from = 0;
  SENTENCE_END.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = SENTENCE_END.exec(text)) !== null) {
    if (m.index >= at) return [from, m.index + 1];
    from = m.index + 1;
  }
  return [from, text.length];
}

/** The paper speaking of its own work: "we", "our", "this paper", "in this work". */
const OWN_WORK = /\b(?:we|our|this (?:paper|work|study|article)|the proposed)\b/i;
/** A sentence stating a result as the paper's own improvement. */
const OWN_RESULT =
  /\b(?:we|our|ours|achiev\w*|outperform\w*|improv\w*|surpass\w*|boost\w*|exceed\w*|beat\w*|sets? (?:a )?new)\b/i;
/** A share of the model's parameters: how much is trained (setup), not a result. */
const PARAMETER_SHARE = /^\s*(?:of\s+(?:the\s+|its\s+|their\s+)?(?:total\s+|all\s+|trainable\s+|model\s+|full\s+)*(?:parameters|params|weights)\b)/i;
/** A measure held equal while another is compared: "at equivalent recall", "at the same FLOPs". */
const HELD_EQUAL = /\b(?:at|under|with)\s+(?:an?\s+|the\s+)?(?:equivalent|equal|same|fixed|matched|matching|comparable|similar|constant|iso-?)\s*$/i;
/** A rate the number is stated of ("a rescue rate (…) of only 34.8%"), parentheses removed first. */
const RATE_OF_NUMBER =
  /\b[a-z]+[ -]rates?\s*(?:of|is|was|at|reaches|reached|=|:)?\s*(?:only|just|about|approximately|around|nearly|roughly|up to|over|under|below|above)?\s*$/i;

/**
 * null when the claim's sentence shows it is not the paper's result, else a bonus:
 * - a background number: before the first sentence on the paper's own work, in a sentence that does not state a
 *   result ("70% of hospital records sit in scanned forms. … In this paper, we introduce …") → null;
 * - a share of parameters ("2.7% of all weights") → null;
 * - its metric only named as a measure held equal ("a 14.5% gain at equivalent recall": a precision gain) → null;
 * - the number stated of a rate that is not its metric ("an overall rescue rate (…) of only 34.8%" is no error rate)
 *   → null;
 * - a sentence stating the paper's own improvement ("we", "our", "achieves", "outperforms", "improves") → +0.25, a
 *   tie-break below every field of the claim (eval-headline: a larger weight shows no more right headlines).
 */
export function headlineContext(c: Claim, text: string): number | null {
  const [from, to] = sentenceAround(text, c.start);
  const sentence = text.slice(from, to);
  const ownResult = OWN_RESULT.test(sentence);
  if (!ownResult && OWN_WORK.test(text.slice(to)) && !OWN_WORK.test(text.slice(0, from))) return null;
  if (PARAMETER_SHARE.test(text.slice(c.end, to))) return null;
  if (c.metric) {
    const hits = metricHits(sentence).filter((h) => h.name === c.metric);
    if (hits.length > 0 && hits.every((h) => HELD_EQUAL.test(sentence.slice(0, h.index)))) return null;
    const before = text.slice(from, c.start).replace(/\([^()]*\)/g, ' ');
    const rate = RATE_OF_NUMBER.exec(before);
    if (rate && !metricHits(before).some((h) => h.name === c.metric && h.end > rate.index)) return null;
  }
  return ownResult ? 0.25 : 0;
}
