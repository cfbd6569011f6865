// arXiv API Atom (export.arxiv.org/api/query), both the 2016-era and the current response format.
import type { CanonicalPaper, PaperAuthor, ParseResult } from '@paperwire/contracts';
import { parseArxivId } from '../lib/arxiv-id';
import { collectEntries } from '../lib/entry-collector';
import { EntryFailure, FeedError } from '../lib/feed-error';
import { assertArxivDocument, buildPaper, toCount } from '../lib/paper-builder';
import { asArray, attrOf, child, isNode, textOf, type XmlNode } from '../lib/xml-reader';

function isErrorEntry(entry: unknown): boolean {
  if (textOf(child(entry, 'title')).trim() !== 'Error') return false;
  const id = textOf(child(entry, 'id'));
  return id.includes('/api/errors') || parseArxivId(id) === null;
}

function authorsOf(entry: unknown): PaperAuthor[] {
  return asArray(child(entry, 'author')).map((a) => {
    const affiliation = asArray(child(a, 'affiliation'))
      .map(textOf)
      .filter((s) => s.trim().length > 0)
      .join('; ');
    return affiliation ? { name: textOf(child(a, 'name')), affiliation } : { name: textOf(child(a, 'name')) };
  });
}

function categoriesOf(entry: unknown): string[] {
  const primary = attrOf(child(entry, 'primary_category'), 'term');
  const rest = asArray(child(entry, 'category')).map((c) => attrOf(c, 'term') ?? '');
  return [...(primary ? [primary] : []), ...rest].filter((c) => c.length > 0);
}

function entryToPaper(entry: unknown): CanonicalPaper {
  const id = textOf(child(entry, 'id'));
  return buildPaper({
    title: textOf(child(entry, 'title')),
    abstract: textOf(child(entry, 'summary')),
    authors: authorsOf(entry),
    arxivId: id,
    doi: textOf(child(entry, 'doi')),
    publishedAt: textOf(child(entry, 'published')),
    updatedAt: textOf(child(entry, 'updated')),
    categories: categoriesOf(entry),
    comment: textOf(child(entry, 'comment')),
    sighting: { sourceItemId: id || undefined },
    requireArxivId: true,
  });
}

export function isAtomDocument(doc: XmlNode): boolean {
  return isNode(doc['feed']) || doc['feed'] === '';
}

export function parseArxivAtom(doc: XmlNode): ParseResult {
  if (!isAtomDocument(doc)) throw new FeedError('malformed', 'not an Atom feed (no <feed> root)');
  const feed = doc['feed'];
  const entries = asArray(child(feed, 'entry'));
  const { papers, errors, errorEntries } = parseAtomEntries(entries);
  checkAtomDocument(entries.length, errorEntries, errors);
  const result: ParseResult = { format: 'arxiv-api', papers, errors };
  const paging = atomPagingOf(feed);
  if (paging) result.paging = paging;
  return result;
}

/** The papers of some `<entry>` elements (a whole feed's, or a streamed batch's); `errorEntries`: the arXiv API error entries' summaries. */
export function parseAtomEntries(entries: unknown[]): Pick<ParseResult, 'papers' | 'errors'> & { errorEntries: string[] } {
  const errorEntries = entries.filter(isErrorEntry).map((e) => textOf(child(e, 'summary')).trim());
  const { papers, errors } = collectEntries(
    entries,
    (entry) => {
      if (isErrorEntry(entry)) throw new EntryFailure(`arXiv API error entry: ${textOf(child(entry, 'summary')).trim()}`);
      return entryToPaper(entry);
    },
    (entry) => textOf(child(entry, 'id')) || undefined,
  );
  return { papers, errors, errorEntries };
}

/** Whole-feed checks: a feed of error entries only is the API's error answer; a feed without one arXiv entry is not arXiv's. */
export function checkAtomDocument(entries: number, errorEntries: string[], errors: { message: string }[]): void {
  if (errorEntries.length > 0 && errorEntries.length === entries) {
    const message = errorEntries.join('; ');
    throw new FeedError('upstream-error', `arXiv API error: ${message || 'unknown error'}`);
  }
  assertArxivDocument(entries, errors, 'Atom feed');
}

/** The OpenSearch paging of an arXiv API feed (totalResults, startIndex, itemsPerPage), undefined when it has none. */
export function atomPagingOf(feed: unknown): ParseResult['paging'] {
  const paging = {
    totalResults: toCount(textOf(child(feed, 'totalResults'))),
    startIndex: toCount(textOf(child(feed, 'startIndex'))),
    itemsPerPage: toCount(textOf(child(feed, 'itemsPerPage'))),
  };
  if (!Object.values(paging).some((v) => v !== undefined)) return undefined;
  return Object.fromEntries(Object.entries(paging).filter(([, v]) => v !== undefined));
}
