// A realistic PaperWire catalogue written straight into Postgres with COPY, through the real schema
// (the migrations run first). About 1,000 papers a day (the arXiv cs firehose), every paper sighted
// by arXiv OAI, half announced on the arXiv RSS feed the next morning, a fifth featured on Hugging
// Face Daily Papers with long-tailed upvotes (comments on a fifth of those), 1–3 versions, ~3 topics
// and ~2 claims a paper. Deterministic: paper i is the same on every run (seeded PRNG).
//
// Paper ids are time-ordered (UUIDv7-like: the index in the high bits, random low bits), as a
// backfill in arrival order would give with v7 ids; every listing orders by dates, never by id alone.
import { spawn } from 'node:child_process';
import type { DataSource } from 'typeorm';
import { rng } from '@paperwire/classification';
import { CLAIM_TOPICS_FILL, searchExpressionOf, searchKeyOf } from '@paperwire/db';

export const PAPERS_PER_DAY = 1000;
const HOUR = 3600_000;
const DAY = 24 * HOUR;

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0').slice(-width);

/** A time-ordered uuid for paper i (table tag t keeps sightings, claims… distinct). */
export function benchId(i: number, t: number, k = 0): string {
  const r = rng(i * 131 + t * 7 + k);
  return `${hex(Math.floor(i / 65536), 8)}-${hex(i % 65536, 4)}-4${hex(t * 16 + k, 3)}-${hex(0x8000 | Math.floor(r() * 0x3fff), 4)}-${hex(Math.floor(r() * 2 ** 32), 8)}${hex(Math.floor(r() * 65536), 4)}`;
}

const WORDS = (
  'language model retrieval augmented generation transformer attention sparse mixture experts vision diffusion ' +
  'benchmark dataset reasoning chain thought alignment preference optimisation reinforcement learning agent tool ' +
  'graph neural network knowledge distillation quantisation pruning efficient inference long context memory ' +
  'multilingual translation speech audio recognition segmentation detection embedding contrastive pretraining ' +
  'instruction tuning evaluation robustness adversarial privacy federated continual adaptation low rank adapter ' +
  'question answering summarisation code generation mathematical proof planning world model video robotics'
).split(' ');
const METRICS = ['accuracy', 'F1', 'BLEU', 'perplexity', 'latency', 'GPU memory', 'throughput', 'ROUGE-L', 'exact match', 'win rate'];
const DATASETS = ['MMLU', 'GSM8K', 'SQuAD', 'ImageNet', 'HumanEval', 'MATH', 'COCO', 'WMT14', 'BEIR', 'LibriSpeech'];
const KINDS = ['relative_improvement', 'absolute_score', 'reduction'];
const CONTRIB = ['method', 'benchmark-dataset', 'framework-tool', 'analysis', 'survey', 'system'];
const FIRST = ['Wei', 'Anna', 'Luca', 'Priya', 'Kenji', 'Sara', 'Omar', 'Elena', 'Jonas', 'Mei', 'Carlos', 'Fatima'];
const LAST = ['Zhang', 'Müller', 'Rossi', 'Patel', 'Tanaka', 'García', 'Haddad', 'Novak', 'Kim', 'Smith', 'Okafor', 'Li'];

export interface DatasetShape {
  papers: number;
  days: number;
  /** the first day (UTC midnight, ms) */
  start: number;
  topics: string[];
}

export function datasetShape(papers: number, topics: string[], now = Date.now()): DatasetShape {
  const days = Math.max(10, Math.ceil(papers / PAPERS_PER_DAY));
  const today = Math.floor(now / DAY) * DAY;
  return { papers, days, start: today - days * DAY, topics };
}

interface Paper {
  i: number;
  id: string;
  r: () => number;
  published: number;
  created: number;
  title: string;
  abstract: string;
  hasCode: boolean;
  version: number;
  hash: string;
  topics: { slug: string; score: number }[];
}

/** Paper i, recomputed identically for every table. */
export function paperAt(shape: DatasetShape, i: number): Paper {
  const r = rng(i + 1);
  const perDay = shape.papers / shape.days;
  const day = Math.min(shape.days - 1, Math.floor(i / perDay));
  const published = shape.start + day * DAY + Math.floor(r() * DAY);
  const words = (n: number) => Array.from({ length: n }, () => WORDS[Math.floor(r() * WORDS.length)]).join(' ');
  const title = `${words(1)[0].toUpperCase()}${words(7 + Math.floor(r() * 5)).slice(1)}`;
  const metric = METRICS[Math.floor(r() * METRICS.length)];
  const abstract = `${words(30 + Math.floor(r() * 30))}. Our method improves ${metric} by ${(r() * 30 + 1).toFixed(1)}% on ${
    DATASETS[Math.floor(r() * DATASETS.length)]
  } and reduces latency by ${(r() * 5 + 1).toFixed(1)}x. ${words(20)}.`;
  const picked = new Set<string>();
  while (picked.size < 3) picked.add(shape.topics[Math.floor(r() * shape.topics.length)]);
  const topics = [...picked].map((slug, k) => ({ slug, score: Math.round((0.9 - k * 0.2 - r() * 0.1) * 1000) / 1000 }));
  const version = r() < 0.3 ? (r() < 0.3 ? 3 : 2) : 1;
  return {
    i,
    id: benchId(i, 0),
    r,
    published,
    created: published + HOUR + Math.floor(r() * 6 * HOUR),
    title,
    abstract,
    hasCode: r() < 0.3,
    version,
    hash: `${hex(i, 12)}${hex(Math.floor(r() * 2 ** 32), 8)}`,
    topics,
  };
}

const csv = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? v : v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\n\r]/.test(s) || s === '' ? `"${s.replace(/"/g, '""')}"` : s;
};
const iso = (ms: number) => new Date(ms).toISOString();
const arxivId = (p: Paper) => {
  const d = new Date(p.published);
  return `${String(d.getUTCFullYear() % 100).padStart(2, '0')}${String(d.getUTCMonth() + 1).padStart(2, '0')}.${String(p.i % 100000).padStart(5, '0')}`;
};

/** Streams rows into `COPY table (columns) FROM STDIN (FORMAT csv)` through psql (triggers and FK checks off). */
async function copy(
  url: string,
  schema: string,
  table: string,
  columns: string[],
  rows: (emit: (cells: unknown[]) => boolean, flush: () => Promise<void>) => Promise<void>,
): Promise<number> {
  const child = spawn('psql', [url, '-v', 'ON_ERROR_STOP=1', '-q', '-c', `COPY ${table} (${columns.map((c) => `"${c}"`).join(', ')}) FROM STDIN WITH (FORMAT csv)`], {
    env: { ...process.env, PGOPTIONS: `-c search_path=${schema},public -c session_replication_role=replica` },
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<void>((res, rej) =>
    child.on('exit', (code) => (code === 0 ? res() : rej(new Error(`COPY ${table} failed (${code}): ${stderr.slice(0, 2000)}`)))),
  );
  let n = 0;
  let buf = '';
  const flush = async () => {
    if (!buf) return;
    const ok = child.stdin.write(buf);
    buf = '';
    if (!ok) await new Promise<void>((res) => child.stdin.once('drain', () => res()));
  };
  const emit = (cells: unknown[]) => {
    buf += `${cells.map(csv).join(',')}\n`;
    n += 1;
    return buf.length > 1 << 20;
  };
  await rows(emit, flush).catch((err) => {
    child.kill();
    throw err;
  });
  await flush();
  child.stdin.end();
  await done;
  return n;
}

async function forEachPaper(shape: DatasetShape, from: number, to: number, fn: (p: Paper) => unknown[][], emit: (cells: unknown[]) => boolean, flush: () => Promise<void>) {
  for (let i = from; i < to; i++) {
    let full = false;
    for (const row of fn(paperAt(shape, i))) full = emit(row) || full;
    if (full) await flush();
  }
}

export interface SourceIds {
  oai: string;
  rss: string;
  hf: string;
}

export async function insertSources(ds: DataSource): Promise<SourceIds> {
  const rows: { id: string; kind: string }[] = await ds.query(
    `INSERT INTO sources (name, kind, url, every_seconds, enabled) VALUES
       ('arxiv-oai-cs', 'arxiv-oai', 'https://export.arxiv.org/oai2', 3600, false),
       ('arxiv-rss-cs', 'arxiv-rss', 'https://rss.arxiv.org/rss/cs', 3600, false),
       ('hf-daily', 'hf-daily-papers', 'https://huggingface.co/api/daily_papers', 600, false)
     RETURNING id, kind`,
  );
  const by = (k: string) => rows.find((r) => r.kind === k)!.id;
  return { oai: by('arxiv-oai'), rss: by('arxiv-rss'), hf: by('hf-daily-papers') };
}

/** The sightings of paper p: OAI always, RSS for half, HF for a fifth (long-tailed upvotes). */
function sightings(p: Paper, src: SourceIds): unknown[][] {
  const r = rng(p.i * 7 + 3);
  const rows: unknown[][] = [];
  const announce = Math.floor(p.published / DAY) * DAY + DAY; // next midnight UTC
  // paper_id, source_id, source_kind, source_item_id, upvotes, comments, github_stars, announce_type, featured_at, submitted_by, first_seen_at, last_seen_at
  rows.push([benchId(p.i, 1), p.id, src.oai, 'arxiv-oai', `oai:arXiv.org:${arxivId(p)}`, null, null, null, null, null, null, iso(p.created), iso(p.created)]);
  if (r() < 0.5) rows.push([benchId(p.i, 2), p.id, src.rss, 'arxiv-rss', arxivId(p), null, null, null, 'new', iso(announce), null, iso(announce + HOUR), iso(announce + HOUR)]);
  if (r() < 0.2) {
    // Pareto-like: most papers get a handful of upvotes, a few get hundreds.
    const upvotes = Math.min(2000, Math.floor(1 / Math.pow(1 - r() * 0.999, 1.1)) - 1);
    const comments = r() < 0.2 ? 1 + Math.floor(r() * Math.min(50, upvotes / 3 + 1)) : 0;
    const featured = announce + Math.floor(r() * 2 * DAY);
    rows.push([
      benchId(p.i, 3),
      p.id,
      src.hf,
      'hf-daily-papers',
      arxivId(p),
      upvotes,
      comments,
      p.hasCode && r() < 0.5 ? Math.floor(r() * 3000) : null,
      null,
      iso(featured),
      `user${Math.floor(r() * 500)}`,
      iso(featured + 600_000),
      iso(featured + 600_000),
    ]);
  }
  return rows;
}

/** Runs a named phase, its seconds recorded in `timings` and logged. */
function phaseTimer(timings: Record<string, number>, log: (s: string) => void) {
  return async (name: string, fn: () => Promise<unknown>): Promise<void> => {
    const t = Date.now();
    await fn();
    timings[name] = (Date.now() - t) / 1000;
    log(`  ${name}: ${timings[name].toFixed(1)} s`);
  };
}

/** Generates the catalogue; returns seconds per phase. */
export async function generateDataset(ds: DataSource, url: string, schema: string, shape: DatasetShape, log: (s: string) => void): Promise<Record<string, number>> {
  const src = await insertSources(ds);
  const timings: Record<string, number> = {};
  const phase = phaseTimer(timings, log);
  const CHUNKS = 4;
  const table = (name: string, columns: string[], fn: (p: Paper) => unknown[][]) =>
    phase(`copy ${name}`, async () => {
      // Two COPY streams at a time: the generator and Postgres each get a core.
      const parts = Array.from({ length: CHUNKS }, (_, k) => [Math.floor((shape.papers * k) / CHUNKS), Math.floor((shape.papers * (k + 1)) / CHUNKS)]);
      for (let k = 0; k < parts.length; k += 2)
        await Promise.all(
          parts.slice(k, k + 2).map(([from, to]) =>
            copy(url, schema, name, columns, (emit, flush) => forEachPaper(shape, from, to, fn, emit, flush)),
          ),
        );
    });

  await table(
    'papers',
    ['id', 'paper_key', 'arxiv_id', 'title', 'abstract', 'authors', 'categories', 'links', 'has_code', 'version', 'published_at', 'content_hash', 'primary_topic', 'contribution', 'predicted_category', 'classifier_version', 'created_at', 'updated_at'],
    (p) => {
      const aid = arxivId(p);
      const authors = Array.from({ length: 2 + Math.floor(p.r() * 5) }, () => ({
        name: `${FIRST[Math.floor(p.r() * FIRST.length)]} ${LAST[Math.floor(p.r() * LAST.length)]}`,
      }));
      const links = {
        abs: `https://arxiv.org/abs/${aid}`,
        pdf: `https://arxiv.org/pdf/${aid}`,
        code: p.hasCode ? [`https://github.com/lab${p.i % 997}/repo${p.i}`] : [],
        project: p.r() < 0.1 ? [`https://lab${p.i % 997}.github.io/p${p.i}`] : [],
      };
      const t = p.created;
      return [
        [p.id, `arxiv:${aid}`, aid, p.title, p.abstract, authors, '{cs.CL}', links, p.hasCode, p.version, iso(p.published), p.hash, p.topics[0].slug, CONTRIB[p.i % CONTRIB.length], 'cs.CL', 'clf-2', iso(t), iso(t + 40_000)],
      ];
    },
  );
  await table(
    'paper_stages',
    ['paper_id', 'content_hash', 'stage', 'stage_at', 'parsed_at', 'classified_at', 'extracted_at', 'notified_at', 'first_notified_at', 'extractor_version'],
    (p) => {
      const t = p.created;
      return [[p.id, p.hash, 'notified', iso(t + 40_000), iso(t), iso(t + 10_000), iso(t + 20_000), iso(t + 40_000), iso(t + 40_000), 'metrics-1.3.0']];
    },
  );
  await table('paper_sources', ['id', 'paper_id', 'source_id', 'source_kind', 'source_item_id', 'upvotes', 'comments', 'github_stars', 'announce_type', 'featured_at', 'submitted_by', 'first_seen_at', 'last_seen_at'], (p) =>
    sightings(p, src),
  );
  await table('paper_versions', ['id', 'paper_id', 'version', 'content_hash', 'title', 'abstract', 'seen_at'], (p) =>
    Array.from({ length: p.version }, (_, k) => [benchId(p.i, 4, k), p.id, k + 1, k + 1 === p.version ? p.hash : `${p.hash}v${k + 1}`, p.title, p.abstract, iso(p.created + k * 5 * DAY)]),
  );
  await table('paper_topics', ['paper_id', 'topic_slug', 'score', 'is_primary', 'evidence', 'model_version', 'content_hash', 'classified_at'], (p) =>
    p.topics.map((t, k) => [p.id, t.slug, t.score, k === 0, '[]', 'clf-2', p.hash, iso(p.created + 10_000)]),
  );
  await table(
    'paper_claims',
    ['id', 'paper_id', 'start', 'end', 'text', 'value', 'unit', 'category', 'kind', 'metric', 'improvement', 'dataset', 'is_headline', 'extractor_version', 'content_hash', 'extracted_at'],
    (p) => {
      const r = rng(p.i * 11 + 5);
      const metric = METRICS[Math.floor(r() * METRICS.length)];
      const v = Math.round(r() * 300) / 10;
      return [
        [benchId(p.i, 5), p.id, 100, 110, `${v}%`, v, '%', 'result', KINDS[Math.floor(r() * 2)], metric, true, DATASETS[Math.floor(r() * DATASETS.length)], true, 'metrics-1.3.0', p.hash, iso(p.created + 20_000)],
        [benchId(p.i, 6), p.id, 140, 145, '3.2x', Math.round(r() * 50) / 10 + 1, 'x', 'result', 'reduction', 'latency', true, null, false, 'metrics-1.3.0', p.hash, iso(p.created + 20_000)],
      ];
    },
  );
  await phase('paper_search (tsvector)', () =>
    ds.query(
      `INSERT INTO paper_search (paper_id, search, content_hash, search_key)
       SELECT id, ${searchExpressionOf('papers')}, content_hash, ${searchKeyOf('papers')} FROM papers`,
    ),
  );
  return timings;
}

/** Subscription owners the extras make (each with SUBSCRIPTIONS_PER_KEY subscriptions), and one key at the 999 cap. */
export const EXTRA_KEYS = 2000;
export const SUBSCRIPTIONS_PER_KEY = 50;
export const BIG_KEY_SUBSCRIPTIONS = 999;
/** Synthetic vocabulary added to search_words: the generator's ~110 words are far fewer than a real catalogue's. */
export const EXTRA_WORDS = 500_000;

/**
 * What the newer features read, at the catalogue's scale (session 27): api keys and subscriptions (2,000 keys × 50,
 * one key at 999, prefix pwbbig; 5% paused, 2% disabled, 1% unconfirmed, 3% failing), ~500k deliveries of recent papers (delivered,
 * failed with errors, pending, and held: pending on a paused subscription), daily digests with their left-out lists,
 * `paper_stages.first_notified_at`, and the spelling vocabulary (`search_words`: the papers' own words counted by the
 * sweeper's pass up to the newest `leaveForSweep` papers, which one timed pass then reads, plus EXTRA_WORDS synthetic
 * words with long-tailed counts). Returns seconds per phase; the caller's api key for the 999-subscription owner.
 */
export async function generateExtras(
  ds: DataSource,
  shape: DatasetShape,
  log: (s: string) => void,
  countWords: (ds: DataSource, batch: number) => Promise<number>,
  leaveForSweep = 10_000,
): Promise<Record<string, number>> {
  const timings: Record<string, number> = {};
  const phase = phaseTimer(timings, log);
  await phase('first_notified_at', () =>
    ds.transaction(async (m) => {
      await m.query(`SET LOCAL session_replication_role = replica`);
      await m.query(`UPDATE paper_stages SET first_notified_at = notified_at WHERE first_notified_at IS NULL AND notified_at IS NOT NULL`);
    }),
  );
  await phase('api keys and subscriptions', async () => {
    await ds.query(
      `INSERT INTO api_keys (name, prefix, key_hash, scopes, created_at)
       SELECT 'bench-key-' || k, 'pwb' || lpad(k::text, 9, '0'), md5(k::text) || md5('x' || k), ARRAY['read', 'subscriptions'], now() - interval '400 days'
         FROM generate_series(1, $1::int) k
       UNION ALL SELECT 'bench-key-big', 'pwbbig', md5('big') || md5('big2'), ARRAY['read', 'subscriptions'], now() - interval '400 days'`,
      [EXTRA_KEYS],
    );
    // statuses by position: 5% paused (a fifth of them by a key revocation), 2% disabled by a 410, 1% unconfirmed
    await ds.query(
      `INSERT INTO subscriptions (owner_key_id, name, channel, target, secrets, filters, mode, schedule, status, status_reason,
                                  consecutive_failures, failed_messages, confirmed_at, created_at, updated_at, paused_at)
       SELECT k.id, 'sub ' || n, CASE WHEN n % 10 = 0 THEN 'email' ELSE 'webhook' END,
              CASE WHEN n % 10 = 0 THEN 'reader' || n || '@example.org' ELSE 'https://hooks.example.org/' || n END,
              '["whsec_benchbenchbenchbenchbenchbenchbench"]'::jsonb,
              jsonb_build_object('topics', jsonb_build_object('slugs', jsonb_build_array(($3::text[])[1 + (n % array_length($3::text[], 1))]), 'match', 'any')),
              CASE WHEN n % 10 < 7 THEN 'instant' WHEN n % 10 < 9 THEN 'daily' ELSE 'weekly' END,
              CASE WHEN n % 10 >= 7 THEN '{"hour": 8, "minute": 0, "timeZone": "UTC", "limit": 20}'::jsonb END,
              CASE WHEN n % 100 < 5 THEN 'paused' WHEN n % 100 < 7 THEN 'disabled' WHEN n % 100 = 7 THEN 'pending_confirmation' ELSE 'active' END,
              CASE WHEN n % 100 = 0 THEN 'key revoked' WHEN n % 100 IN (5, 6) THEN 'endpoint answered 410' END,
              CASE WHEN n % 100 BETWEEN 10 AND 12 THEN 1 + n % 7 ELSE 0 END,
              CASE WHEN n % 100 BETWEEN 10 AND 12 THEN n % 3 ELSE 0 END,
              CASE WHEN n % 100 <> 7 THEN now() - interval '300 days' END,
              now() - interval '300 days' + n * interval '1 minute', now() - interval '1 day' + n * interval '1 millisecond',
              CASE WHEN n % 100 < 5 THEN now() - interval '3 days' END
         FROM (SELECT id, row_number() OVER (ORDER BY prefix) AS kn, prefix = 'pwbbig' AS big FROM api_keys WHERE prefix LIKE 'pwb%') k
        CROSS JOIN LATERAL generate_series((k.kn - 1) * $1 + 1, (k.kn - 1) * $1 + CASE WHEN k.big THEN $2 ELSE $1 END) n`,
      [SUBSCRIPTIONS_PER_KEY, BIG_KEY_SUBSCRIPTIONS, shape.topics],
    );
  });
  await phase('deliveries', async () => {
    // each subscription gets ~5 paper deliveries among the newest 20,000 papers (by position); statuses by position
    await ds.query(
      `WITH recent AS (SELECT id, row_number() OVER (ORDER BY created_at DESC, id) AS rn FROM papers ORDER BY created_at DESC, id LIMIT 20000),
            subs AS (SELECT id, status, row_number() OVER (ORDER BY created_at, id) AS sn FROM subscriptions)
       INSERT INTO deliveries (subscription_id, paper_id, detail, status, attempts, last_status_code, last_error, delivered_at, created_at, updated_at)
       SELECT s.id, r.id, '{}'::jsonb,
              CASE WHEN s.status = 'paused' AND j < 2 THEN 'pending' WHEN (s.sn + j) % 40 = 0 THEN 'failed' WHEN (s.sn + j) % 53 = 0 THEN 'pending'
                   WHEN (s.sn + j) % 97 = 0 THEN 'skipped' ELSE 'delivered' END,
              CASE WHEN (s.sn + j) % 40 = 0 THEN 8 WHEN (s.sn + j) % 53 = 0 THEN 1 ELSE 1 END,
              CASE WHEN (s.sn + j) % 40 = 0 THEN 503 ELSE 200 END,
              CASE WHEN (s.sn + j) % 40 = 0 THEN 'endpoint answered 503' END,
              CASE WHEN (s.sn + j) % 40 <> 0 AND (s.sn + j) % 53 <> 0 THEN now() - (j + 1) * interval '1 hour' END,
              now() - (j + 1) * interval '1 hour' - s.sn * interval '1 millisecond', now() - (j + 1) * interval '1 hour'
         FROM subs s CROSS JOIN generate_series(0, 4) j
         JOIN recent r ON r.rn = 1 + (s.sn * 7 + j * 3001) % 20000`,
    );
    // daily digests of the digest subscriptions for the last 30 days, a fifth of them capped with 30 papers left out
    await ds.query(
      `WITH subs AS (SELECT id, row_number() OVER (ORDER BY created_at, id) AS sn FROM subscriptions WHERE mode <> 'instant' AND status = 'active')
       INSERT INTO deliveries (subscription_id, digest_key, detail, status, attempts, last_status_code, delivered_at, created_at, updated_at)
       SELECT s.id, to_char(current_date - d, 'YYYY-MM-DD'),
              jsonb_build_object('period', jsonb_build_object('start', (current_date - d)::timestamptz, 'end', (current_date - d + 1)::timestamptz),
                                 'papers', '[]'::jsonb, 'total', CASE WHEN (s.sn + d) % 5 = 0 THEN 50 ELSE 12 END,
                                 'capped', false, 'leftOutKept', (s.sn + d) % 5 = 0),
              'delivered', 1, 200, (current_date - d)::timestamptz + interval '8 hours', (current_date - d)::timestamptz + interval '8 hours',
              (current_date - d)::timestamptz + interval '8 hours'
         FROM subs s CROSS JOIN generate_series(1, 30) d`,
    );
    await ds.query(
      `WITH recent AS (SELECT id, row_number() OVER (ORDER BY created_at DESC, id) AS rn FROM papers ORDER BY created_at DESC, id LIMIT 5000)
       INSERT INTO digest_left_out (delivery_id, position, paper_id)
       SELECT d.id, i, r.id FROM deliveries d CROSS JOIN generate_series(1, 30) i JOIN recent r ON r.rn = i + (abs(hashtext(d.id::text)) % 4900)
        WHERE d.digest_key IS NOT NULL AND d.detail->'leftOutKept' = 'true'::jsonb`,
    );
  });
  // claim_topics (claims by metric and topic) is kept by triggers, off while the rows were copied
  await phase('claim_topics', async () => {
    const [{ n }]: { n: number }[] = await ds.query(`SELECT count(*)::int AS n FROM (SELECT 1 FROM claim_topics LIMIT 1) x`);
    if (n === 0) await ds.query(CLAIM_TOPICS_FILL);
  });
  await phase('search words (sweeper pass)', async () => {
    await countWords(ds, Math.max(0, shape.papers - leaveForSweep));
  });
  await phase('search words (synthetic)', () =>
    // long-tailed counts: most words in 1–3 papers, a few in thousands; letters from md5, lengths 4–14
    ds.query(
      `INSERT INTO search_words (word, papers)
       SELECT w, max(c) FROM (
         SELECT (SELECT string_agg(chr(97 + get_byte(decode(md5(i::text || '.' || k), 'hex'), 0) % 26), '' ORDER BY k)
                   FROM generate_series(1, 4 + i % 11) k) AS w,
                greatest(1, floor(1 / power(1 - (abs(hashtext(i::text)) % 1000000) / 1000000.0 * 0.9999, 1.3)))::int AS c
           FROM generate_series(1, $1::int) i) t
       GROUP BY w ON CONFLICT (word) DO NOTHING`,
      [EXTRA_WORDS],
    ),
  );
  await phase('vacuum analyze (extras)', () => ds.query('VACUUM (ANALYZE) api_keys, subscriptions, deliveries, digest_left_out, search_words, paper_stages, claim_topics'));
  return timings;
}
