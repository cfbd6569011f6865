import type { INestApplication } from '@nestjs/common';
import type { Browser } from 'playwright-core';
import { createTestDb, launchChromium, seedPaper, uniqueName, type TestDb } from '@paperwire/testing';
import { createTestApp } from '../testing/app';

// Review 27, a paper page on a phone (390 px): a claim's tooltip opened at the claim and ran off the screen's right
// edge ("Kind: improveme"), widening the page to 487 px. Every tooltip now stays on the screen, at any claim.

jest.setTimeout(120_000);

// claims spread through the abstract, so some sit at a line's right end whatever the width
const ABSTRACT =
  'Agents struggle on EvoArena, reaching an average accuracy of 39.6% across evolving terminal, software and social domains. ' +
  'EvoMem yields an average gain of 1.5% on EvoArena and improves standard benchmarks such as GAIA and LoCoMo by 6.1% and 4.8%. ' +
  'Beyond single tasks, EvoMem further improves chain-level accuracy by 3.7% on EvoArena, where success needs a whole chain, ' +
  'and cuts memory by 12% and latency by 2.5x over the strongest baseline, with 70% fewer tokens kept in memory.';
const claim = (text: string, value: number, unit: '%' | 'x', kind: 'absolute_score' | 'relative_improvement' | 'reduction') => {
  const start = ABSTRACT.indexOf(text);
  return { value, unit, kind, metric: 'accuracy', dataset: 'EvoArena', text, start, end: start + text.length };
};

describe('claim tooltips on a paper page, in Chromium', () => {
  let db: TestDb;
  let app: INestApplication;
  let browser: Browser;
  let base = '';

  beforeAll(async () => {
    db = await createTestDb('e2e_claim_tips');
    await seedPaper(db.ds, {
      title: 'EvoArena: tracking memory evolution',
      abstract: ABSTRACT,
      arxivId: '2606.13681',
      claims: [
        claim('39.6%', 39.6, '%', 'absolute_score'),
        claim('1.5%', 1.5, '%', 'relative_improvement'),
        claim('6.1%', 6.1, '%', 'relative_improvement'),
        claim('4.8%', 4.8, '%', 'relative_improvement'),
        claim('3.7%', 3.7, '%', 'relative_improvement'),
        claim('12%', 12, '%', 'reduction'),
        claim('2.5x', 2.5, 'x', 'reduction'),
        claim('70%', 70, '%', 'reduction'),
      ],
    });
    app = await createTestApp(db, `{${uniqueName('e2e-claim-tips')}}`, { RATE_LIMIT_PER_MINUTE: '100000', LOG_LEVEL: 'error' }, { listen: true });
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await db?.drop();
  });

  // Reader modes (Readability) and text browsers drop elements marked hidden, not ones only a class's CSS hides.
  it('the abstract without its hidden elements reads as prose, every tooltip among them', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${base}/papers/2606.13681`);
    const prose = (await page.evaluate(`(() => {
      const abstract = document.querySelector('mark.claim-span').closest('p').cloneNode(true);
      abstract.querySelectorAll('[hidden]').forEach((e) => e.remove());
      return abstract.textContent;
    })()`)) as string;
    await page.close();
    expect(prose).toContain('reaching an average accuracy of 39.6% across evolving terminal');
    expect(prose).not.toContain('Value:');
  });

  it.each([390, 1280])('at %i px every tooltip, opened by focus, is wholly on the screen and the page keeps its width', async (width) => {
    const page = await browser.newPage({ viewport: { width, height: 844 } });
    await page.goto(`${base}/papers/2606.13681`);
    const marks = page.locator('mark.claim-span');
    expect(await marks.count()).toBe(8);
    const off: string[] = [];
    for (let i = 0; i < 8; i++) {
      await marks.nth(i).focus();
      const r = (await page.evaluate(`(() => {
        const m = document.querySelectorAll('mark.claim-span')[${i}];
        const tip = m.querySelector('.tip').getBoundingClientRect();
        return { text: m.firstChild.textContent, left: tip.left, right: tip.right, top: tip.top, bottom: tip.bottom, scrollWidth: document.documentElement.scrollWidth };
      })()`)) as { text: string; left: number; right: number; top: number; bottom: number; scrollWidth: number };
      const shown = r.left >= 0 && r.right <= width && r.scrollWidth <= width && r.bottom > r.top;
      if (!shown) off.push(`${r.text}: ${Math.round(r.left)}–${Math.round(r.right)}, page ${r.scrollWidth}`);
    }
    await page.close();
    expect(off).toEqual([]);
  });
});
