import { loadStageWork } from '@paperwire/db';
import { extractClaims, headlineClaim } from '@paperwire/metrics';
import { raceTwoBatches, seedBarePapers } from '@paperwire/testing';
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
      const refs = await seedBarePapers(db().ds, 40, `r${round}`, { stage: 'classified', abstract });
      const by = await raceTwoBatches(refs, (batch, v) =>
        repo.save(
          batch.map((ref) => ({ ref, claims, headline: headlineClaim(claims) })),
          `ext-${v}`,
        ),
      );
      expect([...by.keys()].sort()).toEqual(refs.map((r) => r.paperId).sort());

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
        const version = `ext-${by.get(r.id)}`;
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

  it('loadWork: splits the refs of a job as loadStageWork does, with the abstract alone', async () => {
    const todo = await seedBarePapers(db().ds, 3, 'abs-todo', {
      stage: 'classified',
      abstract: 'An abstract.',
    });
    const done = await seedBarePapers(db().ds, 2, 'abs-done', { stage: 'extracted' });
    const early = await seedBarePapers(db().ds, 1, 'abs-early', { stage: 'parsed' });
    const refs = [
      ...todo,
      ...done,
      ...early,
      { paperId: todo[0]!.paperId, contentHash: 'an older hash' },
      { paperId: '00000000-0000-4000-8000-000000000000', contentHash: 'x' },
    ];
    const full = await loadStageWork(db().ds, refs, 'extracted');
    const work = await repo.loadWork(refs);
    expect(work).toEqual({
      ...full,
      todo: full.todo.map(({ id, abstract, contentHash, stage }) => ({ id, abstract, contentHash, stage })),
    });
    expect(work.todo.map((p) => p.abstract)).toEqual(['An abstract.', 'An abstract.', 'An abstract.']);
    expect(work.done).toHaveLength(2);
    expect(work.skipped).toBe(3);
  });

  it('replaces the claims of the papers that moved only, with the same spans as before, and warns of an unstorable claim', async () => {
    const abstract = 'Our method improves accuracy from 80.1% to 85.2% on ImageNet and runs 3x faster.';
    const claims = extractClaims(abstract);
    const [a, b, late] = await seedBarePapers(db().ds, 3, 'one-statement', { stage: 'classified', abstract });
    await db().ds.query(`UPDATE paper_stages SET stage = 'extracted' WHERE paper_id = $1`, [late!.paperId]);
    // a's earlier extraction left claims on the same spans and one the new one no longer finds
    for (const [start, end] of [
      [claims[0]!.start, claims[0]!.end],
      [0, 3],
    ])
      await db().ds.query(
        `INSERT INTO paper_claims (paper_id, start, "end", text, value, unit, category, kind, extractor_version, content_hash)
         VALUES ($1, $2, $3, 'old', 1, '%', 'result', 'absolute_score', 'ext-old', 'old-hash')`,
        [a!.paperId, start, end],
      );
    const warned: unknown[] = [];
    const log = { warn: (o: unknown) => warned.push(o) } as unknown as Logger;
    const bad = { ...claims[0]!, start: 200, end: 201, text: 'inf', value: Infinity };
    const moved = await new ClaimRepository(db().ds, log).save(
      [
        { ref: a!, claims, headline: headlineClaim(claims) },
        { ref: b!, claims: [], headline: null },
        { ref: late!, claims: [bad], headline: null },
      ],
      'ext-C',
    );
    expect(moved).toEqual([a!, b!].sort((x, y) => (x.paperId < y.paperId ? -1 : 1)));
    // the late paper was not moved: its unstorable claim is not reported
    expect(warned).toEqual([]);
    const rows: { start: number; end: number; text: string; extractor_version: string; hash_ok: boolean }[] =
      await db().ds.query(
        `SELECT start, "end", text, extractor_version, content_hash = $2 AS hash_ok FROM paper_claims WHERE paper_id = $1 ORDER BY start`,
        [a!.paperId, a!.contentHash],
      );
    expect(rows).toEqual(
      claims.map((c) => ({
        start: c.start,
        end: c.end,
        text: c.text,
        extractor_version: 'ext-C',
        hash_ok: true,
      })),
    );
    expect(
      await db().ds.query(
        `SELECT stage, extractor_version, extracted_at IS NOT NULL AS at FROM paper_stages WHERE paper_id = ANY($1::uuid[]) ORDER BY paper_id`,
        [[a!.paperId, b!.paperId]],
      ),
    ).toEqual([
      { stage: 'extracted', extractor_version: 'ext-C', at: true },
      { stage: 'extracted', extractor_version: 'ext-C', at: true },
    ]);
    const [c] = await seedBarePapers(db().ds, 1, 'one-statement-bad', { stage: 'classified', abstract });
    await new ClaimRepository(db().ds, log).save(
      [{ ref: c!, claims: [claims[0]!, bad], headline: null }],
      'ext-C',
    );
    expect(warned).toEqual([{ paperId: c!.paperId, claim: 'inf', value: 'Infinity' }]);
  });
});
