import { z } from 'zod';
import { apiEnvSchema, type ApiEnv } from '@paperwire/config';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** The api's own settings on top of the shared api schema (kept here until libs/config carries them). */
export const apiServiceEnvSchema = apiEnvSchema.extend({
  /** lets webhook subscriptions target private/loopback addresses (local receivers in tests and demos) */
  WEBHOOK_ALLOW_PRIVATE: bool.default('false'),
  /**
   * `file` sources make the fetcher read a path on its own host; by default only an operator on the
   * host (the CLI) can create them, not an API client.
   */
  API_ALLOW_FILE_SOURCES: bool.default('false'),
});

export type ApiConfig = ApiEnv & { WEBHOOK_ALLOW_PRIVATE: boolean; API_ALLOW_FILE_SOURCES: boolean };
