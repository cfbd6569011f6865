import { z } from 'zod';
import {
  API_KEY_SCOPES,
  KEY_REVOKED_REASON,
  createApiKey as insertApiKey,
  listApiKeys,
  revokeApiKeyAndStopSubscriptions,
  type ApiKeyRecord,
  type CreatedApiKey,
} from '@paperwire/db';
import { ActionError } from './errors';
import type { Db } from '@paperwire/db';
import { validate } from './validate';

export type ApiKey = ApiKeyRecord;
export type { CreatedApiKey };
export { KEY_REVOKED_REASON };

export const createKeySchema = z
  .object({ name: z.string().trim().min(1).max(200), scopes: z.array(z.enum(API_KEY_SCOPES)).min(1).max(3) })
  .strict();

/** Creates a key; its plaintext is in the result, shown once and never stored. */
export async function createKey(db: Db, input: unknown): Promise<CreatedApiKey> {
  return insertApiKey(db, validate(createKeySchema, input));
}

/** Live keys; revoked ones too when asked (the operator's view). */
export async function listKeys(db: Db, opts: { includeRevoked?: boolean } = {}): Promise<ApiKey[]> {
  return listApiKeys(db, opts);
}

/**
 * Revokes a key by id or prefix. Its subscriptions stop in the same statement: active and paused ones
 * are paused with the reason "key revoked", unconfirmed ones disabled.
 */
export async function revokeKey(db: Db, idOrPrefix: string): Promise<{ revoked: string; subscriptionsPaused: number }> {
  const res = await revokeApiKeyAndStopSubscriptions(db, idOrPrefix);
  if (!res) throw new ActionError('not-found', 'no live key with that id or prefix');
  return { revoked: idOrPrefix, subscriptionsPaused: res.subscriptionsPaused };
}
