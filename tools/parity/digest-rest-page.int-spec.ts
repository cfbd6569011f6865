import 'reflect-metadata';
import { loadConfig } from '@paperwire/config';
import { digestWebhookPayloadSchema, signToken } from '@paperwire/notifications';
import { Metrics } from '@paperwire/service-kit';
import { createLogger } from '@paperwire/telemetry';
import { seedPaper, seedTopic, startWebhookReceiver, type WebhookReceiver } from '@paperwire/testing';
import { useTestApi } from '../../services/api/src/testing/use-test-api';
import { DigestRepository } from '../../services/notifier/src/digest.repository';
import { DigestService } from '../../services/notifier/src/digest.service';
import type { Mailer } from '../../services/notifier/src/mailer';
import { notifierServiceEnvSchema } from '../../services/notifier/src/notifier-config';
import { NotifierRepository } from '../../services/notifier/src/notifier.repository';

jest.setTimeout(120_000);

// Review 23: a capped digest's "See the rest" link opened a day page that listed 50 papers the digest had already
// sent and only 10 of the 60 it left out, and ignored a topic subscription's filter. Here the notifier runs real
// digests (a plain subscription and a topic one, mail and webhook) and the api serves the link they carry: the page
// lists exactly the papers each digest left out, in its order, 50 a page; a tampered token is the 400 link page.
describe("a capped digest's link lists exactly the papers it left out: notifier and api", () => {
  const SECRET = 'digest-rest-page-test-secret-0123456789';
  const PUBLIC_URL = 'https://pw.example';
  const PAPERS = 60;
  const AGENTS = 6; // papers 1..6 are about agents, the rest about retrieval
  const LIMIT = 3;
  const api = useTestApi(
    't_digest_rest',
    async ({ ds }) => {
      await seedTopic(ds, 'rag', 'Retrieval-augmented generation');
      await seedTopic(ds, 'agents', 'Agents');
      for (let i = 1; i <= PAPERS; i++)
        await seedPaper(ds, {
          title: `Paper ${i}`,
          abstract: `Abstract ${i}.`,
          arxivId: `2612.${String(10000 + i)}`,
          // paper i is i minutes old: the digest (newest first) orders them 1, 2, 3, …
          publishedAt: new Date(Date.now() - i * 60_000).toISOString(),
          stage: 'notified',
          stageAgo: { notified: 30 },
          topics: [{ slug: i <= AGENTS ? 'agents' : 'rag', score: 0.9, primary: true }],
        });
    },
    { TOKEN_SECRET: SECRET, PUBLIC_URL },
  );
  const mails: { to: string; subject: string; text: string; html: string }[] = [];
  let receiver: WebhookReceiver;
  let service: DigestService;
  /** paper title → id */
  const byTitle = new Map<string, string>();

  beforeAll(async () => {
    receiver = await startWebhookReceiver(({ n }) => (n === 0 ? 500 : 200));
    const config = loadConfig(notifierServiceEnvSchema, { WEBHOOK_ALLOW_PRIVATE: 'true', PUBLIC_URL, TOKEN_SECRET: SECRET });
    const mailer = { send: async (m: (typeof mails)[number]) => void mails.push(m) } as unknown as Mailer;
    const repo = new NotifierRepository(api.db.ds);
    service = new DigestService(new DigestRepository(api.db.ds), repo, mailer, config, createLogger('digest-rest', 'silent'), new Metrics());
    for (const r of (await api.db.ds.query(`SELECT id, title FROM papers`)) as { id: string; title: string }[]) byTitle.set(r.title, r.id);
  });
  afterAll(async () => {
    await receiver?.close();
  });

  const ids = (numbers: number[]) => numbers.map((i) => byTitle.get(`Paper ${i}`)!);
  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, k) => from + k);
  const subscription = async (channel: 'email' | 'webhook', target: string, filters: object): Promise<string> =>
    (
      await api.db.ds.query(
        `INSERT INTO subscriptions (name, channel, target, secrets, filters, mode, schedule, status)
         VALUES ($1, $2, $3, '["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]', $4, 'daily', $5, 'active') RETURNING id`,
        [`digest of ${channel} ${JSON.stringify(filters)}`, channel, target, JSON.stringify(filters),
          JSON.stringify({ hour: (new Date().getUTCHours() + 12) % 24, timeZone: 'UTC', limit: LIMIT })],
      )
    )[0].id as string;
  const run = (id: string, lastAttempt = true, firedAt = new Date()) => service.handleSendDigest(id, { firedAt, onDemand: true }, lastAttempt);
  const linkIn = (text: string) => /See the rest on PaperWire: (\S+)/.exec(text)?.[1] ?? '';
  const path = (url: string) => url.slice(PUBLIC_URL.length);
  /** every paper the page lists, following its next links */
  const listed = async (url: string): Promise<{ ids: string[]; pages: number; body: Record<string, unknown> }> => {
    const out: string[] = [];
    let next: string | null = path(url);
    let pages = 0;
    let body: Record<string, unknown> = {};
    while (next) {
      const res = await api.http().get(next).set('Accept', 'application/json').expect(200);
      body = res.body as Record<string, unknown>;
      const items = body.items as { id: string }[];
      expect(items.length).toBeLessThanOrEqual(50);
      out.push(...items.map((p) => p.id));
      if (body.next) expect(res.headers.link).toBe(`<${body.next as string}>; rel="next"`);
      next = (body.next as string | null) ?? null;
      pages++;
    }
    return { ids: out, pages, body };
  };

  let plainUrl = '';
  it('a plain subscription: the mail carries 3 of 60 and its link lists the other 57, in the digest order, 50 a page', async () => {
    const id = await subscription('email', 'reader@example.com', {});
    await expect(run(id)).resolves.toBe('delivered');
    const mail = mails.at(-1)!;
    expect(mail.text).toContain(`3 of ${PAPERS} new papers`);
    plainUrl = linkIn(mail.text);
    expect(plainUrl).toMatch(/^https:\/\/pw\.example\/digests\/[0-9a-f-]{36}\?t=[\w.-]+$/);
    expect(mail.html).toContain(`href="${plainUrl}"`);
    const { ids: page, pages, body } = await listed(plainUrl);
    expect(pages).toBe(2);
    expect(page).toEqual(ids(range(LIMIT + 1, PAPERS)));
    expect(body).toMatchObject({ total: PAPERS, leftOut: PAPERS - LIMIT, subscription: { name: 'digest of email {}' }, mode: 'daily' });
    expect(JSON.stringify(body)).not.toContain('reader@example.com');
  });

  it('the HTML page shows the same papers as cards, names the digest, and never its address', async () => {
    const res = await api.http().get(path(plainUrl)).set('Accept', 'text/html').expect(200);
    const cards = [...res.text.matchAll(/data-paper-id="([^"]+)"/g)].map((m) => m[1]);
    expect(cards).toEqual(ids(range(LIMIT + 1, LIMIT + 50)));
    expect(res.text).toContain('Left out of “digest of email {}”');
    expect(res.text).toContain(`these are the ${PAPERS - LIMIT} it left out`);
    expect(res.text).not.toContain('reader@example.com');
    expect(res.headers['cache-control']).toBe('no-store');
    const next = /href="([^"]+)" rel="next"/.exec(res.text)?.[1].replace(/&amp;/g, '&');
    const second = await api.http().get(next!).set('Accept', 'text/html').expect(200);
    expect([...second.text.matchAll(/data-paper-id="([^"]+)"/g)].map((m) => m[1])).toEqual(ids(range(LIMIT + 51, PAPERS)));
  });

  it('a topic subscription: its link lists only the papers of its topic that the digest left out', async () => {
    const id = await subscription('email', 'agents@example.com', { topics: { slugs: ['agents'] } });
    await expect(run(id)).resolves.toBe('delivered');
    const mail = mails.at(-1)!;
    expect(mail.text).toContain(`3 of ${AGENTS} new papers`);
    const { ids: page } = await listed(linkIn(mail.text));
    expect(page).toEqual(ids(range(LIMIT + 1, AGENTS)));
  });

  it('a webhook digest: `url` is the same page, and the retry of a failed send carries the same link', async () => {
    const id = await subscription('webhook', `${receiver.url}/digest`, { topics: { slugs: ['rag'] } });
    // the same run again (the job's retry): the same delivery, sent anew
    const firedAt = new Date();
    await expect(run(id, false, firedAt)).rejects.toThrow(/500/);
    await expect(run(id, true, firedAt)).resolves.toBe('delivered');
    expect(await api.db.ds.query(`SELECT count(*)::int AS n FROM deliveries WHERE subscription_id = $1`, [id])).toEqual([{ n: 1 }]);
    const [first, retry] = receiver.requests.map((r) => digestWebhookPayloadSchema.parse(JSON.parse(r.body)).data.digest);
    expect(retry.url).toBe(first.url);
    expect(retry).toMatchObject({ total: PAPERS - AGENTS, truncated: true });
    const { ids: page } = await listed(retry.url!);
    expect(page).toEqual(ids(range(AGENTS + LIMIT + 1, PAPERS)));
  });

  it('a missing, tampered, foreign or wrong-purpose token is the 400 "link does not work" page', async () => {
    const url = new URL(plainUrl);
    const token = url.searchParams.get('t')!;
    const deliveryId = url.pathname.split('/').at(-1)!;
    const [other] = (await api.db.ds.query(`SELECT id FROM deliveries WHERE id <> $1 AND digest_key IS NOT NULL LIMIT 1`, [deliveryId])) as { id: string }[];
    const flip = (s: string) => s.slice(0, -2) + (s.at(-2) === 'A' ? 'B' : 'A') + s.at(-1);
    const [body, sig] = token.split('.');
    const forgedBody = Buffer.from(JSON.stringify({ sub: other.id, purpose: 'digest', exp: 9_999_999_999 })).toString('base64url');
    const attempts = [
      `/digests/${deliveryId}`,
      `/digests/${deliveryId}?t=${flip(token)}`,
      `/digests/${deliveryId}?t=${forgedBody}.${sig}`,
      `/digests/${other.id}?t=${encodeURIComponent(token)}`,
      `/digests/${deliveryId}?t=${encodeURIComponent(signToken({ sub: deliveryId, purpose: 'unsubscribe' }, SECRET))}`,
      `/digests/${deliveryId}?t=${encodeURIComponent(signToken({ sub: deliveryId, purpose: 'digest' }, 'another-secret-0123456789'))}`,
      `/digests/not-a-uuid?t=${encodeURIComponent(token)}`,
    ];
    expect(body.length).toBeGreaterThan(0);
    for (const a of attempts) {
      const html = await api.http().get(a).set('Accept', 'text/html');
      expect({ a, status: html.status }).toEqual({ a, status: 400 });
      expect(html.text).toContain('This link does not work');
      const json = await api.http().get(a).set('Accept', 'application/json');
      expect({ a, status: json.status }).toEqual({ a, status: 400 });
    }
    // a bad page number is a 400, never a 500
    await api.http().get(`${path(plainUrl)}&page=0`).set('Accept', 'application/json').expect(400);
    await api.http().get(`${path(plainUrl)}&page=abc`).set('Accept', 'text/html').expect(400);
    // past the end: a 400 naming the last page (session 25: an empty 200 said nothing of the range)
    const past = await api.http().get(`${path(plainUrl)}&page=9`).set('Accept', 'application/json').expect(400);
    expect(past.body.detail).toMatch(/^page must be at most \d+ \(got 9\)/);
  });

  it('a digest made before the list was kept says so and links the period page it linked then', async () => {
    const deliveryId = new URL(plainUrl).pathname.split('/').at(-1)!;
    await api.db.ds.query(
      `UPDATE deliveries SET detail = (detail - 'leftOut' - 'leftOutKept') || '{"restUrl": "https://pw.example/?date=2026-09-01"}' WHERE id = $1`,
      [deliveryId],
    );
    const res = await api.http().get(path(plainUrl)).set('Accept', 'text/html').expect(200);
    expect(res.text).toContain('not available');
    expect(res.text).toContain('href="https://pw.example/?date=2026-09-01"');
    expect(res.text).not.toContain('data-paper-id');
    const json = await api.http().get(path(plainUrl)).set('Accept', 'application/json').expect(200);
    expect(json.body).toMatchObject({ leftOut: null, items: [], periodUrl: 'https://pw.example/?date=2026-09-01' });
  });
});
