import { badRequest } from './problem';

/** Opaque keyset cursor: the sort it belongs to and the sort key of the last row returned. */
export interface Cursor {
  s: string;
  k: (string | number)[];
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c), 'utf8').toString('base64url');
}

export function decodeCursor(raw: string, sort: string, arity: number): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw badRequest('cursor is not valid', [{ field: 'cursor', detail: 'not a cursor returned by this API' }]);
  }
  const c = parsed as Partial<Cursor>;
  const ok =
    c !== null &&
    typeof c === 'object' &&
    typeof c.s === 'string' &&
    Array.isArray(c.k) &&
    c.k.length === arity &&
    c.k.every((x) => typeof x === 'string' || (typeof x === 'number' && Number.isFinite(x)));
  if (!ok) throw badRequest('cursor is not valid', [{ field: 'cursor', detail: 'not a cursor returned by this API' }]);
  if (c.s !== sort) throw badRequest('cursor belongs to another sort order', [{ field: 'cursor', detail: `cursor was made for sort=${c.s}` }]);
  return c as Cursor;
}
