// A topic's evidence is what readers see as the explanation of its score: every phrase it quotes must be words
// the paper contains, where it says (title or abstract), not the topic's keyword that matched on fewer words.
import { createClassifier } from './classifier';
import { loadDefaultModel, loadDefaultTaxonomy, loadShippedCorpora } from './data-files';
import { buildDocument, tfidfVector } from './document';
import { phraseInText, phraseKey } from './text';
import { topicEvidence, topicSimilarity } from './topic-features';
import { compileTopic } from './topic-profile';

const PAPER = {
  title: 'Grounded Visual Question Answering with Aligned World Knowledge from Expert Language Models',
  abstract:
    'Knowledge-intensive visual question answering needs world knowledge. We align visual features with ' +
    'knowledge from a sparse mixture  of\nexperts language model. Mixture. Experts are not one phrase here.',
};

/** The quoted phrase of each label ('term "x" (title) x2' -> x), and whether it claims the title. */
const quotes = (evidence: string[]) =>
  evidence
    .map((e) => /^(?:keyword|term) "(.*)"( \(title\))?/.exec(e))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ text: m[1], title: m[2] !== undefined }));

/** phraseInText for a topic phrase as compileTopic makes it. */
const quote = (text: string, phrase: string) => phraseInText(text, { key: phraseKey(phrase), text: phrase });

describe('phraseInText', () => {
  it('quotes the words a key was matched on, as the text writes them', () => {
    expect(quote(PAPER.title, 'knowledge-based')).toBe('Knowledge');
    expect(quote(PAPER.abstract, 'mixture of experts')).toBe('mixture of experts');
    expect(quote('Sparse Mixture of Experts layers', 'mixture of experts')).toBe('Mixture of Experts');
    expect(quote('Case studies of LLMs', 'case study')).toBe('Case studies');
    expect(quote('Ablation Studies of LLMs', 'study')).toBe('Studies');
    expect(quote('Visual-Language Mapper', 'visual language')).toBe('Visual-Language');
    // the phrase word for word but inside longer words is not a quote: the words themselves are
    expect(quote('diffusion models', 'diffusion model')).toBe('diffusion models');
  });

  it('finds every key a paper view has, in that text, and quotes words whose key is that key', () => {
    const model = loadDefaultModel();
    const phrases = loadDefaultTaxonomy().flatMap((t) => {
      const p = compileTopic(t, model);
      return [...p.strong, ...p.weak];
    });
    const { tiagoft, gechhai } = loadShippedCorpora();
    let checked = 0;
    for (const paper of [...tiagoft.slice(0, 150), ...gechhai.slice(0, 150)]) {
      const doc = buildDocument(paper);
      for (const phrase of phrases)
        for (const [text, has] of [
          [paper.title, doc.title.has(phrase.key)],
          [paper.abstract, doc.abstract.has(phrase.key)],
        ] as const) {
          if (!has) continue;
          const quoted = phraseInText(text, phrase);
          expect({ key: phrase.key, quoted: quoted === null ? null : phraseKey(quoted) }).toEqual({ key: phrase.key, quoted: phrase.key });
          expect(text.replace(/\s+/g, ' ')).toContain(quoted);
          checked++;
        }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('does not join words across a sentence break, and answers null for a key not there', () => {
    expect(quote('A mixture. Experts follow.', 'mixture expert')).toBeNull();
    expect(quote(PAPER.title, 'retrieval')).toBeNull();
  });
});

describe('topic evidence labels', () => {
  const model = loadDefaultModel();

  it('names the matched text, not the topic keyword ("knowledge-based" matched on "Knowledge")', () => {
    const topic = compileTopic(
      {
        slug: 'kb',
        name: 'Knowledge bases',
        description: 'Knowledge bases.',
        keywords: ['mixture of experts'],
        weakKeywords: ['knowledge-based'],
      },
      model,
    );
    const doc = buildDocument(PAPER);
    const ev = topicEvidence(doc, topic, topicSimilarity(tfidfVector(doc.terms, model.idf, model.defaultIdf), topic), PAPER);
    expect(ev.evidence).toContain('keyword "mixture of experts"');
    expect(ev.evidence).toContain('term "Knowledge" (title) x3');
    expect(ev.evidence.join(' ')).not.toContain('knowledge-based');
    // without the text, the features are the same and no label is made up
    const bare = topicEvidence(doc, topic, topicSimilarity(tfidfVector(doc.terms, model.idf, model.defaultIdf), topic), null);
    expect(bare.features).toEqual(ev.features);
    expect(quotes(bare.evidence)).toEqual([]);
  });

  it("every phrase the classifier quotes is in the paper's title or abstract, where the label says", () => {
    const classifier = createClassifier(loadDefaultTaxonomy(), model);
    const papers = [
      PAPER,
      {
        title: 'Parameter-Efficient Fine-Tuning of Mixture-of-Experts LLMs with Low-Rank Adapters',
        abstract:
          'We study LoRA adapters for sparse mixture-of-experts large language models. Low-rank adaptation of ' +
          'the experts keeps 99% of full fine-tuning quality on reasoning benchmarks; diffusion models too.',
      },
    ];
    let checked = 0;
    for (const paper of papers) {
      for (const t of classifier.classify(paper).topics)
        for (const q of quotes(t.evidence)) {
          const where = (q.title ? paper.title : paper.abstract).replace(/\s+/g, ' ');
          expect(where).toContain(q.text);
          checked++;
        }
    }
    expect(checked).toBeGreaterThan(3);
  });
});
