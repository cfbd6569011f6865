// The classifier's fast paths (cached tokens, restricted n-gram views, one-pass phrase index) must give
// exactly what the plain building blocks give, which are what training and evaluation use.
import { loadDefaultModel, loadDefaultTaxonomy } from './data-files';
import { buildDocument, gramVocabulary, tfidfVector } from './document';
import { compilePhraseIndex, evidenceOf, topicEvidence, topicSimilarity } from './topic-features';
import { compileTopic } from './topic-profile';
import { contentSegments, contentTokens } from './text';

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
});
