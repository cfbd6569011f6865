import type { DataSource } from 'typeorm';
import { CLAIM_SCAN_BUDGET, createDataSource, ensureDatabase, migrate } from '@paperwire/db';
import { searchClaims as searchClaimsAction } from '@paperwire/actions';
import { searchClaims } from './catalogue';

// `paperwire claims` follows the action's cursor: a read walks at most CLAIM_SCAN_BUDGET claims, so hits older than
// the budget come after an empty page with a cursor. 4,000 recent papers with two latency ratios each, then 3 older
// papers with the only improvement claims: the command still finds all three, newest first.

const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `cliscan_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
let ds: DataSource;

beforeAll(async () => {
  await ensureDatabase(url, schema);
  ds = await createDataSource({ url, schema, poolSize: 2 }).initialize();
  await migrate(ds);
  await ds.query(
    `INSERT INTO papers (paper_key, arxiv_id, title, abstract, content_hash, published_at)
     SELECT 'arxiv:2601.' || lpad(i::text, 5, '0'), '2601.' || lpad(i::text, 5, '0'), 'Paper ' || i, 'Abstract.', md5(i::text),
            now() - make_interval(mins => i)
       FROM generate_series(1, 4003) i`,
  );
  await ds.query(
    `INSERT INTO paper_claims (paper_id, start, "end", text, value, unit, metric, category, kind, is_headline, extractor_version, content_hash)
     SELECT id, s, s + 3, 'x', 2, 'x', 'latency', 'result', 'reduction', false, 'cs', content_hash
       FROM papers CROSS JOIN (VALUES (0), (10)) v(s) WHERE substr(paper_key, 12)::int <= 4000
     UNION ALL
     SELECT id, 0, 3, 'y', substr(paper_key, 12)::int % 100, '%', 'accuracy', 'result', 'relative_improvement', false, 'cs', content_hash
       FROM papers WHERE substr(paper_key, 12)::int > 4000`,
  );
  await ds.query('ANALYZE');
}, 120_000);

afterAll(async () => {
  await ds?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await ds?.destroy();
});

it('the first read ends at the budget with no hit and a cursor; the command follows it to the three hits', async () => {
  expect(8_000).toBeGreaterThan(CLAIM_SCAN_BUDGET);
  const first = await searchClaimsAction(ds, { claimKind: 'relative_improvement', limit: 50 });
  expect(first.items).toEqual([]);
  expect(first.nextKey).not.toBeNull();
  const hits = await searchClaims(ds, { kind: 'relative_improvement' });
  expect(hits.map((h) => h.paperTitle)).toEqual(['Paper 4001', 'Paper 4002', 'Paper 4003']);
});
