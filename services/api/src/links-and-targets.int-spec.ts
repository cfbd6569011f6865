import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { ConfigError, loadConfig, notifierEnvSchema } from '@paperwire/config';
import { createApiKey } from '@paperwire/db';
import { signToken, targetHash } from '@paperwire/notifications';
import { CONFIG } from '@paperwire/service-kit';
import { TEST_REDIS_URL, createTestDb, dropQueuePrefix, seedTopic, uniqueName, type TestDb } from '@paperwire/testing';
import { apiServiceEnvSchema, type ApiConfig } from './api-config';
import { createTestApp } from './testing/app';

// Issue #14 items 1, 2, 5, 9 and 12a against the api in-process (real Postgres and Redis): the
// token secret, forged and stale link tokens, email targets, one pending Subscribe per address,
// revoked keys' subscriptions, and confirmation by POST only.

jest.setTimeout(90_000);

/** The value every PaperWire service used when TOKEN_SECRET was unset, before issue #14. */
const OLD_DEFAULT_SECRET = 'dev-only-token-secret-change-me';
const ATTACKS = ['not-an-email', 'a@b.co\r\nBcc: injected@example.com', 'r1@example.com, r2@example.com'];

describe('TOKEN_SECRET configuration (issue #14 item 1)', () => {
  const base = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' };

  it.each([
    ['missing', undefined],
    ['the old public default', OLD_DEFAULT_SECRET],
    ['the k8s template placeholder', 'REPLACE_ME_WITH_32_RANDOM_BYTES_HEX'],
    ['the .env.example value', 'change-me-to-32-random-bytes-hex'],
    ['a changeme variant padded to length', 'changeme-changeme-changeme-changeme-0123'],
    ['too short', randomBytes(15).toString('hex')],
  ])('refuses to start in production with %s, naming TOKEN_SECRET', (_what, value) => {
    for (const schema of [apiServiceEnvSchema, notifierEnvSchema]) {
      const env = {
        ...base,
        NODE_ENV: 'production',
        ...(value === undefined ? {} : { TOKEN_SECRET: value }),
      };
      expect(() => loadConfig(schema, env)).toThrow(ConfigError);
      expect(() => loadConfig(schema, env)).toThrow(/TOKEN_SECRET/);
    }
  });

  it('accepts a random 32-byte secret in production, and a distinct previous one for verification', () => {
    const secret = randomBytes(32).toString('hex');
    const previous = randomBytes(32).toString('hex');
    const c = loadConfig(apiServiceEnvSchema, {
      ...base,
      NODE_ENV: 'production',
      TOKEN_SECRET: secret,
      TOKEN_SECRET_PREVIOUS: previous,
    });
    expect(c.TOKEN_SECRET).toBe(secret);
    expect(c.TOKEN_SECRET_PREVIOUS).toBe(previous);
    expect(() =>
      loadConfig(apiServiceEnvSchema, {
        ...base,
        NODE_ENV: 'production',
        TOKEN_SECRET: secret,
        TOKEN_SECRET_PREVIOUS: OLD_DEFAULT_SECRET,
      }),
    ).toThrow(/TOKEN_SECRET_PREVIOUS/);
    expect(() =>
      loadConfig(apiServiceEnvSchema, {
        ...base,
        NODE_ENV: 'production',
        TOKEN_SECRET: secret,
        TOKEN_SECRET_PREVIOUS: secret,
      }),
    ).toThrow(/TOKEN_SECRET_PREVIOUS/);
  });

  it('development without a secret: one random secret per install, mode 0600, reused, never the old default', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pw-state-'));
    try {
      const env = { ...base, NODE_ENV: 'development', PAPERWIRE_STATE_DIR: dir };
      const a = loadConfig(apiServiceEnvSchema, env).TOKEN_SECRET;
      const b = loadConfig(notifierEnvSchema, { ...env, NODE_ENV: 'test' }).TOKEN_SECRET;
      expect(a).toMatch(/^[0-9a-f]{64}$/);
      expect(b).toBe(a);
      expect(a).not.toBe(OLD_DEFAULT_SECRET);
      const file = join(dir, 'token-secret');
      expect(readFileSync(file, 'utf8').trim()).toBe(a);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      // Another install (state directory) gets another secret.
      const other = mkdtempSync(join(tmpdir(), 'pw-state-'));
      try {
        expect(loadConfig(apiServiceEnvSchema, { ...env, PAPERWIRE_STATE_DIR: other }).TOKEN_SECRET).not.toBe(
          a,
        );
      } finally {
        rmSync(other, { recursive: true, force: true });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('links, email targets, Subscribe and revoked keys (issue #14 items 1, 2, 5, 9, 12a)', () => {
  let db: TestDb;
  let app: INestApplication;
  let prefix: string;
  let config: ApiConfig;
  let redis: Redis;
  let deliver: Queue;
  let admin: string;
  let tenant: { id: string; key: string };
  const PREVIOUS = randomBytes(32).toString('hex');
  const http = () => request(app.getHttpServer());

  /** Confirmation jobs queued for a subscription (any state). */
  const confirmationJobs = async (subscriptionId?: string) =>
    (await deliver.getJobs(['waiting', 'delayed', 'prioritized', 'active', 'completed', 'failed'])).filter(
      (j) => j?.name === 'send-confirmation' && (!subscriptionId || j.data.subscriptionId === subscriptionId),
    );
  const statusOf = async (
    id: string,
  ): Promise<{ status: string; status_reason: string | null; target: string }> =>
    (await db.ds.query(`SELECT status, status_reason, target FROM subscriptions WHERE id = $1`, [id]))[0];

  beforeAll(async () => {
    db = await createTestDb('t_i14');
    prefix = `{${uniqueName('t-i14')}}`;
    // The topic one of the Subscribe posts picks (a topic that does not exist is refused).
    await seedTopic(db.ds, 'llm', 'LLM');
    // No TOKEN_SECRET: the per-install development secret, as on a developer's machine.
    app = await createTestApp(db, prefix, {
      PUBLIC_URL: 'http://api.test',
      RATE_LIMIT_PER_MINUTE: '100000',
      TOKEN_SECRET_PREVIOUS: PREVIOUS,
    });
    config = app.get<ApiConfig>(CONFIG);
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    deliver = new Queue('deliver', { connection: redis, prefix });
    admin = (await createApiKey(db.ds, { name: 'admin', scopes: ['admin'] })).key;
    const t = await createApiKey(db.ds, { name: 'tenant', scopes: ['subscriptions'] });
    tenant = { id: t.id, key: t.key };
  });

  afterAll(async () => {
    await app?.close();
    await deliver?.close();
    await redis?.quit();
    await db?.drop();
    await dropQueuePrefix(prefix);
  });

  const createEmail = async (target: string, key = tenant.key) =>
    (
      await http()
        .post('/v1/subscriptions')
        .set('X-API-Key', key)
        .send({ channel: 'email', target, mode: 'daily', schedule: { hour: 8 } })
        .expect(201)
    ).body as { id: string; status: string; target: string };

  it('runs on a generated secret, so links signed with the old public default are refused', async () => {
    expect(config.TOKEN_SECRET).not.toBe(OLD_DEFAULT_SECRET);
    expect(config.TOKEN_SECRET.length).toBeGreaterThanOrEqual(32);
    const sub = await createEmail('forge-target@example.org');
    const forgedConfirm = signToken(
      { sub: sub.id, purpose: 'confirm', tgt: targetHash(sub.target) },
      OLD_DEFAULT_SECRET,
    );
    const forgedUnsub = signToken({ sub: sub.id, purpose: 'unsubscribe' }, OLD_DEFAULT_SECRET);
    expect((await http().get(`/v1/subscriptions/confirm?t=${forgedConfirm}`)).status).toBe(400);
    expect((await http().post(`/v1/unsubscribe?t=${forgedUnsub}`)).status).toBe(400);
    expect((await statusOf(sub.id)).status).toBe('pending_confirmation');
  });

  it('refuses tokens without an expiry or with one beyond the purpose maximum; accepts the previous secret while configured', async () => {
    const sub = await createEmail('expiry@example.org');
    const now = Math.floor(Date.now() / 1000);
    // A token as the old code signed unsubscribe links: no exp at all.
    const body = Buffer.from(JSON.stringify({ sub: sub.id, purpose: 'unsubscribe' })).toString('base64url');
    const { createHmac } = await import('node:crypto');
    const noExp = `${body}.${createHmac('sha256', config.TOKEN_SECRET).update(`paperwire-link-token-v2.${body}`).digest('base64url')}`;
    expect((await http().post(`/v1/unsubscribe?t=${noExp}`)).status).toBe(400);
    const forever = signToken(
      { sub: sub.id, purpose: 'unsubscribe', exp: now + 20 * 365 * 86400 },
      config.TOKEN_SECRET,
    );
    expect((await http().post(`/v1/unsubscribe?t=${forever}`)).status).toBe(400);
    expect((await statusOf(sub.id)).status).toBe('pending_confirmation');
    // Rotation: a link signed with TOKEN_SECRET_PREVIOUS still works during the window.
    const old = signToken({ sub: sub.id, purpose: 'unsubscribe' }, PREVIOUS);
    expect((await http().post(`/v1/unsubscribe?t=${old}`)).status).toBe(200);
    expect((await statusOf(sub.id)).status).toBe('disabled');
  });

  it('an unsubscribe link stops the subscription only at the address it was mailed to (links without one still work)', async () => {
    const sub = await createEmail('now@example.org');
    const exp = Math.floor(Date.now() / 1000) + 3600;
    const stale = signToken(
      { sub: sub.id, purpose: 'unsubscribe', exp, tgt: targetHash('earlier@example.org') },
      config.TOKEN_SECRET,
    );
    expect((await http().get(`/v1/unsubscribe?t=${stale}`)).status).toBe(400);
    expect((await http().post(`/v1/unsubscribe?t=${stale}`)).status).toBe(400);
    expect((await statusOf(sub.id)).status).toBe('pending_confirmation');
    const current = signToken(
      { sub: sub.id, purpose: 'unsubscribe', exp, tgt: targetHash('now@example.org') },
      config.TOKEN_SECRET,
    );
    expect((await http().get(`/v1/unsubscribe?t=${current}`)).status).toBe(200);
    expect((await http().post(`/v1/unsubscribe?t=${current}`)).status).toBe(200);
    expect((await statusOf(sub.id)).status).toBe('disabled');
  });

  it('confirms only by POST from the page (CSRF), never on a plain GET, and only for the address the link was mailed to', async () => {
    const sub = await createEmail('click@example.org');
    const token = signToken(
      { sub: sub.id, purpose: 'confirm', tgt: targetHash('click@example.org') },
      config.TOKEN_SECRET,
    );
    const url = `/v1/subscriptions/confirm?t=${encodeURIComponent(token)}`;
    // What a mail scanner does: GET (HTML or not), HEAD.
    const page = await http().get(url).set('Accept', 'text/html').expect(200);
    await http().get(url).expect(200);
    await http().head(url);
    expect(page.text).toContain('Confirm subscription');
    expect(page.text).toMatch(/<form method="post"/);
    expect((await statusOf(sub.id)).status).toBe('pending_confirmation');
    // POST without the page's cookie and token, or with another browser's: refused.
    await http().post(url).expect(403);
    const cookie = String(page.headers['set-cookie']).split(';')[0];
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.text)![1];
    await http()
      .post(url)
      .set('Cookie', 'pw_csrf=AAAAAAAAAAAAAAAAAAAAAAAA')
      .type('form')
      .send({ csrf })
      .expect(403);
    await http()
      .post(url)
      .set('Cookie', cookie)
      .set('Origin', 'https://evil.example')
      .type('form')
      .send({ csrf })
      .expect(403);
    expect((await statusOf(sub.id)).status).toBe('pending_confirmation');
    // A token for another address (e.g. mailed before a PATCH) does not confirm this one.
    const stale = signToken(
      { sub: sub.id, purpose: 'confirm', tgt: targetHash('earlier@example.org') },
      config.TOKEN_SECRET,
    );
    await http()
      .post(`/v1/subscriptions/confirm?t=${encodeURIComponent(stale)}`)
      .set('Cookie', cookie)
      .type('form')
      .send({ csrf })
      .expect(400);
    await http()
      .get(`/v1/subscriptions/confirm?t=${encodeURIComponent(stale)}`)
      .expect(400);
    // Confirm links always carry the address: one without it (unlike a legacy unsubscribe link) is refused too.
    const unbound = encodeURIComponent(signToken({ sub: sub.id, purpose: 'confirm' }, config.TOKEN_SECRET));
    await http().get(`/v1/subscriptions/confirm?t=${unbound}`).expect(400);
    await http()
      .post(`/v1/subscriptions/confirm?t=${unbound}`)
      .set('Cookie', cookie)
      .type('form')
      .send({ csrf })
      .expect(400);
    expect((await statusOf(sub.id)).status).toBe('pending_confirmation');
    const ok = await http().post(url).set('Cookie', cookie).type('form').send({ csrf }).expect(200);
    expect(ok.body).toEqual({ id: sub.id, status: 'active' });
    expect((await statusOf(sub.id)).status).toBe('active');
  });

  it('confirms a pending subscription whose stored examples filter has no papers (legacy) as paused, with the reason', async () => {
    const legacy = await createEmail('legacy-examples@example.org');
    const plain = await createEmail('plain-examples@example.org');
    // Stored before example papers could be named; the API no longer accepts it, so it is written directly.
    await db.ds.query(
      `UPDATE subscriptions SET filters = '{"examples": {"minSimilarity": 0.6}}'::jsonb WHERE id = $1`,
      [legacy.id],
    );
    const confirm = async (sub: { id: string }, address: string) => {
      const url = `/v1/subscriptions/confirm?t=${encodeURIComponent(signToken({ sub: sub.id, purpose: 'confirm', tgt: targetHash(address) }, config.TOKEN_SECRET))}`;
      const page = await http().get(url).set('Accept', 'text/html').expect(200);
      const cookie = String(page.headers['set-cookie']).split(';')[0];
      const csrf = /name="csrf" value="([^"]+)"/.exec(page.text)![1];
      return http().post(url).set('Cookie', cookie).type('form').send({ csrf }).expect(200);
    };
    expect((await confirm(legacy, 'legacy-examples@example.org')).body).toEqual({
      id: legacy.id,
      status: 'paused',
    });
    expect(await statusOf(legacy.id)).toMatchObject({ status: 'paused' });
    const [row] = await db.ds.query(`SELECT status_reason, confirmed_at FROM subscriptions WHERE id = $1`, [
      legacy.id,
    ]);
    expect(row.status_reason).toMatch(/examples.*needs example papers/);
    expect(row.confirmed_at).not.toBeNull();
    expect((await confirm(plain, 'plain-examples@example.org')).body).toEqual({
      id: plain.id,
      status: 'active',
    });
    const [other] = await db.ds.query(`SELECT status, status_reason FROM subscriptions WHERE id = $1`, [
      plain.id,
    ]);
    expect(other).toEqual({ status: 'active', status_reason: null });
  });

  it('PATCH takes one valid address only; a changed address goes back to pending_confirmation with a new confirmation', async () => {
    const sub = await createEmail('owner@example.org');
    await db.ds.query(`UPDATE subscriptions SET status = 'active', confirmed_at = now() WHERE id = $1`, [
      sub.id,
    ]);
    for (const target of [
      ...ATTACKS,
      'x'.repeat(65) + '@example.org',
      `a@${'b'.repeat(250)}.com`,
      'Victim <victim@example.com>',
      'a@b.co\n',
    ]) {
      const res = await http()
        .patch(`/v1/subscriptions/${sub.id}`)
        .set('X-API-Key', tenant.key)
        .send({ target });
      expect({ target, status: res.status }).toEqual({ target, status: 400 });
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect(await statusOf(sub.id)).toMatchObject({ status: 'active', target: 'owner@example.org' });
    // The same strings on POST (and the first one on /subscribe below).
    for (const target of ATTACKS) {
      await http()
        .post('/v1/subscriptions')
        .set('X-API-Key', tenant.key)
        .send({ channel: 'email', target })
        .expect(400);
    }
    const before = (await confirmationJobs(sub.id)).length;
    const changed = await http()
      .patch(`/v1/subscriptions/${sub.id}`)
      .set('X-API-Key', tenant.key)
      .send({ target: 'victim@example.com' })
      .expect(200);
    expect(changed.body).toMatchObject({ status: 'pending_confirmation', target: 'victim@example.com' });
    expect(changed.body.statusReason).toMatch(/confirmation/);
    expect((await confirmationJobs(sub.id)).length).toBe(before + 1);
    // The new address must click: resuming by API is refused, and so is a link for the old address.
    await http()
      .patch(`/v1/subscriptions/${sub.id}`)
      .set('X-API-Key', tenant.key)
      .send({ status: 'active' })
      .expect(400);
    const page = await http().get(`/v1/subscriptions/confirm?t=x.y`).set('Accept', 'text/html');
    expect(page.status).toBe(400);
    // Same address in another case: no re-confirmation.
    await http()
      .patch(`/v1/subscriptions/${sub.id}`)
      .set('X-API-Key', tenant.key)
      .send({ target: 'VICTIM@example.com' })
      .expect(200);
    expect((await confirmationJobs(sub.id)).length).toBe(before + 1);
  });

  it('POST /subscribe: five posts for one address make one pending subscription and one confirmation, with the same answer', async () => {
    const home = await http().get('/').expect(200);
    const cookie = String(home.headers['set-cookie']).split(';')[0];
    const csrf = /name="csrf" value="([^"]+)"/.exec(home.text)![1];
    const post = (email: string, topics?: string) =>
      http()
        .post('/subscribe')
        .set('Cookie', cookie)
        .type('form')
        .send({ email, csrf, ...(topics ? { topics } : {}) });
    const bad = await post(ATTACKS[1]);
    expect(bad.status).toBe(400);
    expect(
      (await db.ds.query(`SELECT count(*)::int AS n FROM subscriptions WHERE target LIKE '%injected%'`))[0].n,
    ).toBe(0);
    const answers: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await post(
        i % 2 ? 'Bombed@Example.org' : 'bombed@example.org',
        i === 3 ? 'llm' : undefined,
      ).expect(200);
      answers.push(res.text.replace(/nonce-[^'"]+|nonce="[^"]+"/g, ''));
    }
    expect(new Set(answers).size).toBe(1);
    const rows: { id: string; status: string }[] = await db.ds.query(
      `SELECT id, status FROM subscriptions WHERE lower(target) = 'bombed@example.org'`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].status).toBe('pending_confirmation');
    expect(await confirmationJobs(rows[0].id)).toHaveLength(1);
    // Another address gets its own subscription and mail (the answer looks the same).
    const other = await post('other@example.org').expect(200);
    expect(other.text).toContain('Check your inbox');
    expect(
      (
        await db.ds.query(`SELECT count(*)::int AS n FROM subscriptions WHERE target = 'other@example.org'`)
      )[0].n,
    ).toBe(1);
  });

  it('revoking a key pauses its subscriptions ("key revoked"), disables unconfirmed ones, and admin keys manage them', async () => {
    const k = await createApiKey(db.ds, { name: 'doomed', scopes: ['subscriptions'] });
    const hook = await http()
      .post('/v1/subscriptions')
      .set('X-API-Key', k.key)
      .send({ channel: 'email', target: 'doomed-active@example.org' })
      .expect(201);
    await db.ds.query(`UPDATE subscriptions SET status = 'active', confirmed_at = now() WHERE id = $1`, [
      hook.body.id,
    ]);
    const pending = await createEmail('doomed-pending@example.org', k.key);
    await http().delete(`/v1/admin/keys/${k.id}`).set('X-API-Key', admin).expect(204);
    expect(await statusOf(hook.body.id)).toMatchObject({ status: 'paused', status_reason: 'key revoked' });
    expect(await statusOf(pending.id)).toMatchObject({ status: 'disabled', status_reason: 'key revoked' });
    // The revoked key can do nothing; a subscriptions key cannot reach the admin routes.
    await http().get('/v1/subscriptions').set('X-API-Key', k.key).expect(401);
    await http().get('/v1/admin/subscriptions').set('X-API-Key', tenant.key).expect(403);
    const listed = await http()
      .get('/v1/admin/subscriptions')
      .query({ reason: 'key revoked' })
      .set('X-API-Key', admin)
      .expect(200);
    expect(listed.body.items.map((s: { id: string }) => s.id).sort()).toEqual(
      [hook.body.id, pending.id].sort(),
    );
    expect(
      listed.body.items.every(
        (s: { ownerKeyId: string; ownerRevoked: boolean }) => s.ownerKeyId === k.id && s.ownerRevoked,
      ),
    ).toBe(true);
    await http()
      .patch(`/v1/admin/subscriptions/${pending.id}`)
      .set('X-API-Key', admin)
      .send({ status: 'active' })
      .expect(409);
    const resumed = await http()
      .patch(`/v1/admin/subscriptions/${hook.body.id}`)
      .set('X-API-Key', admin)
      .send({ status: 'active' })
      .expect(200);
    expect(resumed.body).toMatchObject({ status: 'active', statusReason: null });
    await http().delete(`/v1/admin/subscriptions/${pending.id}`).set('X-API-Key', admin).expect(204);
    await http().delete(`/v1/admin/subscriptions/${pending.id}`).set('X-API-Key', admin).expect(404);
  });
});
