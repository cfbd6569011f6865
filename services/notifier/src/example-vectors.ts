import { loadShippedWordVectors, textVector } from '@paperwire/classification';
import type {
  ExampleVector,
  ExampleVectors,
  MatchablePaper,
  SubscriptionFilter,
} from '@paperwire/notifications';

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

/** Example vectors computed so far, by paper id, with the texts they were computed from. */
const knownExamples = new Map<string, { title: string; abstract: string; vector: Float32Array }>();

/**
 * The example vectors of every `examples` filter among `filters` (one query for all their papers, every call);
 * undefined when none has examples, so a notifier without such subscriptions never loads the word vectors. A
 * vector is computed again only when its paper's title or abstract changed since it was computed (the cache
 * refreshes every few seconds; 100 subscriptions of 20 examples would otherwise cost ~2,000 vectors a refresh).
 */
export async function loadExampleVectors(
  filters: readonly SubscriptionFilter[],
  texts: (ids: string[]) => Promise<{ id: string; title: string; abstract: string }[]>,
): Promise<ExampleVectors | undefined> {
  const ids = [...new Set(filters.flatMap((f) => f.examples?.papers ?? []))];
  if (ids.length === 0) return undefined;
  const wv = loadShippedWordVectors();
  const rows = await texts(ids);
  // kept across calls (the cache's refreshes, backfills, digests), bounded: cleared past 5,000 examples (~2 kB each)
  if (knownExamples.size > 5_000) knownExamples.clear();
  const byPaperId = new Map<string, ExampleVector>();
  for (const r of rows) {
    let known = knownExamples.get(r.id);
    if (known === undefined || known.title !== r.title || known.abstract !== r.abstract) {
      known = { title: r.title, abstract: r.abstract, vector: textVector(r.title, r.abstract, wv) };
      knownExamples.set(r.id, known);
    }
    byPaperId.set(r.id, { label: known.title, vector: known.vector });
  }
  return { byPaperId, paperVector };
}
