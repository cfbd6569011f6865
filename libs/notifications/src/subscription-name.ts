/**
 * A subscription's name is shown in what is mailed (subject, heading, footer) and in pages a signed link opens: it must
 * never carry the subscriber's address. These two rules keep it out: a default name says what the subscription sends,
 * and any name that holds an address (rows named before this rule: "email reader@example.com", or a name typed so) is
 * shown without it.
 */

type Mode = 'instant' | 'daily' | 'weekly';

/** What a subscription sends, as a name: "Instant alerts", "Daily digest", "Weekly digest". */
export function modeName(mode: string | null | undefined): string {
  return mode === 'daily' ? 'Daily digest' : mode === 'weekly' ? 'Weekly digest' : 'Instant alerts';
}

/**
 * The name a subscription created without one gets: an email subscription's says what it sends (never its address);
 * a webhook's names its endpoint, which only its owner sees.
 */
export function defaultSubscriptionName(channel: 'email' | 'webhook', mode: Mode, target: string): string {
  return channel === 'email' ? modeName(mode) : `webhook ${target}`.slice(0, 200);
}

// Anything with an @ between non-space characters and a dot after it: an address, bracketed or quoted or not.
const ADDRESS = /[<("“'‘]?(?:mailto:)?[^\s<>()"“”'‘’@]+@[^\s<>()"“”'‘’@]+\.[^\s<>()"“”'‘’@]+[>)"”'’]?/giu;

/**
 * A subscription's name as mail shows it: without any address in it (and without the word "email" the old default
 * put before the address), one line; `fallback` (what it sends) when nothing else is left.
 */
export function mailedName(name: string, fallback: string): string {
  const stripped = name.replace(ADDRESS, ' ');
  const clean = (stripped === name ? name : stripped.replace(/^\s*e-?mail\b\s*(?:to|for)?\s*/iu, '').replace(/^[\s:,;–—-]+|[\s:,;–—-]+$/gu, ''))
    .replace(/\s+/g, ' ')
    .trim();
  return clean === '' ? fallback : clean;
}
