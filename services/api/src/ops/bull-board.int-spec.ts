import 'reflect-metadata';
import { createHmac, randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createApiKey, revokeApiKey } from '@paperwire/db';
import { createTestDb, uniqueName, type TestDb } from '@paperwire/testing';
import { parseSession, sessionMatches, signSession } from './bull-board';
import { createTestApp } from '../testing/app';

jest.setTimeout(60_000);

const SECRET = randomBytes(32).toString('hex');

describe('Bull Board at /ops/queues behind the admin key', () => {
  let db: TestDb;
  let app: INestApplication;
  let admin: { id: string; key: string };
  let reader: string;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    db = await createTestDb('t_board');
    app = await createTestApp(db, `{${uniqueName('t-board')}}`, { TOKEN_SECRET: SECRET });
    const a = await createApiKey(db.ds, { name: 'admin', scopes: ['admin'] });
    admin = { id: a.id, key: a.key };
    reader = (await createApiKey(db.ds, { name: 'reader', scopes: ['read'] })).key;
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('shows a sign-in form, not the board, without a session', async () => {
    const res = await http().get('/ops/queues/');
    expect(res.status).toBe(401);
    expect(res.text).toContain('Admin API key');
    expect(res.text).not.toContain('bull-board');
    expect((await http().get('/ops/queues/api/queues')).status).toBe(401);
  });

  it('refuses a key without the admin scope and a wrong key', async () => {
    expect((await http().post('/ops/queues/login').type('form').send({ key: reader })).status).toBe(401);
    expect(
      (
        await http()
          .post('/ops/queues/login')
          .type('form')
          .send({ key: `${admin.key.slice(0, -2)}xx` })
      ).status,
    ).toBe(401);
  });

  it('exchanges an admin key for a session cookie that opens the board and its API', async () => {
    const login = await http().post('/ops/queues/login').type('form').send({ key: admin.key });
    expect(login.status).toBe(303);
    const cookie = String(login.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toContain(admin.key);
    const session = cookie.split(';')[0];
    const page = await http().get('/ops/queues/').set('Cookie', session);
    expect(page.status).toBe(200);
    const api = await http().get('/ops/queues/api/queues').set('Cookie', session);
    expect(api.status).toBe(200);
    const names = (api.body.queues as { name: string }[]).map((q) => q.name).sort();
    expect(names).toEqual(
      expect.arrayContaining(['classify', 'deliver', 'extract', 'fetch', 'notify', 'parse']),
    );

    await revokeApiKey(db.ds, admin.id);
    expect((await http().get('/ops/queues/api/queues').set('Cookie', session)).status).toBe(401);
  });

  it('signs sessions: a forged or expired one is refused', () => {
    const now = Date.now();
    const iat = Math.floor(now / 1000);
    const id = '00000000-0000-4000-8000-000000000001';
    const good = signSession(id, 'hash-1', iat, iat + 60, SECRET);
    const claims = parseSession(good, now)!;
    expect(claims.keyId).toBe(id);
    expect(sessionMatches(claims, 'hash-1', [SECRET])).toBe(true);
    expect(sessionMatches(claims, 'hash-2', [SECRET])).toBe(false);
    expect(sessionMatches(claims, 'hash-1', [`${SECRET}x`])).toBe(false);
    // Rotation: a session signed with the previous secret still verifies while it is configured.
    expect(sessionMatches(claims, 'hash-1', [`${SECRET}x`, SECRET])).toBe(true);
    expect(parseSession(good.replace(id, id.replace(/1$/, '2')), now)).not.toBeNull();
    expect(sessionMatches(parseSession(good.replace(id, id.replace(/1$/, '2')), now)!, 'hash-1', [SECRET])).toBe(false);
    expect(parseSession(signSession(id, 'hash-1', iat - 120, iat - 1, SECRET), now)).toBeNull();
    // A session longer than the server's maximum age is refused whatever it claims.
    expect(parseSession(signSession(id, 'hash-1', iat, iat + 30 * 86400, SECRET), now)).toBeNull();
    expect(parseSession(signSession(id, 'hash-1', iat - 9 * 3600, iat + 60, SECRET), now)).toBeNull();
  });

  it('cannot be forged from the token secret and a key id (the old session format), and dies with the key', async () => {
    const a = await createApiKey(db.ds, { name: 'admin-2', scopes: ['admin'] });
    const exp = Math.floor(Date.now() / 1000) + 10 * 365 * 86400;
    // Before issue #14: `<keyId>.<exp>.<hmac(secret, ops-session:keyId:exp)>`, any expiry accepted.
    const oldMac = createHmac('sha256', SECRET).update(`ops-session:${a.id}:${exp}`).digest('base64url');
    const forgedOld = `pw_ops_session=${encodeURIComponent(`${a.id}.${exp}.${oldMac}`)}`;
    expect((await http().get('/ops/queues/api/queues').set('Cookie', forgedOld)).status).toBe(401);
    // The new format, made with the secret but without the key's hash: refused too.
    const iat = Math.floor(Date.now() / 1000);
    const noHash = `pw_ops_session=${encodeURIComponent(signSession(a.id, '', iat, iat + 3600, SECRET))}`;
    expect((await http().get('/ops/queues/api/queues').set('Cookie', noHash)).status).toBe(401);
    const byId = `pw_ops_session=${encodeURIComponent(signSession(a.id, a.id, iat, iat + 3600, SECRET))}`;
    expect((await http().get('/ops/queues/api/queues').set('Cookie', byId)).status).toBe(401);

    const login = await http().post('/ops/queues/login').type('form').send({ key: a.key });
    const session = String(login.headers['set-cookie']).split(';')[0];
    expect(String(login.headers['set-cookie'])).toMatch(/Max-Age=28800/);
    expect((await http().get('/ops/queues/api/queues').set('Cookie', session)).status).toBe(200);
    await revokeApiKey(db.ds, a.id);
    expect((await http().get('/ops/queues/api/queues').set('Cookie', session)).status).toBe(401);
  });
  // The board answered 401 to `Authorization: Bearer <admin key>`; only the sign-in form opened it. It takes an admin
  // key by header as /ops and the API do (Bearer or X-API-Key), refusing a wrong one (401) and a non-admin one (403).
  it('opens to an admin key by header, as the API takes it; a wrong or revoked key is a 401, a non-admin key a 403', async () => {
    const a = await createApiKey(db.ds, { name: 'admin-header', scopes: ['admin'] });
    const bearer = await http().get('/ops/queues/api/queues').set('Authorization', `Bearer ${a.key}`);
    expect(bearer.status).toBe(200);
    expect((bearer.body.queues as { name: string }[]).map((q) => q.name)).toEqual(expect.arrayContaining(['fetch', 'parse', 'deliver']));
    const page = await http().get('/ops/queues/').set('X-API-Key', a.key);
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    // no session is made from a header key
    expect(page.headers['set-cookie']).toBeUndefined();
    // the board's own refusals are problems, as every 4xx of the api
    const unknown = await http().put('/ops/queues/api/queues/nope/retry/failed').set('Authorization', `Bearer ${a.key}`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
    expect(JSON.parse(unknown.text)).toEqual({ type: 'about:blank', title: 'Not Found', status: 404, detail: 'queue not found' });

    const wrong = await http().get('/ops/queues/api/queues').set('Authorization', `Bearer ${a.key.slice(0, -2)}xx`);
    expect(wrong.status).toBe(401);
    expect(wrong.headers['content-type']).toContain('application/problem+json');
    expect(wrong.body.detail).toBe('API key is unknown or revoked');
    const notAdmin = await http().get('/ops/queues/').set('Authorization', `Bearer ${reader}`);
    expect(notAdmin.status).toBe(403);
    expect(notAdmin.text).not.toContain('bull-board');
    await revokeApiKey(db.ds, a.id);
    expect((await http().get('/ops/queues/api/queues').set('Authorization', `Bearer ${a.key}`)).status).toBe(401);
  });
  // Review 26c: the board refused a valid admin key by header from an address over its failure budget (429), while
  // the API, /ops and the sign-in form let it through: only failures are refused.
  it('lets a valid admin key by header through from an address over its failure budget; a bad one there is a 429', async () => {
    const blockedApp = await createTestApp(db, `{${uniqueName('t-board-limit')}}`, { TOKEN_SECRET: SECRET, AUTH_FAILURE_LIMIT: '2' });
    try {
      const h = () => request(blockedApp.getHttpServer());
      for (let i = 0; i < 3; i++) await h().get('/ops/queues/api/queues').set('Authorization', `Bearer pw_${'x'.repeat(43)}${i}`);
      const bad = await h().get('/ops/queues/api/queues').set('Authorization', `Bearer pw_${'y'.repeat(44)}`);
      expect(bad.status).toBe(429);
      expect(Number(bad.headers['retry-after'])).toBeGreaterThan(0);
      const valid = await createApiKey(db.ds, { name: 'admin-blocked-address', scopes: ['admin'] });
      const good = await h().get('/ops/queues/api/queues').set('Authorization', `Bearer ${valid.key}`);
      expect(good.status).toBe(200);
    } finally {
      await blockedApp.close();
    }
  });
});
