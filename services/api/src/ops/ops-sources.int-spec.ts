import 'reflect-metadata';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { QUEUES } from '@paperwire/contracts';
import { createApiKey, recordSourceFailure, recordSourceSuccess } from '@paperwire/db';
import { TEST_REDIS_URL } from '@paperwire/testing';
import { useTestApi } from '../testing/use-test-api';

jest.setTimeout(120_000);

// A source created without `everySeconds` is never polled, and /ops said "enabled yes, lag never" as if it were
// late. It says "on demand" and how to fetch it; every source shows its poll interval, its next attempt (its
// schedule, a retry, a queued poll) and its failure streak (failed polls in a row, since when), not a bare count.

interface Health {
  name: string;
  everySeconds: number | null;
  nextAttemptAt: string | null;
  consecutiveFailures: number;
  failedPolls: number;
  failingSince: string | null;
}

describe('/ops and the stats: how and when each source is polled, and its failure streak', () => {
  const ids: Record<string, string> = {};
  let admin = '';
  const api = useTestApi('t_ops_sources', async (db) => {
    admin = (await createApiKey(db.ds, { name: 'admin', scopes: ['admin'] })).key;
    const rows: { id: string; name: string }[] = await db.ds.query(
      `INSERT INTO sources (name, kind, url, every_seconds, enabled) VALUES
         ('asked', 'arxiv-rss', 'https://rss.arxiv.org/rss/cs.CL', NULL, true),
         ('hourly', 'arxiv-rss', 'https://rss.arxiv.org/rss/cs.LG', 3600, true),
         ('resting', 'arxiv-rss', 'https://rss.arxiv.org/rss/cs.AI', 600, false)
       RETURNING id, name`,
    );
    for (const r of rows) ids[r.name] = r.id;
  });
  const cell = (html: string, id: string) => new RegExp(`data-testid="${id}">([^<]*)<`).exec(html)?.[1];
  const page = async () => (await api.http().get('/ops').expect(200)).text;
  const health = async (): Promise<Record<string, Health>> => {
    const body = (await api.http().get('/v1/stats/pipeline').expect(200)).body as { sources: Health[] };
    return Object.fromEntries(body.sources.map((s) => [s.name, s]));
  };

  it('on demand: says so and how to fetch it; scheduled: its interval and the schedule\'s next run', async () => {
    const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    const fetch = new Queue(QUEUES.fetch, { connection: redis, prefix: api.prefix });
    try {
      // the fetcher's schedule of `hourly` (as syncSourceSchedules writes it), and one left over for the disabled source
      const before = Date.now();
      for (const name of ['hourly', 'resting'])
        await fetch.upsertJobScheduler(`source-${ids[name]}`, { every: 3_600_000 }, { name: 'fetch-source', data: { sourceId: ids[name], reason: 'schedule' } });
      const scheduler = await fetch.getJobScheduler(`source-${ids.hourly}`);
      const s = await health();
      expect(s.asked).toMatchObject({ everySeconds: null, nextAttemptAt: null });
      expect(s.hourly!.everySeconds).toBe(3600);
      expect(s.hourly!.nextAttemptAt).toBe(new Date(scheduler!.next!).toISOString());
      expect(Date.parse(s.hourly!.nextAttemptAt!)).toBeGreaterThanOrEqual(before);
      // a disabled source's leftover schedule fetches nothing: no next attempt
      expect(s.resting!.nextAttemptAt).toBeNull();

      const html = await page();
      expect(cell(html, 'source-asked-polled')).toBe('on demand');
      expect(cell(html, 'source-asked-next-attempt')).toBe('when asked');
      expect(cell(html, 'source-asked-lag')).toBe('not fetched yet');
      expect(cell(html, 'source-hourly-polled')).toBe('every 1 h');
      expect(cell(html, 'source-hourly-next-attempt')).toBe(s.hourly!.nextAttemptAt!.replace('T', ' '));
      expect(cell(html, 'source-resting-polled')).toBe('every 10 min');
      expect(cell(html, 'source-resting-next-attempt')).toBe('disabled');

      // a poll asked for now (as `POST /v1/sources/{id}/poll` queues it) is the next attempt of the on-demand source
      await api.http().post(`/v1/sources/${ids.asked}/poll`).set('Authorization', `Bearer ${admin}`).expect(202);
      const asked = (await health()).asked!;
      expect(Math.abs(Date.parse(asked.nextAttemptAt ?? '') - Date.now())).toBeLessThan(60_000);
    } finally {
      await fetch.close();
      await redis.quit();
    }
  });

  it('a failure streak: since its first failed attempt, the polls that failed for good, the attempts; ended by a success', async () => {
    const ds = api.db.ds;
    // a first attempt that fails and will be retried: failing since now, no poll failed yet
    await recordSourceFailure(ds, ids.hourly!, 503, 'HTTP 503 from the feed', false);
    const first = (await health()).hourly!;
    expect([first.consecutiveFailures, first.failedPolls]).toEqual([1, 0]);
    expect(first.failingSince).not.toBeNull();
    expect(cell(await page(), 'source-hourly-failures')).toBe(`since ${first.failingSince!.replace('T', ' ')}: 1 failed attempt, its poll still retrying`);
    await new Promise((r) => setTimeout(r, 20));
    // its last attempt fails too: the poll failed; the next poll's first attempt as well, and that poll gives up at once
    await recordSourceFailure(ds, ids.hourly!, null, 'timeout: no answer', true);
    await recordSourceFailure(ds, ids.hourly!, 404, 'HTTP 404', true);
    const later = (await health()).hourly!;
    // the streak's start stays the first failure's time
    expect([later.consecutiveFailures, later.failedPolls, later.failingSince]).toEqual([3, 2, first.failingSince]);
    expect(cell(await page(), 'source-hourly-failures')).toBe(`since ${first.failingSince!.replace('T', ' ')}: 2 failed polls in a row (3 failed attempts, retries included)`);
    // the admin view (GET /v1/sources) says the same
    const viaSources = (await api.http().get(`/v1/sources/${ids.hourly}`).set('X-API-Key', admin).expect(200)).body;
    expect([viaSources.consecutiveFailures, viaSources.failedPolls, viaSources.failingSince]).toEqual([3, 2, first.failingSince]);
    // and `paperwire stats`
    const cli = await api.cli(['stats']);
    expect(cli.stdout).toContain(`source hourly failing since ${first.failingSince}: 2 failed polls in a row (3 failed attempts, retries included): HTTP 404`);
    await recordSourceSuccess(ds, ids.hourly!, { status: 200, items: 3 });
    expect((await health()).hourly).toMatchObject({ consecutiveFailures: 0, failedPolls: 0, failingSince: null });
    expect(cell(await page(), 'source-hourly-failures')).toBe('none');
  });
});
