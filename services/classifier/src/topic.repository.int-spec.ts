import type { Classification } from '@paperwire/contracts';
import { raceTwoBatches, seedBarePapers, seedTopic } from '@paperwire/testing';
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
      const refs = await seedBarePapers(db().ds, 40, `r${round}`);
      const by = await raceTwoBatches(refs, (batch, v) =>
        repo.save(batch.map((ref) => ({ ref, c: classification(`clf-${v}`) }))),
      );
      expect([...by.keys()].sort()).toEqual(refs.map((r) => r.paperId).sort());

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
        const version = `clf-${by.get(r.id)}`;
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
    const [changed, done] = await seedBarePapers(db().ds, 2, 'x');
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

  it('stores what the transaction of advanceStage, replacePaperTopics and writeClassifications stored', async () => {
    const [a, b] = await seedBarePapers(db().ds, 2, 'one-statement');
    // a's earlier version left topics (same slugs as the new ones, and one the new version drops)
    await db().ds.query(
      `INSERT INTO paper_topics (paper_id, topic_slug, score, is_primary, evidence, model_version, content_hash)
       VALUES ($1, 'peft', 0.1, false, '["old"]', 'clf-old', 'old-hash'), ($1, 'agents', 0.2, true, '[]', 'clf-old', 'old-hash')`,
      [a.paperId],
    );
    const c: Classification = {
      topics: [
        { slug: 'peft', score: 0.75, evidence: ['adapter', 'LoRA "rank"'] },
        { slug: 'not-in-taxonomy', score: 0.5, evidence: [] },
        { slug: 'rag', score: 0.25, evidence: ['retrieval'] },
      ],
      primaryTopic: 'rag',
      contribution: 'benchmark-dataset',
      arxivCategory: null,
      version: 'clf-C',
    };
    const none: Classification = { topics: [], primaryTopic: null, contribution: 'analysis', version: 'clf-C' };
    const moved = await repo.save([
      { ref: b, c: none },
      { ref: a, c },
    ]);
    expect(moved).toEqual([a, b].sort((x, y) => (x.paperId < y.paperId ? -1 : 1)));
    expect(
      await db().ds.query(
        `SELECT topic_slug, score, is_primary, evidence, model_version, content_hash = $2 AS hash_ok
           FROM paper_topics WHERE paper_id = $1 ORDER BY topic_slug`,
        [a.paperId, a.contentHash],
      ),
    ).toEqual([
      {
        topic_slug: 'peft',
        score: 0.75,
        is_primary: false,
        evidence: ['adapter', 'LoRA "rank"'],
        model_version: 'clf-C',
        hash_ok: true,
      },
      {
        topic_slug: 'rag',
        score: 0.25,
        is_primary: true,
        evidence: ['retrieval'],
        model_version: 'clf-C',
        hash_ok: true,
      },
    ]);
    expect(
      await db().ds.query(
        `SELECT p.primary_topic, p.contribution, p.predicted_category, p.classifier_version, s.stage, s.classified_at IS NOT NULL AS at
           FROM papers p JOIN paper_stages s ON s.paper_id = p.id WHERE p.id = ANY($1::uuid[]) ORDER BY p.paper_key`,
        [[a.paperId, b.paperId]],
      ),
    ).toEqual([
      {
        primary_topic: 'rag',
        contribution: 'benchmark-dataset',
        predicted_category: null,
        classifier_version: 'clf-C',
        stage: 'classified',
        at: true,
      },
      {
        primary_topic: null,
        contribution: 'analysis',
        predicted_category: null,
        classifier_version: 'clf-C',
        stage: 'classified',
        at: true,
      },
    ]);
    expect(
      await db().ds.query(`SELECT count(*)::int AS n FROM paper_topics WHERE paper_id = $1`, [b.paperId]),
    ).toEqual([{ n: 0 }]);
    expect(await repo.save([])).toEqual([]);
  });
});
