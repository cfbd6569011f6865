import type { DataSource } from 'typeorm';
import { ActionError, listTopics as listTopicsAction, removeTopic, saveTopic, type TopicInput, type TopicView } from '@paperwire/actions';

export type { TopicInput };

/** Adds or edits a user topic (the rules of saveTopic); the classifier picks the change up within seconds. */
export async function upsertTopic(ds: DataSource, t: TopicInput): Promise<void> {
  await saveTopic(ds, t);
}

/** The topics GET /v1/topics lists, as it lists them. */
export async function listTopics(ds: DataSource): Promise<TopicView[]> {
  return (await listTopicsAction(ds)).items;
}

/** Disables a topic (kept for history; its assignments go on the next reclassify); false when there is none. */
export async function disableTopic(ds: DataSource, slug: string): Promise<boolean> {
  try {
    await removeTopic(ds, slug);
    return true;
  } catch (e) {
    if (e instanceof ActionError && e.code === 'not-found') return false;
    throw e;
  }
}

/** The columns of the `topics list` table on a terminal. */
export const TOPIC_TABLE_COLUMNS = ['slug', 'name', 'origin', 'paperCount', 'primaryCount', 'last7', 'last30'] as const;

/** Topics as the `topics list` table shows them: the trend's counts as columns of their own. */
export function topicTableRows(topics: readonly TopicView[]): (Omit<TopicView, 'trend'> & { last7: number; last30: number })[] {
  return topics.map(({ trend, ...t }) => ({ ...t, last7: trend.last7, last30: trend.last30 }));
}
