// Lookups the rule specs share: the spans of every claim in a text, and the claim with a given span.
import type { Claim } from '@paperwire/contracts';
import { extractClaims } from './extract-claims';

export const texts = (t: string): string[] => extractClaims(t).map((c) => c.text);

export const find = (t: string, span: string): Claim => {
  const c = extractClaims(t).find((x) => x.text === span);
  if (!c) throw new Error(`no claim "${span}" in ${JSON.stringify(texts(t))}`);
  return c;
};
