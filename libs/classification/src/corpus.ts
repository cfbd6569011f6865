// The shipped public arXiv abstracts (data/classification/corpus, see PROVENANCE.md) as
// {title, abstract, categories}, plus the deterministic train/held-out split used for the arXiv category and for the
// non-ML papers (certain negatives in training, the non-ML gate in evaluation).
import { createHash } from 'node:crypto';
import { parseCsvRecords } from './csv';

export interface CorpusPaper {
  id: string;
  title: string;
  abstract: string;
  /** arXiv categories, primary first */
  categories: string[];
}

const clean = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** tiagoft/NLP arxiv_data.csv: titles, summaries, terms (a Python list literal; first = primary). */
export function parseTiagoftCsv(text: string): CorpusPaper[] {
  return parseCsvRecords(text).map((r, i) => ({
    id: `tiagoft:${i}`,
    title: clean(r.titles ?? ''),
    abstract: clean(r.summaries ?? ''),
    categories: [...(r.terms ?? '').matchAll(/'([^']+)'/g)].map((m) => m[1]),
  }));
}

/** gechhai/Topic_Discovery arxiv_data.csv: Kaggle arXiv metadata schema, space-separated categories. */
export function parseGechhaiCsv(text: string): CorpusPaper[] {
  return parseCsvRecords(text).map((r, i) => ({
    id: `gechhai:${i}`,
    title: clean(r.title ?? ''),
    abstract: clean(r.abstract ?? ''),
    categories: (r.categories ?? '').split(/\s+/).filter(Boolean),
  }));
}

/** Deterministic split by a hash of the title: true for about `percent`% of papers. */
export function isHeldOut(title: string, percent = 20): boolean {
  const h = createHash('sha1').update(title.toLowerCase()).digest();
  return h.readUInt32BE(0) % 100 < percent;
}

/**
 * Whether a paper's arXiv categories lie outside every archive an ML paper is filed under (cs, stat, eess, q-bio,
 * q-fin, math.OC / ST / IT / NA, physics.data-an / comp-ph, nlin.AO): such a paper has no topic of the default
 * taxonomy, every topic of which is about learning systems.
 */
export function isNonMl(categories: string[]): boolean {
  return (
    categories.length > 0 &&
    categories.every(
      (c) =>
        !/^(cs|stat|eess|q-bio|q-fin)\.|^(math\.(OC|ST|IT|NA)|physics\.(data-an|comp-ph)|nlin\.AO)$/.test(c),
    )
  );
}

/**
 * The non-ML papers (title, abstract and `isNonMl` categories) of a corpus, split by `isHeldOut(title)`: `train` is
 * what `train-classifier --negatives-from-corpus` may learn from as certain negatives (it also drops acceptance-set
 * titles), `heldOut` is never trained on and measures how many non-ML papers get a topic (eval:classifier and the
 * unit quality gate). On the shipped 2007 snapshot (gechhai): 1,458 and 350 papers.
 */
export function nonMlSplit(papers: CorpusPaper[]): { train: CorpusPaper[]; heldOut: CorpusPaper[] } {
  const train: CorpusPaper[] = [];
  const heldOut: CorpusPaper[] = [];
  for (const p of papers) {
    if (!p.title || !p.abstract || !isNonMl(p.categories)) continue;
    (isHeldOut(p.title) ? heldOut : train).push(p);
  }
  return { train, heldOut };
}
