// A saved huggingface.co/papers page: the daily list is the `dailyPapers` array inside the HTML-escaped
// `data-props` JSON of the `data-target="DailyPapers"` element. Class names change; data-props has not.
import { decodeHTMLAttribute } from 'entities';
import type { ParseResult } from '@paperwire/contracts';
import { FeedError } from '../lib/feed-error';
import { isJsonObject, parseDailyPaperItems } from './hf-daily-papers.parser';

const DATA_PROPS_RE = /data-props\s*=\s*(?:"([^"]*)"|'([^']*)')/gi;

/** The `dailyPapers` array of the first data-props JSON that has one, or null. */
export function findDailyPapers(html: string): unknown[] | null {
  for (const m of html.matchAll(DATA_PROPS_RE)) {
    const raw = m[1] ?? m[2] ?? '';
    if (!raw.includes('dailyPapers')) continue;
    let props: unknown;
    try {
      // An attribute value: decoded as a browser decodes attributes (every HTML named and numeric reference).
      props = JSON.parse(decodeHTMLAttribute(raw));
    } catch {
      continue;
    }
    if (isJsonObject(props) && Array.isArray(props['dailyPapers'])) return props['dailyPapers'];
  }
  return null;
}

export function parseHfPapersHtml(html: string): ParseResult {
  const items = findDailyPapers(html);
  if (items === null) throw new FeedError('malformed', 'HTML page without a data-props daily papers list');
  return parseDailyPaperItems(items, 'hf-papers-html');
}
