import { Inject, Injectable } from '@nestjs/common';
import { UnrecoverableError, type Job } from 'bullmq';
import type { NotifierEnv } from '@paperwire/config';
import { formatClaim } from '@paperwire/metrics';
import {
  DIGEST_DEFAULT_LIMIT,
  buildDigestWebhookPayload,
  digestPeriodKey,
  digestWindow,
  listUnsubscribeHeaders,
  previousDigestRun,
  renderConfirmationEmail,
  renderDigestEmail,
  renderInstantEmail,
  signingSecrets,
  subscriptionFilterSchema,
} from '@paperwire/notifications';
import { CONFIG, LOGGER, Metrics } from '@paperwire/service-kit';
import type { Logger } from '@paperwire/telemetry';
import { DigestRepository, type DigestSubscriptionRow } from './digest.repository';
import { Mailer, RecipientRefusedError } from './mailer';
import { NotifierRepository } from './notifier.repository';
import { confirmUrl, digestPageUrl, unsubscribeUrl } from './links';
import { scheduleOptions, type DigestRun } from './digest-run';
import { sendSignedWebhook } from './webhook-sender';
import { compileStoredSubscription } from './subscription-cache';
import { pauseAfterFailedMessages } from './notifier-config';

const DIGEST_SCAN_LIMIT = 5_000;

/** The delivery a failed digest or confirmation attempt leaves pending for a retry, on the error its job fails with. */
const RETRYING_DELIVERY = Symbol('retryingDelivery');

/** `err`, marked as leaving delivery `id` pending for the job's retry (read by `recordRetry`). */
function retrying(err: unknown, id: string, final: boolean): unknown {
  if (!final && err instanceof Error) Object.assign(err, { [RETRYING_DELIVERY]: id });
  return err;
}

/** Daily and weekly digests (email or webhook), instant emails, and double opt-in confirmations. */
/** What a send-digest job came to (its BullMQ return value): `reason` says why nothing was sent. */
export interface DigestOutcome {
  result: 'delivered' | 'skipped' | 'failed';
  reason?: string;
  /** papers the digest carried (delivered) */
  papers?: number;
}

@Injectable()
export class DigestService {
  constructor(
    private readonly digests: DigestRepository,
    private readonly papers: NotifierRepository,
    private readonly mailer: Mailer,
    @Inject(CONFIG) private readonly config: NotifierEnv,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly metrics: Metrics,
  ) {}

  /**
   * One digest per (subscription, period): the period key is the natural key of the delivery, so a
   * re-fired or retried job sends the same digest at most once; "nothing new" is recorded, not sent.
   * An on-demand run (operator, tests) covers the current period up to when it was asked for, under
   * its own key; papers already carried by another digest of the subscription are left out, so the
   * scheduled digest closing the period does not repeat them.
   */
  async handleSendDigest(subscriptionId: string, run: DigestRun, lastAttempt = false): Promise<string> {
    return (await this.runDigest(subscriptionId, run, lastAttempt)).result;
  }

  /** As `handleSendDigest`, with why nothing was sent when it was skipped: a send-digest job's result. */
  async runDigest(subscriptionId: string, run: DigestRun, lastAttempt = false): Promise<DigestOutcome> {
    const sub = await this.digests.subscription(subscriptionId);
    if (!sub) return { result: 'skipped', reason: 'the subscription does not exist' };
    if (sub.status !== 'active') return { result: 'skipped', reason: `the subscription is ${sub.status}, not active` };
    if (sub.mode === 'instant' || !sub.schedule) return { result: 'skipped', reason: 'the subscription is instant: it has no digest' };
    const mode = sub.mode;
    const schedule = scheduleOptions(sub.schedule);
    const window = run.onDemand
      ? { start: previousDigestRun(mode, schedule, run.firedAt), end: run.firedAt }
      : digestWindow(mode, schedule, run.firedAt);
    // One key per digest, the same everywhere it is named (its delivery, its webhook's periodKey, its page): an on-demand
    // run has its own, so a receiver that dedupes on periodKey never drops the scheduled digest closing the period.
    const key = run.onDemand ? `on-demand:${run.firedAt.toISOString()}` : digestPeriodKey(mode, window.end, schedule.timeZone);
    const compiled = await compileStoredSubscription(this.papers, sub);
    // a bad stored filter (hand edit, legacy examples without papers): never match everything, never retry
    if ('invalid' in compiled) {
      this.log.warn({ subscriptionId, error: compiled.invalid }, 'digest skipped: invalid filters');
      return { result: 'skipped', reason: 'its stored filters are invalid' };
    }
    const match = compiled.match;
    const already = new Set(await this.digests.papersInOtherDigests(sub.id, key, window.start));
    const inWindow = await this.digests.papersInWindow(
      window.start,
      window.end,
      sub.schedule.sort ?? 'recent',
      DIGEST_SCAN_LIMIT,
    );
    const fresh = inWindow.filter((id) => !already.has(id));
    const candidates = await this.papers.matchablePapers(fresh);
    // matchablePapers does not keep the window's order.
    const rank = new Map(fresh.map((id, i) => [id, i]));
    const matched = candidates
      .map((paper) => ({ paper, result: match(paper) }))
      .filter((x) => x.result.matched)
      .sort((a, b) => (rank.get(a.paper.id) ?? 0) - (rank.get(b.paper.id) ?? 0));
    const items = matched.slice(0, sub.schedule.limit ?? DIGEST_DEFAULT_LIMIT);
    // the papers left out, in digest order: the digest's own page (/digests/{id}) lists exactly these
    const leftOut = matched.slice(items.length).map((x) => x.paper.id);
    const delivery = await this.digests.keyedDelivery(
      sub.id,
      key,
      {
        period: { start: window.start, end: window.end },
        papers: items.map((i) => i.paper.id),
        reasons: Object.fromEntries(items.map((i) => [i.paper.id, i.result.reasons])),
        // every matching paper of the period, not only those carried: the counting is the matching above (no
        // extra read); a period past the scan cap counts its first DIGEST_SCAN_LIMIT papers (`capped`: at least)
        total: matched.length,
        capped: inWindow.length >= DIGEST_SCAN_LIMIT,
        // the papers it left out are kept in digest_left_out (their count too: the page reads one page of them)
        leftOutKept: true,
      },
      items.length === 0 ? 'skipped' : 'pending',
      leftOut,
    );
    if (delivery.status === 'skipped')
      return {
        result: 'skipped',
        reason: 'no new papers matched this period so far (papers an earlier digest carried are left out): an empty digest is not sent',
      };
    if (delivery.status === 'delivered' || delivery.status === 'failed')
      return { result: delivery.status, reason: `this period's digest was already ${delivery.status === 'delivered' ? 'sent' : 'tried and failed'}` };

    // Content fixed at creation: a retry sends the same papers.
    const ids = (delivery.detail.papers as string[]) ?? [];
    const reasons = (delivery.detail.reasons as Record<string, string[]>) ?? {};
    // digests made before the total was kept carried every paper they counted
    const total = typeof delivery.detail.total === 'number' ? delivery.detail.total : ids.length;
    const totalCapped = delivery.detail.capped === true;
    const restUrl = await this.restUrl(delivery);
    const papers = await this.papers.matchablePapers(ids);
    const order = new Map(ids.map((id, i) => [id, i]));
    papers.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
    await this.digests.markAttempt(delivery.id);
    /** the HTTP status of the send that delivered a webhook digest (a mail has none) */
    let sentStatus: number | null = null;
    try {
      if (sub.channel === 'email') {
        const signals = await this.digests.signals(ids);
        const mail = renderDigestEmail({
          subscription: { id: sub.id, name: sub.name },
          period: window,
          mode,
          timeZone: schedule.timeZone,
          papers: papers.map((p) => ({ ...p, headline: p.headline ? formatClaim(p.headline) : null, ...signals.get(p.id) })),
          unsubscribeUrl: unsubscribeUrl(this.config, sub.id, sub.target),
          appUrl: this.config.PUBLIC_URL,
          topicNames: await this.digests.topicNames(),
          topics: ownTopics(sub.filters),
          ranked: sub.schedule.sort === 'trending',
          total,
          totalCapped,
          moreUrl: restUrl,
        });
        await this.mailer.send({
          to: sub.target,
          ...mail,
          headers: listUnsubscribeHeaders(unsubscribeUrl(this.config, sub.id, sub.target)),
          messageId: `<${delivery.id}@paperwire>`,
        });
      } else {
        const body = JSON.stringify(
          buildDigestWebhookPayload({
            subscription: { id: sub.id, name: sub.name },
            mode,
            periodKey: key,
            period: window,
            items: papers.map((p) => ({
              paper: {
                ...p,
                headlineClaim: p.headline ? { ...p.headline, summary: formatClaim(p.headline) } : null,
              },
              reasons: reasons[p.id] ?? [],
            })),
            total,
            url: restUrl,
            // when the digest was made, not this attempt: the body is the same on every retry
            timestamp: delivery.created_at,
            appUrl: this.config.PUBLIC_URL,
          }),
        );
        sentStatus = await this.postWebhook(sub, delivery.id, body, lastAttempt);
      }
    } catch (err) {
      if (err instanceof RecipientRefusedError) {
        // Same accounting as instant emails: a recipient refused for good counts toward the pause (a
        // failure of the mail server itself, retried, counts against no subscription).
        await this.papers.recordFailure(delivery.id, sub.id, {
          status: null,
          error: err.message,
          final: true,
          gone: false,
          maxFailures: pauseAfterFailedMessages(this.config),
        });
        this.metrics.deliveries.inc({ channel: sub.channel, outcome: 'fatal' });
        throw err;
      }
      // The last attempt's failure is final: the digest is `failed`, not left `pending` for ever.
      const final = lastAttempt || err instanceof UnrecoverableError;
      await this.digests.markError(delivery.id, (err as Error).message, final);
      this.metrics.deliveries.inc({ channel: sub.channel, outcome: 'retry' });
      throw retrying(err, delivery.id, final);
    }
    await this.digests.markDone(delivery.id, sub.id, window.end, sentStatus);
    this.metrics.deliveries.inc({ channel: sub.channel, outcome: 'delivered' });
    return { result: 'delivered', papers: ids.length };
  }

  /**
   * Where the papers a capped digest left out are listed: the digest's own page, signed for its delivery (the same
   * link on every retry); a digest made before the left-out list was kept links the period page it was made with.
   */
  private async restUrl(delivery: { id: string; detail: Record<string, unknown>; created_at: Date }): Promise<string | null> {
    const leftOut = await this.digests.leftOutCount(delivery.id);
    if (leftOut !== null) return leftOut > 0 ? digestPageUrl(this.config, delivery.id, new Date(delivery.created_at)) : null;
    const { restUrl } = delivery.detail;
    return typeof restUrl === 'string' ? restUrl : null;
  }

  /**
   * A send-digest or send-confirmation job failed and the queue scheduled its retry (the worker's `failed` event,
   * after BullMQ picked the delay): its delivery records when the retry runs, so the delivery log can say. Never
   * throws (an event handler): a failure to record is logged.
   */
  async recordRetry(job: Pick<Job, 'attemptsMade' | 'opts' | 'delay'> | undefined, err: unknown): Promise<void> {
    const id = err instanceof Error ? (err as Error & { [RETRYING_DELIVERY]?: string })[RETRYING_DELIVERY] : undefined;
    // attemptsMade counts the attempt that just failed: none left, no retry
    if (!id || !job || job.attemptsMade >= (job.opts.attempts ?? 1) || !(job.delay > 0)) return;
    try {
      await this.digests.markRetryAt(id, job.delay);
    } catch (e) {
      this.log.warn({ deliveryId: id, err: (e as Error).message }, 'could not record when a delivery is retried');
    }
  }

  /** Double opt-in: one confirmation mail per pending email subscription. */
  async handleSendConfirmation(subscriptionId: string, lastAttempt = false): Promise<string> {
    const sub = await this.digests.subscription(subscriptionId);
    if (!sub || sub.status !== 'pending_confirmation' || sub.channel !== 'email') return 'skipped';
    const delivery = await this.digests.keyedDelivery(sub.id, 'confirm', {});
    if (delivery.status === 'delivered') return 'already-sent';
    await this.digests.markAttempt(delivery.id);
    const filter = subscriptionFilterSchema.safeParse(sub.filters ?? {});
    // a bad stored filter (hand edit, legacy examples without papers): fail the job once, not retry it
    if (!filter.success) throw new UnrecoverableError(`invalid stored filters: ${filter.error.message}`);
    const { url, expiresAt } = confirmUrl(this.config, sub.id, sub.target);
    const mail = renderConfirmationEmail({
      confirmUrl: url,
      appUrl: this.config.PUBLIC_URL,
      subscription: {
        name: sub.name,
        filter: filter.data,
        mode: sub.mode,
        ...(sub.schedule ? { digest: { limit: sub.schedule.limit, sort: sub.schedule.sort }, schedule: sub.schedule } : {}),
      },
      // the topics by their names, as the subject (the subscription's name) says them
      topicNames: await this.digests.topicNames(),
      expiresAt,
    });
    try {
      await this.mailer.send({ to: sub.target, ...mail, messageId: `<${delivery.id}@paperwire>` });
    } catch (err) {
      const final = lastAttempt || err instanceof UnrecoverableError;
      await this.digests.markError(delivery.id, (err as Error).message, final);
      throw retrying(err, delivery.id, final);
    }
    await this.digests.markDone(delivery.id, sub.id, null);
    this.metrics.deliveries.inc({ channel: 'email', outcome: 'delivered' });
    return 'sent';
  }

  /** Instant mode over email: one mail per matching paper. */
  async sendInstantEmail(
    sub: { id: string; name: string; target: string },
    deliveryId: string,
    paperId: string,
    reasons: string[],
  ): Promise<void> {
    const [paper] = await this.papers.matchablePapers([paperId]);
    if (!paper) throw new UnrecoverableError(`paper ${paperId} is gone`);
    const unsubscribe = unsubscribeUrl(this.config, sub.id, sub.target);
    const mail = renderInstantEmail({
      subscription: { id: sub.id, name: sub.name },
      paper: { ...paper, headline: paper.headline ? formatClaim(paper.headline) : null },
      reasons,
      unsubscribeUrl: unsubscribe,
      appUrl: this.config.PUBLIC_URL,
      topicNames: await this.digests.topicNames(),
    });
    await this.mailer.send({
      to: sub.target,
      ...mail,
      headers: listUnsubscribeHeaders(unsubscribe),
      messageId: `<${deliveryId}@paperwire>`,
    });
  }

  private async postWebhook(
    sub: DigestSubscriptionRow,
    deliveryId: string,
    body: string,
    lastAttempt: boolean,
  ): Promise<number | null> {
    const { verdict, status, error } = await sendSignedWebhook(this.config, sub.target, {
      id: deliveryId,
      body,
      secrets: signingSecrets(sub.secrets, sub.previous_secret_expires_at),
    });
    if (verdict === 'delivered') return status;
    const message = error || `HTTP ${status}`;
    // Same accounting as instant webhooks: 410 disables, a run of failures pauses.
    await this.papers.recordFailure(deliveryId, sub.id, {
      status,
      error: message,
      final: verdict === 'gone' || verdict === 'fatal' || lastAttempt,
      gone: verdict === 'gone',
      maxFailures: pauseAfterFailedMessages(this.config),
    });
    this.log.warn({ subscriptionId: sub.id, deliveryId, status, verdict }, 'digest webhook failed');
    if (verdict === 'gone' || verdict === 'fatal')
      throw new UnrecoverableError(`digest webhook ${verdict}: ${message}`);
    throw new Error(`digest webhook failed: ${message}`);
  }
}

/** A subscription's own topics (its filter's, as the matcher reads them): the sections of its digests. */
function ownTopics(filters: unknown): { slugs: string[]; minScore?: number } | undefined {
  const parsed = subscriptionFilterSchema.safeParse(filters ?? {});
  const topics = parsed.success ? parsed.data.topics : undefined;
  return topics ? { slugs: topics.slugs.map((s) => s.toLowerCase()), ...(topics.minScore !== undefined ? { minScore: topics.minScore } : {}) } : undefined;
}
