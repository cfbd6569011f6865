import 'reflect-metadata';
import { confirmEmailSubscription } from '@paperwire/actions';
import { createApiKey } from '@paperwire/db';
import { targetHash } from '@paperwire/notifications';
import { seedTopic } from '@paperwire/testing';
import { useTestApi } from '../testing/use-test-api';

jest.setTimeout(60_000);

// An address asked for twice gets one digest, not two alike: the home page's form answers the same whoever asks (no
// telling a stranger who subscribed) and its confirmation replaces the address's earlier sign-up; a key or the
// operator adding the same email subscription again is told which one already sends it. A schedule the mode never
// reads (instant with a schedule, daily with a weekday) is refused, naming the field.

describe('subscribing twice, and schedules that mean nothing', () => {
  let key = '';
  const api = useTestApi(
    't_subscribe_twice',
    async ({ ds }) => {
      for (const [slug, name] of [
        ['efficiency', 'Efficiency'],
        ['vision-language', 'Vision and language'],
        ['benchmarks', 'Benchmarks'],
      ])
        await seedTopic(ds, slug, name);
      key = (await createApiKey(ds, { name: 'k', scopes: ['subscriptions'] })).key;
    },
    { RATE_LIMIT_PER_MINUTE: '100000' },
  );
  const http = api.http;
  const EMAIL = 'reader+tag@example.com';
  const signups = async () =>
    (await api.db.ds.query(`SELECT id, name, status, status_reason, filters FROM subscriptions WHERE owner_key_id IS NULL ORDER BY created_at`)) as {
      id: string;
      name: string;
      status: string;
      status_reason: string | null;
      filters: { topics?: { slugs: string[] } };
    }[];

  /** Posts the home page's form as a browser does (cookie and CSRF token from the page). */
  async function subscribe(topics: string[]): Promise<string> {
    const page = await http().get('/?tab=trending').expect(200);
    const cookie = String(page.headers['set-cookie']).split(';')[0];
    const token = /name="csrf" value="([^"]+)"/.exec(page.text)![1];
    const form = [`email=${encodeURIComponent(EMAIL)}`, ...topics.map((t) => `topics=${t}`), `csrf=${encodeURIComponent(token)}`].join('&');
    const answer = (await http().post('/subscribe').set('Cookie', cookie).type('form').send(form).expect(200)).text;
    // the page as a reader sees it (each answer has its own CSP nonce)
    return answer.replace(/nonce="[^"]+"/g, 'nonce');
  }
  const confirm = async (id: string) => expect(await confirmEmailSubscription(api.db.ds, id, targetHash(EMAIL))).toMatchObject({ status: 'active' });

  it('the home form asked again (same topics, then others): one digest, the latest confirmed; the same answer each time', async () => {
    const first = await subscribe(['efficiency', 'vision-language']);
    const [a] = await signups();
    await confirm(a.id);

    const again = await subscribe(['efficiency', 'vision-language']);
    // the same answer as the first time: nothing tells a stranger that the address already subscribed
    expect(again).toBe(first);
    const afterAgain = await signups();
    expect(afterAgain.map((s) => s.status)).toEqual(['active', 'pending_confirmation']);
    await confirm(afterAgain[1].id);
    const twice = await signups();
    // confirmed: the earlier sign-up gives way, so each digest run sends one mail, not two alike
    expect(twice.filter((s) => s.status === 'active').map((s) => s.id)).toEqual([afterAgain[1].id]);
    expect(twice[0]).toMatchObject({ status: 'disabled', status_reason: 'replaced by a newer sign-up of this address' });

    // other topics: confirming them changes the address's digest to them
    expect(await subscribe(['benchmarks'])).toBe(first);
    const third = (await signups()).find((s) => s.status === 'pending_confirmation')!;
    expect(third).toMatchObject({ name: 'Trending papers: Benchmarks', filters: { topics: { slugs: ['benchmarks'] } } });
    await confirm(third.id);
    const active = (await signups()).filter((s) => s.status === 'active');
    expect(active.map((s) => s.name)).toEqual(['Trending papers: Benchmarks']);
  });

  it('a key adding the same email subscription again is told which one sends it (409), nothing added', async () => {
    const body = { channel: 'email', target: 'team@example.com', filters: { topics: { slugs: ['efficiency'] } }, mode: 'daily', schedule: { hour: 7 } };
    const made = await http().post('/v1/subscriptions').set('X-API-Key', key).send(body).expect(201);
    const twin = await http().post('/v1/subscriptions').set('X-API-Key', key).send({ ...body, target: 'Team@Example.com' }).expect(409);
    expect(twin.body.detail).toContain(made.body.id);
    // other filters to the same address are another subscription
    await http()
      .post('/v1/subscriptions')
      .set('X-API-Key', key)
      .send({ ...body, filters: { topics: { slugs: ['benchmarks'] } } })
      .expect(201);
  });

  it('refuses a schedule for an instant subscription and a weekday for a daily one, naming the field', async () => {
    const hook = { channel: 'webhook', target: 'https://93.184.215.14/hook' };
    const instant = await http()
      .post('/v1/subscriptions')
      .set('X-API-Key', key)
      .send({ ...hook, mode: 'instant', schedule: { hour: 5, limit: 2 } })
      .expect(400);
    expect(instant.body.errors).toEqual([expect.objectContaining({ field: '/schedule', detail: expect.stringMatching(/^schedule is only for daily and weekly digests/) })]);
    const daily = await http()
      .post('/v1/subscriptions')
      .set('X-API-Key', key)
      .send({ ...hook, mode: 'daily', schedule: { hour: 5, weekday: 3 } })
      .expect(400);
    expect(daily.body.errors).toEqual([expect.objectContaining({ field: '/schedule/weekday', detail: expect.stringMatching(/^schedule.weekday is only for weekly digests/) })]);

    // a change of mode alone drops what the new mode does not read; a schedule sent with it is checked as sent
    const weekly = await http()
      .post('/v1/subscriptions')
      .set('X-API-Key', key)
      .send({ ...hook, mode: 'weekly', schedule: { hour: 5, weekday: 3 } })
      .expect(201);
    const toDaily = await http().patch(`/v1/subscriptions/${weekly.body.id}`).set('X-API-Key', key).send({ mode: 'daily' }).expect(200);
    expect(toDaily.body.schedule).toEqual({ hour: 5, minute: 0, timeZone: 'UTC' });
    const toInstant = await http().patch(`/v1/subscriptions/${weekly.body.id}`).set('X-API-Key', key).send({ mode: 'instant' }).expect(200);
    expect(toInstant.body.schedule).toBeNull();
    await http()
      .patch(`/v1/subscriptions/${weekly.body.id}`)
      .set('X-API-Key', key)
      .send({ schedule: { hour: 6 } })
      .expect(400);
  });
});
