import { z } from 'zod';
import type { SubscriptionPage } from '@paperwire/actions';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { limitParam } from '../papers/paper-query';

/** `limit` (1–100, default 20) and `cursor` (a nextCursor), as every paged list of the api takes them. */
export const subscriptionPageParams = {
  limit: limitParam,
  cursor: z.string().min(1).max(1000).optional(),
};

/** The keyset a cursor of list `sort` names: (created_at, id) of the previous page's last subscription. A bad cursor is a 400. */
export function pageAfter(sort: string, cursor: string | undefined): [string, string] | undefined {
  return cursor ? (decodeCursor(cursor, sort, ['timestamp', 'uuid']).k as [string, string]) : undefined;
}

/** A page as the api returns it: the items and the opaque cursor of the next page (null on the last). */
export function pageBody<T>(
  sort: string,
  page: SubscriptionPage<T>,
): { items: T[]; nextCursor: string | null } {
  return { items: page.items, nextCursor: page.nextKey ? encodeCursor({ s: sort, k: page.nextKey }) : null };
}
