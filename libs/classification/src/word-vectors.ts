// Pre-trained word vectors for the learned model's dense block (linear.ts, `LinearFeatureSpec.dense`): one
// unit-length vector per classifier token (the stemmed, lower-cased tokens of text.ts), int8-quantised with a scale
// per vector, plus an idf per token. Written by tools/train/trim-word-vectors.ts (provenance in
// data/classification/PROVENANCE.md); no I/O here: data-files.ts reads the file and registers it.
//
// File (gzip'd): a JSON header line { format, id, dims, count, ... }, then the `count` tokens, one per line, then
// float32 scales (count), float32 idfs (count) and int8 components (count x dims, row-major), little-endian.
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';

export const WORD_VECTORS_FORMAT = 'paperwire-word-vectors/1';

export interface WordVectors {
  /** `wv-1.<sha256 of the unpacked file, 10 hex>`: what a model's dense spec names */
  id: string;
  dims: number;
  /** token -> row */
  index: Map<string, number>;
  /** row-major int8 components: component d of row r is q[r * dims + d] * scale[r] */
  q: Int8Array;
  scale: Float32Array;
  /** inverse document frequency of each row's token in the corpus the vocabulary was counted on */
  idf: Float32Array;
  /** the header's other fields (source, licence, counts), for humans */
  meta: Record<string, unknown>;
}

export interface WordVectorRows {
  tokens: string[];
  /** unit-length (or zero) vectors, one per token */
  vectors: Float32Array[];
  idf: number[];
  meta: Record<string, unknown>;
}

/** The gzip'd file of `rows` (deterministic: the same rows give the same bytes). */
export function encodeWordVectors(rows: WordVectorRows): Buffer {
  const n = rows.tokens.length;
  const dims = rows.vectors[0]?.length ?? 0;
  const scale = new Float32Array(n);
  const idf = Float32Array.from(rows.idf);
  const q = new Int8Array(n * dims);
  rows.vectors.forEach((v, r) => {
    let max = 0;
    for (let d = 0; d < dims; d++) max = Math.max(max, Math.abs(v[d]));
    const s = max > 0 ? max / 127 : 1;
    scale[r] = s;
    for (let d = 0; d < dims; d++) q[r * dims + d] = Math.round(v[d] / s);
  });
  const body = Buffer.concat([
    Buffer.from(rows.tokens.join('\n') + '\n', 'utf8'),
    Buffer.from(scale.buffer),
    Buffer.from(idf.buffer),
    Buffer.from(q.buffer),
  ]);
  const id = `wv-1.${createHash('sha256').update(body).digest('hex').slice(0, 10)}`;
  const header = JSON.stringify({ format: WORD_VECTORS_FORMAT, id, dims, count: n, ...rows.meta });
  return gzipSync(Buffer.concat([Buffer.from(header + '\n', 'utf8'), body]), { level: 9 });
}

export function parseWordVectors(gz: Buffer): WordVectors {
  const buf = gunzipSync(gz);
  const eol = buf.indexOf(10);
  const { format, id, dims, count, ...meta } = JSON.parse(buf.subarray(0, eol).toString('utf8')) as {
    format: string;
    id: string;
    dims: number;
    count: number;
  };
  if (format !== WORD_VECTORS_FORMAT) throw new Error(`classification: unknown word-vector format ${format}`);
  let at = eol + 1;
  const index = new Map<string, number>();
  for (let r = 0; r < count; r++) {
    const end = buf.indexOf(10, at);
    index.set(buf.subarray(at, end).toString('utf8'), r);
    at = end + 1;
  }
  const floats = (n: number): Float32Array => {
    const out = new Float32Array(n);
    Buffer.from(out.buffer).set(buf.subarray(at, at + 4 * n));
    at += 4 * n;
    return out;
  };
  const scale = floats(count);
  const idf = floats(count);
  const q = new Int8Array(count * dims);
  Buffer.from(q.buffer).set(buf.subarray(at, at + count * dims));
  return { id, dims, index, q, scale, idf, meta };
}

// The vectors a model may name, by id: registered by whoever loads them (loadDefaultModel, the trainer, tests), so
// that the feature code does no I/O.
const registry = new Map<string, WordVectors>();

export function registerWordVectors(v: WordVectors): void {
  registry.set(v.id, v);
}

export function wordVectors(id: string): WordVectors {
  const v = registry.get(id);
  if (v === undefined)
    throw new Error(`classification: word vectors ${id} are not loaded (loadWordVectorsFile)`);
  return v;
}
