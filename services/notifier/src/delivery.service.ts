import { Inject, Injectable } from '@nestjs/common';
import { UnrecoverableError, type Job } from 'bullmq';
import { clearFailuresOfDelivered, indexDeliverFailure } from '@paperwire/actions';
import { formatClaim } from '@paperwire/metrics';
import {
  WEBHOOK_BACKOFF_BASE_MS,
  WEBHOOK_MAX_ATTEMPTS,
  buildPaperWebhookPayload,
  signingSecrets,
  type WebhookVerdict,
} from '@paperwire/notifications';
import type { QueueSet } from '@paperwire/queue';
import { CONFIG, LOGGER, Metrics, QUEUE_SET, isLastAttempt } from '@paperwire/service-kit';
import type { Logger } from '@paperwire/telemetry';
import { deliverJobOptions, pauseAfterFailedMessages, type NotifierConfig } from './notifier-config';
import { NotifierRepository, type AttemptOutcome, type LoadedDelivery } from './notifier.repository';
import { DigestService } from './digest.service';
import { EndpointFailureLog } from './endpoint-failure-log';
import { RetryLaterError, webhookRetryDelayMs } from './webhook-backoff';
import { sendSignedWebhook } from './webhook-sender';

/** Deliveries of one deliver job at most (one endpoint or mailbox each). */
export const DELIVERY_BATCH_MAX = 50;
/** Webhook requests of one batch in flight at once: an endpoint sees a few at a time, never the whole batch. */
const SENDS_IN_FLIGHT = 4;

export type DeliveryOutcome = 'delivered' | 'already-delivered' | 'skipped';

/** What a deliver job did with its deliveries. */
export interface BatchResult {
  delivered: number;
  /** failed attempts to be retried by their own `deliver-<id>` job */
  retrying: number;
  failed: number;
  skipped: number;
  alreadyDelivered: number;
  /** claimed by another live job (or a dead one whose claim has not yet expired) */
  elsewhere: number;
}

/** The deliver job a batch runs in: its id is the claim's owner. */
export type DeliverJob = Pick<Job, 'id' | 'attemptsMade' | 'opts'>;

const emptyResult = (): BatchResult => ({
  delivered: 0,
  retrying: 0,
  failed: 0,
  skipped: 0,
  alreadyDelivered: 0,
  elsewhere: 0,
});

/** How many attempts a delivery gets, and whether this job's run is its last. */
interface AttemptLimits {
  maxAttempts: number;
  lastAttempt: boolean;
}

interface Attempt {
  outcome: AttemptOutcome;
  retryAfterMs: number | null;
}

/** An attempt as recorded: a failure to retry carries the delay of its retry job (drawn once, recorded and used). */
interface RecordedAttempt extends Attempt {
  delayMs: number;
}

/** Runs `fn` over `items`, at most `limit` at a time, until `stop()` says no more should start. */
async function eachLimited<T>(
  items: T[],
  limit: number,
  stop: () => boolean,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length && !stop()) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

@Injectable()
export class DeliveryService {
  constructor(
    private readonly repo: NotifierRepository,
    private readonly email: DigestService,
    @Inject(QUEUE_SET) private readonly queues: QueueSet,
    @Inject(CONFIG) private readonly config: NotifierConfig,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly metrics: Metrics,
  ) {}

  /** Rate-limits the warning about an endpoint's failed attempts (replaceable in tests, for their clock). */
  failureLog = new EndpointFailureLog();

  /**
   * How long a claim protects a delivery from other jobs: longer than a batch can take to send (its
   * waves of requests, each bounded by the webhook timeout), with a margin for the database.
   */
  get claimLeaseSeconds(): number {
    const waves = Math.ceil(DELIVERY_BATCH_MAX / SENDS_IN_FLIGHT);
    return Math.ceil((waves * this.config.WEBHOOK_TIMEOUT_MS) / 1000) + 60;
  }

  /**
   * Sends one delivery (`deliver-<id>` jobs: retries, the sweeper, a resume) or a batch of one
   * subscription's deliveries (live matching). Each delivery is claimed with a compare-and-set before
   * it is sent, so no two jobs ever send it at once; its id is the `webhook-id`, so every retry
   * carries the same id and receivers can drop duplicates.
   */
  async handleDeliver(deliveryIds: string[], job: DeliverJob): Promise<DeliveryOutcome | BatchResult> {
    try {
      return await this.deliverAll(deliveryIds, job);
    } catch (err) {
      if (err instanceof UnrecoverableError || isLastAttempt(job)) await this.indexFailure(deliveryIds, job);
      throw err;
    }
  }

  /**
   * The job is about to fail for good (a final failure, or its last attempt's): its id goes in its deliveries'
   * indexes of failed jobs first, so their later delivery finds and removes it (clearFailuresOfDelivered). Never
   * fails the job otherwise: a failure not indexed is the sweeper's to clear.
   */
  private async indexFailure(deliveryIds: string[], job: DeliverJob): Promise<void> {
    try {
      await indexDeliverFailure(this.queues, job.id ?? `deliver-${deliveryIds[0]}`, deliveryIds);
    } catch (err) {
      this.log.warn({ err, jobId: job.id }, 'could not index a failed deliver job under its deliveries');
    }
  }

  private async deliverAll(deliveryIds: string[], job: DeliverJob): Promise<DeliveryOutcome | BatchResult> {
    const single = deliveryIds.length === 1;
    const rows = await this.repo.deliveries(deliveryIds, {
      by: job.id ?? `deliver-${deliveryIds[0]}`,
      leaseSeconds: this.claimLeaseSeconds,
    });
    if (single && rows.length === 0)
      throw new UnrecoverableError(`delivery ${deliveryIds[0]} does not exist`);
    const result = emptyResult();
    const claimed: LoadedDelivery[] = [];
    for (const row of rows) {
      if (row.claimed) claimed.push(row);
      else if (row.delivery.status === 'delivered') result.alreadyDelivered++;
      else if (row.delivery.status === 'sending' && row.subscription.status === 'active') {
        // Another job holds the claim. A lone delivery waits for its lease rather than finish while a
        // dead job's claim could strand it; a batch leaves it to that job (or to the sweeper).
        if (single)
          throw new RetryLaterError(
            `delivery ${row.delivery.id} is being sent by another job`,
            Math.max(1_000, (this.claimLeaseSeconds - row.idleSeconds) * 1000),
          );
        result.elsewhere++;
      } else result.skipped++; // failed or skipped for good, or its subscription is paused
    }
    // A lone delivery's job retries it: its last attempt is the delivery's last too.
    const limits = {
      maxAttempts: job.opts.attempts ?? WEBHOOK_MAX_ATTEMPTS,
      lastAttempt: single && isLastAttempt(job),
    };
    const attempts = await this.attemptAll(claimed, limits);
    await this.clearSupersededFailures(attempts, claimed);
    if (single) return this.finishOne(attempts[0], rows[0]);
    return this.finishBatch(attempts, claimed, result);
  }

  /**
   * A delivery delivered after an earlier attempt (a retry, a redelivery, a sweep's re-send) may have left a failed
   * deliver job behind (its own, a redelivery's, its batch's): the failure is over, so it leaves the failed set
   * now, not when someone reads it, found through the delivery's index of failed jobs (one round trip when there is
   * none, however long the failed set). A first attempt's success has none to look for. Never fails the job: the
   * sweeper clears what is left.
   */
  private async clearSupersededFailures(
    attempts: RecordedAttempt[],
    claimed: LoadedDelivery[],
  ): Promise<void> {
    const earlier = new Set(
      claimed
        .filter((c) => c.delivery.attempts > 1 || c.delivery.earlier_attempts > 0)
        .map((c) => c.delivery.id),
    );
    const delivered = attempts.filter((a) => a.outcome.status === 'delivered' && earlier.has(a.outcome.id));
    if (delivered.length === 0) return;
    try {
      const removed = await clearFailuresOfDelivered(
        this.repo.db,
        this.queues,
        delivered.map((a) => a.outcome.id),
      );
      if (removed > 0)
        this.log.info({ removed }, 'removed failed deliver jobs whose deliveries were delivered since');
    } catch (err) {
      this.log.warn({ err }, 'could not remove failed deliver jobs superseded by a delivery');
    }
  }

  /** A lone delivery's job ends as its attempt did: a retry is this job's own (same id, the policy's delay). */
  private finishOne(attempt: RecordedAttempt | undefined, row: LoadedDelivery | undefined): DeliveryOutcome {
    if (!attempt) return row?.delivery.status === 'delivered' ? 'already-delivered' : 'skipped';
    const o = attempt.outcome;
    const channel = row?.subscription.channel ?? 'webhook';
    if (o.status === 'delivered' || o.status === 'skipped') return o.status;
    if (o.status === 'failed') throw new UnrecoverableError(`${channel} ${o.verdict}: ${o.error}`);
    throw new RetryLaterError(`${channel} attempt failed: ${o.error}`, attempt.delayMs, true);
  }

  /** A batch's failed attempts go on as jobs of their own, `deliver-<id>` (the id the sweeper looks for). */
  private async finishBatch(
    attempts: RecordedAttempt[],
    claimed: LoadedDelivery[],
    result: BatchResult,
  ): Promise<BatchResult> {
    const retries: { id: string; delayMs: number }[] = [];
    let fatal: AttemptOutcome | undefined;
    for (const { outcome: o, delayMs } of attempts) {
      if (o.status === 'delivered') result.delivered++;
      else if (o.status === 'skipped') result.skipped++;
      else if (o.status === 'failed') {
        result.failed++;
        fatal ??= o;
      } else {
        result.retrying++;
        retries.push({ id: o.id, delayMs });
      }
    }
    if (retries.length > 0) {
      const opts = deliverJobOptions(this.config);
      await this.queues.get('deliver').addBulk(
        retries.map((r) => ({
          name: 'deliver',
          data: { deliveryId: r.id },
          opts: { ...opts, jobId: `deliver-${r.id}`, delay: r.delayMs },
        })),
      );
    }
    // Failed for good: the job lands in the failed set with the reason, as a lone delivery's would.
    if (fatal)
      throw new UnrecoverableError(
        `webhook ${fatal.verdict}: ${fatal.error} (${result.failed} of ${claimed.length} deliveries failed for good)`,
      );
    return result;
  }

  private get backoffBaseMs(): number {
    return this.config.DELIVERY_BACKOFF_MS ?? WEBHOOK_BACKOFF_BASE_MS;
  }

  /** Sends the claimed deliveries, one subscription at a time, and records each subscription's outcomes at once. */
  private async attemptAll(claimed: LoadedDelivery[], limits: AttemptLimits): Promise<RecordedAttempt[]> {
    const bySubscription = new Map<string, LoadedDelivery[]>();
    for (const c of claimed)
      bySubscription.set(c.subscription.id, [...(bySubscription.get(c.subscription.id) ?? []), c]);
    const out: RecordedAttempt[] = [];
    const made = new Map(claimed.map((c) => [c.delivery.id, c.delivery.attempts]));
    for (const group of bySubscription.values()) {
      const sub = group[0]!.subscription;
      const attempts: Attempt[] = [];
      let gone = false;
      // After a 410 nothing more starts: the endpoint asked to be left alone.
      await eachLimited(
        group,
        sub.channel === 'email' ? 1 : SENDS_IN_FLIGHT,
        () => gone,
        async (d) => {
          const a =
            sub.channel === 'email' ? await this.sendEmail(d, limits) : await this.sendWebhook(d, limits);
          gone ||= a.outcome.verdict === 'gone';
          attempts.push(a);
        },
      );
      const sent = new Set(attempts.map((a) => a.outcome.id));
      for (const d of group) {
        if (sent.has(d.delivery.id)) continue;
        // Never sent: the subscription is disabled (recorded outside the endpoint's failure streak).
        const error = 'subscription disabled: endpoint answered 410 Gone';
        attempts.push({
          outcome: { id: d.delivery.id, status: 'skipped', statusCode: null, error, verdict: 'gone' },
          retryAfterMs: null,
        });
      }
      // A failure to retry gets its delay now, so the delivery log shows when the retry job runs.
      const recorded = attempts.map((a) => ({
        ...a,
        delayMs:
          a.outcome.status === 'pending'
            ? webhookRetryDelayMs(made.get(a.outcome.id) ?? 1, this.backoffBaseMs, a.retryAfterMs)
            : 0,
      }));
      const status = await this.repo.recordOutcomes(
        sub.id,
        recorded.map((a) => ({ ...a.outcome, retryInMs: a.outcome.status === 'pending' ? a.delayMs : null })),
        pauseAfterFailedMessages(this.config),
      );
      const failures = attempts.filter(
        (a) => a.outcome.verdict !== 'delivered' && a.outcome.status !== 'skipped',
      );
      if (failures.length > 0) this.logFailures(sub, failures, group.length, status);
      out.push(...recorded);
    }
    return out;
  }

  /**
   * One warning for an endpoint's failed attempts, at most one a minute per subscription (EndpointFailureLog), saying
   * how many failed attempts went unlogged since the last; a change of the subscription's status is said at once.
   */
  private logFailures(sub: LoadedDelivery['subscription'], failures: Attempt[], of: number, status: string): void {
    if (status !== 'active') this.failureLog.forget(sub.id);
    const due = this.failureLog.admit(sub.id, failures.length);
    if (!due) return;
    this.log.warn(
      {
        subscriptionId: sub.id,
        failed: failures.length,
        of,
        last: failures[failures.length - 1]!.outcome.error,
        subscriptionStatus: status,
        ...(due.unlogged > 0 ? { unloggedSinceLastLine: due.unlogged } : {}),
      },
      due.unlogged > 0
        ? `${sub.channel} attempts failed (and ${due.unlogged} more since the last line)`
        : `${sub.channel} attempts failed`,
    );
  }

  private async sendWebhook(d: LoadedDelivery, limits: AttemptLimits): Promise<Attempt> {
    const { delivery, subscription, paper } = d;
    if (!paper)
      return {
        outcome: outcomeOf(delivery, 'fatal', null, 'its paper is gone', limits),
        retryAfterMs: null,
      };
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
    const { verdict, status, error, retryAfterMs } = await sendSignedWebhook(
      this.config,
      subscription.target,
      {
        id: delivery.id,
        body,
        secrets: signingSecrets(subscription.secrets, subscription.previous_secret_expires_at),
      },
    );
    this.metrics.deliveries.inc({ channel: 'webhook', outcome: verdict });
    return { outcome: outcomeOf(delivery, verdict, status, error, limits), retryAfterMs };
  }

  private async sendEmail(d: LoadedDelivery, limits: AttemptLimits): Promise<Attempt> {
    const { delivery, subscription } = d;
    if (!delivery.paper_id)
      return {
        outcome: outcomeOf(delivery, 'fatal', null, 'it has no paper', limits),
        retryAfterMs: null,
      };
    try {
      await this.email.sendInstantEmail(
        subscription,
        delivery.id,
        delivery.paper_id,
        delivery.detail.reasons ?? [],
      );
    } catch (err) {
      const verdict: WebhookVerdict = err instanceof UnrecoverableError ? 'fatal' : 'retry';
      // A failure to retry is the operator's (the mail server down, busy or silent: MailServerError, or
      // the database), never the subscription's: only a final one (a recipient refused for good:
      // RecipientRefusedError) counts toward its pause.
      const outcome = {
        ...outcomeOf(delivery, verdict, null, (err as Error).message, limits),
        notCounted: verdict === 'retry',
      };
      this.metrics.deliveries.inc({
        channel: 'email',
        outcome: outcome.status === 'failed' ? 'fatal' : 'retry',
      });
      return { outcome, retryAfterMs: null };
    }
    this.metrics.deliveries.inc({ channel: 'email', outcome: 'delivered' });
    return { outcome: outcomeOf(delivery, 'delivered', null, '', limits), retryAfterMs: null };
  }
}

/** An attempt's outcome: a retryable failure on the delivery's last attempt (its claim count) is final. */
function outcomeOf(
  delivery: LoadedDelivery['delivery'],
  verdict: WebhookVerdict,
  statusCode: number | null,
  error: string,
  limits: AttemptLimits,
): AttemptOutcome {
  const final =
    verdict === 'gone' ||
    verdict === 'fatal' ||
    limits.lastAttempt ||
    delivery.attempts >= limits.maxAttempts;
  const status = verdict === 'delivered' ? 'delivered' : final ? 'failed' : 'pending';
  return { id: delivery.id, status, statusCode, error: verdict === 'delivered' ? null : error, verdict };
}
