import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { CLAIM_KINDS, CLAIM_UNITS, FEED_FORMATS } from '@paperwire/contracts';
import { exitQuietlyOnClosedPipe, out, printList, wantsJson } from './output';
import { action, context } from './runtime';
import { runClassify, runExtract, runParse } from './commands/offline';
import { formatStats, pipelineStats } from './commands/stats';
import { registerFailedCommands } from './commands/failed';
import { registerKeyCommands } from './commands/keys';
import { registerPaperCommands } from './commands/papers';
import { registerSourceCommands } from './commands/sources';
import { registerSubscriptionCommands } from './commands/subscriptions';
import { repoRoot, runUp } from './commands/up';
import { CLAIMS_CLI_MAX_LIMIT, CLAIM_TABLE_COLUMNS, claimNumbers, searchClaims, showPaper, versionChanges } from './commands/catalogue';
import { reclassifyPapers, reextractPapers } from '@paperwire/actions';
import { TOPIC_TABLE_COLUMNS, disableTopic, listTopics, topicTableRows, upsertTopic } from './commands/topics';
import { integerOption } from './options';

exitQuietlyOnClosedPipe();

/** The checkout's version (package.json at the repository root, where `up` finds the bundled sample). */
function cliVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

const program = new Command('paperwire')
  .description('PaperWire operator CLI')
  .version(`paperwire ${cliVersion()}`, '-V, --version', 'print the version')
  .showHelpAfterError();
const formatOption = () => new Option('-f, --format <format>', 'input format (detected when omitted)').choices([...FEED_FORMATS]);

program
  .command('up')
  .description('migrate, start every service, ingest the bundled sample and keep running')
  .option('--exit-when-done', 'stop everything once the sample is processed')
  .option('--timeout <seconds>', 'give up waiting for the sample after this long', '600')
  .action(action(async (o: { exitWhenDone?: boolean; timeout: string }) => runUp(context(), { exitWhenDone: o.exitWhenDone, timeoutSeconds: integerOption('--timeout', o.timeout, 1)! })));

const db = program.command('db').description('database');
db.command('migrate')
  .description('create the database if needed, run migrations, load the default taxonomy')
  .action(action(async () => out(await context().migrate())));

program
  .command('parse <file>')
  .description('print the papers of a feed file (- for standard input) as JSON Lines (offline)')
  .addOption(formatOption())
  .action(action((file: string, o: { format?: string }) => runParse(file, o.format)));
program
  .command('classify <file>')
  .description('print topics, primary topic and contribution type per paper of a file (- for standard input) as JSON Lines (offline)')
  .addOption(formatOption())
  .action(action((file: string, o: { format?: string }) => runClassify(file, o.format)));
program
  .command('extract <file>')
  .description('print the quantitative claims of each abstract of a file (- for standard input) as JSON Lines (offline)')
  .addOption(formatOption())
  .action(action((file: string, o: { format?: string }) => runExtract(file, o.format)));

program
  .command('stats')
  .description('papers per stage, queues, claims, deliveries and failures')
  .option('--json', 'print JSON')
  .action(
    action(async (o: { json?: boolean }) => {
      const c = context();
      const s = await pipelineStats(await c.db(), await c.queues());
      out(o.json ? s : formatStats(s));
    }),
  );

registerSourceCommands(program);
registerSubscriptionCommands(program);

// Re-runs of a stage over papers an older version of it labelled: the same options, a different stage.
for (const [name, what, rerun] of [
  ['reclassify', 'classified by another model or taxonomy version back through the classifier', reclassifyPapers],
  ['reextract', 'extracted by another extractor version back through the extractor', reextractPapers],
] as const) {
  program
    .command(name)
    .description(`send papers ${what} (via the queue)`)
    .option('--since <date>', 'only papers published since')
    .option('--all', 'every paper, whatever its version')
    .action(
      action(async (o: { since?: string; all?: boolean }) => {
        const c = context();
        out(await rerun(await c.db(), await c.queues(), { ...o, batchSize: c.config.BATCH_SIZE }));
      }),
    );
}

program
  .command('claims')
  .description('search claims across papers, e.g. --metric "gpu memory" --kind reduction --min 10 --unit x')
  .option('--metric <text>', 'what the claim measures, e.g. "gpu memory", accuracy (case-insensitive; known aliases too)')
  .option('--kind <kind>', `kind of claim: ${CLAIM_KINDS.join(', ')}`)
  .option('--unit <unit>', `unit of the value: ${CLAIM_UNITS.join(', ')}`)
  .option('--min <value>', 'value at least this')
  .option('--max <value>', 'value at most this')
  .option('--since <date>', 'only papers published (else listed or first seen) since this date, e.g. 2026-11-01')
  .option('--limit <n>', `at most this many (1-${CLAIMS_CLI_MAX_LIMIT})`, '50')
  .option('--json', 'JSON Lines (the default when stdout is not a terminal)')
  .action(
    action(async (o: { metric?: string; kind?: string; unit?: string; min?: string; max?: string; since?: string; limit: string; json?: boolean }) => {
      const hits = await searchClaims(await context().db(), { ...o, ...claimNumbers(o) });
      printList(hits, o, CLAIM_TABLE_COLUMNS);
    }),
  );

program
  .command('paper <id>')
  .description('one paper (uuid or arXiv id) with topics, claims, sightings and versions')
  .option('--versions', 'print what changed between versions')
  .action(
    action(async (id: string, o: { versions?: boolean }) => {
      const p = await showPaper(await context().db(), id);
      if (!p) throw new Error(`no paper with id ${id} in the catalogue`);
      if (o.versions) {
        out({ id: p.id, arxivId: p.arxivId, versions: p.versions.length, changes: versionChanges(p.versions) });
      } else out(p);
    }),
  );

const topics = program.command('topics').description('the taxonomy (topics are data)');
topics
  .command('list')
  .description('the topics of the taxonomy: slug, name, origin, papers, primary papers, papers in the last 7 and 30 days')
  .option('--json', 'JSON Lines, with the whole trend (the default when stdout is not a terminal)')
  .action(
    action(async (o: { json?: boolean }) => {
      const items = await listTopics(await context().db());
      // JSON keeps the topic as the API gives it (trend and all); the table flattens the trend's counts
      if (wantsJson(o)) return printList(items, o, []);
      printList(topicTableRows(items), o, TOPIC_TABLE_COLUMNS);
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
topics.command('remove <slug>').description('disable a topic (kept for history): the classifier stops using it; papers lose it when reclassified').action(
  action(async (slug: string) => {
    if (!(await disableTopic(await context().db(), slug))) throw new Error(`no topic ${slug}`);
    out({ slug, enabled: false });
  }),
);

registerPaperCommands(program);
registerFailedCommands(program);
registerKeyCommands(program);

void program.parseAsync(process.argv);
