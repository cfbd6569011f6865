// Filters in words, for confirmation emails and listings ("topics: rag or agents (score ≥ 0.5)").

import type { ClaimCondition, SubscriptionFilter } from './filter.schema';

function claimConditionText(c: ClaimCondition): string {
  const what = [c.kind?.replace(/_/g, ' '), c.metric ? `in ${c.metric}` : undefined]
    .filter(Boolean)
    .join(' ');
  const unit =
    c.unit && c.unit !== 'count' && c.unit !== 'score' && c.unit !== 'other'
      ? c.unit === 'pp'
        ? ' pp'
        : c.unit
      : '';
  const range =
    c.min !== undefined && c.max !== undefined
      ? `between ${c.min}${unit} and ${c.max}${unit}`
      : c.min !== undefined
        ? `at least ${c.min}${unit}`
        : c.max !== undefined
          ? `at most ${c.max}${unit}`
          : c.unit
            ? `in ${c.unit}`
            : '';
  return [what || 'any claim', range].filter(Boolean).join(' ');
}

/** One line per condition; ['every paper'] for an empty filter. */
export function describeFilter(f: SubscriptionFilter, topicNames?: Readonly<Record<string, string>>): string[] {
  const out: string[] = [];
  if (f.topics) {
    // by their names, as the subscription's name and every digest's sections say them (the slug without one)
    const joined = f.topics.slugs.map((s) => topicNames?.[s] ?? s).join(f.topics.match === 'all' ? ' and ' : ' or ');
    out.push(`topics: ${joined}${f.topics.minScore !== undefined ? ` (score ≥ ${f.topics.minScore})` : ''}`);
  }
  if (f.keywords?.length) out.push(`keywords: ${f.keywords.join(', ')}`);
  if (f.authors?.length) out.push(`authors: ${f.authors.join(', ')}`);
  if (f.sources?.length) out.push(`sources: ${f.sources.join(', ')}`);
  if (f.hasCode !== undefined) out.push(f.hasCode ? 'with code' : 'without code');
  if (f.claims?.length) out.push(`claims: ${f.claims.map(claimConditionText).join('; or ')}`);
  if (f.examples) {
    const n = f.examples.papers.length;
    out.push(
      `similar to your ${n === 1 ? 'example paper' : `${n} example papers`} (≥ ${f.examples.minSimilarity})`,
    );
  }
  return out.length ? out : ['every paper'];
}
