import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { Claim, PaperRef, TopicScore } from '@paperwire/contracts';
import {
  advanceStage,
  activeInstantSubscription,
  activeInstantSubscriptions,
  deliveryWithPaperRows,
  loadStageWork,
  markDeliveryDelivered,
  markDeliverySending,
  markDeliverySkipped,
  notifiedPaperRows,
  papersNotifiedSince,
  pendingDeliveriesOf,
  recordBackfillDeliveries,
  pauseActiveSubscription,
  recordDeliveryFailure,
  recordMatchedDeliveries,
  type DeliveryRow,
  type MatchedDelivery,
  type NotifiedPaperRows,
  type StageWork,
  type SubscriptionRow,
} from '@paperwire/db';
import { endpointPauseReason, shouldPauseEndpoint, type MatchablePaper } from '@paperwire/notifications';
import { DATA_SOURCE } from '@paperwire/service-kit';

export type LoadedPaper = MatchablePaper & { headline: Claim | null };

export type { DeliveryRow, SubscriptionRow };

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

  /** Everything a filter or a payload needs about the papers (four queries for the whole batch). */
  async matchablePapers(ids: string[]): Promise<LoadedPaper[]> {
    return assemblePapers(await notifiedPaperRows(this.ds, ids));
  }

  /**
   * Records the deliveries and moves the papers to `notified`, in one transaction. Returns the ids of
   * every delivery of `paperIds` still to send, to be enqueued once this commits.
   */
  recordMatches(
    matches: MatchedDelivery[],
    refs: PaperRef[],
    paperIds: string[],
  ): Promise<{ moved: PaperRef[]; pending: string[] }> {
    return this.ds.transaction(async (em) => {
      const pending = await recordMatchedDeliveries(em, matches, paperIds);
      const moved = await advanceStage(em, 'notified', refs);
      return { moved, pending };
    });
  }

  recordBackfill(
    subscriptionId: string,
    matches: { paperId: string; reasons: string[] }[],
    paperIds: string[],
  ): Promise<string[]> {
    return recordBackfillDeliveries(this.ds, subscriptionId, matches, paperIds);
  }

  /** The delivery with its subscription and, when it is a webhook ready to be sent, its paper. */
  async loadDelivery(id: string): Promise<LoadedDelivery | null> {
    const found = await deliveryWithPaperRows(this.ds, id);
    if (!found) return null;
    const p = found.paper;
    const paper = p
      ? (assemblePapers({
          papers: [p.paper],
          topics: p.topics ?? [],
          claims: p.claims ?? [],
          sources: p.sources ?? [],
        })[0] ?? null)
      : null;
    return { delivery: found.delivery, subscription: found.subscription, paper };
  }

  markSkipped(id: string, reason: string): Promise<void> {
    return markDeliverySkipped(this.ds, id, reason);
  }

  markSending(id: string): Promise<void> {
    return markDeliverySending(this.ds, id);
  }

  markDelivered(id: string, subscriptionId: string, status: number | null): Promise<void> {
    return markDeliveryDelivered(this.ds, id, subscriptionId, status);
  }

  /**
   * Records a failed attempt (410 Gone disables the subscription) and pauses the endpoint when the
   * pause rule says so; returns the subscription's status afterwards. `maxFailures` unset: the rule's
   * default threshold. A crash between the two statements leaves the streak recorded, so the next
   * failure pauses.
   */
  async recordFailure(
    id: string,
    subscriptionId: string,
    opts: { status: number | null; error: string; final: boolean; gone: boolean; maxFailures?: number },
  ): Promise<string> {
    const after = await recordDeliveryFailure(this.ds, id, subscriptionId, opts);
    if (after.status !== 'active' || !shouldPauseEndpoint(after.consecutiveFailures, opts.maxFailures))
      return after.status;
    return pauseActiveSubscription(
      this.ds,
      subscriptionId,
      endpointPauseReason(after.consecutiveFailures, opts.error),
    );
  }
}
