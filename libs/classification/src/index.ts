export type {
  ArxivCategoryModel,
  Calibration,
  ClassifierModel,
  ContributionCue,
  ContributionModel,
  TopicDefinition,
} from './model';
export type { Classifier, ClassifyInput, StoredTopic } from './classifier';
export { classifierForStoredTopics, createClassifier, taxonomyHash } from './classifier';
export type { ExampleRanker } from './example-ranker';
export { createExampleRanker } from './example-ranker';
export {
  DEFAULT_MODEL_FILE,
  DEFAULT_TAXONOMY_FILE,
  LINEAR_MODEL_FILE,
  WORD_VECTORS_FILE,
  TOPIC_KEYWORDS_FILE,
  dataPath,
  findRepoRoot,
  loadDefaultModel,
  loadDefaultTaxonomy,
  loadKeywordModel,
  loadLinearModelFile,
  loadWordVectorsFile,
  loadShippedWordVectors,
  loadModelFile,
  loadShippedCorpora,
  withDefaultWeakKeywords,
  withKeywordData,
} from './data-files';
// Building blocks used by the training, evaluation and benchmark scripts.
export { buildDocument, cosine, tfidfVector, type PaperDocument, type PaperText } from './document';
export {
  FEATURE_NAMES,
  logit,
  sigmoid,
  topicEvidence,
  topicSimilarity,
  type TopicEvidence,
  type TopicSimilarity,
} from './topic-features';
export { compileTopic, type TopicProfile } from './topic-profile';
export { classifyContribution, compileContribution } from './contribution';
export {
  compileArxiv,
  createArxivPredictor,
  trainArxivCategory,
  type ArxivPredictor,
} from './arxiv-category';
export { parseCsv, parseCsvRecords } from './csv';
export {
  isHeldOut,
  isNonMl,
  nonMlSplit,
  parseGechhaiCsv,
  parseTiagoftCsv,
  type CorpusPaper,
} from './corpus';
export { trainLogistic } from './logistic';
export { contentSegments, contentTokens, ngrams, phraseKey } from './text';
export {
  DEFAULT_FEATURES,
  compileLinear,
  featureCount,
  linearDots,
  linearFeatures,
  linearScores,
  plattProbability,
  toSharedScale,
  type CompiledLinear,
  type DenseNorm,
  type DenseSpec,
  type LinearFeatureSpec,
  type LinearFeatures,
  type LinearHeadFile,
  type LinearHeadKind,
  type LinearModelFile,
  type PaperSegments,
} from './linear';
export {
  DEFAULT_FTRL,
  bestThreshold,
  fitPlatt,
  headLogit,
  packHead,
  rng,
  trainHeads,
  nbRatios,
  type FtrlOptions,
  type HeadSpec,
  type TrainExample,
  type TrainedHeads,
} from './linear-train';
export { createKeywordLogits } from './classifier';
export {
  cohenKappa,
  countWithTopic,
  evaluateSet,
  floorFailures,
  nonMlFailures,
  prf,
  type Counts,
  type LabelledRow,
  type QualityFloors,
  type SetFigures,
} from './evaluate';
export {
  encodeWordVectors,
  parseWordVectors,
  registerWordVectors,
  wordVectors,
  type WordVectorRows,
  type WordVectors,
} from './word-vectors';
export { TEXT_VECTOR_TITLE_WEIGHT, textVector, vectorCosine } from './text-vector';
