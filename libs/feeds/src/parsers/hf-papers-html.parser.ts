// A saved huggingface.co/papers page: the daily list is the `dailyPapers` array inside the HTML-escaped
// `data-props` JSON of the `data-target="DailyPapers"` element. Class names change; data-props has not.
import type { ParseResult } from '@paperwire/contracts';
import { FeedError } from '../lib/feed-error';
import { isJsonObject, parseDailyPaperItems } from './hf-daily-papers.parser';

const DATA_PROPS_RE = /data-props\s*=\s*(?:"([^"]*)"|'([^']*)')/gi;
const HTML_ENTITY_RE = /&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z]{2,8});/g;
const NAMED = new Map<string, string>(Object.entries({ quot: '"', amp: '&', lt: '<', gt: '>', apos: "'", nbsp: '\u00a0' }));

function decodeHtmlEntities(s: string): string {
  return s.replace(HTML_ENTITY_RE, (all, ref: string) => {
    if (ref[0] !== '#') return NAMED.get(ref) ?? all;
    const cp = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    const ok = cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff);
    return ok ? String.fromCodePoint(cp) : '\uFFFD';
  });
}

/** The `dailyPapers` array of the first data-props JSON that has one, or null. */
export function findDailyPapers(html: string): unknown[] | null {
  for (const m of html.matchAll(DATA_PROPS_RE)) {
    const raw = m[1] ?? m[2] ?? '';
    if (!raw.includes('dailyPapers')) continue;
    let props: unknown;
    try {
      props = JSON.parse(decodeHtmlEntities(raw));
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
