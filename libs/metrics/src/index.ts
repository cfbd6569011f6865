// Metric extractor (DESIGN §6): every quantitative claim in an abstract as a Claim row.
export { EXTRACTOR_VERSION, extractClaims, extractClaimsByRules } from './extract-claims';
export { metricDirection, canonicalMetric, METRIC_TABLE } from './metric-table';
export { definedOtherwise, metricHits, UNNAMED } from './context';
export { ownHeadMetric } from './head-phrase';
export type { MetricHit } from './context';
export type { MetricDirection, MetricEntry } from './metric-table';
export { headlineClaim, headlineScore, formatClaim, metricDisplayName } from './format-claim';
export { claimMatches, claimMetricMatches, metricAliases, metricKey } from './claim-query';
export type { ClaimQuery } from './claim-query';
export {
  KIND_MODEL_FILE,
  claimKindProbabilities,
  compileKindModel,
  featureKey,
  KindContext,
  correctKinds,
  crossesCategory,
  kindFeatures,
  kindProbabilities,
  loadKindModelFile,
  shippedKindModel,
  stem,
} from './kind-model';
export type { KindModelFile, KindWeights, LoadedKindModel } from './kind-model';
