// arXiv primary category by multinomial naive Bayes over unigrams + bigrams, trained on the shipped
// public arXiv abstracts (tools/train/train-classifier.ts).
import type { ArxivCategoryModel } from './model';

export interface ArxivPredictor {
  predict(terms: Map<string, number>): { category: string; probability: number } | null;
}

export interface LabelledTerms {
  terms: Map<string, number>;
  category: string;
}

export function trainArxivCategory(
  docs: LabelledTerms[],
  opts: { minDf: number; alpha: number },
): ArxivCategoryModel {
  const df = new Map<string, number>();
  for (const d of docs) for (const t of d.terms.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  const classes = [...new Set(docs.map((d) => d.category))].sort();
  const index = new Map(classes.map((c, i) => [c, i]));
  const docCount = new Array<number>(classes.length).fill(0);
  const totals = new Array<number>(classes.length).fill(0);
  const perTerm = new Map<string, Map<number, number>>();
  for (const d of docs) {
    const ci = index.get(d.category) as number;
    docCount[ci]++;
    for (const [t, c] of d.terms) {
      if ((df.get(t) ?? 0) < opts.minDf) continue;
      totals[ci] += c;
      let m = perTerm.get(t);
      if (!m) perTerm.set(t, (m = new Map()));
      m.set(ci, (m.get(ci) ?? 0) + c);
    }
  }
  const counts: Record<string, number[]> = {};
  for (const t of [...perTerm.keys()].sort()) {
    const flat: number[] = [];
    for (const [ci, c] of [...(perTerm.get(t) as Map<number, number>)].sort((a, b) => a[0] - b[0]))
      flat.push(ci, c);
    counts[t] = flat;
  }
  const n = docs.length;
  return {
    classes,
    logPrior: docCount.map((c) => round(Math.log(c / n))),
    counts,
    totals,
    alpha: opts.alpha,
    vocabularySize: perTerm.size,
  };
}

const round = (x: number): number => Math.round(x * 1e6) / 1e6;

export interface SparseRow {
  classes: Int32Array;
  values: Float64Array;
  /** where the row lies in CompiledArxiv's `classes` / `values` (entries from .. to-1) */
  from: number;
  to: number;
}

export interface CompiledArxiv {
  /** per term, log-likelihood offsets over the smoothing floor (unseen (term, class) pairs cost nothing) */
  rows: Map<string, SparseRow>;
  /** every row's entries side by side (a row's `classes` / `values` are views into these) */
  classes: Int32Array;
  values: Float64Array;
  classCount: number;
  /** turns accumulated row sums (and the number of in-vocabulary tokens) into the prediction */
  finish(score: Float64Array, tokens: number): { category: string; probability: number } | null;
  /** finish(score, tokens)?.category ?? null, without the probability */
  category(score: Float64Array, tokens: number): string | null;
}

export function compileArxiv(model: ArxivCategoryModel): CompiledArxiv {
  const k = model.classes.length;
  const logAlpha = Math.log(model.alpha);
  const floor = model.totals.map((t) => logAlpha - Math.log(t + model.alpha * model.vocabularySize));
  const rows = new Map<string, SparseRow>();
  // Every row is a view into two shared arrays: tens of thousands of small typed arrays would each carry their
  // own buffer.
  let total = 0;
  for (const flat of Object.values(model.counts)) total += flat.length / 2;
  const allClasses = new Int32Array(total);
  const allValues = new Float64Array(total);
  let at = 0;
  for (const [t, flat] of Object.entries(model.counts)) {
    const from = at;
    for (let i = 0; i < flat.length; i += 2, at++) {
      allClasses[at] = flat[i];
      allValues[at] = Math.log(flat[i + 1] + model.alpha) - logAlpha;
    }
    rows.set(t, { classes: allClasses.subarray(from, at), values: allValues.subarray(from, at), from, to: at });
  }
  return {
    rows,
    classes: allClasses,
    values: allValues,
    classCount: k,
    finish(score, tokens) {
      const best = bestClass(score, tokens);
      if (best < 0) return null;
      let z = 0;
      for (let i = 0; i < k; i++) z += Math.exp(score[i] - score[best]);
      return { category: model.classes[best], probability: 1 / z };
    },
    category(score, tokens) {
      const best = bestClass(score, tokens);
      return best < 0 ? null : model.classes[best];
    },
  };

  /** Adds the priors and the smoothing floors to `score`; the index of the best class (-1 without classes). */
  function bestClass(score: Float64Array, tokens: number): number {
    if (k === 0) return -1;
    let best = 0;
    for (let i = 0; i < k; i++) {
      score[i] += model.logPrior[i] + tokens * floor[i];
      if (score[i] > score[best]) best = i;
    }
    return best;
  }
}

export function createArxivPredictor(model: ArxivCategoryModel): ArxivPredictor {
  const compiled = compileArxiv(model);
  return {
    predict(terms) {
      const score = new Float64Array(compiled.classCount);
      let tokens = 0;
      for (const [t, c] of terms) {
        const row = compiled.rows.get(t);
        if (!row) continue;
        tokens += c;
        for (let i = 0; i < row.classes.length; i++) score[row.classes[i]] += c * row.values[i];
      }
      return compiled.finish(score, tokens);
    },
  };
}
