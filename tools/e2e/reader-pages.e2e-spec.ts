import { readFileSync } from 'node:fs';
import type { INestApplication } from '@nestjs/common';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, createTestDb, uniqueName, type TestDb } from '@paperwire/testing';
import { createTestApp } from '../../services/api/src/testing/app';
import { HF_DAY, HF_MONTH, HF_WEEK, NEAR_DUPLICATE_TITLE, VERSIONED_ARXIV, seedReaderCatalogue, type ReaderCatalogue } from './reader-fixture';

// The reader's pages in headless Chromium: the paper page (highlighted claims and their focus tooltip,
// the versions diff, similar papers), the week and month views with their pickers, the trending window
// switch, and axe-core (no serious or critical violation) on PaperWire's own pages at 1280 and 390 px.

jest.setTimeout(240_000);

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

describe('reader pages in Chromium', () => {
  let db: TestDb;
  let app: INestApplication;
  let browser: Browser;
  let ctx: BrowserContext;
  let page: Page;
  let base = '';
  let cat: ReaderCatalogue;

  beforeAll(async () => {
    db = await createTestDb('e2e_reader');
    cat = await seedReaderCatalogue(db.ds);
    app = await createTestApp(db, `{${uniqueName('e2e-reader')}}`, { RATE_LIMIT_PER_MINUTE: '100000', TOKEN_SECRET: 'e2e-reader-token-secret-0123456789' }, { listen: true });
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    browser = await launchChromium();
    // axe is injected as a script; the pages' CSP (no script at all) would refuse it.
    ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    page = await ctx.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await db?.drop();
  });

  it('paper page on a phone: topic and source names wrap between words, the evidence beside them takes the rest', async () => {
    const phone = await browser.newPage({ viewport: { width: 320, height: 800 } });
    await phone.goto(`${base}/papers/${VERSIONED_ARXIV}`);
    const broken = (await phone.evaluate(`(() => {
      const out = [];
      for (const th of document.querySelectorAll('table.data th[scope=row]')) {
        const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode())
          for (const m of node.data.matchAll(/[^\\s\\u002d]+/g)) {
            const range = document.createRange();
            range.setStart(node, m.index);
            range.setEnd(node, m.index + m[0].length);
            if (new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size > 1) out.push(m[0]);
          }
      }
      return out;
    })()`)) as string[];
    const rows = await phone.locator('table.data th[scope=row]').count();
    await phone.close();
    expect(rows).toBeGreaterThan(0);
    expect(broken).toEqual([]);
  });

  it('paper page: claims highlighted with a tooltip on focus and hover, the versions diff, similar papers', async () => {
    const res = await page.goto(`${base}/papers/${VERSIONED_ARXIV}`);
    expect(res?.status()).toBe(200);
    const marks = page.getByTestId('claim-mark');
    const claims = Number((await db.ds.query(`SELECT count(*) AS n FROM paper_claims WHERE paper_id = $1`, [cat.versionedId]))[0].n);
    expect(claims).toBeGreaterThanOrEqual(3);
    expect(await marks.count()).toBe(claims);
    const tip = marks.first().locator('.tip');
    expect(await tip.isVisible()).toBe(false);
    // Keyboard: Tab reaches the first claim, and focus shows its fields.
    await page.locator('[data-testid="abstract"]').scrollIntoViewIfNeeded();
    await marks.first().focus();
    await tip.waitFor({ state: 'visible' });
    const text = (await tip.textContent()) ?? '';
    expect(text).toMatch(/Value/);
    expect(text).toMatch(/Unit/);
    expect(text).toMatch(/Metric/);
    expect(text).toMatch(/Baseline/);
    expect(text).toMatch(/Dataset/);
    expect(await marks.first().getAttribute('tabindex')).toBe('0');
    // Hover shows the second one.
    await marks.nth(1).hover();
    await marks.nth(1).locator('.tip').waitFor({ state: 'visible' });

    const change = page.getByTestId('version-change');
    expect(await change.count()).toBe(1);
    expect(await change.locator('h3').innerText()).toBe('v1 → v2');
    expect(await change.getByTestId('diff-added').count()).toBeGreaterThan(0);
    expect(await change.getByTestId('diff-removed').count()).toBeGreaterThan(0);
    const claimChanges = await change.locator('[data-change]').allInnerTexts();
    expect(claimChanges.some((c) => /^changed: 35% .*→ 52%/.test(c))).toBe(true);
    expect(claimChanges.some((c) => /^added: /.test(c))).toBe(true);

    const similar = page.getByTestId('similar-paper');
    expect(await similar.count()).toBeGreaterThan(0);
    expect(await similar.first().innerText()).toBe(NEAR_DUPLICATE_TITLE);
    await Promise.all([page.waitForURL(/\/papers\//), similar.first().click()]);
    expect(await page.getByTestId('paper-title').innerText()).toBe(NEAR_DUPLICATE_TITLE);
  });

  it("arxiv.org's addresses on this host: /abs and /pdf lead to the paper page (its predicted category shown), an unknown id to the 404 page", async () => {
    const abs = await page.goto(`${base}/abs/${VERSIONED_ARXIV}v2`);
    expect(abs?.status()).toBe(200);
    expect(page.url()).toBe(`${base}/papers/${VERSIONED_ARXIV}`);
    expect(abs?.request().redirectedFrom()?.url()).toBe(`${base}/abs/${VERSIONED_ARXIV}v2`);
    const [{ predicted_category: predicted }] = await db.ds.query(`SELECT predicted_category FROM papers WHERE id = $1`, [cat.versionedId]);
    expect(predicted).toMatch(/^[a-z-]+(\.[A-Za-z-]+)?$/);
    const line = page.getByTestId('categories');
    expect(await line.getAttribute('data-predicted')).toBe('true');
    expect(await line.innerText()).toBe(`Category: ${predicted} (predicted from the title and abstract; the source gave none)`);
    // The stored PDF link is where /pdf goes (not followed: this sandbox has no arxiv.org).
    const pdf = await page.request.get(`${base}/pdf/${VERSIONED_ARXIV}v2.pdf`, { maxRedirects: 0 });
    expect([pdf.status(), pdf.headers().location]).toEqual([302, `https://arxiv.org/pdf/${VERSIONED_ARXIV}`]);
    // A paper without a PDF link: its page.
    const bare = await page.goto(`${base}/pdf/${cat.nearDuplicateId}`);
    expect(bare?.status()).toBe(200);
    expect(page.url()).toBe(`${base}/papers/${cat.nearDuplicateId}`);
    expect(await page.getByTestId('paper-title').innerText()).toBe(NEAR_DUPLICATE_TITLE);
    const missing = await page.goto(`${base}/abs/2699.99999v1`);
    expect(missing?.status()).toBe(404);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Not Found');
    expect(await page.getByTestId('message').innerText()).toMatch(/no paper "2699\.99999v1"/);
  });

  it('day, week and month views with the pickers and prev/next', async () => {
    await page.goto(`${base}/?date=${HF_DAY}`);
    expect(await page.getByTestId('total').innerText()).toBe('30 papers');
    await Promise.all([page.waitForURL(/week=/), page.getByTestId('view-week').click()]);
    expect(page.url()).toContain(`week=${HF_WEEK}`);
    expect(await page.getByTestId('period').innerText()).toMatch(/^Week 24, 2026/);
    expect(await page.getByTestId('total').innerText()).toBe('31 papers');
    await Promise.all([page.waitForURL(/week=2026-W23/), page.getByTestId('period-prev').click()]);
    expect(await page.getByTestId('total').innerText()).toBe('1 paper');
    // no earlier week lists a paper: no "previous" leading to an empty week (as the day view has none)
    expect(await page.getByTestId('period-prev').count()).toBe(0);
    await Promise.all([page.waitForURL(/month=/), page.getByTestId('view-month').click()]);
    expect(page.url()).toContain(`month=${HF_MONTH}`);
    expect(await page.locator('#h-list').innerText()).toMatch(/June 2026/);
    expect(await page.getByTestId('total').innerText()).toBe('32 papers');
    // The native month picker.
    await page.fill('#pick-month', '2026-05');
    await Promise.all([page.waitForURL(/month=2026-05/), page.getByRole('button', { name: 'Show month' }).click()]);
    expect(await page.getByTestId('empty').isVisible()).toBe(true);
    // an empty month points only at months with papers: none before it, June after it
    expect(await page.getByTestId('period-prev').count()).toBe(0);
    await Promise.all([page.waitForURL(/month=2026-06/), page.getByTestId('period-next').click()]);
    expect(await page.getByTestId('total').innerText()).toBe('32 papers');
    // The date picker from a day view.
    await page.goto(`${base}/?date=2026-06-09`);
    await page.fill('#pick-date', HF_DAY);
    await Promise.all([page.waitForURL(new RegExp(`date=${HF_DAY}`)), page.getByRole('button', { name: 'Show day' }).click()]);
    expect(await page.getByTestId('total').innerText()).toBe('30 papers');
    // Cards link to the paper page; code once.
    const href = await page.getByTestId('paper-title').first().getAttribute('href');
    expect(href).toMatch(/^\/papers\/\d{4}\.\d{5}$/);
    for (const card of await page.getByTestId('paper').all()) expect(await card.getByTestId('link-code').count()).toBeLessThanOrEqual(1);
    // A bad date is a 400 page, never a 500.
    for (const qs of ['date=2026-02-30', 'week=2026-W60', 'month=2026-13', 'date=x']) {
      const r = await page.goto(`${base}/?${qs}`);
      expect({ qs, status: r?.status() }).toEqual({ qs, status: 400 });
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('No such date');
    }
  });

  it('the trending window switch', async () => {
    await page.goto(`${base}/?tab=trending`);
    expect(await page.getByTestId('window-7d').getAttribute('aria-current')).toBe('true');
    // 7 d: paper 1 (signal 14, 2 h old) outranks paper 2 (signal 34, 72 h old: 34 · 2^-1.5 ≈ 12).
    expect(await page.getByTestId('paper-title').allInnerTexts()).toEqual(['Trending paper 1: retrieval-augmented agents', 'Trending paper 2: retrieval-augmented agents']);
    await Promise.all([page.waitForURL(/window=24h/), page.getByTestId('window-24h').click()]);
    expect(await page.getByTestId('paper-title').allInnerTexts()).toEqual(['Trending paper 1: retrieval-augmented agents']);
    await Promise.all([page.waitForURL(/window=30d/), page.getByTestId('window-30d').click()]);
    expect(await page.getByTestId('paper').count()).toBe(3);
    expect(await page.getByTestId('window-30d').getAttribute('aria-current')).toBe('true');
    await page.locator('summary', { hasText: 'How trending works' }).click();
    expect(await page.getByTestId('trending-note').innerText()).toMatch(/halves every 48 hours/);
  });

  it("the subscribe form's topic choices on a phone: each box its own size, beside its topic's name", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/`);
    await page.locator('summary', { hasText: 'Only some topics' }).click();
    // Each topic's checkbox width, the gap from it to the name's first line box, and the name's line boxes.
    const boxes = (await page.evaluate(`[...document.querySelectorAll('section.subscribe fieldset label')].map((l) => {
      const input = l.querySelector('input');
      const box = input.getBoundingClientRect();
      const range = document.createRange();
      range.selectNodeContents(l);
      range.setStartAfter(input);
      const rects = range.getClientRects();
      return { name: l.textContent.trim(), width: box.width, gap: rects[0].left - box.right, lines: rects.length };
    })`)) as { name: string; width: number; gap: number; lines: number }[];
    expect(boxes.length).toBeGreaterThan(10);
    // A checkbox stretched to the row's width pushed the name to the edge and broke it inside words ("Efficien cy").
    expect(boxes.filter((b) => b.width > 32 || b.gap > 16 || b.gap < 0)).toEqual([]);
    expect(boxes.filter((b) => b.lines > 1 && !b.name.includes(' '))).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('keyboard: the first Tab on every public page reaches a skip link, shown on focus; on a listing it leads the next Tab to the first paper', async () => {
    const focused = () =>
      page.evaluate(`(() => { const e = document.activeElement; const r = e.getBoundingClientRect();
        return { cls: e.className, testid: e.getAttribute('data-testid'), text: e.textContent.trim(), href: e.getAttribute('href'), visible: r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight }; })()`) as Promise<{ cls: string; testid: string | null; text: string; href: string | null; visible: boolean }>;
    const pages: [string, string, string][] = [
      ['home day', `/?date=${HF_DAY}`, 'Skip to papers'],
      ['home week', `/?week=${HF_WEEK}`, 'Skip to papers'],
      ['trending', '/?tab=trending&window=30d', 'Skip to papers'],
      ['search', '/?q=attention', 'Skip to papers'],
      ['paper', `/papers/${VERSIONED_ARXIV}`, 'Skip to content'],
      ['paper 404', '/papers/2699.99999', 'Skip to content'],
      ['ops', '/ops', 'Skip to content'],
      ['confirm link', '/v1/subscriptions/confirm?t=not-a-token', 'Skip to content'],
      ['queues sign-in', '/ops/queues/login', 'Skip to content'],
    ];
    for (const [name, path, text] of pages) {
      await page.goto(`${base}${path}`);
      const skip = page.getByTestId('skip-link');
      const before = await skip.boundingBox();
      // Out of sight until focused.
      expect({ name, hidden: !before || before.y + before.height <= 0 }).toEqual({ name, hidden: true });
      await page.keyboard.press('Tab');
      expect({ name, ...(await focused()) }).toEqual({ name, cls: 'skip-link', testid: 'skip-link', text, href: expect.stringMatching(/^#/), visible: true });
      if (text !== 'Skip to papers') continue;
      await page.keyboard.press('Enter');
      await page.keyboard.press('Tab');
      const first = await page.getByTestId('paper-title').first().innerText();
      expect({ name, ...(await focused()) }).toMatchObject({ name, testid: 'paper-title', text: first, visible: true });
    }
  });

  it('axe: no serious or critical violation on PaperWire pages at 1280 and 390 px, nothing wider than a phone', async () => {
    // The subscribe answer and the confirmation page, as a reader reaches them.
    await page.goto(`${base}/`);
    await page.fill('#s-email', 'reader@example.org');
    await Promise.all([page.waitForURL(/\/subscribe$/), page.getByRole('button', { name: 'Subscribe' }).click()]);
    const message = page.getByTestId('message');
    await message.waitFor({ timeout: 30_000 }).catch(async () => {
      throw new Error(`no confirmation message; the page says: ${(await page.locator('body').innerText()).slice(0, 600)}`);
    });
    expect(await message.innerText()).toMatch(/confirmation link/);
    const pages: [string, string | null][] = [
      ['home day', `/?date=${HF_DAY}`],
      ['home week', `/?week=${HF_WEEK}`],
      ['home month', `/?month=${HF_MONTH}`],
      ['trending', '/?tab=trending&window=30d'],
      ['search', '/?q=attention'],
      ['paper', `/papers/${VERSIONED_ARXIV}`],
      ['paper 404', '/papers/2699.99999'],
      ['abs 404', '/abs/2699.99999'],
      ['bad date 400', '/?date=2026-02-30'],
      ['bad window 400', '/?tab=trending&window=1y'],
      ['confirm link', '/v1/subscriptions/confirm?t=not-a-token'],
      ['ops', '/ops'],
      ['queues sign-in', '/ops/queues/login'],
      ['subscribed', null],
    ];
    const failures: string[] = [];
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
      for (const [name, path] of pages) {
        if (path) await page.goto(`${base}${path}`, { waitUntil: 'load' });
        else {
          await page.goto(`${base}/`);
          await page.fill('#s-email', `reader-${width}@example.org`);
          await Promise.all([page.waitForURL(/\/subscribe$/), page.getByRole('button', { name: 'Subscribe' }).click()]);
        }
        await page.addScriptTag({ content: AXE_SOURCE });
        const violations = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations)`)) as AxeViolation[];
        for (const v of violations.filter((x) => x.impact === 'serious' || x.impact === 'critical'))
          failures.push(`${name} @${width}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
        const scrollWidth = Number(await page.evaluate('document.documentElement.scrollWidth'));
        if (scrollWidth > width) failures.push(`${name} @${width}: ${scrollWidth} px wide`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('/ops at 390 px: every table caption wraps inside the viewport, none is cut by its scrolling table', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    // (a loaded machine can answer 503 + Retry-After while the stats read is slow: asked again)
    let status = 0;
    for (let i = 0; i < 5 && status !== 200; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 2000));
      status = (await page.goto(`${base}/ops`, { waitUntil: 'load' }))?.status() ?? 0;
    }
    expect(status).toBe(200);
    const captions = () =>
      page.evaluate(`[...document.querySelectorAll('caption')].map((c) => {
        const r = c.getBoundingClientRect();
        return { text: c.textContent.trim().slice(0, 40), left: Math.round(r.left), right: Math.round(r.right), scrollWidth: c.scrollWidth, clientWidth: c.clientWidth };
      })`) as Promise<{ text: string; left: number; right: number; scrollWidth: number; clientWidth: number }[]>;
    const cut = (cs: Awaited<ReturnType<typeof captions>>) => cs.filter((c) => c.left < 0 || c.right > 390 || c.scrollWidth > c.clientWidth);
    const before = await captions();
    expect(before.length).toBeGreaterThanOrEqual(5);
    expect(cut(before)).toEqual([]);
    // Scrolling a wide table sideways leaves its caption in view.
    await page.evaluate(`document.querySelectorAll('.scroll').forEach((s) => { s.scrollLeft = 200; })`);
    const scrolled = await captions();
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(cut(scrolled)).toEqual([]);
  });
});
