import type { DataSource, EntityManager } from 'typeorm';

/** What every query function takes: the data source, or a transaction's entity manager. */
export type Db = DataSource | EntityManager;

/**
 * TypeORM's postgres `query()` returns `[rows, rowCount]` for UPDATE and DELETE but plain rows for
 * SELECT and INSERT; this gives the rows either way.
 */
export function returnedRows<T>(res: unknown): T[] {
  if (Array.isArray(res) && res.length === 2 && Array.isArray(res[0]) && typeof res[1] === 'number') return res[0] as T[];
  return res as T[];
}

// The uuid test lives with the paper-id parser (libs/contracts paper-id.ts); every lib and service may use it.
export { UUID_RE, isUuid } from '@paperwire/contracts';

/** Collects positional parameters so conditions can be composed without ever splicing user input. */
export class SqlParams {
  readonly values: unknown[] = [];

  /** Adds a value and returns its placeholder ($n), optionally with a cast. */
  add(value: unknown, cast?: string): string {
    this.values.push(value);
    return cast ? `$${this.values.length}::${cast}` : `$${this.values.length}`;
  }
}

/** Rows of a per-page lookup (`paper_id = ANY(...)`) grouped by paper, in query order. */
export function groupByPaper<T extends { paper_id: string }>(rows: readonly T[]): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const list = m.get(r.paper_id);
    if (list) list.push(r);
    else m.set(r.paper_id, [r]);
  }
  return m;
}
