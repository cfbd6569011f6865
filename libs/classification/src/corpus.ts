// The shipped public arXiv abstracts (data/classification/corpus, see PROVENANCE.md) as
// {title, abstract, categories}, plus the deterministic train/held-out split used for the arXiv category.
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
