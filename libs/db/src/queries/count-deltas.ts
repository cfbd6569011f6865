import { namedQuery } from './bulk';
import type { Db } from './sql';

/** The tables of count deltas the sweeper folds (the triggers' migrations say what each counts). */
export type CountDeltaTable = 'topic_day_counts' | 'first_day_counts' | 'raw_document_counts';

/**
 * The sweeper's upkeep of a table of count deltas (`topic_day_counts`, `first_day_counts` by (topic, day),
 * `raw_document_counts` by status): folds the rows of up to `limit` keys that have deltas not folded yet (found through
 * the table's partial index of the rows not folded: the pass reads the deltas, never the whole table) into one folded
 * row each (none when they sum to 0), in one statement. Only the rows it deleted are summed, so a delta committed
 * meanwhile stays as it is, and two folds at once never count a row twice (the later one's delete skips the rows the
 * earlier one deleted). Returns the keys folded. (Table and column names are this module's callers' constants.)
 */
export async function foldCountDeltas(db: Db, table: CountDeltaTable, keys: readonly string[], value: string, limit: number): Promise<number> {
  const cols = keys.join(', ');
  const [row] = await namedQuery<{ n: number }>(
    db,
    `pw_${table}_fold`,
    `WITH k AS (
       SELECT DISTINCT ${cols} FROM ${table} WHERE NOT folded LIMIT $1
     ), gone AS (
       DELETE FROM ${table} c USING k WHERE ${keys.map((c) => `c.${c} = k.${c}`).join(' AND ')}
       RETURNING ${keys.map((c) => `c.${c}`).join(', ')}, c.${value}
     ), folded AS (
       INSERT INTO ${table} (${cols}, ${value}, folded)
       SELECT ${cols}, sum(${value}), true FROM gone GROUP BY ${cols} HAVING sum(${value}) <> 0
       RETURNING 1
     )
     SELECT count(*)::int AS n FROM k`,
    [limit],
  );
  return row?.n ?? 0;
}
