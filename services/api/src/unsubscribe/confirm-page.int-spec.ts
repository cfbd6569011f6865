import 'reflect-metadata';
import { signToken, targetHash } from '@paperwire/notifications';
import { CONFIG } from '@paperwire/service-kit';
import type { ApiConfig } from '../api-config';
import { useTestApi } from '../testing/use-test-api';

jest.setTimeout(60_000);

// Review 27: the confirmation mail said "delivered as a daily digest at 08:00 UTC"; the page its button opened said
// only "digests will arrive as scheduled".
describe('the page that confirms an email subscription', () => {
  const api = useTestApi('t_confirm_page', async () => undefined);

  const pending = async (target: string, mode: string, schedule: Record<string, unknown> | null) =>
    (
      (await api.db.ds.query(
        `INSERT INTO subscriptions (name, channel, target, filters, mode, schedule, status)
         VALUES ('Trending papers', 'email', $1, '{}', $2, $3, 'pending_confirmation') RETURNING id`,
        [target, mode, schedule === null ? null : JSON.stringify(schedule)],
      )) as { id: string }[]
    )[0].id;

  /** Opens the mailed link in a browser and presses its button: the page that answers. */
  const confirm = async (id: string, target: string) => {
    const config = api.app.get<ApiConfig>(CONFIG);
    const url = `/v1/subscriptions/confirm?t=${encodeURIComponent(signToken({ sub: id, purpose: 'confirm', tgt: targetHash(target) }, config.TOKEN_SECRET))}`;
    const page = await api.http().get(url).set('Accept', 'text/html').expect(200);
    const cookie = String(page.headers['set-cookie']).split(';')[0];
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.text)![1];
    return (await api.http().post(url).set('Accept', 'text/html').set('Cookie', cookie).type('form').send({ csrf }).expect(200)).text;
  };

  it('says when the digest goes out, as the confirmation mail said it', async () => {
    const id = await pending('daily@example.org', 'daily', { hour: 8, timeZone: 'UTC', limit: 10, sort: 'trending' });
    const html = await confirm(id, 'daily@example.org');
    expect(html).toContain('<h1>Subscription confirmed</h1>');
    expect(html).toContain('“Trending papers” is active: a daily digest at 08:00 UTC, starting with the next one.');
    expect(html).not.toContain('as scheduled');
    const weekly = await pending('weekly@example.org', 'weekly', { hour: 7, minute: 30, weekday: 1, timeZone: 'Europe/Paris' });
    expect(await confirm(weekly, 'weekly@example.org')).toContain('is active: a weekly digest on Mondays at 07:30 Europe/Paris time, starting with the next one.');
    const instant = await pending('instant@example.org', 'instant', null);
    expect(await confirm(instant, 'instant@example.org')).toContain('is active: an email per new paper, starting with the next one.');
  });
});
