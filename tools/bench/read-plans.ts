// `node tools/run.js tools/bench/read-plans [--papers N] [--only name,name] [--rounds R] [--out file.jsonl]`
// Every read's statements at the size of a `bench:api` dataset (bench_api_N, made by `npm run bench:api -- --papers N
// --reuse`, whose extras fill subscriptions, deliveries, digests and search words): the api runs on it as a login role
// of its own whose sessions preload `auto_explain` (ANALYZE, BUFFERS, every statement, JSON) — its connections only,
// nobody else's — with the response cache off; each route is requested once to warm, then R times measured, and the
// server log's plans of that request are summed (statements, shared buffers hit + read, temp blocks, ms). Needs the
// server log readable here (PG_LOG, default /var/log/postgresql/postgresql-15-main.log) and a superuser DB_URL.
// One JSON line per route on stdout (the statements' texts and top plan nodes too with --out), a table on stderr.
import { writeFileSync } from 'node:fs';
import { createDataSource, createApiKey } from '@paperwire/db';
import { signToken } from '@paperwire/notifications';
import { startServiceProcess } from '@paperwire/testing';
import { explainRole, logSize, plansSince, ROLE, type Plan } from './explain-log';
import { DB_URL, REDIS_URL, argValue } from './harness';

const TOKEN_SECRET = 'read-plans-token-secret-0123456789abcdef0123456789';
const log = (s: string) => process.stderr.write(`${s}\n`);

interface Step {
  name: string;
  path: string;
  method?: string;
  key?: 'owner' | 'admin';
  html?: boolean;
}

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o), 'utf8').toString('base64url');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const papers = Number(argValue(argv, 'papers') ?? 1_000_000);
  const only = argValue(argv, 'only')?.split(',') ?? null;
  const rounds = Number(argValue(argv, 'rounds') ?? 1);
  const out = argValue(argv, 'out');
  const schema = `bench_api_${papers}`;
  const dbName = new URL(DB_URL).pathname.slice(1);
  const ds = await createDataSource({ url: DB_URL, schema, poolSize: 2 }).initialize();
  // the api's role: its sessions, and only its, explain every statement
  await explainRole(ds, dbName);

  // keys: an admin key, and the owner of the 999 subscriptions (the extras' pwbbig key) made a real one
  const admin = await createApiKey(ds, { name: 'read-plans admin', scopes: ['read', 'subscriptions', 'admin'] });
  const owner = await createApiKey(ds, { name: 'read-plans owner', scopes: ['read', 'subscriptions'] });
  await ds.query(`UPDATE subscriptions SET owner_key_id = $1 WHERE owner_key_id IN (SELECT id FROM api_keys WHERE prefix = 'pwbbig' OR (name = 'read-plans owner' AND id <> $1))`, [owner.id]);

  // parameters from the data
  const one = async <T>(sql: string, params: unknown[] = []): Promise<T> => ((await ds.query(sql, params)) as T[])[0];
  const { mid } = await one<{ mid: string }>(
    `SELECT ((min(published_at) + (max(published_at) - min(published_at)) / 2) AT TIME ZONE 'UTC')::date::text AS mid FROM papers`,
  );
  const { week, month } = await one<{ week: string; month: string }>(`SELECT to_char($1::date, 'IYYY-"w"IW') AS week, to_char($1::date, 'YYYY-MM') AS month`, [mid]);
  const { latestMonth } = await one<{ latestMonth: string }>(`SELECT to_char(max(published_at) AT TIME ZONE 'UTC', 'YYYY-MM') AS "latestMonth" FROM papers`);
  const deep = await one<{ sort_at: string; id: string }>(
    `SELECT to_char(coalesce(published_at, listed_at, created_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS sort_at, id FROM papers
      ORDER BY coalesce(published_at, listed_at, created_at) DESC, id DESC OFFSET 19999 LIMIT 1`,
  );
  const deepCursor = b64({ s: 'recent', k: [deep.sort_at, deep.id] });
  const paper = await one<{ arxiv_id: string; id: string }>(
    `SELECT arxiv_id, id FROM papers ORDER BY coalesce(published_at, listed_at, created_at) DESC LIMIT 1 OFFSET 100`,
  );
  const ownSub = await one<{ id: string }>(`SELECT id FROM subscriptions WHERE owner_key_id = $1 ORDER BY created_at LIMIT 1 OFFSET 500`, [owner.id]);
  const pausedSub = await one<{ id: string }>(`SELECT id FROM subscriptions WHERE owner_key_id = $1 AND status = 'paused' ORDER BY created_at LIMIT 1`, [owner.id]);
  const digest = await one<{ id: string }>(
    `SELECT d.id FROM deliveries d WHERE d.digest_key IS NOT NULL AND d.detail->'leftOutKept' = 'true'::jsonb ORDER BY d.created_at DESC LIMIT 1`,
  );
  const someKey = await one<{ id: string }>(`SELECT id FROM api_keys WHERE prefix = 'pwb000000777'`);
  const digestToken = signToken({ sub: digest.id, purpose: 'digest' }, TOKEN_SECRET);
  const unsubToken = signToken({ sub: ownSub.id, purpose: 'unsubscribe' }, TOKEN_SECRET);
  const [{ day }]: { day: string }[] = await ds.query(`SELECT $1::text AS day`, [mid]);

  const steps: Step[] = [
    ['home', '/'],
    ['home ?date', `/?date=${day}`],
    ['home ?topic', '/?topic=rag'],
    ['home ?topic&date', `/?topic=rag&date=${day}`],
    ['home ?week', `/?week=${week}`],
    ['home ?month', `/?month=${month}`],
    ['home ?month&topic', `/?month=${month}&topic=rag`],
    ['home ?month latest', `/?month=${latestMonth}`],
    ['home trending', '/?tab=trending'],
    ['home trending 30d', '/?tab=trending&window=30d'],
    ['home trending topic', '/?tab=trending&topic=rag'],
    ['home search', '/?q=retrieval%20distillation'],
    ['home search topic', '/?q=retrieval%20distillation&topic=rag'],
    ['home search typo', '/?q=retreival%20distilation'],
    ['home search typo topic', '/?q=retreival&topic=rag'],
    ['home search nonsense', '/?q=zzqxvw%20qqpxz'],
    ['home search author', '/?q=Tanaka'],
    ['daily latest', '/v1/daily'],
    ['daily ?date', `/v1/daily?date=${day}`],
    ['daily ?date trending', `/v1/daily?date=${day}&sort=trending`],
    ['daily ?week', `/v1/daily?week=${week}`],
    ['daily ?month', `/v1/daily?month=${month}`],
    ['daily ?month&topic', `/v1/daily?month=${month}&topic=rag`],
    ['daily ?week&topic', `/v1/daily?week=${week}&topic=rag`],
    ['daily ?month trending', `/v1/daily?month=${month}&sort=trending`],
    ['trending 7d', '/v1/trending'],
    ['trending 24h', '/v1/trending?window=24h'],
    ['trending 30d', '/v1/trending?window=30d'],
    ['trending topic', '/v1/trending?topic=rag'],
    ['papers first', '/v1/papers'],
    ['papers 20000 deep', `/v1/papers?cursor=${deepCursor}`],
    ['papers topic', '/v1/papers?topic=rag'],
    ['papers q', '/v1/papers?q=retrieval%20distillation'],
    ['papers q typo', '/v1/papers?q=retreival%20distilation'],
    ['papers q empty', '/v1/papers?q=zzqxvw'],
    ['papers q rare', '/v1/papers?q=zzqxvw%20OR%20tanaka'],
    ['home search one unknown word', '/?q=zzqxvw'],
    ['feed search unknown', '/v1/feeds/search.json?q=zzqxvw'],
    ['hf search unknown', '/api/papers/search?q=zzqxvw'],
    ['papers claimMetric', '/v1/papers?claimMetric=accuracy'],
    ['papers claimKind score', '/v1/papers?claimKind=score'],
    ['papers claimKind improvement+topic', '/v1/papers?claimKind=improvement&topic=rag'],
    ['papers hasCode', '/v1/papers?hasCode=true'],
    ['papers since-until', `/v1/papers?since=${day}&until=${day}`],
    ['papers trending', '/v1/papers?sort=trending'],
    ['papers trending topic', '/v1/papers?sort=trending&topic=rag'],
    ['claims metric', '/v1/claims?claimMetric=accuracy'],
    ['claims kind score', '/v1/claims?claimKind=score'],
    ['claims kind improvement topic', '/v1/claims?claimKind=improvement&topic=rag'],
    ['claims kind reduction unit min', '/v1/claims?claimKind=reduction&claimUnit=x&claimMin=4'],
    ['claims metric topic', '/v1/claims?claimMetric=accuracy&topic=rag'],
    ['topics', '/v1/topics'],
    ['feed topic atom', '/v1/feeds/topics/rag.atom'],
    ['feed topic json', '/v1/feeds/topics/rag.json'],
    ['feed rag.atom', '/v1/feeds/rag.atom'],
    ['feed search json', '/v1/feeds/search.json?q=distillation'],
    ['feed search typo', '/v1/feeds/search.atom?q=distilation'],
    ['stats pipeline', '/v1/stats/pipeline'],
    ['ops', '/ops'],
    ['paper page', `/papers/${paper.arxiv_id}`],
    ['paper json arxiv', `/v1/papers/${paper.arxiv_id}`],
    ['paper json uuid', `/v1/papers/${paper.id}`],
    ['abs', `/abs/${paper.arxiv_id}`],
    ['hf daily', `/api/daily_papers?date=${day}`],
    ['hf latest', '/api/daily_papers'],
    ['hf month', `/api/daily_papers?month=${month}`],
    ['hf trending', '/api/daily_papers?sort=trending'],
    ['hf paper', `/api/papers/${paper.arxiv_id}`],
    ['hf search', '/api/papers/search?q=retrieval%20distillation'],
    ['sitemap', '/sitemap.xml'],
    ['sitemap day', `/sitemaps/${day}.xml`],
  ].map(([name, path]) => ({ name, path }));
  steps.push(
    { name: 'subscriptions (999)', path: '/v1/subscriptions', key: 'owner' },
    { name: 'subscription', path: `/v1/subscriptions/${ownSub.id}`, key: 'owner' },
    { name: 'deliveries', path: `/v1/subscriptions/${ownSub.id}/deliveries`, key: 'owner' },
    { name: 'deliveries held', path: `/v1/subscriptions/${pausedSub.id}/deliveries`, key: 'owner' },
    { name: 'digest page 1', path: `/digests/${digest.id}?t=${digestToken}`, html: false },
    { name: 'digest page 1 html', path: `/digests/${digest.id}?t=${digestToken}&page=1`, html: true },
    { name: 'unsubscribe page', path: `/v1/unsubscribe?t=${unsubToken}`, html: true },
    { name: 'admin keys (2,003)', path: '/v1/admin/keys', key: 'admin' },
    { name: 'admin subscriptions', path: '/v1/admin/subscriptions', key: 'admin' },
    { name: 'admin subscriptions paused', path: '/v1/admin/subscriptions?status=paused', key: 'admin' },
    { name: 'admin subscriptions reason', path: '/v1/admin/subscriptions?reason=key%20revoked', key: 'admin' },
    { name: 'admin subscriptions owner', path: `/v1/admin/subscriptions?ownerKeyId=${someKey.id}`, key: 'admin' },
    { name: 'admin failed', path: '/v1/admin/failed', key: 'admin' },
    { name: 'sources', path: '/v1/sources', key: 'admin' },
  );
  await ds.destroy();

  const url = new URL(DB_URL);
  url.username = ROLE;
  const api = await startServiceProcess(
    'api',
    {
      DATABASE_URL: url.toString(),
      DATABASE_SCHEMA: schema,
      REDIS_URL,
      QUEUE_PREFIX: `{read-plans-${process.pid}}`,
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '100000000',
      API_CLIENT_CONCURRENCY: '10000',
      API_CACHE_MS: '0',
      TOKEN_SECRET,
      OTEL_EXPORTER_OTLP_ENDPOINT: undefined,
    },
    { logName: 'read-plans', timeoutMs: 120_000 },
  );
  const base = `http://127.0.0.1:${api.port}`;
  const who = `${ROLE}@${dbName}`;
  const lines: string[] = [];
  const request = async (s: Step, path = s.path) => {
    const headers: Record<string, string> = { accept: s.html === true || (!s.path.startsWith('/v1') && !s.path.startsWith('/api') && s.html !== false) ? 'text/html' : 'application/json' };
    if (s.key) headers.authorization = `Bearer ${s.key === 'admin' ? admin.key : owner.key}`;
    const r = await fetch(`${base}${path}`, { method: s.method ?? 'GET', headers });
    const body = await r.text();
    return { status: r.status, body };
  };
  try {
    // follow-on pages: a listing's cursor five pages on, from the JSON pages' nextCursor
    const follow: [string, string][] = [
      ['daily ?month p6', `/v1/daily?month=${month}`],
      ['daily ?week&topic p6', `/v1/daily?week=${week}&topic=rag`],
      ['trending 30d p6', '/v1/trending?window=30d'],
      ['claims kind score p6', '/v1/claims?claimKind=score'],
      ['papers q p6', '/v1/papers?q=retrieval%20distillation'],
      ['papers trending p6', '/v1/papers?sort=trending'],
    ];
    for (const [name, first] of follow) {
      if (only && !only.includes(name)) continue;
      let path = first;
      for (let i = 0; i < 5; i++) {
        const { body } = await request({ name, path });
        const next = (JSON.parse(body) as { nextCursor?: string | null }).nextCursor;
        if (!next) break;
        path = `${first}&cursor=${encodeURIComponent(next)}`;
      }
      steps.push({ name, path });
    }
    steps.push({ name: 'subscriptions page 2', path: '/v1/subscriptions', key: 'owner' });
    for (const s of steps) {
      if (only && !only.includes(s.name)) continue;
      await request(s);
      const runs: { statements: number; buffers: number; temp: number; ms: number; status: number; plans: Plan[] }[] = [];
      for (let r = 0; r < rounds; r++) {
        const from = logSize();
        const { status } = await request(s);
        await new Promise((res) => setTimeout(res, 250));
        const { plans } = plansSince(from, who);
        runs.push({
          status,
          statements: plans.length,
          buffers: plans.reduce((a, p) => a + p.hit + p.read, 0),
          temp: plans.reduce((a, p) => a + p.temp, 0),
          ms: Math.round(plans.reduce((a, p) => a + p.ms, 0) * 100) / 100,
          plans,
        });
      }
      const pick = runs.sort((a, b) => a.buffers - b.buffers)[Math.floor(runs.length / 2)];
      const top = [...pick.plans].sort((a, b) => b.hit + b.read - (a.hit + a.read))[0];
      const row = { route: s.name, path: s.path.replace(/([?&])t=[^&]+/, '$1t=…'), status: pick.status, statements: pick.statements, buffers: pick.buffers, temp: pick.temp, ms: median(runs.map((r) => r.ms)), top: top ? { buffers: top.hit + top.read, ms: top.ms, text: top.text } : null };
      process.stdout.write(`${JSON.stringify(row)}\n`);
      lines.push(JSON.stringify({ ...row, plans: pick.plans }));
      log(`${s.name.padEnd(34)} ${String(pick.status).padStart(3)}  ${String(pick.statements).padStart(3)} stmts  ${String(pick.buffers).padStart(8)} buffers  ${String(row.ms).padStart(9)} ms${pick.temp ? `  temp ${pick.temp}` : ''}`);
    }
  } finally {
    await api.stop(10_000);
    if (out) writeFileSync(out, `${lines.join('\n')}\n`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`read-plans failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
