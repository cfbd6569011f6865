import { Entity, Index, JoinColumn, ManyToOne, Unique } from 'typeorm';
import { IntegerColumn, JsonbColumn, TextColumn, TimestampColumn, UuidColumn } from './columns';
import { UuidTimestampedEntity } from './timestamped';
import { SubscriptionEntity } from './subscription.entity';

export type DeliveryStatus = 'pending' | 'sending' | 'delivered' | 'failed' | 'skipped';

/**
 * One notification: unique per (subscription, paper) for instant mode and per (subscription, digest
 * period) for digests. Its id is the `webhook-id`, stable across retries.
 */
@Entity({ name: 'deliveries' })
@Unique('uq_deliveries_subscription_paper', ['subscriptionId', 'paperId'])
@Unique('uq_deliveries_subscription_digest', ['subscriptionId', 'digestKey'])
@Index('idx_deliveries_status', ['status', 'updatedAt'])
// partial, created by the deliveries-failed-index migration: the failed attempts, newest first per subscription
@Index('idx_deliveries_failed', { synchronize: false })
// the delivery log's order, newest first per subscription (created by the delivery-log migration)
@Index('idx_deliveries_log', { synchronize: false })
// partial, created by the deliveries-waiting-index migration: the deliveries still to send, by subscription (the held and
// waiting counts of /ops read it alone)
@Index('idx_deliveries_waiting', { synchronize: false })
// partial, created by the deliveries-pending-paper-index migration: the pending deliveries by paper (a paper's removal
// skips them), and the waiting paper deliveries by when last touched (the sweeper's stranded check)
@Index('idx_deliveries_pending_paper', { synchronize: false })
@Index('idx_deliveries_waiting_since', { synchronize: false })
export class DeliveryEntity extends UuidTimestampedEntity {
  @UuidColumn() subscriptionId: string;

  @ManyToOne(() => SubscriptionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'subscription_id' })
  subscription?: SubscriptionEntity;

  @UuidColumn({ nullable: true }) paperId: string | null;
  @TextColumn({ nullable: true }) digestKey: string | null;
  /** papers of a digest, and why each matched */
  @JsonbColumn({ default: () => "'{}'" }) detail: Record<string, unknown>;
  @TextColumn({ default: 'pending' }) status: DeliveryStatus;
  /** attempts of the current run (the retry policy's count; a redelivery starts a run from 0) */
  @IntegerColumn({ default: 0 }) attempts: number;
  /** attempts of the runs before the last redelivery, and how many redeliveries there were: the history */
  @IntegerColumn({ default: 0 }) earlierAttempts: number;
  @IntegerColumn({ default: 0 }) redeliveries: number;
  /** the deliver job holding the `sending` claim (compare-and-set before every send) */
  @TextColumn({ nullable: true }) claimedBy: string | null;
  @IntegerColumn({ nullable: true }) lastStatusCode: number | null;
  @TextColumn({ nullable: true }) lastError: string | null;
  @TimestampColumn({ nullable: true }) deliveredAt: Date | null;
  /** when a delivery waiting for a retry is tried again (its retry job's delay); null otherwise */
  @TimestampColumn({ nullable: true }) nextAttemptAt: Date | null;
}
