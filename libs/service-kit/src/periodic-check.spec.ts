import type { Logger } from '@paperwire/telemetry';
import { PeriodicCheck } from './periodic-check';

const logger = () => ({ debug: jest.fn() }) as unknown as Logger & { debug: jest.Mock };

describe('PeriodicCheck', () => {
  it('answers what the check answers', async () => {
    const check = new PeriodicCheck(logger(), 'failed', async () => true);
    await expect(check.run()).resolves.toBe(true);
  });

  it('skips a run asked for while one is in progress, and runs again after it', async () => {
    let release!: () => void;
    const calls = jest.fn(() => new Promise<boolean>((resolve) => (release = () => resolve(true))));
    const check = new PeriodicCheck(logger(), 'failed', calls);
    const first = check.run();
    await expect(check.run()).resolves.toBe(false);
    release();
    await expect(first).resolves.toBe(true);
    expect(calls).toHaveBeenCalledTimes(1);
    const third = check.run();
    release();
    await expect(third).resolves.toBe(true);
    expect(calls).toHaveBeenCalledTimes(2);
  });

  it('logs a failure at debug and answers false, and the next run goes ahead', async () => {
    const log = logger();
    const check = new PeriodicCheck(log, 'sync failed', jest.fn().mockRejectedValueOnce(new Error('ECONNREFUSED')).mockResolvedValue(true));
    await expect(check.run()).resolves.toBe(false);
    expect(log.debug).toHaveBeenCalledWith({ err: 'ECONNREFUSED' }, 'sync failed');
    await expect(check.run()).resolves.toBe(true);
  });
});
