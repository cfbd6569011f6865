// A paper's text as one dense vector: the learned model's dense block (linear.ts `denseBlock`) on its own — the
// idf-weighted sum of the word vectors of the paper's distinct content words (a title word weighted by
// `titleWeight`), L2-normalised to unit length. Subscriptions' example papers and the papers matched against them
// are compared with it (cosine = dot product), so "similar" means what the classifier's dense features mean.
import { contentSegments } from './text';
import type { WordVectors } from './word-vectors';

/** The shipped model's `features.dense.title` (text-vector.spec.ts checks they agree). */
export const TEXT_VECTOR_TITLE_WEIGHT = 2;

/** Unit-length vector of title + abstract; all zeros when no word has a vector. */
export function textVector(
  title: string,
  abstract: string,
  wv: WordVectors,
  titleWeight: number = TEXT_VECTOR_TITLE_WEIGHT,
): Float32Array {
  const { dims, q, scale, idf, index } = wv;
  // distinct words in first-seen order (title first), each weighted once: as denseBlock does
  const weightOf = new Map<string, number>();
  for (const seg of contentSegments(title)) for (const w of seg) weightOf.set(w, titleWeight);
  for (const seg of contentSegments(abstract)) for (const w of seg) if (!weightOf.has(w)) weightOf.set(w, 1);
  const acc = new Float64Array(dims);
  for (const [w, weight] of weightOf) {
    const r = index.get(w);
    if (r === undefined) continue;
    const c = idf[r] * scale[r] * weight;
    for (let d = 0, at = r * dims; d < dims; d++) acc[d] += c * q[at + d];
  }
  let norm = 0;
  for (let d = 0; d < dims; d++) norm += acc[d] * acc[d];
  const out = new Float32Array(dims);
  if (norm === 0) return out;
  const f = 1 / Math.sqrt(norm);
  for (let d = 0; d < dims; d++) out[d] = acc[d] * f;
  return out;
}

/** Cosine of two textVector outputs (both unit length or zero): their dot product, 0 when either is zero. */
export function vectorCosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let d = 0; d < a.length; d++) dot += a[d] * b[d];
  return dot;
}
