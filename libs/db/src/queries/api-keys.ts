import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { API_KEY_SCOPES, type ApiKeyScope } from '../entities/api-key.entity';
import { isUuid } from './sql';

// Plain functions over a DataSource (no Nest) so the CLI can create the first admin key.

type Db = DataSource | EntityManager;

export const API_KEY_PREFIX_LENGTH = 12;
const KEY_PATTERN = /^pw_[A-Za-z0-9_-]{43,}$/;

export interface ApiKeyRecord {
  id: string;
  name: string;
  prefix: string;
  scopes: ApiKeyScope[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface CreatedApiKey extends ApiKeyRecord {
  /** the plaintext key: shown once, never stored */
  key: string;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** `pw_` + 32 random bytes in base64url (256 bits); the first 12 characters are the lookup prefix. */
export function generateApiKey(): { key: string; prefix: string; hash: string } {
  const key = `pw_${randomBytes(32).toString('base64url')}`;
  return { key, prefix: key.slice(0, API_KEY_PREFIX_LENGTH), hash: hashApiKey(key) };
}

export function isApiKeyScope(s: string): s is ApiKeyScope {
  return (API_KEY_SCOPES as readonly string[]).includes(s);
}

/** admin implies every scope; subscriptions implies read. */
export function hasScope(granted: readonly ApiKeyScope[], needed: ApiKeyScope): boolean {
  if (granted.includes('admin')) return true;
  if (needed === 'read') return granted.length > 0;
  return granted.includes(needed);
}

interface KeyRow {
  id: string;
  name: string;
  prefix: string;
  key_hash: string;
  scopes: ApiKeyScope[];
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

function toRecord(r: KeyRow): ApiKeyRecord {
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    scopes: r.scopes,
    createdAt: new Date(r.created_at).toISOString(),
    lastUsedAt: iso(r.last_used_at),
    revokedAt: iso(r.revoked_at),
  };
}

export async function createApiKey(db: Db, input: { name: string; scopes: ApiKeyScope[] }): Promise<CreatedApiKey> {
  const scopes = [...new Set(input.scopes)];
  if (scopes.length === 0) throw new Error('an API key needs at least one scope');
  const bad = scopes.filter((s) => !isApiKeyScope(s));
  if (bad.length > 0) throw new Error(`unknown scopes: ${bad.join(', ')}`);
  const { key, prefix, hash } = generateApiKey();
  const rows: KeyRow[] = await db.query(
    `INSERT INTO api_keys (name, prefix, key_hash, scopes) VALUES ($1, $2, $3, $4::text[]) RETURNING *`,
    [input.name, prefix, hash, scopes],
  );
  return { ...toRecord(rows[0]), key };
}

/**
 * Returns the key's record when the plaintext is a live key, else null. The prefix finds the row;
 * the hash comparison is constant-time.
 */
export async function verifyApiKey(db: Db, key: string, opts: { touch?: boolean } = {}): Promise<ApiKeyRecord | null> {
  if (!KEY_PATTERN.test(key)) return null;
  const rows: KeyRow[] = await db.query(`SELECT * FROM api_keys WHERE prefix = $1`, [key.slice(0, API_KEY_PREFIX_LENGTH)]);
  const row = rows[0];
  if (!row || row.revoked_at) return null;
  const a = Buffer.from(hashApiKey(key), 'hex');
  const b = Buffer.from(row.key_hash, 'hex');
  if (a.length !== b.length || !timingSafeEqual(a, b)) return null;
  if (opts.touch !== false) {
    // One write a minute per key at most, not one per request.
    await db.query(
      `UPDATE api_keys SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
      [row.id],
    );
  }
  return toRecord(row);
}

/** What `revoked key` does to the key's subscriptions (SECURITY.md). */
export const KEY_REVOKED_REASON = 'key revoked';

/**
 * Revokes by id or prefix; returns false when no live key matched. In the same statement the key's
 * subscriptions stop: active and paused ones become paused with the reason `key revoked` (an admin
 * key can list, resume or delete them through /v1/admin/subscriptions), and ones still waiting for
 * their email confirmation are disabled (nothing was ever sent to them, and a late click must not
 * start them).
 */
export async function revokeApiKey(db: Db, idOrPrefix: string): Promise<boolean> {
  return (await revokeApiKeyAndStopSubscriptions(db, idOrPrefix)) !== null;
}

/** revokeApiKey, saying how many of the key's subscriptions it paused (null: no live key matched). */
export async function revokeApiKeyAndStopSubscriptions(db: Db, idOrPrefix: string): Promise<{ id: string; subscriptionsPaused: number } | null> {
  const res: { id: string; paused: number }[] = await db.query(
    `WITH k AS (
       UPDATE api_keys SET revoked_at = now() WHERE ${isUuid(idOrPrefix) ? 'id = $1::uuid' : 'prefix = $1'} AND revoked_at IS NULL RETURNING id
     ), s AS (
       UPDATE subscriptions s
          SET status = CASE WHEN s.status = 'pending_confirmation' THEN 'disabled' ELSE 'paused' END,
              status_reason = $2, updated_at = now()
         FROM k WHERE s.owner_key_id = k.id AND s.status IN ('active', 'paused', 'pending_confirmation')
       RETURNING s.id, s.status
     )
     SELECT k.id, (SELECT count(*) FROM s WHERE s.status = 'paused')::int AS paused FROM k`,
    [idOrPrefix, KEY_REVOKED_REASON],
  );
  return res[0] ? { id: res[0].id, subscriptionsPaused: res[0].paused } : null;
}

export async function listApiKeys(db: Db, opts: { includeRevoked?: boolean } = {}): Promise<ApiKeyRecord[]> {
  const rows: KeyRow[] = await db.query(
    `SELECT * FROM api_keys ${opts.includeRevoked ? '' : 'WHERE revoked_at IS NULL'} ORDER BY created_at, id`,
  );
  return rows.map(toRecord);
}

/** Scopes and hash of a live (not revoked) key by id, for a session that carries the key's id. */
export async function liveApiKeyById(db: Db, id: string): Promise<{ scopes: ApiKeyScope[]; key_hash: string } | null> {
  const rows: { scopes: ApiKeyScope[]; key_hash: string }[] = await db.query(`SELECT scopes, key_hash FROM api_keys WHERE id = $1 AND revoked_at IS NULL`, [id]);
  return rows[0] ?? null;
}
