import { HttpError, SsrfError, assertPublicUrl } from '@paperwire/http';

/**
 * The API's SSRF check (libs/http) for a URL given on the command line: a URL whose host is, or
 * resolves to, a private, loopback, link-local or reserved address is refused unless the operator
 * allows it (`--allow-private`). A name that does not resolve right now is accepted with a warning:
 * the fetcher and the notifier check every address again when they connect.
 */
export async function checkOperatorUrl(
  url: string,
  what: string,
  allowPrivate: boolean,
  warn: (message: string) => void,
): Promise<void> {
  if (allowPrivate) return;
  try {
    await assertPublicUrl(url);
  } catch (e) {
    if (e instanceof SsrfError)
      throw new Error(`${what} ${url} refused: ${e.message} (pass --allow-private for a local receiver or replay server)`);
    if (e instanceof HttpError && e.code === 'network') {
      warn(`paperwire: warning: ${what} ${url} could not be resolved now (${e.message}); it is checked again on every connection`);
      return;
    }
    throw e;
  }
}
