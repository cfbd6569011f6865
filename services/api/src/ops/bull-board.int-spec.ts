import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createApiKey, revokeApiKey } from '@paperwire/db';
import { createTestDb, uniqueName, type TestDb } from '@paperwire/testing';
import { signSession, verifySession } from './bull-board';
import { createTestApp } from '../testing/app';

jest.setTimeout(60_000);

describe('Bull Board at /ops/queues behind the admin key', () => {
  let db: TestDb;
  let app: INestApplication;
  let admin: { id: string; key: string };
  let reader: string;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    db = await createTestDb('t_board');
    app = await createTestApp(db, `{${uniqueName('t-board')}}`);
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
    const good = signSession('k1', Math.floor(now / 1000) + 60, 'secret-secret-secret');
    expect(verifySession(good, 'secret-secret-secret', now)).toBe('k1');
    expect(verifySession(good, 'another-secret-value', now)).toBeNull();
    expect(verifySession(good.replace('k1', 'k2'), 'secret-secret-secret', now)).toBeNull();
    expect(
      verifySession(
        signSession('k1', Math.floor(now / 1000) - 1, 'secret-secret-secret'),
        'secret-secret-secret',
        now,
      ),
    ).toBeNull();
  });
});
