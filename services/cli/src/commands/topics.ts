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
