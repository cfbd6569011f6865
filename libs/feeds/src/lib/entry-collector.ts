import type { CanonicalPaper, EntryError } from '@paperwire/contracts';
import { EntryFailure } from './feed-error';

export interface Collected {
  papers: CanonicalPaper[];
  errors: EntryError[];
}

/**
 * Runs `build` on every entry: one bad entry becomes an EntryError and the others are kept. `build` may return
 * null to skip an entry silently (an OAI deleted record). Unexpected exceptions are entry errors too, since the
 * entry's shape is whatever the upstream sent.
 */
export function collectEntries<T>(
  entries: readonly T[],
  build: (entry: T, index: number) => CanonicalPaper | null,
  idOf: (entry: T) => string | undefined,
): Collected {
  const papers: CanonicalPaper[] = [];
  const errors: EntryError[] = [];
  entries.forEach((entry, index) => {
    try {
      const paper = build(entry, index);
      if (paper) papers.push(paper);
    } catch (err) {
      let id: string | undefined;
      try {
        id = idOf(entry);
      } catch {
        id = undefined;
      }
      const message = err instanceof EntryFailure ? err.message : `unreadable entry: ${errorMessage(err)}`;
      errors.push(id ? { index, id: id.slice(0, 200), message } : { index, message });
    }
  });
  return { papers, errors };
}

export function errorMessage(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, 500);
}
