// The classifier's fast paths (cached tokens, restricted n-gram views, one-pass phrase index) must give
// exactly what the plain building blocks give, which are what training and evaluation use.
import { compileArxiv, createArxivPredictor } from './arxiv-category';
import { createClassifier } from './classifier';
import { findRepoRoot, loadDefaultModel, loadDefaultTaxonomy, loadShippedCorpora } from './data-files';
import { buildDocument, gramVocabulary, tfidfVector } from './document';
import {
  compilePhraseIndex,
  evidenceOf,
  keywordLogit,
  logit,
  topicEvidence,
  topicSimilarity,
} from './topic-features';
import { compileTopic } from './topic-profile';
import { PaperTerms, readPaper, TermTable } from './paper-terms';
import { clearWordCache, contentSegments, contentTokens } from './text';
import { tokenHash } from './word-pack';

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
        expect(evidenceOf(matches[i], sim, p)).toEqual(topicEvidence(full, profile, sim, p));
        // the classifier's allocation-free keyword logit is the same number
        expect(keywordLogit(matches[i], sim, model.calibration)).toBe(
          logit(evidenceOf(matches[i], sim, null), model.calibration),
        );
        matched += matches[i].strong.length + matches[i].weak.length;
      });
    }
    expect(matched).toBeGreaterThan(5);
  });
});

describe("the classifier's one pass over its term records", () => {
  const model = loadDefaultModel();
  const classifier = createClassifier(loadDefaultTaxonomy(), model);
  const { gechhai } = loadShippedCorpora(findRepoRoot(__dirname));

  it('predicts the arXiv category the plain naive Bayes predictor does (the same sums, in the same order)', () => {
    const predictor = createArxivPredictor(model.arxiv);
    const categories = new Set<string>();
    for (const p of [...PAPERS, ...gechhai.slice(0, 200)]) {
      const expected = predictor.predict(buildDocument(p).terms)?.category ?? null;
      expect(classifier.classify({ ...p, categories: [] }).arxivCategory).toBe(expected);
      if (expected) categories.add(expected);
    }
    expect(categories.size).toBeGreaterThan(3);
  });

  it("names the category finish() names, without its probability", () => {
    const arxiv = compileArxiv(model.arxiv);
    for (let seed = 1; seed <= 5; seed++) {
      const score = Float64Array.from({ length: arxiv.classCount }, (_, i) => Math.sin(seed * (i + 1)) * 50);
      expect(arxiv.category(score.slice(), 40 * seed)).toBe(arxiv.finish(score.slice(), 40 * seed)?.category);
    }
  });
});

describe('reading a paper by term hash (readPaper)', () => {
  const model = loadDefaultModel();
  const profiles = loadDefaultTaxonomy().map((t) => compileTopic(t, model));
  const vocabulary = gramVocabulary(compilePhraseIndex(profiles).keys());
  const indexTerms = Object.keys(model.idf).slice(0, 5000);
  const table = new TermTable(indexTerms, vocabulary);
  const indexed = new Set(indexTerms);
  const bigramTokens = new Set(
    [...indexTerms, ...vocabulary.keys, ...vocabulary.trigramPrefixes]
      .map((t) => t.split(' '))
      .filter((w) => w.length === 2)
      .flat(),
  );
  const { tiagoft } = loadShippedCorpora(findRepoRoot(__dirname));
  const papers = [...PAPERS, ...tiagoft.slice(0, 300)];

  it("gives buildDocument's term counts in the same order, and its vocabulary views", () => {
    let known = 0;
    let vocabOnly = 0;
    papers.forEach((p, i) => {
      // now and then the word cache is emptied: its entries then go to other words
      if (i % 7 === 3) clearWordCache();
      const doc = buildDocument(p, vocabulary);
      const read = readPaper(p, table, vocabulary);
      const counts = Array.from({ length: read.terms.size }, (_, k) => [
        read.terms.gram(k),
        read.terms.count[k],
      ]);
      expect(counts).toEqual([...doc.terms]);
      // a term has an id exactly when it is an index term, a one- or two-token vocabulary key or a token of one
      const ids = Array.from({ length: read.terms.size }, (_, k) => read.terms.term[k]);
      expect(ids.map((id) => (id >= 0 ? table.text[id] : null))).toEqual(
        counts.map(([g]) =>
          indexed.has(g as string) ||
          vocabulary.keys.has(g as string) ||
          vocabulary.trigramPrefixes.has(g as string) ||
          bigramTokens.has(g as string)
            ? g
            : null,
        ),
      );
      known += ids.filter((id) => id >= 0 && id < table.indexed).length;
      vocabOnly += ids.filter((id) => id >= table.indexed).length;
      expect([...read.title]).toEqual([...doc.title]);
      expect([...read.abstract]).toEqual([...doc.abstract]);
      expect({ title: read.segments.title, abstract: read.segments.abstract }).toEqual(doc.segments);
    });
    expect(known).toBeGreaterThan(1000);
    expect(vocabOnly).toBeGreaterThan(10);
  });

  it('tells apart terms whose keys collide', () => {
    const terms = new PaperTerms();
    const key = 0x2f7a1c3d;
    const a = terms.add(key, 'mixture', 'expert', -1, 0);
    expect(terms.add(key, 'mixture', 'experts', -1, 1)).not.toBe(a);
    expect(terms.add(key, 'mixture', null, 7, 2)).not.toBe(a);
    expect(terms.add(key, 'mixture', 'expert', -1, 3)).toBe(a);
    expect(terms.count[a]).toBe(2);
    expect(terms.size).toBe(3);
  });

  it('finds a token by its text and a bigram by its tokens', () => {
    const mixture = table.unigram('mixture', tokenHash('mixture'));
    const expert = table.unigram('expert', tokenHash('expert'));
    expect(table.text[mixture]).toBe('mixture');
    expect(table.text[expert]).toBe('expert');
    const bigram = (a: number, b: number): number => table.bigram(a, table.flagsOf(a), b, table.flagsOf(b));
    expect(table.text[bigram(mixture, expert)]).toBe('mixture expert');
    // same hash, other text
    expect(table.unigram('mixtures', tokenHash('mixture'))).toBe(-1);
    expect(bigram(mixture, -1)).toBe(-1);
    expect(bigram(expert, expert)).toBe(-1);
  });
});
