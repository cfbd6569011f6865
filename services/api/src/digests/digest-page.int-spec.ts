import 'reflect-metadata';
import { keyedDelivery } from '@paperwire/db';
import { signToken } from '@paperwire/notifications';
import { CONFIG } from '@paperwire/service-kit';
import type { ApiConfig } from '../api-config';
import { useTestApi } from '../testing/use-test-api';

jest.setTimeout(60_000);

// A digest's "the papers it left out" page, asked for a page it does not have: said with the real range (its last
// page), not "a whole number from 1" for a whole number from 1.

describe('the digest page refuses a page it does not have, naming its last', () => {
  let delivery = '';
  const api = useTestApi('t_digest_page_range', async ({ ds }) => {
    const [{ id: sub }] = await ds.query(
      `INSERT INTO subscriptions (name, channel, target, filters, mode, schedule, status)
       VALUES ('daily rag', 'email', 'owner@example.com', '{}', 'daily', '{"hour":8}', 'active') RETURNING id`,
    );
    const ids = Array.from({ length: 60 }, (_, i) => `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`);
    const period = { start: '2026-12-06T08:00:00.000Z', end: '2026-12-07T08:00:00.000Z' };
    delivery = (await keyedDelivery(ds, sub, '2026-12-07', { period, papers: [], total: 110, leftOutKept: true }, 'pending', ids)).id;
  });
  const url = (page: string) => {
    const token = signToken({ sub: delivery, purpose: 'digest' }, api.app.get<ApiConfig>(CONFIG).TOKEN_SECRET);
    return `/digests/${delivery}?t=${encodeURIComponent(token)}&page=${page}`;
  };
  const detail = async (page: string) => {
    const res = await api.http().get(url(page)).set('Accept', 'application/json');
    return [res.status, res.status === 200 ? res.body.page : res.body.detail];
  };

  it('serves pages 1 and 2 of 60 left-out papers; refuses 3, 999999999999, 0 and abc in words', async () => {
    expect(await detail('1')).toEqual([200, 1]);
    expect(await detail('2')).toEqual([200, 2]);
    expect(await detail('3')).toEqual([400, "page must be at most 2 (got 3): this digest's list has 2 pages."]);
    expect(await detail('999999999999')).toEqual([400, "page must be at most 2 (got 999999999999): this digest's list has 2 pages."]);
    expect(await detail('0')).toEqual([400, 'page must be at least 1 (got 0).']);
    expect(await detail('abc')).toEqual([400, 'page must be a whole number (got abc).']);
    // the browser's page says the same
    const html = await api.http().get(url('999999999999')).set('Accept', 'text/html');
    expect(html.status).toBe(400);
    expect(html.text).toContain('page must be at most 2 (got 999999999999)');
  });
});
