import { z } from 'zod';
import type { JobsOptions } from 'bullmq';
import { notifierEnvSchema, optionalSetting, type NotifierEnv } from '@paperwire/config';
import { WEBHOOK_BACKOFF_BASE_MS } from '@paperwire/notifications';
import { WEBHOOK_BACKOFF_TYPE } from './webhook-backoff';

/** The notifier's own settings on top of the shared schema (kept here until libs/config carries them). */
export const notifierServiceEnvSchema = notifierEnvSchema.extend({
  /**
   * Base of the webhook retry backoff (WEBHOOKS.md: full jitter up to 15 s × 2ⁿ⁻¹, capped at 2 h);
   * the whole policy scales with it. Tests and demos lower it so retries happen within seconds.
   */
  DELIVERY_BACKOFF_MS: optionalSetting(z.coerce.number().int().min(10).max(3_600_000)),
});

export type NotifierConfig = NotifierEnv & { DELIVERY_BACKOFF_MS?: number };

/** Options of every `deliver` job: the webhook retry policy, with the configured base delay. */
export function deliverJobOptions(config: NotifierConfig): JobsOptions {
  return {
    backoff: { type: WEBHOOK_BACKOFF_TYPE, delay: config.DELIVERY_BACKOFF_MS ?? WEBHOOK_BACKOFF_BASE_MS },
  };
}


/**
 * Messages in a row that failed for good before an endpoint is paused: WEBHOOK_MAX_FAILED_MESSAGES, else its
 * earlier name WEBHOOK_MAX_FAILURES; unset, the pause rule's own default (WEBHOOK_PAUSE_AFTER_FAILED_MESSAGES).
 */
export function pauseAfterFailedMessages(config: Pick<NotifierEnv, 'WEBHOOK_MAX_FAILED_MESSAGES' | 'WEBHOOK_MAX_FAILURES'>): number | undefined {
  return config.WEBHOOK_MAX_FAILED_MESSAGES ?? config.WEBHOOK_MAX_FAILURES;
}
