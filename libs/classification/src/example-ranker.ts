// Relevance by example: tf-idf over title + abstract (shipped corpus idf), nearest-centroid cosine.
import { buildDocument, centroid, cosine, tfidfVector, type PaperText } from './document';
import { loadDefaultModel } from './data-files';
import type { ClassifierModel } from './model';

export interface ExampleRanker {
  /** similarity to the examples' centroid, in [0, 1] */
  score(paper: PaperText): number;
}

export function createExampleRanker(
  examples: PaperText[],
  model: ClassifierModel = loadDefaultModel(),
): ExampleRanker {
  const vec = (p: PaperText) => tfidfVector(buildDocument(p).terms, model.idf, model.defaultIdf);
  const profile = centroid(examples.map(vec));
  return {
    score(paper) {
      if (profile.size === 0) return 0;
      return cosine(vec(paper), profile);
    },
  };
}
