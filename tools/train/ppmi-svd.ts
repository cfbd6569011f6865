// Domain word vectors from a token corpus, offline and deterministic: positive PMI of word-context co-occurrence
// (symmetric window, context distribution smoothed with exponent 0.75), factorised by a seeded randomised SVD;
// word vector = U_k * sqrt(Sigma_k) (Levy, Goldberg & Dagan 2015, "Improving distributional similarity with lessons
// learned from word embeddings"). Used by trim-word-vectors.ts --source ppmi; no dependencies.
import { rng } from '@paperwire/classification';

export interface PpmiOptions {
  dims: number;
  window: number;
  /** rows of the co-occurrence matrix counted per pass (memory: rows x vocabulary float32) */
  chunk: number;
  powerIterations: number;
  seed: number;
}

/** CSR matrix, vocabulary x vocabulary. */
interface Csr {
  ptr: Int32Array;
  col: Int32Array;
  val: Float32Array;
}

/** Calls `pair(a, b, w)` for every (word, context) pair within the window: both orders, weight 1 / distance. */
function eachPair(ids: Int32Array, window: number, pair: (a: number, b: number, w: number) => void): void {
  for (let i = 0; i < ids.length; i++) {
    const a = ids[i];
    if (a < 0) continue;
    for (let j = i + 1; j <= i + window && j < ids.length; j++) {
      const b = ids[j];
      if (b === -2) break; // a sentence break
      if (b < 0) continue; // a word outside the vocabulary
      const w = 1 / (j - i);
      pair(a, b, w);
      pair(b, a, w);
    }
  }
}

/**
 * PPMI matrix of a corpus given as vocabulary ids (-1: a word outside the vocabulary, -2: a sentence break).
 */
function ppmi(ids: Int32Array, V: number, opts: PpmiOptions): Csr {
  const rowSum = new Float64Array(V);
  eachPair(ids, opts.window, (a, _b, w) => (rowSum[a] += w));
  // smoothed context distribution (the matrix is symmetric, so column sums = row sums)
  const ctx = Float64Array.from(rowSum, (x) => x ** 0.75);
  const ctxTotal = ctx.reduce((s, x) => s + x, 0);
  const ptr = new Int32Array(V + 1);
  let col = new Int32Array(1 << 20);
  let val = new Float32Array(1 << 20);
  let nnz = 0;
  for (let lo = 0; lo < V; lo += opts.chunk) {
    const hi = Math.min(V, lo + opts.chunk);
    const dense = new Float32Array((hi - lo) * V);
    eachPair(ids, opts.window, (a, b, w) => {
      if (a >= lo && a < hi) dense[(a - lo) * V + b] += w;
    });
    for (let a = lo; a < hi; a++) {
      for (let b = 0; b < V; b++) {
        const c = dense[(a - lo) * V + b];
        if (c === 0) continue;
        const pmi = Math.log((c * ctxTotal) / (rowSum[a] * ctx[b]));
        if (pmi <= 0) continue;
        if (nnz === col.length) {
          const c2 = new Int32Array(2 * nnz);
          c2.set(col);
          col = c2;
          const v2 = new Float32Array(2 * nnz);
          v2.set(val);
          val = v2;
        }
        col[nnz] = b;
        val[nnz++] = pmi;
      }
      ptr[a + 1] = nnz;
    }
  }
  return { ptr, col: col.subarray(0, nnz), val: val.subarray(0, nnz) };
}

/** out (V x l, row-major) = A x (V x l), or A^T x when `transpose`. */
function multiply(A: Csr, x: Float64Array, l: number, transpose: boolean): Float64Array {
  const V = A.ptr.length - 1;
  const out = new Float64Array(V * l);
  for (let a = 0; a < V; a++)
    for (let k = A.ptr[a]; k < A.ptr[a + 1]; k++) {
      const v = A.val[k];
      const [to, from] = transpose ? [A.col[k] * l, a * l] : [a * l, A.col[k] * l];
      for (let j = 0; j < l; j++) out[to + j] += v * x[from + j];
    }
  return out;
}

/** Orthonormalises the l columns of x (V x l, row-major) in place: modified Gram-Schmidt. */
function orthonormalise(x: Float64Array, V: number, l: number): void {
  for (let j = 0; j < l; j++) {
    for (let i = 0; i < j; i++) {
      let dot = 0;
      for (let r = 0; r < V; r++) dot += x[r * l + i] * x[r * l + j];
      for (let r = 0; r < V; r++) x[r * l + j] -= dot * x[r * l + i];
    }
    let n = 0;
    for (let r = 0; r < V; r++) n += x[r * l + j] ** 2;
    n = Math.sqrt(n) || 1;
    for (let r = 0; r < V; r++) x[r * l + j] /= n;
  }
}

/** Eigen-decomposition of a symmetric l x l matrix (cyclic Jacobi): eigenvalues and eigenvectors (columns). */
function symmetricEigen(m: Float64Array, l: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(m);
  const v = new Float64Array(l * l);
  for (let i = 0; i < l; i++) v[i * l + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < l; p++) for (let q = p + 1; q < l; q++) off += a[p * l + q] ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < l; p++)
      for (let q = p + 1; q < l; q++) {
        const apq = a[p * l + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * l + q] - a[p * l + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < l; k++) {
          const akp = a[k * l + p];
          const akq = a[k * l + q];
          a[k * l + p] = c * akp - s * akq;
          a[k * l + q] = s * akp + c * akq;
        }
        for (let k = 0; k < l; k++) {
          const apk = a[p * l + k];
          const aqk = a[q * l + k];
          a[p * l + k] = c * apk - s * aqk;
          a[q * l + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < l; k++) {
          const vkp = v[k * l + p];
          const vkq = v[k * l + q];
          v[k * l + p] = c * vkp - s * vkq;
          v[k * l + q] = s * vkp + c * vkq;
        }
      }
  }
  return { values: Float64Array.from({ length: l }, (_, i) => a[i * l + i]), vectors: v };
}

/** One vector of `opts.dims` components per vocabulary id (row-major Float64Array, V x dims). */
export function ppmiSvdVectors(ids: Int32Array, V: number, opts: PpmiOptions): Float64Array {
  const A = ppmi(ids, V, opts);
  const l = opts.dims + 20;
  const rand = rng(opts.seed);
  const omega = new Float64Array(V * l);
  for (let i = 0; i < omega.length; i++) {
    // Box-Muller
    const u = 1 - rand();
    omega[i] = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  }
  let q = multiply(A, omega, l, false);
  orthonormalise(q, V, l);
  for (let it = 0; it < opts.powerIterations; it++) {
    const z = multiply(A, q, l, true);
    orthonormalise(z, V, l);
    q = multiply(A, z, l, false);
    orthonormalise(q, V, l);
  }
  // B = Q^T A (l x V) = (A^T Q)^T; B B^T = Z^T Z with Z = A^T Q; B = U_B Sigma W^T, A ~ (Q U_B) Sigma W^T
  const z = multiply(A, q, l, true);
  const bbt = new Float64Array(l * l);
  for (let r = 0; r < V; r++)
    for (let i = 0; i < l; i++) {
      const zi = z[r * l + i];
      if (zi === 0) continue;
      for (let j = 0; j < l; j++) bbt[i * l + j] += zi * z[r * l + j];
    }
  const { values, vectors } = symmetricEigen(bbt, l);
  const order = Array.from({ length: l }, (_, i) => i).sort((x, y) => values[y] - values[x]);
  const out = new Float64Array(V * opts.dims);
  for (let d = 0; d < opts.dims; d++) {
    const e = order[d];
    const sigma = Math.sqrt(Math.max(0, values[e]));
    const f = Math.sqrt(sigma); // sqrt(Sigma) weighting
    for (let r = 0; r < V; r++) {
      let u = 0;
      for (let i = 0; i < l; i++) u += q[r * l + i] * vectors[i * l + e];
      out[r * opts.dims + d] = u * f;
    }
  }
  return out;
}
