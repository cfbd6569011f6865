import { disableTopic, topicsWithCounts, upsertUserTopic, type Db } from '@paperwire/db';
import { ActionError } from './errors';

/** A topic slug, wherever one is given (topic filters, feeds, `paperwire topics add`): 1-64 characters. */
export const TOPIC_SLUG_RE = /^[a-z0-9][a-z0-9-]{0,63}$/;
export const TOPIC_SLUG_MESSAGE = 'topic slugs are lower-case letters, digits and dashes (at most 64)';

export interface TopicTrend {
  /** papers in the last 7 days */
  last7: number;
  /** papers in the 7 days before that */
  prev7: number;
  last30: number;
  prev30: number;
  /** relative change last7 vs prev7 (null when prev7 = 0) */
  change7: number | null;
  change30: number | null;
}

export interface TopicView {
  slug: string;
  name: string;
  description: string;
  /** 'default' (shipped taxonomy) or 'user' */
  origin: string;
  paperCount: number;
  primaryCount: number;
  trend: TopicTrend;
}

const change = (now: number, before: number) => (before === 0 ? null : Math.round(((now - before) / before) * 1000) / 1000);

/** The enabled topics with paper counts and 7/30-day trend (by publication date, else first seen). */
export async function listTopics(db: Db): Promise<{ items: TopicView[] }> {
  const rows = await topicsWithCounts(db);
  return {
    items: rows.map((r) => {
      const [last7, prev7, last30, prev30] = [r.last7, r.prev7, r.last30, r.prev30].map(Number);
      return {
        slug: String(r.slug),
        name: String(r.name),
        description: String(r.description),
        origin: String(r.origin),
        paperCount: Number(r.papers),
        primaryCount: Number(r.primary_count),
        trend: { last7, prev7, last30, prev30, change7: change(last7, prev7), change30: change(last30, prev30) },
      };
    }),
  };
}

export interface TopicInput {
  slug: string;
  name: string;
  description: string;
  keywords?: string[];
  examples?: { title: string; abstract: string }[];
}

const invalid = (field: string, message: string) => new ActionError('invalid', message, [{ field, message }]);

/** The rules of a user topic, trimmed; throws ActionError('invalid') naming the field. */
export function validateTopic(t: TopicInput): Required<TopicInput> {
  if (!TOPIC_SLUG_RE.test(t.slug)) throw invalid('slug', `slug "${t.slug.slice(0, 80)}": ${TOPIC_SLUG_MESSAGE}`);
  const name = t.name.trim();
  const description = t.description.trim();
  if (!name || name.length > 200) throw invalid('name', 'a name of 1-200 characters is required');
  if (description.length < 10 || description.length > 5000) throw invalid('description', 'a description of 10-5000 characters is required');
  const keywords = (t.keywords ?? []).map((k) => k.trim());
  if (keywords.some((k) => !k || k.length > 100)) throw invalid('keywords', 'keywords must be 1-100 characters');
  return { slug: t.slug, name, description, keywords, examples: t.examples ?? [] };
}

/** Adds or edits a user topic (enabling it); the classifier picks the change up within seconds. */
export async function saveTopic(db: Db, input: TopicInput): Promise<{ slug: string; saved: true }> {
  const t = validateTopic(input);
  await upsertUserTopic(db, t);
  return { slug: t.slug, saved: true };
}

/** Disables a topic (kept for history; its assignments go on the next reclassify). */
export async function removeTopic(db: Db, slug: string): Promise<{ slug: string; enabled: false }> {
  if (!(await disableTopic(db, slug))) throw new ActionError('not-found', `no topic ${slug}`);
  return { slug, enabled: false };
}
