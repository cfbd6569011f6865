import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import type { ParsedMail } from 'mailparser';
import { Webhook } from 'standardwebhooks';
import { rng } from '@paperwire/classification';
import { nextDigestRun, signToken } from '@paperwire/notifications';
import {
  TEST_REDIS_URL,
  createTestDb,
  migratedEnv,
  runCli,
  runCliAsync,
  startServiceProcess,
  startSmtpInbox,
  startWebhookReceiver,
  uniqueName,
  waitFor,
  type ReceivedRequest,
  type ServiceProcess,
  type SmtpInbox,
  type TestDb,
  type WebhookReceiver,
} from '@paperwire/testing';

// The notifier end to end (DESIGN §7): the pipeline services as processes, the bundled Daily Papers
// capture ingested through the CLI, webhook receivers that fail, hang and answer 410, a real SMTP
// server for the double opt-in and the digest, the api serving the confirm/unsubscribe links, and a
// SIGKILL of the notifier while deliveries are in flight. Every matching paper must arrive exactly
// once per subscription: retries only ever repeat the same webhook-id.

jest.setTimeout(240_000);

const TOPICS = ['vision-language', 'peft'];
const DIGEST_TOPIC = 'vision-language';
const CLAIM_FILTER = { claims: [{ kind: 'relative_improvement', unit: '%', min: 5 }] };
const TOKEN_SECRET = 'e2e-notifier-token-secret-0123456789';
const PIPELINE = ['parser', 'classifier', 'metric-extractor'];
// Phase 2: the receiver answers after SLOW_MS; the notifier is killed right after the KILL_AFTER-th answer.
const SLOW_MS = 1_000;
const KILL_AFTER = 4;

interface Seen {
  /** webhook-ids seen for the paper */
  ids: Set<string>;
  requests: number;
  /** requests answered 2xx */
  ok: number;
}

/** Verifies every request with the subscription's secret and groups them by paper. */
function byPaper(
  requests: { headers: IncomingHttpHeaders; body: string; status: number | null }[],
  secret: string,
): Map<string, Seen> {
  const wh = new Webhook(secret);
  const out = new Map<string, Seen>();
  for (const r of requests) {
    const payload = wh.verify(r.body, {
      'webhook-id': String(r.headers['webhook-id']),
      'webhook-timestamp': String(r.headers['webhook-timestamp']),
      'webhook-signature': String(r.headers['webhook-signature']),
    }) as { type: string; data: { paper: { id: string } } };
    expect(payload.type).toBe('paper.matched');
    const s = out.get(payload.data.paper.id) ?? { ids: new Set<string>(), requests: 0, ok: 0 };
    s.ids.add(String(r.headers['webhook-id']));
    s.requests++;
    if (r.status !== null && r.status >= 200 && r.status < 300) s.ok++;
    out.set(payload.data.paper.id, s);
  }
  return out;
}

/** One webhook-id per paper, every expected paper answered 2xx at least once, nothing else sent. */
function expectDeliveredOnce(
  seen: Map<string, Seen>,
  expected: string[],
  opts: { exactlyOneSuccess: boolean },
): void {
  expect(new Set(seen.keys())).toEqual(new Set(expected));
  for (const [paper, s] of seen) {
    expect({ paper, ids: s.ids.size }).toEqual({ paper, ids: 1 });
    expect(s.ok).toBeGreaterThanOrEqual(1);
    if (opts.exactlyOneSuccess) expect({ paper, ok: s.ok }).toEqual({ paper, ok: 1 });
  }
}

interface TestRequest {
  headers: IncomingHttpHeaders;
  body: string;
  receivedAt: number;
  /** the status answered; null while unanswered (hanging, or the sender died first) */
  status: number | null;
}

type Decision = { status: number; delayMs?: number } | 'hang';

/**
 * A webhook endpoint whose answer is decided per request, knowing the webhook-id and how many times
 * that id was seen (so the flaky endpoints can be random yet bounded). `onAnswered` runs right after
 * an answer is written.
 */
async function startTestReceiver(
  decide: (req: { webhookId: string; attempt: number; n: number }) => Decision,
  onAnswered: (answered: number) => void = () => undefined,
): Promise<{ url: string; requests: TestRequest[]; close(): Promise<void> }> {
  const requests: TestRequest[] = [];
  const attempts = new Map<string, number>();
  let answered = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const webhookId = String(req.headers['webhook-id']);
      const attempt = (attempts.get(webhookId) ?? 0) + 1;
      attempts.set(webhookId, attempt);
      const rec: TestRequest = {
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        receivedAt: Date.now(),
        status: null,
      };
      requests.push(rec);
      const d = decide({ webhookId, attempt, n: requests.length - 1 });
      if (d === 'hang') return;
      const answer = () => {
        // The sender gave up or died meanwhile: nothing was answered.
        if (req.socket.destroyed) return;
        res.writeHead(d.status).end();
        rec.status = d.status;
        onAnswered(++answered);
      };
      if (d.delayMs) setTimeout(answer, d.delayMs);
      else answer();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

type TestReceiver = Awaited<ReturnType<typeof startTestReceiver>>;

const headerLine = (mail: ParsedMail, key: string) =>
  mail.headerLines.find((h) => h.key === key.toLowerCase())?.line;
const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

describe('notifier: webhooks, email digests and crash safety', () => {
  let db: TestDb;
  let env: NodeJS.ProcessEnv;
  let notifierEnv: NodeJS.ProcessEnv;
  let apiUrl = '';
  const procs = new Map<string, ServiceProcess>();
  let smtp: SmtpInbox;
  let redis: IORedis;
  let deliverQueue: Queue;
  const receivers: { close(): Promise<void> }[] = [];
  let good: WebhookReceiver;
  let flaky: TestReceiver;
  let hang: TestReceiver;
  let gone: WebhookReceiver;
  const subs: Record<string, { id: string; secret?: string; status: string; confirmationJob?: string }> = {};
  let paperIds: string[] = [];
  const timings: Record<string, number> = {};
  const t0 = Date.now();

  const count = async (sql: string, params: unknown[] = []) => Number((await db.ds.query(sql, params))[0].n);
  const cli = (args: string[]) => JSON.parse(runCli(args, env)) as Record<string, unknown>;
  // (a CLI command that waits for the services — `subscriptions digest` — must not block this process: the SMTP
  // server the digest is sent to runs in it)
  const cliAsync = async (args: string[]) => JSON.parse(await runCliAsync(args, env)) as Record<string, unknown>;
  const addSub = (key: string, args: string[]) => {
    subs[key] = cli(['subscriptions', 'add', `e2e-${key}`, ...args]) as (typeof subs)[string];
    return subs[key];
  };
  const deliveredCount = (subId: string) =>
    count(`SELECT count(*) AS n FROM deliveries WHERE subscription_id = $1 AND status = 'delivered'`, [
      subId,
    ]);
  const jobResult = (jobId: string) =>
    waitFor(
      `job ${jobId} to finish`,
      async () => {
        const job = await deliverQueue.getJob(jobId);
        return job?.finishedOn
          ? { returnvalue: job.returnvalue as unknown, failed: Boolean(job.failedReason) }
          : undefined;
      },
      60_000,
      200,
    );

  beforeAll(async () => {
    db = await createTestDb('e2e_ntf', { migrate: false });
    const prefix = `{${uniqueName('e2e_ntf')}}`;
    env = migratedEnv(db, prefix, {
      BATCH_SIZE: '10',
      CONCURRENCY: '1',
      WEBHOOK_ALLOW_PRIVATE: 'true',
    });

    smtp = await startSmtpInbox();
    const smtpPort = smtp.port;

    const rnd503 = rng(20261124);
    const rndHang = rng(7);
    good = await startWebhookReceiver();
    // Half the requests fail at random (at most 4 times in a row per message, so retries stay within
    // seconds with a 200 ms backoff); a third hang past the 1 s timeout (at most twice per message).
    flaky = await startTestReceiver(({ attempt }) => ({
      status: attempt <= 4 && rnd503() < 0.5 ? 503 : 204,
    }));
    hang = await startTestReceiver(({ attempt }) =>
      attempt <= 2 && rndHang() < 0.35 ? 'hang' : { status: 200 },
    );
    gone = await startWebhookReceiver(() => 410);
    receivers.push(good, flaky, hang, gone);

    redis = new IORedis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    deliverQueue = new Queue('deliver', { connection: redis, prefix });

    const api = await startServiceProcess('api', { ...env, TOKEN_SECRET }, { logName: 'e2e-ntf-api' });
    procs.set('api', api);
    apiUrl = `http://127.0.0.1:${api.port}`;
    notifierEnv = {
      ...env,
      TOKEN_SECRET,
      PUBLIC_URL: apiUrl,
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      WEBHOOK_TIMEOUT_MS: '1000',
      DELIVERY_BACKOFF_MS: '200',
      // The flaky endpoints must not be paused by a run of bad luck; pausing has its own tests.
      WEBHOOK_MAX_FAILED_MESSAGES: '1000',
    };
    for (const name of [...PIPELINE, 'notifier']) {
      procs.set(
        name,
        await startServiceProcess(name, name === 'notifier' ? notifierEnv : env, {
          logName: `e2e-ntf-${name}`,
        }),
      );
    }
    timings.startup = Date.now() - t0;
  });

  afterAll(async () => {
    await Promise.all([...procs.values()].map((p) => p.stop(5_000)));
    await Promise.all(receivers.map((r) => r.close()));
    await deliverQueue?.close();
    await redis?.quit();
    await smtp?.close();
    await db?.drop();
    console.log('notifier e2e timings (ms)', { ...timings, total: Date.now() - t0 });
  });

  it('double opt-in: the confirmation mail links to the api, which activates the subscription', async () => {
    const now = new Date();
    // The digest's period started at the last scheduled run, ~23.5 h ago: every paper of the run is in it.
    const at = new Date(now.getTime() + 30 * 60_000);
    const created = addSub('digest', [
      'email',
      'reader@example.org',
      '--topics',
      DIGEST_TOPIC,
      '--mode',
      'daily',
      '--hour',
      String(at.getUTCHours()),
      '--minute',
      String(at.getUTCMinutes()),
      '--tz',
      'UTC',
      '--limit',
      '100',
    ]);
    expect(created.status).toBe('pending_confirmation');
    expect(created.confirmationJob).toBe(`confirm-${created.id}`);
    expect(
      (await db.ds.query(`SELECT schedule FROM subscriptions WHERE id = $1`, [created.id]))[0].schedule,
    ).toEqual({
      hour: at.getUTCHours(),
      minute: at.getUTCMinutes(),
      timeZone: 'UTC',
      limit: 100,
    });

    const confirmation = await waitFor(
      'the confirmation mail',
      async () => smtp.mails.find((m) => m.subject?.startsWith('Confirm your PaperWire subscription')),
      30_000,
    );
    expect(JSON.stringify(confirmation.to)).toContain('reader@example.org');
    const link = /Confirm: (\S+)/.exec(confirmation.text ?? '')?.[1];
    expect(link).toMatch(new RegExp(`^${apiUrl}/v1/subscriptions/confirm\\?t=`));
    expect(confirmation.html).toContain('Confirm subscription');

    // A forged or garbled token is refused, as a problem document.
    const forged = await fetch(
      `${apiUrl}/v1/subscriptions/confirm?t=${encodeURIComponent(link!.split('t=')[1].slice(0, -4))}AAAA`,
    );
    expect(forged.status).toBe(400);
    expect(forged.headers.get('content-type')).toContain('application/problem+json');
    expect(
      (await db.ds.query(`SELECT status FROM subscriptions WHERE id = $1`, [created.id]))[0].status,
    ).toBe('pending_confirmation');

    // Right signature, wrong purpose or expired: refused too.
    const unsubscribeToken = signToken({ sub: created.id, purpose: 'unsubscribe' }, TOKEN_SECRET);
    const expired = signToken(
      { sub: created.id, purpose: 'confirm', exp: Math.floor(Date.now() / 1000) - 1 },
      TOKEN_SECRET,
    );
    for (const t of [unsubscribeToken, expired]) {
      expect(
        (await fetch(`${apiUrl}/v1/subscriptions/confirm?t=${t}`, { headers: { accept: 'text/html' } }))
          .status,
      ).toBe(400);
    }

    // Issue #14: the GET (what a mail scanner follows) only shows a button; its POST confirms.
    const page = await fetch(link!, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const pageHtml = await page.text();
    expect(pageHtml).toContain('Confirm subscription');
    expect(
      (await db.ds.query(`SELECT status FROM subscriptions WHERE id = $1`, [created.id]))[0].status,
    ).toBe('pending_confirmation');
    const csrf = /name="csrf" value="([^"]+)"/.exec(pageHtml)?.[1];
    const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0];
    expect(csrf && cookie).toBeTruthy();
    const res = await fetch(link!, {
      method: 'POST',
      headers: { accept: 'text/html', cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf: csrf! }).toString(),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('Subscription confirmed');
    const row = (
      await db.ds.query(`SELECT status, confirmed_at FROM subscriptions WHERE id = $1`, [created.id])
    )[0];
    expect(row.status).toBe('active');
    expect(row.confirmed_at).not.toBeNull();
    const twice = await fetch(link!);
    expect(twice.status).toBe(200);
    expect(await twice.json()).toEqual({ id: created.id, status: 'active' });
    // The confirmation is one keyed delivery, sent once.
    expect(
      await count(
        `SELECT count(*) AS n FROM deliveries WHERE subscription_id = $1 AND digest_key = 'confirm' AND status = 'delivered'`,
        [created.id],
      ),
    ).toBe(1);
  });

  it('delivers every matching paper once over webhooks, through 503s, hangs and a 410', async () => {
    addSub('topics', ['webhook', `${good.url}/topics`, '--topics', TOPICS.join(',')]);
    addSub('claims', ['webhook', `${good.url}/claims`, '--filters', JSON.stringify(CLAIM_FILTER)]);
    addSub('flaky', ['webhook', `${flaky.url}/all`]);
    addSub('hang', ['webhook', `${hang.url}/all`]);
    addSub('gone', ['webhook', `${gone.url}/all`]);

    const tIngest = Date.now();
    runCli(['ingest', 'data/sample/daily-papers-sep-1.txt'], env);
    await waitFor(
      'all 60 papers notified',
      async () =>
        (await count(`SELECT count(*) AS n FROM paper_stages WHERE stage = 'notified'`)) === 60 || undefined,
      150_000,
      250,
    );
    timings.pipeline = Date.now() - tIngest;
    paperIds = (await db.ds.query(`SELECT id FROM papers ORDER BY id`)).map((r: { id: string }) => r.id);

    // The expected sets, from the database with the filters' semantics.
    const topicPapers: string[] = (
      await db.ds.query(
        `SELECT DISTINCT paper_id AS id FROM paper_topics WHERE topic_slug = ANY($1) AND score > 0`,
        [TOPICS],
      )
    ).map((r: { id: string }) => r.id);
    const claimPapers: string[] = (
      await db.ds.query(
        `SELECT DISTINCT paper_id AS id FROM paper_claims WHERE kind = 'relative_improvement' AND unit = '%' AND value >= 5`,
      )
    ).map((r: { id: string }) => r.id);
    expect(topicPapers.length).toBeGreaterThan(0);
    expect(topicPapers.length).toBeLessThan(60);
    expect(claimPapers.length).toBeGreaterThan(0);
    expect(claimPapers.length).toBeLessThan(60);

    const want: [string, number][] = [
      ['topics', topicPapers.length],
      ['claims', claimPapers.length],
      ['flaky', 60],
      ['hang', 60],
    ];
    await waitFor(
      'every webhook delivery done',
      async () => {
        for (const [key, n] of want) if ((await deliveredCount(subs[key].id)) !== n) return undefined;
        return true;
      },
      90_000,
      250,
    );
    timings.webhooks = Date.now() - tIngest;
    for (const [key, n] of want) {
      expect({
        key,
        rows: await count(`SELECT count(*) AS n FROM deliveries WHERE subscription_id = $1`, [subs[key].id]),
      }).toEqual({ key, rows: n });
    }

    const atPath = (r: WebhookReceiver, path: string): ReceivedRequest[] =>
      r.requests.filter((q) => q.path === path);
    expectDeliveredOnce(byPaper(atPath(good, '/topics'), subs.topics.secret!), topicPapers, {
      exactlyOneSuccess: true,
    });
    expectDeliveredOnce(byPaper(atPath(good, '/claims'), subs.claims.secret!), claimPapers, {
      exactlyOneSuccess: true,
    });
    // Flaky and hanging endpoints: some attempts failed and were retried, always with the same webhook-id.
    const flakySeen = byPaper(flaky.requests, subs.flaky.secret!);
    const hangSeen = byPaper(hang.requests, subs.hang.secret!);
    expectDeliveredOnce(flakySeen, paperIds, { exactlyOneSuccess: true });
    expectDeliveredOnce(hangSeen, paperIds, { exactlyOneSuccess: true });
    expect(flaky.requests.filter((r) => r.status === 503).length).toBeGreaterThan(10);
    expect([...flakySeen.values()].filter((s) => s.requests > 1).length).toBeGreaterThan(5);
    expect(hang.requests.filter((r) => r.status === null).length).toBeGreaterThan(5);
    expect([...hangSeen.values()].filter((s) => s.requests > 1).length).toBeGreaterThan(3);

    // 410 Gone disabled the subscription at once; the reason is visible to operators.
    const listed = runCli(['subscriptions', 'list'], env)
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; status: string; statusReason: string | null });
    const goneRow = listed.find((s) => s.id === subs.gone.id)!;
    expect(goneRow.status).toBe('disabled');
    expect(goneRow.statusReason).toMatch(/410/);
    expect(
      await count(
        `SELECT count(*) AS n FROM deliveries WHERE subscription_id = $1 AND status = 'delivered'`,
        [subs.gone.id],
      ),
    ).toBe(0);
    // Only requests already in flight when the first 410 came back reached the endpoint.
    expect(gone.requests.length).toBeGreaterThanOrEqual(1);
    expect(gone.requests.length).toBeLessThanOrEqual(16);
    const goneStatuses = async () =>
      Object.fromEntries(
        (
          await db.ds.query(
            `SELECT status, count(*)::int AS n FROM deliveries WHERE subscription_id = $1 GROUP BY 1`,
            [subs.gone.id],
          )
        ).map((r: { status: string; n: number }) => [r.status, r.n]),
      ) as Record<string, number>;
    // The rest will never be sent: skipped (not left pending), or never recorded at all.
    await waitFor(
      'the gone subscription settled',
      async () => (await goneStatuses()).pending === undefined || undefined,
      15_000,
    ).catch(() => undefined);
    const settled = await goneStatuses();
    expect({ ...settled, failed: undefined, skipped: undefined }).toEqual({
      failed: undefined,
      skipped: undefined,
    });
    expect(settled.failed).toBeGreaterThanOrEqual(1);
  });

  it('sends one daily digest with exactly the matching papers, then honours one-click unsubscribe', async () => {
    const digestId = subs.digest.id;
    const expected: { id: string; title: string; arxiv_id: string | null }[] = await db.ds.query(
      `SELECT p.id, p.title, p.arxiv_id FROM papers p WHERE EXISTS (SELECT 1 FROM paper_topics t WHERE t.paper_id = p.id AND t.topic_slug = $1 AND t.score > 0)`,
      [DIGEST_TOPIC],
    );
    expect(expected.length).toBeGreaterThan(0);
    const before = smtp.mails.length;

    // Confirmed, the subscription got its BullMQ job scheduler (synced every 30 s) at its hour and zone.
    const row0 = (await db.ds.query(`SELECT schedule FROM subscriptions WHERE id = $1`, [digestId]))[0];
    const scheduler = await waitFor(
      'the digest job scheduler',
      async () => (await deliverQueue.getJobScheduler(`digest-${digestId}`)) ?? undefined,
      40_000,
      500,
    );
    expect({ pattern: scheduler.pattern, tz: scheduler.tz }).toEqual({
      pattern: `${row0.schedule.minute} ${row0.schedule.hour} * * *`,
      tz: 'UTC',
    });
    expect(Number(scheduler.next)).toBe(
      nextDigestRun(
        'daily',
        { hour: row0.schedule.hour, minute: row0.schedule.minute, timeZone: 'UTC' },
        new Date(),
      ).getTime(),
    );

    const first = (await cliAsync(['subscriptions', 'digest', digestId])) as { jobId: string; result: string };
    expect(first.result).toBe('delivered');
    expect(await jobResult(first.jobId)).toEqual({ returnvalue: expect.objectContaining({ result: 'delivered' }), failed: false });
    const digest = await waitFor(
      'the digest mail',
      async () => (smtp.mails.length > before ? smtp.mails[smtp.mails.length - 1] : undefined),
      10_000,
    );
    expect(smtp.mails.length).toBe(before + 1);

    expect(digest.subject).toMatch(new RegExp(`^PaperWire daily digest: ${expected.length} new papers? for`));
    expect(digest.html).toBeTruthy();
    expect(digest.text).toBeTruthy();
    const listedTitles = (digest.text ?? '')
      .split('\n')
      .filter((l) => l.startsWith('* '))
      .map((l) => l.slice(2));
    expect(listedTitles.sort()).toEqual(expected.map((p) => oneLine(p.title)).sort());
    for (const p of expected) if (p.arxiv_id) expect(digest.html).toContain(p.arxiv_id);
    const unsubscribeHeader = headerLine(digest, 'List-Unsubscribe');
    expect(headerLine(digest, 'List-Unsubscribe-Post')).toBe(
      'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
    );
    const unsubscribeUrl = /<(https?:[^>]+)>/.exec(unsubscribeHeader ?? '')?.[1];
    expect(unsubscribeUrl).toMatch(new RegExp(`^${apiUrl}/v1/unsubscribe\\?t=`));
    expect(digest.text).toContain(unsubscribeUrl);

    const row = (
      await db.ds.query(
        `SELECT detail, status FROM deliveries WHERE subscription_id = $1 AND digest_key LIKE 'on-demand:%'`,
        [digestId],
      )
    )[0];
    expect(row.status).toBe('delivered');
    expect(new Set(row.detail.papers)).toEqual(new Set(expected.map((p) => p.id)));

    // Asked again in the same period: everything was already sent, so nothing goes out.
    const again = (await cliAsync(['subscriptions', 'digest', digestId])) as { jobId: string; result: string; reason: string; subscriptionStatus: string };
    expect(again).toMatchObject({ result: 'skipped', subscriptionStatus: 'active', reason: expect.stringMatching(/^no new papers matched/) });
    expect(await jobResult(again.jobId)).toEqual({ returnvalue: expect.objectContaining({ result: 'skipped' }), failed: false });

    // Following the link (as a mail scanner would) changes nothing; the page's button POSTs.
    const page = await fetch(unsubscribeUrl!, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<form method="post"');
    expect(html).toContain('name="List-Unsubscribe" value="One-Click"');
    expect((await db.ds.query(`SELECT status FROM subscriptions WHERE id = $1`, [digestId]))[0].status).toBe(
      'active',
    );

    // RFC 8058 one-click, as a mail client sends it.
    const post = await fetch(unsubscribeUrl!, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(post.status).toBe(200);
    const sub = (
      await db.ds.query(`SELECT status, status_reason FROM subscriptions WHERE id = $1`, [digestId])
    )[0];
    expect(sub).toEqual({ status: 'disabled', status_reason: 'unsubscribed' });

    const after = (await cliAsync(['subscriptions', 'digest', digestId])) as { jobId: string; subscriptionStatus: string; result: string; reason: string };
    expect(after).toMatchObject({ subscriptionStatus: 'disabled', result: 'skipped', reason: 'the subscription is disabled, not active' });
    expect(await jobResult(after.jobId)).toEqual({ returnvalue: expect.objectContaining({ result: 'skipped' }), failed: false });
    expect(smtp.mails.length).toBe(before + 1);
  });

  it('loses and duplicates nothing when the notifier is SIGKILLed mid-delivery', async () => {
    // Quiet the first endpoints, and stop the notifier so the new papers queue up for matching.
    for (const key of ['topics', 'claims', 'flaky', 'hang']) cli(['subscriptions', 'pause', subs[key].id]);
    const first = await procs.get('notifier')!.stop(10_000);
    expect(first.forced).toBe(false);

    let killedAt = 0;
    let restartedAt = 0;
    // Staggered answers, so the kill finds some requests answered and others still in flight.
    const slow = await startTestReceiver(
      ({ n }) => ({ status: 200, delayMs: SLOW_MS + (n % 4) * 250 }),
      (answered) => {
        if (answered === KILL_AFTER && !killedAt) {
          killedAt = Date.now();
          procs.get('notifier')!.kill('SIGKILL');
        }
      },
    );
    receivers.push(slow);
    const created = addSub('slow', ['webhook', `${slow.url}/all`]);

    const tIngest = Date.now();
    const { rawDocumentId } = cli([
      'ingest',
      'data/sample/brevio_query_cat-cs.LG-OR-cs.AI_max20_2026-04-30.xml',
    ]) as { rawDocumentId: string };
    const newPapers = await waitFor(
      'the arXiv papers extracted and waiting for the notifier',
      async () => {
        const parsed = await count(
          `SELECT count(*) AS n FROM raw_documents WHERE id = $1 AND paper_count IS NOT NULL`,
          [rawDocumentId],
        );
        const behind = await count(
          `SELECT count(*) AS n FROM paper_stages WHERE stage IN ('parsed', 'classified')`,
        );
        const ready: { id: string }[] = await db.ds.query(
          `SELECT paper_id AS id FROM paper_stages WHERE stage = 'extracted' ORDER BY paper_id`,
        );
        return parsed === 1 && behind === 0 && ready.length > 0 ? ready.map((r) => r.id) : undefined;
      },
      90_000,
      250,
    );
    expect(newPapers.length).toBeGreaterThanOrEqual(KILL_AFTER * 2);

    // The notifier again, with a 5 s webhook timeout.
    const restartNotifier = async (logName: string) =>
      procs.set(
        'notifier',
        await startServiceProcess('notifier', { ...notifierEnv, WEBHOOK_TIMEOUT_MS: '5000' }, { logName }),
      );
    await restartNotifier('e2e-ntf-notifier-2');
    const killed = await procs.get('notifier')!.exited;
    expect(killed).toBe('SIGKILL');
    expect(killedAt).toBeGreaterThan(0);
    const inFlightAtKill = slow.requests.filter((r) => r.status === null).length;
    restartedAt = Date.now();
    await restartNotifier('e2e-ntf-notifier-3');

    // In-flight deliveries come back when their locks expire (~15 s), with the same webhook-id.
    await waitFor(
      'every new paper delivered after the restart',
      async () => (await deliveredCount(created.id)) === newPapers.length || undefined,
      90_000,
      250,
    );
    timings.crashRecovery = Date.now() - restartedAt;
    timings.phase2 = Date.now() - tIngest;
    expect(await count(`SELECT count(*) AS n FROM deliveries WHERE subscription_id = $1`, [created.id])).toBe(
      newPapers.length,
    );

    const seen = byPaper(slow.requests, created.secret!);
    expectDeliveredOnce(seen, newPapers, { exactlyOneSuccess: false });
    // Some papers were sent before the kill and again after the restart: same id both times.
    const spanning = newPapers.filter((id) => {
      const reqs = slow.requests.filter(
        (r) => (JSON.parse(r.body) as { data: { paper: { id: string } } }).data.paper.id === id,
      );
      return reqs.some((r) => r.receivedAt <= killedAt) && reqs.some((r) => r.receivedAt >= restartedAt);
    });
    expect(inFlightAtKill).toBeGreaterThan(0);
    expect(spanning.length).toBeGreaterThan(0);
    // The paused subscriptions got nothing new.
    for (const key of ['topics', 'claims', 'flaky', 'hang']) {
      expect(
        await count(
          `SELECT count(*) AS n FROM deliveries WHERE subscription_id = $1 AND paper_id = ANY($2::uuid[])`,
          [subs[key].id, newPapers],
        ),
      ).toBe(0);
    }
  });
});
