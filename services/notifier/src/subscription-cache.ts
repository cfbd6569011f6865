import { Injectable } from '@nestjs/common';
import { metricKey } from '@paperwire/metrics';
import {
  compileFilter,
  filterNeeds,
  missingExamples,
  subscriptionFilterSchema,
  type ExampleVectors,
  type FilterNeeds,
  type MatchablePaper,
  type SubscriptionFilter,
} from '@paperwire/notifications';
import { loadExampleVectors } from './example-vectors';
import { NotifierRepository, type SubscriptionRow } from './notifier.repository';

export interface CompiledSubscription {
  row: SubscriptionRow;
  match: (paper: MatchablePaper) => { matched: boolean; reasons: string[] };
  /** what `match` reads of a paper: all a paper needs loaded to be matched */
  needs: FilterNeeds;
}

export interface SubscriptionMatch {
  subscriptionId: string;
  paperId: string;
  reasons: string[];
}

/** Every (subscription, paper) pair that matches. */
export function matchPapers(papers: MatchablePaper[], subs: CompiledSubscription[]): SubscriptionMatch[] {
  return papers.flatMap((paper) =>
    subs.flatMap((s) => {
      const r = s.match(paper);
      return r.matched ? [{ subscriptionId: s.row.id, paperId: paper.id, reasons: r.reasons }] : [];
    }),
  );
}

type Parsed =
  { row: SubscriptionRow; filter: SubscriptionFilter } | { row: SubscriptionRow; invalid: string };

function parseRow(row: SubscriptionRow): Parsed {
  const parsed = subscriptionFilterSchema.safeParse(row.filters ?? {});
  return parsed.success ? { row, filter: parsed.data } : { row, invalid: parsed.error.message };
}

/**
 * Compiles a subscription's stored filters, or says why they are invalid: filters are validated at
 * every edge, so a bad row (edited by hand, or a legacy `examples` filter without papers) must not
 * match everything, nor crash the notifier. An `examples` filter needs the vectors of at least one of
 * its example papers (`examples`, from loadExampleVectors).
 */
export function compileSubscription(
  row: SubscriptionRow,
  examples?: ExampleVectors,
): CompiledSubscription | { invalid: string } {
  const parsed = parseRow(row);
  return 'invalid' in parsed ? { invalid: parsed.invalid } : compileParsed(row, parsed.filter, examples);
}

function compileParsed(
  row: SubscriptionRow,
  filter: SubscriptionFilter,
  examples: ExampleVectors | undefined,
): CompiledSubscription | { invalid: string } {
  const missing = missingExamples(filter, examples);
  if (filter.examples && missing.length === filter.examples.papers.length)
    return { invalid: `examples: none of the example papers is in the catalogue (${missing.join(', ')})` };
  return { row, match: compileFilter(filter, { metricKey, examples }), needs: filterNeeds(filter) };
}

/**
 * Compiles subscriptions with the vectors of all their example papers, read once (one query). Live
 * matching (every refresh of the cache) and the backfill of a resumed subscription both compile here.
 */
export async function compileSubscriptions(
  repo: Pick<NotifierRepository, 'examplePaperTexts'>,
  rows: SubscriptionRow[],
): Promise<{ compiled: CompiledSubscription[]; invalid: Map<string, string> }> {
  const parsed = rows.map(parseRow);
  const filters = parsed.flatMap((p) => ('filter' in p ? [p.filter] : []));
  const examples = await loadExampleVectors(filters, (ids) => repo.examplePaperTexts(ids));
  const compiled: CompiledSubscription[] = [];
  const invalid = new Map<string, string>();
  for (const p of parsed) {
    const c = 'invalid' in p ? { invalid: p.invalid } : compileParsed(p.row, p.filter, examples);
    if ('invalid' in c) invalid.set(p.row.id, c.invalid);
    else compiled.push(c);
  }
  return { compiled, invalid };
}

/** One subscription compiled with its example vectors (the backfill of a resume, a digest). */
export async function compileStoredSubscription(
  repo: Pick<NotifierRepository, 'examplePaperTexts'>,
  row: SubscriptionRow,
): Promise<CompiledSubscription | { invalid: string }> {
  const { compiled, invalid } = await compileSubscriptions(repo, [row]);
  return compiled[0] ?? { invalid: invalid.get(row.id) ?? 'invalid filters' };
}

/** Active instant subscriptions with their filters compiled once; refreshed every few seconds. */
@Injectable()
export class SubscriptionCache {
  private static readonly TTL_MS = 3_000;
  private cached: CompiledSubscription[] = [];
  private loadedAt = 0;
  private invalid = new Map<string, string>();

  constructor(private readonly repo: NotifierRepository) {}

  async instant(): Promise<CompiledSubscription[]> {
    if (Date.now() - this.loadedAt < SubscriptionCache.TTL_MS) return this.cached;
    const rows = await this.repo.activeInstantSubscriptions();
    // example vectors are computed here, once per refresh, for every examples subscription together
    const { compiled, invalid } = await compileSubscriptions(this.repo, rows);
    this.invalid = invalid;
    this.cached = compiled;
    this.loadedAt = Date.now();
    return compiled;
  }

  invalidFilters(): Map<string, string> {
    return this.invalid;
  }
}
