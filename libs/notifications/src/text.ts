// Text helpers shared by the matcher and the renderers: folding for case/diacritic-insensitive
// comparison and escaping user input before it goes into a RegExp.

const COMBINING_MARKS = /\p{M}+/gu;

/** Lowercase, strip diacritics (é -> e), NFKC-compatible forms (ﬁ -> fi). */
export function foldText(s: string): string {
  return s.normalize('NFKD').replace(COMBINING_MARKS, '').toLowerCase();
}

/** Escapes every RegExp metacharacter so user input is matched literally. */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * `s` cut to at most `max` characters at a word boundary, then "…" (so at most `max` + 1 in all; the Daily Papers cards'
 * preview and the mails' abstracts: "Conseque…" read as a typo); when the last space is in the first 60% of the cut,
 * the cut is inside a word.
 */
export function clipAtWord(s: string, max: number): string {
  if (s.length <= max) return s;
  const cut = s.slice(0, max);
  const sp = cut.lastIndexOf(' ');
  return `${(sp > max * 0.6 ? cut.slice(0, sp) : cut).replace(/[\s,;:.]+$/, '')}…`;
}

/** Collapses runs of whitespace and trims. */
export function squash(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
