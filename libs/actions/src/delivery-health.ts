import { FAILING_ENDPOINTS_LISTED, failingEndpointCount, failingEndpointRows, mailServerState, type Db, type FailingEndpointRow } from '@paperwire/db';

// How deliveries are going, as /ops, GET /v1/stats/pipeline and `paperwire stats` show it: one reading of the
// same rows for all three (the api redacts targets and reasons for callers without an admin key).

/** A subscription whose endpoint failed its latest deliveries (still failing, paused or disabled for it). */
export interface FailingEndpoint {
  id: string;
  name: string;
  channel: string;
  /** the webhook URL or email address (the api shows a webhook's origin, an email's domain, without an admin key) */
  target: string;
  status: string;
  /** why it was paused or disabled; null while it is still active */
  reason: string | null;
  consecutiveFailures: number;
}

/**
 * The operator's mail server as the notifier last found it. A failure of it (down, busy, silent, refusing
 * the sender or the login) counts against no subscription: the mails wait and are retried, and it shows here.
 */
export interface MailServerStatus {
  /** 'failing' since a send failed on the server's side until one goes through; 'unknown' before any send is recorded */
  status: 'ok' | 'failing' | 'unknown';
  /** the class of its last failure (`connection refused`, `timeout`, `SMTP 421`…): never its address or words */
  lastErrorClass: string | null;
  /** since when it has been failing (null while it works) */
  failingSince: string | null;
  lastFailureAt: string | null;
  /** its last success, recorded at most once a minute (MAIL_SUCCESS_WRITE_SECONDS): to within a minute */
  lastSuccessAt: string | null;
  /** email deliveries (instant, digest, confirmation) tried at least once and waiting for a retry */
  waitingDeliveries: number;
}

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

/** The mail server's state: error classes only (no host, port or reply text), the same for every reader. */
export async function mailServerStatus(db: Db): Promise<MailServerStatus> {
  const row = await mailServerState(db);
  return {
    status: !row.recorded ? 'unknown' : row.failing_since ? 'failing' : 'ok',
    lastErrorClass: row.error_class,
    failingSince: iso(row.failing_since),
    lastFailureAt: iso(row.last_failure_at),
    lastSuccessAt: iso(row.last_success_at),
    // counted with or without a state row: mails tried before the first recorded send wait all the same
    waitingDeliveries: row.waiting,
  };
}

/** The failing endpoints listed, and how many more fail than are listed. */
export interface FailingEndpoints {
  /** most failures in a row first, at most FAILING_ENDPOINTS_LISTED */
  endpoints: FailingEndpoint[];
  /** failing endpoints beyond those listed (0 when every one is) */
  more: number;
}

/**
 * Why an endpoint fails: its status reason (paused or disabled), else its latest failed attempt's error, else that
 * attempt's HTTP status. Full text; a public view shows its class (the api's errorClass: `address refused`,
 * `HTTP 503`, `timeout`…), never the receiver's address.
 */
function endpointReason(r: Pick<FailingEndpointRow, 'status_reason' | 'last_error' | 'last_status_code'>): string | null {
  if (r.status_reason) return r.status_reason;
  if (r.last_error) return r.last_error;
  return r.last_status_code ? `HTTP ${r.last_status_code}` : null;
}

/**
 * Endpoints with failures in a row, most first (at most FAILING_ENDPOINTS_LISTED), in full: targets and reasons
 * verbatim; and how many more there are, counted (by the failing endpoints' index) only when the list is full.
 */
export async function failingEndpoints(db: Db): Promise<FailingEndpoints> {
  const rows = await failingEndpointRows(db, FAILING_ENDPOINTS_LISTED + 1);
  const more = rows.length > FAILING_ENDPOINTS_LISTED ? (await failingEndpointCount(db)) - FAILING_ENDPOINTS_LISTED : 0;
  return {
    endpoints: rows.slice(0, FAILING_ENDPOINTS_LISTED).map((r) => ({
      id: r.id,
      name: r.name,
      channel: r.channel,
      target: r.target,
      status: r.status,
      reason: endpointReason(r),
      consecutiveFailures: r.consecutive_failures,
    })),
    // the count runs after the list: an endpoint that recovered in between must not make it negative
    more: Math.max(more, 0),
  };
}
