import { pollAllSources } from '@paperwire/actions';
import { commonEnvSchema, loadConfig } from '@paperwire/config';
import { QUEUES } from '@paperwire/contracts';
import { createLogger } from '@paperwire/telemetry';
import { useTestStores } from '@paperwire/testing/jest';
import { SchedulerService } from './scheduler.service';
import { SourceRepository } from './source.repository';

// `npm start` polled each live source twice at once: the fetcher's new `every` schedule fires at once and `up`
// polled every source as well (16 failed attempts in 2 minutes offline). A start polls each source once, and a
// restart adds no poll to a schedule. Real Postgres and Redis: the fetch jobs are the queue's own.
describe('the polls at start-up (Postgres + Redis)', () => {
  const stores = useTestStores('start_polls');

  /** fetch jobs due now (not a later scheduled slot), per source id */
  const dueNow = async (): Promise<Record<string, number>> => {
    const jobs = await stores().queues.get(QUEUES.fetch).getJobs(['waiting', 'delayed', 'prioritized', 'paused'], 0, 1000);
    const out: Record<string, number> = {};
    for (const j of jobs) {
      if (!j || j.timestamp + (j.opts.delay ?? 0) > Date.now() + 5_000) continue;
      const id = (j.data as { sourceId: string }).sourceId;
      out[id] = (out[id] ?? 0) + 1;
    }
    return out;
  };

  it('polls a scheduled source once (its schedule) and a source without one once (up), and a restart adds no poll to the schedule', async () => {
    const { db, queues, redis, prefix } = stores();
    const [{ id: live }] = await db.ds.query(
      `INSERT INTO sources (name, kind, url, every_seconds) VALUES ('arxiv-rss-cs', 'arxiv-rss', 'https://rss.arxiv.org/rss/cs.CL', 3600) RETURNING id`,
    );
    const [{ id: sample }] = await db.ds.query(
      `INSERT INTO sources (name, kind, url, params) VALUES ('sample', 'file', '/tmp/none.json', '{"format":"hf-daily-papers"}') RETURNING id`,
    );
    // an operator's source added without --every: polled only by `sources poll`, never by a start
    await db.ds.query(`INSERT INTO sources (name, kind, url) VALUES ('on-demand', 'arxiv-rss', 'https://rss.arxiv.org/rss/cs.AI')`);
    const config = loadConfig(commonEnvSchema, { RECONCILE_EVERY_SECONDS: '60', QUEUE_PREFIX: prefix });
    const start = async () => {
      // the fetcher's bootstrap, then `up` once the services are ready (its bundled samples by name)
      await new SchedulerService(new SourceRepository(db.ds), queues, redis, config, createLogger('t', 'silent')).syncSourceSchedules();
      return pollAllSources(db.ds, queues, { unscheduledOnly: true, names: ['sample', 'arxiv-rss-cs'] });
    };
    expect(await start()).toEqual(['sample']);
    expect(await dueNow()).toEqual({ [live]: 1, [sample]: 1 });
    await start(); // a restart before anything ran: still one poll of the live source, none of the on-demand one
    expect((await dueNow())[live]).toBe(1);
    expect(Object.keys(await dueNow()).sort()).toEqual([live, sample].sort());
  });
});
