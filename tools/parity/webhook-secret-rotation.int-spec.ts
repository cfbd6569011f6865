import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import request from 'supertest';
import { loadConfig } from '@paperwire/config';
import { createApiKey } from '@paperwire/db';
import { isValidWebhookSecret, webhookSecretKey } from '@paperwire/notifications';
import { Metrics } from '@paperwire/service-kit';
import { QueueSet, createRedis } from '@paperwire/queue';
import { Sweeper } from '@paperwire/recovery';
import { createLogger } from '@paperwire/telemetry';
import {
  REPO_ROOT,
  TEST_REDIS_URL,
  createTestDb,
  dropQueuePrefix,
  startWebhookReceiver,
  uniqueName,
  type TestDb,
  type WebhookReceiver,
} from '@paperwire/testing';
import { createTestApp } from '../../services/api/src/testing/app';
import { DeliveryService } from '../../services/notifier/src/delivery.service';
import { DigestRepository } from '../../services/notifier/src/digest.repository';
import { DigestService } from '../../services/notifier/src/digest.service';
import { Mailer } from '../../services/notifier/src/mailer';
import { notifierServiceEnvSchema } from '../../services/notifier/src/notifier-config';
import { NotifierRepository } from '../../services/notifier/src/notifier.repository';

jest.setTimeout(120_000);

// WEBHOOKS.md promises rotation without downtime: while a rotation is under way every message is signed
// by the new and the previous secret. Here the api rotates and retires, the notifier delivers to a real
// receiver, and the receiver verifies with the reference library (standardwebhooks) as a subscriber does.
// The CLI (built, run as a child on the same schema) runs the same actions.
describe('webhook secret rotation: api, notifier and CLI', () => {
  let db: TestDb;
  let queues: QueueSet;
  let redis: ReturnType<typeof createRedis>;
  let app: INestApplication;
  let prefix: string;
  let receiver: WebhookReceiver;
  let delivery: DeliveryService;
  const keys: Record<'owner' | 'other' | 'admin' | 'reader', string> = { owner: '', other: '', admin: '', reader: '' };
  let ownerId = '';
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    db = await createTestDb('t_secret_rotation');
    prefix = `{${uniqueName('t-secret-rotation')}}`;
    app = await createTestApp(db, prefix, { WEBHOOK_ALLOW_PRIVATE: 'true' });
    const owner = await createApiKey(db.ds, { name: 'owner', scopes: ['subscriptions'] });
    ownerId = owner.id;
    keys.owner = owner.key;
    keys.other = (await createApiKey(db.ds, { name: 'other', scopes: ['subscriptions'] })).key;
    keys.admin = (await createApiKey(db.ds, { name: 'admin', scopes: ['admin'] })).key;
    keys.reader = (await createApiKey(db.ds, { name: 'reader', scopes: ['read'] })).key;
    // The notifier's delivery service on the same schema, with queues of its own under the same prefix.
    redis = createRedis(TEST_REDIS_URL, { connectionName: 't-secret-rotation' });
    queues = new QueueSet(redis, prefix);
    receiver = await startWebhookReceiver(() => 204);
    const config = loadConfig(notifierServiceEnvSchema, { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_TIMEOUT_MS: '3000' });
    const log = createLogger('rotation-test', 'silent');
    const metrics = new Metrics();
    const repo = new NotifierRepository(db.ds);
    const digests = new DigestService(new DigestRepository(db.ds), repo, new Mailer(config), config, log, metrics);
    delivery = new DeliveryService(repo, digests, queues, config, log, metrics);
  });

  afterAll(async () => {
    await receiver?.close();
    await queues?.close();
    redis?.disconnect();
    await app?.close();
    await dropQueuePrefix(prefix);
    await db?.drop();
  });

  let n = 0;
  /** A webhook subscription of the owner key on its own receiver path, with the secret creation returned. */
  const createWebhook = async (): Promise<{ id: string; secret: string; path: string }> => {
    const path = `/hook-${++n}`;
    const res = await http()
      .post('/v1/subscriptions')
      .set('X-API-Key', keys.owner)
      .send({ channel: 'webhook', target: `${receiver.url}${path}` })
      .expect(201);
    return { id: res.body.id, secret: res.body.secret, path };
  };

  /** The notifier delivers one paper to the subscription; resolves with the request the receiver got. */
  const deliverOne = async (sub: string, path: string) => {
    const key = `rot-${++n}`;
    const [{ id: paper }] = await db.ds.query(
      `INSERT INTO papers (paper_key, title, abstract, content_hash) VALUES ($1, $2, 'An abstract.', md5($1)) RETURNING id`,
      [key, `Paper ${key}`],
    );
    await db.ds.query(`UPDATE paper_stages SET stage = 'notified' WHERE paper_id = $1`, [paper]);
    const [{ id }] = await db.ds.query(
      `INSERT INTO deliveries (subscription_id, paper_id, detail) VALUES ($1, $2, '{"reasons":["r"]}') RETURNING id`,
      [sub, paper],
    );
    expect(await delivery.handleDeliver([id], { id: `deliver-${id}`, attemptsMade: 0, opts: { attempts: 15 } })).toBe('delivered');
    const got = receiver.requests.filter((r) => r.path === path && r.headers['webhook-id'] === id);
    expect(got).toHaveLength(1);
    return got[0]!;
  };

  /** Whether a subscriber holding only `secret` accepts the message. */
  const verifies = (secret: string, req: { body: string; headers: Record<string, unknown> }): boolean => {
    try {
      new Webhook(secret).verify(req.body, req.headers as Record<string, string>);
      return true;
    } catch (e) {
      if (e instanceof WebhookVerificationError) return false;
      throw e;
    }
  };

  const storedSecrets = async (id: string): Promise<string[]> => (await db.ds.query(`SELECT secrets FROM subscriptions WHERE id = $1`, [id]))[0].secrets;
  /** POST …/secret/<action> as the owner key, expecting 200: the body. */
  const secretAction = async (id: string, action: 'rotate' | 'retire-previous', body: object = {}) =>
    (await http().post(`/v1/subscriptions/${id}/secret/${action}`).set('X-API-Key', keys.owner).send(body).expect(200)).body;
  /** What GET shows of the subscription's secrets. */
  const secretState = async (id: string) => {
    const { activeSecrets, previousSecretExpiresAt } = (await http().get(`/v1/subscriptions/${id}`).set('X-API-Key', keys.owner).expect(200)).body;
    return { activeSecrets, previousSecretExpiresAt };
  };

  const cli = async (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
    const env = { DATABASE_URL: db.url, DATABASE_SCHEMA: db.schema, QUEUE_PREFIX: prefix, REDIS_URL: TEST_REDIS_URL, LOG_LEVEL: 'silent' };
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, [join(REPO_ROOT, 'tools', 'run.js'), 'services/cli', ...args], {
        env: { ...process.env, ...env },
        timeout: 60_000,
      });
      return { code: 0, stdout, stderr };
    } catch (e) {
      const x = e as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof x.code === 'number' ? x.code : -1, stdout: x.stdout ?? '', stderr: x.stderr ?? '' };
    }
  };

  it('rotate: both secrets sign until retire-previous; then only the new one verifies', async () => {
    const sub = await createWebhook();
    const before = await deliverOne(sub.id, sub.path);
    expect(before.headers['webhook-signature']!.toString().split(' ')).toHaveLength(1);
    expect(verifies(sub.secret, before)).toBe(true);

    const rotated = await http().post(`/v1/subscriptions/${sub.id}/secret/rotate`).set('X-API-Key', keys.owner).expect(200);
    expect(Object.keys(rotated.body).sort()).toEqual(['activeSecrets', 'id', 'previousSecretExpiresAt', 'retired', 'secret']);
    expect(rotated.body).toMatchObject({ id: sub.id, activeSecrets: 2, retired: 0 });
    // the previous secret signs for 24 h by default
    expect(Math.abs(Date.parse(rotated.body.previousSecretExpiresAt) - Date.now() - 24 * 3600_000)).toBeLessThan(60_000);
    const fresh: string = rotated.body.secret;
    // made as at creation: whsec_ + base64 of 32 random bytes
    expect(fresh).toMatch(/^whsec_[A-Za-z0-9+/]+={0,2}$/);
    expect(isValidWebhookSecret(fresh)).toBe(true);
    expect(webhookSecretKey(fresh)).toHaveLength(webhookSecretKey(sub.secret).length);
    expect(fresh).not.toBe(sub.secret);
    expect(await storedSecrets(sub.id)).toEqual([fresh, sub.secret]);

    // Secrets are never read back, not on GET, nor in the list: only how many sign, and until when.
    const one = await http().get(`/v1/subscriptions/${sub.id}`).set('X-API-Key', keys.owner).expect(200);
    expect(one.body).toMatchObject({ activeSecrets: 2, previousSecretExpiresAt: rotated.body.previousSecretExpiresAt });
    for (const res of [one, await http().get('/v1/subscriptions').set('X-API-Key', keys.owner).expect(200)]) {
      expect(JSON.stringify(res.body)).not.toContain('whsec_');
      expect(JSON.stringify(res.body)).not.toContain(webhookSecretKey(fresh).toString('base64'));
      expect(JSON.stringify(res.body)).not.toContain(webhookSecretKey(sub.secret).toString('base64'));
    }

    const during = await deliverOne(sub.id, sub.path);
    expect(during.headers['webhook-signature']!.toString().split(' ')).toHaveLength(2);
    expect(verifies(sub.secret, during)).toBe(true);
    expect(verifies(fresh, during)).toBe(true);

    const retired = await secretAction(sub.id, 'retire-previous');
    expect(retired).toEqual({ id: sub.id, activeSecrets: 1, previousSecretExpiresAt: null, retired: 1 });
    expect(await storedSecrets(sub.id)).toEqual([fresh]);
    expect(await secretState(sub.id)).toEqual({ activeSecrets: 1, previousSecretExpiresAt: null });
    // A repeat changes nothing.
    expect(await secretAction(sub.id, 'retire-previous')).toEqual({ id: sub.id, activeSecrets: 1, previousSecretExpiresAt: null, retired: 0 });

    const after = await deliverOne(sub.id, sub.path);
    expect(after.headers['webhook-signature']!.toString().split(' ')).toHaveLength(1);
    expect(verifies(fresh, after)).toBe(true);
    expect(verifies(sub.secret, after)).toBe(false);
  });

  it('a second rotation drops the oldest secret: never more than two sign', async () => {
    const sub = await createWebhook();
    const first = await secretAction(sub.id, 'rotate');
    const second = await secretAction(sub.id, 'rotate');
    expect(second).toMatchObject({ activeSecrets: 2, retired: 1 });
    expect(await storedSecrets(sub.id)).toEqual([second.secret, first.secret]);
    const msg = await deliverOne(sub.id, sub.path);
    expect([verifies(second.secret, msg), verifies(first.secret, msg), verifies(sub.secret, msg)]).toEqual([true, true, false]);
  });

  it('concurrent rotations serialise on the row: two secrets stay, the two last rotations', async () => {
    const sub = await createWebhook();
    const results = await Promise.all(
      Array.from({ length: 4 }, () => http().post(`/v1/subscriptions/${sub.id}/secret/rotate`).set('X-API-Key', keys.owner).expect(200)),
    );
    const issued = results.map((r) => r.body.secret as string);
    const stored = await storedSecrets(sub.id);
    expect(stored).toHaveLength(2);
    for (const s of stored) expect(issued).toContain(s);
    // Each rotation but the first dropped one secret, whatever the order they ran in.
    expect(results.map((r) => r.body.retired).sort()).toEqual([0, 1, 1, 1]);
  });

  it('the previous secret stops signing when its grace period ends, retired or not', async () => {
    const sub = await createWebhook();
    const rotated = await secretAction(sub.id, 'rotate', { graceHours: 2 });
    expect(Math.abs(Date.parse(rotated.previousSecretExpiresAt) - Date.now() - 2 * 3600_000)).toBeLessThan(60_000);
    const during = await deliverOne(sub.id, sub.path);
    expect([verifies(rotated.secret, during), verifies(sub.secret, during)]).toEqual([true, true]);
    // The grace period ends (moved into the past): the notifier signs with the new secret only, though both are stored.
    await db.ds.query(`UPDATE subscriptions SET previous_secret_expires_at = now() - interval '1 second' WHERE id = $1`, [sub.id]);
    const after = await deliverOne(sub.id, sub.path);
    expect(after.headers['webhook-signature']!.toString().split(' ')).toHaveLength(1);
    expect([verifies(rotated.secret, after), verifies(sub.secret, after)]).toEqual([true, false]);
    expect(await storedSecrets(sub.id)).toEqual([rotated.secret, sub.secret]);
    expect(await secretState(sub.id)).toEqual({ activeSecrets: 1, previousSecretExpiresAt: null });
    // Retiring it now drops it; nothing changes for the receiver.
    expect(await secretAction(sub.id, 'retire-previous')).toEqual({ id: sub.id, activeSecrets: 1, previousSecretExpiresAt: null, retired: 1 });
  });

  it('the sweeper drops a previous secret once its grace period ended (it never signed after); one still in its grace period stays', async () => {
    const sweeper = new Sweeper(db.ds, queues, { afterSeconds: 3600, batchSize: 50 });
    const [expired, graced] = [await createWebhook(), await createWebhook()];
    const rotatedExpired = await secretAction(expired.id, 'rotate', { graceHours: 1 });
    const rotatedGraced = await secretAction(graced.id, 'rotate', { graceHours: 1 });
    await db.ds.query(`UPDATE subscriptions SET previous_secret_expires_at = now() - interval '1 second' WHERE id = $1`, [expired.id]);
    const updatedAt = async (id: string) => (await db.ds.query(`SELECT updated_at::text AS u FROM subscriptions WHERE id = $1`, [id]))[0].u as string;
    const expiry = async (id: string) => (await db.ds.query(`SELECT previous_secret_expires_at AS e FROM subscriptions WHERE id = $1`, [id]))[0].e as Date | null;
    const before = { updatedAt: await updatedAt(expired.id), gracedExpiry: await expiry(graced.id) };

    // Expired but still stored: it no longer signs (the notifier checks the expiry, not only the stored list).
    const stale = await deliverOne(expired.id, expired.path);
    expect(stale.headers['webhook-signature']!.toString().split(' ')).toHaveLength(1);
    expect([verifies(rotatedExpired.secret, stale), verifies(expired.secret, stale)]).toEqual([true, false]);

    const swept = await sweeper.sweep();
    expect(swept.expiredSecrets).toBeGreaterThanOrEqual(1);
    expect(await storedSecrets(expired.id)).toEqual([rotatedExpired.secret]);
    expect(await expiry(expired.id)).toBeNull();
    // What the owner sees is what it saw before the sweep; the row is not "updated" by it.
    expect(await secretState(expired.id)).toEqual({ activeSecrets: 1, previousSecretExpiresAt: null });
    expect(await updatedAt(expired.id)).toBe(before.updatedAt);
    // A rotation within its grace period keeps both secrets, and its expiry.
    expect(await storedSecrets(graced.id)).toEqual([rotatedGraced.secret, graced.secret]);
    expect(await expiry(graced.id)).toEqual(before.gracedExpiry);
    expect(await secretState(graced.id)).toMatchObject({ activeSecrets: 2, previousSecretExpiresAt: rotatedGraced.previousSecretExpiresAt });
    // Nothing left to drop: a second sweep reports none, and retire-previous has nothing to retire.
    expect((await sweeper.sweep()).expiredSecrets).toBeUndefined();
    expect(await secretAction(expired.id, 'retire-previous')).toEqual({ id: expired.id, activeSecrets: 1, previousSecretExpiresAt: null, retired: 0 });

    const after = await deliverOne(expired.id, expired.path);
    expect(after.headers['webhook-signature']!.toString().split(' ')).toHaveLength(1);
    expect([verifies(rotatedExpired.secret, after), verifies(expired.secret, after)]).toEqual([true, false]);
    // No secret is ever shown, before or after: not by GET, the list, nor the CLI's list.
    const shown = [
      JSON.stringify((await http().get(`/v1/subscriptions/${expired.id}`).set('X-API-Key', keys.owner).expect(200)).body),
      JSON.stringify((await http().get('/v1/subscriptions').query({ limit: 100 }).set('X-API-Key', keys.owner).expect(200)).body),
      (await cli(['subscriptions', 'list', '--json'])).stdout,
    ];
    for (const text of shown)
      for (const secret of [expired.secret, rotatedExpired.secret, graced.secret, rotatedGraced.secret]) {
        expect(text).not.toContain(secret);
        expect(text).not.toContain(webhookSecretKey(secret).toString('base64'));
      }
  });

  it('refuses a grace period out of range or an unknown field (400), storing nothing', async () => {
    const sub = await createWebhook();
    for (const body of [{ graceHours: 0 }, { graceHours: 169 }, { graceHours: 1.5 }, { graceHours: '24' }, { grace: 24 }]) {
      const res = await http().post(`/v1/subscriptions/${sub.id}/secret/rotate`).set('X-API-Key', keys.owner).send(body);
      expect([body, res.status]).toEqual([body, 400]);
    }
    expect(await storedSecrets(sub.id)).toEqual([sub.secret]);
    const viaCli = await cli(['subscriptions', 'rotate-secret', sub.id, '--grace-hours', '500']);
    expect(viaCli.code).toBe(1);
    expect(viaCli.stderr).toContain('--grace-hours must be at most 168 (got 500)');
    expect(await storedSecrets(sub.id)).toEqual([sub.secret]);
  });

  it("another key's subscription is a 404; an admin key reaches it; the scope is needed", async () => {
    const sub = await createWebhook();
    for (const action of ['rotate', 'retire-previous']) {
      await http().post(`/v1/subscriptions/${sub.id}/secret/${action}`).set('X-API-Key', keys.other).expect(404);
      await http().post(`/v1/subscriptions/not-a-uuid/secret/${action}`).set('X-API-Key', keys.owner).expect(404);
      await http().post(`/v1/subscriptions/${sub.id}/secret/${action}`).set('X-API-Key', keys.reader).expect(403);
      await http().post(`/v1/subscriptions/${sub.id}/secret/${action}`).expect(401);
    }
    expect(await storedSecrets(sub.id)).toEqual([sub.secret]);
    const byAdmin = await http().post(`/v1/subscriptions/${sub.id}/secret/rotate`).set('X-API-Key', keys.admin).expect(200);
    expect(await storedSecrets(sub.id)).toEqual([byAdmin.body.secret, sub.secret]);
  });

  it('an email subscription has no secret to rotate: 409, nothing stored', async () => {
    const [{ id }] = await db.ds.query(
      `INSERT INTO subscriptions (owner_key_id, name, channel, target, status) VALUES ($1, 'mail', 'email', 'reader@example.org', 'active') RETURNING id`,
      [ownerId],
    );
    for (const action of ['rotate', 'retire-previous']) {
      const res = await http().post(`/v1/subscriptions/${id}/secret/${action}`).set('X-API-Key', keys.owner).expect(409);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(res.body.detail).toContain('only webhook subscriptions have signing secrets');
    }
    expect(await storedSecrets(id)).toEqual([]);
    expect((await http().get(`/v1/subscriptions/${id}`).set('X-API-Key', keys.owner).expect(200)).body).toMatchObject({ activeSecrets: 0, previousSecretExpiresAt: null });
    const viaCli = await cli(['subscriptions', 'rotate-secret', id]);
    expect(viaCli.code).toBe(1);
    expect(viaCli.stderr).toContain('only webhook subscriptions have signing secrets');
  });

  it('CLI parity: rotate-secret and retire-secret run the same actions, with the same answers', async () => {
    const sub = await createWebhook();
    const rotated = await cli(['subscriptions', 'rotate-secret', sub.id]);
    expect(rotated.code).toBe(0);
    const viaCli = JSON.parse(rotated.stdout) as { id: string; secret: string; activeSecrets: number; retired: number; previousSecretExpiresAt: string };
    expect(Object.keys(viaCli).sort()).toEqual(['activeSecrets', 'id', 'previousSecretExpiresAt', 'retired', 'secret']);
    expect(viaCli).toMatchObject({ id: sub.id, activeSecrets: 2, retired: 0 });
    expect(Math.abs(Date.parse(viaCli.previousSecretExpiresAt) - Date.now() - 24 * 3600_000)).toBeLessThan(60_000);
    expect(isValidWebhookSecret(viaCli.secret)).toBe(true);
    const during = await deliverOne(sub.id, sub.path);
    expect([verifies(viaCli.secret, during), verifies(sub.secret, during)]).toEqual([true, true]);

    const retired = await cli(['subscriptions', 'retire-secret', sub.id]);
    expect(retired.code).toBe(0);
    expect(JSON.parse(retired.stdout)).toEqual({ id: sub.id, activeSecrets: 1, previousSecretExpiresAt: null, retired: 1 });
    const after = await deliverOne(sub.id, sub.path);
    expect([verifies(viaCli.secret, after), verifies(sub.secret, after)]).toEqual([true, false]);
    const graced = JSON.parse((await cli(['subscriptions', 'rotate-secret', sub.id, '--grace-hours', '3'])).stdout) as { previousSecretExpiresAt: string };
    expect(Math.abs(Date.parse(graced.previousSecretExpiresAt) - Date.now() - 3 * 3600_000)).toBeLessThan(60_000);

    const missing = await cli(['subscriptions', 'retire-secret', '00000000-0000-4000-8000-000000000000']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('no such subscription');
  });
});
