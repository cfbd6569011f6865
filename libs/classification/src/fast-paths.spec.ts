// The classifier's fast paths (cached tokens, restricted n-gram views, one-pass phrase index) must give
// exactly what the plain building blocks give, which are what training and evaluation use.
import { loadDefaultModel, loadDefaultTaxonomy } from './data-files';
import { buildDocument, gramVocabulary, tfidfVector } from './document';
import { compilePhraseIndex, evidenceOf, topicEvidence, topicSimilarity } from './topic-features';
import { compileTopic } from './topic-profile';
import { TermReader } from './paper-terms';
import {
  contentSegments,
  contentTokens,
  newTokenRun,
  termGeneration,
  termString,
  tokenIdsInto,
  type TokenRun,
} from './text';

const PAPERS = [
  {
    title: 'Mixture-of-Experts Routing for Retrieval-Augmented Generation (RAG)',
    abstract:
      'We study sparse mixture of experts layers in retrieval augmented generation. Our experts route tokens to ' +
      'a retriever; mixture of experts models improve 3.5% on open-domain question answering!  A knowledge graph ' +
      'helps too.\n\nWe release code; the LoRA adapters and low-rank adaptation baselines are included.',
  },
  {
    title: 'ΣΑΣ. Ünïcödé İstanbul KELVIN K: a speech recognition benchmark',
    abstract: 'Speech recognition? Automatic speech recognition benchmark. A b c 4 x-ray 0.3 i.e. e.g. done',
  },
];

describe('classifier fast paths', () => {
  const model = loadDefaultModel();
  const profiles = loadDefaultTaxonomy().map((t) => compileTopic(t, model));
  const index = compilePhraseIndex(profiles);
  const vocabulary = gramVocabulary(index.keys());

  it('tokenises by sentence exactly as tokenising each sentence on its own', () => {
    for (const p of PAPERS) {
      const parts = p.abstract.split(/[.!?;]\s+|\n\s*\n/).map((s) => contentTokens(s));
      expect(contentSegments(p.abstract)).toEqual(parts.filter((t) => t.length > 0));
    }
    expect(contentTokens('We propose the adapters, 4 X-ray models')).toEqual([
      'propose',
      'adapter',
      '4',
      'ray',
      'model',
    ]);
  });

  it('keeps the complete term counts and only vocabulary n-grams when given a vocabulary', () => {
    for (const p of PAPERS) {
      const full = buildDocument(p);
      const restricted = buildDocument(p, vocabulary);
      expect([...restricted.terms]).toEqual([...full.terms]);
      expect([...restricted.title]).toEqual([...full.title].filter((g) => vocabulary.keys.has(g)));
      expect([...restricted.abstract]).toEqual([...full.abstract].filter(([g]) => vocabulary.keys.has(g)));
      expect(restricted.abstract.size).toBeGreaterThan(0);
    }
  });

  it('finds the same phrases, in the same order, with one index as with a scan per topic', () => {
    let matched = 0;
    for (const p of PAPERS) {
      const full = buildDocument(p);
      const vector = tfidfVector(full.terms, model.idf, model.defaultIdf);
      const matches = index.match(buildDocument(p, vocabulary));
      profiles.forEach((profile, i) => {
        const sim = topicSimilarity(vector, profile);
        expect(evidenceOf(matches[i], sim)).toEqual(topicEvidence(full, profile, sim));
        matched += matches[i].strong.length + matches[i].weak.length;
      });
    }
    expect(matched).toBeGreaterThan(5);
  });

  const segmentsOf = (run: TokenRun): string[][] => {
    const out: string[][] = [];
    for (let s = 0, from = 0; s < run.segments; from = run.ends[s++])
      out.push([...run.ids.subarray(from, run.ends[s])].map(termString));
    return out;
  };

  /** What the classifier reads by term id against buildDocument(paper, vocabulary). */
  const expectSameTerms = <T>(reader: TermReader<T>, p: { title: string; abstract: string }): void => {
    const t = reader.read(p);
    const restricted = buildDocument(p, vocabulary);
    expect(segmentsOf(t.title)).toEqual(contentSegments(p.title));
    expect(segmentsOf(t.abstract)).toEqual(contentSegments(p.abstract));
    const terms = [...t.terms.subarray(0, t.termLength)].map((id) => [termString(id), t.counts[id]]);
    expect(terms).toEqual([...restricted.terms]);
    expect([...t.titleView].sort()).toEqual([...restricted.title].sort());
    expect([...t.abstractView].sort()).toEqual([...restricted.abstract].sort());
  };

  it('reads the same tokens, sentences, term counts (in order) and views by term id', () => {
    const reader = new TermReader(vocabulary, () => undefined);
    for (const p of PAPERS) expectSameTerms(reader, p);
    expect(reader.read(PAPERS[0]).abstractView.size).toBeGreaterThan(0);
  });

  it('breaks sentences by term id exactly where the sentence regex splits, for every UTF-16 code unit', () => {
    const run = newTokenRun();
    const differ: number[] = [];
    for (let c = 0; c < 0x10000; c++) {
      const ch = String.fromCharCode(c);
      for (const text of [
        `alpha.${ch}beta`,
        `alpha\n${ch}\nbeta`,
        `alpha${ch}beta gamma`,
        `alpha;${ch}${ch}beta`,
      ]) {
        tokenIdsInto(text, run);
        if (JSON.stringify(segmentsOf(run)) !== JSON.stringify(contentSegments(text))) differ.push(c);
      }
    }
    expect(differ).toEqual([]);
  });

  it('gives the same terms after its term ids are reset', () => {
    const reader = new TermReader(vocabulary, () => undefined);
    const before = termGeneration();
    // up to ~300k distinct bigrams of 1,000 made-up words: past the id limit (2^17), so the ids are reset on the way
    let seed = 7;
    const word = (): string => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return `w${(seed >>> 8) % 1000}x`;
    };
    for (let paper = 0; paper < 400 && termGeneration() === before; paper++) {
      const abstract = Array.from({ length: 1000 }, word).join(' ');
      reader.read({ title: '', abstract });
    }
    expect(termGeneration()).not.toBe(before);
    for (const p of PAPERS) expectSameTerms(reader, p);
  });
});
