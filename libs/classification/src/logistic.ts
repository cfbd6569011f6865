// Deterministic binary logistic regression (full-batch gradient descent, L2), small enough to train in
// the shipped training script with no dependencies.
export interface LogisticFit {
  weights: number[];
  bias: number;
}

export function trainLogistic(
  x: number[][],
  y: number[],
  opts: {
    iterations: number;
    learningRate: number;
    l2: number;
    positiveWeight?: number;
    offset?: number[];
    fitBias?: boolean;
  },
): LogisticFit {
  const d = x[0]?.length ?? 0;
  const w = new Array<number>(d).fill(0);
  let b = 0;
  const pw = opts.positiveWeight ?? 1;
  for (let it = 0; it < opts.iterations; it++) {
    const gw = new Array<number>(d).fill(0);
    let gb = 0;
    let total = 0;
    for (let i = 0; i < x.length; i++) {
      let z = b + (opts.offset?.[i] ?? 0);
      for (let j = 0; j < d; j++) z += w[j] * x[i][j];
      const p = 1 / (1 + Math.exp(-z));
      const s = y[i] === 1 ? pw : 1;
      const g = s * (p - y[i]);
      for (let j = 0; j < d; j++) gw[j] += g * x[i][j];
      gb += g;
      total += s;
    }
    for (let j = 0; j < d; j++) w[j] -= opts.learningRate * (gw[j] / total + opts.l2 * w[j]);
    if (opts.fitBias !== false) b -= opts.learningRate * (gb / total);
  }
  return { weights: w, bias: b };
}
