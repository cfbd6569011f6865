import { assertPublicUrl } from '@paperwire/http';

/**
 * Returns an error message, or null when the URL is an acceptable webhook target: http(s), no
 * credentials, and (unless allowed) no private, loopback or link-local address (SSRF). The notifier
 * re-checks at delivery time, since DNS can change in between.
 */
export async function checkWebhookTarget(raw: string, allowPrivate: boolean): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'not a valid URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'webhook URLs must be http or https';
  if (url.username || url.password) return 'webhook URLs must not carry credentials';
  try {
    await assertPublicUrl(raw, { allowPrivate });
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : 'target refused';
  }
}
