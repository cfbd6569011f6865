export type HttpErrorCode = 'timeout' | 'too-large' | 'network' | 'ssrf' | 'http-status' | 'redirect-loop';

/** Every failure safeFetch / fetchWithRetry throws is one of these, so callers can switch on `code`. */
export class HttpError extends Error {
  override readonly name: string = 'HttpError';

  constructor(
    readonly code: HttpErrorCode,
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * A body over the size cap. Never worth retrying: the same URL sends the same bytes. `reason` is the error class
 * without the URL (URLs may carry tokens), for places that record or show why a fetch failed.
 */
export class BodyTooLargeError extends HttpError {
  override readonly name = 'BodyTooLargeError';

  constructor(
    url: string,
    what: string,
    readonly maxBytes: number,
    status?: number,
  ) {
    super('too-large', `${url}: ${what} exceeds the ${maxBytes} byte cap`, status);
  }

  get reason(): string {
    return `body too large (> ${this.maxBytes} bytes)`;
  }
}

/** A URL or address the SSRF guard refused. Never worth retrying. */
export class SsrfError extends HttpError {
  override readonly name = 'SsrfError';

  constructor(
    message: string,
    /** the refusal is a private, loopback or link-local address (what allowPrivate would accept), not a bad URL */
    readonly privateAddress = false,
  ) {
    super('ssrf', message);
  }
}
