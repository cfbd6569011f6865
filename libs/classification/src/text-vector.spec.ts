import { readFileSync } from 'node:fs';
import { dataPath, LINEAR_MODEL_FILE, loadLinearModelFile, loadShippedWordVectors } from './data-files';
import { linearFeatures } from './linear';
import { TEXT_VECTOR_TITLE_WEIGHT, textVector, vectorCosine } from './text-vector';

interface Row {
  title: string;
  abstract: string;
}
const dev: Row[] = readFileSync(dataPath('classification', 'labels', 'dev.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as Row);
const byTitle = (start: string): Row => dev.find((r) => r.title.startsWith(start))!;

describe('textVector', () => {
  const wv = loadShippedWordVectors();
  const spec = loadLinearModelFile(dataPath(...LINEAR_MODEL_FILE)).features;

  it("uses the shipped model's title weight and its vectors", () => {
    expect(spec.dense?.title).toBe(TEXT_VECTOR_TITLE_WEIGHT);
    expect(spec.dense?.vectors).toBe(wv.id);
  });

  it("is the learned model's dense block, at unit length", () => {
    const base = 1 << spec.bits;
    for (const p of dev.slice(0, 20)) {
      const f = linearFeatures(p, spec);
      const block = Array.from(f.idx).flatMap((b, k) => (b >= base ? [f.val[k]] : []));
      // the block's direction ('l2': norm `weight`; 'mean': shorter, by how much the words agree)
      const norm = Math.hypot(...block);
      const dense = block.map((x) => x / norm);
      const v = textVector(p.title, p.abstract, wv);
      expect(v).toHaveLength(wv.dims);
      Array.from(v).forEach((x, d) => expect(x).toBeCloseTo(dense[d]!, 5));
      expect(vectorCosine(v, v)).toBeCloseTo(1, 5);
    }
  });

  it('is all zeros when no word has a vector', () => {
    const v = textVector('', 'qqzx vvbn', wv);
    expect(Array.from(v).every((x) => x === 0)).toBe(true);
    expect(vectorCosine(v, textVector('Graph neural networks', '', wv))).toBe(0);
  });

  it('puts papers of one subject closer than papers of another (real abstracts)', () => {
    const vec = (r: Row) => textVector(r.title, r.abstract, wv);
    const helium = vec(byTitle('A Luttinger Liquid Core Inside Helium-4'));
    const qmc = vec(byTitle('Quantum Monte Carlo measurement of the chemical potential of helium-4'));
    const specDecoding = vec(byTitle('VIA-SD'));
    expect(vectorCosine(helium, qmc)).toBeGreaterThan(vectorCosine(helium, specDecoding) + 0.2);
  });
});
