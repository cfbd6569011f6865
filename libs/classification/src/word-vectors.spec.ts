import {
  compileLinear,
  DEFAULT_FEATURES,
  linearDots,
  linearFeatures,
  linearScores,
  type LinearFeatureSpec,
} from './linear';
import { contentSegments } from './text';
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
const MEAN: LinearFeatureSpec = { ...DENSE, dense: { ...DENSE.dense!, weight: 3, norm: 'mean' } };
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

  it("sums the words' vectors one word after another, in first-seen order, to the bit", () => {
    // 8 and 7 words with a vector (the sum runs four words at a time, then one by one)
    const cases = [
      { title: 'Zyxo lora', abstract: 'Adapter frozen segment image mask quvk.' },
      { title: 'Mask', abstract: 'Quvk lora image, frozen adapter and segment.' },
    ];
    const { dims, q, scale, idf } = VECTORS;
    const { weight, title } = DENSE.dense!;
    for (const p of cases) {
      const titleWords = new Set(contentSegments(p.title).flat());
      const words = [...new Set([...contentSegments(p.title).flat(), ...contentSegments(p.abstract).flat()])];
      const acc = new Array<number>(dims).fill(0);
      for (const w of words) {
        const r = VECTORS.index.get(w);
        if (r === undefined) continue;
        const c = idf[r] * scale[r] * (titleWords.has(w) ? title : 1);
        for (let d = 0; d < dims; d++) acc[d] += c * q[r * dims + d];
      }
      const f = weight / Math.sqrt(acc.reduce((s, x) => s + x * x, 0));
      expect(denseOf(linearFeatures(p, DENSE), DENSE)).toEqual(acc.map((x) => Math.fround(x * f)));
    }
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

  it("keeps an 'l2' model's dense weights as one row per head, and scores its heads alike however they are asked for", () => {
    // a primary head, then a topic head with the same weights (row order: the topic head first)
    const file = {
      version: 'lin-test-dense-rows',
      provenance: '',
      features: DENSE,
      heads: [
        ...heads.map((h, i) => packHead('primary', h.label, dense.model.heads[i], 1e-6, 20)),
        ...heads.map((h, i) => packHead(h.kind, h.label, dense.model.heads[i], 1e-6, 20)),
      ],
      primaryRule: 'score' as const,
      training: {},
    };
    const compiled = compileLinear(JSON.parse(JSON.stringify(file)));
    const dims = DENSE.dense!.dims;
    const base = 1 << DENSE.bits;
    const order = [...compiled.mainHeads, ...compiled.primaryHeads];
    expect(order).toEqual([1, 0]);
    // head order[k]'s weight of dense feature d at k * dims + d: the file's int16 weight, or 0 when pruned
    const expected = order.flatMap((h) =>
      Array.from({ length: dims }, (_, d) => {
        const head = file.heads[h];
        let b = 0;
        for (let i = 0; i < head.idx.length; i++) if ((b += head.idx[i]) === base + d) return head.q[i];
        return 0;
      }),
    );
    expect(Array.from(compiled.denseWeights!)).toEqual(expected);
    expect(expected.some((q) => q !== 0)).toBe(true);
    // every head gets the same additions in the same order with part 'all' as with 'main' then 'primary'
    for (const p of [papers[0], papers[25], { title: 'zyxo', abstract: 'Adapters for quvk.' }]) {
      const segments = { title: contentSegments(p.title), abstract: contentSegments(p.abstract) };
      const all = linearScores(compiled, p, new Float64Array(2), segments);
      const split = linearScores(compiled, p, new Float64Array(2), segments, 'main');
      expect(split[0]).toBe(0);
      linearScores(compiled, p, split, segments, 'primary');
      expect(Array.from(split)).toEqual(Array.from(all));
      expect(all[0]).toBe(all[1]);
      expect(all[0]).not.toBe(0);
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

describe("dense block as a weighted mean ('mean')", () => {
  const dequantised = (token: string): number[] => {
    const r = VECTORS.index.get(token)!;
    return Array.from(VECTORS.q.subarray(4 * r, 4 * r + 4), (x) => x * VECTORS.scale[r]);
  };

  it("is the weight times the idf-weighted mean of the distinct words' vectors, title words weighted up", () => {
    for (const p of [LORA(1), VISION(2), { title: 'Segment', abstract: 'An image mask.' }]) {
      const titleWords = new Set(contentSegments(p.title).flat());
      const words = new Set([...titleWords, ...contentSegments(p.abstract).flat()]);
      const sum = [0, 0, 0, 0];
      let total = 0;
      for (const w of words) {
        const r = VECTORS.index.get(w);
        if (r === undefined) continue;
        const c = VECTORS.idf[r] * (titleWords.has(w) ? 2 : 1);
        dequantised(w).forEach((x, d) => (sum[d] += c * x));
        total += c;
      }
      expect(total).toBeGreaterThan(0);
      const block = denseOf(linearFeatures(p, MEAN), MEAN);
      block.forEach((x, d) => expect(x).toBeCloseTo((3 * sum[d]) / total, 5));
      // the same direction as the L2-normalised block, shorter than `weight` unless the words agree
      const l2 = denseOf(linearFeatures(p, DENSE), DENSE);
      const cos = block.reduce((s, x, d) => s + x * l2[d], 0) / Math.hypot(...block);
      expect(cos).toBeCloseTo(1, 5);
      expect(Math.hypot(...block)).toBeLessThan(3);
    }
    expect(denseOf(linearFeatures({ title: 'Nothing known', abstract: 'Plain words.' }, MEAN), MEAN)).toEqual(
      [],
    );
  });

  it("leaves a spec without `norm` scored as 'l2'", () => {
    const l2: LinearFeatureSpec = { ...DENSE, dense: { ...DENSE.dense!, norm: 'l2' } };
    const p = LORA(3);
    expect(denseOf(linearFeatures(p, l2), l2)).toEqual(denseOf(linearFeatures(p, DENSE), DENSE));
  });

  const papers = [
    ...Array.from({ length: 20 }, (_, i) => LORA(i)),
    ...Array.from({ length: 20 }, (_, i) => VISION(i)),
  ];
  const y = Int8Array.from(papers.map((_, i) => (i < 20 ? 1 : 0)));
  const heads: HeadSpec[] = [
    { kind: 'topic', label: 'peft', y, keyword: -1, positiveWeight: 1 },
    { kind: 'topic', label: 'vision', y: y.map((v) => 1 - v), keyword: -1, positiveWeight: 1 },
  ];
  const examples: TrainExample[] = papers.map((p) => ({
    f: linearFeatures(p, MEAN),
    keyword: new Float64Array(0),
  }));
  const model = trainHeads(
    examples,
    papers.map((_, i) => i),
    heads,
    MEAN,
    TRAIN,
  );

  it('lets a head generalise to words it never saw with a label, through their vectors', () => {
    const logit = (word: string): number =>
      headLogit(
        model,
        0,
        {
          f: linearFeatures({ title: word, abstract: `${word} ${word}.` }, MEAN),
          keyword: new Float64Array(0),
        },
        -1,
      );
    expect(logit('zyxo') - logit('quvk')).toBeGreaterThan(1);
  });

  it("scores the same at run time (each vector's head contributions tabulated at compile time) as the explicit features", () => {
    // heads: the two topic heads, then the same weights as primary heads (scored on demand, own part of a row)
    const file = {
      version: 'lin-test-mean',
      provenance: '',
      features: MEAN,
      heads: [
        ...heads.map((h, i) => packHead('topic', h.label, model.heads[i], 1e-6, 20)),
        ...heads.map((h, i) => packHead('primary', h.label, model.heads[i], 1e-6, 20)),
      ],
      primaryRule: 'score' as const,
      training: {},
    };
    const compiled = compileLinear(JSON.parse(JSON.stringify(file)));
    const quiz = [papers[0], papers[25], { title: 'zyxo', abstract: 'Adapters for quvk.' }, papers[3]];
    for (const p of quiz) {
      const f = linearFeatures(p, MEAN);
      const expected = linearDots(compiled, f);
      for (let h = 0; h < 2; h++) {
        const explicit = headLogit(model, h, { f, keyword: new Float64Array(0) }, -1) - model.heads[h].bias;
        expect(expected[h]).toBeCloseTo(explicit, 3);
        expect(expected[h + 2]).toBeCloseTo(expected[h], 6);
      }
      // twice: the second time every word's contributions come from the cache
      for (let round = 0; round < 2; round++) {
        const fast = linearScores(compiled, p, new Float64Array(4));
        for (let h = 0; h < 4; h++) expect(fast[h]).toBeCloseTo(expected[h], 5);
      }
      const segments = { title: contentSegments(p.title), abstract: contentSegments(p.abstract) };
      const split = linearScores(compiled, p, new Float64Array(4), segments, 'main');
      expect(split[2]).toBe(0);
      linearScores(compiled, p, split, segments, 'primary');
      for (let h = 0; h < 4; h++) expect(split[h]).toBeCloseTo(expected[h], 5);
    }
    // the dense block moves the scores: without it (weight 0) the unseen-word paper scores otherwise
    const none = compileLinear({
      ...JSON.parse(JSON.stringify(file)),
      features: { ...MEAN, dense: { ...MEAN.dense!, weight: 0 } },
    });
    const p = quiz[2];
    expect(
      Math.abs(
        linearScores(none, p, new Float64Array(4))[0] - linearDots(compiled, linearFeatures(p, MEAN))[0],
      ),
    ).toBeGreaterThan(0.1);
  });
});
