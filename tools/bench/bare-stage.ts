// One hop of the bare BullMQ chain used as a floor by the benchmark: an empty processor that adds
// one job to the next queue per job (one job per paper per stage), one process per stage.
import { Queue, Worker } from 'bullmq';
import { createRedis } from '@paperwire/queue';

const [, , stage, stages, prefix, redisUrl] = process.argv;
const k = Number(stage);
const last = k === Number(stages) - 1;
const connection = createRedis(redisUrl);
const next = last ? null : new Queue(`bare-${k + 1}`, { connection, prefix });
const worker = new Worker(
  `bare-${k}`,
  async (job) => {
    if (next) await next.add('hop', job.data, { removeOnComplete: true, removeOnFail: true });
  },
  { connection: createRedis(redisUrl), prefix, concurrency: 8, removeOnComplete: { count: 1 }, removeOnFail: { count: 1000 } },
);
let done = 0;
worker.on('completed', () => {
  done += 1;
});
setInterval(() => process.stdout.write(`${JSON.stringify({ stage: k, done })}\n`), 250).unref();
process.stdout.write(`${JSON.stringify({ event: 'ready', service: `bare-${k}`, port: 0 })}\n`);
const stop = async () => {
  await worker.close();
  await next?.close();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
