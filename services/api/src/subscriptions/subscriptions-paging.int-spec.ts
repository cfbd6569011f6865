import 'reflect-metadata';
import { createApiKey } from '@paperwire/db';
import { useTestApi } from '../testing/use-test-api';

jest.setTimeout(120_000);

// GET /v1/subscriptions (and the admin list, which `paperwire subscriptions list` reads) page as the other lists
// do: `limit` 1-100 (default 20), an opaque `cursor` from `nextCursor`, keyset on (created_at, id). Rows made
// by one statement share created_at to the microsecond, so only the id tells them apart.

const OWNED = 45;
const OTHER = 3;

describe('subscription lists are paged', () => {
  const keys: Record<'owner' | 'other' | 'admin', { id: string; key: string }> = {} as never;
  const api = useTestApi(
    't_subscription_paging',
    async ({ ds }) => {
      for (const [name, scopes] of [
        ['owner', ['subscriptions']],
        ['other', ['subscriptions']],
        ['admin', ['admin']],
      ] as const)
        keys[name] = await createApiKey(ds, { name, scopes: [...scopes] });
      const seed = (owner: string, from: number, n: number, createdAt: string) =>
        ds.query(
          `INSERT INTO subscriptions (owner_key_id, name, channel, target, secrets, created_at)
           SELECT $1, 'sub ' || i, 'webhook', 'https://93.184.215.14/hook/' || i, '["whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0MTIzNDU2"]'::jsonb, $4::timestamptz
             FROM generate_series($2::int, $2::int + $3::int - 1) i`,
          [owner, from, n, createdAt],
        );
      // Three creation times microseconds apart (a cursor that kept only milliseconds would repeat or skip
      // rows), 15 subscriptions at each; the other key's in between.
      await seed(keys.owner.id, 1, 15, '2026-12-01 10:00:00.000001+00');
      await seed(keys.other.id, 100, OTHER, '2026-12-01 10:00:00.000002+00');
      await seed(keys.owner.id, 16, 15, '2026-12-01 10:00:00.000002+00');
      await seed(keys.owner.id, 31, 15, '2026-12-01 10:00:00.000003+00');
    },
    { RATE_LIMIT_PER_MINUTE: '100000' },
  );
  const http = api.http;
  const list = (key: string, query: Record<string, string | number> = {}, path = '/v1/subscriptions') =>
    http().get(path).query(query).set('X-API-Key', key);

  /** Every page of a list, following nextCursor: the ids in the order served, and the page sizes. */
  async function follow(
    key: string,
    limit: number | undefined,
    path = '/v1/subscriptions',
    extra: Record<string, string> = {},
  ) {
    const ids: string[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    do {
      const query: Record<string, string | number> = { ...extra };
      if (limit) query.limit = limit;
      if (cursor) query.cursor = cursor;
      const res: { body: { items: { id: string }[]; nextCursor: string | null } } = await list(
        key,
        query,
        path,
      ).expect(200);
      ids.push(...res.body.items.map((s) => s.id));
      sizes.push(res.body.items.length);
      cursor = res.body.nextCursor;
    } while (cursor && sizes.length < 50);
    return { ids, sizes };
  }

  const ownedInOrder = async (owner?: string): Promise<string[]> =>
    (
      await api.db.ds.query(
        `SELECT id FROM subscriptions WHERE ($1::uuid IS NULL OR owner_key_id = $1) ORDER BY created_at, id`,
        [owner ?? null],
      )
    ).map((r: { id: string }) => r.id);

  it('default: 20 a page with a nextCursor; the pages hold every subscription of the key once, in (created_at, id) order', async () => {
    const first = await list(keys.owner.key).expect(200);
    expect(Object.keys(first.body).sort()).toEqual(['items', 'nextCursor']);
    expect(first.body.items).toHaveLength(20);
    expect(typeof first.body.nextCursor).toBe('string');
    // the items are the subscriptions as before: no secret, no page key
    expect(Object.keys(first.body.items[0])).not.toContain('page_at');
    expect(JSON.stringify(first.body)).not.toContain('whsec_');

    const all = await follow(keys.owner.key, undefined);
    expect(all.sizes).toEqual([20, 20, 5]);
    expect(all.ids).toEqual(await ownedInOrder(keys.owner.id));
    expect(new Set(all.ids).size).toBe(OWNED);
  });

  it('any limit from 1 to 100 walks the same order; 100 holds the 45 in one page with nextCursor null', async () => {
    const expected = await ownedInOrder(keys.owner.id);
    for (const limit of [1, 7, 15, 44]) {
      const got = await follow(keys.owner.key, limit);
      expect([limit, got.ids]).toEqual([limit, expected]);
      expect(
        got.sizes.every(
          (n, i) => n === (i < got.sizes.length - 1 ? limit : OWNED - limit * (got.sizes.length - 1)),
        ),
      ).toBe(true);
    }
    const whole = await list(keys.owner.key, { limit: 100 }).expect(200);
    expect(whole.body.items.map((s: { id: string }) => s.id)).toEqual(expected);
    expect(whole.body.nextCursor).toBeNull();
    // exactly a page's worth: no empty page after it
    const exact = await list(keys.owner.key, { limit: OWNED }).expect(200);
    expect([exact.body.items.length, exact.body.nextCursor]).toEqual([OWNED, null]);
  });

  it("another key sees only its own; a cursor does not reach another key's subscriptions", async () => {
    const other = await follow(keys.other.key, 2);
    expect(other.ids).toEqual(await ownedInOrder(keys.other.id));
    expect(other.ids).toHaveLength(OTHER);
    // The owner's cursor used by the other key pages the other key's list from that position, nothing more.
    const ownerCursor = (await list(keys.owner.key, { limit: 15 }).expect(200)).body.nextCursor;
    const viaOther = await list(keys.other.key, { cursor: ownerCursor }).expect(200);
    for (const s of viaOther.body.items as { id: string }[]) expect(other.ids).toContain(s.id);
  });

  it('bad limit or cursor: a 400 problem naming the parameter, never a 500', async () => {
    const validCursor = (await list(keys.owner.key, { limit: 5 }).expect(200)).body.nextCursor as string;
    const adminCursor = (await list(keys.admin.key, { limit: 5 }, '/v1/admin/subscriptions').expect(200)).body
      .nextCursor as string;
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const cases: [Record<string, string | number>, string][] = [
      [{ limit: 0 }, 'limit'],
      [{ limit: 101 }, 'limit'],
      [{ limit: 'ten' }, 'limit'],
      [{ limit: -1 }, 'limit'],
      [{ cursor: 'not-a-cursor' }, 'cursor'],
      [{ cursor: adminCursor }, 'cursor'],
      [
        {
          cursor: b64({
            s: 'subscriptions',
            k: ['2026-13-45 99:00:00+00', '00000000-0000-4000-8000-000000000000'],
          }),
        },
        'cursor',
      ],
      // a UTC offset Postgres cannot read (the cast was a 500)
      ...['2026-12-01 10:00:00+16', '2026-12-01 10:00:00-99', '2026-12-01T10:00:00+0175'].map(
        (at): [Record<string, string>, string] => [
          { cursor: b64({ s: 'subscriptions', k: [at, '00000000-0000-4000-8000-000000000000'] }) },
          'cursor',
        ],
      ),
      [{ cursor: b64({ s: 'subscriptions', k: ['2026-12-01 10:00:00+00', 'not-a-uuid'] }) }, 'cursor'],
      [{ cursor: b64({ s: 'subscriptions', k: ['2026-12-01 10:00:00+00'] }) }, 'cursor'],
      [
        {
          cursor: b64({ s: 'claims', k: ['2026-12-01 10:00:00+00', '00000000-0000-4000-8000-000000000000'] }),
        },
        'cursor',
      ],
      [{ cursor: 'x'.repeat(1001) }, 'cursor'],
    ];
    for (const [query, field] of cases) {
      const res = await list(keys.owner.key, query);
      expect([query, res.status]).toEqual([query, 400]);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(JSON.stringify(res.body)).toContain(field);
    }
    // The admin list refuses the tenant list's cursor the same way.
    await list(keys.admin.key, { cursor: validCursor }, '/v1/admin/subscriptions').expect(400);
    const offside = b64({ s: 'admin-subscriptions', k: ['2026-12-01 10:00:00+16', '00000000-0000-4000-8000-000000000000'] });
    await list(keys.admin.key, { cursor: offside }, '/v1/admin/subscriptions').expect(400);
    // the largest offsets Postgres reads still page (nothing after the far future)
    const edge = b64({ s: 'subscriptions', k: ['9999-12-31 23:59:59-15:59', '00000000-0000-4000-8000-000000000000'] });
    expect((await list(keys.owner.key, { cursor: edge }).expect(200)).body).toEqual({ items: [], nextCursor: null });
    await list(keys.admin.key, { limit: 101 }, '/v1/admin/subscriptions').expect(400);
  });

  // Review 27: as the OpenAPI now says, GET /v1/subscriptions is the calling key's own for an admin key too (the admin
  // list is /v1/admin/subscriptions), and an admin key reaches anyone's by id.
  it("an admin key lists its own at /v1/subscriptions, every one at /v1/admin/subscriptions, and reaches anyone's by id", async () => {
    expect((await follow(keys.admin.key, 100)).ids).toEqual([]);
    expect((await follow(keys.admin.key, 100, '/v1/admin/subscriptions')).ids).toEqual(await ownedInOrder());
    const [others] = await ownedInOrder(keys.other.id);
    await http().get(`/v1/subscriptions/${others}`).set('X-API-Key', keys.admin.key).expect(200);
    await http().get(`/v1/subscriptions/${others}`).set('X-API-Key', keys.owner.key).expect(404);
  });

  it('the admin list pages every subscription the same way, and with a filter', async () => {
    const all = await follow(keys.admin.key, 8, '/v1/admin/subscriptions');
    expect(all.ids).toEqual(await ownedInOrder());
    expect(all.ids).toHaveLength(OWNED + OTHER);
    const byOwner = await follow(keys.admin.key, 10, '/v1/admin/subscriptions', {
      ownerKeyId: keys.owner.id,
    });
    expect(byOwner.ids).toEqual(await ownedInOrder(keys.owner.id));
  });

  it('`paperwire subscriptions list` follows the pages: every subscription, in order; --limit caps the total', async () => {
    const cli = (args: string[]) => api.cli(['subscriptions', 'list', ...args]);
    const lines = async (args: string[]) => {
      const r = await cli(args);
      expect([r.code, r.stderr]).toEqual([0, '']);
      return r.stdout
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { id: string }).id);
    };
    // More than one page of 100: a page of the operator's own (no owner) on top of the seeded ones.
    await api.db.ds.query(
      `INSERT INTO subscriptions (name, channel, target, created_at)
         SELECT 'op ' || i, 'webhook', 'https://93.184.215.14/op/' || i, '2026-12-02 00:00:00+00' FROM generate_series(1, 100) i`,
    );
    const expected = await ownedInOrder();
    expect(expected).toHaveLength(OWNED + OTHER + 100);
    expect(await lines(['--json'])).toEqual(expected);
    expect(await lines(['--json', '--limit', '130'])).toEqual(expected.slice(0, 130));
    expect(await lines(['--json', '--limit', '3'])).toEqual(expected.slice(0, 3));
    for (const bad of ['0', 'x', '-5', '1.5']) {
      const r = await cli(['--json', '--limit', bad]);
      expect([bad, r.code]).toEqual([bad, 1]);
      expect(r.stderr).toContain('--limit');
    }
  });
});
