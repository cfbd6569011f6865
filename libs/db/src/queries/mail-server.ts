import type { Db } from './sql';

// The operator's mail server as the notifier finds it (table mail_server_state, one row): a failure that
// is the server's (down, busy, silent, refusing the sender or the login) is recorded here, not against
// any subscription; /ops shows it.

/** Records a failed send that was the mail server's: its class, and since when it has been failing. */
export async function recordMailServerFailure(db: Db, errorClass: string): Promise<void> {
  await db.query(
    `INSERT INTO mail_server_state (id, error_class, failing_since, last_failure_at) VALUES ('smtp', $1, now(), now())
     ON CONFLICT (id) DO UPDATE SET error_class = EXCLUDED.error_class, last_failure_at = now(),
            failing_since = COALESCE(mail_server_state.failing_since, now())`,
    [errorClass.slice(0, 200)],
  );
}

/**
 * How stale the recorded last success of a working mail server may be: it is written at most once per this many
 * seconds (and at once on the first success and on a recovery), so `lastSuccessAt` is the last success to within it.
 */
export const MAIL_SUCCESS_WRITE_SECONDS = 60;

/**
 * Records that the mail server took a mail (or answered for one recipient): the outage, if any, is over.
 * Writes (and locks the row) only when it was failing, on the first success ever, or when the last success recorded
 * is older than MAIL_SUCCESS_WRITE_SECONDS: the other concurrent sends to a working server only read the row by its key.
 */
export async function recordMailServerSuccess(db: Db): Promise<void> {
  await db.query(
    `WITH cleared AS (
       UPDATE mail_server_state SET failing_since = NULL, last_success_at = now()
        WHERE id = 'smtp' AND (failing_since IS NOT NULL OR last_success_at IS NULL
                               OR last_success_at < now() - make_interval(secs => ${MAIL_SUCCESS_WRITE_SECONDS})) RETURNING id
     )
     INSERT INTO mail_server_state (id, last_success_at)
     SELECT 'smtp', now() WHERE NOT EXISTS (SELECT 1 FROM mail_server_state WHERE id = 'smtp')
     ON CONFLICT (id) DO NOTHING`,
  );
}

export interface MailServerStateRow {
  /** whether the notifier has recorded a send yet (the state row exists); the columns below are null until it has */
  recorded: boolean;
  error_class: string | null;
  failing_since: Date | null;
  last_failure_at: Date | null;
  last_success_at: Date | null;
  /** email deliveries (instant, digest, confirmation) tried at least once and waiting for their retry */
  waiting: number;
}

/**
 * The mail server's state (`recorded` false before the notifier recorded any send) and the email deliveries waiting
 * for a retry (not those held by a paused subscription: nothing retries them), counted whether or not the state row exists yet (deliveries tried before it was first written, or
 * before the table existed, wait all the same).
 */
export async function mailServerState(db: Db): Promise<MailServerStateRow> {
  const rows: MailServerStateRow[] = await db.query(
    // (the email subscriptions that send, materialized: hashed from idx_subscriptions_email_sending alone, and the
    // retried waiting deliveries of idx_deliveries_waiting counted against them; joined row by row, each of those
    // probed subscriptions' key and heap, ~4 buffers a delivery: 24.6k buffers with 6k of them)
    `WITH sending AS MATERIALIZED (SELECT id FROM subscriptions WHERE channel = 'email' AND status <> 'paused')
     SELECT m.id IS NOT NULL AS recorded, m.error_class, m.failing_since, m.last_failure_at, m.last_success_at,
            (SELECT count(*)::int FROM deliveries d JOIN sending ON sending.id = d.subscription_id
              WHERE d.status IN ('pending', 'sending') AND d.attempts > 0) AS waiting
       FROM (VALUES (1)) AS one (x) LEFT JOIN mail_server_state m ON m.id = 'smtp'`,
  );
  return rows[0];
}
