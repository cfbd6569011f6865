import { Inject, Injectable } from '@nestjs/common';
import type { PaperRef } from '@paperwire/contracts';
import type { CommonEnv } from '@paperwire/config';
import { EXTRACTOR_VERSION, extractClaims, headlineClaim } from '@paperwire/metrics';
import type { QueueSet } from '@paperwire/queue';
import { CONFIG, Metrics, QUEUE_SET, mapYielding } from '@paperwire/service-kit';
import { ClaimRepository } from './claim.repository';

@Injectable()
export class ExtractorService {
  constructor(
    private readonly repo: ClaimRepository,
    @Inject(QUEUE_SET) private readonly queues: QueueSet,
    @Inject(CONFIG) private readonly config: CommonEnv,
    private readonly metrics: Metrics,
  ) {}

  async handleExtractClaims(refs: PaperRef[]): Promise<{ extracted: number; claims: number; passed: number; skipped: number }> {
    const work = await this.repo.loadWork(refs);
    let claimCount = 0;
    const results = await mapYielding(work.todo, (p) => {
      const claims = extractClaims(p.abstract);
      claimCount += claims.length;
      return { ref: { paperId: p.id, contentHash: p.contentHash }, claims, headline: headlineClaim(claims, p.abstract) };
    });
    const moved = results.length > 0 ? await this.repo.save(results, EXTRACTOR_VERSION) : [];
    await this.queues.enqueueNext('extracted', [...moved, ...work.done], this.config.BATCH_SIZE);
    this.metrics.papers.inc({ stage: 'extracted' }, moved.length);
    return { extracted: moved.length, claims: claimCount, passed: work.done.length, skipped: work.skipped };
  }
}
