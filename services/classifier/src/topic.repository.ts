import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { Classification, PaperRef } from '@paperwire/contracts';
import {
  advanceStage,
  loadStageWork,
  loadTopics,
  replacePaperTopics,
  seedTopics,
  topicsFingerprint,
  type StageWork,
  type TopicRow,
} from '@paperwire/db';
import { DATA_SOURCE } from '@paperwire/service-kit';

@Injectable()
export class TopicRepository {
  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {}

  loadWork(refs: PaperRef[]): Promise<StageWork> {
    return loadStageWork(this.ds, refs, 'classified');
  }

  topics(): Promise<TopicRow[]> {
    return loadTopics(this.ds);
  }

  fingerprint(): Promise<string> {
    return topicsFingerprint(this.ds);
  }

  seed(topics: { slug: string; name: string; description: string; keywords?: string[] }[]): Promise<number> {
    return seedTopics(this.ds, topics, 'default');
  }

  /** Replaces each paper's topics and moves it to `classified`, in one transaction. */
  async save(results: { ref: PaperRef; c: Classification }[]): Promise<PaperRef[]> {
    return this.ds.transaction(async (em: EntityManager) => {
      const ids = results.map((r) => r.ref.paperId);
      const rows = results.flatMap(({ ref, c }) =>
        c.topics.map((t) => ({
          paper_id: ref.paperId,
          topic_slug: t.slug,
          score: t.score,
          is_primary: t.slug === c.primaryTopic,
          evidence: t.evidence,
          model_version: c.version,
          content_hash: ref.contentHash,
        })),
      );
      await replacePaperTopics(em, ids, rows);
      return advanceStage(
        em,
        'classified',
        results.map((r) => r.ref),
        [
          { column: 'primary_topic', values: results.map((r) => r.c.primaryTopic) },
          { column: 'contribution', values: results.map((r) => r.c.contribution) },
          { column: 'predicted_category', values: results.map((r) => r.c.arxivCategory ?? null) },
          { column: 'classifier_version', values: results.map((r) => r.c.version) },
        ],
      );
    });
  }
}
