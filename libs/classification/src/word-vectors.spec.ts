import {
  compileLinear,
  DEFAULT_FEATURES,
  linearDots,
  linearFeatures,
  linearScores,
  type LinearFeatureSpec,
} from './linear';
import { headLogit, packHead, trainHeads, type HeadSpec, type TrainExample } from './linear-train';
import {
  encodeWordVectors,
  parseWordVectors,
  registerWordVectors,
  type WordVectorRows,
} from './word-vectors';

// Four directions: "adapter" words, "segment" words, and two words the training papers never contain, one near
// each ("zyxo" ~ adapter, "quvk" ~ segment; no character gram in common with any training word).
const unit = (v: number[]): Float32Array => {
  const n = Math.hypot(...v);
  return Float32Array.from(v, (x) => x / n);
};
const ROWS: WordVectorRows = {
  tokens: ['adapter', 'lora', 'frozen', 'segment', 'image', 'mask', 'zyxo', 'quvk'],
  vectors: [
    unit([1, 0.1, 0, 0]),
    unit([0.9, 0, 0.2, 0]),
    unit([0.8, 0.1, 0, 0.1]),
    unit([0, 1, 0, 0.1]),
    unit([0.1, 0.9, 0, 0]),
    unit([0, 0.8, 0.1, 0.2]),
    unit([0.95, 0, 0.1, 0]),
    unit([0, 0.95, 0, 0.1]),
  ],
  idf: [2, 1.5, 1, 2, 1.2, 1.8, 3, 3],
  meta: { source: 'test' },
};
const VECTORS = parseWordVectors(encodeWordVectors(ROWS));
registerWordVectors(VECTORS);

// 2^16 buckets: few collisions between the unseen words' grams and the training papers'
const SMALL = { ...DEFAULT_FEATURES, bits: 16 };
const DENSE: LinearFeatureSpec = { ...SMALL, dense: { vectors: VECTORS.id, dims: 4, weight: 1, title: 2 } };
const TRAIN = { alpha: 0.5, beta: 1, l1: 0.1, l2: 0.1, epochs: 5, seed: 1 };

const LORA = (i: number): { title: string; abstract: string } => ({
  title: `Low-rank adapters ${i}`,
  abstract: `We tune a frozen model with LoRA adapters and ${i} parameters.`,
});
const VISION = (i: number): { title: string; abstract: string } => ({
  title: `Image segmentation ${i}`,
  abstract: `We segment images with a mask network of depth ${i}.`,
});

const denseOf = (f: { idx: Int32Array; val: Float32Array }, spec: LinearFeatureSpec): number[] => {
  const base = 1 << spec.bits;
  return Array.from(f.idx).flatMap((b, k) => (b >= base ? [f.val[k]] : []));
};

describe('word vectors file', () => {
  it('round-trips tokens, idf and int8 vectors (error under one step of 1/127 per component)', () => {
    expect(VECTORS.dims).toBe(4);
    expect([...VECTORS.index.keys()]).toEqual(ROWS.tokens);
    ROWS.idf.forEach((x, r) => expect(VECTORS.idf[r]).toBeCloseTo(x, 6));
    ROWS.vectors.forEach((v, r) => {
      for (let d = 0; d < 4; d++)
        expect(Math.abs(VECTORS.q[r * 4 + d] * VECTORS.scale[r] - v[d])).toBeLessThan(1 / 127);
    });
    expect(VECTORS.meta).toEqual({ source: 'test' });
  });

  it('names a file by its content', () => {
    expect(parseWordVectors(encodeWordVectors(ROWS)).id).toBe(VECTORS.id);
    const other = { ...ROWS, idf: ROWS.idf.map((x) => x + 1) };
    expect(parseWordVectors(encodeWordVectors(other)).id).not.toBe(VECTORS.id);
  });
});

describe('dense word-vector block', () => {
  it('appends an L2-normalised block after the hashed buckets, title words weighted up', () => {
    const p = LORA(1);
    const plain = linearFeatures(p, SMALL);
    const f = linearFeatures(p, DENSE);
    const block = denseOf(f, DENSE);
    expect(block).toHaveLength(4);
    expect(Math.hypot(...block)).toBeCloseTo(1, 5);
    // the hashed features are unchanged
    expect(Array.from(f.idx).slice(0, plain.idx.length)).toEqual(Array.from(plain.idx));
    // "adapter" is in the title: weighting titles differently moves the block
    const even = denseOf(linearFeatures(p, { ...DENSE, dense: { ...DENSE.dense!, title: 1 } }), DENSE);
    expect(even).not.toEqual(block);
    // a paper with no word that has a vector gets no dense features
    expect(
      denseOf(linearFeatures({ title: 'Nothing known', abstract: 'Plain words.' }, DENSE), DENSE),
    ).toEqual([]);
  });

  const papers = [
    ...Array.from({ length: 20 }, (_, i) => LORA(i)),
    ...Array.from({ length: 20 }, (_, i) => VISION(i)),
  ];
  const y = Int8Array.from(papers.map((_, i) => (i < 20 ? 1 : 0)));
  const heads: HeadSpec[] = [{ kind: 'topic', label: 'peft', y, keyword: -1, positiveWeight: 1 }];
  const rows = papers.map((_, i) => i);
  const train = (spec: LinearFeatureSpec) => {
    const examples: TrainExample[] = papers.map((p) => ({
      f: linearFeatures(p, spec),
      keyword: new Float64Array(0),
    }));
    return { spec, examples, model: trainHeads(examples, rows, heads, spec, TRAIN) };
  };
  const dense = train(DENSE);
  const plain = train(SMALL);
  /** logit of the peft head for a paper made of words no training paper has */
  const novel = (m: ReturnType<typeof train>, word: string): number =>
    headLogit(
      m.model,
      0,
      {
        f: linearFeatures({ title: word, abstract: `${word} ${word}.` }, m.spec),
        keyword: new Float64Array(0),
      },
      -1,
    );

  it('lets a head generalise to words it never saw with a label, through their vectors', () => {
    const margin = novel(dense, 'zyxo') - novel(dense, 'quvk');
    expect(margin).toBeGreaterThan(1);
    // without the block both unseen words score alike
    expect(Math.abs(novel(plain, 'zyxo') - novel(plain, 'quvk'))).toBeLessThan(0.1 * margin);
  });

  it('scores the same at run time (packed, compiled, per-word caches) as the explicit features', () => {
    const file = {
      version: 'lin-test-dense',
      provenance: '',
      features: DENSE,
      heads: heads.map((h, i) => packHead(h.kind, h.label, dense.model.heads[i], 1e-6, 20)),
      primaryRule: 'score' as const,
      training: {},
    };
    const compiled = compileLinear(JSON.parse(JSON.stringify(file)));
    const quiz = [papers[0], papers[25], { title: 'zyxo', abstract: 'Adapters for quvk.' }];
    for (const p of quiz) {
      const expected = headLogit(
        dense.model,
        0,
        { f: linearFeatures(p, DENSE), keyword: new Float64Array(0) },
        -1,
      );
      const bias = dense.model.heads[0].bias;
      expect(linearDots(compiled, linearFeatures(p, DENSE))[0]).toBeCloseTo(expected - bias, 3);
      for (let round = 0; round < 2; round++)
        expect(linearScores(compiled, p, new Float64Array(1))[0]).toBeCloseTo(expected - bias, 3);
    }
  });

  it('refuses to compile a model whose word vectors are not loaded', () => {
    const file = {
      version: 'lin-test-missing',
      provenance: '',
      features: { ...DENSE, dense: { ...DENSE.dense!, vectors: 'wv-1.0000000000' } },
      heads: [],
      primaryRule: 'score' as const,
      training: {},
    };
    expect(() => compileLinear(file)).toThrow(/not loaded/);
  });
});
