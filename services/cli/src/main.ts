import 'reflect-metadata';
import { Command, Option } from 'commander';
import { FEED_FORMATS, backfillStart } from '@paperwire/contracts';
import { CliContext, err, out } from './context';
import { describeFeedError, runClassify, runExtract, runParse } from './commands/offline';
import { ingestFile, listSources, pollSources, removeSource, setEnabled, upsertSource, type SourceSpec } from './commands/sources';
import { formatStats, pipelineStats } from './commands/stats';
import {
  createSubscription,
  enqueueConfirmation,
  listSubscriptions,
  removeSubscription,
  scheduleFromOptions,
  setSubscriptionStatus,
  triggerDigest,
} from './commands/subscriptions';
import { runUp } from './commands/up';
import { checkOperatorUrl } from './commands/url-check';
import { resetStage, searchClaims, showPaper, versionChanges } from './commands/catalogue';
import { disableTopic, listTopics, upsertTopic } from './commands/topics';
import { listFailed, retryFailed } from './commands/failed';
import { createClassifier, loadDefaultModel } from '@paperwire/classification';
import { EXTRACTOR_VERSION } from '@paperwire/metrics';
import { API_KEY_SCOPES, KEY_REVOKED_REASON, createApiKey, listApiKeys, loadTopics, revokeApiKey, type ApiKeyScope } from '@paperwire/db';

const program = new Command('paperwire').description('PaperWire operator CLI').showHelpAfterError();
const formatOption = () => new Option('-f, --format <format>', 'input format (detected when omitted)').choices([...FEED_FORMATS]);
let ctx: CliContext | undefined;
const context = () => (ctx ??= new CliContext());

function action<A extends unknown[]>(fn: (...args: A) => Promise<number | void> | number | void) {
  return async (...args: A) => {
    try {
      const code = await fn(...args);
      process.exitCode = typeof code === 'number' ? code : 0;
    } catch (e) {
      err(`paperwire: ${describeFeedError(e)}`);
      process.exitCode = 1;
    } finally {
      await ctx?.close();
    }
  };
}

program
  .command('up')
  .description('migrate, start every service, ingest the bundled sample and keep running')
  .option('--exit-when-done', 'stop everything once the sample is processed')
  .option('--timeout <seconds>', 'give up waiting for the sample after this long', '600')
  .action(action(async (o: { exitWhenDone?: boolean; timeout: string }) => runUp(context(), { exitWhenDone: o.exitWhenDone, timeoutSeconds: Number(o.timeout) })));

const db = program.command('db').description('database');
db.command('migrate')
  .description('create the database if needed, run migrations, load the default taxonomy')
  .action(action(async () => out(await context().migrate())));

program
  .command('parse <file>')
  .description('print the papers of a feed file as JSON Lines (offline)')
  .addOption(formatOption())
  .action(action((file: string, o: { format?: string }) => runParse(file, o.format)));
program
  .command('classify <file>')
  .description('print topics, primary topic and contribution type per paper as JSON Lines (offline)')
  .addOption(formatOption())
  .action(action((file: string, o: { format?: string }) => runClassify(file, o.format)));
program
  .command('extract <file>')
  .description('print the quantitative claims of each abstract as JSON Lines (offline)')
  .addOption(formatOption())
  .action(action((file: string, o: { format?: string }) => runExtract(file, o.format)));

program
  .command('ingest <file>')
  .description('store a feed file and send it through the pipeline')
  .addOption(formatOption())
  .action(
    action(async (file: string, o: { format?: string }) => {
      const c = context();
      out(await ingestFile(await c.db(), c.queues(), file, o.format));
    }),
  );

program
  .command('stats')
  .description('papers per stage, queues, claims, deliveries and failures')
  .option('--json', 'print JSON')
  .action(
    action(async (o: { json?: boolean }) => {
      const c = context();
      const s = await pipelineStats(await c.db(), c.queues());
      out(o.json ? s : formatStats(s));
    }),
  );

const sources = program.command('sources').description('feeds PaperWire polls');
sources.command('list').action(
  action(async () => {
    for (const s of await listSources(await context().db())) out(s);
  }),
);
sources
  .command('add <name> <kind> [url]')
  .description('add or update a source (kind: hf-daily-papers, arxiv-api, arxiv-rss, arxiv-oai, hf-papers-html, daily-papers-text, file)')
  .option('--every <seconds>', 'poll interval in seconds')
  .option('--param <key=value...>', 'kind parameters (format, date, metadataPrefix, set, from, until, search_query, …)')
  .option('--allow-private', 'allow private/loopback addresses (local replay only)')
  .option('--min-interval <ms>', 'minimum gap between requests to the host')
  .action(
    action(async (name: string, kind: string, url: string | undefined, o: { every?: string; param?: string[]; allowPrivate?: boolean; minInterval?: string }) => {
      const params = Object.fromEntries((o.param ?? []).map((kv) => {
        const i = kv.indexOf('=');
        if (i <= 0) throw new Error(`--param ${kv}: expected key=value`);
        return [kv.slice(0, i), kv.slice(i + 1)];
      }));
      // The API's SSRF check: a private feed URL needs --allow-private (local replay only).
      if (url && kind !== 'file' && kind !== 'upload') await checkOperatorUrl(url, 'source URL', Boolean(o.allowPrivate), err);
      const spec: SourceSpec = {
        name,
        kind: kind as SourceSpec['kind'],
        url: url ?? null,
        params,
        everySeconds: o.every ? Number(o.every) : null,
        allowPrivate: Boolean(o.allowPrivate),
        minIntervalMs: o.minInterval ? Number(o.minInterval) : undefined,
      };
      out({ id: await upsertSource(await context().db(), spec), name });
    }),
  );
for (const [cmd, enabled] of [['enable', true], ['disable', false]] as const) {
  sources.command(`${cmd} <name>`).action(
    action(async (name: string) => {
      if (!(await setEnabled(await context().db(), name, enabled))) throw new Error(`no source named ${name}`);
      out({ name, enabled });
    }),
  );
}
sources.command('remove <name>').action(
  action(async (name: string) => {
    if (!(await removeSource(await context().db(), name))) throw new Error(`no source named ${name}`);
    out({ name, removed: true });
  }),
);
sources
  .command('poll [name]')
  .description('fetch a source now (all enabled sources without a name)')
  .action(
    action(async (name?: string) => {
      const c = context();
      out({ polled: await pollSources(await c.db(), c.queues(), name) });
    }),
  );

const subs = program.command('subscriptions').description('webhook and email subscriptions');
subs
  .command('add <name> <channel> <target>')
  .description('channel webhook|email; prints the webhook secret once')
  .option('--topics <slugs>', 'comma-separated topic slugs')
  .option('--all-topics', 'require all topics instead of any')
  .option('--min-score <score>', 'minimum topic score')
  .option('--keywords <words>', 'comma-separated keywords or phrases')
  .option('--filters <json>', 'a full filter object as JSON')
  .addOption(new Option('--mode <mode>').choices(['instant', 'daily', 'weekly']).default('instant'))
  .option('--hour <h>', 'digest hour, 0-23 (daily/weekly)')
  .option('--minute <m>', 'digest minute, 0-59 (default 0)')
  .option('--tz <zone>', 'IANA time zone of the digest time (default UTC)')
  .option('--weekday <d>', 'weekly digest day, 0 = Sunday … 6')
  .option('--limit <n>', 'most papers per digest (1-100, default 50)')
  .option('--allow-private', 'accept a webhook on a private/loopback address (local receivers; the notifier also needs WEBHOOK_ALLOW_PRIVATE=true)')
  .action(
    action(
      async (
        name: string,
        channel: string,
        target: string,
        o: { topics?: string; allTopics?: boolean; minScore?: string; keywords?: string; filters?: string; mode: 'instant' | 'daily' | 'weekly'; hour?: string; minute?: string; tz?: string; weekday?: string; limit?: string; allowPrivate?: boolean },
      ) => {
        if (channel !== 'webhook' && channel !== 'email') throw new Error('channel: webhook or email');
        // The API's SSRF check; WEBHOOK_ALLOW_PRIVATE=true (the notifier's setting) allows private receivers too.
        if (channel === 'webhook')
          await checkOperatorUrl(target, 'webhook URL', Boolean(o.allowPrivate) || /^(true|1|yes)$/.test(process.env.WEBHOOK_ALLOW_PRIVATE ?? ''), err);
        const filters = o.filters ? JSON.parse(o.filters) : {};
        if (o.topics) filters.topics = { slugs: o.topics.split(',').map((s) => s.trim()), match: o.allTopics ? 'all' : 'any', ...(o.minScore ? { minScore: Number(o.minScore) } : {}) };
        if (o.keywords) filters.keywords = o.keywords.split(',').map((s) => s.trim());
        const schedule = scheduleFromOptions(o.mode, o);
        const c = context();
        const created = await createSubscription(await c.db(), { name, channel, target, filters, mode: o.mode, schedule });
        // Double opt-in: nothing is mailed until the address confirms.
        const confirmationJob = channel === 'email' ? await enqueueConfirmation(c.queues(), created.id) : undefined;
        out({ ...created, ...(confirmationJob ? { confirmationJob } : {}) });
      },
    ),
  );
subs
  .command('digest <id>')
  .description('send a daily/weekly subscription its digest now (the current period so far)')
  .action(action(async (id: string) => out(await triggerDigest(await context().db(), context().queues(), id))));
subs
  .command('list')
  .description('every subscription (with the key that owns it; status_reason "key revoked" after a key revocation)')
  .action(
    action(async () => {
      for (const s of await listSubscriptions(await context().db())) out(s);
    }),
  );
subs.command('pause <id>').action(
  action(async (id: string) => {
    if (!(await setSubscriptionStatus(await context().db(), id, 'paused'))) throw new Error(`no active or paused subscription ${id}`);
    out({ id, status: 'paused' });
  }),
);
subs
  .command('resume <id>')
  .description('resume a paused subscription; an instant one also gets the papers notified while paused (last 7 days, 10,000 papers at most)')
  .option('--no-backfill', 'do not deliver the papers notified while it was paused')
  .action(
    action(async (id: string, o: { backfill: boolean }) => {
      const c = context();
      const ds = await c.db();
      // Read before the resume clears it (the subscriptions_paused_at trigger); the job id is per
      // pause, so a concurrent second resume queues nothing more.
      const [prev]: { paused_at: Date | null; mode: string }[] = await ds.query(`SELECT paused_at, mode FROM subscriptions WHERE id = $1`, [id]);
      if (!(await setSubscriptionStatus(ds, id, 'active'))) throw new Error(`no active or paused subscription ${id}`);
      // Digests need no backfill: their next digest covers its whole period.
      if (!o.backfill || !prev?.paused_at || prev.mode !== 'instant') return out({ id, status: 'active', backfill: false });
      const pausedAt = new Date(prev.paused_at);
      const backfillJob = await c.queues().enqueue('backfill-subscription', { subscriptionId: id, since: pausedAt.toISOString() });
      out({ id, status: 'active', backfillJob, since: backfillStart(pausedAt, new Date()).toISOString() });
    }),
  );
subs.command('remove <id>').action(
  action(async (id: string) => {
    if (!(await removeSubscription(await context().db(), id))) throw new Error(`no subscription ${id}`);
    out({ id, removed: true });
  }),
);

program
  .command('reclassify')
  .description('send papers classified by another model or taxonomy version back through the classifier (via the queue)')
  .option('--since <date>', 'only papers published since')
  .option('--all', 'every paper, whatever its version')
  .action(
    action(async (o: { since?: string; all?: boolean }) => {
      const c = context();
      const ds = await c.db();
      const version = createClassifier(
        (await loadTopics(ds)).map((t) => ({ slug: t.slug, name: t.name, description: t.description, keywords: t.keywords, examples: t.examples })),
        loadDefaultModel(),
      ).version;
      out({ version, ...(await resetStage(ds, c.queues(), { to: 'parsed', version, since: o.since, all: o.all, batchSize: c.config.BATCH_SIZE })) });
    }),
  );
program
  .command('reextract')
  .description('send papers extracted by another extractor version back through the extractor (via the queue)')
  .option('--since <date>', 'only papers published since')
  .option('--all', 'every paper, whatever its version')
  .action(
    action(async (o: { since?: string; all?: boolean }) => {
      const c = context();
      out({ version: EXTRACTOR_VERSION, ...(await resetStage(await c.db(), c.queues(), { to: 'classified', version: EXTRACTOR_VERSION, since: o.since, all: o.all, batchSize: c.config.BATCH_SIZE })) });
    }),
  );

program
  .command('claims')
  .description('search claims across papers, e.g. --metric "gpu memory" --kind reduction --min 10 --unit x')
  .option('--metric <text>')
  .option('--kind <kind>')
  .option('--unit <unit>')
  .option('--min <value>')
  .option('--max <value>')
  .option('--since <date>')
  .option('--limit <n>', 'at most this many', '50')
  .action(
    action(async (o: { metric?: string; kind?: string; unit?: string; min?: string; max?: string; since?: string; limit: string }) => {
      const num = (v?: string) => (v === undefined ? undefined : Number.isFinite(Number(v)) ? Number(v) : (() => { throw new Error(`not a number: ${v}`); })());
      for (const row of await searchClaims(await context().db(), { ...o, min: num(o.min), max: num(o.max), limit: num(o.limit) })) out(row);
    }),
  );

program
  .command('paper <id>')
  .description('one paper (uuid or arXiv id) with topics, claims, sightings and versions')
  .option('--versions', 'print what changed between versions')
  .action(
    action(async (id: string, o: { versions?: boolean }) => {
      const p = await showPaper(await context().db(), id);
      if (!p) throw new Error(`no paper ${id}`);
      if (o.versions) {
        out({ id: p.id, arxivId: p.arxivId, versions: p.versions.length, changes: versionChanges(p.versions) });
      } else out(p);
    }),
  );

const topics = program.command('topics').description('the taxonomy (topics are data)');
topics.command('list').action(
  action(async () => {
    for (const t of await listTopics(await context().db())) out(t);
  }),
);
topics
  .command('add <slug>')
  .description('add or edit a topic; the classifier uses it on the next papers')
  .requiredOption('--name <name>')
  .requiredOption('--description <text>')
  .option('--keywords <list>', 'comma-separated keywords or phrases')
  .action(
    action(async (slug: string, o: { name: string; description: string; keywords?: string }) => {
      await upsertTopic(await context().db(), { slug, name: o.name, description: o.description, keywords: o.keywords?.split(',').map((k) => k.trim()).filter(Boolean) });
      out({ slug, saved: true });
    }),
  );
topics.command('remove <slug>').action(
  action(async (slug: string) => {
    if (!(await disableTopic(await context().db(), slug))) throw new Error(`no topic ${slug}`);
    out({ slug, enabled: false });
  }),
);

const failed = program.command('failed').description('the dead-letter set: failed jobs with their errors');
failed
  .command('list')
  .option('--queue <name>')
  .action(
    action(async (o: { queue?: string }) => {
      for (const j of await listFailed(context().queues(), o.queue)) out(j);
    }),
  );
failed
  .command('retry <queue> [jobId]')
  .description('retry one failed job, or all failed jobs of a queue')
  .action(
    action(async (queue: string, jobId?: string) => {
      out({ retried: await retryFailed(context().queues(), queue, jobId) });
    }),
  );

const keys = program.command('keys').description('API keys (stored hashed; the key is shown once)');
keys
  .command('create <name>')
  .requiredOption('--scopes <list>', `comma-separated: ${API_KEY_SCOPES.join(', ')}`)
  .action(
    action(async (name: string, o: { scopes: string }) => {
      const scopes = o.scopes.split(',').map((s) => s.trim());
      const bad = scopes.filter((s) => !(API_KEY_SCOPES as readonly string[]).includes(s));
      if (bad.length > 0 || scopes.length === 0) throw new Error(`--scopes: one or more of ${API_KEY_SCOPES.join(', ')}`);
      const created = await createApiKey(await context().db(), { name, scopes: scopes as ApiKeyScope[] });
      out({ id: created.id, name: created.name, prefix: created.prefix, scopes: created.scopes, key: created.key });
    }),
  );
keys.command('list').action(
  action(async () => {
    for (const k of await listApiKeys(await context().db(), { includeRevoked: true })) out(k);
  }),
);
keys
  .command('revoke <idOrPrefix>')
  .description(`revoke a key; its subscriptions are paused with the reason "${KEY_REVOKED_REASON}" (unconfirmed ones disabled)`)
  .action(
    action(async (idOrPrefix: string) => {
      const ds = await context().db();
      if (!(await revokeApiKey(ds, idOrPrefix))) throw new Error(`no active key ${idOrPrefix}`);
      const [{ n }]: { n: number }[] = await ds.query(
        `SELECT count(*)::int AS n FROM subscriptions s JOIN api_keys k ON k.id = s.owner_key_id
          WHERE (k.id::text = $1 OR k.prefix = $1) AND s.status = 'paused' AND s.status_reason = $2`,
        [idOrPrefix, KEY_REVOKED_REASON],
      );
      out({ revoked: idOrPrefix, subscriptionsPaused: n });
    }),
  );

void program.parseAsync(process.argv);
