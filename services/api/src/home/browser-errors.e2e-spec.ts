import type { INestApplication } from '@nestjs/common';
import type { Browser, Page } from 'playwright-core';
import { createTestDb, launchChromium, seedTopic, uniqueName, type TestDb } from '@paperwire/testing';
import { createTestApp } from '../testing/app';

// What a browser shows where a reader meets an error on a page (session 21's review): an HTML page,
// never a problem document in a <pre>; a topic that does not exist said, never every paper shown.

jest.setTimeout(120_000);

describe('errors on pages, in Chromium', () => {
  let db: TestDb;
  let app: INestApplication;
  let browser: Browser;
  let page: Page;
  let base = '';

  beforeAll(async () => {
    db = await createTestDb('e2e_browser_errors');
    await seedTopic(db.ds, 'rag', 'Retrieval-augmented generation');
    app = await createTestApp(db, `{${uniqueName('e2e-browser-errors')}}`, { RATE_LIMIT_PER_MINUTE: '100000', LOG_LEVEL: 'error' }, { listen: true });
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    browser = await launchChromium();
    page = await browser.newPage({ bypassCSP: true });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await db?.drop();
  });

  /** What the reader sees: a page of its own, not JSON shown as text. */
  const shown = async () => ({
    pre: await page.locator('pre').count(),
    h1: (await page.locator('h1').first().innerText()).trim(),
    body: await page.locator('body').innerText(),
  });

  it('subscribing, then opening the answer\'s address again: the form, not a 405 problem document', async () => {
    await page.goto(`${base}/`);
    await page.fill('#s-email', 'reader@example.org');
    await Promise.all([page.waitForURL(`${base}/subscribe`), page.getByRole('button', { name: 'Subscribe' }).click()]);
    expect(await page.getByTestId('message').innerText()).toContain('reader@example.org');
    const again = await page.goto(`${base}/subscribe`);
    expect(again?.status()).toBe(200);
    expect(page.url()).toBe(`${base}/`);
    expect(await page.getByTestId('subscribe-form').count()).toBe(1);
    expect((await shown()).pre).toBe(0);
  });

  it('a topic the form did not offer is refused on the form, naming it', async () => {
    await page.goto(`${base}/`);
    await page.fill('#s-email', 'other@example.org');
    // A stale form: its checkbox names a topic that is gone.
    await page.locator('input[name="topics"][value="rag"]').evaluate((el) => el.setAttribute('value', 'effciency'));
    await page.locator('details summary').click();
    await page.locator('input[name="topics"]').first().check();
    const [res] = await Promise.all([page.waitForResponse(`${base}/subscribe`), page.getByRole('button', { name: 'Subscribe' }).click()]);
    expect(res.status()).toBe(400);
    expect(await page.getByTestId('subscribe-error').innerText()).toContain('no such topic: effciency');
    expect(await db.ds.query(`SELECT id FROM subscriptions WHERE target = 'other@example.org'`)).toEqual([]);
  });

  it('a NUL in the search box and a topic that does not exist: pages that say so', async () => {
    const nul = await page.goto(`${base}/?q=%00`);
    expect(nul?.status()).toBe(400);
    expect(nul?.headers()['content-type']).toMatch(/^text\/html/);
    const nulPage = await shown();
    expect(nulPage.pre).toBe(0);
    expect(nulPage.body).toContain('NUL characters are not allowed');

    const topic = await page.goto(`${base}/?topic=nope`);
    expect(topic?.status()).toBe(404);
    const topicPage = await shown();
    expect(topicPage.h1).toContain('No such topic');
    expect(topicPage.body).toContain('There is no topic "nope"');
  });
});
