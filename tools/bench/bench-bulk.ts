// Micro-benchmark of the per-batch statements alone (issue #19): the parser's upsert transaction
// (lock, upsert, links, ids, versions, sightings), the classifier's topic replacement, the metric
// extractor's claim replacement and the stage moves, in batches of `--batch` papers, on ONE
// connection, so the CPU of its Postgres backend (from /proc) is the cost of the statements.
//   node tools/run.js tools/bench/bench-bulk [--papers 10000] [--batch 200] [--transports array,copy,json] [--rounds 1]
// Each transport (PAPERWIRE_BULK) runs against a fresh schema; rounds alternate the transports.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CanonicalPaper, PaperRef } from '@paperwire/contracts';
import {
  advanceStage,
  createDataSource,
  ensureDatabase,
  loadStageWork,
  migrate,
  papersByKey,
  recordPaperVersions,
  replacePaperClaims,
  replacePaperTopics,
  upsertPapers,
  upsertSightings,
  type IncomingPaper,
} from '@paperwire/db';
import { contentHash, paperKey } from '@paperwire/feeds';
import { loadBaseTexts, recordAt, type CorpusOptions } from './corpus';

const REPO_ROOT = join(__dirname, '..', '..', '..');
const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
};
const PAPERS = Number(arg('papers', '10000'));
const BATCH = Number(arg('batch', '200'));
const ROUNDS = Number(arg('rounds', '1'));
const TRANSPORTS = arg('transports', 'array,copy,json').split(',');
const URL_ = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/pw_copy';

function backendTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]);
}

function incoming(i: number, base: ReturnType<typeof loadBaseTexts>, o: CorpusOptions): IncomingPaper {
  const r = recordAt(i, base, o);
  const p: CanonicalPaper = {
    title: r.title,
    abstract: r.abstract,
    authors: r.authors.split(/, | and /).map((name) => ({ name })),
    externalIds: { arxiv: r.arxivId },
    version: r.version,
    categories: r.categories.split(' '),
    comment: 'Tab\there, a newline\nand a backslash \\ — 10 pages',
    links: { abs: `https://arxiv.org/abs/${r.arxivId}`, code: [], project: [] },
    publishedAt: '2026-11-24T10:00:00Z',
    sighting: { sourceItemId: r.arxivId, upvotes: i % 50, announceType: 'new' },
  };
  return { key: paperKey(p), hash: contentHash(p.title, p.abstract), paper: p };
}

async function runOnce(transport: string, round: number) {
  process.env.PAPERWIRE_BULK = transport;
  const schema = `bulkbench_${transport}_${round}_${process.pid}`;
  await ensureDatabase(URL_, schema);
  const ds = await createDataSource({
    url: URL_,
    schema,
    poolSize: 1,
    applicationName: 'pw-bulk-bench',
  }).initialize();
  await migrate(ds);
  const [{ id: sourceId }] = await ds.query(
    `INSERT INTO sources (name, kind) VALUES ('bench', 'arxiv-oai') RETURNING id`,
  );
  const [{ id: docId }] = await ds.query(
    `INSERT INTO raw_documents (source_id, content_hash, body, byte_size) VALUES ($1, 'h', '\\x00', 1) RETURNING id`,
    [sourceId],
  );
  await ds.query(`INSERT INTO topics (slug, name, description) VALUES ('llm', 'LLM', ''), ('nlp', 'NLP', ''), ('vision', 'Vision', '')`);
  const [{ pid }] = await ds.query(`SELECT pg_backend_pid() AS pid`);
  const base = loadBaseTexts(REPO_ROOT);
  const o: CorpusOptions = { records: PAPERS, duplicateRate: 0.05, versionRate: 0.05 };
  const batches: IncomingPaper[][] = [];
  for (let i = 0; i < PAPERS; i += BATCH) {
    const seen = new Map<string, IncomingPaper>();
    for (let j = i; j < Math.min(PAPERS, i + BATCH); j += 1) {
      const p = incoming(j, base, o);
      seen.set(p.key, p);
    }
    batches.push([...seen.values()]);
  }
  const out: Record<string, number> = {};
  const phase = async (name: string, fn: () => Promise<void>) => {
    const t0 = backendTicks(pid);
    const w0 = performance.now();
    const c0 = process.cpuUsage();
    await fn();
    out[`${name} wall ms`] = Math.round(performance.now() - w0);
    const c = process.cpuUsage(c0);
    out[`${name} node cpu ms`] = Math.round((c.user + c.system) / 1000);
    out[`${name} backend cpu ms`] = (backendTicks(pid) - t0) * 10;
  };
  const refsOf: PaperRef[][] = [];
  const parse = async (record: boolean) => {
    for (const items of batches) {
      await ds.transaction(async (em) => {
        const { written } = await upsertPapers(em, items);
        const rows = await papersByKey(
          em,
          items.map((i) => i.key),
        );
        const id = new Map(rows.map((r) => [r.paper_key, r]));
        const withIds = items.map((i) => ({ ...i, paperId: id.get(i.key)!.id, stored: written.has(i.key) }));
        await recordPaperVersions(em, docId, withIds);
        await upsertSightings(em, docId, sourceId, 'arxiv-oai', withIds);
        if (record) refsOf.push(rows.map((r) => ({ paperId: r.id, contentHash: r.content_hash })));
      });
    }
  };
  await phase('parse (insert)', () => parse(true));
  await phase('parse (again, no change)', () => parse(false));
  await phase('classify', async () => {
    for (const refs of refsOf) {
      await ds.transaction(async (em) => {
        const work = await loadStageWork(em, refs, 'classified');
        const rows = work.todo.flatMap((p) =>
          ['llm', 'nlp', 'vision'].map((slug, k) => ({
            paper_id: p.id,
            topic_slug: slug,
            score: 0.5 + k / 10,
            is_primary: k === 0,
            evidence: { terms: ['a', 'b\tc'] },
            model_version: 'bench',
            content_hash: p.contentHash,
          })),
        );
        await replacePaperTopics(
          em,
          work.todo.map((p) => p.id),
          rows,
        );
        await advanceStage(
          em,
          'classified',
          work.todo.map((p) => ({ paperId: p.id, contentHash: p.contentHash })),
        );
      });
    }
  });
  await phase('extract', async () => {
    for (const refs of refsOf) {
      await ds.transaction(async (em) => {
        const work = await loadStageWork(em, refs, 'extracted');
        const rows = work.todo.flatMap((p) =>
          [0, 1].map((k) => ({
            paper_id: p.id,
            start: k * 10,
            end: k * 10 + 5,
            text: `+${k}.5% on "GLUE"`,
            value: 1.5 + k,
            low: null,
            unit: '%',
            unit_text: null,
            category: 'accuracy',
            kind: 'improvement',
            metric: 'accuracy',
            improvement: true,
            baseline: k ? { value: 1, text: 'x' } : null,
            compared_to: null,
            dataset: 'GLUE',
            qualifier: null,
            is_headline: k === 0,
            content_hash: p.contentHash,
          })),
        );
        await replacePaperClaims(
          em,
          work.todo.map((p) => p.id),
          rows,
          'bench',
        );
        await advanceStage(
          em,
          'extracted',
          work.todo.map((p) => ({ paperId: p.id, contentHash: p.contentHash })),
        );
      });
    }
  });
  await ds.query(`DROP SCHEMA "${schema}" CASCADE`);
  await ds.destroy();
  return out;
}

async function main() {
  const results: Record<string, Record<string, number>[]> = {};
  for (let r = 0; r < ROUNDS; r += 1) {
    for (const t of TRANSPORTS) {
      const res = await runOnce(t, r);
      (results[t] ??= []).push(res);
      process.stdout.write(
        `${JSON.stringify({ transport: t, round: r, papers: PAPERS, batch: BATCH, ...res })}\n`,
      );
    }
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
