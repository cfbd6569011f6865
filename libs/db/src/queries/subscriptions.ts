import type { DataSource } from 'typeorm';
import { returnedRows, type Db } from './sql';
import { ENDPOINT_GONE_REASON } from './deliveries';
import { HOME_SIGNUP_SQL, SIGNUP_REPLACED_REASON } from './email-signups';

/** What is chosen for a subscription: the same fields in its row, its insert and update, and the API's view. */
export interface SubscriptionSettings {
  name: string;
  channel: string;
  target: string;
  filters: Record<string, unknown>;
  mode: string;
  schedule: Record<string, unknown> | null;
  status: string;
}

/** A `subscriptions` row as the API and the CLI read it (secrets are never read back). */
export interface SubscriptionViewRow extends SubscriptionSettings {
  id: string;
  owner_key_id: string | null;
  status_reason: string | null;
  consecutive_failures: number;
  failed_messages: number;
  paused_at: Date | null;
  created_at: Date;
  updated_at: Date;
  /** secrets that sign every message now: 2 during a rotation, 1 otherwise, 0 for email */
  active_secrets: number;
  /** when a rotation's previous secret stops signing; null when none signs or it signs until retired */
  previous_secret_expires_at: Date | null;
}

/** The same row with what an operator sees: whether the owning key is revoked. */
export interface AdminSubscriptionRow extends SubscriptionViewRow {
  owner_revoked: boolean;
}

/** A row as an update left it, with the status and pause time it had under the row lock. */
export interface UpdatedSubscriptionRow extends SubscriptionViewRow {
  prev_status: string;
  prev_paused_at: Date | null;
  /** when it was disabled, when it was (re-enabling one disabled by a 410 backfills from then) */
  prev_disabled_at: Date | null;
}

/**
 * Which subscriptions a caller may reach: a key's own, or every one (admin keys, the operator CLI).
 * Another owner's subscription is indistinguishable from a missing one.
 */
export type SubscriptionScope = { ownerKeyId: string } | 'any';

/**
 * The signing state of a subscription's secrets, never the secrets: how many sign now (the previous one stops
 * at previous_secret_expires_at, as the notifier's signingSecrets), and when the previous one stops (null when
 * none signs, or it signs until retired).
 */
const SECRET_STATE = `CASE WHEN s.previous_secret_expires_at <= now() THEN least(jsonb_array_length(s.secrets), 1) ELSE jsonb_array_length(s.secrets) END::int AS active_secrets,
  CASE WHEN jsonb_array_length(s.secrets) > 1 AND s.previous_secret_expires_at > now() THEN s.previous_secret_expires_at END AS previous_secret_expires_at`;
const COLUMNS = `s.id, s.owner_key_id, s.name, s.channel, s.target, s.filters, s.mode, s.schedule, s.status, s.status_reason,
  s.consecutive_failures, s.failed_messages, s.paused_at, s.created_at, s.updated_at,
  ${SECRET_STATE}`;
const ADMIN_COLUMNS = `${COLUMNS}, (k.revoked_at IS NOT NULL) AS owner_revoked`;
const ADMIN_FROM = `subscriptions s LEFT JOIN api_keys k ON k.id = s.owner_key_id`;

/** `AND <owner condition>` with its parameter at `$index`, and the parameter (null: any owner). */
function scoped(scope: SubscriptionScope, index: number): [string, string | null] {
  return scope === 'any' ? [`AND $${index}::uuid IS NULL`, null] : [`AND s.owner_key_id = $${index}::uuid`, scope.ownerKeyId];
}

/** A page of subscriptions in their one order, oldest first: (created_at, id), unique. */
export interface SubscriptionPageQuery {
  /** keyset: the (created_at as text, id) of the last subscription of the previous page */
  after?: readonly [string, string];
  limit: number;
}

/** The keyset of a listed row: created_at as Postgres text, which keeps its microseconds (a Date would not). */
export interface SubscriptionPageKey {
  page_at: string;
}

const PAGE_KEY = `s.created_at::text AS page_at`;
const PAGE_AFTER = (at: string, id: string) => `AND ($${at}::timestamptz IS NULL OR (s.created_at, s.id) > ($${at}::timestamptz, $${id}::uuid))`;

/** A key's own subscriptions, oldest first: `limit + 1` rows (the extra one says there is a next page); idx_subscriptions_owner. */
export async function listSubscriptionsOfOwner(db: Db, ownerKeyId: string, page: SubscriptionPageQuery): Promise<(SubscriptionViewRow & SubscriptionPageKey)[]> {
  return db.query(
    `SELECT ${COLUMNS}, ${PAGE_KEY} FROM subscriptions s WHERE s.owner_key_id = $1 ${PAGE_AFTER('2', '3')}
      ORDER BY s.created_at, s.id LIMIT $4`,
    [ownerKeyId, page.after?.[0] ?? null, page.after?.[1] ?? null, page.limit + 1],
  );
}

export interface AdminSubscriptionQuery extends SubscriptionPageQuery {
  ownerKeyId?: string;
  status?: string;
  reason?: string;
}

/**
 * Every subscription matching the query, oldest first: `limit + 1` rows, as above. The statement names only the
 * filters given, so that each plan (custom or generic) reads by the index of its order: idx_subscriptions_created,
 * idx_subscriptions_owner, idx_subscriptions_status_created, idx_subscriptions_reason (`IS NULL OR` conditions
 * left a generic plan to scan and sort every subscription).
 */
export async function listAllSubscriptions(db: Db, q: AdminSubscriptionQuery): Promise<(AdminSubscriptionRow & SubscriptionPageKey)[]> {
  const params: unknown[] = [q.limit + 1];
  const where: string[] = [];
  const filters: [string, string | undefined][] = [
    ['s.owner_key_id = $%::uuid', q.ownerKeyId],
    ['s.status = $%::text', q.status],
    ['s.status_reason = $%::text', q.reason],
  ];
  for (const [condition, value] of filters)
    if (value !== undefined) where.push(condition.replace('$%', `$${params.push(value)}`));
  if (q.after) where.push(`(s.created_at, s.id) > ($${params.push(q.after[0])}::timestamptz, $${params.push(q.after[1])}::uuid)`);
  return db.query(
    `SELECT ${ADMIN_COLUMNS}, ${PAGE_KEY} FROM ${ADMIN_FROM}
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY s.created_at, s.id LIMIT $1`,
    params,
  );
}

export async function findSubscription(db: Db, id: string, scope: SubscriptionScope): Promise<AdminSubscriptionRow | null> {
  const [cond, owner] = scoped(scope, 2);
  const rows: AdminSubscriptionRow[] = await db.query(`SELECT ${ADMIN_COLUMNS} FROM ${ADMIN_FROM} WHERE s.id = $1 ${cond}`, [id, owner]);
  return rows[0] ?? null;
}

export interface NewSubscriptionValues extends SubscriptionSettings {
  ownerKeyId: string | null;
  secrets: string[];
}

export async function insertSubscription(db: Db, v: NewSubscriptionValues): Promise<SubscriptionViewRow> {
  const rows: SubscriptionViewRow[] = await db.query(
    `INSERT INTO subscriptions AS s (owner_key_id, name, channel, target, secrets, filters, mode, schedule, status)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8::jsonb, $9) RETURNING ${COLUMNS}`,
    [v.ownerKeyId, v.name, v.channel, v.target, JSON.stringify(v.secrets), JSON.stringify(v.filters), v.mode, v.schedule ? JSON.stringify(v.schedule) : null, v.status],
  );
  return rows[0];
}

/**
 * An email subscription of the same owner (a key, or none: the operator) to the same address with the same filters,
 * mode and schedule that still sends or waits for its confirmation, or null: a second one would mail every message
 * twice. By the owner's rows (idx_subscriptions_owner) or, without an owner, the address index (any one of them: no
 * order, which would walk the table by created_at instead).
 */
export async function sameEmailSubscription(
  db: Db,
  v: Pick<NewSubscriptionValues, 'ownerKeyId' | 'target' | 'filters' | 'mode' | 'schedule'>,
): Promise<{ id: string; status: string } | null> {
  const rows: { id: string; status: string }[] = await db.query(
    `SELECT id, status FROM subscriptions
      WHERE ${v.ownerKeyId === null ? 'owner_key_id IS NULL AND $1::uuid IS NULL' : 'owner_key_id = $1'} AND channel = 'email' AND lower(target) = lower($2) AND status <> 'disabled'
        AND filters = $3::jsonb AND mode = $4 AND schedule IS NOT DISTINCT FROM $5::jsonb
      LIMIT 1`,
    [v.ownerKeyId, v.target, JSON.stringify(v.filters), v.mode, v.schedule ? JSON.stringify(v.schedule) : null],
  );
  return rows[0] ?? null;
}

/** How many subscriptions a key holds (idx_subscriptions_owner: the key's rows, not the table). */
export async function countSubscriptionsOfOwner(db: Db, ownerKeyId: string): Promise<number> {
  const [{ n }]: { n: number }[] = await db.query(`SELECT count(*)::int AS n FROM subscriptions WHERE owner_key_id = $1`, [ownerKeyId]);
  return n;
}

/**
 * Inserts a subscription unless its owner key already holds `max` of them: null then. Creates for one key
 * are serialised by a transaction-scoped advisory lock, and the count runs in a statement of its own after
 * it (so it sees every create committed before the lock was granted): concurrent creates never pass the limit.
 */
export async function insertSubscriptionWithin(db: Db, v: NewSubscriptionValues & { ownerKeyId: string }, max: number): Promise<SubscriptionViewRow | null> {
  return (db as DataSource).transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('pw-subscriptions-of:' || $1::text, 0))`, [v.ownerKeyId]);
    return (await countSubscriptionsOfOwner(tx, v.ownerKeyId)) >= max ? null : insertSubscription(tx, v);
  });
}

/** The channel of a subscription never changes. */
export interface SubscriptionUpdate extends Omit<SubscriptionSettings, 'channel'> {
  /** set: the new reason, confirmation cleared (a changed email address); null: the reason follows the status */
  reconfirmReason: string | null;
}

/**
 * Writes a subscription and returns it with the status and pause time it had before, both read under
 * the row lock of this statement: of two concurrent resumes only one sees the pause. paused_at is kept
 * by a trigger on status changes (set on pause, cleared on resume). Null when out of scope or gone.
 */
export async function updateSubscriptionLocked(db: Db, id: string, scope: SubscriptionScope, u: SubscriptionUpdate): Promise<UpdatedSubscriptionRow | null> {
  const [cond, owner] = scoped(scope, 2);
  const res: unknown = await db.query(
    `WITH prev AS (SELECT s.status AS prev_status, s.paused_at AS prev_paused_at, s.disabled_at AS prev_disabled_at FROM subscriptions s WHERE s.id = $1 ${cond} FOR UPDATE)
     UPDATE subscriptions s SET name = $3, target = $4, filters = $5::jsonb, mode = $6, schedule = $7::jsonb,
            status = $8, status_reason = CASE WHEN $9::text IS NOT NULL THEN $9::text WHEN $8 = s.status THEN s.status_reason ELSE NULL END,
            confirmed_at = CASE WHEN $9::text IS NOT NULL THEN NULL ELSE s.confirmed_at END,
            consecutive_failures = CASE WHEN $8 = 'active' AND s.status <> 'active' THEN 0 ELSE s.consecutive_failures END,
            failed_messages = CASE WHEN $8 = 'active' AND s.status <> 'active' THEN 0 ELSE s.failed_messages END,
            updated_at = now()
       FROM prev
      WHERE s.id = $1 ${cond} RETURNING ${COLUMNS}, prev.prev_status, prev.prev_paused_at, prev.prev_disabled_at`,
    [id, owner, u.name, u.target, JSON.stringify(u.filters), u.mode, u.schedule ? JSON.stringify(u.schedule) : null, u.status, u.reconfirmReason],
  );
  return returnedRows<UpdatedSubscriptionRow>(res)[0] ?? null;
}

/**
 * Pauses or resumes an active or paused subscription, or re-enables one disabled by a 410 (its owner fixed the
 * endpoint): a conditional update under the row lock, with the previous status and pause time as above. Null when
 * none of that id may take the status.
 */
export async function setSubscriptionStatusLocked(db: Db, id: string, scope: SubscriptionScope, status: 'active' | 'paused'): Promise<UpdatedSubscriptionRow | null> {
  const [cond, owner] = scoped(scope, 2);
  const allowed = `(s.status IN ('active', 'paused') OR ($3 = 'active' AND s.status = 'disabled' AND s.status_reason = $4))`;
  const res: unknown = await db.query(
    `WITH prev AS (SELECT s.status AS prev_status, s.paused_at AS prev_paused_at, s.disabled_at AS prev_disabled_at FROM subscriptions s
                    WHERE s.id = $1 ${cond} AND ${allowed} FOR UPDATE)
     UPDATE subscriptions s SET status = $3, status_reason = NULL,
            consecutive_failures = CASE WHEN $3 = 'active' AND s.status <> 'active' THEN 0 ELSE s.consecutive_failures END,
            failed_messages = CASE WHEN $3 = 'active' AND s.status <> 'active' THEN 0 ELSE s.failed_messages END, updated_at = now()
       FROM prev
      WHERE s.id = $1 ${cond} AND ${allowed} RETURNING ${COLUMNS}, prev.prev_status, prev.prev_paused_at, prev.prev_disabled_at`,
    [id, owner, status, ENDPOINT_GONE_REASON],
  );
  return returnedRows<UpdatedSubscriptionRow>(res)[0] ?? null;
}

export async function deleteSubscription(db: Db, id: string, scope: SubscriptionScope): Promise<boolean> {
  const [cond, owner] = scoped(scope, 2);
  return returnedRows(await db.query(`DELETE FROM subscriptions s WHERE s.id = $1 ${cond} RETURNING s.id`, [id, owner])).length > 0;
}

/**
 * A later confirmation mail (re-send, changed address): the delivered 'confirm' delivery row is
 * renamed and kept as history, so the notifier sends anew.
 */
export async function retireConfirmationDelivery(db: Db, subscriptionId: string): Promise<void> {
  await db.query(
    `UPDATE deliveries SET digest_key = 'confirm:superseded:' || id::text, updated_at = now() WHERE subscription_id = $1 AND digest_key = 'confirm'`,
    [subscriptionId],
  );
}

/**
 * The papers a resume's backfill will check or send (its job reads the same rows: BackfillService): those notified
 * since `from` (up to `max`: papersNotifiedSince) and those of the subscription's deliveries created before
 * `stoppedAt` still waiting to be sent (up to `max`: pendingDeliveriesOf; a 410 re-enable has just put its missed
 * deliveries back to pending, however long before the disable their papers were notified), each paper once.
 */
export async function countBackfillPapers(db: Db, subscriptionId: string, stoppedAt: Date, from: Date, max: number): Promise<number> {
  const [{ n }]: { n: number }[] = await db.query(
    `SELECT count(*)::int AS n FROM (
       (SELECT paper_id FROM paper_stages WHERE notified_at >= $1 ORDER BY notified_at, paper_id LIMIT $4)
       UNION
       (SELECT paper_id FROM deliveries WHERE subscription_id = $2 AND paper_id IS NOT NULL AND status IN ('pending', 'sending')
           AND created_at < $3 ORDER BY created_at, id LIMIT $4)
     ) x`,
    [from, subscriptionId, stoppedAt, max],
  );
  return n;
}

/**
 * Double opt-in: activates a pending email subscription when `tokenMatches(target)` holds for its
 * current address (under the row lock). 'other-address' when the token was for an earlier address;
 * null when nothing is pending.
 */
/**
 * Why a confirmed subscription starts paused: its `examples` filter predates example papers (stored
 * before filters named them, confirmed only now) and would never match anything.
 */
export const EXAMPLES_NEED_PAPERS_REASON =
  'the "examples" filter now needs example papers (filters.examples.papers: 1-20 catalogue or arXiv ids); ' +
  'without them it never matched anything. Add papers to the filter (or remove "examples") and resume.';

/** True (in SQL) for a stored `examples` filter without papers: it no longer parses and never matched. */
const LEGACY_EXAMPLES = `jsonb_typeof(filters->'examples') = 'object' AND NOT (filters->'examples' ? 'papers')`;

/**
 * Double opt-in: activates a pending email subscription whose address the token was issued for. A
 * legacy `examples` filter without papers (accepted before they could be named) is confirmed as
 * paused with the reason, as the migration that introduced papers paused active ones.
 */
/** A subscription just confirmed: its name, whether it runs, and when it sends (its mode and digest schedule). */
export interface ConfirmedSubscription {
  name: string;
  status: 'active' | 'paused';
  reason: string | null;
  mode: 'instant' | 'daily' | 'weekly';
  schedule: { hour?: number; minute?: number; timeZone?: string; weekday?: number } | null;
}

export async function confirmPendingSubscription(
  ds: DataSource,
  id: string,
  tokenMatches: (target: string) => boolean,
): Promise<ConfirmedSubscription | 'other-address' | null> {
  return ds.transaction(async (em) => {
    const pending: { name: string; target: string; mode: ConfirmedSubscription['mode']; schedule: ConfirmedSubscription['schedule'] }[] = await em.query(
      `SELECT name, target, mode, schedule FROM subscriptions WHERE id = $1 AND status = 'pending_confirmation' AND channel = 'email' FOR UPDATE`,
      [id],
    );
    if (!pending[0]) return null;
    if (!tokenMatches(pending[0].target)) return 'other-address';
    const [row] = returnedRows<{ status: 'active' | 'paused'; status_reason: string | null }>(await em.query(
      `UPDATE subscriptions
          SET status = CASE WHEN ${LEGACY_EXAMPLES} THEN 'paused' ELSE 'active' END,
              status_reason = CASE WHEN ${LEGACY_EXAMPLES} THEN $2 END,
              confirmed_at = now(), consecutive_failures = 0, failed_messages = 0, updated_at = now()
        WHERE id = $1 RETURNING status, status_reason`,
      [id, EXAMPLES_NEED_PAPERS_REASON],
    ));
    // A home-page sign-up confirmed replaces the address's earlier one (asked again, with the same or other topics):
    // one digest per address, never two alike. Only sign-ups of the form: keyed and operator subscriptions stay.
    await em.query(
      `UPDATE subscriptions SET status = 'disabled', status_reason = $3, updated_at = now()
        WHERE id <> $1 AND lower(target) = lower($2) AND status IN ('active', 'paused') AND ${HOME_SIGNUP_SQL}
          AND EXISTS (SELECT 1 FROM subscriptions n WHERE n.id = $1 AND n.owner_key_id IS NULL AND n.schedule->>'sort' = 'trending')`,
      [id, pending[0].target, SIGNUP_REPLACED_REASON],
    );
    return { name: pending[0].name, status: row.status, reason: row.status_reason, mode: pending[0].mode, schedule: pending[0].schedule };
  });
}

/** One-click unsubscribe: disables the subscription (a repeat changes nothing). */
export async function unsubscribeSubscription(db: Db, id: string): Promise<void> {
  await db.query(
    `UPDATE subscriptions SET status = 'disabled', status_reason = 'unsubscribed', updated_at = now()
      WHERE id = $1 AND (status <> 'disabled' OR status_reason IS DISTINCT FROM 'unsubscribed')`,
    [id],
  );
}

/** A webhook subscription's signing secrets after a rotation or a retirement (never the secrets themselves). */
export interface SubscriptionSecretsRow extends Pick<SubscriptionViewRow, 'id' | 'active_secrets' | 'previous_secret_expires_at'> {
  /** secrets the statement dropped */
  dropped: number;
}

/**
 * The webhook subscription's secrets become [`secret`, its newest one] under the row lock, the previous one
 * signing for `graceHours` more: a rotation keeps exactly one previous secret, so a second rotation drops the
 * oldest. Null when out of scope, gone, or not a webhook.
 */
export async function rotateWebhookSecret(db: Db, id: string, scope: SubscriptionScope, secret: string, graceHours: number): Promise<SubscriptionSecretsRow | null> {
  return updateSecrets(
    db,
    id,
    scope,
    `jsonb_build_array($3::text) || CASE WHEN jsonb_array_length(s.secrets) > 0 THEN jsonb_build_array(s.secrets->0) ELSE '[]'::jsonb END`,
    `CASE WHEN jsonb_array_length(s.secrets) > 0 THEN now() + make_interval(hours => $4::int) END`,
    [secret, graceHours],
  );
}

/** Keeps only the webhook subscription's newest secret (a no-op when it has one). Null as above. */
export async function retirePreviousWebhookSecrets(db: Db, id: string, scope: SubscriptionScope): Promise<SubscriptionSecretsRow | null> {
  return updateSecrets(db, id, scope, `CASE WHEN jsonb_array_length(s.secrets) > 1 THEN jsonb_build_array(s.secrets->0) ELSE s.secrets END`, `NULL`, []);
}

/**
 * Drops the previous secret of every rotation whose grace period has ended (at most `limit` subscriptions): it
 * signed nothing since (the notifier's signingSecrets, the views' SECRET_STATE), and is no longer kept. The expiry
 * is re-checked on the locked row, so a rotation committed in between (a new expiry) is left alone. What the API
 * shows does not change, nor does updated_at. Oldest expiry first, by idx_subscriptions_secret_expiry (the few
 * subscriptions in a rotation, not a scan of every subscription). Returns how many subscriptions it cleared.
 */
export async function dropExpiredPreviousSecrets(db: Db, limit: number): Promise<number> {
  const res: unknown = await db.query(
    `UPDATE subscriptions s
        SET secrets = CASE WHEN jsonb_array_length(s.secrets) > 1 THEN jsonb_build_array(s.secrets->0) ELSE s.secrets END,
            previous_secret_expires_at = NULL
      WHERE s.previous_secret_expires_at <= now()
        AND s.id IN (SELECT id FROM subscriptions WHERE previous_secret_expires_at <= now()
                     ORDER BY previous_secret_expires_at LIMIT $1 FOR UPDATE SKIP LOCKED)
     RETURNING s.id`,
    [limit],
  );
  return returnedRows(res).length;
}

async function updateSecrets(db: Db, id: string, scope: SubscriptionScope, secrets: string, expiresAt: string, params: (string | number)[]): Promise<SubscriptionSecretsRow | null> {
  const [cond, owner] = scoped(scope, 2);
  const added = params.length > 0 ? 1 : 0;
  const res: unknown = await db.query(
    `WITH prev AS (SELECT jsonb_array_length(s.secrets) AS before FROM subscriptions s WHERE s.id = $1 ${cond} AND s.channel = 'webhook' FOR UPDATE)
     UPDATE subscriptions s SET secrets = ${secrets}, previous_secret_expires_at = ${expiresAt},
            updated_at = CASE WHEN ${secrets} = s.secrets THEN s.updated_at ELSE now() END
       FROM prev
      WHERE s.id = $1 ${cond} AND s.channel = 'webhook'
     RETURNING s.id, ${SECRET_STATE}, greatest(prev.before + ${added} - jsonb_array_length(s.secrets), 0)::int AS dropped`,
    [id, owner, ...params],
  );
  return returnedRows<SubscriptionSecretsRow>(res)[0] ?? null;
}
