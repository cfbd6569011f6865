import { allTopicSlugs, metricInClaims, sourceFilterTargets, type Db } from '@paperwire/db';
import { METRIC_TABLE, canonicalMetric, metricAliases } from '@paperwire/metrics';
import { ActionError } from './errors';
import { closestNames, orList } from './hints';

export const TOPICS_LISTED_AT = '/v1/topics';

export interface FilterValues {
  topic?: readonly string[];
  claimMetric?: string;
  /** any of these */
  source?: readonly string[];
}

const didYouMean = (names: readonly string[]): string => (names.length > 0 ? ` (did you mean ${orList(names)}?)` : '');

/**
 * The topics a mistyped slug most likely meant (at most 3, slugs): by slug and by name, enabled topics first, then
 * disabled ones (a filter accepts those too: their past papers keep them).
 */
export function closestTopics(slug: string, topics: readonly { slug: string; name: string; enabled: boolean }[]): string[] {
  const among = (ts: readonly { slug: string; name: string }[]) => [
    ...closestNames(slug, ts.map((t) => t.slug)),
    ...closestNames(slug.replace(/-/g, ' '), ts.map((t) => t.name)).map((n) => ts.find((t) => t.name === n)!.slug),
  ];
  return [...new Set([...among(topics.filter((t) => t.enabled)), ...among(topics.filter((t) => !t.enabled))])].slice(0, 3);
}

/**
 * A query filter naming a value that can match nothing is refused (400 naming the parameter and the value,
 * with the closest known values): `topic=nope` or `claimMetric=acuracy` would otherwise answer an empty list
 * that reads as "no papers". Only values that cannot match are refused: a topic is known when the taxonomy
 * holds it (disabled topics too: their past papers keep their assignments); a metric when the metric table
 * knows it (a name or one of its forms) or when a stored claim names it (the extractor also writes metrics
 * outside the table, pass@k, prefixed F1s); a source when a source has that name or kind (suggestions name kinds
 * only: source names are the operator's).
 */
export async function checkFilterValues(db: Db, f: FilterValues): Promise<void> {
  const details: { field: string; message: string }[] = [];
  if (f.topic && f.topic.length > 0) {
    const topics = await allTopicSlugs(db);
    const known = new Set(topics.map((t) => t.slug));
    const unknown = [...new Set(f.topic.filter((slug) => !known.has(slug)))];
    if (unknown.length > 0) details.push({ field: 'topic', message: unknownTopicsMessage(unknown, topics) });
  }
  const metric = f.claimMetric?.trim();
  const metricRefused = metric ? await metricProblem(db, metric) : null;
  if (metricRefused) details.push({ field: 'claimMetric', message: metricRefused });
  // one message per parameter: the sources none matches, together
  const sourcesRefused: string[] = [];
  for (const source of new Set((f.source ?? []).map((x) => x.trim()).filter(Boolean))) {
    const refused = await sourceProblem(db, source);
    if (refused) sourcesRefused.push(refused);
  }
  if (sourcesRefused.length > 0) details.push({ field: 'source', message: sourcesRefused.join('; ') });
  if (details.length > 0) throw new ActionError('invalid', details.map((d) => d.message).join('; '), details);
}

/** One message for every unknown slug of a filter: `no such topics "x", "y" (did you mean …?); …`. */
function unknownTopicsMessage(slugs: readonly string[], topics: readonly { slug: string; name: string; enabled: boolean }[]): string {
  if (slugs.length === 1) return unknownTopicMessage(slugs[0], topics);
  return `no such topics ${slugs.map((slug) => `"${slug}"${didYouMean(closestTopics(slug, topics))}`).join(', ')}; the topics are listed at ${TOPICS_LISTED_AT}`;
}

/** `no such topic "x" (did you mean …?)…`: a topic none of `topics` is, with the closest of them. */
export function unknownTopicMessage(slug: string, topics: readonly { slug: string; name: string; enabled: boolean }[]): string {
  return `no such topic "${slug}"${didYouMean(closestTopics(slug, topics))}; the topics are listed at ${TOPICS_LISTED_AT}`;
}

/** Why a metric can match no claim (with the closest metrics), or null when it can. */
export async function metricProblem(db: Db, metric: string): Promise<string | null> {
  if (canonicalMetric(metric) !== null || (await metricInClaims(db, metricAliases(metric)))) return null;
  const forms = METRIC_TABLE.flatMap((e) => [e.name, ...e.forms]);
  const meant = [...new Set(closestNames(metric, forms, 5).map((form) => canonicalMetric(form) ?? form))].slice(0, 3);
  return `no claim names the metric "${metric.slice(0, 100)}"${didYouMean(meant)}; metric names are matched case-insensitively, with their usual aliases (F1-score, top-1 accuracy…)`;
}

/**
 * Why a source value names no source (with the closest kinds), or null when a source has that name or kind in any case
 * (see sourceFilterTargets: a file source's format counts as a kind; the query filter and a subscription alike).
 */
export async function sourceProblem(db: Db, source: string): Promise<string | null> {
  const { known, kinds } = await sourceFilterTargets(db, source);
  if (known) return null;
  return `no source is named or of the kind "${source.slice(0, 100)}"${didYouMean(closestNames(source, kinds))}; source kinds: ${kinds.join(', ')}`;
}
