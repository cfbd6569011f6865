import type { DigestLeftOutPage } from '@paperwire/db';
import { escapeHtml, renderHead, skipLink } from '../common/html';
import { PAGE_CSS } from '../common/page-style';
import { renderCardList, type CardView } from '../home/home-page';

/** Papers listed a page of a digest's "see the rest" page. */
export const DIGEST_PAGE_SIZE = 50;

const utc = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/** "daily digest, 2026-12-06 08:00 UTC – 2026-12-07 08:00 UTC" (an on-demand run says so). */
export function digestPeriodText(d: Pick<DigestLeftOutPage, 'mode' | 'digestKey' | 'period'>): string {
  const kind = d.digestKey.startsWith('on-demand:') ? `on-demand ${d.mode} digest` : `${d.mode} digest ${d.digestKey}`;
  return d.period ? `${kind}, ${utc(d.period.start)} – ${utc(d.period.end)}` : kind;
}

/** What the page says above its list: how many matched, how many the digest carried, how many it left out. */
export function digestSummary(d: DigestLeftOutPage): string {
  const n = (d.leftOutCount ?? 0).toLocaleString('en-US');
  const carried = d.total !== null ? Math.max(d.total - (d.leftOutCount ?? 0), 0).toLocaleString('en-US') : null;
  const matched = d.total !== null ? `${d.total.toLocaleString('en-US')}${d.capped ? '+' : ''} papers matched; ` : '';
  const these = `the digest carried ${carried === null ? 'the first ones' : `the first ${carried}`}, and these are the ${n} it left out, in the digest’s order.`;
  // past the notifier's scan cap the period had more papers than it read: the mail said "N+ more"
  const cap = d.capped ? ' The period had more papers than a digest reads (5,000): later ones are not listed here.' : '';
  return `${matched}${these}${cap}`;
}

export interface DigestPageView {
  nonce: string;
  digest: DigestLeftOutPage;
  page: number;
  cards: CardView[];
  /** the next page's link (same token), when there is one */
  nextHref: string | null;
  previousHref: string | null;
  /** a period page for a digest made before the left-out list was kept */
  periodHref: string | null;
}

/** The papers a capped digest left out: the home page's cards, no subscriber address, never indexed. */
export function renderDigestPage(v: DigestPageView): string {
  const d = v.digest;
  const title = `Left out of “${d.subscriptionName}”`;
  const firstRank = (v.page - 1) * DIGEST_PAGE_SIZE + 1;
  const body =
    d.leftOutCount === null
      ? `<p data-testid="unavailable">The list of the papers this digest left out is not available: it was sent before PaperWire kept it.${
          v.periodHref ? ` <a href="${escapeHtml(v.periodHref)}" data-testid="period-link">See the papers of its period</a>.` : ''
        }</p>`
      : `<p data-testid="summary">${escapeHtml(digestSummary(d))}</p>
${v.cards.length > 0 ? renderCardList(v.cards, firstRank) : `<p class="empty" data-testid="empty">${d.leftOutCount === 0 ? 'This digest left nothing out.' : 'No more papers.'}</p>`}
<nav aria-label="Pages"><p>${v.previousHref ? `<a href="${escapeHtml(v.previousHref)}" rel="prev" data-testid="previous-page">← Previous papers</a> ` : ''}${
          v.nextHref ? `<a href="${escapeHtml(v.nextHref)}" rel="next" data-testid="next-page">More papers →</a>` : ''
        }</p></nav>`;
  return `<!doctype html>
<html lang="en">${renderHead({ title: `${title} — PaperWire`, nonce: v.nonce, css: PAGE_CSS, extra: '<meta name="robots" content="noindex">' })}
<body>
${skipLink('h-list', 'Skip to papers')}
<header><a class="brand" href="/">PaperWire Daily Papers</a></header>
<main aria-labelledby="h-list">
<h1 id="h-list" tabindex="-1">${escapeHtml(title)} <small data-testid="total">${d.leftOutCount === null ? '' : `${d.leftOutCount} paper${d.leftOutCount === 1 ? '' : 's'}`}</small></h1>
<p data-testid="digest-period">${escapeHtml(`From the ${digestPeriodText(d)}.`)}</p>
${body}
</main>
</body></html>`;
}
