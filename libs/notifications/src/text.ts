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

/** Collapses runs of whitespace and trims. */
export function squash(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
