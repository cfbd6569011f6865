// Pure notification logic: subscription matching, Standard Webhooks signing and payloads, email
// rendering, signed link tokens, digest schedules and the webhook retry policy. No I/O.

export {
  subscriptionFilterSchema,
  claimConditionSchema,
  examplesSchema,
  isPaperUuid,
  parseSubscriptionFilter,
  InvalidSubscriptionFilterError,
} from './filter.schema';
export type {
  SubscriptionFilter,
  SubscriptionFilterInput,
  ClaimCondition,
  ExamplesCondition,
} from './filter.schema';
export type { MatchablePaper } from './matchable-paper';
export {
  compileFilter,
  matchSubscription,
  keywordPattern,
  nameTokens,
  authorNameMatches,
  NO_FILTER_REASON,
  filterNeeds,
  mergeNeeds,
  missingExamples,
  NO_NEEDS,
} from './subscription-matcher';
export type {
  MatchResult,
  CompiledFilter,
  CompileOptions,
  ExampleVector,
  ExampleVectors,
  FilterNeeds,
} from './subscription-matcher';
export { describeClaim, formatClaimValue } from './claim-text';
export { describeFilter } from './filter-describe';
export { clipAtWord, foldText, escapeRegExp } from './text';

export {
  generateWebhookSecret,
  signWebhook,
  signingSecrets,
  webhookSignature,
  webhookSecretKey,
  isValidWebhookSecret,
  WEBHOOK_SECRET_PREFIX,
} from './webhook-signing';
export type { SignWebhookOptions } from './webhook-signing';
export {
  WEBHOOK_SCHEMA_VERSION,
  WEBHOOK_EVENT_TYPES,
  DIGEST_WEBHOOK_MAX_ITEMS,
  buildPaperWebhookPayload,
  buildDigestWebhookPayload,
  toWebhookPaper,
  paperPageUrl,
  toWebhookClaim,
  paperWebhookPayloadSchema,
  digestWebhookPayloadSchema,
  webhookPaperSchema,
  webhookClaimSchema,
} from './webhook-payload';
export type {
  WebhookEventType,
  WebhookClaim,
  WebhookPaper,
  WebhookPaperInput,
  PaperWebhookPayload,
  DigestWebhookPayload,
  PaperWebhookInput,
  DigestWebhookInput,
} from './webhook-payload';

export { escapeHtml, safeUrl, headerSafe } from './html';
export {
  renderDigestEmail,
  renderInstantEmail,
  renderConfirmationEmail,
  cadenceOf,
  DIGEST_DEFAULT_LIMIT,
  listUnsubscribeHeaders,
  groupByTopic,
  paperLinks,
} from './email-render';
export type {
  EmailContent,
  EmailPaper,
  DigestEmailInput,
  InstantEmailInput,
  ConfirmationEmailInput,
} from './email-render';

export { signToken, verifyToken, targetHash, tokenMailedTo, TOKEN_LIFETIME_S } from './signed-token';
export type { TokenPayload, TokenPurpose, VerifiedToken } from './signed-token';
export { parseEmailTarget, EMAIL_TARGET_LIMITS } from './email-target';
export { defaultSubscriptionName, mailedName, modeName } from './subscription-name';

export {
  nextDigestRun,
  previousDigestRun,
  digestWindow,
  digestPeriodKey,
  cronFor,
  zonedTimeToInstant,
  isoWeek,
  isValidTimeZone,
  digestScheduleSchema,
} from './digest-schedule';
export type { DigestMode, DigestScheduleOptions } from './digest-schedule';

export {
  webhookBackoffMs,
  webhookBackoffCeilingMs,
  classifyWebhookResponse,
  isRefusedTarget,
  parseRetryAfterMs,
  webhookStatusError,
  shouldPauseEndpoint,
  endpointPauseReason,
  failureStreak,
  failedMessageStreak,
  classifyMailError,
  WEBHOOK_BACKOFF_BASE_MS,
  WEBHOOK_BACKOFF_CAP_MS,
  WEBHOOK_BACKOFF_MIN_MS,
  WEBHOOK_MAX_ATTEMPTS,
  WEBHOOK_PAUSE_AFTER_FAILED_MESSAGES,
} from './retry-policy';
export type { MailFailure, StreakOutcome, WebhookVerdict } from './retry-policy';
export { abstractHtml, abstractText, titleHtml, titleText } from './inline-latex';
