import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import {
  ActionError,
  ADDABLE_SOURCE_KINDS,
  MAX_UPLOAD_BYTES,
  createSource,
  ingestDocument,
  ingestProgress,
  listSources,
  pollAllSources,
  pollSource,
  removeSource,
  setSourceEnabled,
  type IngestProgress,
  type Source,
  type SourceAccess,
  type SourceSaved,
  type Upload,
} from '@paperwire/actions';
import { FEED_FORMATS, PAPER_STAGES } from '@paperwire/contracts';
import type { DataSource } from 'typeorm';
import { STDIN, readInputFile } from '../input-file';
import { asOptionError, integerOption } from '../options';
import { err, out, printList, shellWord, wantsJson } from '../output';
import { action, context } from '../runtime';
import { formatFailureStreak, formatSkipped } from './stats';

/** What the operator on the host may grant: file sources always, private addresses with --allow-private. */
const operatorAccess = (allowPrivate: boolean): SourceAccess => ({ allowPrivate, allowFile: true });

/** The saved source on stdout (its `warnings` with it, as the API answers them), each warning also on stderr. */
function outSaved(saved: SourceSaved): void {
  for (const w of saved.warnings) err(`paperwire: warning: ${w}`);
  out(saved);
}

function parseParams(pairs: string[] | undefined): Record<string, string> {
  return Object.fromEntries(
    (pairs ?? []).map((kv) => {
      const i = kv.indexOf('=');
      if (i <= 0) throw new ActionError('invalid', `--param ${kv}: expected key=value`);
      return [kv.slice(0, i), kv.slice(i + 1)];
    }),
  );
}

/** The `sources add` option or argument that sets a field of the source. */
const OPTION_OF: Readonly<Record<string, string>> = { '/everySeconds': '--every', '/minIntervalMs': '--min-interval', '/params': '--param', '/params/format': '--param format' };

/** The columns of the `sources list` table. */
export const SOURCE_TABLE_COLUMNS = ['name', 'kind', 'enabled', 'everySeconds', 'lastStatus', 'failures', 'lastSuccessAt', 'lastError', 'skippedEntries', 'url'] as const;

/** Sources as the `sources list` table shows them: their failure streak in the words of /ops and `stats` (`failures`). */
export function sourceTableRows(sources: readonly Source[]): (Source & { failures: string })[] {
  return sources.map((x) => ({ ...x, failures: formatFailureStreak({ ...x, failingSince: null }) }));
}

export function registerSourceCommands(program: Command): void {
  const sources = program.command('sources').description('feeds PaperWire polls');
  sources
    .command('list')
    .description(
      'every source: kind, enabled, poll interval, last status, failures (polls that failed for good in a row, failed attempts with their retries), last success and error (a document that did not parse too), entries its latest document skipped, URL',
    )
    .option('--json', 'JSON Lines (the default when stdout is not a terminal)')
    .action(
      action(async (o: { json?: boolean }) => {
        const sources = await listSources(await context().db());
        // JSON keeps the source's fields (failedPolls, consecutiveFailures); the table says the streak as /ops does
        if (wantsJson(o)) return printList(sources, o, []);
        printList(sourceTableRows(sources), o, SOURCE_TABLE_COLUMNS);
      }),
    );
  sources
    .command('add <name> <kind> [url]')
    .description(`add or update a source (kind: ${ADDABLE_SOURCE_KINDS.join(', ')}; uploads have their own source: paperwire ingest)`)
    .option('--every <seconds>', 'poll interval in seconds')
    .option('--param <key=value...>', 'kind parameters (format, date, metadataPrefix, set, from, until, search_query, …)')
    .option('--allow-private', 'allow private/loopback addresses (local replay only)')
    .option('--min-interval <ms>', 'minimum gap between requests to the host (default 3000 for arxiv.org, else 1000)')
    .action(
      action(async (name: string, kind: string, url: string | undefined, o: { every?: string; param?: string[]; allowPrivate?: boolean; minInterval?: string }) => {
        const input = {
          name,
          kind,
          url: url ?? null,
          params: parseParams(o.param),
          everySeconds: integerOption('--every', o.every) ?? null,
          ...(o.minInterval !== undefined ? { minIntervalMs: integerOption('--min-interval', o.minInterval) } : {}),
        };
        try {
          const saved = await createSource(await context().db(), input, operatorAccess(Boolean(o.allowPrivate)), { replace: true });
          outSaved(saved);
          // without an interval nothing polls it: say how it gets fetched, not leave the operator waiting
          if (saved.everySeconds === null)
            err(`paperwire: ${saved.name} has no --every, so it is fetched only when asked: run \`paperwire sources poll ${shellWord(saved.name)}\` now, or add it again with --every <seconds>`);
        } catch (e) {
          // the fields by the options that set them: `--every must be …`, not `everySeconds …`
          throw asOptionError(e, OPTION_OF);
        }
      }),
    );
  for (const [cmd, enabled, what] of [
    ['enable', true, 'poll a source again (on its schedule, or when asked)'],
    ['disable', false, 'stop polling a source'],
  ] as const) {
    sources.command(`${cmd} <name>`).description(what).action(
      action(async (name: string) => {
        out(await setSourceEnabled(await context().db(), { name }, enabled));
      }),
    );
  }
  sources.command('remove <name>').description('delete a source').action(
    action(async (name: string) => {
      const c = context();
      await removeSource(await c.db(), { name }, await c.queues());
      out({ name, removed: true });
    }),
  );
  sources
    .command('poll [name]')
    .description('fetch a source now (all enabled sources without a name)')
    .action(
      action(async (name?: string) => {
        const c = context();
        if (name === undefined) return out({ polled: await pollAllSources(await c.db(), await c.queues()) });
        out({ polled: [name], ...(await pollSource(await c.db(), await c.queues(), { name })) });
      }),
    );

  program
    .command('ingest <file>')
    .description('store a feed file (- for standard input) and send it through the pipeline')
    .addOption(new Option('-f, --format <format>', 'input format (detected when omitted)').choices([...FEED_FORMATS]))
    .option('--wait', "show progress per stage until the document's papers are notified")
    .option('--timeout <seconds>', 'with --wait: give up (exit 1) after this long', '600')
    .action(
      action(async (file: string, o: { format?: string; wait?: boolean; timeout: string }) => {
        const c = context();
        const path = file === STDIN ? file : resolve(file);
        // a bad --timeout is refused before anything is read or stored
        const timeoutS = o.wait ? integerOption('--timeout', o.timeout, 1)! : 0;
        // Read before connecting: a missing file is one line naming it, a huge one is refused without loading it
        // (a stream, standard input included, when it passes the limit).
        const body = readInputFile(path, MAX_UPLOAD_BYTES);
        const ds = await c.db();
        const upload = await ingestDocument(ds, await c.queues(), { body, location: path === STDIN ? 'stdin' : path, format: o.format });
        if (!o.wait) return out(upload);
        return waitForIngest(ds, upload, timeoutS * 1000);
      }),
    );
}

/**
 * `document parsed; 3 papers: parsed 1, classified 1, notified 1` in pipeline order; before the parser has read the
 * document, that it waits for it (its papers are not known yet: not "0 papers").
 */
export function formatProgress(p: IngestProgress): string {
  if (p.status === 'fetched' && p.papers === 0) return 'document fetched; waiting for the parser (its papers are counted once it is parsed)';
  const stages = Object.entries(p.stages).sort(([a], [b]) => PAPER_STAGES.indexOf(a as never) - PAPER_STAGES.indexOf(b as never));
  const papers = `${p.papers} paper${p.papers === 1 ? '' : 's'}${stages.length ? `: ${stages.map(([s, n]) => `${s} ${n}`).join(', ')}` : ''}`;
  // an entry the parser skipped is a paper the operator does not get: said with why, not only kept in the database
  const skipped = p.skippedEntries > 0 ? `; skipped ${formatSkipped(p.skippedEntries, p.skipped)}` : '';
  return `document ${p.status ?? 'gone'}; ${papers}${skipped}`;
}

/**
 * What `ingest --wait` prints on stdout: the upload and its progress, its papers counted once (`papers`, which the
 * stages add up to; the parser's own count, which only decides when a document without papers is done, is left out).
 */
export function ingestResult(upload: Upload, p: IngestProgress): Upload & Omit<IngestProgress, 'paperCount'> {
  const { paperCount: _parserCount, ...progress } = p;
  return { ...upload, ...progress };
}

/** Done: parsed, and every paper it holds notified (a document without papers is done once parsed). */
export const ingestDone = (p: IngestProgress): boolean => p.status === 'parsed' && (p.stages.notified ?? 0) === p.papers && (p.papers > 0 || p.paperCount === 0);

/**
 * Polls the document's papers per stage, printing a line on stderr whenever the counts move, until
 * all are notified (exit 0, the result on stdout), the document failed or the time is up (exit 1).
 */
async function waitForIngest(ds: DataSource, upload: Upload, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let shown = '';
  for (;;) {
    const p = await ingestProgress(ds, upload.rawDocumentId);
    const line = formatProgress(p);
    if (line !== shown) err(line);
    shown = line;
    if (ingestDone(p)) {
      out(ingestResult(upload, p));
      return 0;
    }
    if (p.status === 'failed' || p.status === null) {
      err(`paperwire: the document ${p.status === null ? 'is gone' : `failed: ${p.error ?? 'unknown error'}`}`);
      out(ingestResult(upload, p));
      return 1;
    }
    if (Date.now() > deadline) {
      err(`paperwire: timed out after ${timeoutMs / 1000} s (${line})`);
      return 1;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
