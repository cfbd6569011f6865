import type { MatchablePaper } from '@paperwire/notifications';
import type { SubscriptionRow } from './notifier.repository';
import { loadExampleVectors, paperVector } from './example-vectors';
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

  it('refuses a legacy examples filter (no papers) and one without any example vector, never throws', () => {
    expect(compileSubscription(row('legacy', { examples: { minSimilarity: 0.5 } }))).toEqual({
      invalid: expect.stringMatching(/examples/),
    });
    const id = '00000000-0000-4000-8000-000000000001';
    expect(compileSubscription(row('gone', { examples: { papers: [id], minSimilarity: 0.5 } }))).toEqual({
      invalid: `examples: none of the example papers is in the catalogue (${id})`,
    });
  });

  it('matches examples on the shipped text vectors, one paper vector shared by every subscription', async () => {
    const id = '00000000-0000-4000-8000-000000000001';
    const examples = await loadExampleVectors([{ examples: { papers: [id], minSimilarity: 0.8 } }], () =>
      Promise.resolve([
        {
          id,
          title: 'Low-rank adapters for fine-tuning',
          abstract: 'We fine-tune frozen language models with LoRA adapters.',
        },
      ]),
    );
    const subs = [0.5, 0.8].map((min, i) => {
      const c = compileSubscription(
        row(`s${i}`, { examples: { papers: [id], minSimilarity: min } }),
        examples,
      );
      if ('invalid' in c) throw new Error(c.invalid);
      return c;
    });
    const lora = {
      ...paper('p1', 'Parameter-efficient fine-tuning with adapters'),
      abstract: 'LoRA adapters for language models.',
    };
    const galaxies = {
      ...paper('p2', 'Stellar populations of dwarf galaxies'),
      abstract: 'We observe dwarf galaxies with a telescope.',
    };
    const matches = matchPapers([lora, galaxies], subs);
    expect(matches.map((m) => `${m.subscriptionId}/${m.paperId}`)).toEqual(['s0/p1', 's1/p1']);
    expect(matches[0].reasons[0]).toMatch(
      /^similar to your example "Low-rank adapters for fine-tuning" \(0\.\d\d ≥ 0\.5\)$/,
    );
    expect(paperVector(lora)).toBe(paperVector(lora));
    // the next refresh reuses an unchanged example's vector, recomputes a changed one
    const text = {
      id,
      title: 'Low-rank adapters for fine-tuning',
      abstract: 'We fine-tune frozen language models with LoRA adapters.',
    };
    const filters = [{ examples: { papers: [id], minSimilarity: 0.8 } }];
    const again = await loadExampleVectors(filters, () => Promise.resolve([text]));
    expect(again!.byPaperId.get(id)!.vector).toBe(examples!.byPaperId.get(id)!.vector);
    const edited = await loadExampleVectors(filters, () =>
      Promise.resolve([{ ...text, abstract: 'Galaxies.' }]),
    );
    expect(edited!.byPaperId.get(id)!.vector).not.toEqual(examples!.byPaperId.get(id)!.vector);
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
