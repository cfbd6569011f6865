import type { DataSource } from 'typeorm';
import { createDataSource, ensureDatabase, migrate } from '../data-source';
import { notifiedPaperRows } from './notified-papers';
import { saveExtractions } from './paper-claims';
import { outdatedSearchPapers, refreshPaperSearch } from './paper-search';
import { saveClassifications } from './paper-topics';
import { advanceStage, loadStageAbstracts, loadStageRefs, loadStageWork } from './pipeline';
import { rebuildReadModel, refreshReadModel } from './read-model';
import { searchExpressionOf } from '../entities/paper.entity';
import type { Db } from './sql';
import { examplePaperTexts, resolvePaperRefs } from './subscriptions-matching';
import { COMMON_TERM_PAPERS, locatePaper, paperByRef, papersMatchingTerms } from './paper-reads';
import { failingEndpointCount, failingEndpointCounts, failingEndpointRows } from './stats';
import {
  countSubscriptionsOfOwner,
  dropExpiredPreviousSecrets,
  listAllSubscriptions,
  listSubscriptionsOfOwner,
} from './subscriptions';
import { refreshTopicCounts, topicsWithCounts } from './topics';

// The parser runs these per batch of ~300 papers, in every transaction. Their cost must be the batch's,
// whatever the planner knows: a catalogue that grows faster than ANALYZE runs (a backfill, a server with
// autovacuum off, a fresh schema) has no or stale statistics, and a `= ANY($1)` filter written on the
// table was then estimated to match most of it and planned as a hash join over scans of papers and
// paper_sources. On the 100k bench that made the parser's Postgres cost grow with the catalogue
// (0.79 ms of CPU per paper at 20k, 1.48 at 100k). Here: 20,000 papers with a sighting each, never
// analysed, and every plan the two functions run must look rows up by key, never scan a catalogue table.

const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `plans_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
const CATALOGUE = ['papers', 'paper_sources', 'paper_read', 'paper_days', 'paper_search'];
let ds: DataSource;

/**
 * Runs `fn` against a Db that EXPLAINs each statement (inside a rolled-back transaction) instead, twice:
 * planned for its values (a custom plan) and as a generic plan (`plan_cache_mode = force_generic_plan`),
 * the plan a named prepared statement is given after its fifth run. Statements reach the Db both ways
 * the queries send them: `db.query(text, params)` and `namedQuery` (through the transaction's client).
 */
let prepared = 0;
const quoted = (v: string) => `'${v.replace(/'/g, "''")}'`;
function literal(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (Array.isArray(v))
    return quoted(`{${v.map((x) => (x === null || x === undefined ? 'NULL' : `"${String(x).replace(/["\\]/g, '\\$&')}"`)).join(',')}}`);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return quoted(String(v));
}

async function plansOf(fn: (db: Db) => Promise<unknown>): Promise<string[]> {
  const plans: string[] = [];
  const runner = ds.createQueryRunner();
  await runner.startTransaction();
  const explain = async (text: string, values: unknown[] = []) => {
    const custom: { 'QUERY PLAN': string }[] = await runner.query(`EXPLAIN ${text}`, values);
    plans.push(custom.map((r) => r['QUERY PLAN']).join('\n'));
    const name = `plans_${(prepared += 1)}`;
    await runner.query(`SET LOCAL plan_cache_mode = force_generic_plan`);
    await runner.query(`PREPARE ${name} AS ${text}`);
    try {
      // EXECUTE takes no bind parameters: the values go in as literals, typed by the statement's casts.
      const args = values.map(literal).join(', ');
      const generic: { 'QUERY PLAN': string }[] = await runner.query(
        `EXPLAIN EXECUTE ${name}${args ? `(${args})` : ''}`,
      );
      plans.push(generic.map((r) => r['QUERY PLAN']).join('\n'));
    } finally {
      await runner.query(`DEALLOCATE ${name}`);
      await runner.query(`SET LOCAL plan_cache_mode = auto`);
    }
  };
  // One explain at a time: code that sends its statements side by side (Promise.all) would otherwise interleave
  // them on the one connection, and one statement's custom plan could be taken under another's SET LOCAL
  // force_generic_plan (pg also deprecates queueing queries on a busy client).
  let last: Promise<unknown> = Promise.resolve();
  const explainInTurn = (text: string, values?: unknown[]) => {
    const turn = last.then(() => explain(text, values));
    last = turn.catch(() => undefined);
    return turn;
  };
  try {
    const client = {
      query: async (q: { text: string; values?: unknown[] }) => (await explainInTurn(q.text, q.values), { rows: [{ n: 0 }] }),
    };
    const db = {
      query: async (sql: string, params?: unknown[]) => (await explainInTurn(sql, params), [{ n: 0 }]),
      queryRunner: { isReleased: false, isTransactionActive: true, connect: async () => client },
    } as unknown as Db;
    await fn(db);
  } finally {
    await runner.rollbackTransaction();
    await runner.release();
  }
  return plans;
}

function scannedTables(plan: string): string[] {
  return [...plan.matchAll(/Seq Scan on (\w+)/g)].map((m) => m[1]).filter((t) => CATALOGUE.includes(t));
}

beforeAll(async () => {
  await ensureDatabase(url, schema);
  ds = await createDataSource({ url, schema, poolSize: 2 }).initialize();
  await migrate(ds);
  const [src]: { id: string }[] = await ds.query(
    `INSERT INTO sources (name, kind) VALUES ('plans', 'arxiv-oai') RETURNING id`,
  );
  await ds.query(
    `INSERT INTO papers (paper_key, arxiv_id, title, abstract, content_hash, published_at)
     SELECT 'arxiv:2601.' || lpad(i::text, 5, '0'), '2601.' || lpad(i::text, 5, '0'), 'Paper ' || i,
            'We study sparse adapters, case ' || i || '.', md5(i::text), now() - make_interval(hours => i % 500)
       FROM generate_series(1, 20000) i`,
  );
  await ds.query(
    `INSERT INTO paper_sources (paper_id, source_id, source_kind, upvotes) SELECT id, $1, 'arxiv-oai', 1 FROM papers`,
    [src.id],
  );
  // The catalogue's read model and vectors exist, as they do in production.
  await rebuildReadModel(ds);
  await ds.query(
    `INSERT INTO paper_search (paper_id, search, content_hash) SELECT p.id, ${searchExpressionOf('p')}, p.content_hash FROM papers p`,
  );
}, 120_000);

afterAll(async () => {
  await ds?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await ds?.destroy();
});

async function batch(n: number): Promise<string[]> {
  const rows: { id: string }[] = await ds.query(`SELECT id FROM papers ORDER BY md5(id::text) LIMIT $1`, [n]);
  return rows.map((r) => r.id);
}

it('refreshReadModel looks a batch up by key in a 20,000-paper catalogue without statistics', async () => {
  const ids = await batch(300);
  const plans = await plansOf((db) => refreshReadModel(db, ids));
  expect(plans).toHaveLength(6); // three statements (read model, days, an undated paper's listing date), each custom and generic
  if (process.env.SHOW_PLANS) console.log(plans.join('\n=====\n'));
  for (const plan of plans) expect(scannedTables(plan)).toEqual([]);
});

it('refreshPaperSearch looks a batch up by key in a 20,000-paper catalogue without statistics', async () => {
  const ids = await batch(300);
  const plans = await plansOf((db) => refreshPaperSearch(db, ids));
  expect(plans).toHaveLength(2);
  if (process.env.SHOW_PLANS) console.log(plans.join('\n=====\n'));
  for (const plan of plans) expect(scannedTables(plan)).toEqual([]);
});

it("the sweeper's walk of paper_search reads its window by key in a 20,000-paper catalogue without statistics", async () => {
  const at = async (n: number) =>
    ((await ds.query(`SELECT paper_id::text AS id FROM paper_search ORDER BY paper_id OFFSET $1 LIMIT 1`, [n])) as { id: string }[])[0].id;
  const mid = await at(5000);
  // A window of 5% of the catalogue (the sweeper's 10,000 is under 1% of a catalogue of millions).
  const plans = await plansOf((db) => outdatedSearchPapers(db, mid, 1_000));
  expect(plans).toHaveLength(2);
  if (process.env.SHOW_PLANS) console.log(plans.join('\n=====\n'));
  for (const plan of plans) expect(scannedTables(plan)).toEqual([]);
  // The vectors written above have no search key (as before migration 1796000000000): all stale, the window full.
  const { refs, through } = await outdatedSearchPapers(ds, mid, 1_000);
  expect(refs).toHaveLength(1_000);
  expect(through).toBe(await at(6000));
  expect(refs.map((r) => r.paperId).sort().at(-1)).toBe(through);
  // The last window is short: the walk starts again.
  const last = await outdatedSearchPapers(ds, await at(19_500), 1_000);
  expect([last.refs.length, last.through]).toEqual([499, null]);
});

it('the refreshed read model is the one the sightings say (the rewritten statements still compute it)', async () => {
  const ids = await batch(50);
  await refreshReadModel(ds, ids);
  const rows: { n: number; sources: number; days: number }[] = await ds.query(
    `SELECT count(*)::int AS n, min(r.sources)::int AS sources,
            (SELECT count(*)::int FROM paper_days d WHERE d.paper_id = ANY($1::uuid[])) AS days
       FROM paper_read r WHERE r.paper_id = ANY($1::uuid[])`,
    [ids],
  );
  expect(rows[0]).toEqual({ n: 50, sources: 1, days: 50 });
});

// The stages' per-batch statements added in session 13 (one-statement saves, narrower loads, the
// notifier's partial reads, example-paper resolution): the same rule, on the stage and child tables too.
describe('stage statements in a 20,000-paper catalogue without statistics', () => {
  const STAGE_TABLES = [...CATALOGUE, 'paper_stages', 'paper_topics', 'paper_claims'];
  const scanned = (plan: string) =>
    [...plan.matchAll(/Seq Scan on (\w+)/g)].map((m) => m[1]).filter((t) => STAGE_TABLES.includes(t));
  const refsOf = async (ids: string[]) =>
    ((await ds.query(`SELECT paper_id, content_hash FROM paper_stages WHERE paper_id = ANY($1::uuid[])`, [ids])) as {
      paper_id: string;
      content_hash: string;
    }[]).map((r) => ({ paperId: r.paper_id, contentHash: r.content_hash }));
  // Child rows as a classified and extracted catalogue has them (two topics, two claims a paper).
  beforeAll(async () => {
    await ds.query(
      `INSERT INTO topics (slug, name, description) VALUES ('peft', 'PEFT', 'adapters'), ('rag', 'RAG', 'retrieval')
       ON CONFLICT DO NOTHING`,
    );
    const slugs: { slug: string }[] = await ds.query(`SELECT slug FROM topics ORDER BY slug LIMIT 2`);
    expect(slugs).toHaveLength(2);
    for (const { slug } of slugs)
      await ds.query(
        `INSERT INTO paper_topics (paper_id, topic_slug, score, is_primary, evidence, model_version, content_hash)
         SELECT id, $1, 0.5, false, '[]', 'plans', content_hash FROM papers`,
        [slug],
      );
    for (const start of [0, 10])
      await ds.query(
        `INSERT INTO paper_claims (paper_id, start, "end", text, value, unit, category, kind, is_headline, extractor_version, content_hash)
         SELECT id, $1, $1 + 3, '42%', 42, '%', 'result', 'absolute_score', false, 'plans', content_hash FROM papers`,
        [start],
      );
  }, 60_000);
  const expectKeyed = (plans: string[], n: number) => {
    expect(plans).toHaveLength(n);
    if (process.env.SHOW_PLANS) console.log(plans.join('\n=====\n'));
    for (const plan of plans) expect(scanned(plan)).toEqual([]);
  };

  it('the stage loads and the two one-statement saves look the batch up by key', async () => {
    const refs = await refsOf(await batch(200));
    expect(refs).toHaveLength(200); // every paper has its stage row
    expectKeyed(await plansOf((db) => loadStageWork(db, refs, 'classified')), 2);
    expectKeyed(await plansOf((db) => loadStageAbstracts(db, refs, 'extracted')), 2);
    expectKeyed(await plansOf((db) => loadStageRefs(db, refs, 'notified')), 2);
    expectKeyed(await plansOf((db) => advanceStage(db, 'classified', refs)), 2);
    const papers = refs.map((r) => ({
      ...r,
      primaryTopic: 'peft',
      contribution: 'method',
      predictedCategory: null,
      classifierVersion: 'plans',
    }));
    const topics = refs.map((r) => ({ paper_id: r.paperId, topic_slug: 'peft', score: 0.9, is_primary: true, evidence: ['adapter'] }));
    expectKeyed(await plansOf((db) => saveClassifications(db, papers, topics)), 2);
    const claims = refs.map((r) => ({
      paper_id: r.paperId,
      start: 0,
      end: 4,
      text: '0.72',
      value: 0.72,
      unit: 'score',
      category: 'result',
      kind: 'absolute_score',
      is_headline: true,
      extractor_version: 'plans',
    }));
    expectKeyed(await plansOf((db) => saveExtractions(db, refs, claims as never, 'plans')), 2);
  });

  const NONE = { text: false, authors: false, codeLinks: false, sources: false, topics: false, claims: false };
  it("the notifier's partial reads and example resolution look papers up by key", async () => {
    const ids = await batch(200);
    expectKeyed(await plansOf((db) => notifiedPaperRows(db, ids, { ...NONE, topics: true })), 2);
    expectKeyed(await plansOf((db) => notifiedPaperRows(db, ids, { ...NONE, text: true, topics: true, claims: true })), 6);
    expectKeyed(await plansOf((db) => notifiedPaperRows(db, ids)), 8);
    const refs = [...ids.slice(0, 10), '2601.00042', '2601.00007v2', 'arXiv:2601.01234', '10.1145/3292500.3330701'];
    expectKeyed(await plansOf((db) => resolvePaperRefs(db, refs)), 2);
    // the most a request may name (20 examples), of one kind each, and none in the catalogue
    const most = (ref: (k: number) => string) => Array.from({ length: 20 }, (_, k) => ref(k));
    for (const many of [most((k) => `2601.${String(100 + k).padStart(5, '0')}`), most((k) => `10.1145/3292500.${k}`), most((k) => `2612.${19000 + k}`)])
      expectKeyed(await plansOf((db) => resolvePaperRefs(db, many)), 2);
    // the /abs and /pdf redirects' one lookup, in each form
    // and a paper's detail row (GET /v1/papers/{id}, the page): its lookup, stage row and trend key in one statement
    for (const id of ['2601.00042v2', 'https://doi.org/10.1145/3292500.3330701', ids[3], 'hep-th/9901001']) {
      expectKeyed(await plansOf((db) => locatePaper(db, id)), 2);
      expectKeyed(await plansOf((db) => paperByRef(db, id)), 2);
    }
    expectKeyed(await plansOf((db) => examplePaperTexts(db, ids.slice(0, 20))), 2);
  });
});

// The API's reads of one key's subscriptions: GET /v1/subscriptions and the 1,000-per-key cap's count, run on
// every create. 20,000 subscriptions of 200 keys, never analysed: each plan reads the key's rows by
// idx_subscriptions_owner, never the whole table (measured on the 2M-paper bench with 101k subscriptions: the
// count read 2,882 buffers, a scan of every row, 10-11 ms; 11 buffers by the index; the list of 999, 43).
describe("one key's subscriptions among 20,000 without statistics", () => {
  let owner: string;
  beforeAll(async () => {
    const keys: { id: string }[] = await ds.query(
      `INSERT INTO api_keys (name, prefix, key_hash, scopes)
       SELECT 'plans-' || i, 'pw_plans' || lpad(i::text, 4, '0'), md5(i::text), '{subscriptions}' FROM generate_series(1, 200) i
       RETURNING id`,
    );
    owner = keys[7].id;
    await ds.query(
      `INSERT INTO subscriptions (owner_key_id, name, channel, target, filters)
       SELECT k.id, 'sub ' || j, 'webhook', 'https://hooks.example.org/' || j, '{}'
         FROM api_keys k CROSS JOIN generate_series(1, 100) j WHERE k.name LIKE 'plans-%'`,
    );
  }, 60_000);
  const byOwnerIndex = (plans: string[], n: number) => {
    expect(plans).toHaveLength(n);
    if (process.env.SHOW_PLANS) console.log(plans.join('\n=====\n'));
    for (const plan of plans) {
      expect(plan).not.toMatch(/Seq Scan on subscriptions/);
      expect(plan).toMatch(
        /Index (Only )?Scan using idx_subscriptions_owner on subscriptions|Bitmap Index Scan on idx_subscriptions_owner/,
      );
    }
  };

  it('the cap count and the list read the key rows by idx_subscriptions_owner', async () => {
    byOwnerIndex(await plansOf((db) => countSubscriptionsOfOwner(db, owner)), 2);
    byOwnerIndex(await plansOf((db) => listSubscriptionsOfOwner(db, owner, { limit: 20 })), 2);
    // and they still count and list that key's subscriptions, and only them
    expect(await countSubscriptionsOfOwner(ds, owner)).toBe(100);
    const listed = await listSubscriptionsOfOwner(ds, owner, { limit: 100 });
    expect(listed).toHaveLength(100);
    expect(new Set(listed.map((s) => s.owner_key_id))).toEqual(new Set([owner]));
  });

  it("the sweeper's drop of ended rotation grace periods reads only subscriptions in a rotation", async () => {
    const plans = await plansOf((db) => dropExpiredPreviousSecrets(db, 100));
    expect(plans).toHaveLength(2);
    for (const plan of plans) {
      expect(plan).not.toMatch(/Seq Scan on subscriptions/);
      expect(plan).toMatch(/idx_subscriptions_secret_expiry/);
    }
  });
});

// The operator's reads of every subscription: the failing endpoints (/ops, /v1/stats/pipeline) and GET
// /v1/admin/subscriptions by keyset, unfiltered or by status or reason. 20,000 more subscriptions without an
// owner, 40 of them failing, 1 in 50 paused with a reason, never analysed: each reads its rows by an index in
// the listing's order, never the whole table (measured with 101k subscriptions: the failing endpoints read
// 4.6k buffers, 24 ms; the admin list scanned and sorted 4.8k, 113 ms; by index 52 and ~200 buffers, < 0.3 ms).
describe("the operator's subscription reads among 20,000 without statistics", () => {
  beforeAll(async () => {
    await ds.query(
      `INSERT INTO subscriptions (name, channel, target, filters, status, status_reason, consecutive_failures, created_at)
       SELECT 'op ' || j, 'webhook', 'https://ops.example.org/' || j, '{}',
              CASE WHEN j % 50 = 0 THEN 'paused' ELSE 'active' END,
              CASE WHEN j % 50 = 0 THEN 'paused after repeated delivery failures' END,
              CASE WHEN j % 500 = 0 THEN j / 500 ELSE 0 END, now() - make_interval(secs => j)
         FROM generate_series(1, 20000) j`,
    );
  }, 60_000);
  /** Every plan reads the table by `index` only; `inOrder`: in the listing's order (no sort), the page only. */
  const byIndex = (plans: string[], index: string, inOrder = true) => {
    expect(plans).toHaveLength(2);
    if (process.env.SHOW_PLANS) console.log(plans.join('\n=====\n'));
    for (const plan of plans) {
      expect(plan).not.toMatch(/Seq Scan on subscriptions/);
      if (inOrder) expect(plan).not.toMatch(/Sort Key/);
      const scan = `Index (Only )?Scan( Backward)? using ${index} on subscriptions`;
      expect(plan).toMatch(new RegExp(inOrder ? scan : `${scan}|Bitmap Index Scan on ${index}\\b`));
    }
  };

  it('failingEndpointRows reads only the failing rows, in order, by idx_subscriptions_failing', async () => {
    const plans = await plansOf((db) => failingEndpointRows(db));
    byIndex(plans, 'idx_subscriptions_failing');
    // each listed endpoint's latest failed attempt (its reason): one descent of the failed deliveries' index
    for (const plan of plans) {
      expect(plan).toMatch(/Index Scan using idx_deliveries_failed on deliveries/);
      expect(plan).not.toMatch(/Seq Scan on deliveries|uq_deliveries_subscription_paper/);
    }
    const rows = await failingEndpointRows(ds, 5);
    expect(rows.map((r) => r.consecutive_failures)).toEqual([40, 39, 38, 37, 36]);
    // and how many fail in all (the lists say how many more than they show): the failing rows' index only
    byIndex(await plansOf((db) => failingEndpointCount(db)), 'idx_subscriptions_failing', false);
    expect(await failingEndpointCount(ds)).toBe(40);
    // what a public view shows instead of the list: the failing ones counted per channel and status, by that index too
    byIndex(await plansOf((db) => failingEndpointCounts(db)), 'idx_subscriptions_failing', false);
    expect(await failingEndpointCounts(ds)).toEqual({
      total: 40,
      byChannel: { webhook: 40, email: 0 },
      // the failing ones are every 500th, so every one is also a 50th: paused
      byStatus: { active: 0, paused: 40, disabled: 0 },
    });
  });

  it('the admin list pages every subscription, or those of a status or reason, by index', async () => {
    byIndex(await plansOf((db) => listAllSubscriptions(db, { limit: 50 })), 'idx_subscriptions_created');
    const first = await listAllSubscriptions(ds, { limit: 50 });
    const after = [first[49].page_at, first[49].id] as const;
    byIndex(await plansOf((db) => listAllSubscriptions(db, { limit: 50, after })), 'idx_subscriptions_created');
    // By status or reason: without statistics a filter's rows may be read by its index and sorted (what the
    // filter returns, not the table); once analysed (2% paused) they are read in order, the page only.
    const reason = 'paused after repeated delivery failures';
    byIndex(await plansOf((db) => listAllSubscriptions(db, { limit: 50, reason })), 'idx_subscriptions_reason', false);
    await ds.query(`ANALYZE subscriptions`);
    byIndex(await plansOf((db) => listAllSubscriptions(db, { limit: 50, reason })), 'idx_subscriptions_reason');
    byIndex(await plansOf((db) => listAllSubscriptions(db, { limit: 50, status: 'paused' })), 'idx_subscriptions_status_created');
    // and the pages are still the rows asked for, in (created_at, id) order
    const second = await listAllSubscriptions(ds, { limit: 50, after });
    expect(second[0].page_at > after[0] || (second[0].page_at === after[0] && second[0].id > after[1])).toBe(true);
    const paused = await listAllSubscriptions(ds, { limit: 50, status: 'paused', reason });
    expect(paused).toHaveLength(51);
    expect(new Set(paused.map((s) => s.status_reason))).toEqual(new Set([reason]));
  });
});

// GET /v1/topics: the join of every paper_topics row with its paper took 20 s (675k buffers) at 2M papers, past
// the API's statement timeout. Above the threshold the windows read the last 60 days' papers by
// idx_papers_sort_at and the all-time counts a sample: never a scan of paper_topics.
describe('topic counts above the exact threshold', () => {
  beforeAll(async () => {
    await ds.query(
      `INSERT INTO topics (slug, name, description) VALUES ('counted-a', 'A', 'a'), ('counted-b', 'B', 'b'), ('counted-none', 'N', 'n')
       ON CONFLICT DO NOTHING`,
    );
    // every paper has counted-a (primary); every third counted-b. A paper's topic rows are written together, as the
    // classifier's save does, so the table's pages mix topics as they do in production (SYSTEM sampling reads whole
    // pages: rows of one topic written in one run would make the estimate a coin toss between page runs).
    await ds.query(
      `INSERT INTO paper_topics (paper_id, topic_slug, score, is_primary, evidence, model_version, content_hash)
       SELECT p.id, t.slug, t.score, t.is_primary, '[]'::jsonb, 'plans', p.content_hash
         FROM papers p
        CROSS JOIN LATERAL (VALUES ('counted-a', 0.9, true), ('counted-b', 0.4, false)) t(slug, score, is_primary)
        WHERE t.slug = 'counted-a' OR ('x' || md5(p.id::text))::bit(8)::int % 3 = 0
        ORDER BY p.id, t.slug
       ON CONFLICT DO NOTHING`,
    );
    await ds.query(`ANALYZE paper_topics`);
  }, 60_000);

  it('keeps the windows exact, estimates the totals, and reads neither table whole', async () => {
    const exact = new Map((await topicsWithCounts(ds)).map((r) => [r.slug, r]));
    const sampled = new Map((await topicsWithCounts(ds, 1)).map((r) => [r.slug, r]));
    for (const slug of ['counted-a', 'counted-b']) {
      const [e, s] = [exact.get(slug)!, sampled.get(slug)!];
      expect(e.papers).toBeGreaterThan(1000);
      expect({ ...s, papers: 0, primary_count: 0 }).toEqual({ ...e, papers: 0, primary_count: 0 });
      expect(Math.abs(s.papers - e.papers) / e.papers).toBeLessThan(0.2);
    }
    expect(Math.abs(sampled.get('counted-a')!.primary_count - exact.get('counted-a')!.primary_count)).toBeLessThan(
      0.2 * exact.get('counted-a')!.primary_count,
    );
    expect(sampled.get('counted-none')).toMatchObject({ papers: 0, primary_count: 0, last7: 0, last30: 0 });
    const plans = await plansOf((db) => topicsWithCounts(db as never, 0)); // the fake reltuples is 0
    if (process.env.SHOW_PLANS) console.log(plans.join('\n=====\n'));
    const counts = plans.filter((p) => !p.includes('pg_class'));
    expect(counts.length).toBeGreaterThan(0);
    for (const plan of counts) {
      // (papers may be scanned here: every paper of this catalogue is in the 60-day window)
      expect(plan).not.toMatch(/Seq Scan on paper_topics\b/);
      expect(plan).toMatch(/Sample Scan on paper_topics/);
    }
  });

  // Above the threshold a listing reads the rollup the sweeper refreshes (topic_counts, ~1 row a topic), not the
  // last 60 days' papers (1.0-1.35 s, 298k buffers at 2M papers): no plan it runs touches papers or paper_topics.
  it('reads the topic_counts rollup while fresh: the same counts, never the catalogue', async () => {
    const sent: [string, unknown[]][] = [];
    const spy = { query: (sql: string, params?: unknown[]) => (sent.push([sql, params ?? []]), ds.query(sql, params)) } as unknown as DataSource;
    const plansSent = async () => {
      const plans: string[] = [];
      for (const [sql, params] of sent.splice(0))
        plans.push(((await ds.query(`EXPLAIN ${sql}`, params)) as { 'QUERY PLAN': string }[]).map((r) => r['QUERY PLAN']).join('\n'));
      if (process.env.SHOW_PLANS) console.log(plans.join('\n=====\n'));
      return plans;
    };
    const exact = await topicsWithCounts(ds);
    expect(await refreshTopicCounts(ds)).toBe(0); // below the threshold: no rollup, the exact counts are cheap
    expect(await refreshTopicCounts(ds, 1)).toBe(exact.length);
    const listed = await topicsWithCounts(spy, 1);
    const noTotals = (rows: typeof exact) => rows.map((r) => ({ ...r, papers: 0, primary_count: 0 }));
    expect(noTotals(listed)).toEqual(noTotals(exact)); // the windows stay exact
    const a = listed.find((r) => r.slug === 'counted-a')!;
    const exactA = exact.find((r) => r.slug === 'counted-a')!;
    expect(Math.abs(a.papers - exactA.papers) / exactA.papers).toBeLessThan(0.2);
    const plans = await plansSent();
    expect(plans).toHaveLength(2); // the state (estimate, freshness) and the rollup
    for (const plan of plans) expect(plan).not.toMatch(/ on (papers|paper_topics)\b/);
    // a disabled topic leaves the rollup at the next refresh; a stale rollup (no sweeper) is not trusted
    await ds.query(`UPDATE topics SET enabled = false WHERE slug = 'counted-none'`);
    await refreshTopicCounts(ds, 1);
    expect(await ds.query(`SELECT count(*)::int AS n FROM topic_counts WHERE topic_slug = 'counted-none'`)).toEqual([{ n: 0 }]);
    await ds.query(`UPDATE topic_counts SET refreshed_at = now() - interval '10 minutes', stale_at = now() - interval '5 minutes'`);
    expect(noTotals(await topicsWithCounts(spy, 1))).toEqual(noTotals(exact.filter((r) => r.slug !== 'counted-none')));
    expect((await plansSent()).some((p) => /Sample Scan on paper_topics/.test(p))).toBe(true);
  });
});

// Similar papers' full-text candidates (papersMatchingTerms, on every paper page). The earlier statement, `search @@
// 'a | b' LIMIT 200`, was planned from the terms' estimated frequency: a term the statistics call common gave a seq
// scan of paper_search that stops at the 200th match, so its cost was where the matches lie in the heap (a term of
// the newest papers: 48k buffers, 155-390 ms at 200k papers). Every lookup must go through the GIN index, whatever the
// terms (common, clustered at the end, rare, unknown), with statistics or without, planned for its values or
// generic. Last in this file: it analyses paper_search.
describe('similar-paper candidates by text among 20,000 papers', () => {
  // a term in the abstract (weight B, as searchExpressionOf writes it), or in an author's name (weight C)
  const marked = async (term: string, where: string, weight: 'B' | 'C' = 'B') =>
    ds.query(
      `UPDATE paper_search s SET search = s.search || setweight(to_tsvector('english', $1), $2::"char")
         FROM papers p WHERE p.id = s.paper_id AND ${where} RETURNING s.paper_id`,
      [term, weight],
    ) as Promise<[{ paper_id: string }[], number]>;
  let authorQuokka: string[];
  let quokka: string[];
  let mamba: string[];
  beforeAll(async () => {
    // Vectors as wide as an abstract's (~120 lexemes with positions, ~1.5 kB: four rows a page), not a sentence's: the
    // width decides what a seq scan costs the planner.
    await ds.query(
      `UPDATE paper_search SET search = search || to_tsvector('simple',
         (SELECT string_agg('w' || ((hashtext(paper_id::text || k) & 2147483647) % 20000), ' ') FROM generate_series(1, 120) k))`,
    );
    // a term of the newest tenth of the papers (the end of the heap), and two rare ones
    mamba = (await marked('mamba', `p.paper_key > 'arxiv:2601.18000'`))[0].map((r) => r.paper_id);
    quokka = (await marked('quokka', `p.paper_key IN ('arxiv:2601.00007', 'arxiv:2601.09001', 'arxiv:2601.19999')`))[0].map(
      (r) => r.paper_id,
    );
    await marked('wombat', `p.paper_key = 'arxiv:2601.00042'`);
    // papers whose author is named Quokka: found by author search, not similar to a paper about quokkas for it
    authorQuokka = (await marked('quokka', `p.paper_key IN ('arxiv:2601.00101', 'arxiv:2601.12345')`, 'C'))[0].map((r) => r.paper_id);
    await ds.query(`VACUUM paper_search`); // (no ANALYZE: the first plans are without statistics)
  }, 60_000);
  const TERMS = [['sparse', 'quokka'], ['mamba', 'quokka'], ['quokka', 'wombat'], ['zyzzyva']];
  const byGinOnly = async () => {
    for (const terms of TERMS) {
      const plans = await plansOf((db) => papersMatchingTerms(db, terms, quokka[0], 50));
      expect(plans).toHaveLength(2);
      if (process.env.SHOW_PLANS) console.log(plans.join('\n=====\n'));
      for (const plan of plans) {
        expect({ terms, scanned: scannedTables(plan) }).toEqual({ terms, scanned: [] });
        expect(plan).toMatch(/Bitmap Index Scan on idx_paper_search/);
      }
    }
  };

  it('looks every term up through the GIN index, with statistics or without, custom or generic', async () => {
    await byGinOnly();
    await ds.query(`ANALYZE paper_search`);
    await byGinOnly();
  });

  it("gives each term its share (a common term never crowds a rare one out) and skips a term the catalogue's statistics call common", async () => {
    // analysed (above): 'sparse' is in all 20,000 papers, past COMMON_TERM_PAPERS; 'mamba' in 2,000 is looked up
    expect(mamba.length).toBeLessThan(COMMON_TERM_PAPERS);
    const got = (await papersMatchingTerms(ds, ['mamba', 'quokka', 'sparse'], quokka[0], 5)).map((r) => r.paper_id);
    expect(new Set(got).size).toBe(got.length);
    expect(got.filter((id) => quokka.includes(id)).sort()).toEqual(quokka.slice(1).sort()); // never the paper itself
    expect(authorQuokka).toHaveLength(2);
    expect(got.filter((id) => authorQuokka.includes(id))).toEqual([]); // an author's name is not the paper's text
    expect(got.filter((id) => mamba.includes(id) && !quokka.includes(id))).toHaveLength(5);
    expect(got).toHaveLength(5 + quokka.length - 1);
    expect(await papersMatchingTerms(ds, ['sparse'], quokka[0], 5)).toEqual([]);
    expect(await papersMatchingTerms(ds, ['zyzzyva'], quokka[0], 5)).toEqual([]);
  });
});
