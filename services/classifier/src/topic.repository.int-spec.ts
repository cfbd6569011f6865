import type { Classification, PaperRef } from '@paperwire/contracts';
import { seedTopic } from '@paperwire/testing';
import { useTestDb } from '@paperwire/testing/jest';
import { TopicRepository } from './topic.repository';

// Two classify batches holding the same papers (a re-delivered job, a sweeper re-enqueue racing the
// original) run at once: each paper is classified by exactly one of them, once per content hash, and
// neither fails (no `duplicate key … paper_topics`, so no batch is split into single-paper jobs).
describe('TopicRepository.save under concurrent batches (Postgres)', () => {
  const db = useTestDb('classify_race');
  let repo: TopicRepository;

  beforeAll(async () => {
    repo = new TopicRepository(db().ds);
    for (const slug of ['peft', 'rag', 'agents']) await seedTopic(db().ds, slug);
  });

  const seedParsed = async (n: number, tag: string): Promise<PaperRef[]> => {
    const rows: { id: string; content_hash: string }[] = await db().ds.query(
      `INSERT INTO papers (paper_key, title, abstract, content_hash)
       SELECT 'title:' || $1 || '-' || i, 'Paper ' || $1 || ' ' || i, 'Abstract ' || i, md5($1 || i::text) FROM generate_series(1, $2) i
       RETURNING id, content_hash`,
      [tag, n],
    );
    return rows.map((r) => ({ paperId: r.id, contentHash: r.content_hash }));
  };
  const classification = (version: string): Classification => ({
    topics: [
      { slug: 'peft', score: 0.9, evidence: ['adapter'] },
      { slug: 'rag', score: 0.4, evidence: ['retrieval'] },
    ],
    primaryTopic: 'peft',
    contribution: 'method',
    arxivCategory: 'cs.LG',
    version,
  });

  it('classifies each paper once when two overlapping batches save at the same time', async () => {
    for (let round = 0; round < 3; round++) {
      const refs = await seedParsed(40, `${round}`);
      // overlapping, in opposite orders; the second also carries papers the first does not
      const a = refs.slice(0, 30).map((ref) => ({ ref, c: classification('clf-A') }));
      const b = [...refs].reverse().map((ref) => ({ ref, c: classification('clf-B') }));
      const [movedA, movedB] = await Promise.all([repo.save(a), repo.save(b)]);

      const byA = new Set(movedA.map((r) => r.paperId));
      const byB = new Set(movedB.map((r) => r.paperId));
      expect([...byA].filter((id) => byB.has(id))).toEqual([]);
      expect(byA.size + byB.size).toBe(refs.length);

      const rows: {
        id: string;
        stage: string;
        classifier_version: string;
        topics: number;
        versions: string[];
      }[] = await db().ds.query(
        `SELECT p.id, s.stage, p.classifier_version, count(t.*)::int AS topics, array_agg(DISTINCT t.model_version) AS versions
           FROM papers p JOIN paper_stages s ON s.paper_id = p.id LEFT JOIN paper_topics t ON t.paper_id = p.id
          WHERE p.id = ANY($1::uuid[]) GROUP BY p.id, s.stage, p.classifier_version`,
        [refs.map((r) => r.paperId)],
      );
      for (const r of rows) {
        const version = byA.has(r.id) ? 'clf-A' : 'clf-B';
        expect(r).toEqual({
          id: r.id,
          stage: 'classified',
          classifier_version: version,
          topics: 2,
          versions: [version],
        });
      }
    }
  }, 60_000);

  it('leaves out a paper whose content changed since the batch read it, and one already classified', async () => {
    const [changed, done] = await seedParsed(2, 'x');
    await db().ds.query(`UPDATE papers SET content_hash = 'new-hash' WHERE id = $1`, [changed.paperId]);
    expect(await repo.save([{ ref: done, c: classification('clf-A') }])).toEqual([done]);
    const moved = await repo.save([changed, done].map((ref) => ({ ref, c: classification('clf-B') })));
    expect(moved).toEqual([]);
    const topics = await db().ds.query(
      `SELECT paper_id, model_version FROM paper_topics WHERE paper_id = ANY($1::uuid[]) ORDER BY 1, 2`,
      [[changed.paperId, done.paperId]],
    );
    expect(topics.map((t: { model_version: string }) => t.model_version)).toEqual(['clf-A', 'clf-A']);
    // the new hash sent the changed paper back to parsed (trigger), with its new hash
    expect(
      await db().ds.query(`SELECT stage, content_hash FROM paper_stages WHERE paper_id = $1`, [
        changed.paperId,
      ]),
    ).toEqual([{ stage: 'parsed', content_hash: 'new-hash' }]);
  });
});
