export type FeedErrorCode = 'unknown-format' | 'malformed' | 'upstream-error' | 'refused' | 'too-large';

/**
 * A whole-document failure. Per-entry problems go to ParseResult.errors instead. `message` is shown to people (CLI,
 * /ops, API); `detail`, when set, is the underlying library's own wording, for logs only.
 */
export class FeedError extends Error {
  override readonly name = 'FeedError';

  constructor(
    readonly code: FeedErrorCode,
    message: string,
    readonly detail?: string,
  ) {
    super(message);
  }
}

/** Thrown inside an entry builder; the parser turns it into an EntryError and keeps going. */
export class EntryFailure extends Error {
  override readonly name = 'EntryFailure';
}
