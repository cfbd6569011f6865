import type { DataSource } from 'typeorm';
import { createTestDb, seedPaper, seedTopic, type TestDb } from '@paperwire/testing';
import { getPaper } from './papers';

jest.setTimeout(60_000);

// A paper's detail (GET /v1/papers/{id}, the paper page, `paperwire paper`) finds and reads the paper's row in
// one keyed statement (paperByRef), whatever form its id comes in, then its child rows by uuid: five statements,
// not a lookup of the id followed by a second read of the same row.
describe('getPaper: one statement for the paper, per id form', () => {
  let db: TestDb;
  let id: string;
  beforeAll(async () => {
    db = await createTestDb('t_paper_detail');
    await seedTopic(db.ds, 'rag', 'Retrieval-augmented generation');
    id = await seedPaper(db.ds, {
      title: 'A detail read in one statement',
      abstract: 'Retrieval improves accuracy by 12%.',
      arxivId: '2612.00901',
      topics: [{ slug: 'rag', score: 0.9, primary: true }],
    });
    await db.ds.query(`UPDATE papers SET doi = '10.1145/0000001.0000002' WHERE id = $1`, [id]);
  });
  afterAll(() => db?.drop());

  /** A Db that records each statement sent (forwarded to the test schema). */
  const recording = () => {
    const sent: string[] = [];
    const spy = { query: (sql: string, params?: unknown[]) => (sent.push(sql), db.ds.query(sql, params)) } as unknown as DataSource;
    return { sent, spy };
  };

  it.each([
    ['uuid', () => id],
    ['arXiv id with a version', () => '2612.00901v3'],
    ['arXiv URL', () => 'https://arxiv.org/abs/2612.00901'],
    ['paper key', () => 'arxiv:2612.00901'],
    ['DOI URL', () => 'https://doi.org/10.1145/0000001.0000002'],
  ])('%s: the same detail, five statements, the paper read once', async (_form, idOf) => {
    const { sent, spy } = recording();
    const detail = await getPaper(spy, idOf());
    expect(detail).toEqual(await getPaper(db.ds, id));
    expect(detail).toMatchObject({ id, arxivId: '2612.00901', doi: '10.1145/0000001.0000002', stage: 'extracted' });
    expect(sent).toHaveLength(5); // the paper (with its stage row and trend key); topics, claims, sightings, versions
    expect(sent.filter((sql) => /\bFROM papers\b/.test(sql))).toHaveLength(1);
  });

  it('an id that matches nothing costs one statement; one that is no id, none', async () => {
    const { sent, spy } = recording();
    expect(await getPaper(spy, '2612.09999')).toBeNull();
    expect(sent).toHaveLength(1);
    expect(await getPaper(spy, 'not an id at all')).toBeNull();
    expect(sent).toHaveLength(1);
  });
});
