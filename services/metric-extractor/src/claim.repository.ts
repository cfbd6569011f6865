import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { PaperRef } from '@paperwire/contracts';
import { advanceStage, loadStageWork, replacePaperClaims, type StageWork } from '@paperwire/db';
import { DATA_SOURCE, LOGGER } from '@paperwire/service-kit';
import type { Logger } from '@paperwire/telemetry';
import { claimRows, type PaperClaims } from './claim-rows';

@Injectable()
export class ClaimRepository {
  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  loadWork(refs: PaperRef[]): Promise<StageWork> {
    return loadStageWork(this.ds, refs, 'extracted');
  }

  /** Replaces each paper's claims and moves it to `extracted`, in one transaction. */
  async save(results: PaperClaims[], version: string): Promise<PaperRef[]> {
    return this.ds.transaction(async (em: EntityManager) => {
      // a claim with a non-finite number would fail the INSERT for the whole batch: skip it, keep the rest
      const rows = claimRows(results, (paperId, claim) =>
        this.log.warn(
          { paperId, claim: claim.text, value: String(claim.value) },
          'claim with a non-finite number skipped',
        ),
      );
      await replacePaperClaims(
        em,
        results.map((r) => r.ref.paperId),
        rows,
        version,
      );
      return advanceStage(
        em,
        'extracted',
        results.map((r) => r.ref),
        [{ column: 'extractor_version', values: results.map(() => version) }],
      );
    });
  }
}
