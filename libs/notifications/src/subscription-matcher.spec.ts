import { claimFixture } from '@paperwire/testing';
import { parseSubscriptionFilter, subscriptionFilterSchema } from './filter.schema';
import type { MatchablePaper } from './matchable-paper';
import {
  authorNameMatches,
  compileFilter,
  filterNeeds,
  keywordPattern,
  mergeNeeds,
  NO_NEEDS,
  matchSubscription,
  missingExamples,
  nameTokens,
  NO_FILTER_REASON,
  type ExampleVectors,
} from './subscription-matcher';

const claim = claimFixture;

function paper(over: Partial<MatchablePaper> = {}): MatchablePaper {
  return {
    id: 'p1',
    title: 'Retrieval-Augmented Generation with Sparse Caches',
    abstract:
      'We present SparseRAG, cutting GPU memory by 12.2x while improving accuracy by 3.1 points on six QA benchmarks.',
    authors: [{ name: 'Yann A. LeCun' }, { name: 'José Müller-García' }, { name: 'Laurens van der Maaten' }],
    topics: [
      { slug: 'rag', score: 0.82, evidence: [] },
      { slug: 'efficiency', score: 0.41, evidence: [] },
    ],
    claims: [
      claim({}),
      claim({ text: '3.1 points', value: 3.1, unit: 'pp', kind: 'relative_improvement', metric: 'accuracy' }),
    ],
    sources: ['arxiv-rss', 'HF Daily Papers'],
    codeLinks: [],
    ...over,
  };
}

const f = (input: unknown) => parseSubscriptionFilter(input);

const EX_RAG = '00000000-0000-4000-8000-00000000000a';
const EX_VISION = '00000000-0000-4000-8000-00000000000b';
/** Toy text vectors: [retrieval/rag words, vision words, other], unit length (the real ones: libs/classification). */
function toyVector(text: string): Float32Array {
  const t = text.toLowerCase();
  const v = [/retrieval|rag|cache/.test(t) ? 1 : 0, /image|vision|segment/.test(t) ? 1 : 0, 0.2];
  const n = Math.hypot(...v);
  return Float32Array.from(v, (x) => x / n);
}
const calls: string[] = [];
const VECTORS: ExampleVectors = {
  byPaperId: new Map([
    [EX_RAG, { label: 'Sparse retrieval caches', vector: toyVector('retrieval cache') }],
    [EX_VISION, { label: 'Image segmentation', vector: toyVector('image segment') }],
  ]),
  paperVector: (p) => {
    calls.push(p.id);
    return toyVector(`${p.title} ${p.abstract}`);
  },
};

describe('subscriptionFilterSchema', () => {
  it('defaults topics.match to any and rejects unknown keys, bad ranges and empty claim conditions', () => {
    expect(f({ topics: { slugs: ['RAG'] } }).topics).toEqual({ slugs: ['rag'], match: 'any' });
    expect(subscriptionFilterSchema.safeParse({ topic: ['rag'] }).success).toBe(false);
    expect(subscriptionFilterSchema.safeParse({ topics: { slugs: [] } }).success).toBe(false);
    expect(subscriptionFilterSchema.safeParse({ topics: { slugs: ['a'], minScore: 1.5 } }).success).toBe(
      false,
    );
    expect(subscriptionFilterSchema.safeParse({ claims: [{}] }).success).toBe(false);
    expect(subscriptionFilterSchema.safeParse({ claims: [{ min: 10, max: 2 }] }).success).toBe(false);
    expect(subscriptionFilterSchema.safeParse({ claims: [{ kind: 'bogus' }] }).success).toBe(false);
    expect(subscriptionFilterSchema.safeParse({ keywords: ['  '] }).success).toBe(false);
    expect(() => f({ hasCode: 'yes' })).toThrow(/hasCode/);
  });

  it('examples name 1-20 papers by catalogue id or arXiv id, deduplicated', () => {
    expect(
      f({
        examples: {
          papers: [' 2401.01234 ', EX_RAG.toUpperCase(), EX_RAG, 'hep-th/9901001v2'],
          minSimilarity: 0.5,
        },
      }).examples,
    ).toEqual({
      papers: ['2401.01234', EX_RAG, 'hep-th/9901001v2'],
      minSimilarity: 0.5,
    });
    expect(() => f({ examples: { minSimilarity: 0.5 } })).toThrow(/examples.papers: examples need papers/);
    expect(() => f({ examples: { papers: [], minSimilarity: 0.5 } })).toThrow(/at least one example paper/);
    expect(() => f({ examples: { papers: ['2401.01234'] } })).toThrow(/examples.minSimilarity/);
    expect(() => f({ examples: { papers: ['not a paper'], minSimilarity: 0.5 } })).toThrow(
      /examples.papers.0: an example paper is a catalogue paper id \(uuid\) or an arXiv id/,
    );
    const many = Array.from({ length: 21 }, (_, i) => `2401.${String(i).padStart(5, '0')}`);
    expect(() => f({ examples: { papers: many, minSimilarity: 0.5 } })).toThrow(/at most 20/);
    expect(() => f({ examples: { papers: ['2401.01234'], minSimilarity: 2 } })).toThrow(/minSimilarity/);
    expect(
      subscriptionFilterSchema.safeParse({ examples: { papers: ['2401.01234'], minSimilarity: 0, x: 1 } })
        .success,
    ).toBe(false);
  });
});

describe('examples: every form the shared paper-id parser reads', () => {
  it('accepts arXiv: prefixes, arxiv.org and doi.org URLs, DOIs and paper keys, kept as written', () => {
    const papers = [
      'arXiv:2401.12345v2',
      'https://arxiv.org/abs/2401.12345',
      '10.1145/3292500.3330701',
      'https://doi.org/10.1145/3292500.3330701',
      'doi:10.1145/3292500.3330701',
      'title:sparse-adapters-for-llms',
    ];
    expect(
      f({ examples: { papers: papers.map((p) => ` ${p} `), minSimilarity: 0.5 } }).examples?.papers,
    ).toEqual(papers);
  });

  it.each([
    'arXiv:hello',
    'https://example.org/abs/2401.12345',
    'https://arxiv.org/list/cs.LG',
    'title:has spaces',
    `2401.${'1'.repeat(400)}`,
  ])('refuses %p naming the example', (junk) => {
    expect(() => f({ examples: { papers: ['2401.12345', junk], minSimilarity: 0.5 } })).toThrow(
      /examples.papers.1: an example paper is a catalogue paper id/,
    );
  });
});

describe('matchSubscription', () => {
  it('an empty filter matches everything', () => {
    expect(matchSubscription(f({}), paper())).toEqual({ matched: true, reasons: [NO_FILTER_REASON] });
    expect(matchSubscription(f({ keywords: [] }), paper()).matched).toBe(true);
  });

  describe('topics', () => {
    it('any: one slug above minScore is enough, with the score in the reason', () => {
      const r = matchSubscription(f({ topics: { slugs: ['rag', 'agents'], minScore: 0.5 } }), paper());
      expect(r).toEqual({ matched: true, reasons: ['topic rag ≥ 0.5 (0.82)'] });
    });
    it('all: every slug must pass', () => {
      expect(
        matchSubscription(f({ topics: { slugs: ['rag', 'efficiency'], match: 'all' } }), paper()).reasons,
      ).toEqual(['topic rag (0.82)', 'topic efficiency (0.41)']);
      expect(
        matchSubscription(
          f({ topics: { slugs: ['rag', 'efficiency'], match: 'all', minScore: 0.5 } }),
          paper(),
        ).matched,
      ).toBe(false);
      expect(
        matchSubscription(f({ topics: { slugs: ['rag', 'agents'], match: 'all' } }), paper()).matched,
      ).toBe(false);
    });
    it('minScore boundary is inclusive', () => {
      expect(matchSubscription(f({ topics: { slugs: ['rag'], minScore: 0.82 } }), paper()).matched).toBe(
        true,
      );
      expect(matchSubscription(f({ topics: { slugs: ['rag'], minScore: 0.83 } }), paper()).matched).toBe(
        false,
      );
    });
  });

  describe('keywords', () => {
    it('matches words case-insensitively on word boundaries and says where', () => {
      expect(matchSubscription(f({ keywords: ['SPARSE'] }), paper()).reasons).toEqual([
        'keyword "SPARSE" in title',
      ]);
      expect(matchSubscription(f({ keywords: ['benchmarks'] }), paper()).reasons).toEqual([
        'keyword "benchmarks" in abstract',
      ]);
      // "rag" is inside "SparseRAG" only: not a word match
      expect(matchSubscription(f({ keywords: ['rag'] }), paper()).matched).toBe(false);
      expect(matchSubscription(f({ keywords: ['cache'] }), paper()).matched).toBe(false);
    });
    it('matches quoted phrases across hyphens and whitespace, and prefixes with *', () => {
      expect(matchSubscription(f({ keywords: ['"retrieval augmented generation"'] }), paper()).matched).toBe(
        true,
      );
      expect(matchSubscription(f({ keywords: ['"augmented retrieval"'] }), paper()).matched).toBe(false);
      expect(matchSubscription(f({ keywords: ['cach*'] }), paper()).reasons).toEqual([
        'keyword "cach*" in title',
      ]);
    });
    it('any keyword is enough; all hits are reported', () => {
      const r = matchSubscription(f({ keywords: ['diffusion', 'gpu memory', 'accuracy'] }), paper());
      expect(r.reasons).toEqual(['keyword "gpu memory" in abstract', 'keyword "accuracy" in abstract']);
    });
    it('folds diacritics on both sides', () => {
      const p = paper({ abstract: 'A naïve Bayes baseline for Café reviews.' });
      expect(matchSubscription(f({ keywords: ['naive bayes', 'cafe'] }), p).reasons).toHaveLength(2);
      expect(matchSubscription(f({ keywords: ['NAÏVE'] }), paper({ abstract: 'naive' })).matched).toBe(true);
    });
    // Review 26: titles are stored as the source gave them ("$\alpha$-Entmax"): keywords match what a reader reads
    it('matches a title by its LaTeX as rendered', () => {
      const p = paper({ title: 'Sub-$O(n^2)$ Attention with $\\alpha$-Entmax', abstract: 'Nothing here.' });
      expect(matchSubscription(f({ keywords: ['"α-entmax"'] }), p).reasons).toEqual(['keyword "α-entmax" in title']);
      expect(matchSubscription(f({ keywords: ['entmax'] }), p).matched).toBe(true);
    });
    it('treats regex metacharacters in user input literally', () => {
      expect(keywordPattern('(a+)+b')!.source).toContain('\\(a\\+\\)\\+b');
      expect(matchSubscription(f({ keywords: ['.+'] }), paper()).matched).toBe(false);
      const cpp = paper({ abstract: 'We port it to C++ and (a|b) tests.' });
      expect(matchSubscription(f({ keywords: ['c++'] }), cpp).matched).toBe(true);
      expect(matchSubscription(f({ keywords: ['(a|b)'] }), cpp).matched).toBe(true);
      expect(matchSubscription(f({ keywords: ['a|b'] }), paper({ abstract: 'only a here' })).matched).toBe(
        false,
      );
    });
    it('stays fast on adversarial input (no catastrophic backtracking)', () => {
      const evil = paper({ title: 'a'.repeat(50_000), abstract: `${'a '.repeat(50_000)}!` });
      const m = compileFilter(f({ keywords: ['a a a a a a a b', 'a*b', '"a  a  a c"'] }));
      const t0 = Date.now();
      expect(m(evil).matched).toBe(false);
      expect(Date.now() - t0).toBeLessThan(2000);
    });
  });

  describe('authors', () => {
    it('folds names into first-to-last tokens', () => {
      expect(nameTokens('LeCun, Yann')).toEqual(['yann', 'lecun']);
      expect(nameTokens("Conan O'Brien")).toEqual(['conan', 'obrien']);
      expect(nameTokens('José Müller-García')).toEqual(['jose', 'muller', 'garcia']);
    });
    it('matches full names, last names, compound last names, initials and skipped middle names', () => {
      const a = nameTokens('Laurens van der Maaten');
      expect(authorNameMatches(nameTokens('van der Maaten'), a)).toBe(true);
      expect(authorNameMatches(nameTokens('Maaten'), a)).toBe(true);
      expect(authorNameMatches(nameTokens('L. van der Maaten'), a)).toBe(true);
      expect(authorNameMatches(nameTokens('Laurens Maaten'), a)).toBe(true);
      expect(authorNameMatches(nameTokens('Laurens'), a)).toBe(false);
      expect(authorNameMatches(nameTokens('K. Maaten'), a)).toBe(false);
    });
    it('matches case/diacritic-insensitively and reports the author as written', () => {
      expect(matchSubscription(f({ authors: ['yann lecun'] }), paper()).reasons).toEqual([
        'author: Yann A. LeCun',
      ]);
      expect(matchSubscription(f({ authors: ['Jose Muller-Garcia', 'Hinton'] }), paper()).reasons).toEqual([
        'author: José Müller-García',
      ]);
      expect(matchSubscription(f({ authors: ['Hinton', 'Yann Bengio'] }), paper()).matched).toBe(false);
    });
  });

  describe('sources and code', () => {
    it('matches source kinds or names case-insensitively', () => {
      expect(matchSubscription(f({ sources: ['hf daily papers'] }), paper()).reasons).toEqual([
        'source: hf daily papers',
      ]);
      expect(matchSubscription(f({ sources: ['arxiv-oai'] }), paper()).matched).toBe(false);
    });
    it('hasCode true/false uses code links and links.code', () => {
      expect(matchSubscription(f({ hasCode: true }), paper()).matched).toBe(false);
      expect(matchSubscription(f({ hasCode: false }), paper()).reasons).toEqual(['no code link']);
      const withCode = paper({ links: { code: ['https://github.com/x/y'], project: [] } });
      expect(matchSubscription(f({ hasCode: true }), withCode).reasons).toEqual([
        'has code (https://github.com/x/y)',
      ]);
      expect(matchSubscription(f({ hasCode: false }), withCode).matched).toBe(false);
    });
    it('hasCode counts only links a reader can follow (a javascript: or relative "code link" is none)', () => {
      const unsafe = paper({ links: { code: ['javascript:alert(1)', '/x/y'], project: [] } });
      expect(matchSubscription(f({ hasCode: true }), unsafe).matched).toBe(false);
      expect(matchSubscription(f({ hasCode: false }), unsafe).reasons).toEqual(['no code link']);
    });
  });

  describe('claims', () => {
    it('matches a reduction of at least 10x in memory (metric synonym, case-insensitive)', () => {
      const r = matchSubscription(f({ claims: [{ kind: 'reduction', min: 10, metric: 'VRAM' }] }), paper());
      expect(r).toEqual({ matched: true, reasons: ['claim: 12.2x reduction in gpu memory'] });
    });
    it('needs every field of a condition on the same claim', () => {
      // the 12.2x claim is a reduction, the accuracy claim is not: no single claim satisfies both
      expect(
        matchSubscription(f({ claims: [{ kind: 'reduction', metric: 'accuracy' }] }), paper()).matched,
      ).toBe(false);
      expect(matchSubscription(f({ claims: [{ kind: 'reduction', min: 13 }] }), paper()).matched).toBe(false);
      expect(matchSubscription(f({ claims: [{ unit: 'x', max: 12.2 }] }), paper()).matched).toBe(true);
      expect(matchSubscription(f({ claims: [{ unit: '%' }] }), paper()).matched).toBe(false);
    });
    it('any condition is enough and each satisfied one is reported', () => {
      const r = matchSubscription(
        f({ claims: [{ metric: 'acc', unit: 'pp', min: 3 }, { kind: 'speedup' }, { metric: 'memory' }] }),
        paper(),
      );
      expect(r.reasons).toEqual([
        'claim: 3.1 pp improvement in accuracy',
        'claim: 12.2x reduction in gpu memory',
      ]);
    });
    it('metric text matches from the start of a word', () => {
      expect(matchSubscription(f({ claims: [{ metric: 'Accur' }] }), paper()).matched).toBe(true);
      expect(matchSubscription(f({ claims: [{ metric: 'curacy' }] }), paper()).matched).toBe(false);
    });
    it('short synonyms only match whole words, and an injected metricKey canonicalises', () => {
      expect(matchSubscription(f({ claims: [{ metric: 'em' }] }), paper()).matched).toBe(false);
      const byKey = compileFilter(f({ claims: [{ metric: 'F1-score' }] }), {
        metricKey: (m) => (/^f1|f-?score/i.test(m) ? 'f1' : m),
      });
      expect(
        byKey(
          paper({ claims: [claim({ metric: 'F-score', kind: 'absolute_score', unit: 'score', value: 71 })] }),
        ).matched,
      ).toBe(true);
    });
  });

  it('topic slugs compare case-insensitively on both sides', () => {
    const p = paper({
      topics: [
        { slug: 'rag', score: 0.9, evidence: [] },
        { slug: 'RAG', score: 0.3, evidence: [] },
      ],
    });
    expect(matchSubscription(f({ topics: { slugs: ['rag'], minScore: 0.8 } }), p).reasons).toEqual([
      'topic rag ≥ 0.8 (0.90)',
    ]);
  });

  it('examples: the highest cosine to any one example, naming the closest', () => {
    const m = compileFilter(f({ examples: { papers: [EX_VISION, EX_RAG], minSimilarity: 0.9 } }), {
      examples: VECTORS,
    });
    expect(m(paper()).reasons).toEqual(['similar to your example "Sparse retrieval caches" (1.00 ≥ 0.9)']);
    expect(m(paper({ id: 'p2', title: 'Image segmentation', abstract: 'masks' })).reasons).toEqual([
      'similar to your example "Image segmentation" (1.00 ≥ 0.9)',
    ]);
    expect(m(paper({ id: 'p3', title: 'Unrelated', abstract: 'Nothing here.' })).matched).toBe(false);
    const strict = compileFilter(f({ examples: { papers: [EX_VISION], minSimilarity: 0.5 } }), {
      examples: VECTORS,
    });
    expect(strict(paper()).matched).toBe(false);
  });

  it('examples: every subscription gets the vector of the paper from paperVector; none at all is an error', () => {
    calls.length = 0;
    const subs = [0.1, 0.5, 0.9].map((min) =>
      compileFilter(f({ examples: { papers: [EX_RAG], minSimilarity: min } }), { examples: VECTORS }),
    );
    const p = paper();
    for (const m of subs) m(p);
    expect(calls).toEqual(['p1', 'p1', 'p1']); // the caller memoises it per paper (the notifier does)
    const unknown = '00000000-0000-4000-8000-0000000000ff';
    const g = f({ examples: { papers: [unknown, EX_RAG], minSimilarity: 0.5 } });
    expect(missingExamples(g, VECTORS)).toEqual([unknown]);
    expect(compileFilter(g, { examples: VECTORS })(p).matched).toBe(true);
    expect(() =>
      compileFilter(f({ examples: { papers: [unknown], minSimilarity: 0.5 } }), { examples: VECTORS }),
    ).toThrow(/needs its example papers' vectors/);
    expect(() => compileFilter(g)).toThrow(/needs its example papers' vectors/);
  });

  it('combines conditions with AND and reports every reason', () => {
    const filter = f({
      topics: { slugs: ['rag'], minScore: 0.5 },
      keywords: ['sparse'],
      authors: ['LeCun'],
      sources: ['arxiv-rss'],
      claims: [{ kind: 'reduction', min: 10 }],
    });
    expect(matchSubscription(filter, paper()).reasons).toEqual([
      'source: arxiv-rss',
      'topic rag ≥ 0.5 (0.82)',
      'claim: 12.2x reduction in gpu memory',
      'author: Yann A. LeCun',
      'keyword "sparse" in title',
    ]);
    // each condition alone can veto
    for (const veto of [
      { sources: ['arxiv-api'] },
      { topics: { slugs: ['agents'] } },
      { authors: ['Hinton'] },
      { keywords: ['diffusion'] },
      { hasCode: true },
    ]) {
      expect(matchSubscription(f({ ...filter, ...veto }), paper()).matched).toBe(false);
    }
  });

  it('a compiled filter gives the same answers for many papers (prepared papers are cached)', () => {
    const m = compileFilter(f({ keywords: ['memory'] }));
    const papers = Array.from({ length: 200 }, (_, i) =>
      paper({ id: `p${i}`, abstract: i % 2 ? 'memory' : 'compute' }),
    );
    expect(papers.filter((p) => m(p).matched)).toHaveLength(100);
    expect(papers.filter((p) => m(p).matched)).toHaveLength(100);
  });
});

describe('filterNeeds', () => {
  /** The paper with only what `needs` says is read: everything else empty, as matching loads it. */
  const only = (full: MatchablePaper, needs: ReturnType<typeof filterNeeds>): MatchablePaper => ({
    id: full.id,
    title: needs.text ? full.title : '',
    abstract: needs.text ? full.abstract : '',
    authors: needs.authors ? full.authors : [],
    topics: needs.topics ? full.topics : [],
    claims: needs.claims ? full.claims : [],
    sources: needs.sources ? full.sources : [],
    codeLinks: needs.codeLinks ? full.codeLinks : [],
    links: needs.codeLinks ? full.links : undefined,
  });

  const filters: unknown[] = [
    {},
    { keywords: [] },
    { topics: { slugs: ['efficiency', 'peft'] } },
    { topics: { slugs: ['rag', 'efficiency'], match: 'all', minScore: 0.4 } },
    { keywords: ['sparse caches', 'accur*'] },
    { authors: ['LeCun'] },
    { authors: ['Müller García', 'nobody'] },
    { sources: ['hf daily papers'] },
    { hasCode: true },
    { hasCode: false },
    { claims: [{ kind: 'reduction', min: 10, metric: 'VRAM' }] },
    { topics: { slugs: ['rag'] }, keywords: ['GPU memory'], authors: ['van der Maaten'], hasCode: false },
    { topics: { slugs: ['rag'] }, claims: [{ metric: 'accuracy' }], sources: ['arxiv-rss'] },
    { examples: { papers: [EX_RAG], minSimilarity: 0.5 } },
    { examples: { papers: [EX_VISION, EX_RAG], minSimilarity: 0.9 }, hasCode: true },
  ];
  const papers = [
    paper(),
    paper({ codeLinks: ['https://github.com/x/y'] }),
    paper({ links: { code: ['https://github.com/x/z'], project: [] }, topics: [], sources: [] }),
    paper({ title: 'Unrelated', abstract: 'Nothing here.', authors: [{ name: 'A. Person' }], claims: [] }),
  ];

  it('a paper with only what a filter reads matches exactly as the whole paper does', () => {
    for (const input of filters) {
      const filter = f(input);
      const match = compileFilter(filter, { examples: VECTORS });
      for (const p of papers) expect(match(only(p, filterNeeds(filter)))).toEqual(match(p));
    }
  });

  it('names what each condition reads, and nothing for an empty filter', () => {
    expect(filterNeeds(f({}))).toEqual(NO_NEEDS);
    expect(filterNeeds(f({ keywords: [] }))).toEqual(NO_NEEDS);
    expect(filterNeeds(f({ topics: { slugs: ['efficiency', 'peft'] } }))).toEqual({
      ...NO_NEEDS,
      topics: true,
    });
    expect(filterNeeds(f({ keywords: ['x'], hasCode: true }))).toEqual({
      ...NO_NEEDS,
      text: true,
      codeLinks: true,
    });
    expect(filterNeeds(f({ examples: { papers: [EX_RAG], minSimilarity: 0.5 } }))).toEqual({
      ...NO_NEEDS,
      text: true,
    });
  });

  it('covers every filter field (a new one needs a filterNeeds entry and a case above, or mail is lost)', () => {
    // `examples` reads title and abstract (the paper's text vector)
    expect(Object.keys(subscriptionFilterSchema.shape).sort()).toEqual([
      'authors',
      'claims',
      'examples',
      'hasCode',
      'keywords',
      'sources',
      'topics',
    ]);
  });

  it('merges the needs of several filters', () => {
    expect(mergeNeeds([])).toEqual(NO_NEEDS);
    expect(
      mergeNeeds([filterNeeds(f({ topics: { slugs: ['a'] } })), filterNeeds(f({ authors: ['B C'] }))]),
    ).toEqual({ ...NO_NEEDS, topics: true, authors: true });
  });
});
