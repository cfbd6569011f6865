import { Inject, Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import type { NotifierEnv } from '@paperwire/config';
import { safeFetch } from '@paperwire/http';
import { formatClaim } from '@paperwire/metrics';
import {
  buildPaperWebhookPayload,
  classifyWebhookResponse,
  isRefusedTarget,
  parseRetryAfterMs,
  signWebhook,
} from '@paperwire/notifications';
import { CONFIG, LOGGER, Metrics } from '@paperwire/service-kit';
import type { Logger } from '@paperwire/telemetry';
import { NotifierRepository, type DeliveryRow, type SubscriptionRow } from './notifier.repository';
import { DigestService } from './digest.service';
import { RetryLaterError } from './webhook-backoff';
import { deliveryLeaseMs } from './notifier-config';

const headerValue = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export type DeliveryOutcome = 'delivered' | 'already-delivered' | 'skipped';

@Injectable()
export class DeliveryService {
  constructor(
    private readonly repo: NotifierRepository,
    private readonly email: DigestService,
    @Inject(CONFIG) private readonly config: NotifierEnv,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly metrics: Metrics,
  ) {}

  /**
   * Sends one delivery. The delivery id is the `webhook-id`, so every retry of this delivery carries
   * the same id and receivers can drop duplicates.
   */
  async handleDeliver(deliveryId: string, attempt: number, maxAttempts: number): Promise<DeliveryOutcome> {
    const found = await this.repo.loadDelivery(deliveryId);
    if (!found) throw new UnrecoverableError(`delivery ${deliveryId} does not exist`);
    const { delivery, subscription, paper } = found;
    if (delivery.status === 'delivered') return 'already-delivered';
    if (delivery.status === 'failed' || delivery.status === 'skipped') return 'skipped';
    if (subscription.status === 'disabled') {
      // Unsubscribed or gone (410): this message will never be sent; say so instead of leaving it pending.
      await this.repo.markSkipped(
        deliveryId,
        `subscription disabled: ${subscription.status_reason ?? 'no reason given'}`,
      );
      return 'skipped';
    }
    if (subscription.status !== 'active') return 'skipped';
    if (subscription.channel === 'email')
      return this.deliverEmail(delivery, subscription, attempt, maxAttempts);

    if (!paper) throw new UnrecoverableError(`paper of delivery ${deliveryId} is gone`);
    const body = JSON.stringify(
      buildPaperWebhookPayload({
        subscription: { id: subscription.id, name: subscription.name },
        paper: {
          ...paper,
          headlineClaim: paper.headline ? { ...paper.headline, summary: formatClaim(paper.headline) } : null,
        },
        reasons: delivery.detail.reasons ?? [],
        timestamp: delivery.created_at,
        appUrl: this.config.PUBLIC_URL,
      }),
    );
    await this.claim(deliveryId);
    const headers = signWebhook({
      id: deliveryId,
      timestamp: new Date(),
      body,
      secrets: subscription.secrets,
    });

    let status: number | null = null;
    let retryAfterMs: number | null = null;
    let error = '';
    let failure: unknown;
    try {
      const res = await safeFetch(subscription.target, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
        allowPrivate: this.config.WEBHOOK_ALLOW_PRIVATE,
        timeoutMs: this.config.WEBHOOK_TIMEOUT_MS,
        connectTimeoutMs: Math.min(this.config.WEBHOOK_TIMEOUT_MS, 5_000),
        maxBytes: 64 * 1024,
        // Redirects stay off: a webhook answers where it was registered, on a connection reused
        // only for the address the guard checked for this very request.
        maxRedirects: 0,
        keepAlive: true,
      });
      status = res.status;
      if (res.status < 200 || res.status >= 300) error = `HTTP ${res.status}`;
      if (res.status === 429 || res.status === 503)
        retryAfterMs = parseRetryAfterMs(headerValue(res.headers['retry-after']));
    } catch (err) {
      failure = err;
      // A refused target is recorded as such: it is the reason the delivery failed for good.
      error = isRefusedTarget(err) ? `refused: ${(err as Error).message}` : (err as Error).message;
    }

    const verdict = classifyWebhookResponse(status, failure);
    this.metrics.deliveries.inc({ channel: 'webhook', outcome: verdict });
    if (verdict === 'delivered') {
      await this.repo.markDelivered(deliveryId, subscription.id, status);
      return 'delivered';
    }
    const final = verdict === 'gone' || verdict === 'fatal' || attempt >= maxAttempts;
    const subStatus = await this.repo.recordFailure(deliveryId, subscription.id, {
      status,
      error,
      final,
      gone: verdict === 'gone',
      maxFailures: this.config.WEBHOOK_MAX_FAILURES,
    });
    this.log.warn(
      { deliveryId, subscriptionId: subscription.id, status, error, verdict, subscriptionStatus: subStatus },
      'webhook attempt failed',
    );
    if (final) throw new UnrecoverableError(`webhook ${verdict}: ${error}`);
    if (retryAfterMs !== null)
      throw new RetryLaterError(
        `webhook attempt failed: ${error}; retry after ${retryAfterMs} ms`,
        retryAfterMs,
      );
    throw new Error(`webhook attempt failed: ${error}`);
  }

  /** Takes the delivery for this attempt; one another job is sending now is retried later, not sent twice. */
  private async claim(deliveryId: string): Promise<void> {
    const leaseMs = deliveryLeaseMs(this.config);
    if (!(await this.repo.markSending(deliveryId, leaseMs)))
      throw new RetryLaterError(`delivery ${deliveryId} is in flight in another job`, leaseMs);
  }

  private async deliverEmail(
    delivery: DeliveryRow,
    sub: SubscriptionRow,
    attempt: number,
    maxAttempts: number,
  ): Promise<DeliveryOutcome> {
    if (!delivery.paper_id) throw new UnrecoverableError(`delivery ${delivery.id} has no paper`);
    await this.claim(delivery.id);
    try {
      await this.email.sendInstantEmail(sub, delivery.id, delivery.paper_id, delivery.detail.reasons ?? []);
    } catch (err) {
      const final = err instanceof UnrecoverableError || attempt >= maxAttempts;
      this.metrics.deliveries.inc({ channel: 'email', outcome: final ? 'fatal' : 'retry' });
      await this.repo.recordFailure(delivery.id, sub.id, {
        status: null,
        error: (err as Error).message,
        final,
        gone: false,
        maxFailures: this.config.WEBHOOK_MAX_FAILURES,
      });
      throw err;
    }
    await this.repo.markDelivered(delivery.id, sub.id, null);
    this.metrics.deliveries.inc({ channel: 'email', outcome: 'delivered' });
    return 'delivered';
  }
}
