import type { DataSource } from 'typeorm';
import { pruneTopicDays } from '@paperwire/db';

/** A topic-day fact as the specs compare them (day as text). */
export interface TopicDayFact {
  topic_slug: string;
  first: boolean;
  day: string;
}

/**
 * The facts true now, recomputed from scratch: (topic, false, day) for each topic and day of the join of paper_days and
 * paper_topics, (topic, true, day) for each topic of a paper and that paper's first day.
 */
export function trueTopicDays(ds: DataSource): Promise<TopicDayFact[]> {
  return ds.query(
    `SELECT DISTINCT pt.topic_slug, false AS first, d.day::text AS day FROM paper_days d JOIN paper_topics pt ON pt.paper_id = d.paper_id
     UNION
     SELECT DISTINCT pt.topic_slug, true, f.day::text
       FROM (SELECT paper_id, min(day) AS day FROM paper_days GROUP BY 1) f JOIN paper_topics pt ON pt.paper_id = f.paper_id
     ORDER BY 1, 2, 3`,
  );
}

/** The facts readers take as true: those of topic_days not suspected, or suspected and verified (topic_days_near). */
function readTopicDays(ds: DataSource): Promise<TopicDayFact[]> {
  return ds.query(
    `SELECT DISTINCT x.topic_slug, x.first, x.day::text AS day FROM topic_days x
      WHERE NOT EXISTS (SELECT 1 FROM topic_days_stale s WHERE (s.topic_slug, s.first, s.day) = (x.topic_slug, x.first, x.day))
         OR topic_days_holds(x.topic_slug, x.first, x.day)
      ORDER BY 1, 2, 3`,
  );
}

/** The rows of topic_days (copies included) and of topic_days_stale. */
export async function storedTopicDays(ds: DataSource): Promise<{ facts: TopicDayFact[]; suspects: number }> {
  const facts: TopicDayFact[] = await ds.query(
    `SELECT topic_slug, first, day::text AS day FROM topic_days ORDER BY 1, 2, 3`,
  );
  const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM topic_days_stale`);
  return { facts, suspects: n };
}

/** Runs the sweeper's pruneTopicDays until no suspect is left (a suspect waits out the transactions running when stamped). */
export async function pruneTopicDaysFully(ds: DataSource): Promise<void> {
  for (let i = 0; i < 100; i++) {
    await pruneTopicDays(ds, 5_000);
    if ((await storedTopicDays(ds)).suspects === 0) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('topic_days_stale not emptied after 100 prune passes');
}

/**
 * The true facts, the facts readers take as true now, and then (pruned until no suspect is left) topic_days' rows: a
 * spec expects `read` and `pruned.facts` to equal `truth`, and `pruned.suspects` 0.
 */
export async function topicDaysNowAndPruned(
  ds: DataSource,
): Promise<{
  truth: TopicDayFact[];
  read: TopicDayFact[];
  pruned: { facts: TopicDayFact[]; suspects: number };
}> {
  const truth = await trueTopicDays(ds);
  const read = await readTopicDays(ds);
  await pruneTopicDaysFully(ds);
  return { truth, read, pruned: await storedTopicDays(ds) };
}
