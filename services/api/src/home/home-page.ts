import type { PaperAuthor, PaperLinks } from '@paperwire/contracts';

/** One paper card as the page shows it. */
export interface CardView {
  id: string;
  arxivId: string | null;
  title: string;
  authors: PaperAuthor[];
  upvotes: number | null;
  topics: { slug: string; name: string }[];
  claim: string | null;
  links: PaperLinks;
}

export type HomeTab = 'daily' | 'trending' | 'search';

export interface HomeView {
  tab: HomeTab;
  nonce: string;
  csrf: string;
  topics: { slug: string; name: string }[];
  /** filter currently applied */
  topic?: string;
  q?: string;
  date?: string | null;
  previousDate?: string | null;
  nextDate?: string | null;
  window?: string;
  total: number;
  cards: CardView[];
  /** flash shown above the subscribe box (errors) */
  subscribeError?: string;
  email?: string;
}

const CSS = `
:root{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1b1f24;background:#f6f8fa;line-height:1.45}
*{box-sizing:border-box}body{margin:0 auto;max-width:960px;padding:0 1rem 2rem}
a{color:#0550ae}a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,summary:focus-visible{outline:3px solid #0969da;outline-offset:2px}
header{padding:1rem 0 .5rem}h1{font-size:1.5rem;margin:0 0 .5rem}h2{font-size:1.15rem;margin:1rem 0 .5rem}
nav.tabs ul{list-style:none;display:flex;gap:.4rem;padding:0;margin:0;flex-wrap:wrap}
nav.tabs a{display:inline-block;padding:.35rem .8rem;border:1px solid #d0d7de;border-radius:999px;background:#fff;text-decoration:none;color:#1b1f24}
nav.tabs a[aria-current=page]{background:#1b1f24;color:#fff;border-color:#1b1f24}
form.filters,section.subscribe{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:.75rem;margin:.75rem 0;display:flex;gap:.6rem;flex-wrap:wrap;align-items:end}
form.filters label,section.subscribe label{display:flex;flex-direction:column;font-size:.9rem;gap:.2rem}
input,select,button{font:inherit;padding:.35rem .5rem;border:1px solid #8c959f;border-radius:6px;background:#fff;color:#1b1f24}
button{background:#1f6feb;color:#fff;border-color:#1f6feb;cursor:pointer}
section.subscribe{flex-direction:column;align-items:stretch}section.subscribe h2{margin:0}
section.subscribe form{display:flex;gap:.6rem;flex-wrap:wrap;align-items:end}
fieldset{border:1px solid #d0d7de;border-radius:6px;margin:0;padding:.4rem .6rem;width:100%}
fieldset label{display:inline-flex!important;flex-direction:row!important;align-items:center;margin:.15rem .7rem .15rem 0}
.error{color:#a40e26;font-weight:600}
nav.days{display:flex;justify-content:space-between;align-items:center;gap:.5rem;margin:.5rem 0}
ol.papers{list-style:none;padding:0;margin:0;display:grid;gap:.6rem}
article{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:.75rem .9rem;display:grid;grid-template-columns:3.2rem 1fr;gap:.2rem .8rem}
.votes{grid-row:span 5;text-align:center;font-weight:700;font-size:1.1rem;color:#1b1f24}.votes small{display:block;font-weight:400;font-size:.75rem;color:#57606a}
article h3{font-size:1.05rem;margin:0}article h3 a{color:#1b1f24;text-decoration:none}article h3 a:hover{text-decoration:underline}
.authors{color:#57606a;font-size:.9rem;margin:0}
ul.chips{list-style:none;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:.3rem}
ul.chips a{display:inline-block;font-size:.8rem;padding:.1rem .55rem;border-radius:999px;background:#ddf4ff;color:#0a3069;text-decoration:none;border:1px solid #b6e3ff}
.claim{margin:0;font-weight:600;color:#116329}
ul.links{list-style:none;padding:0;margin:0;display:flex;gap:.9rem;font-size:.9rem}
.empty{background:#fff;border:1px dashed #8c959f;border-radius:8px;padding:1rem}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (max-width:600px){body{padding:0 .6rem 1.5rem}article{grid-template-columns:1fr}.votes{grid-row:auto;text-align:left}.votes small{display:inline;margin-left:.3rem}
form.filters label,section.subscribe label{width:100%}input,select{width:100%}}
`;

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

const enc = encodeURIComponent;

/** Builds a same-page link keeping only the given parameters. */
export function homeHref(params: Record<string, string | undefined | null>): string {
  const qs = Object.entries(params)
    .filter((e): e is [string, string] => typeof e[1] === 'string' && e[1].length > 0)
    .map(([k, v]) => `${enc(k)}=${enc(v)}`)
    .join('&');
  return qs ? `/?${qs}` : '/';
}

function authorLine(authors: PaperAuthor[]): string {
  const names = authors.map((a) => a.name);
  return names.length > 6 ? `${names.slice(0, 6).join(', ')} and ${names.length - 6} more` : names.join(', ');
}

function card(c: CardView, rank: number, view: HomeView): string {
  const abs = c.links.abs ?? (c.arxivId ? `https://arxiv.org/abs/${c.arxivId}` : undefined);
  const pdf = c.links.pdf ?? (c.arxivId ? `https://arxiv.org/pdf/${c.arxivId}` : undefined);
  const titleHref = abs ?? `/v1/papers/${c.id}`;
  const links = [
    abs ? `<li><a href="${escapeHtml(abs)}" data-testid="link-arxiv">arXiv</a></li>` : '',
    pdf ? `<li><a href="${escapeHtml(pdf)}" data-testid="link-pdf">PDF</a></li>` : '',
    ...c.links.code
      .slice(0, 2)
      .map((u) => `<li><a href="${escapeHtml(u)}" data-testid="link-code">Code</a></li>`),
    `<li><a href="/v1/papers/${enc(c.id)}" data-testid="link-json">Record</a></li>`,
  ].join('');
  const chips = c.topics
    .map(
      (t) =>
        `<li><a href="${escapeHtml(homeHref({ tab: view.tab === 'trending' ? 'trending' : undefined, date: view.tab === 'daily' ? view.date : undefined, topic: t.slug }))}" data-topic="${escapeHtml(t.slug)}">${escapeHtml(t.name)}</a></li>`,
    )
    .join('');
  const votes = c.upvotes === null ? '–' : String(c.upvotes);
  const hid = `paper-${rank}`;
  return `<li><article aria-labelledby="${hid}" data-testid="paper" data-paper-id="${escapeHtml(c.id)}">
<div class="votes" aria-label="${c.upvotes === null ? 'no upvotes recorded' : `${votes} upvotes`}">${votes}<small>upvotes</small></div>
<h3 id="${hid}"><a href="${escapeHtml(titleHref)}" data-testid="paper-title">${escapeHtml(c.title)}</a></h3>
${c.authors.length > 0 ? `<p class="authors">${escapeHtml(authorLine(c.authors))}</p>` : ''}
${chips ? `<ul class="chips" aria-label="Topics" data-testid="topics">${chips}</ul>` : ''}
${c.claim ? `<p class="claim" data-testid="claim">${escapeHtml(c.claim)}</p>` : ''}
<ul class="links" aria-label="Links">${links}</ul>
</article></li>`;
}

function tabs(view: HomeView): string {
  const cur = (t: HomeTab) => (view.tab === t ? ' aria-current="page"' : '');
  return `<nav class="tabs" aria-label="Views"><ul>
<li><a href="/"${cur('daily')}>Daily</a></li>
<li><a href="/?tab=trending"${cur('trending')}>Trending</a></li>
${view.tab === 'search' ? `<li><a href="${escapeHtml(homeHref({ q: view.q, topic: view.topic }))}" aria-current="page">Search</a></li>` : ''}
</ul></nav>`;
}

function filters(view: HomeView): string {
  const options = view.topics
    .map(
      (t) =>
        `<option value="${escapeHtml(t.slug)}"${t.slug === view.topic ? ' selected' : ''}>${escapeHtml(t.name)}</option>`,
    )
    .join('');
  const hidden = [
    view.tab === 'trending' ? '<input type="hidden" name="tab" value="trending">' : '',
    view.tab === 'trending' && view.window
      ? `<input type="hidden" name="window" value="${escapeHtml(view.window)}">`
      : '',
    view.tab === 'daily' && view.date
      ? `<input type="hidden" name="date" value="${escapeHtml(view.date)}">`
      : '',
  ].join('');
  return `<form class="filters" method="get" action="/" role="search" aria-label="Filter papers">${hidden}
<label for="f-topic">Topic<select id="f-topic" name="topic"><option value="">All topics</option>${options}</select></label>
<label for="f-q">Search all papers<input id="f-q" name="q" type="search" value="${escapeHtml(view.q ?? '')}" maxlength="500" placeholder="e.g. retrieval augmented"></label>
<button type="submit">Apply</button>
${view.topic || view.q ? `<a href="${escapeHtml(homeHref({ tab: view.tab === 'trending' ? 'trending' : undefined, date: view.tab === 'daily' ? view.date : undefined }))}">Clear filters</a>` : ''}
</form>`;
}

function subscribeBox(view: HomeView): string {
  const boxes = view.topics
    .map(
      (t) =>
        `<label><input type="checkbox" name="topics" value="${escapeHtml(t.slug)}"> ${escapeHtml(t.name)}</label>`,
    )
    .join('');
  return `<section class="subscribe" aria-labelledby="h-subscribe">
<h2 id="h-subscribe">Get trending papers in your email inbox!</h2>
${view.subscribeError ? `<p class="error" role="alert" data-testid="subscribe-error">${escapeHtml(view.subscribeError)}</p>` : ''}
<form method="post" action="/subscribe" data-testid="subscribe-form">
<input type="hidden" name="csrf" value="${escapeHtml(view.csrf)}">
<label for="s-email">Email address<input id="s-email" name="email" type="email" required autocomplete="email" maxlength="254" value="${escapeHtml(view.email ?? '')}"></label>
<button type="submit">Subscribe</button>
<details><summary>Only some topics (optional)</summary><fieldset><legend>Topics</legend>${boxes}</fieldset></details>
</form>
<p class="authors">A daily digest of the 10 top trending papers at 08:00 UTC. We send a confirmation link first; every mail has a one-click unsubscribe.</p>
</section>`;
}

function dayNav(view: HomeView): string {
  if (view.tab !== 'daily') return '';
  const link = (d: string | null | undefined, rel: 'prev' | 'next', label: string) =>
    d
      ? `<a href="${escapeHtml(homeHref({ date: d, topic: view.topic }))}" rel="${rel}" data-testid="day-${rel}">${label}</a>`
      : `<span aria-hidden="true"></span>`;
  return `<nav class="days" aria-label="Days">${link(view.previousDate, 'prev', `← ${escapeHtml(view.previousDate ?? '')}`)}
<span data-testid="day">${escapeHtml(view.date ?? 'no papers yet')}</span>${link(view.nextDate, 'next', `${escapeHtml(view.nextDate ?? '')} →`)}</nav>`;
}

function heading(view: HomeView): string {
  switch (view.tab) {
    case 'daily':
      return view.date ? `Papers of ${escapeHtml(view.date)}` : 'No papers yet';
    case 'trending':
      return `Trending papers (${escapeHtml(view.window ?? '7d')})`;
    case 'search':
      return `Search results for “${escapeHtml(view.q ?? '')}”`;
    default: {
      const never: never = view.tab;
      return String(never);
    }
  }
}

/** The Daily Papers page: server-rendered, no script, no external assets (nonce CSP for the style). */
export function renderHomePage(view: HomeView): string {
  const list =
    view.cards.length > 0
      ? `<ol class="papers" data-testid="papers">${view.cards.map((c, i) => card(c, i + 1, view)).join('\n')}</ol>`
      : `<p class="empty" data-testid="empty">No papers match.</p>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${heading(view).replace(/<[^>]*>/g, '')} — PaperWire</title><style nonce="${view.nonce}">${CSS}</style></head>
<body>
<header><h1>PaperWire Daily Papers</h1>${tabs(view)}</header>
${filters(view)}
${subscribeBox(view)}
<main aria-labelledby="h-list">
${dayNav(view)}
<h2 id="h-list">${heading(view)} <small data-testid="total">${view.total} paper${view.total === 1 ? '' : 's'}</small></h2>
${list}
${dayNav(view)}
</main>
</body></html>`;
}

/** The answer to a subscription: a plain page, no form. */
export function renderMessagePage(nonce: string, title: string, message: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)} — PaperWire</title><style nonce="${nonce}">${CSS}</style></head>
<body><main><h1>${escapeHtml(title)}</h1><p data-testid="message">${escapeHtml(message)}</p><p><a href="/">Back to the Daily Papers</a></p></main></body></html>`;
}
