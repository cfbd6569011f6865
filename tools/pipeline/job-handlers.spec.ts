import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_QUEUES, JOB_NAMES, handlerProblems, type HandlerRegistration } from '@paperwire/contracts';
import type { StageWorker } from '@paperwire/service-kit';
import { REPO_ROOT } from '@paperwire/testing';
import { FetchProcessor } from '../../services/fetcher/src/fetcher.processors';
import { ParseProcessor, SearchProcessor } from '../../services/parser/src/parse.processor';
import { ClassifyProcessor } from '../../services/classifier/src/classify.processor';
import { ExtractProcessor } from '../../services/metric-extractor/src/extract.processor';
import { DeliverProcessor, NotifyProcessor } from '../../services/notifier/src/notifier.processors';
import { SweepProcessor } from '../../services/sweeper/src/sweep.processor';

// Every job of the pipeline table has exactly one handler across all the services (the stages, the
// notifier and the sweeper): what each
// process checks for itself at start-up (StageWorker.onApplicationBootstrap), checked here for
// the whole system. The handlers close over their services lazily, so no service is needed to list them.
type WorkerClass = new (...args: never[]) => StageWorker;
const WORKERS: WorkerClass[] = [
  FetchProcessor,
  ParseProcessor,
  SearchProcessor,
  ClassifyProcessor,
  ExtractProcessor,
  NotifyProcessor,
  DeliverProcessor,
  SweepProcessor,
];

function registrationOf(Worker: WorkerClass): HandlerRegistration {
  const Ctor = Worker as unknown as new (...args: unknown[]) => StageWorker;
  // Constructors take their services and the config (CONCURRENCY is optional everywhere).
  return new Ctor({}, {}, {}).registration();
}

/** Class names of every StageWorker subclass under services/ (so a new processor cannot be left out). */
function stageWorkersInSources(): string[] {
  const names: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.ts$/.test(entry.name) && !/spec\.ts$/.test(entry.name))
        for (const m of readFileSync(path, 'utf8').matchAll(/class (\w+) extends StageWorker\b/g)) names.push(m[1]);
    }
  };
  walk(join(REPO_ROOT, 'services'));
  return names.sort();
}

describe('job handlers of all services', () => {
  const registrations = WORKERS.map(registrationOf);

  it('cover every stage worker in the sources', () => {
    expect(registrations.map((r) => r.owner).sort()).toEqual(stageWorkersInSources());
  });

  it('give every job of the pipeline table exactly one handler, on its own queue', () => {
    expect(handlerProblems(registrations, ALL_QUEUES)).toEqual([]);
    expect(registrations.flatMap((r) => r.jobs).sort()).toEqual([...JOB_NAMES].sort());
  });

  it('would report a job left without a handler, or handled twice', () => {
    const [first, ...rest] = registrations;
    expect(handlerProblems(rest, ALL_QUEUES)).toEqual(
      first.jobs.map((job) => `job "${job}" (queue ${first.queue}) has no handler`),
    );
    expect(handlerProblems([...registrations, first], ALL_QUEUES)).toHaveLength(first.jobs.length);
  });
});
