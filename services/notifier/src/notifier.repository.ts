import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { Claim, PaperRef, TopicScore } from '@paperwire/contracts';
import {
  advanceStage,
  activeInstantSubscription,
  activeInstantSubscriptions,
  deliveriesToSend,
  examplePaperTexts,
  loadStageRefs,
  notifiedPaperRows,
  papersNotifiedSince,
  pauseActiveSubscription,
  pendingDeliveriesOf,
  recordBackfillDeliveries,
  recordDeliveryOutcomes,
  recordMatchedDeliveries,
  type DeliveryOutcome,
  type DeliveryRow,
  type DeliveryToSend,
  type MatchedDelivery,
  type NotifiedPaperRows,
  type NotifyRef,
  type StageWork,
  type SubscriptionRow,
} from '@paperwire/db';
import {
  endpointPauseReason,
  failedMessageStreak,
  failureStreak,
  shouldPauseEndpoint,
  type FilterNeeds,
  type MatchablePaper,
  type WebhookVerdict,
} from '@paperwire/notifications';
import { DATA_SOURCE } from '@paperwire/service-kit';

export type LoadedPaper = MatchablePaper & { headline: Claim | null };

export type { DeliveryOutcome, DeliveryRow, SubscriptionRow };

/** The papers as the matcher and the payloads see them, from their flat rows. */
export function assemblePapers({ papers, topics, claims, sources }: NotifiedPaperRows): LoadedPaper[] {
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
      // Rows read for matching only (`matchablePapers` with `needs`) may lack these columns.
      title: p.title ?? '',
      abstract: p.abstract ?? '',
      authors: p.authors ?? [],
      links: p.links,
      primaryTopic: p.primary_topic ?? null,
      contribution: p.contribution ?? null,
      publishedAt: p.published_at ? new Date(p.published_at).toISOString() : null,
      topics: (t.get(p.id) ?? []).map((r): TopicScore => ({
        slug: r.topic_slug,
        score: r.score,
        evidence: r.evidence ?? [], // not read for matching nor for a webhook payload
      })),
      claims: paperClaims,
      sources: [...new Set((s.get(p.id) ?? []).flatMap((r) => r.source_names))],
      codeLinks: p.links?.code ?? [],
      headline: headlineRow
        ? (paperClaims.find((x) => x.start === headlineRow.start && x.end === headlineRow.end) ?? null)
        : null,
    };
  });
}

/**
 * A delivery with its subscription and, when it is a webhook ready to be sent, its paper as the
 * payload reads it (no topic evidence, no sources: see `deliveriesToSend`).
 */
export type LoadedDelivery = Omit<DeliveryToSend, 'paper'> & { paper: LoadedPaper | null };

/**
 * An attempt's outcome with the verdict behind it (the verdicts make the endpoint's failure streak).
 * `notCounted`: a failure that is not the endpoint's (the operator's mail server down or busy): recorded
 * on the delivery, left out of the subscription's failure streak and pause.
 */
export type AttemptOutcome = DeliveryOutcome & { verdict: WebhookVerdict; notCounted?: boolean };

@Injectable()
export class NotifierRepository {
  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {}

  /** The notifier's database, for the shared actions that take one. */
  get db(): DataSource {
    return this.ds;
  }

  /** The job's papers still to notify (ids and hashes only: matching loads what it reads itself). */
  loadWork(refs: PaperRef[]): Promise<StageWork<NotifyRef>> {
    return loadStageRefs(this.ds, refs, 'notified');
  }

  activeInstantSubscriptions(): Promise<SubscriptionRow[]> {
    return activeInstantSubscriptions(this.ds);
  }

  activeInstantSubscription(id: string): Promise<SubscriptionRow | null> {
    return activeInstantSubscription(this.ds, id);
  }

  pendingDeliveriesOf(subscriptionId: string, before: Date, limit: number): Promise<string[]> {
    return pendingDeliveriesOf(this.ds, subscriptionId, before, limit);
  }

  notifiedSince(since: Date, limit: number): Promise<string[]> {
    return papersNotifiedSince(this.ds, since, limit);
  }

  /**
   * Everything a filter or a payload needs about the papers (four queries for the whole batch), or,
   * with `needs`, only what filters with those needs read (`filterNeeds`): the rest is left empty, so
   * such papers are for matching only, never for a payload or an email.
   */
  /** Title and abstract of subscriptions' example papers (their text vectors are computed from them). */
  examplePaperTexts(ids: string[]): Promise<{ id: string; title: string; abstract: string }[]> {
    return examplePaperTexts(this.ds, ids);
  }

  async matchablePapers(ids: string[], needs?: FilterNeeds): Promise<LoadedPaper[]> {
    return assemblePapers(await notifiedPaperRows(this.ds, ids, needs));
  }

  /**
   * Records the deliveries and moves the papers to `notified`, in one transaction. Returns the ids of
   * every delivery of `paperIds` still to send, and the same ids by subscription (a deliver job's
   * batch), to be enqueued once this commits. A reprocessed paper is recorded only for subscriptions it is
   * new to, first notified at or after `renotifyFrom` (recordMatchedDeliveries).
   */
  recordMatches(
    matches: MatchedDelivery[],
    refs: PaperRef[],
    paperIds: string[],
    renotifyFrom: Date,
  ): Promise<{ moved: PaperRef[]; pending: string[]; bySubscription: string[][] }> {
    return this.ds.transaction(async (em) => {
      const rows = await recordMatchedDeliveries(em, matches, paperIds, renotifyFrom);
      const moved = await advanceStage(em, 'notified', refs);
      const groups = new Map<string, string[]>();
      for (const r of rows) groups.set(r.subscriptionId, [...(groups.get(r.subscriptionId) ?? []), r.id]);
      return { moved, pending: rows.map((r) => r.id), bySubscription: [...groups.values()] };
    });
  }

  recordBackfill(
    subscriptionId: string,
    matches: { paperId: string; reasons: string[] }[],
    paperIds: string[],
  ): Promise<string[]> {
    return recordBackfillDeliveries(this.ds, subscriptionId, matches, paperIds);
  }

  /**
   * The deliveries, claimed for `claim.by` (compare-and-set: see `deliveriesToSend`), with their
   * subscriptions and the papers of the webhooks to send; `claim` unset: only read.
   */
  async deliveries(ids: string[], claim?: { by: string; leaseSeconds: number }): Promise<LoadedDelivery[]> {
    return (await deliveriesToSend(this.ds, ids, claim)).map(({ paper: p, ...rest }) => ({
      ...rest,
      paper: p
        ? (assemblePapers({
            papers: [p.paper],
            topics: p.topics ?? [],
            claims: p.claims ?? [],
            sources: p.sources ?? [],
          })[0] ?? null)
        : null,
    }));
  }

  /**
   * Records the outcomes of attempts at one subscription's endpoint (in the order they finished) and
   * applies the endpoint rules: a 410 disables it, and the pause rule (`shouldPauseEndpoint`, with
   * `maxFailures` or its own threshold) pauses it. Returns the subscription's status afterwards. A
   * crash between the two statements leaves the streak recorded, so the next failure pauses.
   */
  async recordOutcomes(
    subscriptionId: string,
    outcomes: AttemptOutcome[],
    maxFailures?: number,
  ): Promise<string> {
    // Deliveries skipped unsent, or failed on the operator's side, are recorded, but are no attempt at the endpoint.
    const counted = outcomes.filter((o) => o.status !== 'skipped' && !o.notCounted);
    // Every failed attempt counts toward consecutive_failures (/ops); only a message's end toward the pause:
    // delivered, or failed for good; an attempt to be retried does not.
    const messages = failedMessageStreak(counted.map((o) => ({ verdict: o.verdict, final: o.status === 'failed' })));
    const after = await recordDeliveryOutcomes(this.ds, subscriptionId, outcomes, {
      attempts: failureStreak(counted.map((o) => o.verdict)),
      messages,
      gone: counted.some((o) => o.verdict === 'gone'),
    });
    if (after.status !== 'active' || messages.failures === 0 || !shouldPauseEndpoint(after.failedMessages, maxFailures))
      return after.status;
    const last = [...counted].reverse().find((o) => o.status === 'failed');
    return pauseActiveSubscription(
      this.ds,
      subscriptionId,
      endpointPauseReason(after.failedMessages, last?.error ?? 'unknown error'),
    );
  }

  markDelivered(id: string, subscriptionId: string, status: number | null): Promise<string> {
    return this.recordOutcomes(subscriptionId, [
      { id, status: 'delivered', statusCode: status, error: null, verdict: 'delivered' },
    ]);
  }

  /** Records one failed attempt (see `recordOutcomes`); returns the subscription's status afterwards. */
  recordFailure(
    id: string,
    subscriptionId: string,
    opts: { status: number | null; error: string; final: boolean; gone: boolean; maxFailures?: number },
  ): Promise<string> {
    return this.recordOutcomes(
      subscriptionId,
      [
        {
          id,
          status: opts.final ? 'failed' : 'pending',
          statusCode: opts.status,
          error: opts.error,
          verdict: opts.gone ? 'gone' : opts.final ? 'fatal' : 'retry',
        },
      ],
      opts.maxFailures,
    );
  }
}
