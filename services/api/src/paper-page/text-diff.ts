// Word-level diff of two texts (title or abstract of two versions) for the paper page's version history.

export interface DiffPart {
  op: 'same' | 'added' | 'removed';
  text: string;
}

/** Above this many cells (words × words) the diff is "all removed, all added" instead of an LCS. */
const MAX_CELLS = 4_000_000;

/** Splits into words keeping the whitespace after each, so joining the parts gives the text back. */
function words(s: string): string[] {
  return s.match(/\S+\s*|\s+/g) ?? [];
}

/**
 * A word both texts have, with the whitespace after it that keeps the parts apart: the text whose word has some
 * ("Inference" ending one title and "Inference " going on in the other: the diff goes on, so the space is kept).
 */
const spaced = (x: string, y: string): string => (x.length > y.length ? x : y);

function push(out: DiffPart[], op: DiffPart['op'], text: string): void {
  const last = out[out.length - 1];
  if (last && last.op === op) last.text += text;
  else out.push({ op, text });
}

/**
 * The parts of `after` and `before` in reading order: unchanged words, words removed from `before`, words
 * added in `after` (longest common subsequence of words, compared without trailing whitespace).
 * Cost is bounded: O(n·m) cells up to MAX_CELLS, then a whole replacement.
 */
export function diffWords(before: string, after: string): DiffPart[] {
  if (before === after) return before ? [{ op: 'same', text: before }] : [];
  const a = words(before);
  const b = words(after);
  // Common prefix and suffix first: versions usually differ in a few places.
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre].trim() === b[pre].trim()) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf].trim() === b[b.length - 1 - suf].trim()) suf++;
  const out: DiffPart[] = [];
  if (pre > 0) push(out, 'same', b.slice(0, pre).map((w, k) => spaced(a[k], w)).join(''));
  const am = a.slice(pre, a.length - suf);
  const bm = b.slice(pre, b.length - suf);
  const n = am.length;
  const m = bm.length;
  if (n * m > MAX_CELLS) {
    if (n) push(out, 'removed', am.join(''));
    if (m) push(out, 'added', bm.join(''));
  } else if (n > 0 || m > 0) {
    // lcs[i][j] = LCS length of am[i..] and bm[j..], flattened
    const w = m + 1;
    const lcs = new Uint32Array((n + 1) * w);
    for (let i = n - 1; i >= 0; i--)
      for (let j = m - 1; j >= 0; j--)
        lcs[i * w + j] = am[i].trim() === bm[j].trim() ? lcs[(i + 1) * w + j + 1] + 1 : Math.max(lcs[(i + 1) * w + j], lcs[i * w + j + 1]);
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && am[i].trim() === bm[j].trim()) {
        push(out, 'same', spaced(am[i], bm[j]));
        i++;
        j++;
      } else if (i < n && (j === m || lcs[(i + 1) * w + j] >= lcs[i * w + j + 1])) {
        push(out, 'removed', am[i++]); // removals before additions, as diffs read
      } else {
        push(out, 'added', bm[j++]);
      }
    }
  }
  if (suf > 0) push(out, 'same', b.slice(b.length - suf).map((w, k) => spaced(a[a.length - suf + k], w)).join(''));
  return out;
}
