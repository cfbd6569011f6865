import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { FEED_FORMATS } from '@paperwire/contracts';
import { exitQuietlyOnClosedPipe, out } from './output';
import { action, context } from './runtime';
import { runClassify, runExtract, runParse } from './commands/offline';
import { formatStats, pipelineStats } from './commands/stats';
import { registerFailedCommands } from './commands/failed';
import { registerKeyCommands } from './commands/keys';
import { registerPaperCommands } from './commands/papers';
import { registerSourceCommands } from './commands/sources';
import { registerSubscriptionCommands } from './commands/subscriptions';
import { repoRoot, runUp } from './commands/up';
import { claimNumbers, searchClaims, showPaper, versionChanges } from './commands/catalogue';
import { reclassifyPapers, reextractPapers } from '@paperwire/actions';
import { disableTopic, listTopics, upsertTopic } from './commands/topics';
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
  .option('--metric <text>')
  .option('--kind <kind>')
  .option('--unit <unit>')
  .option('--min <value>')
  .option('--max <value>')
  .option('--since <date>')
  .option('--limit <n>', 'at most this many', '50')
  .action(
    action(async (o: { metric?: string; kind?: string; unit?: string; min?: string; max?: string; since?: string; limit: string }) => {
      for (const row of await searchClaims(await context().db(), { ...o, ...claimNumbers(o) })) out(row);
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
topics.command('list').description('the topics of the taxonomy, one JSON object a line').action(
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
