// arXiv RSS 2.0 (rss.arxiv.org/rss/<cats>, 2024+ format) with arxiv:announce_type and dc:creator.
import type { CanonicalPaper, ParseResult } from '@paperwire/contracts';
import { collectEntries } from '../lib/entry-collector';
import { FeedError } from '../lib/feed-error';
import { assertArxivDocument, buildPaper, splitAuthorString } from '../lib/paper-builder';
import { asArray, child, isNode, textOf, type XmlNode } from '../lib/xml-reader';

// "arXiv:2604.21935v1 Announce Type: new \nAbstract: ..." -> id, announce type, abstract.
const DESCRIPTION_PREFIX = /^\s*arXiv:(\S{1,60})\s+Announce Type:\s*([\w-]{1,40})\s+Abstract:\s*/;

function itemToPaper(item: unknown): CanonicalPaper {
  const description = textOf(child(item, 'description'));
  const prefix = DESCRIPTION_PREFIX.exec(description);
  const abstract = prefix ? description.slice(prefix[0].length) : description;
  const guid = textOf(child(item, 'guid'));
  const link = textOf(child(item, 'link'));
  const announce = (textOf(child(item, 'announce_type')).trim() || prefix?.[2] || '').toLowerCase();
  const creators = asArray(child(item, 'creator')).map(textOf).join(', ');
  return buildPaper({
    title: textOf(child(item, 'title')),
    abstract,
    authors: splitAuthorString(creators),
    // The guid carries the version (oai:arXiv.org:2604.21935v1); the link does not.
    arxivId: guid || prefix?.[1] || link,
    categories: asArray(child(item, 'category')).map(textOf),
    sighting: {
      sourceItemId: guid || link || undefined,
      announceType: announce || undefined,
      featuredAt: textOf(child(item, 'pubDate')) || undefined,
    },
    requireArxivId: true,
  });
}

export function parseArxivRss(doc: XmlNode): ParseResult {
  const rss = doc['rss'];
  if (!isNode(rss)) throw new FeedError('malformed', 'not an RSS 2.0 document (no <rss> root)');
  const channel = child(rss, 'channel');
  if (channel === undefined) throw new FeedError('malformed', 'RSS document without <channel>');
  const items = asArray(child(channel, 'item'));
  const { papers, errors } = collectEntries(
    items,
    itemToPaper,
    (item) => textOf(child(item, 'guid')) || textOf(child(item, 'link')) || undefined,
  );
  assertArxivDocument(items.length, errors, 'RSS channel');
  return { format: 'arxiv-rss', papers, errors };
}
