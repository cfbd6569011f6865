import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { Claim, PaperRef, TopicScore } from '@paperwire/contracts';
import { advanceStage, loadStageWork, returnedRows, type StageWork } from '@paperwire/db';
import type { MatchablePaper } from '@paperwire/notifications';
import { DATA_SOURCE } from '@paperwire/service-kit';

export interface SubscriptionRow {
  id: string;
  name: string;
  channel: 'webhook' | 'email';
  target: string;
  secrets: string[];
  filters: Record<string, unknown>;
  mode: 'instant' | 'daily' | 'weekly';
  status: string;
  status_reason?: string | null;
  consecutive_failures: number;
}

export interface DeliveryRow {
  id: string;
  subscription_id: string;
  paper_id: string | null;
  digest_key: string | null;
  detail: { reasons?: string[] };
  status: string;
  attempts: number;
  created_at: Date;
}

// The columns of a paper and of its topics, claims and sources, shared by the batch queries (flat
// rows, cheapest for Postgres on many papers) and the one-delivery query (the same rows as JSON).
const PAPER_COLUMNS = `id, arxiv_id, title, abstract, authors, links, primary_topic, contribution, published_at`;
const TOPIC_COLUMNS = `paper_id, topic_slug, score, evidence`;
const CLAIM_COLUMNS = `paper_id, start, "end", text, value, low, unit, unit_text AS "unitText", category, kind, metric,
  improvement, baseline, compared_to AS "comparedTo", dataset, qualifier, is_headline`;
const SOURCE_COLUMNS = `ps.paper_id, s.name, s.kind`;
const SOURCES_FROM = `paper_sources ps JOIN sources s ON s.id = ps.source_id`;

interface PaperRow {
  id: string;
  arxiv_id: string | null;
  title: string;
  abstract: string;
  authors: { name: string }[];
  links: MatchablePaper['links'] & object;
  primary_topic: string | null;
  contribution: string | null;
  /** a Date from a row, an ISO string from JSON */
  published_at: Date | string | null;
}
type TopicRow = { paper_id: string; topic_slug: string; score: number; evidence: string[] };
type ClaimRow = Claim & { paper_id: string; is_headline: boolean };
type SourceRow = { paper_id: string; name: string; kind: string };

/** The rows of one paper, as `loadDelivery` returns them in one JSON value. */
interface PaperRows {
  paper: PaperRow;
  topics: TopicRow[] | null;
  claims: ClaimRow[] | null;
  sources: SourceRow[] | null;
}

export type LoadedPaper = MatchablePaper & { headline: Claim | null };

function assemblePapers(
  papers: PaperRow[],
  topics: TopicRow[],
  claims: ClaimRow[],
  sources: SourceRow[],
): LoadedPaper[] {
  const group = <T extends { paper_id: string }>(rows: T[]) => {
    const m = new Map<string, T[]>();
    for (const r of rows) m.set(r.paper_id, [...(m.get(r.paper_id) ?? []), r]);
    return m;
  };
  const t = group(topics);
  const c = group(claims);
  const s = group(sources);
  return papers.map((p) => {
    const paperClaims = (c.get(p.id) ?? []).map(
      ({ paper_id: _p, is_headline: _h, ...claim }) => claim as Claim,
    );
    const headlineRow = (c.get(p.id) ?? []).find((r) => r.is_headline);
    return {
      id: p.id,
      arxivId: p.arxiv_id,
      title: p.title,
      abstract: p.abstract,
      authors: p.authors,
      links: p.links,
      primaryTopic: p.primary_topic,
      contribution: p.contribution,
      publishedAt: p.published_at ? new Date(p.published_at).toISOString() : null,
      topics: (t.get(p.id) ?? []).map((r): TopicScore => ({
        slug: r.topic_slug,
        score: r.score,
        evidence: r.evidence,
      })),
      claims: paperClaims,
      sources: [...new Set((s.get(p.id) ?? []).flatMap((r) => [r.name, r.kind]))],
      codeLinks: p.links?.code ?? [],
      headline: headlineRow
        ? (paperClaims.find((x) => x.start === headlineRow.start && x.end === headlineRow.end) ?? null)
        : null,
    };
  });
}

/** A delivery with its subscription and, when it is a webhook ready to be sent, its paper. */
export interface LoadedDelivery {
  delivery: DeliveryRow;
  subscription: SubscriptionRow;
  paper: LoadedPaper | null;
}

@Injectable()
export class NotifierRepository {
  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {}

  loadWork(refs: PaperRef[]): Promise<StageWork> {
    return loadStageWork(this.ds, refs, 'notified');
  }

  activeInstantSubscriptions(): Promise<SubscriptionRow[]> {
    return this.ds.query(
      `SELECT id, name, channel, target, secrets, filters, mode, status, consecutive_failures
         FROM subscriptions WHERE status = 'active' AND mode = 'instant' ORDER BY id`,
    );
  }

  /** The subscription if it is active and instant: only then has a backfill anything to do. */
  async activeInstantSubscription(id: string): Promise<SubscriptionRow | null> {
    const rows: SubscriptionRow[] = await this.ds.query(
      `SELECT id, name, channel, target, secrets, filters, mode, status, consecutive_failures
         FROM subscriptions WHERE id = $1 AND status = 'active' AND mode = 'instant'`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** The subscription's deliveries created before `before` still waiting to be sent (pending or interrupted mid-send), oldest first. */
  async pendingDeliveriesOf(subscriptionId: string, before: Date, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.ds.query(
      `SELECT id FROM deliveries WHERE subscription_id = $1 AND paper_id IS NOT NULL AND status IN ('pending', 'sending')
          AND created_at < $2
        ORDER BY created_at, id LIMIT $3`,
      [subscriptionId, before, limit],
    );
    return rows.map((r) => r.id);
  }

  /**
   * The papers that reached `notified` since `since`, oldest first, at most `limit`. No index covers
   * notified_at (stage updates stay HOT, see the PapersHotUpdates migration): this scan only runs
   * when a subscription is resumed.
   */
  async notifiedSince(since: Date, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.ds.query(
      `SELECT id FROM papers WHERE stage = 'notified' AND notified_at >= $1 ORDER BY notified_at, id LIMIT $2`,
      [since, limit],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Everything a filter or a payload needs about the papers, in four queries for the whole batch:
   * on batches of a hundred papers, flat rows cost Postgres far less than nesting them as JSON.
   */
  async matchablePapers(ids: string[]): Promise<LoadedPaper[]> {
    if (ids.length === 0) return [];
    const [papers, topics, claims, sources] = await Promise.all([
      this.ds.query(`SELECT ${PAPER_COLUMNS} FROM papers WHERE id = ANY($1::uuid[])`, [ids]) as Promise<
        PaperRow[]
      >,
      this.ds.query(
        `SELECT ${TOPIC_COLUMNS} FROM paper_topics WHERE paper_id = ANY($1::uuid[]) ORDER BY score DESC`,
        [ids],
      ) as Promise<TopicRow[]>,
      this.ds.query(
        `SELECT ${CLAIM_COLUMNS} FROM paper_claims WHERE paper_id = ANY($1::uuid[]) ORDER BY start`,
        [ids],
      ) as Promise<ClaimRow[]>,
      this.ds.query(`SELECT ${SOURCE_COLUMNS} FROM ${SOURCES_FROM} WHERE ps.paper_id = ANY($1::uuid[])`, [
        ids,
      ]) as Promise<SourceRow[]>,
    ]);
    return assemblePapers(papers, topics, claims, sources);
  }

  /**
   * Records the deliveries (one per subscription and paper, whatever the number of runs) and moves
   * the papers to `notified`, in one transaction. Returns the ids of every delivery of `paperIds`
   * still to send (new ones and any left pending by an earlier run, e.g. a crash before the enqueue),
   * to be enqueued once this commits. Pending deliveries of disabled subscriptions (unsubscribed,
   * 410) will never be sent: they are marked skipped in the same statement, which sees every
   * subscription in one snapshot, so each one is either active (its deliveries are returned) or
   * disabled (they are skipped); the deliver job re-checks the subscription anyway.
   */
  async recordMatches(
    matches: { subscriptionId: string; paperId: string; reasons: string[] }[],
    refs: PaperRef[],
    paperIds: string[],
  ): Promise<{ moved: PaperRef[]; pending: string[] }> {
    return this.ds.transaction(async (em) => {
      const pending: { id: string }[] = await em.query(
        `WITH inserted AS (
           INSERT INTO deliveries (subscription_id, paper_id, detail)
           SELECT x.subscription_id, x.paper_id, jsonb_build_object('reasons', x.reasons)
             FROM jsonb_to_recordset($1::jsonb) AS x(subscription_id uuid, paper_id uuid, reasons jsonb)
             -- The subscription cache is a few seconds old: one paused or disabled since gets nothing.
             JOIN subscriptions s ON s.id = x.subscription_id AND s.status = 'active'
           ON CONFLICT (subscription_id, paper_id) DO NOTHING
           RETURNING id
         ), skipped AS (
           UPDATE deliveries d SET status = 'skipped', last_error = 'subscription disabled: ' || coalesce(s.status_reason, 'no reason given'), updated_at = now()
             FROM subscriptions s
            WHERE s.id = d.subscription_id AND s.status = 'disabled' AND d.paper_id = ANY($2::uuid[]) AND d.status = 'pending'
         )
         -- Sibling statements see the snapshot from before the insert: new rows come from RETURNING.
         SELECT id FROM inserted
         UNION
         SELECT d.id FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id
          WHERE d.paper_id = ANY($2::uuid[]) AND d.status IN ('pending', 'sending') AND s.status = 'active'
         ORDER BY id`,
        [
          JSON.stringify(
            matches.map((m) => ({
              subscription_id: m.subscriptionId,
              paper_id: m.paperId,
              reasons: m.reasons,
            })),
          ),
          paperIds,
        ],
      );
      const moved = await advanceStage(em, 'notified', refs);
      return { moved, pending: pending.map((r) => r.id) };
    });
  }

  /**
   * Records a backfill's deliveries for one subscription: unique per subscription and paper, so a
   * paper already matched live, or by an earlier run of the same backfill, gets nothing new. Returns
   * the ids of every delivery of this subscription for `paperIds` still to send (new ones and any
   * left pending by an earlier run that crashed before its enqueue), none if it is no longer active.
   */
  async recordBackfill(
    subscriptionId: string,
    matches: { paperId: string; reasons: string[] }[],
    paperIds: string[],
  ): Promise<string[]> {
    const rows: { id: string }[] = await this.ds.query(
      `WITH inserted AS (
         INSERT INTO deliveries (subscription_id, paper_id, detail)
         SELECT s.id, x.paper_id, jsonb_build_object('reasons', x.reasons)
           FROM jsonb_to_recordset($2::jsonb) AS x(paper_id uuid, reasons jsonb)
           JOIN subscriptions s ON s.id = $1 AND s.status = 'active'
         ON CONFLICT (subscription_id, paper_id) DO NOTHING
         RETURNING id
       )
       -- Sibling statements see the snapshot from before the insert: new rows come from RETURNING.
       SELECT id FROM inserted
       UNION
       SELECT d.id FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id
        WHERE d.subscription_id = $1 AND d.paper_id = ANY($3::uuid[]) AND d.status IN ('pending', 'sending')
          AND s.status = 'active'
       ORDER BY id`,
      [
        subscriptionId,
        JSON.stringify(matches.map((m) => ({ paper_id: m.paperId, reasons: m.reasons }))),
        paperIds,
      ],
    );
    return rows.map((r) => r.id);
  }

  /**
   * The delivery with its subscription and, only when it is a webhook that may be sent now, its
   * paper (the rows `matchablePapers` reads, as JSON): one statement for everything the payload needs.
   */
  async loadDelivery(id: string): Promise<LoadedDelivery | null> {
    const rows: (DeliveryRow & { s: SubscriptionRow; paper: PaperRows | null })[] = await this.ds.query(
      `SELECT d.id, d.subscription_id, d.paper_id, d.digest_key, d.detail, d.status, d.attempts, d.created_at,
              to_jsonb(s.*) AS s,
              CASE WHEN s.channel = 'webhook' AND s.status = 'active' AND d.status IN ('pending', 'sending') THEN (
                SELECT json_build_object(
                  'paper', row_to_json(p),
                  'topics', (SELECT json_agg(t) FROM (SELECT ${TOPIC_COLUMNS} FROM paper_topics
                                WHERE paper_id = p.id ORDER BY score DESC) t),
                  'claims', (SELECT json_agg(c) FROM (SELECT ${CLAIM_COLUMNS} FROM paper_claims
                                WHERE paper_id = p.id ORDER BY start) c),
                  'sources', (SELECT json_agg(x) FROM (SELECT ${SOURCE_COLUMNS} FROM ${SOURCES_FROM}
                                WHERE ps.paper_id = p.id) x))
                  FROM (SELECT ${PAPER_COLUMNS} FROM papers WHERE id = d.paper_id) p)
              END AS paper
         FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id WHERE d.id = $1`,
      [id],
    );
    const row = rows[0];
    if (!row) return null;
    const { s, paper: p, ...delivery } = row;
    const paper = p ? assemblePapers([p.paper], p.topics ?? [], p.claims ?? [], p.sources ?? [])[0] : null;
    return { delivery, subscription: s, paper };
  }

  async markSkipped(id: string, reason: string): Promise<void> {
    await this.ds.query(
      `UPDATE deliveries SET status = 'skipped', last_error = $2, updated_at = now() WHERE id = $1 AND status IN ('pending', 'sending')`,
      [id, reason.slice(0, 2000)],
    );
  }

  /**
   * sending: this attempt owns the delivery (a crash here means a retry with the same webhook-id). A
   * compare-and-set: it takes a pending delivery, or one whose attempt began more than `leaseMs` ago
   * (its process died mid-send); a delivery another job is sending now stays with that job, so two
   * jobs naming one delivery never both send it. False when it is not this attempt's to send.
   */
  async markSending(id: string, leaseMs: number): Promise<boolean> {
    const res: unknown = await this.ds.query(
      `UPDATE deliveries SET status = 'sending', attempts = attempts + 1, updated_at = now()
        WHERE id = $1 AND (status = 'pending' OR (status = 'sending' AND updated_at < now() - make_interval(secs => $2::float8 / 1000)))
        RETURNING id`,
      [id, leaseMs],
    );
    return returnedRows(res).length > 0;
  }

  /** One statement updates both rows, so it is as atomic as a transaction without its round trips. */
  async markDelivered(id: string, subscriptionId: string, status: number | null): Promise<void> {
    await this.ds.query(
      `WITH delivered AS (
         UPDATE deliveries SET status = 'delivered', delivered_at = now(), last_status_code = $2, last_error = NULL, updated_at = now()
          WHERE id = $1
       )
       UPDATE subscriptions SET consecutive_failures = 0 WHERE id = $3 AND consecutive_failures <> 0`,
      [id, status, subscriptionId],
    );
  }

  /**
   * Records a failed attempt; pauses the subscription after `maxFailures` consecutive failures and
   * disables it on 410 Gone. Returns the subscription's status afterwards. One statement, so atomic.
   * The pause sets paused_at (the subscriptions_paused_at trigger), so resuming backfills what the
   * subscriber missed while their endpoint was down.
   */
  async recordFailure(
    id: string,
    subscriptionId: string,
    opts: { status: number | null; error: string; final: boolean; gone: boolean; maxFailures: number },
  ): Promise<string> {
    const res: unknown = await this.ds.query(
      `WITH failed AS (
         UPDATE deliveries SET status = $6, last_status_code = $7, last_error = $8, updated_at = now() WHERE id = $5
       )
       UPDATE subscriptions SET consecutive_failures = consecutive_failures + 1,
              status = CASE WHEN $2 THEN 'disabled'
                            WHEN consecutive_failures + 1 >= $3 AND status = 'active' THEN 'paused' ELSE status END,
              status_reason = CASE WHEN $2 THEN 'endpoint answered 410 Gone'
                            WHEN consecutive_failures + 1 >= $3 AND status = 'active' THEN $4 ELSE status_reason END,
              updated_at = now()
        WHERE id = $1 RETURNING status`,
      [
        subscriptionId,
        opts.gone,
        opts.maxFailures,
        `paused after ${opts.maxFailures} consecutive failures; last: ${opts.error.slice(0, 500)}`,
        id,
        opts.final ? 'failed' : 'pending',
        opts.status,
        opts.error.slice(0, 2000),
      ],
    );
    return returnedRows<{ status: string }>(res)[0]?.status ?? 'unknown';
  }
}
