import type { NotifierEnv } from '@paperwire/config';
import { signToken } from '@paperwire/notifications';

const WEEK_S = 7 * 24 * 3600;

/** Signed one-click unsubscribe link (served by the api), valid without expiry. */
export function unsubscribeUrl(config: NotifierEnv, subscriptionId: string): string {
  const token = signToken({ sub: subscriptionId, purpose: 'unsubscribe' }, config.TOKEN_SECRET);
  return `${config.PUBLIC_URL.replace(/\/$/, '')}/v1/unsubscribe?t=${encodeURIComponent(token)}`;
}

/** Signed double opt-in link, valid for a week. */
export function confirmUrl(
  config: NotifierEnv,
  subscriptionId: string,
  now = Date.now(),
): { url: string; expiresAt: Date } {
  const exp = Math.floor(now / 1000) + WEEK_S;
  const token = signToken({ sub: subscriptionId, purpose: 'confirm', exp }, config.TOKEN_SECRET);
  return {
    url: `${config.PUBLIC_URL.replace(/\/$/, '')}/v1/subscriptions/confirm?t=${encodeURIComponent(token)}`,
    expiresAt: new Date(exp * 1000),
  };
}
