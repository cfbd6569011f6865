import type { NotifierEnv } from '@paperwire/config';
import { TOKEN_LIFETIME_S, signToken, targetHash } from '@paperwire/notifications';

// Links in mails, signed with the current TOKEN_SECRET (the api verifies with it and, during a
// rotation, TOKEN_SECRET_PREVIOUS). Every token expires; the api checks it.

/**
 * Signed one-click unsubscribe link (served by the api), valid for a year (each mail carries a fresh one) and bound
 * to the address it is mailed to: after the subscription's address changes, a link mailed to an earlier address no
 * longer stops it.
 */
export function unsubscribeUrl(
  config: NotifierEnv,
  subscriptionId: string,
  target: string,
  now = Date.now(),
): string {
  const exp = Math.floor(now / 1000) + TOKEN_LIFETIME_S.unsubscribe.default;
  const token = signToken(
    { sub: subscriptionId, purpose: 'unsubscribe', exp, tgt: targetHash(target) },
    config.TOKEN_SECRET,
  );
  return `${config.PUBLIC_URL.replace(/\/$/, '')}/v1/unsubscribe?t=${encodeURIComponent(token)}`;
}

/**
 * Signed double opt-in link, valid for a week and bound to the address it is mailed to: after the
 * subscription's address changes, only a link mailed to the new address confirms it.
 */
export function confirmUrl(
  config: NotifierEnv,
  subscriptionId: string,
  target: string,
  now = Date.now(),
): { url: string; expiresAt: Date } {
  const exp = Math.floor(now / 1000) + TOKEN_LIFETIME_S.confirm.default;
  const token = signToken(
    { sub: subscriptionId, purpose: 'confirm', exp, tgt: targetHash(target) },
    config.TOKEN_SECRET,
  );
  return {
    url: `${config.PUBLIC_URL.replace(/\/$/, '')}/v1/subscriptions/confirm?t=${encodeURIComponent(token)}`,
    expiresAt: new Date(exp * 1000),
  };
}

/**
 * Signed link to the page listing the papers a capped digest left out (served by the api at /digests/{id}). The
 * token names the digest's delivery and expires a year after the digest was made: the link is a function of the
 * delivery alone, so every retry of the digest sends the same link.
 */
export function digestPageUrl(config: NotifierEnv, deliveryId: string, createdAt: Date): string {
  const exp = Math.floor(createdAt.getTime() / 1000) + TOKEN_LIFETIME_S.digest.default;
  const token = signToken({ sub: deliveryId, purpose: 'digest', exp }, config.TOKEN_SECRET);
  return `${config.PUBLIC_URL.replace(/\/$/, '')}/digests/${encodeURIComponent(deliveryId)}?t=${encodeURIComponent(token)}`;
}
