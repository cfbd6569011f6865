// What a fetched page says about paging, for the fetcher: it decides the next request before the parser
// has read the page. The frame of the page (the XML around its records or entries) is read with the same
// safe XML reader and the same paging functions the parsers use, so paging is worked out in one place and
// the records themselves are neither read nor built here.
import type { ParseResult } from '@paperwire/contracts';
import { atomPagingOf } from '../parsers/arxiv-atom.parser';
import { oaiPagingOf } from '../parsers/arxiv-oai.parser';
import { asArray, attrOf, child, isNode, readXml, textOf } from './xml-reader';

export type Paging = NonNullable<ParseResult['paging']>;

export interface OaiPageFrame {
  /** the token of the next page; '' when the page's empty token ends the list; undefined when it has none */
  resumptionToken?: string;
  completeListSize?: number;
  /** the day (YYYY-MM-DD) of the response's `responseDate`, the repository's clock */
  responseDay?: string;
  /** the OAI-PMH error codes of the response (`noRecordsMatch`, `badResumptionToken`…) */
  errorCodes: string[];
}

export interface AtomPageFrame extends Omit<Paging, 'resumptionToken' | 'completeListSize'> {
  /** how many `<entry>` elements the page holds */
  entries: number;
}

const isSpaceByte = (c: number | undefined) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

function firstOpen(body: Buffer, tag: string): number {
  const open = `<${tag}`;
  for (let at = body.indexOf(open); at >= 0; at = body.indexOf(open, at + 1)) {
    const next = body[at + open.length];
    if (next === 0x3e || isSpaceByte(next)) return at;
  }
  return -1;
}

/**
 * The document without its `tag` elements (siblings in one list, as records and entries are), and their count.
 * Works on the bytes (the tags are ASCII, which never occurs inside a UTF-8 sequence): only the frame is
 * decoded, so a 50 MB page is never one string here (issue 19).
 */
function frameAround(xml: string | Buffer, tag: string): { frame: string; count: number } {
  const body = typeof xml === 'string' ? Buffer.from(xml) : xml;
  const open = firstOpen(body, tag);
  const close = `</${tag}>`;
  const last = body.lastIndexOf(close);
  if (open < 0 || last < open) return { frame: body.toString('utf8'), count: 0 };
  let count = 0;
  for (let at = body.indexOf(close, open); at >= 0; at = body.indexOf(close, at + close.length)) count++;
  return {
    frame: body.subarray(0, open).toString('utf8') + body.subarray(last + close.length).toString('utf8'),
    count,
  };
}

/** The paging of an OAI-PMH response; throws FeedError when the page is not well-formed XML. */
export function readOaiPageFrame(xml: string | Buffer): OaiPageFrame {
  const doc = readXml(frameAround(xml, 'record').frame);
  const root = doc['OAI-PMH'];
  const errorCodes = asArray(child(root, 'error')).map((e) => attrOf(e, 'code') ?? '');
  const responseDay = /^\d{4}-\d{2}-\d{2}/.exec(textOf(child(root, 'responseDate')).trim())?.[0];
  const list = child(root, 'ListRecords');
  const paging = isNode(list) ? oaiPagingOf(list) : undefined;
  return {
    errorCodes,
    ...(responseDay ? { responseDay } : {}),
    ...(paging ? { resumptionToken: paging.resumptionToken ?? '' } : {}),
    ...(paging?.completeListSize !== undefined ? { completeListSize: paging.completeListSize } : {}),
  };
}

/** The OpenSearch paging and entry count of an arXiv API (Atom) page; throws FeedError when it is not well-formed XML. */
export function readAtomPageFrame(xml: string | Buffer): AtomPageFrame {
  const { frame, count } = frameAround(xml, 'entry');
  return { ...atomPagingOf(readXml(frame)['feed']), entries: count };
}
