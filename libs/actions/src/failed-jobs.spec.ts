import type { Job } from 'bullmq';
import type { Db } from '@paperwire/db';
import type { QueueSet } from '@paperwire/queue';
import { clearFailuresOfDelivered } from './failed-jobs';

// The notifier's removal of the failures a delivery ends: a lone delivery's own `deliver-<id>` job is found by its
// id wherever it sits in the failed set (past the newest `scan`), a batch's among the newest `scan` only.
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function fakes(failed: { id: string; data: object }[], status: Record<string, string>) {
  const removed: string[] = [];
  const job = (j: { id: string; data: object }) =>
    ({ ...j, remove: async () => void removed.push(j.id) }) as unknown as Job;
  const deliver = {
    getJobState: async (id: string) => (failed.some((j) => j.id === id) ? 'failed' : 'unknown'),
    getJob: async (id: string) => failed.filter((j) => j.id === id).map(job)[0],
    getFailed: async (start: number, end: number) => failed.slice(start, end + 1).map(job),
  };
  const queues = { get: () => deliver } as unknown as QueueSet;
  const db = {
    query: async (_sql: string, [ids]: [string[]]) =>
      ids.filter((id) => status[id]).map((id) => ({ id, status: status[id] })),
  } as unknown as Db;
  return { queues, db, removed };
}

describe('clearFailuresOfDelivered', () => {
  const [a, b, c, d] = [uuid(1), uuid(2), uuid(3), uuid(4)];

  it("finds a delivery's own job by its id past the scanned head, a batch's in the head once all of it is delivered", async () => {
    // newest first: a batch of b and c, another delivery's failure, then a's own job (past a head of 2)
    const failed = [
      { id: 'deliver-b2-x', data: { deliveryIds: [b, c] } },
      { id: `deliver-${d}`, data: { deliveryId: d } },
      { id: `deliver-${a}`, data: { deliveryId: a } },
    ];
    const f = fakes(failed, { [a]: 'delivered', [b]: 'delivered', [c]: 'failed', [d]: 'failed' });
    expect(await clearFailuresOfDelivered(f.db, f.queues, [a, b], 2)).toBe(1);
    expect(f.removed).toEqual([`deliver-${a}`]);

    const g = fakes(failed, { [a]: 'delivered', [b]: 'delivered', [c]: 'delivered', [d]: 'failed' });
    expect(await clearFailuresOfDelivered(g.db, g.queues, [c], 2)).toBe(1);
    expect(g.removed).toEqual(['deliver-b2-x']);
  });

  it('leaves a failure its delivery is not delivered since, and one of another delivery', async () => {
    const f = fakes(
      [
        { id: `deliver-${a}`, data: { deliveryId: a } },
        { id: `deliver-${d}`, data: { deliveryId: d } },
      ],
      { [a]: 'failed', [d]: 'delivered' },
    );
    expect(await clearFailuresOfDelivered(f.db, f.queues, [a])).toBe(0);
    expect(f.removed).toEqual([]);
  });
});
