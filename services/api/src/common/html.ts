import type { Response } from 'express';
import { escapeHtml } from '@paperwire/notifications';

// The one HTML escape and page shell every server-rendered PaperWire page uses (home, paper page,
// error pages, subscription pages). No script, no external assets: styles carry the response's CSP nonce.

/** Escapes text for HTML element content and quoted attribute values (the one escape emails use too). */
export { escapeHtml };

/** The PaperWire mark, served at /favicon.svg (and /favicon.ico). */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="14" fill="#1f6feb"/><path d="M18 14h18a12 12 0 0 1 0 24H26v12h-8z" fill="#fff"/><path d="M26 22v8h9a4 4 0 0 0 0-8z" fill="#1f6feb"/></svg>`;

export interface Alternate {
  type: string;
  href: string;
  title: string;
}

export interface PageHead {
  title: string;
  nonce: string;
  css: string;
  /** absolute public URL of this page (canonical link and og:url) */
  canonical?: string;
  description?: string;
  /** og:type, default website */
  ogType?: string;
  /** an absolute image URL for og:image, when there is one */
  image?: string;
  alternates?: Alternate[];
  /** extra <head> markup, already escaped */
  extra?: string;
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1).trimEnd()}…` : s);

/** `<head>`: charset, viewport, title, favicon, canonical, feed autodiscovery and OpenGraph tags. */
export function renderHead(h: PageHead): string {
  const meta: string[] = [
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width,initial-scale=1">',
    `<title>${escapeHtml(h.title)}</title>`,
    '<link rel="icon" type="image/svg+xml" href="/favicon.svg">',
  ];
  if (h.description) meta.push(`<meta name="description" content="${escapeHtml(clip(h.description, 300))}">`);
  if (h.canonical) meta.push(`<link rel="canonical" href="${escapeHtml(h.canonical)}">`);
  for (const a of h.alternates ?? [])
    meta.push(
      `<link rel="alternate" type="${escapeHtml(a.type)}" title="${escapeHtml(a.title)}" href="${escapeHtml(a.href)}">`,
    );
  meta.push(
    '<meta property="og:site_name" content="PaperWire">',
    `<meta property="og:type" content="${escapeHtml(h.ogType ?? 'website')}">`,
    `<meta property="og:title" content="${escapeHtml(clip(h.title, 200))}">`,
  );
  if (h.description)
    meta.push(`<meta property="og:description" content="${escapeHtml(clip(h.description, 300))}">`);
  if (h.canonical) meta.push(`<meta property="og:url" content="${escapeHtml(h.canonical)}">`);
  if (h.image) meta.push(`<meta property="og:image" content="${escapeHtml(h.image)}">`);
  meta.push(`<meta name="twitter:card" content="${h.image ? 'summary_large_image' : 'summary'}">`);
  if (h.extra) meta.push(h.extra);
  meta.push(`<style nonce="${escapeHtml(h.nonce)}">${h.css}</style>`);
  return `<head>${meta.join('\n')}</head>`;
}

/**
 * The first focusable element of a page: a link past the header, filters and forms to the page's main
 * content (hidden until focused; the page's CSS styles .skip-link). The target should take focus
 * (tabindex="-1") so the next Tab continues from there.
 */
export function skipLink(targetId: string, text: string): string {
  return `<a class="skip-link" href="#${escapeHtml(targetId)}" data-testid="skip-link">${escapeHtml(text)}</a>`;
}

/** Joins a configured public base URL and a path without doubling the slash. */
export function publicUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path.startsWith('/') ? path : `/${path}`}`;
}

/** The page of a paper, relative (for links on PaperWire's own pages). */
export function paperPath(id: string): string {
  return `/papers/${encodeURIComponent(id)}`;
}

/**
 * Sends a server-rendered page: a nonce CSP (styles only, no script), same-origin referrers (so the
 * subscribe POST carries a real Origin), and no caching of pages that carry a CSRF token.
 */
/**
 * A rendered page kept as bytes around its per-request slots (CSP nonce, CSRF token): filling it is one
 * copy of the page, with no string scan, no re-encoding and no ETag hash of the body per response. The
 * home page at 200 concurrent clients spent its time there, not in the database.
 */
export class PageTemplate {
  private constructor(
    private readonly parts: Buffer[],
    private readonly slots: string[],
  ) {}

  /** `slots`: the stand-in strings the page was rendered with (random, so they cannot occur in content). */
  static from(html: string, slots: readonly string[]): PageTemplate {
    const names = slots.filter((n) => n.length > 0);
    if (names.length === 0) return new PageTemplate([Buffer.from(html, 'utf8')], []);
    const re = new RegExp(names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
    const parts: Buffer[] = [];
    const found: string[] = [];
    let last = 0;
    for (const m of html.matchAll(re)) {
      parts.push(Buffer.from(html.slice(last, m.index), 'utf8'));
      found.push(m[0]);
      last = (m.index ?? 0) + m[0].length;
    }
    parts.push(Buffer.from(html.slice(last), 'utf8'));
    return new PageTemplate(parts, found);
  }

  /** The page with every slot replaced by its value (values are inserted as they are: pass safe text only). */
  fill(values: Record<string, string>): Buffer {
    const out: Buffer[] = [this.parts[0]];
    for (let i = 0; i < this.slots.length; i++) {
      out.push(Buffer.from(values[this.slots[i]] ?? '', 'utf8'), this.parts[i + 1]);
    }
    return Buffer.concat(out);
  }
}

/** `sendHtml` for a page already encoded (`PageTemplate.fill`): written as it is, without Express's ETag pass. */
export function sendHtmlBuffer(
  res: Response,
  status: number,
  nonce: string,
  body: Buffer,
  cache = 'no-store',
): void {
  res.setHeader('Content-Security-Policy', cspFor(nonce));
  res.setHeader('Referrer-Policy', 'same-origin');
  res.setHeader('Cache-Control', cache);
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Content-Length', String(body.length));
  res.status(status);
  res.end(body);
}

const cspFor = (nonce: string) =>
  `default-src 'none'; style-src 'nonce-${nonce}'; img-src 'self' https:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`;

export function sendHtml(
  res: {
    setHeader(k: string, v: string): unknown;
    status(n: number): { type(t: string): { send(b: string): unknown } };
  },
  status: number,
  nonce: string,
  html: string,
  cache = 'no-store',
): void {
  res.setHeader('Content-Security-Policy', cspFor(nonce));
  res.setHeader('Referrer-Policy', 'same-origin');
  res.setHeader('Cache-Control', cache);
  res.status(status).type('text/html; charset=utf-8').send(html);
}
