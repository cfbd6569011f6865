import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from '@paperwire/service-kit';
import type { SubscriptionRow } from './notifier.repository';
import type { StoredDigestSchedule } from './digest-run';

export interface DigestSubscriptionRow extends SubscriptionRow {
  schedule: StoredDigestSchedule | null;
  created_at: Date;
}

export interface KeyedDelivery {
  id: string;
  status: string;
  detail: Record<string, unknown>;
  created: boolean;
}

@Injectable()
export class DigestRepository {
  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {}

  async subscription(id: string): Promise<DigestSubscriptionRow | null> {
    const rows: DigestSubscriptionRow[] = await this.ds.query(`SELECT * FROM subscriptions WHERE id = $1`, [
      id,
    ]);
    return rows[0] ?? null;
  }

  digestSubscriptions(): Promise<DigestSubscriptionRow[]> {
    return this.ds.query(
      `SELECT * FROM subscriptions WHERE status = 'active' AND mode IN ('daily', 'weekly') ORDER BY id`,
    );
  }

  /** Ids of papers that finished the pipeline in [start, end), newest or most trending first. */
  async papersInWindow(
    start: Date,
    end: Date,
    sort: 'recent' | 'trending',
    limit: number,
  ): Promise<string[]> {
    const rows: { id: string }[] = await this.ds.query(
      `SELECT id FROM papers WHERE stage = 'notified' AND notified_at >= $1 AND notified_at < $2
        ORDER BY ${sort === 'trending' ? 'trending_score DESC,' : ''} coalesce(published_at, created_at) DESC, id LIMIT $3`,
      [start, end, limit],
    );
    return rows.map((r) => r.id);
  }

  /** Papers carried by the subscription's other digests created since `since` (sent or on their way). */
  async papersInOtherDigests(subscriptionId: string, exceptKey: string, since: Date): Promise<string[]> {
    const rows: { id: string }[] = await this.ds.query(
      `SELECT DISTINCT jsonb_array_elements_text(detail->'papers') AS id FROM deliveries
        WHERE subscription_id = $1 AND digest_key IS NOT NULL AND digest_key <> $2 AND created_at >= $3
          AND status IN ('pending', 'sending', 'delivered') AND jsonb_typeof(detail->'papers') = 'array'`,
      [subscriptionId, exceptKey, since],
    );
    return rows.map((r) => r.id);
  }

  /**
   * The delivery of a subscription for a natural key (digest period, 'confirm'): created once, with
   * what it will carry fixed at creation so every retry sends the same content.
   */
  async keyedDelivery(
    subscriptionId: string,
    key: string,
    detail: Record<string, unknown>,
    status: 'pending' | 'skipped' = 'pending',
  ): Promise<KeyedDelivery> {
    const inserted: { id: string; status: string; detail: Record<string, unknown> }[] = await this.ds.query(
      `INSERT INTO deliveries (subscription_id, digest_key, detail, status) VALUES ($1, $2, $3::jsonb, $4)
       ON CONFLICT (subscription_id, digest_key) DO NOTHING RETURNING id, status, detail`,
      [subscriptionId, key, JSON.stringify(detail), status],
    );
    if (inserted[0]) return { ...inserted[0], created: true };
    const rows: { id: string; status: string; detail: Record<string, unknown> }[] = await this.ds.query(
      `SELECT id, status, detail FROM deliveries WHERE subscription_id = $1 AND digest_key = $2`,
      [subscriptionId, key],
    );
    return { ...rows[0], created: false };
  }

  async markAttempt(id: string): Promise<void> {
    await this.ds.query(
      `UPDATE deliveries SET status = 'sending', attempts = attempts + 1, updated_at = now() WHERE id = $1`,
      [id],
    );
  }

  async markDone(id: string, subscriptionId: string, lastDigestAt: Date | null): Promise<void> {
    await this.ds.transaction(async (em) => {
      await em.query(
        `UPDATE deliveries SET status = 'delivered', delivered_at = now(), last_error = NULL, updated_at = now() WHERE id = $1`,
        [id],
      );
      await em.query(
        `UPDATE subscriptions SET consecutive_failures = 0, last_digest_at = coalesce($2, last_digest_at), updated_at = now() WHERE id = $1`,
        [subscriptionId, lastDigestAt],
      );
    });
  }

  async markError(id: string, error: string, final: boolean): Promise<void> {
    await this.ds.query(
      `UPDATE deliveries SET status = $2, last_error = $3, updated_at = now() WHERE id = $1`,
      [id, final ? 'failed' : 'pending', error.slice(0, 2000)],
    );
  }

  async topicNames(): Promise<Record<string, string>> {
    const rows: { slug: string; name: string }[] = await this.ds.query(`SELECT slug, name FROM topics`);
    return Object.fromEntries(rows.map((r) => [r.slug, r.name]));
  }
}
