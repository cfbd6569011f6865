import { failingEndpointRows, mailServerState, type Db } from '@paperwire/db';

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

/** Endpoints with failures in a row, most first (at most 50), in full: targets and reasons verbatim. */
export async function failingEndpoints(db: Db): Promise<FailingEndpoint[]> {
  return (await failingEndpointRows(db)).map((r) => ({
    id: r.id,
    name: r.name,
    channel: r.channel,
    target: r.target,
    status: r.status,
    reason: r.status_reason,
    consecutiveFailures: r.consecutive_failures,
  }));
}
