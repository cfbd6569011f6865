import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '@paperwire/testing';
import type { PipelineStats } from '../stats/stats.service';
import { renderOpsPage } from './ops-page';

// /ops on a phone: a table wider than the screen scrolls inside its own box (every column reachable, none cut off
// by the page), the page itself never scrolls sideways, and an error message wraps between words, never a letter a
// line (the Error column squeezed to one character).

jest.setTimeout(60_000);

const ERROR = 'getaddrinfo ENOTFOUND export.arxiv.org while fetching the listing page; retrying with backoff after 3 attempts';
const LONG_URL = 'https://export.arxiv.org/api/query?search_query=cat:cs.LG&sortBy=submittedDate&sortOrder=descending&max_results=200';
const at = '2026-12-07T03:00:00.000Z';

const stats = (): PipelineStats =>
  ({
    generatedAt: at,
    detail: 'full',
    stages: ['parsed', 'classified', 'extracted', 'notified'].map((stage) => ({
      stage,
      papers: 123456,
      queue: `${stage}-queue`,
      depth: { waiting: 1200, active: 4, delayed: 17, failed: 3 },
      throughput: { m1: 41, m5: 230, m60: 2810 },
      latency: { p50: 1.25, p95: 12.5, samples: 99 },
    })),
    queues: [{ queue: 'parse', waiting: 12000, active: 4, delayed: 0, failed: 3, completed: 123456 }],
    search: { lagSeconds: 3, pendingPapers: 10, pendingJobs: 2 },
    failures: {
      byQueue: { parse: 3 },
      rawDocumentsFailed: 1,
      recent: [{ queue: 'parse', name: 'parse-document', id: '123456', failedReason: ERROR, failedAt: at, attemptsMade: 5 }],
    },
    sources: [
      {
        id: 's1',
        name: 'arxiv-cs-lg-listing',
        kind: 'arxiv-api',
        url: LONG_URL,
        enabled: true,
        everySeconds: 3600,
        nextAttemptAt: at,
        lastAttemptAt: at,
        lastSuccessAt: at,
        lastStatus: 503,
        lastError: ERROR,
        consecutiveFailures: 4,
        failingSince: at,
        lagSeconds: 7300,
        lastItemCount: 20,
      },
    ],
    endpoints: [
      { id: 'e1', name: 'team webhook', channel: 'webhook', target: LONG_URL, status: 'failing', consecutiveFailures: 7, reason: ERROR },
    ],
    endpointsMore: 0,
    mailServer: { status: 'ok', failingSince: null, lastErrorClass: null, waitingDeliveries: 0 },
    subscriptions: { active: 1, paused: 0, disabled: 0, pendingConfirmation: 0 },
    topicCounts: { source: 'exact', refreshedAt: null },
  }) as unknown as PipelineStats;

interface BoxReport {
  table: string;
  boxWidth: number;
  boxScrollWidth: number;
  overflowX: string;
  tableRight: number;
  boxRight: number;
}

/** Each table's scrolling box: its visible width, what it scrolls over, and whether the table fits what it scrolls. (A script: no DOM types.) */
const boxes = async (page: Page): Promise<BoxReport[]> =>
  (await page.evaluate(`[...document.querySelectorAll('table')].map((t) => {
    const box = t.parentElement;
    const b = box.getBoundingClientRect();
    return {
      table: t.querySelector('caption').textContent.slice(0, 30),
      boxWidth: Math.round(b.width),
      boxScrollWidth: box.scrollWidth,
      overflowX: getComputedStyle(box).overflowX,
      tableRight: Math.round(t.getBoundingClientRect().right - b.left),
      boxRight: box.scrollWidth,
    };
  })`)) as BoxReport[];

/** The words of error cells drawn on more than one line, and the narrowest error cell's width in px. */
const errorCells = async (page: Page): Promise<{ broken: string[]; narrowest: number }> =>
  (await page.evaluate(`(() => {
    const broken = [];
    let narrowest = Infinity;
    for (const cell of document.querySelectorAll('td[data-testid$="-error"]')) {
      narrowest = Math.min(narrowest, cell.getBoundingClientRect().width);
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const m of node.data.matchAll(/[^\\s]+/g)) {
          const range = document.createRange();
          range.setStart(node, m.index);
          range.setEnd(node, m.index + m[0].length);
          const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
          // a word longer than the cell may wrap (a URL); a short word broken is the bug
          if (lines.size > 1 && m[0].length <= 20) broken.push(m[0]);
        }
      }
    }
    return { broken, narrowest };
  })()`)) as { broken: string[]; narrowest: number };

describe('/ops on a phone', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('at 1280 px the sources table fits its box: every column on screen, the failing and lag columns right after the error', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const many = stats();
    // six sources with long names and long hosts, as a real install has
    many.sources = Array.from({ length: 6 }, (_, i) => ({ ...many.sources[0], id: `s${i}`, name: `arxiv-cs-lg-listing-with-a-long-name-${i}`, everySeconds: i % 2 ? null : 3600 }));
    await page.setContent(renderOpsPage(many, 'n0nce', false));
    const columns = (await page.evaluate(`(() => {
      const t = document.querySelector('#sources').closest('table');
      const box = t.parentElement.getBoundingClientRect();
      return [...t.querySelectorAll('thead th')].map((th) => ({ name: th.textContent, visible: th.getBoundingClientRect().right <= box.right + 1 }));
    })()`)) as { name: string; visible: boolean }[];
    await page.close();
    expect(columns.map((c) => c.name)).toEqual(['Source', 'Status', 'Error', 'Failing', 'Lag', 'Last success', 'Last attempt', 'Next attempt', 'Polled']);
    expect(columns.filter((c) => !c.visible).map((c) => c.name)).toEqual([]);
  });

  it.each([390, 320])('at %i px tables scroll in their own box and error messages wrap between words', async (width) => {
    const page = await browser.newPage({ viewport: { width, height: 844 } });
    await page.setContent(renderOpsPage(stats(), 'n0nce', false));
    // the page never scrolls sideways: what is wider scrolls inside its box
    expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(width);
    const report = await boxes(page);
    expect(report).toHaveLength(5);
    for (const b of report) {
      expect({ table: b.table, overflowX: b.overflowX }).toEqual({ table: b.table, overflowX: 'auto' });
      // the box is on the screen, and the whole table (its last column) is within what the box scrolls over
      expect(b.boxWidth).toBeLessThanOrEqual(width);
      expect({ table: b.table, right: b.tableRight <= b.boxScrollWidth }).toEqual({ table: b.table, right: true });
    }
    // the wide tables do scroll (their columns are not squeezed into the screen's width)
    expect(report.some((b) => b.boxScrollWidth > b.boxWidth)).toBe(true);
    const errors = await errorCells(page);
    expect(errors.broken).toEqual([]);
    expect(errors.narrowest).toBeGreaterThanOrEqual(160);
    await page.screenshot({ path: `/tmp/reader21/ops-${width}.png`, fullPage: true });
    await page.close();
  });
});
