import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type SubscriptionChannel = 'webhook' | 'email';
export type SubscriptionMode = 'instant' | 'daily' | 'weekly';
export type SubscriptionStatus = 'active' | 'paused' | 'disabled' | 'pending_confirmation';

@Entity({ name: 'subscriptions' })
@Index('idx_subscriptions_status', ['status', 'mode'])
export class SubscriptionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** the API key that created it (null for operator-created subscriptions) */
  @Column({ name: 'owner_key_id', type: 'uuid', nullable: true })
  ownerKeyId: string | null;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  channel: SubscriptionChannel;

  /** webhook URL or email address */
  @Column({ type: 'text' })
  target: string;

  /** webhook signing secrets (whsec_…), newest first; several during a rotation */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  secrets: string[];

  /** a SubscriptionFilter (libs/notifications) */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  filters: Record<string, unknown>;

  @Column({ type: 'text', default: 'instant' })
  mode: SubscriptionMode;

  /** digest schedule: { hour, minute, timeZone, weekday, limit } */
  @Column({ type: 'jsonb', nullable: true })
  schedule: Record<string, unknown> | null;

  @Column({ type: 'text', default: 'active' })
  status: SubscriptionStatus;

  @Column({ name: 'status_reason', type: 'text', nullable: true })
  statusReason: string | null;

  /**
   * When the subscription last became paused (null unless paused): resuming backfills the papers
   * notified since. Kept by a trigger on every status change, whoever writes it (API, CLI, notifier).
   */
  @Column({ name: 'paused_at', type: 'timestamptz', nullable: true })
  pausedAt: Date | null;

  @Column({ name: 'consecutive_failures', type: 'integer', default: 0 })
  consecutiveFailures: number;

  @Column({ name: 'confirmed_at', type: 'timestamptz', nullable: true })
  confirmedAt: Date | null;

  @Column({ name: 'last_digest_at', type: 'timestamptz', nullable: true })
  lastDigestAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
