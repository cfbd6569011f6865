/** How long an endpoint's failed attempts are summarised in one log line after the line that reported them. */
export const ENDPOINT_FAILURE_LOG_WINDOW_MS = 60_000;
/** Endpoints remembered at once (the oldest line's endpoint is forgotten first: it then logs again at once). */
const MAX_ENDPOINTS = 10_000;

/**
 * Rate-limits the notifier's warning about an endpoint's failed attempts: the first failure of a subscription is a
 * line at once, then at most one line per window, which says how many failed attempts went unlogged since the last
 * one. A failing endpoint with 500 deliveries retrying writes one line a minute, not one (or two) per attempt.
 */
export class EndpointFailureLog {
  private readonly lines = new Map<string, { at: number; unlogged: number }>();

  constructor(
    private readonly windowMs = ENDPOINT_FAILURE_LOG_WINDOW_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * `failures` failed attempts of `endpoint` (a subscription id) just now: null when they are only counted, else
   * a line is due, with how many failed attempts were counted without a line since the last one.
   */
  admit(endpoint: string, failures: number): { unlogged: number } | null {
    const t = this.now();
    const last = this.lines.get(endpoint);
    if (last && t - last.at < this.windowMs) {
      last.unlogged += failures;
      return null;
    }
    this.lines.delete(endpoint);
    this.lines.set(endpoint, { at: t, unlogged: 0 });
    if (this.lines.size > MAX_ENDPOINTS) this.lines.delete(this.lines.keys().next().value as string);
    return { unlogged: last?.unlogged ?? 0 };
  }

  /** The endpoint's next failure is a line at once (its subscription changed status: paused, disabled). */
  forget(endpoint: string): void {
    this.lines.delete(endpoint);
  }
}
