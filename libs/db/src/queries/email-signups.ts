import type { Db } from './sql';

// The home page's Subscribe box: an email subscription without an API key, pending until the address
// confirms. (Rows of `subscriptions`; the keyed subscriptions have their own module.)

/** Serialises sign-ups of one address until the transaction ends (no two pending rows). */
export async function lockEmailSignup(db: Db, email: string): Promise<void> {
  await db.query(`SELECT pg_advisory_xact_lock(hashtextextended('pw-subscribe:' || $1::text, 0))`, [email]);
}

/** The address's oldest sign-up still waiting for its confirmation (with its filters), or null. */
export async function pendingEmailSignup(db: Db, email: string): Promise<{ id: string; filters: unknown } | null> {
  const rows: { id: string; filters: unknown }[] = await db.query(
    `SELECT id, filters FROM subscriptions WHERE owner_key_id IS NULL AND channel = 'email' AND status = 'pending_confirmation' AND lower(target) = $1
          ORDER BY created_at LIMIT 1`,
    [email],
  );
  return rows[0] ?? null;
}

/** A pending sign-up asked for again with other topics: its name and filters become the new request's. */
export async function updatePendingEmailSignup(db: Db, id: string, s: { name: string; filters: unknown }): Promise<void> {
  await db.query(`UPDATE subscriptions SET name = $2, filters = $3::jsonb, updated_at = now() WHERE id = $1 AND status = 'pending_confirmation'`, [
    id,
    s.name,
    JSON.stringify(s.filters),
  ]);
}

/**
 * A sign-up of the home page's form (no owner key, the trending digest's schedule: neither the API nor the CLI can
 * set `sort`), as SQL over the table's columns: an address holds one such digest, the newest it confirmed.
 */
export const HOME_SIGNUP_SQL = `owner_key_id IS NULL AND channel = 'email' AND schedule->>'sort' = 'trending'`;

/** Why a sign-up stopped when the same address confirmed a newer one (its topics replaced). */
export const SIGNUP_REPLACED_REASON = 'replaced by a newer sign-up of this address';

/** A daily email digest waiting for its confirmation; returns its id. */
export async function insertEmailSignup(db: Db, s: { name: string; email: string; filters: unknown; schedule: unknown }): Promise<string> {
  const rows: { id: string }[] = await db.query(
    `INSERT INTO subscriptions (owner_key_id, name, channel, target, filters, mode, schedule, status)
         VALUES (NULL, $1, 'email', $2, $3::jsonb, 'daily', $4::jsonb, 'pending_confirmation') RETURNING id`,
    [s.name, s.email, JSON.stringify(s.filters), JSON.stringify(s.schedule)],
  );
  return rows[0].id;
}
