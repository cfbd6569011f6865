import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { createApiKey, createDataSource, ensureDatabase, migrate } from '@paperwire/db';
import { DATA_SOURCE } from '@paperwire/service-kit';
import { ScratchPostgres, seedPaper, seedSource, type TestDb, uniqueName, waitFor } from '@paperwire/testing';
import { READ_DATA_SOURCE } from './common/read-db';
import { createTestApp } from './testing/app';

jest.setTimeout(120_000);

// DATABASE_READ_URL sends the api's reads to a streaming replica: a scratch primary (initdb) and a
// real replica (pg_basebackup -R) on free ports. Rows written on the primary reach the api's reads
// only through replication; pausing the replica's replay holds them back, which proves where reads go.
describe('reads from a streaming replica (DATABASE_READ_URL)', () => {
  let primary: ScratchPostgres;
  let replica: ScratchPostgres;
  let db: TestDb;
  let app: INestApplication;
  let replicaAdmin: DataSource;
  const schema = uniqueName('t_replica');

  beforeAll(async () => {
    primary = await ScratchPostgres.primary();
    const url = primary.urlFor('test');
    await ensureDatabase(url, schema);
    const ds = await createDataSource({ url, schema, poolSize: 2 }).initialize();
    await migrate(ds);
    db = { ds, schema, url, drop: async () => undefined };
    replica = await ScratchPostgres.replicaOf(primary);
    replicaAdmin = await createDataSource({ url: replica.urlFor('test'), schema, poolSize: 1 }).initialize();
    app = await createTestApp(db, `{${uniqueName('t-replica')}}`, { DATABASE_READ_URL: replica.urlFor('test') });
  });

  afterAll(async () => {
    await app?.close();
    await replicaAdmin?.destroy().catch(() => undefined);
    await db?.ds.destroy().catch(() => undefined);
    replica?.destroy();
    primary?.destroy();
  });

  it('reads through the replica: in recovery, and rows arrive by replication', async () => {
    const read = app.get<DataSource>(READ_DATA_SOURCE);
    const write = app.get<DataSource>(DATA_SOURCE);
    expect(read).not.toBe(write);
    expect((await read.query('SELECT pg_is_in_recovery() AS r'))[0].r).toBe(true);
    expect((await write.query('SELECT pg_is_in_recovery() AS r'))[0].r).toBe(false);

    const hf = await seedSource(db.ds, 'hf', 'hf-daily-papers');
    const first = await seedPaper(db.ds, {
      title: 'Replicated paper',
      abstract: 'Written on the primary.',
      sightings: [{ sourceId: hf, sourceKind: 'hf-daily-papers', upvotes: 5, featuredAt: '2026-05-04T10:00:00Z' }],
    });
    const found = await waitFor('the paper through the replica', async () => {
      const res = await request(app.getHttpServer()).get(`/v1/papers/${first}`);
      return res.status === 200 ? res.body : undefined;
    });
    expect(found.title).toBe('Replicated paper');
    const day = await request(app.getHttpServer()).get('/v1/daily?date=2026-05-04').expect(200);
    expect(day.body.items.map((i: { id: string }) => i.id)).toEqual([first]);

    // Replay paused on the replica: a paper committed on the primary is not visible to the api's
    // reads until replay resumes (so the reads cannot be going to the primary).
    await replicaAdmin.query('SELECT pg_wal_replay_pause()');
    await waitFor('replay paused', async () => (await replicaAdmin.query(`SELECT pg_get_wal_replay_pause_state() AS s`))[0].s === 'paused');
    const second = await seedPaper(db.ds, { title: 'Held back', abstract: 'Not replayed yet.' });
    expect((await db.ds.query('SELECT count(*)::int AS n FROM papers WHERE id = $1', [second]))[0].n).toBe(1);
    await request(app.getHttpServer()).get(`/v1/papers/${second}`).expect(404);
    await replicaAdmin.query('SELECT pg_wal_replay_resume()');
    await waitFor('the held-back paper after replay resumes', async () => (await request(app.getHttpServer()).get(`/v1/papers/${second}`)).status === 200);
  });

  it('keeps writes and read-your-writes on the primary', async () => {
    // Replay paused: a key created a moment ago is accepted, and a subscription created through the
    // api is answered at once: the key check, the insert and the owner's reads use the primary.
    await replicaAdmin.query('SELECT pg_wal_replay_pause()');
    try {
      const key = await createApiKey(db.ds, { name: 'replica-test', scopes: ['subscriptions'] });
      const created = await request(app.getHttpServer())
        .post('/v1/subscriptions')
        .set('X-API-Key', key.key)
        .send({ channel: 'email', target: 'reader@example.org' })
        .expect(201);
      const again = await request(app.getHttpServer()).get(`/v1/subscriptions/${created.body.id}`).set('X-API-Key', key.key).expect(200);
      expect(again.body.id).toBe(created.body.id);
      // …and the replica has not replayed it yet.
      expect((await replicaAdmin.query('SELECT count(*)::int AS n FROM subscriptions WHERE id = $1', [created.body.id]))[0].n).toBe(0);
    } finally {
      await replicaAdmin.query('SELECT pg_wal_replay_resume()');
    }
  });
});
