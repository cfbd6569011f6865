import type { MatchablePaper } from '@paperwire/notifications';
import type { SubscriptionRow } from './notifier.repository';
import { compileSubscription, matchPapers, type CompiledSubscription } from './subscription-cache';

const row = (id: string, filters: Record<string, unknown>): SubscriptionRow => ({
  id,
  name: id,
  channel: 'webhook',
  target: 'https://hooks.example/x',
  secrets: [],
  filters,
  mode: 'instant',
  status: 'active',
  consecutive_failures: 0,
});

const paper = (id: string, title: string): MatchablePaper => ({
  id,
  title,
  abstract: 'An abstract.',
  authors: [],
  topics: [],
  claims: [],
  sources: [],
  codeLinks: [],
});

const compiled = (r: SubscriptionRow): CompiledSubscription => {
  const c = compileSubscription(r);
  if ('invalid' in c) throw new Error(c.invalid);
  return c;
};

describe('compileSubscription', () => {
  it('refuses invalid stored filters instead of matching everything', () => {
    expect(compileSubscription(row('bad', { keywords: ['  '] }))).toEqual({ invalid: expect.any(String) });
  });
});

describe('matchPapers', () => {
  it('pairs every matching subscription with every matching paper, with the reasons', () => {
    const adapters = compiled(row('s-adapters', { keywords: ['adapters'] }));
    const pruning = compiled(row('s-pruning', { keywords: ['pruning'] }));
    const matches = matchPapers(
      [paper('p1', 'Sparse adapters'), paper('p2', 'Pruning adapters'), paper('p3', 'Unrelated')],
      [adapters, pruning],
    );
    expect(matches.map((m) => `${m.subscriptionId}/${m.paperId}`)).toEqual([
      's-adapters/p1',
      's-adapters/p2',
      's-pruning/p2',
    ]);
    expect(matches[0].reasons.length).toBeGreaterThan(0);
  });
});
