import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createTestDb, dropQueuePrefix, seedPaper, uniqueName, type TestDb } from '@paperwire/testing';
import { createTestApp } from '../testing/app';

jest.setTimeout(60_000);

// `since=2026-06-01T12:00:00+01:00` typed or pasted into a URL: form decoding turns the unescaped `+` into a space, and
// the API answered "since must be a valid ISO 8601 date or date-time (got 2026-06-01T12:00:00 01:00)". A space before
// an offset can only have been a `+`: it is read as one, on /v1/papers and /v1/claims alike; other text stays a 400.
describe('a UTC offset whose + arrived as a space', () => {
  let db: TestDb;
  let app: INestApplication;
  let prefix: string;

  beforeAll(async () => {
    db = await createTestDb('t_date_offsets');
    prefix = `{${uniqueName('t-offsets')}}`;
    app = await createTestApp(db, prefix);
    await seedPaper(db.ds, { title: 'Early paper', abstract: 'Before.', arxivId: '2606.00001', publishedAt: '2026-06-01T10:30:00Z' });
    await seedPaper(db.ds, { title: 'Late paper', abstract: 'After.', arxivId: '2606.00002', publishedAt: '2026-06-01T11:30:00Z' });
  });

  afterAll(async () => {
    await app?.close();
    await dropQueuePrefix(prefix);
    await db?.drop();
  });

  const titles = async (query: string) => {
    const r = await request(app.getHttpServer()).get(`/v1/papers?${query}`);
    return { status: r.status, titles: r.status === 200 ? (r.body as { items: { title: string }[] }).items.map((p) => p.title) : r.text };
  };

  it('reads " 01:00" after a time as "+01:00", as the escaped %2B is read', async () => {
    // 12:00+01:00 is 11:00Z: only the late paper is on or after it
    expect(await titles('since=2026-06-01T12:00:00%2B01:00')).toEqual({ status: 200, titles: ['Late paper'] });
    expect(await titles('since=2026-06-01T12:00:00+01:00')).toEqual({ status: 200, titles: ['Late paper'] });
    expect(await titles('until=2026-06-01T12:00:00+0100')).toEqual({ status: 200, titles: ['Early paper'] });
    const claims = await request(app.getHttpServer()).get('/v1/claims?since=2026-06-01T12:00:00+01:00');
    expect(claims.status).toBe(200);
  });

  it('text that is no date-time stays a 400 naming the parameter', async () => {
    const r = await titles('since=2026-06-01T12:00:00+25:00');
    expect(r.status).toBe(400);
    expect(r.titles).toContain('since must be a valid ISO 8601 date or date-time');
    expect((await titles('since=yesterday+01:00')).status).toBe(400);
  });
});
