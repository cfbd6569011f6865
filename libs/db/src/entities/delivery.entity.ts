import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
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
export class DeliveryEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'subscription_id', type: 'uuid' })
  subscriptionId: string;

  @ManyToOne(() => SubscriptionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'subscription_id' })
  subscription?: SubscriptionEntity;

  @Column({ name: 'paper_id', type: 'uuid', nullable: true })
  paperId: string | null;

  @Column({ name: 'digest_key', type: 'text', nullable: true })
  digestKey: string | null;

  /** papers of a digest, and why each matched */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  detail: Record<string, unknown>;

  @Column({ type: 'text', default: 'pending' })
  status: DeliveryStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  /** the deliver job holding the `sending` claim (compare-and-set before every send) */
  @Column({ name: 'claimed_by', type: 'text', nullable: true })
  claimedBy: string | null;

  @Column({ name: 'last_status_code', type: 'integer', nullable: true })
  lastStatusCode: number | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
