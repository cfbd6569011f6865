/**
 * The one error an action throws for a request it refuses. `code` is what callers map: the API to an
 * HTTP status (problem+json), the CLI to a message and a non-zero exit code.
 */
export type ActionErrorCode = 'invalid' | 'not-found' | 'conflict' | 'forbidden' | 'too-many';

export const ACTION_ERROR_STATUS: Record<ActionErrorCode, number> = {
  invalid: 400,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'too-many': 429,
};

export class ActionError extends Error {
  constructor(
    readonly code: ActionErrorCode,
    message: string,
    /** field-level details for a 400 (`errors` in the problem+json body) */
    readonly details?: readonly { field: string; message: string }[],
    /** for 'too-many': seconds before asking again (Retry-After) */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ActionError';
  }

  get status(): number {
    return ACTION_ERROR_STATUS[this.code];
  }
}
