import type { Db } from './sql';

// The home page's Subscribe box: an email subscription without an API key, pending until the address
// confirms. (Rows of `subscriptions`; the keyed subscriptions have their own module.)

/** Serialises sign-ups of one address until the transaction ends (no two pending rows). */
export async function lockEmailSignup(db: Db, email: string): Promise<void> {
  await db.query(`SELECT pg_advisory_xact_lock(hashtextextended('pw-subscribe:' || $1::text, 0))`, [email]);
}

/** The address's oldest sign-up still waiting for its confirmation, or null. */
export async function pendingEmailSignup(db: Db, email: string): Promise<{ id: string } | null> {
  const rows: { id: string }[] = await db.query(
    `SELECT id FROM subscriptions WHERE owner_key_id IS NULL AND channel = 'email' AND status = 'pending_confirmation' AND lower(target) = $1
          ORDER BY created_at LIMIT 1`,
    [email],
  );
  return rows[0] ?? null;
}

/** A daily email digest waiting for its confirmation; returns its id. */
export async function insertEmailSignup(db: Db, s: { name: string; email: string; filters: unknown; schedule: unknown }): Promise<string> {
  const rows: { id: string }[] = await db.query(
    `INSERT INTO subscriptions (owner_key_id, name, channel, target, filters, mode, schedule, status)
         VALUES (NULL, $1, 'email', $2, $3::jsonb, 'daily', $4::jsonb, 'pending_confirmation') RETURNING id`,
    [s.name, s.email, JSON.stringify(s.filters), JSON.stringify(s.schedule)],
  );
  return rows[0].id;
}
