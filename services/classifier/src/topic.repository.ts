import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { Classification, PaperRef } from '@paperwire/contracts';
import {
  loadStageWork,
  loadTopics,
  saveClassifications,
  seedTopics,
  topicsFingerprint,
  type ClassifiedTopic,
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

  /**
   * Moves the papers still at `parsed` with the batch's hash to `classified` (their stage rows
   * locked first, in id order), then replaces the topics and writes the classification of those
   * only, in one statement (`saveClassifications`). A paper another batch already classified is left
   * out (and not returned), never written twice. Returns the refs that moved.
   */
  save(results: { ref: PaperRef; c: Classification }[]): Promise<PaperRef[]> {
    const topics: ClassifiedTopic[] = [];
    for (const { ref, c } of results)
      for (const t of c.topics)
        topics.push({
          paper_id: ref.paperId,
          topic_slug: t.slug,
          score: t.score,
          is_primary: t.slug === c.primaryTopic,
          evidence: t.evidence,
        });
    return saveClassifications(
      this.ds,
      results.map(({ ref, c }) => ({
        paperId: ref.paperId,
        contentHash: ref.contentHash,
        primaryTopic: c.primaryTopic,
        contribution: c.contribution,
        predictedCategory: c.arxivCategory ?? null,
        classifierVersion: c.version,
      })),
      topics,
    );
  }
}
