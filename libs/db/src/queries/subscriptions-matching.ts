import type { DataSource, EntityManager } from 'typeorm';
import { parsePaperId, type PaperIdRef } from '@paperwire/contracts';

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
 * The catalogue ids of example papers named in any form parsePaperId reads (uuid, arXiv id in any version or
 * pasted form, DOI or paper key): the same reading and the same lookups as paperByRef (paperByRefSql), one query for the
 * whole list. A ref that names no paper is left out of the map.
 */
export async function resolvePaperRefs(db: Db, refs: string[]): Promise<Map<string, string>> {
  // per kind of id, the refs that name each looked-up value
  const wanted: Record<PaperIdRef['kind'], Map<string, string[]>> = {
    uuid: new Map(),
    arxiv: new Map(),
    key: new Map(),
  };
  for (const ref of refs) {
    const parsed = parsePaperId(ref);
    if (!parsed) continue;
    const byValue = wanted[parsed.kind];
    byValue.set(parsed.value, [...(byValue.get(parsed.value) ?? []), ref]);
  }
  const out = new Map<string, string>();
  if (wanted.uuid.size + wanted.arxiv.size + wanted.key.size === 0) return out;
  // a DOI also names the paper that carries it under another key (an arXiv paper's journal DOI)
  const dois = [...wanted.key.keys()].filter((k) => k.startsWith('doi:')).map((k) => k.slice('doi:'.length));
  const rows: { id: string; arxiv_id: string | null; paper_key: string; doi_key: string | null }[] = await db.query(
    `SELECT id, arxiv_id, paper_key, 'doi:' || lower(doi) AS doi_key FROM papers
      WHERE id = ANY($1::uuid[]) OR arxiv_id = ANY($2::text[]) OR paper_key = ANY($3::text[])
         OR lower(doi) = ANY($4::text[])
      ORDER BY created_at`,
    [[...wanted.uuid.keys()], [...wanted.arxiv.keys()], [...wanted.key.keys()], dois],
  );
  // a ref's own key first (a paper keyed by the DOI wins over one that only carries it), then oldest first
  rows.sort((a, b) => Number(!wanted.key.has(a.paper_key)) - Number(!wanted.key.has(b.paper_key)));
  for (const r of rows) {
    const named = [
      ...(wanted.uuid.get(r.id) ?? []),
      ...((r.arxiv_id && wanted.arxiv.get(r.arxiv_id)) || []),
      ...(wanted.key.get(r.paper_key) ?? []),
      ...((r.doi_key && r.doi_key !== r.paper_key && wanted.key.get(r.doi_key)) || []),
    ];
    // rows oldest first: an arXiv id names its oldest paper, as in paperByRef
    for (const ref of named) if (!out.has(ref)) out.set(ref, r.id);
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
