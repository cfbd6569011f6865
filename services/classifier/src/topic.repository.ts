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
  writeClassifications,
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

  /**
   * Moves the papers still at `parsed` with the batch's hash to `classified` (their stage rows
   * locked first, in id order), then replaces the topics and writes the classification of those
   * only, in one transaction. A paper another batch already classified is left out (and not
   * returned), never written twice. Returns the refs that moved.
   */
  async save(results: { ref: PaperRef; c: Classification }[]): Promise<PaperRef[]> {
    return this.ds.transaction(async (em: EntityManager) => {
      const moved = await advanceStage(
        em,
        'classified',
        results.map((r) => r.ref),
      );
      if (moved.length === 0) return moved;
      const ids = new Set(moved.map((r) => r.paperId));
      const mine = results.filter((r) => ids.has(r.ref.paperId));
      const rows = mine.flatMap(({ ref, c }) =>
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
      await replacePaperTopics(
        em,
        mine.map((r) => r.ref.paperId),
        rows,
      );
      await writeClassifications(
        em,
        mine.map(({ ref, c }) => ({
          paperId: ref.paperId,
          primaryTopic: c.primaryTopic,
          contribution: c.contribution,
          predictedCategory: c.arxivCategory ?? null,
          classifierVersion: c.version,
        })),
      );
      return moved;
    });
  }
}
