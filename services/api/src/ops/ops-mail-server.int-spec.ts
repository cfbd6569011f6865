import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import { recordMailServerFailure, recordMailServerSuccess } from '@paperwire/db';
import type { MailServerStatus } from '../stats/stats.service';
import { useTestApi } from '../testing/use-test-api';

jest.setTimeout(60_000);

// An outage of the operator's mail server counts against no subscription (the notifier retries the mails),
// so it shows on /ops as what it is: a mail-server problem, its error class, since when, and the email
// deliveries waiting for it. Classes only: no host, port or reply text, with or without an admin key.

describe('the mail server on /ops and /v1/stats/pipeline', () => {
  let ds: DataSource;
  const api = useTestApi('t_ops_mail_server', async (ctx) => {
    ds = ctx.ds;
    const [{ id: mail }] = await ds.query(
      `INSERT INTO subscriptions (name, channel, target) VALUES ('mail', 'email', 'reader@example.com') RETURNING id`,
    );
    const [{ id: hook }] = await ds.query(
      `INSERT INTO subscriptions (name, channel, target) VALUES ('hook', 'webhook', 'https://hooks.example.com/x') RETURNING id`,
    );
    // two email deliveries tried and waiting, one not tried yet, one delivered, one webhook waiting
    await ds.query(
      `INSERT INTO deliveries (subscription_id, digest_key, status, attempts)
       VALUES ($1, 'a', 'pending', 2), ($1, 'b', 'pending', 1), ($1, 'c', 'pending', 0), ($1, 'd', 'delivered', 1),
              ($2, 'e', 'pending', 3)`,
      [mail, hook],
    );
  });
  const http = api.http;
  const pipeline = async () => (await http().get('/v1/stats/pipeline').expect(200)).body.mailServer as MailServerStatus;

  it('is unknown before any send is recorded, and still counts the email deliveries waiting', async () => {
    expect(await pipeline()).toEqual({
      status: 'unknown',
      lastErrorClass: null,
      failingSince: null,
      lastFailureAt: null,
      lastSuccessAt: null,
      waitingDeliveries: 2,
    });
    const html = (await http().get('/ops').expect(200)).text;
    const body = html.slice(0, html.indexOf('<script nonce='));
    expect(body).toContain('data-testid="mail-server-status">no send recorded yet<');
    expect(body).toContain('data-testid="mail-server-waiting">2<');
  });

  it('a failing mail server shows its error class, since when, and the email deliveries waiting', async () => {
    await recordMailServerFailure(ds, 'connection refused');
    const first = await pipeline();
    await recordMailServerFailure(ds, 'SMTP 421');
    const m = await pipeline();
    expect(m).toMatchObject({ status: 'failing', lastErrorClass: 'SMTP 421', waitingDeliveries: 2 });
    expect(m.failingSince).toBe(first.failingSince);
    expect(Date.parse(m.lastFailureAt!)).toBeGreaterThanOrEqual(Date.parse(m.failingSince!));

    const html = (await http().get('/ops').expect(200)).text;
    const body = html.slice(0, html.indexOf('<script nonce='));
    expect(body).toContain('data-testid="mail-server-status">failing (SMTP 421)<');
    expect(body).toContain(`data-testid="mail-server-since" datetime="${m.failingSince}"`);
    expect(body).toContain('data-testid="mail-server-waiting">2<');
  });

  it('is working again once a mail goes through; the deliveries still waiting are counted', async () => {
    await recordMailServerSuccess(ds);
    const m = await pipeline();
    expect(m).toMatchObject({ status: 'ok', failingSince: null, lastErrorClass: 'SMTP 421', waitingDeliveries: 2 });
    expect(m.lastSuccessAt).not.toBeNull();
    const html = (await http().get('/ops').expect(200)).text;
    const body = html.slice(0, html.indexOf('<script nonce='));
    expect(body).toContain('data-testid="mail-server-status">working<');
    expect(body).not.toContain('data-testid="mail-server-since"');
  });

  it('lastSuccessAt is the last success to within a minute, not the first of a working spell', async () => {
    // a working server whose recorded success is 10 minutes old: the next success moves it to now
    await ds.query(`UPDATE mail_server_state SET last_success_at = now() - interval '10 minutes' WHERE id = 'smtp'`);
    const before = Date.now();
    await recordMailServerSuccess(ds);
    const m = await pipeline();
    expect(m.status).toBe('ok');
    expect(Date.parse(m.lastSuccessAt!)).toBeGreaterThan(before - 5_000);
    // within the minute a success writes nothing (no write per mail): the value stays as recorded
    await ds.query(`UPDATE mail_server_state SET last_success_at = now() - interval '30 seconds' WHERE id = 'smtp'`);
    const kept = (await pipeline()).lastSuccessAt;
    await recordMailServerSuccess(ds);
    expect((await pipeline()).lastSuccessAt).toBe(kept);
  });

  // A subscription paused (its key revoked, or its endpoint failing) leaves its deliveries waiting: nothing tries them
  // until it is resumed. They were counted as waiting for a retry; they are held by the pause, and said so.
  it('counts the deliveries of a paused subscription as held, not as waiting for the mail server', async () => {
    await ds.query(`UPDATE subscriptions SET status = 'paused', status_reason = 'its API key was revoked' WHERE name = 'mail'`);
    const stats = (await http().get('/v1/stats/pipeline').expect(200)).body as { mailServer: MailServerStatus; subscriptions: Record<string, number> };
    expect(stats.mailServer.waitingDeliveries).toBe(0);
    // the three waiting of the paused one; the webhook's, of an active subscription, is not held
    expect(stats.subscriptions).toMatchObject({ paused: 1, heldDeliveries: 3 });
    const html = (await http().get('/ops').expect(200)).text;
    const body = html.slice(0, html.indexOf('<script nonce='));
    expect(body).toContain('data-testid="held-deliveries">3 deliveries held by paused subscriptions (not retried; sent when resumed)<');
    expect(body).toContain('data-testid="mail-server-waiting">0<');
  });
});
