import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { PaperRef } from '@paperwire/contracts';
import { advanceStage, loadStageWork, type StageWork } from '@paperwire/db';
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
      await em.query(`DELETE FROM paper_claims WHERE paper_id = ANY($1::uuid[])`, [results.map((r) => r.ref.paperId)]);
      // a claim with a non-finite number would fail the INSERT for the whole batch: skip it, keep the rest
      const rows = claimRows(results, (paperId, claim) =>
        this.log.warn(
          { paperId, claim: claim.text, value: String(claim.value) },
          'claim with a non-finite number skipped',
        ),
      );
      if (rows.length > 0) {
        await em.query(
          `INSERT INTO paper_claims (paper_id, start, "end", text, value, low, unit, unit_text, category, kind, metric, improvement,
                                     baseline, compared_to, dataset, qualifier, is_headline, extractor_version, content_hash)
           SELECT x.paper_id, x.start, x."end", x.text, x.value, x.low, x.unit, x.unit_text, x.category, x.kind, x.metric, x.improvement,
                  x.baseline, x.compared_to, x.dataset, x.qualifier, x.is_headline, $2, x.content_hash
             FROM jsonb_to_recordset($1::jsonb) AS x(paper_id uuid, start int, "end" int, text text, value double precision,
                  low double precision, unit text, unit_text text, category text, kind text, metric text, improvement boolean,
                  baseline jsonb, compared_to text, dataset text, qualifier text, is_headline boolean, content_hash text)
           ON CONFLICT (paper_id, start, "end") DO NOTHING`,
          [JSON.stringify(rows), version],
        );
      }
      return advanceStage(
        em,
        'extracted',
        results.map((r) => r.ref),
        [{ column: 'extractor_version', values: results.map(() => version) }],
      );
    });
  }
}
