// Tokenisation shared by topic matching, tf-idf, the arXiv-category model and the example ranker.
// One function produces every feature so that training and run time can never drift apart.

const STOPWORDS = new Set(
  (
    'a about above after again against all also am an and any are as at be because been before being below between both ' +
    'but by can could did do does doing down during each either few for from further had has have having he her here ' +
    'hers herself him himself his how i if in into is it its itself just let me more most my myself no nor not now of off ' +
    'on once only or other our ours ourselves out over own same she should so some such than that the their theirs them ' +
    'themselves then there these they this those through to too under until up upon very via was we were what when where ' +
    'which while who whom why will with within without would you your yours yourself yourselves its us may might must ' +
    'shall thus however therefore moreover furthermore whereas whether etc eg ie used using based paper ' +
    'show shows shown approach approaches method methods result ' +
    'results work also well one two three first second many much often several different various'
  ).split(/\s+/),
);

// Light suffix stripping: enough to join plural/singular and verb forms ("experts"/"expert",
// "distilled"/"distillation" stay apart on purpose), cheap enough for the 5k abstracts/s budget.
export function stem(word: string): string {
  const n = word.length;
  if (n <= 3) return word;
  if (word.endsWith('ies') && n > 4) return word.slice(0, -3) + 'y';
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (word.endsWith('ss') || word.endsWith('us') || word.endsWith('is')) return word;
  if (word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

/** Lower-cased word tokens (letters/digits, inner hyphens split), stop words kept out, stemmed. */
export function contentTokens(text: string): string[] {
  const out: string[] = [];
  const re = /[a-z0-9]+/g;
  const lower = text.toLowerCase();
  let m: RegExpExecArray | null;
  while ((m = re.exec(lower)) !== null) {
    const w = m[0];
    if (w.length < 2 && !/[0-9]/.test(w)) continue;
    if (STOPWORDS.has(w)) continue;
    out.push(stem(w));
  }
  return out;
}

// A sentence or clause break: . ! ? ; followed by white space, or a line break. Decimals ("0.3") and
// hyphens stay inside a segment.
const SEGMENT_BREAK = /[.!?;]\s+|\n\s*\n/;

/** Content tokens per sentence, so n-grams can be built without spanning sentence breaks. */
export function contentSegments(text: string): string[][] {
  const out: string[][] = [];
  for (const part of text.split(SEGMENT_BREAK)) {
    const tokens = contentTokens(part);
    if (tokens.length > 0) out.push(tokens);
  }
  return out;
}

/** Unigrams, bigrams and trigrams over content tokens, joined by a space. */
export function ngrams(tokens: readonly string[], maxN = 3): string[] {
  const out: string[] = tokens.slice();
  for (let n = 2; n <= maxN; n++) {
    for (let i = 0; i + n <= tokens.length; i++) {
      let g = tokens[i];
      for (let k = 1; k < n; k++) g += ' ' + tokens[i + k];
      out.push(g);
    }
  }
  return out;
}

/** Term counts of the unigrams and bigrams of a text. */
export function termCounts(text: string, maxN = 2): Map<string, number> {
  const counts = new Map<string, number>();
  for (const g of ngrams(contentTokens(text), maxN)) counts.set(g, (counts.get(g) ?? 0) + 1);
  return counts;
}

/**
 * False when normalising a phrase drops one of its words (a one-letter word such as the "p" of "p-tuning"):
 * the rest ("tuning") would then match far more than the phrase means, so such keywords are not used.
 */
export function keepsAllWords(phrase: string): boolean {
  const words = phrase.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  return words.every((w) => w.length >= 2 || /[0-9]/.test(w) || STOPWORDS.has(w));
}

/** A keyword or phrase in the same normal form as the n-grams above ("Mixture of Experts" -> "mixture expert"). */
export function phraseKey(phrase: string): string {
  return contentTokens(phrase).join(' ');
}
