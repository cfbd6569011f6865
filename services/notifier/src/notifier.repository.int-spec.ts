import { useTestDb } from '@paperwire/testing/jest';
import {
  WEBHOOK_PAUSE_AFTER_FAILED_MESSAGES,
  buildPaperWebhookPayload,
  compileFilter,
  endpointPauseReason,
  filterNeeds,
  parseSubscriptionFilter,
} from '@paperwire/notifications';
import { NotifierRepository, type LoadedPaper } from './notifier.repository';

// Real Postgres: the one-statement reads and writes of a delivery must mean what the multi-statement
// ones did.

describe('NotifierRepository against Postgres', () => {
  const db = useTestDb('notifier_repo');
  let repo: NotifierRepository;
  let sourceId: string;

  beforeAll(async () => {
    repo = new NotifierRepository(db().ds);
    await db().ds.query(
      `INSERT INTO topics (slug, name, description) VALUES ('peft', 'PEFT', 'x'), ('efficiency', 'Efficiency', 'x')`,
    );
    [{ id: sourceId }] = await db().ds.query(
      `INSERT INTO sources (name, kind) VALUES ('HF daily papers', 'hf-daily') RETURNING id`,
    );
  });

  const insertPaper = async (stage = 'extracted'): Promise<{ id: string; hash: string }> => {
    const hash = `h-${Math.random()}`;
    const [{ id }] = await db().ds.query(
      `INSERT INTO papers (paper_key, arxiv_id, title, abstract, authors, links, primary_topic, contribution,
                           published_at, content_hash)
       VALUES ($1, '2611.00001', 'LoRA "fast"', 'An abstract with \\ and "quotes"', '[{"name":"A. Author"}]',
               '{"abs":"https://arxiv.org/abs/2611.00001","code":["https://github.com/x/y"],"project":[]}',
               'peft', 'method', '2026-11-24T10:00:00.123456Z', $2)
       RETURNING id`,
      [`key-${hash}`, hash],
    );
    await db().ds.query(`UPDATE paper_stages SET stage = $2 WHERE paper_id = $1`, [id, stage]);
    await db().ds.query(
      `INSERT INTO paper_topics (paper_id, topic_slug, score, evidence, model_version, content_hash)
       VALUES ($1, 'peft', 0.8123, '["lora"]', 'm1', $2), ($1, 'efficiency', 0.31, '[]', 'm1', $2)`,
      [id, hash],
    );
    await db().ds.query(
      `INSERT INTO paper_claims (paper_id, start, "end", text, value, low, unit, unit_text, category, kind, metric,
                                 improvement, baseline, compared_to, dataset, qualifier, is_headline,
                                 extractor_version, content_hash)
       VALUES ($1, 40, 52, '3.1x faster', 3.1, NULL, 'x', 'x', 'efficiency', 'speedup', 'throughput', true,
               '{"value":1,"text":"full fine-tuning"}', 'full fine-tuning', NULL, NULL, true, 'e1', $2),
              ($1, 10, 20, '0.5% better', 0.5, 0.25, 'percent', NULL, 'quality', 'gain', 'accuracy', NULL,
               NULL, NULL, 'GLUE', 'up to', false, 'e1', $2)`,
      [id, hash],
    );
    await db().ds.query(
      `INSERT INTO paper_sources (paper_id, source_id, source_kind) VALUES ($1, $2, 'hf-daily')`,
      [id, sourceId],
    );
    return { id, hash };
  };

  const insertSubscription = async (
    channel = 'webhook',
    status = 'active',
    failures = 0,
  ): Promise<string> => {
    const [{ id }] = await db().ds.query(
      `INSERT INTO subscriptions (name, channel, target, status, status_reason, consecutive_failures, failed_messages)
       VALUES ('s', $1, 'https://hooks.example/x', $2, CASE WHEN $2 = 'disabled' THEN 'unsubscribed' END, $3, $3)
       RETURNING id`,
      [channel, status, failures],
    );
    return id;
  };

  const insertDelivery = async (
    subscriptionId: string,
    paperId: string,
    status = 'pending',
  ): Promise<string> => {
    const [{ id }] = await db().ds.query(
      `INSERT INTO deliveries (subscription_id, paper_id, detail, status) VALUES ($1, $2, '{"reasons":["topic peft"]}', $3)
       RETURNING id`,
      [subscriptionId, paperId, status],
    );
    return id;
  };

  const deliveryRow = async (id: string) =>
    (
      await db().ds.query(
        `SELECT status, attempts, last_status_code, last_error, delivered_at FROM deliveries WHERE id = $1`,
        [id],
      )
    )[0];
  const subscriptionRow = async (id: string) =>
    (
      await db().ds.query(
        `SELECT status, status_reason, consecutive_failures, failed_messages FROM subscriptions WHERE id = $1`,
        [id],
      )
    )[0];

  describe('matchablePapers (for matching only)', () => {
    it('reads only what the filters read, and matches as the whole paper does', async () => {
      const paper = await insertPaper();
      const [full] = await repo.matchablePapers([paper.id]);
      const filters = [
        {},
        { topics: { slugs: ['efficiency', 'peft'] } },
        { keywords: ['quotes'], authors: ['Author'] },
        { hasCode: true, sources: ['hf daily papers'] },
        { claims: [{ kind: 'speedup', min: 3 }] },
      ].map((x) => parseSubscriptionFilter(x));
      for (const filter of filters) {
        const [some] = await repo.matchablePapers([paper.id], filterNeeds(filter));
        const match = compileFilter(filter);
        expect(match(some!)).toEqual(match(full!));
        expect(match(some!).matched).toBe(true);
      }
      const [topicsOnly] = await repo.matchablePapers(
        [paper.id],
        filterNeeds(parseSubscriptionFilter({ topics: { slugs: ['peft'] } })),
      );
      expect(topicsOnly).toMatchObject({
        id: paper.id,
        title: '',
        abstract: '',
        authors: [],
        claims: [],
        sources: [],
        codeLinks: [],
        // no filter reads a topic's evidence
        topics: full!.topics.map((t) => ({ ...t, evidence: [] })),
      });
    });
  });

  describe('deliveries (loading)', () => {
    const loadDelivery = async (id: string) => (await repo.deliveries([id]))[0] ?? null;
    it('loads the paper of a webhook delivery as matchablePapers does, less what no payload reads', async () => {
      const paper = await insertPaper();
      const id = await insertDelivery(await insertSubscription(), paper.id);
      const loaded = await loadDelivery(id);
      const [expected] = await repo.matchablePapers([paper.id]);
      expect(expected?.sources).toEqual(['HF daily papers', 'hf-daily']);
      expect(expected?.topics.map((t) => t.evidence)).toEqual([['lora'], []]);
      expect(loaded?.paper).toEqual({
        ...expected,
        topics: expected!.topics.map((t) => ({ ...t, evidence: [] })),
        sources: [],
      });
      // ... so the webhook body is byte for byte the one the whole paper makes
      const body = (p: LoadedPaper) =>
        JSON.stringify(
          buildPaperWebhookPayload({
            subscription: { id: 's', name: 'n' },
            paper: { ...p, headlineClaim: p.headline },
            reasons: ['r'],
            timestamp: new Date('2026-12-01T00:00:00Z'),
            appUrl: 'https://paperwire.example',
          }),
        );
      expect(body(loaded!.paper!)).toBe(body(expected!));
      expect(loaded?.paper?.publishedAt).toBe('2026-11-24T10:00:00.123Z');
      expect(loaded?.paper?.claims.map((c) => c.start)).toEqual([10, 40]);
      expect(loaded?.paper?.headline).toMatchObject({ start: 40, text: '3.1x faster', unitText: 'x' });
      expect(loaded?.delivery).toMatchObject({ id, status: 'pending', detail: { reasons: ['topic peft'] } });
      expect(loaded?.subscription).toMatchObject({ channel: 'webhook', status: 'active' });
    });

    it('loads a paper without topics, claims or sources', async () => {
      const [{ id: paperId }] = await db().ds.query(
        `INSERT INTO papers (paper_key, title, abstract, content_hash) VALUES ('bare', 't', 'a', 'h') RETURNING id`,
      );
      const id = await insertDelivery(await insertSubscription(), paperId);
      const loaded = await loadDelivery(id);
      expect(loaded?.paper).toEqual({ ...(await repo.matchablePapers([paperId]))[0], sources: [] });
      expect(loaded?.paper).toMatchObject({
        topics: [],
        claims: [],
        sources: [],
        headline: null,
        publishedAt: null,
      });
    });

    it('does not load the paper when nothing will be sent', async () => {
      const paper = await insertPaper();
      const cases = [
        await insertDelivery(await insertSubscription('email'), paper.id),
        await insertDelivery(await insertSubscription('webhook', 'paused'), paper.id),
        await insertDelivery(await insertSubscription(), paper.id, 'delivered'),
      ];
      for (const id of cases) {
        const loaded = await loadDelivery(id);
        expect(loaded?.delivery.id).toBe(id);
        expect(loaded?.paper).toBeNull();
      }
      expect(await loadDelivery('00000000-0000-0000-0000-000000000000')).toBeNull();
    });
  });

  describe('delivery outcomes', () => {
    it('markDelivered records the delivery and resets the failure streak', async () => {
      const sub = await insertSubscription('webhook', 'active', 3);
      const id = await insertDelivery(sub, (await insertPaper()).id);
      await repo.deliveries([id], { by: 'manual', leaseSeconds: 0 });
      await repo.markDelivered(id, sub, 204);
      expect(await deliveryRow(id)).toMatchObject({
        status: 'delivered',
        attempts: 1,
        last_status_code: 204,
        last_error: null,
      });
      expect((await deliveryRow(id)).delivered_at).toBeInstanceOf(Date);
      expect((await subscriptionRow(sub)).consecutive_failures).toBe(0);
    });

    it('recordFailure keeps retrying, counts only messages failed for good, pauses after maxFailures and disables on 410', async () => {
      const paper = await insertPaper();
      const sub = await insertSubscription('webhook', 'active', 1);
      const retry = await insertDelivery(sub, paper.id);
      const opts = { status: 500, error: 'HTTP 500', final: false, gone: false, maxFailures: 3 };
      expect(await repo.recordFailure(retry, sub, opts)).toBe('active');
      expect(await repo.recordFailure(retry, sub, opts)).toBe('active');
      expect(await deliveryRow(retry)).toMatchObject({
        status: 'pending',
        last_status_code: 500,
        last_error: 'HTTP 500',
      });
      // attempts still to be retried are failures (/ops) but bring no pause nearer
      expect(await subscriptionRow(sub)).toMatchObject({ consecutive_failures: 3, failed_messages: 1 });
      expect(await repo.recordFailure(retry, sub, { ...opts, final: true })).toBe('active');
      expect(await deliveryRow(retry)).toMatchObject({ status: 'failed' });
      const next = await insertDelivery(sub, (await insertPaper()).id);
      expect(await repo.recordFailure(next, sub, { ...opts, final: true })).toBe('paused');
      expect(await subscriptionRow(sub)).toMatchObject({
        consecutive_failures: 5,
        failed_messages: 3,
        status_reason: endpointPauseReason(3, 'HTTP 500'),
      });

      const other = await insertSubscription();
      const gone = await insertDelivery(other, paper.id);
      expect(await repo.recordFailure(gone, other, { ...opts, status: 410, final: true, gone: true })).toBe(
        'disabled',
      );
      expect(await subscriptionRow(other)).toMatchObject({
        status: 'disabled',
        status_reason: 'endpoint answered 410 Gone',
      });
    });

    it('without maxFailures, the library rule pauses at its own threshold (WEBHOOK_PAUSE_AFTER_FAILED_MESSAGES)', async () => {
      const sub = await insertSubscription('webhook', 'active', WEBHOOK_PAUSE_AFTER_FAILED_MESSAGES - 2);
      const id = await insertDelivery(sub, (await insertPaper()).id);
      const opts = { status: null, error: 'ECONNREFUSED', final: true, gone: false };
      expect(await repo.recordFailure(id, sub, { ...opts, final: false })).toBe('active');
      expect(await repo.recordFailure(id, sub, opts)).toBe('active');
      expect(await repo.recordFailure(id, sub, opts)).toBe('paused');
      expect(await subscriptionRow(sub)).toMatchObject({
        status: 'paused',
        consecutive_failures: WEBHOOK_PAUSE_AFTER_FAILED_MESSAGES + 1,
        failed_messages: WEBHOOK_PAUSE_AFTER_FAILED_MESSAGES,
        status_reason: endpointPauseReason(WEBHOOK_PAUSE_AFTER_FAILED_MESSAGES, 'ECONNREFUSED'),
      });
      // a paused endpoint keeps its reason: later failures only add to the streak
      expect(await repo.recordFailure(id, sub, { ...opts, error: 'later' })).toBe('paused');
      expect((await subscriptionRow(sub)).status_reason).toContain('ECONNREFUSED');
    });
  });

  describe('recordMatches', () => {
    it('records new deliveries, returns every one still to send and skips those of disabled subscriptions', async () => {
      const paper = await insertPaper();
      const active = await insertSubscription();
      const again = await insertSubscription();
      const paused = await insertSubscription('webhook', 'paused');
      const disabled = await insertSubscription('webhook', 'disabled');
      const leftPending = await insertDelivery(again, paper.id);
      const pausedPending = await insertDelivery(paused, paper.id);
      const disabledPending = await insertDelivery(disabled, paper.id);

      const { moved, pending } = await repo.recordMatches(
        [active, again, paused].map((subscriptionId) => ({
          subscriptionId,
          paperId: paper.id,
          reasons: ['r'],
        })),
        [{ paperId: paper.id, contentHash: paper.hash }],
        [paper.id],
        new Date(0),
      );

      expect(moved).toEqual([{ paperId: paper.id, contentHash: paper.hash }]);
      const created: { id: string }[] = await db().ds.query(
        `SELECT id FROM deliveries WHERE subscription_id = $1 AND paper_id = $2`,
        [active, paper.id],
      );
      expect(created).toHaveLength(1);
      expect(pending).toEqual([created[0].id, leftPending].sort());
      expect((await deliveryRow(pausedPending)).status).toBe('pending');
      expect(await deliveryRow(disabledPending)).toMatchObject({
        status: 'skipped',
        last_error: 'subscription disabled: unsubscribed',
      });
      expect((await db().ds.query(`SELECT stage FROM paper_stages WHERE paper_id = $1`, [paper.id]))[0].stage).toBe(
        'notified',
      );
    });

    it('re-runs of a notified paper record nothing new and return what is still pending', async () => {
      const paper = await insertPaper('notified');
      const sub = await insertSubscription();
      const left = await insertDelivery(sub, paper.id, 'sending');
      const { moved, pending } = await repo.recordMatches(
        [{ subscriptionId: sub, paperId: paper.id, reasons: ['r'] }],
        [],
        [paper.id],
        new Date(0),
      );
      expect(moved).toEqual([]);
      expect(pending).toEqual([left]);
      expect(
        (await db().ds.query(`SELECT count(*)::int AS n FROM deliveries WHERE paper_id = $1`, [paper.id]))[0]
          .n,
      ).toBe(1);
    });
  });
});
