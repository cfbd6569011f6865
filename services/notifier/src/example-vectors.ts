import { loadShippedWordVectors, textVector } from '@paperwire/classification';
import type { ExampleVectors, MatchablePaper, SubscriptionFilter } from '@paperwire/notifications';

// Subscriptions' `examples` filters compare text vectors (libs/classification textVector: the learned model's
// dense word-vector block). The word vectors load once per process, on the first examples filter seen.

const paperVectors = new WeakMap<MatchablePaper, Float32Array>();

/**
 * A candidate paper's vector, memoised per paper object: a job loads its papers once and every subscription
 * matches the same objects, so each paper's vector is computed once per job.
 */
export function paperVector(paper: MatchablePaper): Float32Array {
  let v = paperVectors.get(paper);
  if (v === undefined) {
    v = textVector(paper.title, paper.abstract, loadShippedWordVectors());
    paperVectors.set(paper, v);
  }
  return v;
}

/**
 * The example vectors of every `examples` filter among `filters` (one query for all their papers); undefined
 * when none has examples, so a notifier without such subscriptions never loads the word vectors.
 */
export async function loadExampleVectors(
  filters: readonly SubscriptionFilter[],
  texts: (ids: string[]) => Promise<{ id: string; title: string; abstract: string }[]>,
): Promise<ExampleVectors | undefined> {
  const ids = [...new Set(filters.flatMap((f) => f.examples?.papers ?? []))];
  if (ids.length === 0) return undefined;
  const wv = loadShippedWordVectors();
  const rows = await texts(ids);
  return {
    byPaperId: new Map(
      rows.map((r) => [r.id, { label: r.title, vector: textVector(r.title, r.abstract, wv) }]),
    ),
    paperVector,
  };
}
