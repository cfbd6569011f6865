import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '@paperwire/testing';
import { renderHomePage, type PeriodKind } from './home-page';

// The Daily Papers page's period bar (day / week / month switch and picker) on a phone: its labels wrap as whole
// words or the controls stack, never a word broken in two ("Da y", "Wee k" beside a full-width picker).

jest.setTimeout(60_000);

const PERIODS: { kind: PeriodKind; key: string; from: string; to: string }[] = [
  { kind: 'day', key: '2026-03-10', from: '2026-03-10', to: '2026-03-10' },
  { kind: 'week', key: '2026-W11', from: '2026-03-09', to: '2026-03-15' },
  { kind: 'month', key: '2026-03', from: '2026-03-01', to: '2026-03-31' },
];

/**
 * Every word of the page's text drawn on more than one line (a word broken in two); the parts of a hyphenated word are
 * words of their own ("one-" / "click" is a line break at the hyphen, as typesetting allows). (A script: no DOM types.)
 */
const brokenWords = async (page: Page): Promise<string[]> =>
  (await page.evaluate(`(() => {
    const broken = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.data.matchAll(/[^\\s\\u002d\\u2010]+/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (lines.size > 1) broken.push(m[0]);
      }
    }
    return broken;
  })()`)) as string[];

describe('period bar on a phone', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it.each([390, 320])('at %i px no label, button or link breaks mid-word and nothing overflows', async (width) => {
    const page = await browser.newPage({ viewport: { width, height: 844 } });
    for (const period of PERIODS) {
      await page.setContent(
        renderHomePage({
          tab: 'daily',
          nonce: 'n0nce',
          csrf: 'tok',
          topics: [{ slug: 'llm', name: 'Language models' }],
          period,
          date: period.kind === 'day' ? period.key : null,
          previousDate: null,
          nextDate: null,
          total: 0,
          cards: [],
        }),
      );
      // the picker is there, with its label
      const label = await page.locator('form.period label').innerText();
      expect(label).toBe({ day: 'Day', week: 'Week', month: 'Month' }[period.kind]);
      expect({ kind: period.kind, broken: await brokenWords(page) }).toEqual({ kind: period.kind, broken: [] });
      expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(width);
    }
    await page.close();
  });
});
