import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { PaperRef } from '@paperwire/contracts';
import type { CommonEnv } from '@paperwire/config';
import { classifierForStoredTopics, loadDefaultModel, loadDefaultTaxonomy, type Classifier, type ClassifierModel } from '@paperwire/classification';
import type { QueueSet } from '@paperwire/queue';
import { CONFIG, LOGGER, Metrics, QUEUE_SET, mapYielding } from '@paperwire/service-kit';
import type { Logger } from '@paperwire/telemetry';
import { TopicRepository } from './topic.repository';

/** How often the taxonomy in Postgres is checked for edits (added or changed topics). */
const TAXONOMY_CHECK_MS = 5_000;

@Injectable()
export class ClassifierService implements OnModuleInit {
  private model!: ClassifierModel;
  private classifier: Classifier | undefined;
  private fingerprint = '';
  private checkedAt = 0;

  constructor(
    private readonly repo: TopicRepository,
    @Inject(QUEUE_SET) private readonly queues: QueueSet,
    @Inject(CONFIG) private readonly config: CommonEnv,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly metrics: Metrics,
  ) {}

  async onModuleInit(): Promise<void> {
    // model.json (keyword model) + linear-model.json.gz (learned heads), read once at start-up
    this.model = loadDefaultModel();
    this.log.info({ model: this.model.version, learned: this.model.linear?.version ?? null }, 'classifier model loaded');
    // The default taxonomy is data shipped with the project; make sure it is in Postgres.
    await this.repo.seed(loadDefaultTaxonomy());
    await this.current();
  }

  /** The classifier for the taxonomy as it is now in Postgres (rebuilt when topics change). */
  private async current(): Promise<Classifier> {
    if (this.classifier && Date.now() - this.checkedAt < TAXONOMY_CHECK_MS) return this.classifier;
    const fingerprint = await this.repo.fingerprint();
    this.checkedAt = Date.now();
    if (!this.classifier || fingerprint !== this.fingerprint) {
      const topics = await this.repo.topics();
      // The default topics get their shipped weak keywords back (Postgres keeps none), so the running
      // classifier is the one the evaluations measure and the one `reclassify` names.
      this.classifier = classifierForStoredTopics(topics, this.model);
      this.fingerprint = fingerprint;
      this.log.info({ topics: topics.length, version: this.classifier.version }, 'classifier ready');
    }
    return this.classifier;
  }

  async handleClassifyPapers(refs: PaperRef[]): Promise<{ classified: number; passed: number; skipped: number }> {
    const work = await this.repo.loadWork(refs);
    const classifier = await this.current();
    const results = await mapYielding(work.todo, (p) => ({
      ref: { paperId: p.id, contentHash: p.contentHash },
      c: classifier.classify({ title: p.title, abstract: p.abstract, categories: p.categories }),
    }));
    const moved = results.length > 0 ? await this.repo.save(results) : [];
    const next = [...moved, ...work.done];
    await this.queues.enqueueNext('classified', next, this.config.BATCH_SIZE);
    this.metrics.papers.inc({ stage: 'classified' }, moved.length);
    return { classified: moved.length, passed: work.done.length, skipped: work.skipped };
  }
}
