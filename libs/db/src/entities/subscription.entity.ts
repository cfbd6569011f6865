import { Entity, Index } from 'typeorm';
import { IntegerColumn, JsonbColumn, TextColumn, TimestampColumn, UuidColumn } from './columns';
import { UuidTimestampedEntity } from './timestamped';

export type SubscriptionChannel = 'webhook' | 'email';
export type SubscriptionMode = 'instant' | 'daily' | 'weekly';
export type SubscriptionStatus = 'active' | 'paused' | 'disabled' | 'pending_confirmation';

@Entity({ name: 'subscriptions' })
@Index('idx_subscriptions_status', ['status', 'mode'])
// a key's subscriptions in their list order (keyset pages of GET /v1/subscriptions, the per-key limit's count)
@Index('idx_subscriptions_owner', ['ownerKeyId', 'createdAt', 'id'])
// every subscription in that order, and by status (GET /v1/admin/subscriptions)
@Index('idx_subscriptions_created', ['createdAt', 'id'])
@Index('idx_subscriptions_status_created', ['status', 'createdAt', 'id'])
// partial, created by the subscription-indexes-topic-counts migration: by reason (status_reason IS NOT NULL), and the
// failing endpoints (consecutive_failures > 0) in failingEndpointRows' order
@Index('idx_subscriptions_reason', { synchronize: false })
@Index('idx_subscriptions_failing', { synchronize: false })
// partial (previous_secret_expires_at IS NOT NULL): the subscriptions in a secret rotation, for the sweeper
@Index('idx_subscriptions_secret_expiry', { synchronize: false })
// partial (email, not paused), created by the subscriptions-email-sending-index migration: the mail-waiting count
@Index('idx_subscriptions_email_sending', { synchronize: false })
export class SubscriptionEntity extends UuidTimestampedEntity {
  /** the API key that created it (null for operator-created subscriptions) */
  @UuidColumn({ nullable: true }) ownerKeyId: string | null;
  @TextColumn() name: string;
  @TextColumn() channel: SubscriptionChannel;
  /** webhook URL or email address */
  @TextColumn() target: string;
  /** webhook signing secrets (whsec_…), newest first; several during a rotation */
  @JsonbColumn({ default: () => "'[]'" }) secrets: string[];
  /**
   * When the previous secret (secrets[1], kept by a rotation) stops signing; null: it signs until retired, or
   * there is none.
   */
  @TimestampColumn({ nullable: true }) previousSecretExpiresAt: Date | null;
  /** a SubscriptionFilter (libs/notifications) */
  @JsonbColumn({ default: () => "'{}'" }) filters: Record<string, unknown>;
  @TextColumn({ default: 'instant' }) mode: SubscriptionMode;
  /** digest schedule: { hour, minute, timeZone, weekday, limit } */
  @JsonbColumn({ nullable: true }) schedule: Record<string, unknown> | null;
  @TextColumn({ default: 'active' }) status: SubscriptionStatus;
  @TextColumn({ nullable: true }) statusReason: string | null;
  /**
   * When the subscription last became paused (null unless paused): resuming backfills the papers
   * notified since. Kept by a trigger on every status change, whoever writes it (API, CLI, notifier).
   */
  @TimestampColumn({ nullable: true }) pausedAt: Date | null;
  /** when it was disabled (a 410, an unsubscribe…): re-enabling one disabled by a 410 backfills from here */
  @TimestampColumn({ nullable: true }) disabledAt: Date | null;
  /** failed attempts since the last delivered message (/ops lists the endpoint from the first) */
  @IntegerColumn({ default: 0 }) consecutiveFailures: number;
  /** messages that failed for good since the last delivered one: what pauses a webhook endpoint */
  @IntegerColumn({ default: 0 }) failedMessages: number;
  @TimestampColumn({ nullable: true }) confirmedAt: Date | null;
  @TimestampColumn({ nullable: true }) lastDigestAt: Date | null;
}
