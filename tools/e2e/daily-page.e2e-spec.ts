import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ParsedMail } from 'mailparser';
import type { Browser, Page } from 'playwright-core';
import { pickHeadline } from '@paperwire/actions';
import { claimsOfPapers } from '@paperwire/db';
import { parseDocument } from '@paperwire/feeds';
import {
  REPO_ROOT,
  artifactsDir,
  createTestDb,
  freeTcpPort,
  launchChromium,
  migratedEnv,
  runCli,
  runCliAsync,
  startServiceProcess,
  startSmtpInbox,
  uniqueName,
  waitFor,
  type ServiceProcess,
  type SmtpInbox,
  type TestDb,
} from '@paperwire/testing';
import { WORKER_SERVICES as SERVICES } from '@paperwire/config';

// The Daily Papers page end to end: six services as processes, the bundled capture ingested, the page
// driven in headless Chromium (order, topics, claims, topic filter, search, subscribe), and the
// subscription followed through a local SMTP server: confirmation, digest, unsubscribe.

jest.setTimeout(300_000);

const SAMPLE = 'data/sample/daily-papers-sep-1.txt';

/** Kept for inspection: what the notifier actually sent. */
function keepMail(m: ParsedMail): void {
  appendFileSync(
    join(artifactsDir('logs'), 'e2e-daily-mails.txt'),
    `--- ${m.subject ?? ''}\n${m.text ?? ''}\n${typeof m.html === 'string' ? m.html : ''}\n`,
  );
}

const linkIn = (mail: ParsedMail, path: string): string | undefined => {
  const text = `${mail.text ?? ''}\n${typeof mail.html === 'string' ? mail.html : ''}`;
  // The token parameter's name is the notifier's business (t= or token=): match any query.
  const m = new RegExp(`https?://[^\\s"'<>]*${path.replace(/[/?]/g, '\\$&')}\\?[^\\s"'<>]+`).exec(text);
  return m?.[0].replace(/&amp;/g, '&');
};

describe('Daily Papers page', () => {
  let db: TestDb;
  let inbox: SmtpInbox;
  let browser: Browser;
  let page: Page;
  let env: NodeJS.ProcessEnv;
  let base = '';
  const procs: ServiceProcess[] = [];
  const shots = artifactsDir('screenshots');
  const timings: Record<string, number> = {};
  const t0 = Date.now();
  const expected = parseDocument({
    body: readFileSync(join(REPO_ROOT, SAMPLE)),
    format: 'daily-papers-text',
  }).papers.map((p) => p.title);

  beforeAll(async () => {
    db = await createTestDb('e2e_daily', { migrate: false });
    inbox = await startSmtpInbox(keepMail);
    const apiPort = await freeTcpPort();
    base = `http://127.0.0.1:${apiPort}`;
    env = migratedEnv(db, `{${uniqueName('e2e-daily')}}`, {
      BATCH_SIZE: '20',
      RECONCILE_AFTER_SECONDS: '30',
      RECONCILE_EVERY_SECONDS: '10',
      SMTP_URL: `smtp://127.0.0.1:${inbox.port}`,
      PUBLIC_URL: base,
      TOKEN_SECRET: 'e2e-daily-token-secret-0123456789',
    });
    // The api first, on a port known in advance, since PUBLIC_URL (links in mails) must point at it.
    procs.push(
      await startServiceProcess('api', { ...env, PORT: String(apiPort) }, { logName: 'e2e-daily-api' }),
    );
    for (const name of SERVICES)
      procs.push(await startServiceProcess(name, env, { logName: `e2e-daily-${name}` }));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    timings.startup = Date.now() - t0;
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all(procs.map((p) => p.stop(10_000)));
    await inbox?.close();
    await db?.drop();
    console.log(`daily-page e2e timings (ms): ${JSON.stringify(timings)}`);
  });

  it('lists the 60 sample papers in capture order with topics and claims, filters and searches', async () => {
    const t = Date.now();
    // The capture is today's page: its date line ("Sep 1") names the day it lists its papers on, so today's is written.
    const dir = mkdtempSync(join(tmpdir(), 'pw-e2e-capture-'));
    const capture = join(dir, 'daily-papers-today.txt');
    const todayLine = new Date().toLocaleString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
    const body = readFileSync(join(REPO_ROOT, SAMPLE), 'utf8');
    expect(body).toMatch(/^Sep 1$/m);
    writeFileSync(capture, body.replace(/^Sep 1$/m, todayLine));
    runCli(['ingest', capture], env);
    rmSync(dir, { recursive: true, force: true });
    await waitFor(
      'all 60 papers notified',
      async () =>
        Number(
          (await db.ds.query(`SELECT count(*) AS n FROM paper_stages WHERE stage = 'notified'`))[0].n,
        ) === 60 || undefined,
      180_000,
      500,
    );
    timings.pipeline = Date.now() - t;
    expect(expected).toHaveLength(60);
    const today = new Date().toISOString().slice(0, 10);

    await page.goto(`${base}/?date=${today}`);
    const cards = page.getByTestId('paper');
    expect(await cards.count()).toBe(60);
    expect(await page.getByTestId('paper-title').allTextContents()).toEqual(expected);
    expect(await page.getByTestId('total').textContent()).toBe('60 papers');
    // Topics as chips and headline claims, as many as the database holds.
    const withTopics = Number(
      (await db.ds.query(`SELECT count(DISTINCT paper_id) AS n FROM paper_topics`))[0].n,
    );
    // (a card shows a headline only when one of its result claims may head it: pickHeadline, as the reader picks it)
    const papers: { id: string; abstract: string }[] = await db.ds.query(`SELECT id, abstract FROM papers`);
    const claimRows = await claimsOfPapers(
      db.ds,
      papers.map((p) => p.id),
    );
    const withClaims = papers.filter(
      (p) =>
        pickHeadline(
          claimRows.filter((c) => c.paper_id === p.id),
          p.abstract,
        ) !== null,
    ).length;
    const withCode = Number(
      (await db.ds.query(`SELECT count(*) AS n FROM papers WHERE jsonb_array_length(links->'code') > 0`))[0]
        .n,
    );
    expect(await page.locator('article [data-testid="topics"]').count()).toBe(withTopics);
    expect(withTopics).toBeGreaterThan(30);
    expect(withClaims).toBeGreaterThan(10);
    expect(await page.getByTestId('claim').count()).toBe(withClaims);
    expect(await page.locator('article:has([data-testid="link-code"])').count()).toBe(withCode);
    await page.screenshot({ path: join(shots, 'daily-desktop-1280.png'), fullPage: false });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(shots, 'daily-phone-390.png'), fullPage: false });
    // Nothing overflows sideways on a phone.
    expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1280, height: 900 });

    // Topic filter through the form, by keyboard-reachable controls.
    const [{ slug, n }]: { slug: string; n: string }[] = await db.ds.query(
      `SELECT topic_slug AS slug, count(*) AS n FROM paper_topics GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1`,
    );
    await page.selectOption('#f-topic', slug);
    await Promise.all([page.waitForURL(/topic=/), page.getByRole('button', { name: 'Apply' }).click()]);
    expect(await cards.count()).toBe(Number(n));
    for (const chips of await page.locator('article [data-testid="topics"]').all())
      expect(await chips.locator(`[data-topic="${slug}"]`).count()).toBe(1);
    const filteredTitles = await page.getByTestId('paper-title').allTextContents();
    expect(filteredTitles).toEqual(expected.filter((title) => filteredTitles.includes(title)));

    // Server-side full-text search.
    await page.goto(`${base}/`);
    await page.fill('#f-q', 'hallucination');
    await Promise.all([page.waitForURL(/q=hallucination/), page.press('#f-q', 'Enter')]);
    const found = await page.getByTestId('paper-title').allTextContents();
    const api = (await (await fetch(`${base}/v1/papers?q=hallucination&limit=100`)).json()) as {
      items: { title: string }[];
    };
    expect(found.length).toBeGreaterThan(0);
    expect(new Set(found)).toEqual(new Set(api.items.map((i) => i.title)));
    await page.screenshot({ path: join(shots, 'daily-search-1280.png') });

    // Trending tab: papers with a signal (upvotes, comments, stars, several sources) first seen in the last
    // 7 days, at most 30; the text capture carries no signal, so a paper is there only if seen twice.
    const [{ n: trending }]: { n: string }[] = await db.ds.query(
      `SELECT count(*) AS n FROM paper_read WHERE trend_key IS NOT NULL AND t0 >= now() - interval '7 days'`,
    );
    await page.goto(`${base}/?tab=trending`);
    expect(await cards.count()).toBe(Math.min(30, Number(trending)));
    expect(await page.getByTestId('window-7d').getAttribute('aria-current')).toBe('true');
  });

  it('ranks a Hugging Face day by upvotes, and an upvote change re-ranks it without re-classifying', async () => {
    const t = Date.now();
    const hfFile = 'data/sample/sotawhat_daily_papers_limit30_2026-06-12.json';
    const items = JSON.parse(readFileSync(join(REPO_ROOT, hfFile), 'utf8')) as {
      paper: { id: string; upvotes: number };
    }[];
    const allNotified = async (rawDocumentId: string) => {
      const [r]: { n: string; done: string }[] = await db.ds.query(
        `SELECT count(*) AS n, count(*) FILTER (WHERE p.stage = 'notified') AS done FROM paper_sources ps JOIN paper_stages p ON p.paper_id = ps.paper_id WHERE ps.raw_document_id = $1`,
        [rawDocumentId],
      );
      return (Number(r.n) === items.length && r.n === r.done) || undefined;
    };
    const first = JSON.parse(runCli(['ingest', hfFile], env)) as { rawDocumentId: string };
    await waitFor('the 30 HF papers notified', () => allNotified(first.rawDocumentId), 120_000, 500);
    type Day = { date: string; items: { id: string; arxivId: string; title: string; upvotes: number }[] };
    const day = async () => (await (await fetch(`${base}/v1/daily?date=2026-06-12`)).json()) as Day;
    const before = await day();
    expect(before.items).toHaveLength(30);
    const votes = before.items.map((i) => i.upvotes);
    expect(votes).toEqual([...items.map((i) => i.paper.upvotes)].sort((a, b) => b - a));
    await page.goto(`${base}/?date=2026-06-12`);
    expect((await page.getByTestId('paper-title').first().textContent())?.trim()).toBe(before.items[0].title);

    // The same listing later, the last paper now at 500 upvotes: only the sighting changes.
    const last = before.items[before.items.length - 1];
    const stamps: { id: string; classified_at: Date; content_hash: string }[] = await db.ds.query(
      `SELECT paper_id AS id, classified_at, content_hash FROM paper_stages ORDER BY paper_id`,
    );
    const changed = items.map((i) => ({
      ...i,
      paper: { ...i.paper, upvotes: i.paper.id === last.arxivId ? 500 : i.paper.upvotes },
    }));
    expect(changed.filter((i) => i.paper.upvotes === 500)).toHaveLength(1);
    const tmp = join(mkdtempSync(join(tmpdir(), 'pw-e2e-daily-')), 'daily_papers_2026-06-12_later.json');
    writeFileSync(tmp, JSON.stringify(changed));
    const { rawDocumentId } = JSON.parse(runCli(['ingest', tmp], env)) as { rawDocumentId: string };
    rmSync(tmp, { force: true });
    await waitFor(
      'the second listing parsed',
      async () =>
        (await db.ds.query(`SELECT status FROM raw_documents WHERE id = $1`, [rawDocumentId]))[0].status ===
          'parsed' || undefined,
      60_000,
    );
    // Anonymous listings are shared for API_CACHE_MS (2 s): the change shows within that.
    const after = await waitFor(
      'the re-ranked day',
      async () => {
        const d = await day();
        return d.items[0]?.id === last.id ? d : undefined;
      },
      30_000,
      250,
    );
    expect(after.items[0]).toMatchObject({ id: last.id, upvotes: 500 });
    expect(after.items).toHaveLength(30);
    // The rendered page is shared for API_CACHE_MS too (its own cache, filled at its own time).
    const firstTitle = await waitFor(
      'the re-ranked page',
      async () => {
        await page.goto(`${base}/?date=2026-06-12`);
        const title = (await page.getByTestId('paper-title').first().textContent())?.trim();
        return title === last.title ? title : undefined;
      },
      10_000,
      500,
    );
    expect(firstTitle).toBe(last.title);
    // Nothing was classified again: same timestamps and hashes, every paper still notified.
    const again: typeof stamps = await db.ds.query(
      `SELECT paper_id AS id, classified_at, content_hash FROM paper_stages ORDER BY paper_id`,
    );
    expect(again.map((r) => [r.id, new Date(r.classified_at).getTime(), r.content_hash])).toEqual(
      stamps.map((r) => [r.id, new Date(r.classified_at).getTime(), r.content_hash]),
    );
    expect(await allNotified(rawDocumentId)).toBe(true);
    timings.upvoteChange = Date.now() - t;
  });

  it('subscribes, confirms through the mailed link, receives a digest and unsubscribes', async () => {
    const t = Date.now();
    // The form's digest is "Trending papers": what the Trending tab lists (upvotes, first seen in the last 7 days).
    // June's listing above is long past, so today's Hugging Face listing is ingested: 12 new papers with upvotes.
    type HfItem = {
      paper: { id: string; title: string; submittedOnDailyAt?: string; upvotes: number };
      title: string;
    };
    const hfItems = JSON.parse(
      readFileSync(join(REPO_ROOT, 'data/sample/sotawhat_daily_papers_limit30_2026-06-12.json'), 'utf8'),
    ) as HfItem[];
    const now = new Date().toISOString();
    const todays = hfItems.slice(0, 12).map((i, k) => {
      const id = `2612.${String(90001 + k)}`;
      const title = `${i.title} (today ${k})`;
      return { ...i, title, paper: { ...i.paper, id, title, submittedOnDailyAt: now, upvotes: 10 + k } };
    });
    const dir = mkdtempSync(join(tmpdir(), 'pw-e2e-today-'));
    const todayFile = join(dir, 'daily_papers_today.json');
    writeFileSync(todayFile, JSON.stringify(todays));
    const todayDoc = JSON.parse(runCli(['ingest', todayFile], env)) as { rawDocumentId: string };
    rmSync(dir, { recursive: true, force: true });
    await waitFor(
      "today's 12 HF papers notified",
      async () => {
        const [r]: { n: string }[] = await db.ds.query(
          `SELECT count(*) FILTER (WHERE s.stage = 'notified') AS n FROM paper_sources ps
             JOIN paper_stages s ON s.paper_id = ps.paper_id WHERE ps.raw_document_id = $1`,
          [todayDoc.rawDocumentId],
        );
        return Number(r.n) === 12 || undefined;
      },
      120_000,
      500,
    );
    await page.goto(`${base}/`);
    await page.fill('#s-email', 'reader@example.org');
    await Promise.all([
      page.waitForURL(`${base}/subscribe`),
      page.getByRole('button', { name: 'Subscribe' }).click(),
    ]);
    const message = page.getByTestId('message');
    if ((await message.count()) === 0)
      throw new Error(
        `no confirmation message; the page says: ${(await page.locator('body').innerText()).slice(0, 600)}`,
      );
    expect(await message.textContent()).toContain('reader@example.org');
    await page.screenshot({ path: join(shots, 'subscribed-1280.png') });
    const [sub]: { id: string; status: string }[] = await db.ds.query(
      `SELECT id, status FROM subscriptions WHERE target = 'reader@example.org'`,
    );
    expect(sub.status).toBe('pending_confirmation');

    const confirmMail = await waitFor(
      'the confirmation mail',
      async () => inbox.mails.find((m) => linkIn(m, '/v1/subscriptions/confirm')),
      60_000,
    );
    const confirm = linkIn(confirmMail, '/v1/subscriptions/confirm')!;
    expect(confirm.startsWith(`${base}/`)).toBe(true);
    const confirmed = await page.goto(confirm);
    expect(confirmed?.status()).toBeLessThan(400);
    // Issue #14: opening the link changes nothing; the page's button POSTs the confirmation.
    expect((await db.ds.query(`SELECT status FROM subscriptions WHERE id = $1`, [sub.id]))[0].status).toBe(
      'pending_confirmation',
    );
    await page.getByRole('button', { name: 'Confirm subscription' }).click();
    await page.getByText('Subscription confirmed').waitFor({ timeout: 10_000 });
    await waitFor(
      'the subscription to be active',
      async () =>
        (await db.ds.query(`SELECT status FROM subscriptions WHERE id = $1`, [sub.id]))[0].status ===
          'active' || undefined,
      10_000,
    );
    timings.confirm = Date.now() - t;

    // An on-demand digest through the operator CLI: the current period so far, which holds today's papers.
    // (awaited, not run synchronously: the CLI waits for the digest, whose mail goes to the SMTP catcher in this process)
    const triggered = JSON.parse(await runCliAsync(['subscriptions', 'digest', sub.id], env)) as {
      jobId: string;
      subscriptionStatus: string;
      result: string;
    };
    expect(triggered).toMatchObject({ subscriptionStatus: 'active', result: 'delivered' });
    const digest = await waitFor(
      'the digest mail',
      async () => inbox.mails.find((m) => m !== confirmMail && linkIn(m, '/v1/unsubscribe')),
      60_000,
    );
    const text = digest.text ?? '';
    const top10: { title: string }[] = await db.ds.query(
      `SELECT p.title FROM papers p JOIN paper_read r ON r.paper_id = p.id
        WHERE r.trend_key IS NOT NULL AND r.t0 >= now() - interval '7 days'
        ORDER BY r.trend_key DESC, p.id LIMIT 10`,
    );
    expect(top10).toHaveLength(10);
    for (const r of top10) expect(text).toContain(r.title);
    expect(top10.every((r) => r.title.includes('(today'))).toBe(true);
    // June's papers, however many upvotes they have, are not this week's trending papers
    expect(text).not.toContain(hfItems[20].title);
    // mailparser turns List-Unsubscribe into a structure; the raw line is what mail clients read.
    expect(digest.headerLines.find((h) => h.key === 'list-unsubscribe')?.line ?? '').toContain(
      '/v1/unsubscribe?',
    );
    timings.digest = Date.now() - t;

    const unsubscribe = linkIn(digest, '/v1/unsubscribe')!;
    const res = await page.goto(unsubscribe);
    expect(res?.status()).toBeLessThan(400);
    // A GET may show a confirmation button (one-click is the POST from List-Unsubscribe-Post).
    const button = page.getByRole('button', { name: /unsubscribe/i });
    if ((await button.count()) > 0) await button.first().click();
    await waitFor(
      'the subscription to be off',
      async () => {
        const rows: { status: string }[] = await db.ds.query(
          `SELECT status FROM subscriptions WHERE id = $1`,
          [sub.id],
        );
        return rows.length === 0 || rows[0].status !== 'active' || undefined;
      },
      10_000,
    );
    timings.unsubscribe = Date.now() - t;
  });
});
