import { CLAIM_KIND_NAMES, feedOrigin, labelledLinks, renderableLinks, type ClaimKind } from '@paperwire/contracts';
import { metricDisplayName } from '@paperwire/metrics';
import type { PaperDetailDto, ClaimDto } from '../papers/paper.dto';
import { escapeHtml, paperPath, publicUrl, renderHead, skipLink } from '../common/html';
import { abstractHtml, abstractText, titleHtml, titleText } from '../common/inline-latex';
import { PAGE_CSS } from '../common/page-style';
import type { ClaimChange } from './claims-diff';
import type { SimilarPaper } from './similar.service';
import type { DiffPart } from './text-diff';

export interface VersionChangeView {
  version: number | null;
  seenAt: string;
  previous: { version: number | null; seenAt: string };
  title: DiffPart[];
  abstract: DiffPart[];
  claims: ClaimChange[];
}

export interface PaperPageView {
  nonce: string;
  baseUrl: string;
  paper: PaperDetailDto;
  topicNames: Map<string, string>;
  similar: SimilarPaper[];
  /** the days the paper is listed on the Daily Papers page, oldest first */
  listedDays: string[];
  /** newest change first */
  changes: VersionChangeView[];
}

const day = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : null);

const GROUPED = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 });

/** A claim's value as a reader writes it: 11,200,000 (grouped), 78.45, 0.0012 (small values keep their digits). */
export function fmtNum(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 1000 ? GROUPED.format(v) : String(Number(v.toPrecision(6)));
}

/** The claim's fields shown on focus or hover: value, unit, metric, baseline, dataset (and what it is compared to). */
export function claimFields(c: ClaimDto): [string, string][] {
  const rows: [string, string][] = [
    ['Value', c.low !== null ? `${fmtNum(c.low)}–${fmtNum(c.value)}` : fmtNum(c.value)],
    ['Unit', c.unit === 'other' && c.unitText ? c.unitText : c.unit],
    ['Metric', c.metric ? metricDisplayName(c.metric) : '—'],
    ['Baseline', c.baseline ? c.baseline.text : c.comparedTo ? `vs ${c.comparedTo}` : '—'],
    ['Dataset', c.dataset ?? '—'],
    ['Kind', CLAIM_KIND_NAMES[c.kind as ClaimKind] ?? c.kind.replace(/_/g, ' ')],
  ];
  if (c.qualifier) rows.push(['Qualifier', c.qualifier]);
  return rows;
}

/**
 * The abstract with one keyboard-focusable <mark> per claim span; spans that do not match the text are skipped. Each
 * part between the spans, and each span, is rendered as prose (abstractHtml: \% as %, \eg as e.g., inline math);
 * the offsets are the stored abstract's.
 */
export function highlightAbstract(abstract: string, claims: ClaimDto[]): string {
  const spans = claims
    .filter((c) => c.start >= 0 && c.end <= abstract.length && c.end > c.start && abstract.slice(c.start, c.end) === c.text)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let pos = 0;
  let n = 0;
  for (const c of spans) {
    if (c.start < pos) continue; // overlapping span: the first one wins
    n++;
    // Phrasing content only (spans): a <dl> inside the abstract's <p> would close the paragraph. The tip is `hidden`
    // (the page's CSS shows it on hover and focus; aria-describedby still reads it): a reader mode or a text browser,
    // which drop hidden elements, read the abstract as prose, not "39.6%Value: 39.6Unit: %Metric: accuracy…".
    const tip = claimFields(c)
      .map(([k, v]) => `<span class="row"><span class="k">${escapeHtml(k)}:</span> ${escapeHtml(v)}</span>`)
      .join('');
    out += abstractHtml(abstract.slice(pos, c.start));
    out += `<mark class="claim-span" tabindex="0" data-testid="claim-mark" data-kind="${escapeHtml(c.kind)}" aria-describedby="claim-tip-${n}">${abstractHtml(c.text)}<span class="tip" role="tooltip" id="claim-tip-${n}" hidden>${tip}</span></mark>`;
    pos = c.end;
  }
  return out + abstractHtml(abstract.slice(pos));
}

function diffHtml(parts: DiffPart[]): string {
  return parts
    .map((p) =>
      p.op === 'same'
        ? escapeHtml(p.text)
        : p.op === 'added'
          ? `<ins class="diff" data-testid="diff-added">${escapeHtml(p.text)}</ins>`
          : `<del class="diff" data-testid="diff-removed">${escapeHtml(p.text)}</del>`,
    )
    .join('');
}

const vname = (v: { version: number | null; seenAt: string }) => (v.version !== null ? `v${v.version}` : `seen ${day(v.seenAt)}`);

/**
 * A paper PaperWire first read at a later arXiv version (an OAI harvest of a paper at v4): the versions before it are
 * arXiv's, not "only one version so far".
 */
function earlierVersions(view: PaperPageView): string {
  const numbered = view.paper.versions.map((v) => v.version).filter((v): v is number => v !== null);
  const first = numbered.length > 0 ? Math.min(...numbered) : null;
  if (first === null || first <= 1) return '';
  const before = first === 2 ? 'v1 came' : `v1–v${first - 1} came`;
  const arxiv = view.paper.arxivId ? ` (listed on <a href="https://arxiv.org/abs/${encodeURIComponent(view.paper.arxivId)}" data-testid="arxiv-versions">its arXiv page</a>)` : '';
  return `<p data-testid="earlier-versions">PaperWire first read this paper at v${first}; ${before} before${arxiv}.</p>`;
}

function versionsSection(view: PaperPageView): string {
  const versions = view.paper.versions;
  const earlier = earlierVersions(view);
  // an unnumbered version is named by the day it was seen: that day is said once; "by PaperWire": the day it was
  // read, not the day it was listed (trending and the listings go by the listing day)
  const list = versions
    .map((v) => {
      const seen = `<time datetime="${escapeHtml(v.seenAt)}">${escapeHtml(day(v.seenAt) ?? '')}</time>`;
      return `<li data-testid="version">${v.version !== null ? `v${v.version} — first seen by PaperWire ${seen}` : `First seen by PaperWire ${seen}`}</li>`;
    })
    .join('');
  const changes = view.changes
    .map((c) => {
      const titleChanged = c.title.some((p) => p.op !== 'same');
      const absChanged = c.abstract.some((p) => p.op !== 'same');
      const claims = c.claims
        .map((x) =>
          x.change === 'changed'
            ? `<li class="change-changed" data-change="changed">changed: ${escapeHtml(x.before ?? '')} → ${escapeHtml(x.summary)}</li>`
            : `<li class="change-${x.change}" data-change="${x.change}">${x.change}: ${escapeHtml(x.summary)}</li>`,
        )
        .join('');
      return `<section class="version-change" data-testid="version-change" aria-label="${escapeHtml(`Changes from ${vname(c.previous)} to ${vname(c)}`)}">
<h3>${escapeHtml(vname(c.previous))} → ${escapeHtml(vname(c))}</h3>
${titleChanged ? `<p><strong>Title:</strong> ${diffHtml(c.title)}</p>` : '<p>Title unchanged.</p>'}
${absChanged ? `<p data-testid="abstract-diff"><strong>Abstract:</strong> ${diffHtml(c.abstract)}</p>` : '<p>Abstract unchanged.</p>'}
${claims ? `<p><strong>Claims</strong> (re-extracted from each version):</p><ul class="changes" data-testid="claim-changes">${claims}</ul>` : '<p>Claims unchanged.</p>'}
</section>`;
    })
    .join('\n');
  return `<section class="panel" aria-labelledby="h-versions" data-testid="versions">
<h2 id="h-versions">Versions</h2>
${versions.length > 0 ? `<ul>${list}</ul>` : '<p>No stored versions.</p>'}
${earlier}${changes || (versions.length > 1 || earlier ? '' : '<p>Only one version so far.</p>')}
</section>`;
}

function linksList(p: PaperDetailDto): string {
  const { abs, pdf } = renderableLinks(p);
  const items = [
    abs ? `<li><a href="${escapeHtml(abs)}" data-testid="link-abs">Abstract page</a></li>` : '',
    pdf ? `<li><a href="${escapeHtml(pdf)}" data-testid="link-pdf">PDF</a></li>` : '',
    // each link labelled by what it is (code on GitHub, a Hugging Face model, …), the same page never twice
    ...labelledLinks(p.links).map((l) => `<li><a href="${escapeHtml(l.url)}" data-testid="link-${l.kind}">${escapeHtml(l.label)}</a></li>`),
    p.doi ? `<li><a href="${escapeHtml(`https://doi.org/${p.doi}`)}">DOI ${escapeHtml(p.doi)}</a></li>` : '',
  ].join('');
  return items ? `<ul class="links" data-testid="links">${items}</ul>` : '<p class="meta">No links known.</p>';
}

const DAILY_PAPERS = 'Hugging Face Daily Papers';

/** The public feed a sighting stands for, by the format it was read in (its origin, feedOrigin): never the operator's name for the source. */
export function publicSourceName(feed: string | null): string {
  const origin = feedOrigin(feed);
  return origin === 'huggingface' ? DAILY_PAPERS : origin === 'arxiv' ? 'arXiv' : 'Another feed';
}

/** How a sighting was read, in a reader's words (the Sightings table's "through …" note); null for a format it cannot name. */
const FEED_WAY: Readonly<Record<string, string>> = {
  'hf-daily-papers': 'the Daily Papers API',
  'hf-papers-html': 'the Daily Papers web page',
  'daily-papers-text': 'a copy of the Daily Papers page',
  'arxiv-api': 'the arXiv API',
  'arxiv-rss': 'the arXiv RSS feed',
  'arxiv-oai': 'arXiv OAI-PMH',
  jsonl: 'a JSONL file',
};

interface SightingGroup {
  name: string;
  n: number;
  ways: string[];
  upvotes: number | null;
  comments: number | null;
  githubStars: number | null;
  submittedBy: string | null;
  featuredAt: string | null;
  firstSeenAt: string;
}

/**
 * The Sightings table's rows: one per public origin (publicSourceName), in the order the first sighting of each came,
 * with the highest counts over its sightings, the earliest dates and the ways it was read: two operator sources of one
 * origin (an arXiv RSS feed and an OAI backfill, one file added twice) are one row, as they are one origin for trending.
 */
export function sightingGroups(sightings: PaperDetailDto['sightings']): SightingGroup[] {
  const groups = new Map<string, SightingGroup>();
  const max = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));
  const min = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : Date.parse(b) < Date.parse(a) ? b : a);
  for (const s of sightings) {
    const name = publicSourceName(s.feed);
    const g = groups.get(name);
    const way = (s.feed && FEED_WAY[s.feed]) || null;
    if (!g) {
      groups.set(name, { name, n: 1, ways: way ? [way] : [], upvotes: s.upvotes, comments: s.comments, githubStars: s.githubStars, submittedBy: s.submittedBy, featuredAt: s.featuredAt, firstSeenAt: s.firstSeenAt });
      continue;
    }
    g.n += 1;
    if (way && !g.ways.includes(way)) g.ways.push(way);
    g.upvotes = max(g.upvotes, s.upvotes);
    g.comments = max(g.comments, s.comments);
    g.githubStars = max(g.githubStars, s.githubStars);
    g.submittedBy ??= s.submittedBy;
    g.featuredAt = min(g.featuredAt, s.featuredAt);
    g.firstSeenAt = min(g.firstSeenAt, s.firstSeenAt)!;
  }
  return [...groups.values()];
}

const EVIDENCE_RE = /^(?:keyword|term) "(.+)"( \(title\))?(?: x(\d+))?$/;

/**
 * The classifier's evidence for a topic in a reader's words: the phrases it matched and where
 * (‘matched “Sparse Attention” in the title; “GPU” (3 times) in the abstract’). Its internal signals (keyword
 * or term weights, similarities, model probabilities) are not shown; null when only those are left.
 */
export function readerEvidence(evidence: readonly string[]): string | null {
  const title: string[] = [];
  const abstract: string[] = [];
  for (const e of evidence) {
    const m = EVIDENCE_RE.exec(e);
    if (!m) continue;
    // (title): in the title; xN: N times in the abstract (the label says neither for one abstract match)
    const n = m[3] ? Number(m[3]) : 0;
    if (m[2]) title.push(`“${m[1]}”`);
    if (!m[2] || n > 1) abstract.push(`“${m[1]}”${n === 2 ? ' (twice)' : n > 2 ? ` (${n} times)` : ''}`);
  }
  if (title.length + abstract.length === 0) return null;
  const list = (xs: string[], max: number) =>
    xs.length <= 1 ? xs.join('') : xs.length > max ? `${xs.slice(0, max).join(', ')} and ${xs.length - max} more` : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;
  const parts = [title.length ? `${list(title, 4)} in the title` : '', abstract.length ? `${list(abstract, 5)} in the abstract` : ''].filter(Boolean);
  return `matched ${parts.join('; ')}`;
}

const listWords = (xs: readonly string[]) => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);

const cell = (v: string | number | null | undefined) => (v === null || v === undefined || v === '' ? '—' : escapeHtml(String(v)));

function sightingsTable(p: PaperDetailDto): string {
  if (p.sightings.length === 0) return '<p>No sightings recorded.</p>';
  const rows = sightingGroups(p.sightings)
    .map(
      (s) =>
        `<tr><th scope="row">${escapeHtml(s.name)}${s.n > 1 ? ` <small data-testid="sighting-ways">(${s.n} sightings${s.ways.length ? `, through ${escapeHtml(listWords(s.ways))}` : ''})</small>` : ''}</th><td class="num">${cell(s.upvotes)}</td><td class="num">${cell(s.comments)}</td><td class="num">${cell(s.githubStars)}</td><td>${cell(s.submittedBy)}</td><td class="num">${cell(day(s.featuredAt))}</td><td class="num">${cell(day(s.firstSeenAt))}</td></tr>`,
    )
    .join('');
  return `<div class="table-wrap" tabindex="0" role="region" aria-label="Sightings table"><table class="data" data-testid="sightings"><caption class="visually-hidden">Where the paper was seen</caption>
<thead><tr><th scope="col">Source</th><th scope="col">Upvotes</th><th scope="col">Comments</th><th scope="col">Stars</th><th scope="col">Submitted by</th><th scope="col">Featured</th><th scope="col">First seen by PaperWire</th></tr></thead>
<tbody>${rows}</tbody></table></div>`;
}

function topicsTable(view: PaperPageView): string {
  const p = view.paper;
  // A paper the classifier has seen (any stage after parsed) and left without a topic is not waiting for one.
  if (p.topics.length === 0)
    return p.stage === 'parsed' ? '<p>Not classified into any topic yet.</p>' : '<p>No topic of the taxonomy fits this paper.</p>';
  const rows = p.topics
    .map(
      (t) =>
        `<tr data-topic="${escapeHtml(t.slug)}"><th scope="row"><a href="/?topic=${encodeURIComponent(t.slug)}">${escapeHtml(view.topicNames.get(t.slug) ?? t.slug)}</a>${t.isPrimary ? ' <small>(primary)</small>' : ''}</th><td class="num">${t.score.toFixed(2)}</td><td>${escapeHtml(readerEvidence(t.evidence) ?? 'close to the topic’s description and examples')}</td></tr>`,
    )
    .join('');
  return `<div class="table-wrap" tabindex="0" role="region" aria-label="Topics table"><table class="data" data-testid="topics"><caption class="visually-hidden">Topics with score and evidence</caption>
<thead><tr><th scope="col">Topic</th><th scope="col">Score</th><th scope="col">Evidence</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

function similarList(view: PaperPageView): string {
  if (view.similar.length === 0) return '<p>No similar papers found yet.</p>';
  return `<ol data-testid="similar">${view.similar
    .map((s) => `<li><a href="${escapeHtml(paperPath(s.arxivId ?? s.id))}" data-testid="similar-paper">${titleHtml(s.title)}</a></li>`)
    .join('')}</ol>`;
}

function authorsLine(p: PaperDetailDto): string {
  if (p.authors.length === 0) return '<p class="authors" data-testid="authors">Authors not given by the source.</p>';
  return `<p class="authors" data-testid="authors">${p.authors
    .map((a) => `${escapeHtml(a.name)}${a.affiliation ? ` <small>(${escapeHtml(a.affiliation)})</small>` : ''}`)
    .join(', ')}</p>`;
}

/** The paper's arXiv categories as the source gave them, else the classifier's prediction, marked as one. */
function categoriesLine(p: PaperDetailDto): string {
  if (p.categories.length > 0)
    return `<p class="meta" data-testid="categories">${p.categories.length === 1 ? 'Category' : 'Categories'}: ${p.categories.map(escapeHtml).join(', ')}</p>`;
  if (!p.predictedCategory) return '';
  return `<p class="meta" data-testid="categories" data-predicted="true">Category: ${escapeHtml(p.predictedCategory)} <small>(predicted from the title and abstract; the source gave none)</small></p>`;
}

/**
 * Links back to the day page of each day the paper is listed on (the last few when there are many): "Listed in the
 * Daily Papers" only when a Daily Papers feed brought it (as its Sightings say); a paper only another feed brought
 * (an arXiv list, an upload) is "Listed by PaperWire on" that day (its day page), never said to be in Daily Papers.
 */
function listedLine(days: readonly string[], sightings: PaperDetailDto['sightings']): string {
  if (days.length === 0) return '';
  const dailyPapers = sightings.some((x) => publicSourceName(x.feed) === DAILY_PAPERS);
  const shown = days.slice(-3);
  const links = shown.map((d) => `<a href="/?date=${encodeURIComponent(d)}" data-testid="listed-day"><time datetime="${escapeHtml(d)}">${escapeHtml(d)}</time></a>`);
  return `<p class="meta" data-testid="listed">${dailyPapers ? 'Listed in the Daily Papers of' : 'Listed by PaperWire on'} ${links.join(', ')}${days.length > shown.length ? ` (and ${days.length - shown.length} earlier day${days.length - shown.length === 1 ? '' : 's'})` : ''}</p>`;
}

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * The month an arXiv identifier was assigned in ("2403.01234" and "hep-th/9901001": its yymm), as "YYYY-MM"; null
 * for anything else. A month only: the identifier says nothing of the day.
 */
export function arxivMonth(id: string | null): string | null {
  const m = id ? (/^(\d{2})(\d{2})\.\d{4,5}(?:v\d+)?$/.exec(id) ?? /^[a-z-]+(?:\.[a-z-]+)?\/(\d{2})(\d{2})\d{3}(?:v\d+)?$/i.exec(id)) : null;
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) return null;
  const yy = Number(m[1]);
  // new-style identifiers began in 2007; old-style ones ran from 1991 to 2007
  const year = id!.includes('/') ? (yy >= 91 ? 1900 + yy : 2000 + yy) : 2000 + yy;
  return `${year}-${m[2]}`;
}

/**
 * What the page says of when the paper came out: its publication date when a source stated one; else the arXiv
 * identifier's month (never a day) and when Daily Papers listed it, each named as what it is (the day only when the
 * line of listed days, listedLine, does not say it already).
 */
function publicationDates(p: PaperDetailDto, listedDays: readonly string[]): string[] {
  const featured = p.sightings.map((s) => s.featuredAt).filter((x): x is string => !!x).sort()[0];
  if (p.publishedAt) {
    return [
      `Published <time datetime="${escapeHtml(p.publishedAt)}">${escapeHtml(day(p.publishedAt) ?? '')}</time>`,
      // the Daily Papers day once: "Featured" only when the listed days above do not already say it
      featured && !listedDays.includes(day(featured) ?? '') ? `Featured ${escapeHtml(day(featured) ?? '')}` : '',
    ];
  }
  const month = arxivMonth(p.arxivId);
  const listed = day(featured) ?? listedDays[0];
  return [
    month ? `Submitted to arXiv in <time datetime="${month}">${MONTH_NAMES[Number(month.slice(5)) - 1]} ${month.slice(0, 4)}</time>` : '',
    listed && !listedDays.includes(listed) ? `Listed on Daily Papers <time datetime="${escapeHtml(listed)}">${escapeHtml(listed)}</time>` : '',
  ];
}

/** The canonical page of one paper. */
export function renderPaperPage(view: PaperPageView): string {
  const p = view.paper;
  const key = p.arxivId ?? p.id;
  const canonical = publicUrl(view.baseUrl, paperPath(key));
  // <title>, og:title and the description carry the h1's reading of the title as plain text, not its LaTeX
  const description = p.headlineClaim ? `${p.headlineClaim.summary}. ${abstractText(p.abstract)}` : abstractText(p.abstract) || titleText(p.title);
  const dates = [
    ...publicationDates(p, view.listedDays),
    `Added to PaperWire <time datetime="${escapeHtml(p.createdAt)}">${escapeHtml(day(p.createdAt) ?? '')}</time>`,
    p.version !== null && p.version !== undefined ? `Version v${p.version}` : '',
  ].filter(Boolean);
  const claims = p.claims.length
    ? `<p class="meta">${p.claims.length} extracted claim${p.claims.length === 1 ? '' : 's'} highlighted; focus or hover one for its value, unit, metric, baseline and dataset.</p>`
    : '';
  const head = renderHead({
    title: `${titleText(p.title)} — PaperWire`,
    nonce: view.nonce,
    css: PAGE_CSS,
    canonical,
    description,
    ogType: 'article',
    alternates: [
      { type: 'application/json', title: 'This paper as JSON', href: `/v1/papers/${encodeURIComponent(p.id)}` },
      { type: 'application/atom+xml', title: 'This paper as Atom', href: `${paperPath(key)}.atom` },
    ],
    extra: p.publishedAt ? `<meta property="article:published_time" content="${escapeHtml(p.publishedAt)}">` : '',
  });
  return `<!doctype html>
<html lang="en">${head}
<body>
${skipLink('content', 'Skip to content')}
<header><a class="brand" href="/">PaperWire Daily Papers</a></header>
<main id="content" tabindex="-1" aria-labelledby="paper-title" data-testid="paper-page" data-paper-id="${escapeHtml(p.id)}">
<h1 id="paper-title" data-testid="paper-title">${titleHtml(p.title)}</h1>
${authorsLine(p)}
${listedLine(view.listedDays, p.sightings)}
<p class="meta" data-testid="dates">${dates.join(' · ')}${p.arxivId ? ` · arXiv:${escapeHtml(p.arxivId)}` : ''}</p>
${categoriesLine(p)}
${p.headlineClaim ? `<p class="claim" data-testid="headline">${escapeHtml(p.headlineClaim.summary)}</p>` : ''}
${linksList(p)}
<section class="panel" aria-labelledby="h-abstract"><h2 id="h-abstract">Abstract</h2>
${p.abstract ? `<p class="abstract" data-testid="abstract">${highlightAbstract(p.abstract, p.claims)}</p>${claims}` : '<p data-testid="abstract">No abstract given by the source.</p>'}
</section>
<section class="panel" aria-labelledby="h-topics"><h2 id="h-topics">Topics</h2>${topicsTable(view)}</section>
<section class="panel" aria-labelledby="h-sightings"><h2 id="h-sightings">Sightings</h2>${sightingsTable(p)}</section>
${versionsSection(view)}
<section class="panel" aria-labelledby="h-similar"><h2 id="h-similar">Similar papers</h2>${similarList(view)}</section>
</main>
<footer><p data-testid="for-developers">For developers: this paper’s record in the PaperWire API (<a href="/v1/papers/${encodeURIComponent(p.id)}" data-testid="paper-json">JSON</a>) and as an <a href="${escapeHtml(paperPath(key))}.atom">Atom feed entry</a>.</p></footer>
</body></html>`;
}

/** A plain status page (404 unknown paper, 400 bad date, …) with the site's look. */
export function renderStatusPage(
  nonce: string,
  status: number,
  title: string,
  message: string,
  /** what the reader may have meant (a near-miss topic's closest topics), offered as links */
  suggestions: readonly { href: string; label: string }[] = [],
  /** the sentence the links complete: "Did you mean <a>…</a>?" by default, else "<lead> <a>…</a>." */
  lead?: string,
): string {
  const links = suggestions.map((x) => `<a href="${escapeHtml(x.href)}">${escapeHtml(x.label)}</a>`).join(', ');
  const meant =
    suggestions.length === 0 ? '' : `<p data-testid="suggestions">${lead ? `${escapeHtml(lead)} ${links}.` : `Did you mean ${links}?`}</p>`;
  return `<!doctype html>
<html lang="en">${renderHead({ title: `${title} — PaperWire`, nonce, css: PAGE_CSS })}
<body>${skipLink('content', 'Skip to content')}<header><a class="brand" href="/">PaperWire Daily Papers</a></header>
<main id="content" tabindex="-1"><h1>${escapeHtml(title)}</h1><p data-testid="message" data-status="${status}">${escapeHtml(message)}</p>${meant}<p><a href="/">Back to the Daily Papers</a></p></main></body></html>`;
}
