import type { Command } from 'commander';
import { listFailedJobs, retryAllFailedJobs, retryFailedJob } from '@paperwire/actions';
import { integerOption } from '../options';
import { out, printList } from '../output';
import { action, context } from '../runtime';

export function registerFailedCommands(program: Command): void {
  const failed = program.command('failed').description('the dead-letter set: failed jobs with their errors');
  failed
    .command('list')
    .description('failed jobs, newest first: queue, job id, name, attempts, when and why it failed')
    .option('--queue <name>', 'only this queue')
    .option('--limit <n>', 'the newest this many (1-100)', '100')
    .option('--json', 'JSON Lines (the default when stdout is not a terminal)')
    .action(
      action(async (o: { queue?: string; limit: string; json?: boolean }) => {
        const c = context();
        printList(await listFailedJobs(await c.db(), await c.queues(), { queue: o.queue, limit: integerOption('--limit', o.limit, 1, 100) }), o, ['queue', 'id', 'name', 'attemptsMade', 'failedAt', 'failedReason']);
      }),
    );
  failed
    .command('retry <queue> [jobId]')
    .description('retry one failed job, or all failed jobs of a queue')
    .action(
      action(async (queue: string, jobId?: string) => {
        const c = context();
        const [db, queues] = [await c.db(), await c.queues()];
        out(jobId === undefined ? await retryAllFailedJobs(db, queues, queue) : await retryFailedJob(db, queues, queue, jobId));
      }),
    );
}
