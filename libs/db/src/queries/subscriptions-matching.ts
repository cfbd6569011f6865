import type { DataSource, EntityManager } from 'typeorm';
import { normaliseArxivId } from '@paperwire/contracts';
import { isUuid } from './sql';

type Db = DataSource | EntityManager;

/** A subscription as the notifier matches and delivers it. */
export interface SubscriptionRow {
  id: string;
  name: string;
  channel: 'webhook' | 'email';
  target: string;
  secrets: string[];
  /** when secrets[1] (a rotation's previous secret) stops signing; null: while it is stored (to_jsonb: ISO text) */
  previous_secret_expires_at?: Date | string | null;
  filters: Record<string, unknown>;
  mode: 'instant' | 'daily' | 'weekly';
  status: string;
  status_reason?: string | null;
  consecutive_failures: number;
}

/** A digest schedule as stored on a subscription (the api and the CLI also store limit and sort). */
export interface StoredDigestSchedule {
  hour: number;
  minute?: number;
  timeZone: string;
  weekday?: number;
  limit?: number;
  sort?: 'recent' | 'trending';
}

export interface DigestSubscriptionRow extends SubscriptionRow {
  schedule: StoredDigestSchedule | null;
  created_at: Date;
}

const INSTANT_COLUMNS = `id, name, channel, target, secrets, previous_secret_expires_at, filters, mode, status, consecutive_failures`;

export function activeInstantSubscriptions(db: Db): Promise<SubscriptionRow[]> {
  return db.query(
    `SELECT ${INSTANT_COLUMNS} FROM subscriptions WHERE status = 'active' AND mode = 'instant' ORDER BY id`,
  );
}

/** The subscription if it is active and instant: only then has a backfill anything to do. */
export async function activeInstantSubscription(db: Db, id: string): Promise<SubscriptionRow | null> {
  const rows: SubscriptionRow[] = await db.query(
    `SELECT ${INSTANT_COLUMNS} FROM subscriptions WHERE id = $1 AND status = 'active' AND mode = 'instant'`,
    [id],
  );
  return rows[0] ?? null;
}

export async function digestSubscription(db: Db, id: string): Promise<DigestSubscriptionRow | null> {
  const rows: DigestSubscriptionRow[] = await db.query(`SELECT * FROM subscriptions WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

export function activeDigestSubscriptions(db: Db): Promise<DigestSubscriptionRow[]> {
  return db.query(
    `SELECT * FROM subscriptions WHERE status = 'active' AND mode IN ('daily', 'weekly') ORDER BY id`,
  );
}

/**
 * The catalogue ids of example papers named by uuid or arXiv id (any version); a ref that names no paper is
 * left out of the map. One query for the whole list.
 */
export async function resolvePaperRefs(db: Db, refs: string[]): Promise<Map<string, string>> {
  const byArxiv = new Map<string, string[]>();
  const uuids: string[] = [];
  for (const ref of refs) {
    if (isUuid(ref)) uuids.push(ref.toLowerCase());
    else {
      const arxiv = normaliseArxivId(ref);
      if (arxiv) byArxiv.set(arxiv, [...(byArxiv.get(arxiv) ?? []), ref]);
    }
  }
  const out = new Map<string, string>();
  if (uuids.length === 0 && byArxiv.size === 0) return out;
  const rows: { id: string; arxiv_id: string | null }[] = await db.query(
    `SELECT id, arxiv_id FROM papers WHERE id = ANY($1::uuid[]) OR arxiv_id = ANY($2::text[]) ORDER BY created_at`,
    [uuids, [...byArxiv.keys()]],
  );
  const wanted = new Set(uuids);
  for (const r of rows) {
    if (wanted.has(r.id)) out.set(r.id, r.id);
    // the oldest paper of an arXiv id, as findPaperId
    for (const ref of (r.arxiv_id && byArxiv.get(r.arxiv_id)) || []) if (!out.has(ref)) out.set(ref, r.id);
  }
  return out;
}

/** Title and abstract of example papers (the notifier computes their text vectors); missing ids are left out. */
export function examplePaperTexts(
  db: Db,
  ids: string[],
): Promise<{ id: string; title: string; abstract: string }[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.query(`SELECT id, title, abstract FROM papers WHERE id = ANY($1::uuid[])`, [ids]);
}
