import type { Browser } from 'playwright-core';
import { launchChromium } from '@paperwire/testing';
import { renderHomePage, type CardView, type HomeView } from './home-page';

// The Daily Papers page on a phone (session 23's review): the filters and the subscribe box filled the first
// ~820 px before any paper, and a card's thumbnail squeezed its title into a narrow column.

jest.setTimeout(60_000);

const TOPICS = Array.from({ length: 20 }, (_, i) => ({ slug: `topic-${i}`, name: `Topic number ${i} with a longer name` }));
const card = (i: number): CardView => ({
  id: `00000000-0000-4000-8000-00000000000${i}`,
  arxivId: `2606.0000${i}`,
  title: 'EvoArena: Tracking Memory Evolution for Robust LLM Agents in Dynamic Environments',
  authors: [{ name: 'Jundong Xu' }, { name: 'Qingchuan Li' }, { name: 'Jiaying Wu' }],
  upvotes: 118,
  topics: [{ slug: 'topic-1', name: 'Reasoning and tool use' }],
  claim: '3.7% accuracy gain on EvoArena',
  links: { code: ['https://github.com/x/y'], project: [] },
  abstractPreview: 'Large language model (LLM) agents have achieved strong performance on a wide range of benchmarks.',
  thumbnailUrl: 'https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2606.00001.png',
});
const view: HomeView = {
  tab: 'daily',
  nonce: 'n0nce',
  csrf: 'tok',
  topics: TOPICS,
  period: { kind: 'day', key: '2026-06-12', from: '2026-06-12', to: '2026-06-12' },
  date: '2026-06-12',
  previousDate: '2026-04-29',
  nextDate: '2026-09-01',
  total: 3,
  cards: [card(1), card(2), card(3)],
};

interface Layout {
  firstCardTop: number;
  lastCardBottom: number;
  subscribeTop: number;
  titleWidth: number;
  scrollWidth: number;
}

describe('the Daily Papers page layout', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it.each([390, 1280])('at %i px lists papers first, the subscribe box after them, and gives a card title room beside its thumbnail', async (width) => {
    const page = await browser.newPage({ viewport: { width, height: 844 } });
    await page.route('**/*', (r) => r.abort());
    await page.setContent(renderHomePage(view));
    const layout = (await page.evaluate(`(() => {
      const cards = [...document.querySelectorAll('article.card')];
      return {
        firstCardTop: Math.round(cards[0].getBoundingClientRect().top),
        lastCardBottom: Math.round(cards[cards.length - 1].getBoundingClientRect().bottom),
        subscribeTop: Math.round(document.querySelector('section.subscribe').getBoundingClientRect().top),
        titleWidth: Math.round(cards[0].querySelector('h3 a').getBoundingClientRect().width),
        scrollWidth: document.documentElement.scrollWidth,
      };
    })()`)) as Layout;
    await page.close();
    expect(layout.scrollWidth).toBeLessThanOrEqual(width);
    // the first paper within the first screen's top half (it was at ~950 px on a 390 px phone)
    expect(layout.firstCardTop).toBeLessThan(width === 390 ? 480 : 420);
    expect(layout.subscribeTop).toBeGreaterThan(layout.lastCardBottom);
    // the title beside a thumbnail keeps most of the card's width (it was ~200 px of 350)
    expect(layout.titleWidth).toBeGreaterThan(width === 390 ? 240 : 600);
  });
});
