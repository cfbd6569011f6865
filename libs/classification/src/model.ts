import type { ContributionType } from '@paperwire/contracts';
import type { LinearModelFile } from './linear';

export interface TopicDefinition {
  slug: string;
  name: string;
  description: string;
  /** specific phrases: one hit is strong evidence */
  keywords?: string[];
  /** broad terms that only count together with other evidence (shipped keyword data uses these) */
  weakKeywords?: string[];
  examples?: { title: string; abstract: string }[];
}

/** Logistic calibration over topic-agnostic features (see topic-features.ts for their order). */
export interface Calibration {
  features: string[];
  weights: number[];
  bias: number;
  /** decision threshold on the calibrated score, chosen on the dev set by the training script */
  threshold: number;
  /** added to the logit when a topic has example papers: weight * (similarity - offset) */
  example: { weight: number; offset: number };
}

export interface ContributionCue {
  phrase: string;
  weight: number;
}

export interface ContributionModel {
  /** cue phrases per type; matched on stemmed content words like topic keywords */
  cues: Record<ContributionType, ContributionCue[]>;
  /** weight multiplier for a cue found in the title */
  titleBoost: number;
  /** score the best non-default type must reach, otherwise 'method' */
  minScore: number;
}

/** Multinomial naive Bayes over unigrams + bigrams of title and abstract. */
export interface ArxivCategoryModel {
  classes: string[];
  logPrior: number[];
  /** per term: flattened [classIndex, count, classIndex, count, ...] */
  counts: Record<string, number[]>;
  /** total term count per class */
  totals: number[];
  alpha: number;
  vocabularySize: number;
}

export interface ClassifierModel {
  version: string;
  /** how the model was built, for humans */
  provenance: string;
  /** inverse document frequency of unigrams/bigrams in the shipped corpus */
  idf: Record<string, number>;
  /** idf used for a term never seen in the corpus */
  defaultIdf: number;
  calibration: Calibration;
  contribution: ContributionModel;
  arxiv: ArxivCategoryModel;
  /**
   * The learned linear model (data/classification/linear-model.json.gz), attached by loadDefaultModel();
   * topics it has a head for are scored by it, the others by the keyword calibration above.
   */
  linear?: LinearModelFile;
}
