import {
  compileLinear,
  linearDots,
  linearFeatures,
  linearScores,
  toSharedScale,
  DEFAULT_FEATURES,
} from './linear';
import {
  bestThreshold,
  fitPlatt,
  headLogit,
  nbRatios,
  packHead,
  softmaxGroups,
  softmaxInPlace,
  trainHeads,
  type HeadSpec,
  type TrainExample,
} from './linear-train';
import { cohenKappa } from './evaluate';
import { findRepoRoot, loadDefaultModel, loadShippedCorpora } from './data-files';
import { gramVocabulary } from './document';
import { readPaper, TermTable } from './paper-terms';
import { clearWordCache, contentSegments, tokenSink, wordCacheGeneration } from './text';

const SMALL = { ...DEFAULT_FEATURES, bits: 12 };
/** The training options of these specs: a few epochs, fixed seed. */
const TRAIN = { alpha: 0.5, beta: 1, l1: 0.1, l2: 0.1, epochs: 5, seed: 1 };

const LORA = (i: number): { title: string; abstract: string } => ({
  title: `Low-rank adapters for language model ${i}`,
  abstract: `We fine-tune a frozen language model with LoRA adapters and ${i} trainable parameters. Adapters are cheap.`,
});
const VISION = (i: number): { title: string; abstract: string } => ({
  title: `Image segmentation network ${i}`,
  abstract: `We segment medical images with a convolutional network of depth ${i}. Segmentation masks improve.`,
});

/** n LoRA papers (label 1) then n vision papers (label 0), their features and rows. */
function twoKinds(n: number): {
  papers: { title: string; abstract: string }[];
  examples: TrainExample[];
  y: Int8Array;
  rows: number[];
} {
  const papers = [
    ...Array.from({ length: n }, (_, i) => LORA(i)),
    ...Array.from({ length: n }, (_, i) => VISION(i)),
  ];
  const examples: TrainExample[] = papers.map((p) => ({
    f: linearFeatures(p, SMALL),
    keyword: Float64Array.from([0]),
  }));
  const y = Int8Array.from(papers.map((_, i) => (i < n ? 1 : 0)));
  return { papers, examples, y, rows: papers.map((_, i) => i) };
}

describe('linear features', () => {
  it('is deterministic, leaves no state behind, and L2-normalises each block', () => {
    const p = LORA(1);
    const a = linearFeatures(p, SMALL);
    linearFeatures(VISION(2), SMALL);
    const b = linearFeatures(p, SMALL);
    expect(Array.from(b.idx)).toEqual(Array.from(a.idx));
    expect(Array.from(b.val)).toEqual(Array.from(a.val));
    // body 1 + title 0.5^2, then the character block: 1/sqrt(#words) * unit vector per distinct word
    const sq = Array.from(a.val).reduce((s, v) => s + v * v, 0);
    expect(sq).toBeCloseTo(1 + 0.25 + 1, 4);
    expect(Math.max(...Array.from(a.idx))).toBeLessThan(1 << SMALL.bits);
  });

  it('gives an empty feature list for a text without content words', () => {
    expect(linearFeatures({ title: '', abstract: 'the of and' }, SMALL).idx.length).toBe(0);
  });
});

describe('linear heads: train, pack, compile, score', () => {
  const { papers, examples, y, rows } = twoKinds(30);
  const heads: HeadSpec[] = [
    { kind: 'topic', label: 'peft', y, keyword: 0, positiveWeight: 1 },
    {
      kind: 'contribution',
      label: 'method',
      y: Int8Array.from(y.map((v) => 1 - v)),
      keyword: -1,
      positiveWeight: 1,
    },
    { kind: 'primary', label: 'peft', y, keyword: 0, positiveWeight: 1 },
  ];
  const trained = trainHeads(examples, rows, heads, SMALL.bits, TRAIN);

  it('separates the two kinds of paper', () => {
    expect(headLogit(trained, 0, examples[0], 0)).toBeGreaterThan(0);
    expect(headLogit(trained, 0, examples[45], 0)).toBeLessThan(0);
    expect(headLogit(trained, 1, examples[45], -1)).toBeGreaterThan(headLogit(trained, 1, examples[0], -1));
  });

  it('trains a softmax group: the labelled head of the group gets the highest logit', () => {
    const group: HeadSpec[] = [
      { kind: 'primary', label: 'peft', y, keyword: -1, positiveWeight: 1, softmaxGroup: 'primary' },
      {
        kind: 'primary',
        label: 'vision',
        y: Int8Array.from(y.map((v) => 1 - v)),
        keyword: -1,
        positiveWeight: 1,
        softmaxGroup: 'primary',
      },
    ];
    const m = trainHeads(examples, rows, group, SMALL.bits, { ...TRAIN, l1: 0 });
    for (const i of [0, 12, 29])
      expect(headLogit(m, 0, examples[i], -1)).toBeGreaterThan(headLogit(m, 1, examples[i], -1));
    for (const i of [30, 45, 59])
      expect(headLogit(m, 1, examples[i], -1)).toBeGreaterThan(headLogit(m, 0, examples[i], -1));
  });

  it('scales the loss of an example by its weight', () => {
    // the same data, with the positives weighted down: the head's bias falls
    const light = examples.map((e, i) => ({ ...e, weight: i < 30 ? 0.2 : 1 }));
    const opts = { ...TRAIN, l1: 0, epochs: 3 };
    const plain = trainHeads(examples, rows, [heads[0]], SMALL.bits, opts);
    const weighted = trainHeads(light, rows, [heads[0]], SMALL.bits, opts);
    expect(weighted.heads[0].bias).toBeLessThan(plain.heads[0].bias);
  });

  it('is deterministic for a seed', () => {
    const again = trainHeads(examples, rows, heads, SMALL.bits, TRAIN);
    expect(Array.from(again.heads[0].weights)).toEqual(Array.from(trained.heads[0].weights));
  });

  it('scores the same after packing (pruned, int16) and compiling into the CSR table', () => {
    const file = {
      version: 'lin-test',
      provenance: '',
      features: SMALL,
      heads: heads.map((h, i) => packHead(h.kind, h.label, trained.heads[i], 1e-6, 30)),
      primaryRule: 'score' as const,
      training: {},
    };
    const compiled = compileLinear(JSON.parse(JSON.stringify(file)));
    for (const i of [0, 7, 31, 59]) {
      const dots = linearDots(compiled, examples[i].f);
      for (let h = 0; h < heads.length; h++) {
        const expected = headLogit(trained, h, examples[i], -1) - trained.heads[h].bias;
        expect(dots[h]).toBeCloseTo(expected, 3);
      }
    }
    expect(compiled.topicHead.get('peft')).toBe(0);
    expect(compiled.contributionHeads).toEqual([1]);
    expect(compiled.primaryHead.get('peft')).toBe(2);
    // the run-time path (scratch tables, per-word cache) gives the same dot products, twice in a row
    for (const i of [0, 31]) {
      const expected = linearDots(compiled, examples[i].f);
      for (let round = 0; round < 2; round++) {
        const fast = linearScores(compiled, papers[i], new Float64Array(heads.length));
        for (let h = 0; h < heads.length; h++) expect(fast[h]).toBeCloseTo(expected[h], 5);
      }
      // the main heads first, the primary heads on demand: the same numbers
      const split = linearScores(compiled, papers[i], new Float64Array(heads.length), undefined, 'main');
      expect(split[2]).toBe(0);
      linearScores(compiled, papers[i], split, undefined, 'primary');
      for (let h = 0; h < heads.length; h++) expect(split[h]).toBeCloseTo(expected[h], 5);
    }
  });

  it('finds the same word records through the word cache as by token, also once the cache gave them to other words', () => {
    const model = loadDefaultModel().linear;
    if (!model) throw new Error('no shipped linear model');
    const compiled = compileLinear(model);
    const H = compiled.heads.length;
    // (the last paper spells one token two ways: "expert" and "experts" are two cache entries, one word)
    const experts = { title: 'Experts', abstract: 'Each expert routes tokens; the experts share one expert router.' };
    const all = [LORA(1), VISION(2), LORA(3), VISION(4), experts];
    // by token (the Map): the reference
    const expected = all.map((p) => Array.from(linearScores(compiled, p, new Float64Array(H))));
    const byEntry = (p: { title: string; abstract: string }): number[] => {
      const sink = tokenSink();
      const generation = wordCacheGeneration();
      const title = contentSegments(p.title, sink);
      const abstract = contentSegments(p.abstract, sink);
      return Array.from(
        linearScores(compiled, p, new Float64Array(H), { title, abstract, sink, sinkSerial: sink.serial, generation }),
      );
    };
    // after each clear the next paper's words take the records the previous paper's words had
    all.forEach((p, i) => {
      clearWordCache();
      expect(byEntry(p)).toEqual(expected[i]);
    });
    expect(expected[0]).not.toEqual(expected[1]);
  });

  it('scores a paper the same to the bit from the term pass\'s counts as from its tokens', () => {
    const model = loadDefaultModel().linear;
    if (!model) throw new Error('no shipped linear model');
    const compiled = compileLinear(model);
    const H = compiled.heads.length;
    const vocabulary = gramVocabulary([]);
    const table = new TermTable([], vocabulary);
    const { tiagoft } = loadShippedCorpora(findRepoRoot(__dirname));
    const papers = [LORA(1), VISION(2), ...tiagoft.slice(0, 20)];
    const byTokens = papers.map((p) => Array.from(linearScores(compiled, p, new Float64Array(H))));
    papers.forEach((p, i) => {
      const { segments } = readPaper(p, table, vocabulary);
      expect(segments.terms?.size).toBeGreaterThan(0);
      expect(Array.from(linearScores(compiled, p, new Float64Array(H), segments))).toEqual(byTokens[i]);
    });
    // a paper's reading kept while another paper is read: its records and counts are not used then
    const first = readPaper(papers[0], table, vocabulary).segments;
    readPaper(papers[1], table, vocabulary);
    expect(Array.from(linearScores(compiled, papers[0], new Float64Array(H), first))).toEqual(byTokens[0]);
  });

  it('refuses a model file built with another feature map', () => {
    const file = {
      version: 'lin-old',
      provenance: '',
      features: { ...SMALL, chars: 'per-occurrence' },
      heads: [],
      primaryRule: 'score',
      training: {},
    };
    expect(() => compileLinear(file as never)).toThrow(/retrain/);
  });
});

describe('calibration helpers', () => {
  it('maps a head threshold onto the global threshold, monotonically', () => {
    expect(toSharedScale(0.3, 0.3, 0.625)).toBeCloseTo(0.625, 9);
    expect(toSharedScale(0, 0.3, 0.625)).toBe(0);
    expect(toSharedScale(1, 0.3, 0.625)).toBeCloseTo(1, 9);
    const xs = [0, 0.1, 0.29, 0.3, 0.31, 0.7, 1].map((p) => toSharedScale(p, 0.3, 0.625));
    for (let i = 1; i < xs.length; i++) expect(xs[i]).toBeGreaterThan(xs[i - 1]);
  });

  it('fits Platt scaling with a positive slope and picks the F1-best threshold', () => {
    const zs = [-3, -2, -1.5, -1, 0.5, 1, 2, 3];
    const ys = [0, 0, 0, 1, 0, 1, 1, 1];
    const { a } = fitPlatt(zs, ys);
    expect(a).toBeGreaterThan(0);
    const best = bestThreshold([0.1, 0.2, 0.6, 0.9], [0, 0, 1, 1]);
    expect(best.f1).toBe(1);
    expect(best.threshold).toBeGreaterThan(0.2);
    expect(best.threshold).toBeLessThanOrEqual(0.6);
  });

  it('weights pairs in Platt scaling and in the threshold choice', () => {
    const ps = [0.2, 0.4, 0.6, 0.8];
    const ys = [0, 1, 0, 1];
    // unweighted, t = 0.4 (2 tp, 1 fp) beats t = 0.7 (1 tp, 1 fn); weighting the false positive up moves it
    expect(bestThreshold(ps, ys).threshold).toBeLessThanOrEqual(0.4);
    expect(bestThreshold(ps, ys, [1, 1, 10, 1]).threshold).toBeGreaterThan(0.5);
    // weighting the negatives down raises the calibrated probability of every logit
    const zs = [-2, -1, 0, 1, 2, 3];
    const zy = [0, 0, 1, 0, 1, 1];
    const even = fitPlatt(zs, zy);
    const fewerNeg = fitPlatt(zs, zy, [0.2, 0.2, 1, 0.2, 1, 1]);
    const sig = (ab: { a: number; b: number }, z: number): number => 1 / (1 + Math.exp(-(ab.a * z + ab.b)));
    for (const z of [-1, 0, 1]) expect(sig(fewerNeg, z)).toBeGreaterThan(sig(even, z));
    // weights of 1 are the unweighted fit
    expect(
      fitPlatt(
        zs,
        zy,
        zs.map(() => 1),
      ),
    ).toEqual(even);
  });

  it('groups softmax heads and normalises over a group only', () => {
    const groups = softmaxGroups([{ softmaxGroup: 'p' }, {}, { softmaxGroup: 'c' }, { softmaxGroup: 'p' }]);
    expect(groups).toEqual([[0, 3], [2]]);
    const out = new Float64Array(4);
    softmaxInPlace([1000, 5, 0, 1000 + Math.log(3)], [0, 3], out);
    expect(out[0]).toBeCloseTo(0.25, 9);
    expect(out[3]).toBeCloseTo(0.75, 9);
    expect(out[1]).toBe(0);
  });

  it("computes Cohen's kappa", () => {
    expect(cohenKappa(['1', '0', '1', '0'], ['1', '0', '1', '0'])).toBe(1);
    expect(cohenKappa(['1', '1', '0', '0'], ['1', '0', '1', '0'])).toBeCloseTo(0, 9);
    expect(cohenKappa(['1', '0', '0', '0'], ['1', '0', '1', '0'])).toBeCloseTo(0.5, 9);
  });
});

describe('NB-scaled topic heads (nbRatios, trainHeads scale)', () => {
  const { examples, y, rows } = twoKinds(20);
  const heads: HeadSpec[] = [
    { kind: 'topic', label: 'peft', y, keyword: 0, positiveWeight: 1 },
    { kind: 'primary', label: 'peft', y, keyword: 0, positiveWeight: 1 },
  ];
  const H = heads.length;
  const B = 1 << SMALL.bits;
  const activeIn = (i: number, b: number): boolean => Array.from(examples[i].f.idx).includes(b);

  it('is the log-count ratio of each bucket between the positive and negative rows given, for topic heads only', () => {
    const some = rows.filter((i) => i % 3 !== 0);
    const r = nbRatios(examples, some, heads, SMALL.bits, 1);
    expect(r.length).toBe(B * H);
    let p1 = 0;
    let q1 = 0;
    const pos = new Float64Array(B);
    const neg = new Float64Array(B);
    for (let b = 0; b < B; b++) {
      for (const i of some) if (activeIn(i, b)) (y[i] === 1 ? pos : neg)[b]++;
      p1 += 1 + pos[b];
      q1 += 1 + neg[b];
    }
    const lora = examples[1].f.idx[0];
    const vision = examples[30].f.idx[0];
    for (const b of [lora, vision, 5, 77]) {
      expect(r[b * H]).toBeCloseTo(Math.log((1 + pos[b]) / p1 / ((1 + neg[b]) / q1)), 5);
      expect(r[b * H + 1]).toBe(1); // the primary head is not scaled
    }
    expect(r[lora * H]).toBeGreaterThan(0);
    expect(r[vision * H]).toBeLessThan(0);
  });

  it('scales the primary heads too when asked, each by its own labels', () => {
    const r = nbRatios(examples, rows, heads, SMALL.bits, 1, ['topic', 'primary']);
    const lora = examples[1].f.idx[0];
    // here the primary head's labels are the topic head's, so its ratios are the same
    expect(r[lora * H + 1]).toBeCloseTo(r[lora * H], 6);
    expect(r[lora * H + 1]).toBeGreaterThan(0);
    // and only the kinds named: the primary head alone when asked
    const primaryOnly = nbRatios(examples, rows, heads, SMALL.bits, 1, ['primary']);
    expect(primaryOnly[lora * H]).toBe(1);
    expect(primaryOnly[lora * H + 1]).toBeCloseTo(r[lora * H + 1], 6);
  });

  it("reads only the rows it is given (a CV fold's training rows)", () => {
    const train = rows.filter((i) => i % 5 !== 0);
    const a = nbRatios(examples, train, heads, SMALL.bits, 1);
    // the left-out rows' features changed (as if they were other papers): the ratios do not move
    const other = examples.map((e, i) =>
      train.includes(i) ? e : { ...e, f: linearFeatures(i < 20 ? VISION(i) : LORA(i), SMALL) },
    );
    expect(Array.from(nbRatios(other, train, heads, SMALL.bits, 1))).toEqual(Array.from(a));
    expect(Array.from(nbRatios(other, rows, heads, SMALL.bits, 1))).not.toEqual(
      Array.from(nbRatios(examples, rows, heads, SMALL.bits, 1)),
    );
  });

  it('leaves the dense features unscaled', () => {
    const spec = { bits: SMALL.bits, dense: { vectors: 'x', dims: 4, weight: 1, title: 1 } };
    const r = nbRatios(examples, rows, heads, spec, 1);
    expect(r.length).toBe((B + 4) * H);
    for (let d = 0; d < 4; d++) expect(r[(B + d) * H]).toBe(1);
  });

  it('folds the scale into the weights: raw features score as the scaled model scores x ⊙ r', () => {
    const opts = { ...TRAIN, epochs: 3 };
    const r = nbRatios(examples, rows, heads, SMALL.bits, 1);
    const folded = trainHeads(
      examples,
      rows,
      [heads[0]],
      SMALL.bits,
      opts,
      nbRatios(examples, rows, [heads[0]], SMALL.bits, 1),
    );
    // the same head trained on explicitly scaled features, weights not folded
    const scaled = examples.map((e) => ({
      ...e,
      f: { idx: e.f.idx, val: Float32Array.from(e.f.idx, (b, k) => e.f.val[k] * r[b * H]) },
    }));
    const plain = trainHeads(scaled, rows, [heads[0]], SMALL.bits, opts);
    for (const i of [0, 5, 20, 39]) {
      const a = headLogit(folded, 0, examples[i], 0);
      expect(Math.abs(a)).toBeGreaterThan(0.1);
      expect(a).toBeCloseTo(headLogit(plain, 0, scaled[i], 0), 4);
    }
    expect(headLogit(folded, 0, examples[0], 0)).toBeGreaterThan(0);
    expect(headLogit(folded, 0, examples[30], 0)).toBeLessThan(0);
  });

  it('trains exactly as without a scale when every ratio is 1 (off = the unscaled path)', () => {
    const ones = new Float32Array(B * H).fill(1);
    const a = trainHeads(examples, rows, heads, SMALL.bits, TRAIN);
    const b = trainHeads(examples, rows, heads, SMALL.bits, TRAIN, ones);
    for (let h = 0; h < H; h++)
      expect(Array.from(b.heads[h].weights)).toEqual(Array.from(a.heads[h].weights));
    expect(() => trainHeads(examples, rows, heads, SMALL.bits, TRAIN, new Float32Array(3))).toThrow(/scale/);
  });
});
