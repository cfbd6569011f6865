import type { Command } from 'commander';
import { papersToRemove, removePapers, type RemovedPaper } from '@paperwire/actions';
import { err, oneLine, out, printList, type ListFormat } from '../output';
import { action, context } from '../runtime';

/** The columns of the papers a removal names. */
const REMOVED_COLUMNS = ['id', 'arxivId', 'title'] as const;

/** `3 papers` / `1 paper`. */
const papersWord = (n: number): string => `${n} paper${n === 1 ? '' : 's'}`;

/** The one line a removal leaves on stderr: how many, and each by id and title. */
export function removalLine(removed: readonly RemovedPaper[], deliveriesSkipped: number): string {
  const each = removed.map((p) => `${p.arxivId ?? p.id} "${oneLine(p.title).slice(0, 80)}"`).join(', ');
  const skipped = deliveriesSkipped > 0 ? `; ${deliveriesSkipped} deliveries not sent yet skipped` : '';
  return `paperwire: removed ${papersWord(removed.length)}${removed.length ? `: ${each}` : ''}${skipped}`;
}

export function registerPaperCommands(program: Command): void {
  const papers = program.command('papers').description('papers of the catalogue');
  papers
    .command('remove <id...>')
    .description(
      'delete papers ingested by mistake (catalogue id, arXiv id or DOI) with their topics, claims, days, sightings and versions; deliveries not sent yet are skipped. Without --yes it only lists them',
    )
    .option('--yes', 'remove them (without it: list the papers it would remove, remove nothing, exit 1)')
    .option('--json', 'JSON Lines (the default when stdout is not a terminal)')
    .action(
      action(async (ids: string[], o: ListFormat & { yes?: boolean }) => {
        const db = await context().db();
        if (!o.yes) {
          const chosen = await papersToRemove(db, ids);
          printList(chosen, o, REMOVED_COLUMNS);
          err(`paperwire: this would remove ${papersWord(chosen.length)} and everything hanging off them; nothing removed: run again with --yes to remove them`);
          return 1;
        }
        const done = await removePapers(db, ids);
        err(removalLine(done.removed, done.deliveriesSkipped));
        out(done);
      }),
    );
}
