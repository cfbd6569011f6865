// arXiv OAI-PMH (export.arxiv.org/oai2): ListRecords / GetRecord in the arXiv, arXivRaw and oai_dc prefixes.
import type { CanonicalPaper, PaperAuthor, ParseResult } from '@paperwire/contracts';
import { collectEntries } from '../lib/entry-collector';
import { EntryFailure, FeedError } from '../lib/feed-error';
import { buildPaper, splitAuthorString, toCount } from '../lib/paper-builder';
import { asArray, attrOf, child, isNode, textOf, type XmlNode } from '../lib/xml-reader';

function words(s: string): string[] {
  return s.split(/\s+/).filter((w) => w.length > 0);
}

function fromArxivPrefix(meta: unknown, identifier: string): CanonicalPaper {
  const authors: PaperAuthor[] = asArray(child(child(meta, 'authors'), 'author')).map((a) => {
    const name = [textOf(child(a, 'forenames')), textOf(child(a, 'keyname')), textOf(child(a, 'suffix'))]
      .map((s) => s.trim())
      .filter((s) => s.length > 0)
      .join(' ');
    const affiliation = asArray(child(a, 'affiliation')).map(textOf).join('; ');
    return affiliation ? { name, affiliation } : { name };
  });
  return buildPaper({
    title: textOf(child(meta, 'title')),
    abstract: textOf(child(meta, 'abstract')),
    authors,
    arxivId: textOf(child(meta, 'id')) || identifier,
    doi: textOf(child(meta, 'doi')),
    publishedAt: textOf(child(meta, 'created')),
    updatedAt: textOf(child(meta, 'updated')) || undefined,
    categories: words(textOf(child(meta, 'categories'))),
    comment: textOf(child(meta, 'comments')),
    sighting: { sourceItemId: identifier || undefined },
  });
}

function fromArxivRaw(meta: unknown, identifier: string): CanonicalPaper {
  const versions = asArray(child(meta, 'version'))
    .map((v) => ({ n: Number((attrOf(v, 'version') ?? '').replace(/^v/i, '')), date: textOf(child(v, 'date')) }))
    .filter((v) => Number.isInteger(v.n) && v.n > 0)
    .sort((a, b) => a.n - b.n);
  const first = versions[0];
  const last = versions[versions.length - 1];
  return buildPaper({
    title: textOf(child(meta, 'title')),
    abstract: textOf(child(meta, 'abstract')),
    authors: splitAuthorString(textOf(child(meta, 'authors'))),
    arxivId: textOf(child(meta, 'id')) || identifier,
    version: last?.n,
    doi: textOf(child(meta, 'doi')),
    publishedAt: first?.date,
    updatedAt: last && last !== first ? last.date : undefined,
    categories: words(textOf(child(meta, 'categories'))),
    comment: textOf(child(meta, 'comments')),
    sighting: { sourceItemId: identifier || undefined, submittedBy: textOf(child(meta, 'submitter')) || undefined },
  });
}

/** Dublin Core "Last, First" -> "First Last"; anything else is kept as written. */
function dcCreator(raw: string): PaperAuthor {
  const parts = raw.split(',');
  if (parts.length === 2 && parts[0].trim() && parts[1].trim()) return { name: `${parts[1].trim()} ${parts[0].trim()}` };
  return { name: raw };
}

function fromOaiDc(meta: unknown, identifier: string): CanonicalPaper {
  const descriptions = asArray(child(meta, 'description')).map(textOf);
  const comment = descriptions.find((d) => /^\s*Comment:/i.test(d));
  const abstract = descriptions.find((d) => d !== comment);
  const identifiers = asArray(child(meta, 'identifier')).map(textOf);
  const arxivUrl = identifiers.find((i) => /arxiv\.org\/abs\//i.test(i));
  const doi = identifiers.find((i) => /^(?:doi:|https?:\/\/(?:dx\.)?doi\.org\/)?10\.\d{4,9}\//i.test(i.trim()));
  const dates = asArray(child(meta, 'date')).map(textOf).filter((d) => d.trim().length > 0);
  return buildPaper({
    title: textOf(child(meta, 'title')),
    abstract,
    authors: asArray(child(meta, 'creator')).map((c) => dcCreator(textOf(c))),
    arxivId: arxivUrl ?? identifier,
    doi,
    publishedAt: dates[0],
    updatedAt: dates.length > 1 ? dates[dates.length - 1] : undefined,
    // dc:subject holds names ("Computer Science - Machine Learning"), not category codes.
    categories: [],
    comment: comment?.replace(/^\s*Comment:\s*/i, ''),
    sighting: { sourceItemId: identifier || undefined },
  });
}

function recordToPaper(record: unknown): CanonicalPaper | null {
  const header = child(record, 'header');
  if (attrOf(header, 'status') === 'deleted') return null;
  const identifier = textOf(child(header, 'identifier')).trim();
  const metadata = child(record, 'metadata');
  if (isNode(metadata)) {
    if (metadata['arXiv'] !== undefined) return fromArxivPrefix(metadata['arXiv'], identifier);
    if (metadata['arXivRaw'] !== undefined) return fromArxivRaw(metadata['arXivRaw'], identifier);
    if (metadata['dc'] !== undefined) return fromOaiDc(metadata['dc'], identifier);
  }
  throw new EntryFailure('record without arXiv, arXivRaw or oai_dc metadata');
}

/** The paging of a ListRecords element: undefined without a resumptionToken, `{}` when its empty token ends the list. */
export function oaiPagingOf(list: unknown): ParseResult['paging'] {
  const tokenNode = child(list, 'resumptionToken');
  if (tokenNode === undefined) return undefined;
  const token = textOf(tokenNode).trim();
  const size = toCount(attrOf(tokenNode, 'completeListSize'));
  const paging: NonNullable<ParseResult['paging']> = {};
  if (token) paging.resumptionToken = token;
  if (size !== undefined) paging.completeListSize = size;
  return paging;
}

export function parseArxivOai(doc: XmlNode): ParseResult {
  const root = doc['OAI-PMH'];
  if (!isNode(root)) throw new FeedError('malformed', 'not an OAI-PMH document (no <OAI-PMH> root)');
  const oaiErrors = asArray(root['error']).map((e) => ({ code: attrOf(e, 'code') ?? '', text: textOf(e).trim() }));
  if (oaiErrors.length > 0) {
    if (oaiErrors.every((e) => e.code === 'noRecordsMatch')) return { format: 'arxiv-oai', papers: [], errors: [] };
    const message = oaiErrors.map((e) => `${e.code || 'error'}: ${e.text}`).join('; ');
    throw new FeedError('upstream-error', `OAI-PMH error: ${message.slice(0, 1000)}`);
  }
  const list = root['ListRecords'] ?? root['GetRecord'];
  if (list === undefined) throw new FeedError('malformed', 'OAI-PMH response without ListRecords or GetRecord');
  const { papers, errors } = collectEntries(
    asArray(child(list, 'record')),
    recordToPaper,
    (record) => textOf(child(child(record, 'header'), 'identifier')) || undefined,
  );
  const result: ParseResult = { format: 'arxiv-oai', papers, errors };
  const paging = root['ListRecords'] !== undefined ? oaiPagingOf(list) : undefined;
  if (paging) result.paging = paging;
  return result;
}
