import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { Claim, PaperRef } from '@paperwire/contracts';
import { loadStageAbstracts, saveExtractions, type StageAbstract, type StageWork } from '@paperwire/db';
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
   * locked first, in id order), then replaces the claims of those only, in one statement
   * (`saveExtractions`). A paper another batch already extracted is left out (and not returned).
   * Returns the refs that moved.
   */
  async save(results: PaperClaims[], version: string): Promise<PaperRef[]> {
    // a claim with a non-finite number would fail the INSERT for the whole batch: skip it, keep the rest
    const skipped: { paperId: string; claim: Claim }[] = [];
    const rows = claimRows(results, (paperId, claim) => skipped.push({ paperId, claim }));
    const moved = await saveExtractions(
      this.ds,
      results.map((r) => r.ref),
      rows,
      version,
    );
    if (skipped.length > 0) {
      // reported for the papers that moved only, as their claims alone were written
      const ids = new Set(moved.map((r) => r.paperId));
      for (const { paperId, claim } of skipped)
        if (ids.has(paperId))
          this.log.warn(
            { paperId, claim: claim.text, value: String(claim.value) },
            'claim with a non-finite number skipped',
          );
    }
    return moved;
  }
}
