/**
 * TypeORM's postgres `query()` returns `[rows, rowCount]` for UPDATE and DELETE but plain rows for
 * SELECT and INSERT; this gives the rows either way.
 */
export function returnedRows<T>(res: unknown): T[] {
  if (Array.isArray(res) && res.length === 2 && Array.isArray(res[0]) && typeof res[1] === 'number') return res[0] as T[];
  return res as T[];
}

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string): boolean => UUID_RE.test(s);
