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

/** A URL or address the SSRF guard refused. Never worth retrying. */
export class SsrfError extends HttpError {
  override readonly name = 'SsrfError';

  constructor(message: string) {
    super('ssrf', message);
  }
}
