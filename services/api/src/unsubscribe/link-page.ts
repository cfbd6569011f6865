import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import { escapeHtml, skipLink } from '../common/html';
import { SKIP_LINK_CSS } from '../common/page-style';
import { PROBLEM_CONTENT_TYPE, problemBody } from '../common/problem';

// Pages opened from links in emails: small, self-contained HTML (no script, one nonce'd style), each with a
// link to the site, as every other standalone page has (renderStatusPage, renderMessagePage).

export interface LinkPage {
  title: string;
  /** paragraphs of plain text (escaped here) */
  lines: string[];
  /** a POST button back to the same URL (RFC 8058 one-click fields included) */
  form?: { action: string; button: string; fields: Record<string, string> };
}

export function renderLinkPage(page: LinkPage, nonce: string): string {
  const form = page.form
    ? `<form method="post" action="${escapeHtml(page.form.action)}">` +
      Object.entries(page.form.fields)
        .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
        .join('') +
      `<button type="submit">${escapeHtml(page.form.button)}</button></form>`
    : '';
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="robots" content="noindex">',
    `<title>${escapeHtml(page.title)} · PaperWire</title>`,
    `<style nonce="${nonce}">body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:4rem auto;padding:0 1rem;color:#1f2328}` +
      `button{font:inherit;padding:.5rem 1rem;border-radius:6px;border:1px solid #1f883d;background:#1f883d;color:#fff;cursor:pointer}${SKIP_LINK_CSS}</style>`,
    '</head><body>',
    skipLink('content', 'Skip to content'),
    '<main id="content" tabindex="-1">',
    `<h1>${escapeHtml(page.title)}</h1>`,
    ...page.lines.map((l) => `<p>${escapeHtml(l)}</p>`),
    form,
    '<p><a href="/" data-testid="home-link">Back to the Daily Papers</a></p>',
    '</main></body></html>',
  ].join('\n');
}

/** Browsers get the page; API clients (no text/html in Accept) get JSON or a problem document. */
export function wantsHtml(req: Request): boolean {
  return req.accepts(['application/json', 'application/problem+json', 'text/html']) === 'text/html';
}

export function sendLinkPage(
  req: Request,
  res: Response,
  status: number,
  page: LinkPage,
  json: Record<string, unknown>,
): void {
  res.setHeader('Cache-Control', 'no-store');
  if (!wantsHtml(req)) {
    if (status >= 400) {
      res
        .status(status)
        .type(PROBLEM_CONTENT_TYPE)
        .send(JSON.stringify({ ...problemBody(status, page.lines[0]), instance: req.path }));
    } else res.status(status).json(json);
    return;
  }
  const nonce = randomBytes(16).toString('base64');
  // Same-origin referrers (the api's default is no-referrer), so the confirmation button's POST carries
  // a real Origin (checked with its CSRF token) instead of "null"; other sites still get nothing.
  res.setHeader('Referrer-Policy', 'same-origin');
  res.setHeader(
    'Content-Security-Policy',
    `default-src 'none'; style-src 'nonce-${nonce}'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
  );
  res.status(status).type('text/html; charset=utf-8').send(renderLinkPage(page, nonce));
}
