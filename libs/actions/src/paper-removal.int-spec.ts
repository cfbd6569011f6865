import { PAPER_REMOVED, refreshSearchWords } from '@paperwire/db';
import { createTestDb, seedPaper, seedSource, seedTopic, topicDaysNowAndPruned, type TestDb } from '@paperwire/testing';
import { ActionError } from './errors';
import { papersToRemove, removePapers } from './paper-removal';
import { getPaper } from './papers';

jest.setTimeout(60_000);

// An operator who ingested a file by mistake (a README read as 14 "papers") had no way to take the papers out. A
// removal deletes them with everything hanging off them, and every table kept from those rows (counts by trigger and
// delta, topic days, claim topics, the spelling vocabulary) equals its definition afterwards. Real Postgres.
describe('removePapers (Postgres)', () => {
  let db: TestDb;
  const ids: Record<'wrong' | 'heading' | 'kept', string> = { wrong: '', heading: '', kept: '' };
  let subscription = '';

  beforeAll(async () => {
    db = await createTestDb('t_paper_removal');
    const { ds } = db;
    await seedTopic(ds, 'rag');
    await seedTopic(ds, 'peft');
    const hf = await seedSource(ds, 'hf');
    const hf2 = await seedSource(ds, 'hf-2');
    const upload = await seedSource(ds, 'upload', 'upload');
    const day = (featuredAt: string, sourceId = hf) => ({ sourceId, sourceKind: sourceId === upload ? 'upload' : 'hf-daily-papers', upvotes: 3, featuredAt });
    ids.wrong = await seedPaper(ds, {
      title: 'Zyxquorp adapters for sparse retrieval',
      abstract: 'Zyxquorp adapters cut memory by 40% on retrieval benchmarks.',
      arxivId: '2611.01001',
      topics: [{ slug: 'rag', score: 0.9, primary: true }, { slug: 'peft', score: 0.6 }],
      claims: [{ value: 40, unit: '%', kind: 'reduction', metric: 'memory' }],
      sightings: [day('2026-11-02T00:00:00Z'), day('2026-11-03T00:00:00Z', hf2)],
    });
    ids.heading = await seedPaper(ds, {
      title: '## Security',
      abstract: 'Keys are stored hashed and shown once; a leaked key can be revoked at any time by the operator.',
      publishedAt: null,
      topics: [{ slug: 'peft', score: 0.5, primary: true }],
      sightings: [day('2026-11-02T00:00:00Z', upload)],
    });
    ids.kept = await seedPaper(ds, {
      title: 'Low-rank adapters for retrieval',
      abstract: 'Adapters improve recall by 2.1 points on retrieval benchmarks.',
      arxivId: '2611.01002',
      topics: [{ slug: 'rag', score: 0.8, primary: true }],
      claims: [{ value: 2.1, unit: 'pp', kind: 'relative_improvement', metric: 'recall' }],
      sightings: [day('2026-11-02T00:00:00Z')],
    });
    // the sweeper's count of the catalogue's words (no lag: every paper is counted)
    await refreshSearchWords(ds, 10_000, 0);
    [{ id: subscription }] = await ds.query(
      `INSERT INTO subscriptions (name, channel, target, secrets, filters, mode)
       VALUES ('hook', 'webhook', 'https://hook.example/x', '["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]', '{}', 'instant') RETURNING id`,
    );
    await ds.query(
      `INSERT INTO deliveries (subscription_id, paper_id, status, attempts) VALUES ($1, $2, 'pending', 0), ($1, $3, 'delivered', 1), ($1, $4, 'pending', 0)`,
      [subscription, ids.wrong, ids.heading, ids.kept],
    );
  });
  afterAll(() => db?.drop());

  const q = <T>(sql: string, params: unknown[] = []): Promise<T[]> => db.ds.query(sql, params);
  const words = async (...w: string[]) =>
    Object.fromEntries((await q<{ word: string; papers: number }>(`SELECT word, papers FROM search_words WHERE word = ANY($1)`, [w])).map((r) => [r.word, r.papers]));
  /** A count table's kept sums (delta rows folded here) against its definition, keyed `topic day` ('' for all topics). */
  const counts = async () => {
    const kept = (table: string) =>
      q<{ k: string; n: number }>(`SELECT topic_slug || ' ' || day::text AS k, sum(papers)::int AS n FROM ${table} GROUP BY 1 HAVING sum(papers) <> 0 ORDER BY 1`);
    return {
      topicDay: await kept('topic_day_counts'),
      topicDayTruth: await q(
        `SELECT k, n FROM (SELECT pt.topic_slug || ' ' || pd.day::text AS k, count(*)::int AS n FROM paper_days pd JOIN paper_topics pt ON pt.paper_id = pd.paper_id GROUP BY 1
          UNION ALL SELECT ' ' || day::text, count(*)::int FROM paper_days GROUP BY 1) x ORDER BY 1`,
      ),
      firstDay: await kept('first_day_counts'),
      firstDayTruth: await q(
        `SELECT k, n FROM (SELECT ' ' || day0::text AS k, count(*)::int AS n FROM paper_read GROUP BY 1
          UNION ALL SELECT pt.topic_slug || ' ' || r.day0::text, count(*)::int FROM paper_read r JOIN paper_topics pt ON pt.paper_id = r.paper_id GROUP BY 1) x ORDER BY 1`,
      ),
    };
  };

  it('refuses a ref that names no paper, removing none of the others', async () => {
    const before = await q(`SELECT count(*)::int AS n FROM papers`);
    const e = await removePapers(db.ds, [ids.kept, '2611.09999']).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ActionError);
    expect(e).toMatchObject({ code: 'not-found', message: 'no paper 2611.09999 in the catalogue; nothing removed' });
    expect(await removePapers(db.ds, ['not an id']).catch((x: ActionError) => x.code)).toBe('not-found');
    expect(await removePapers(db.ds, [' ']).catch((x: ActionError) => x.code)).toBe('invalid');
    expect(await q(`SELECT count(*)::int AS n FROM papers`)).toEqual(before);
  });

  // Review 26c: a versioned id that names no stored version removed the whole paper.
  it('refuses a versioned arXiv id (removal takes every version), removing nothing', async () => {
    const before = await q(`SELECT count(*)::int AS n FROM papers`);
    for (const ref of ['2611.01001v9', 'arXiv:2611.01001v2', 'https://arxiv.org/abs/2611.01001v2', 'arxiv.org/pdf/2611.01001v1.pdf']) {
      const e = await removePapers(db.ds, [ref]).catch((x: unknown) => x);
      expect(e).toMatchObject({ code: 'invalid', message: expect.stringMatching(/^name papers without a version \(.*\): removing a paper removes all its versions; nothing removed$/) });
    }
    expect(await q(`SELECT count(*)::int AS n FROM papers`)).toEqual(before);
  });

  it('names the papers it would remove, each once, in the order asked (the confirmation)', async () => {
    expect(await papersToRemove(db.ds, ['arxiv.org/abs/2611.01001', ids.heading, '2611.01001'])).toEqual([
      { id: ids.wrong, arxivId: '2611.01001', title: 'Zyxquorp adapters for sparse retrieval' },
      { id: ids.heading, arxivId: null, title: '## Security' },
    ]);
  });

  it('deletes the papers with their rows, and every count, day, claim topic and word kept from them follows', async () => {
    const before = await counts();
    expect(before.topicDay).toEqual(before.topicDayTruth);
    expect(before.topicDay).toContainEqual({ k: 'peft 2026-11-02', n: 2 });
    expect(await words('zyxquorp', 'adapters', 'security')).toEqual({ zyxquorp: 1, adapters: 2, security: 1 });

    const done = await removePapers(db.ds, ['2611.01001', ids.heading]);
    expect(done).toEqual({
      removed: [
        { id: ids.wrong, arxivId: '2611.01001', title: 'Zyxquorp adapters for sparse retrieval' },
        { id: ids.heading, arxivId: null, title: '## Security' },
      ],
      deliveriesSkipped: 1,
    });

    const gone = [ids.wrong, ids.heading];
    for (const table of ['papers', 'paper_versions', 'paper_sources', 'paper_topics', 'paper_claims', 'paper_search', 'paper_read', 'paper_days', 'paper_stages', 'claim_topics', 'topic_day_papers', 'topic_first_papers'])
      expect({ table, left: await q(`SELECT 1 FROM ${table} WHERE ${table === 'papers' ? 'id' : 'paper_id'} = ANY($1::uuid[])`, [gone]) }).toEqual({ table, left: [] });
    expect(await getPaper(db.ds, '2611.01001')).toBeNull();
    expect(await getPaper(db.ds, ids.kept)).not.toBeNull();

    const after = await counts();
    expect(after.topicDay).toEqual(after.topicDayTruth);
    expect(after.firstDay).toEqual(after.firstDayTruth);
    expect(after.topicDay).not.toContainEqual(expect.objectContaining({ k: 'peft 2026-11-02' }));
    expect(after.topicDay).toContainEqual({ k: 'rag 2026-11-02', n: 1 });
    const days = await topicDaysNowAndPruned(db.ds);
    expect(days.read).toEqual(days.truth);
    expect(days.pruned).toEqual({ facts: days.truth, suspects: 0 });

    // a word only they had is no spelling to offer any more; a shared one counts the paper left
    expect(await words('zyxquorp', 'adapters', 'security')).toEqual({ adapters: 1 });

    // not sent yet: skipped with why; sent: kept in the log; another paper's delivery untouched
    expect(await q(`SELECT paper_id, status, last_error FROM deliveries ORDER BY status, paper_id`)).toEqual(
      expect.arrayContaining([
        { paper_id: ids.wrong, status: 'skipped', last_error: PAPER_REMOVED },
        { paper_id: ids.heading, status: 'delivered', last_error: null },
        { paper_id: ids.kept, status: 'pending', last_error: null },
      ]),
    );
  });

  it('a later pass of the vocabulary counts the papers left once (the removal moved no position)', async () => {
    await refreshSearchWords(db.ds, 10_000, 0);
    expect(await words('adapters', 'zyxquorp')).toEqual({ adapters: 1 });
  });
});
