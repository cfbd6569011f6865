// HTML escaping and URL vetting for emails. Paper titles, author names and links come from public
// feeds, so everything is treated as hostile.

import { httpHref } from '@paperwire/contracts';

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"'`]/g, (c) => HTML_ESCAPES[c]!);
}

/** The URL, normalised, when it is an absolute http(s) URL (httpHref); null otherwise (javascript:, data:, relative). */
export function safeUrl(raw: string | null | undefined): string | null {
  const href = httpHref(raw);
  return href ? new URL(href).toString() : null;
}

/** An anchor with escaped text and a vetted href; plain escaped text when the URL is not safe. */
export function link(href: string | null | undefined, text: string, style = ''): string {
  const url = safeUrl(href);
  const label = escapeHtml(text);
  if (!url) return label;
  return `<a href="${escapeHtml(url)}"${style ? ` style="${escapeHtml(style)}"` : ''}>${label}</a>`;
}

/** Removes CR/LF and other control characters (header injection) and squashes whitespace. */
export function headerSafe(s: string, max = 200): string {
  const one = s
    .replace(/\p{Cc}+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return one.length > max ? `${one.slice(0, max - 1).trimEnd()}…` : one;
}
