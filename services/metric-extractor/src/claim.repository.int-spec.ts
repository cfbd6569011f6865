import type { PaperRef } from '@paperwire/contracts';
import { extractClaims, headlineClaim } from '@paperwire/metrics';
import { useTestDb } from '@paperwire/testing/jest';
import type { Logger } from '@paperwire/telemetry';
import { ClaimRepository } from './claim.repository';

// Two extract batches holding the same papers run at once: each paper's claims are written by exactly
// one of them, once per content hash, and neither fails.
describe('ClaimRepository.save under concurrent batches (Postgres)', () => {
  const db = useTestDb('extract_race');
  let repo: ClaimRepository;
  const quiet = { warn: () => undefined } as unknown as Logger;

  beforeAll(() => {
    repo = new ClaimRepository(db().ds, quiet);
  });

  it('extracts each paper once when two overlapping batches save at the same time', async () => {
    const abstract =
      'Our method improves accuracy by 4.2% on GLUE and runs 3x faster than LoRA with 7B parameters.';
    const claims = extractClaims(abstract);
    expect(claims.length).toBeGreaterThan(0);
    for (let round = 0; round < 3; round++) {
      const refs: PaperRef[] = (
        await db().ds.query(
          `INSERT INTO papers (paper_key, title, abstract, content_hash)
           SELECT 'title:' || $1 || '-' || i, 'Paper ' || i, $2, md5($1 || i::text) FROM generate_series(1, 40) i RETURNING id, content_hash`,
          [`r${round}`, abstract],
        )
      ).map((r: { id: string; content_hash: string }) => ({ paperId: r.id, contentHash: r.content_hash }));
      await db().ds.query(`UPDATE paper_stages SET stage = 'classified' WHERE paper_id = ANY($1::uuid[])`, [
        refs.map((r) => r.paperId),
      ]);
      const results = (rs: PaperRef[]) => rs.map((ref) => ({ ref, claims, headline: headlineClaim(claims) }));
      const [movedA, movedB] = await Promise.all([
        repo.save(results(refs.slice(0, 30)), 'ext-A'),
        repo.save(results([...refs].reverse()), 'ext-B'),
      ]);

      const byA = new Set(movedA.map((r) => r.paperId));
      expect(movedB.filter((r) => byA.has(r.paperId))).toEqual([]);
      expect(byA.size + movedB.length).toBe(refs.length);
      const rows: {
        id: string;
        stage: string;
        extractor_version: string;
        claims: number;
        versions: string[];
      }[] = await db().ds.query(
        `SELECT s.paper_id AS id, s.stage, s.extractor_version, count(c.*)::int AS claims, array_agg(DISTINCT c.extractor_version) AS versions
           FROM paper_stages s LEFT JOIN paper_claims c ON c.paper_id = s.paper_id
          WHERE s.paper_id = ANY($1::uuid[]) GROUP BY s.paper_id, s.stage, s.extractor_version`,
        [refs.map((r) => r.paperId)],
      );
      for (const r of rows) {
        const version = byA.has(r.id) ? 'ext-A' : 'ext-B';
        expect(r).toEqual({
          id: r.id,
          stage: 'extracted',
          extractor_version: version,
          claims: claims.length,
          versions: [version],
        });
      }
    }
  }, 60_000);
});
