import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { PaperRef } from '@paperwire/contracts';
import {
  advanceStage,
  loadStageAbstracts,
  replacePaperClaims,
  type StageAbstract,
  type StageWork,
} from '@paperwire/db';
import { DATA_SOURCE, LOGGER } from '@paperwire/service-kit';
import type { Logger } from '@paperwire/telemetry';
import { claimRows, type PaperClaims } from './claim-rows';

@Injectable()
export class ClaimRepository {
  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  /** The batch's work with each paper's abstract only (the extractor reads nothing else of the paper). */
  loadWork(refs: PaperRef[]): Promise<StageWork<StageAbstract>> {
    return loadStageAbstracts(this.ds, refs, 'extracted');
  }

  /**
   * Moves the papers still at `classified` with the batch's hash to `extracted` (their stage rows
   * locked first, in id order), then replaces the claims of those only, in one transaction. A paper
   * another batch already extracted is left out (and not returned). Returns the refs that moved.
   */
  async save(results: PaperClaims[], version: string): Promise<PaperRef[]> {
    return this.ds.transaction(async (em: EntityManager) => {
      const moved = await advanceStage(
        em,
        'extracted',
        results.map((r) => r.ref),
        [{ column: 'extractor_version', values: results.map(() => version) }],
      );
      if (moved.length === 0) return moved;
      const ids = new Set(moved.map((r) => r.paperId));
      const mine = results.filter((r) => ids.has(r.ref.paperId));
      // a claim with a non-finite number would fail the INSERT for the whole batch: skip it, keep the rest
      const rows = claimRows(mine, (paperId, claim) =>
        this.log.warn(
          { paperId, claim: claim.text, value: String(claim.value) },
          'claim with a non-finite number skipped',
        ),
      );
      await replacePaperClaims(
        em,
        mine.map((r) => r.ref.paperId),
        rows,
        version,
      );
      return moved;
    });
  }
}
