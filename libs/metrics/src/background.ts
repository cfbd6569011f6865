// metrics-1.26.0 — figures the abstract reports from related work: "Prior studies have shown that speculative decoding
// improves throughput by 80%", "It has been reported that augmentation cuts labelling cost by 80%". A clause that
// opens on what earlier work showed states background, not the paper's result (GUIDE: a background figure is not a
// claim); the clause ends at ";" or a sentence end, or where the abstract turns to its own work (", but we", "; we").

import type { Claim } from '@paperwire/contracts';

// (a cheap test first: most abstracts report no earlier work's figure)
const TRIGGER_RE =
  /\b(?:(?:prior|previous|existing|earlier|recent)\s+(?:work|stud|research|literature|reports|surveys|analyses|evaluations)|it has been\s)/i;
// the reporting frame: earlier work as the subject of a verb of reporting, or an impersonal "it has been shown"
// (metrics-1.27.0: the verb up to 120 characters after the subject — "Recent research conducted by X, in collaboration
// with Y, revealed that …" — and "reveal" among the verbs)
const PRIOR_WORK_REPORT_RE =
  /(?:^|[.!?;]\s+)(?:(?:However|Moreover|Notably|Indeed|Furthermore|Yet),?\s+)?(?:(?:(?:many|several|some|most|a few)\s+)?(?:prior|previous|existing|earlier|recent)\s+(?:work|works|studies|research|literature|reports|surveys|analyses|evaluations)\b[^.;!?]{0,120}?\b(?:ha(?:s|ve)\s+)?(?:show(?:s|n|ed)?|report(?:s|ed)?|f(?:ind|ound|inds)|demonstrat(?:e|es|ed)|estimat(?:e|es|ed)|observ(?:e|es|ed)|reveal(?:s|ed)?)|it\s+has\s+been\s+(?:shown|reported|observed|estimated|found|demonstrated))\b/gi;
// where the abstract turns from the background to its own work inside the sentence
const OWN_TURN_RE = /[,;]\s*(?:but|yet|while|whereas|however)?\s*(?:we|our|this (?:paper|work|study))\b|;/i;
const SENTENCE_END_RE = /[.!?](?=\s+["'([]?[A-Z]|\s*$)/;

/** The claims of `claims` that lie outside a clause reporting what earlier work showed. */
export function dropPriorWorkFigures(text: string, claims: Claim[]): Claim[] {
  if (claims.length === 0 || !TRIGGER_RE.test(text)) return claims;
  const spans: Array<[number, number]> = [];
  PRIOR_WORK_REPORT_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = PRIOR_WORK_REPORT_RE.exec(text)) !== null) {
    const from = m.index + m[0].length;
    const rest = text.slice(from, from + 400);
    const end = SENTENCE_END_RE.exec(rest);
    let to = end ? end.index : rest.length;
    const turn = OWN_TURN_RE.exec(rest.slice(0, to));
    if (turn) to = turn.index;
    spans.push([from, from + to]);
  }
  return spans.length === 0
    ? claims
    : claims.filter((c) => !spans.some(([a, b]) => c.start >= a && c.end <= b));
}
