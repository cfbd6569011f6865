import type { DataSource } from 'typeorm';
import { CLAIM_SCAN_BUDGET } from '@paperwire/db';
import { PAPER_NUMBER_SQL, createTestDb, seedNumberedPapers, type TestDb } from '@paperwire/testing';
import { searchClaims as searchClaimsAction } from '@paperwire/actions';
import { searchClaims } from './catalogue';

// `paperwire claims` follows the action's cursor: a read walks at most CLAIM_SCAN_BUDGET claims, so hits older than
// the budget come after an empty page with a cursor. 4,000 recent papers with two latency ratios each, then 3 older
// papers with the only improvement claims: the command still finds all three, newest first.

let db: TestDb;
let ds: DataSource;
const n = PAPER_NUMBER_SQL;

beforeAll(async () => {
  db = await createTestDb('cliscan');
  ds = db.ds;
  // paper i listed i minutes ago
  await seedNumberedPapers(ds, 4003, { published: { step: 1 } });
  await ds.query(
    `INSERT INTO paper_claims (paper_id, start, "end", text, value, unit, metric, category, kind, is_headline, extractor_version, content_hash)
     SELECT id, s, s + 3, 'x', 2, 'x', 'latency', 'result', 'reduction', false, 'cs', content_hash
       FROM papers CROSS JOIN (VALUES (0), (10)) v(s) WHERE ${n} <= 4000
     UNION ALL
     SELECT id, 0, 3, 'y', ${n} % 100, '%', 'accuracy', 'result', 'relative_improvement', false, 'cs', content_hash
       FROM papers WHERE ${n} > 4000`,
  );
  await ds.query('ANALYZE');
}, 120_000);

afterAll(async () => {
  await db?.drop();
});

it('the first read ends at the budget with no hit and a cursor; the command follows it to the three hits', async () => {
  expect(8_000).toBeGreaterThan(CLAIM_SCAN_BUDGET);
  const first = await searchClaimsAction(ds, { claimKind: 'relative_improvement', limit: 50 });
  expect(first.items).toEqual([]);
  expect(first.nextKey).not.toBeNull();
  const hits = await searchClaims(ds, { kind: 'relative_improvement' });
  expect(hits.map((h) => h.paperTitle)).toEqual(['Paper 4001', 'Paper 4002', 'Paper 4003']);
});
