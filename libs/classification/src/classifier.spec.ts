import { classifierForStoredTopics, createClassifier, taxonomyHash } from './classifier';
import { loadDefaultModel, loadDefaultTaxonomy, withDefaultWeakKeywords } from './data-files';
import { DEFAULT_FEATURES, type LinearHeadFile, type LinearModelFile } from './linear';
import type { TopicDefinition } from './model';

const LORA_PAPER = {
  title: 'LoRA-Mix: Routing Low-Rank Adapters for Parameter-Efficient Fine-Tuning of Large Language Models',
  abstract:
    'Parameter-efficient fine-tuning adapts a frozen pretrained language model by training a small number of parameters. ' +
    'We propose LoRA-Mix, which trains several low-rank adapters and learns a router that mixes them per token. ' +
    'On instruction-following benchmarks LoRA-Mix matches full fine-tuning while updating 0.3% of the weights.',
};

const GNN_PAPER = {
  title: 'HyperSAGE: Generalizing Inductive Representation Learning on Hypergraphs',
  abstract:
    'Graphs model pairwise relations between nodes. We present HyperSAGE, a hypergraph learning framework that uses a ' +
    'two-level neural message passing strategy to propagate information through hypergraphs, and evaluate it on node ' +
    'classification benchmarks where it improves over graph convolutional networks.',
};

const GNN_TOPIC: TopicDefinition = {
  slug: 'graph-learning',
  name: 'Graph neural networks',
  description:
    'Neural networks over graph-structured data: message passing, graph convolution, node and graph classification.',
  keywords: ['message passing', 'hypergraph', 'node classification'],
};

describe('createClassifier', () => {
  const taxonomy = loadDefaultTaxonomy();
  const model = loadDefaultModel();
  const classifier = createClassifier(taxonomy, model);

  it('finds the shipped topic a clear paper belongs to, with evidence and calibrated scores', () => {
    const res = classifier.classify(LORA_PAPER);
    expect(res.primaryTopic).toBe('peft');
    const peft = res.topics.find((t) => t.slug === 'peft');
    expect(
      peft?.evidence.some((e) => e.includes('lora') || e.includes('LoRA') || e.includes('parameter')),
    ).toBe(true);
    for (const t of res.topics) {
      expect(t.score).toBeGreaterThanOrEqual(classifier.threshold);
      expect(t.score).toBeLessThanOrEqual(1);
      expect(t.evidence.length).toBeGreaterThan(0);
    }
    expect(res.version).toBe(classifier.version);
  });

  it('returns no topic for a paper outside the taxonomy', () => {
    const res = classifier.classify({
      title: 'Thermal melting of density waves on the square lattice',
      abstract:
        'We present the theory of the effect of thermal fluctuations on commensurate density wave ordering on the square ' +
        'lattice and the routes by which the disordered high temperature state can be reached.',
    });
    expect(res.topics).toEqual([]);
    expect(res.primaryTopic).toBeNull();
  });

  it('scores a new topic given only a name, a description and three keywords', () => {
    const before = classifier.classify(GNN_PAPER);
    expect(before.topics.map((t) => t.slug)).not.toContain('graph-learning');
    const extended = createClassifier([...taxonomy, GNN_TOPIC], model);
    const after = extended.classify(GNN_PAPER);
    expect(after.primaryTopic).toBe('graph-learning');
    const gnn = after.topics.find((t) => t.slug === 'graph-learning');
    // (the evidence quotes the paper: its title says "Hypergraphs")
    expect(gnn?.evidence).toEqual(expect.arrayContaining([expect.stringMatching(/"hypergraphs?" \(title\)/i)]));
    // the new topic does not grab an unrelated paper
    expect(extended.classify(LORA_PAPER).topics.map((t) => t.slug)).not.toContain('graph-learning');
    expect(extended.version).not.toBe(classifier.version);
  });

  it('does not let a keyword that loses a word on normalising ("p-tuning" -> "tuning") match other phrases', () => {
    const paper = {
      title: 'A simple fine-tuning recipe for robust image classifiers',
      abstract:
        'We study adversarial fine-tuning of convolutional networks and show that a short fine-tuning schedule ' +
        'with a small learning rate improves robustness on image classification benchmarks.',
    };
    const topic: TopicDefinition = {
      slug: 'prompt-methods',
      name: 'Prompt methods',
      description: 'Soft prompts for language models.',
      keywords: ['p-tuning', 'x-tuning'],
    };
    const res = createClassifier([topic], model).classify(paper);
    expect(res.topics).toEqual([]);
    // the same paper does fire a topic whose keyword really occurs in it
    const real = createClassifier(
      [{ ...topic, keywords: ['fine-tuning recipe', 'adversarial fine-tuning', 'robust image classifiers'] }],
      model,
    );
    expect(real.classify(paper).topics.map((t) => t.slug)).toEqual(['prompt-methods']);
  });

  it('does not read image editing as knowledge editing or a plain fine-tuning paper as PEFT', () => {
    const watermark = classifier.classify({
      title: 'Robust watermarking against image editing with generative priors',
      abstract:
        'Image watermarks are destroyed by modern image editing methods such as inpainting and text-guided editing. ' +
        'We benchmark eleven watermarking methods against these editing methods and propose a watermark that survives them.',
    });
    expect(watermark.topics.map((t) => t.slug)).not.toContain('knowledge-editing');
    const finetune = classifier.classify({
      title: 'A Simple Fine-tuning Is All You Need: Towards Robust Deep Learning Via Adversarial Fine-tuning',
      abstract:
        'Adversarial training with projected gradient descent is costly and overfits. We show that briefly fine-tuning ' +
        'a pretrained network with adversarial examples and a slowly increasing learning rate gives robust models at a ' +
        'fraction of the training time.',
    });
    expect(finetune.topics.map((t) => t.slug)).not.toContain('peft');
  });

  it('uses example papers of a topic', () => {
    const bare: TopicDefinition = {
      slug: 'x-topic',
      name: 'Hypergraphs',
      description: 'Learning on hypergraphs.',
    };
    const withExamples: TopicDefinition = {
      ...bare,
      examples: [GNN_PAPER, { title: 'Hypergraph message passing', abstract: GNN_PAPER.abstract }],
    };
    const paper = {
      title: 'Message passing on hypergraphs for node classification',
      abstract: GNN_PAPER.abstract,
    };
    const score = (t: TopicDefinition): number => {
      const c = createClassifier([t], model);
      // all topics are returned when the threshold is not met, so read the score through a topic list of one
      const res = c.classify(paper);
      return res.topics.find((s) => s.slug === 'x-topic')?.score ?? 0;
    };
    expect(score(withExamples)).toBeGreaterThan(score(bare));
  });

  it('is deterministic across calls and instances', () => {
    const again = createClassifier(loadDefaultTaxonomy(), loadDefaultModel());
    expect(again.version).toBe(classifier.version);
    expect(again.classify(LORA_PAPER)).toEqual(classifier.classify(LORA_PAPER));
    expect(classifier.classify(GNN_PAPER)).toEqual(classifier.classify(GNN_PAPER));
  });

  it('predicts an arXiv category only when the source gave none', () => {
    const predicted = classifier.classify({ ...GNN_PAPER, categories: [] });
    expect(typeof predicted.arxivCategory).toBe('string');
    expect(predicted.arxivCategory).toMatch(/^[a-z-]+(\.[A-Za-z-]+)?$/);
    expect(classifier.classify({ ...GNN_PAPER, categories: ['cs.LG'] }).arxivCategory).toBeUndefined();
  });

  it('tells a survey and a benchmark from a method', () => {
    expect(
      classifier.classify({
        title: 'Deep Reinforcement Learning for Autonomous Driving: A Survey',
        abstract:
          'This review summarises deep reinforcement learning algorithms and provides a taxonomy of driving tasks.',
      }).contribution,
    ).toBe('survey');
    expect(
      classifier.classify({
        title: 'CodeArena: A New Benchmark for Repository-Level Code Agents',
        abstract:
          'We introduce a new benchmark of 1,200 tasks and a dataset of human-annotated solutions, with a public leaderboard.',
      }).contribution,
    ).toBe('benchmark-dataset');
    expect(classifier.classify(LORA_PAPER).contribution).toBe('method');
  });

  it('rejects duplicate slugs and hashes taxonomies by content', () => {
    expect(() => createClassifier([GNN_TOPIC, GNN_TOPIC], model)).toThrow(/duplicate/);
    expect(taxonomyHash([GNN_TOPIC])).toBe(taxonomyHash([{ ...GNN_TOPIC }]));
    expect(taxonomyHash([GNN_TOPIC])).not.toBe(taxonomyHash([{ ...GNN_TOPIC, keywords: ['graph'] }]));
  });

  describe('primary topic among several learned topics', () => {
    // Weightless heads: both topics always returned with the same score (the slug puts efficiency first); the
    // primary heads differ only in bias and read the topic's keyword logit, as they were trained to.
    const head = (
      kind: 'topic' | 'primary',
      label: string,
      bias: number,
      keywordWeight: number,
    ): LinearHeadFile => ({
      kind,
      label,
      bias,
      keywordWeight,
      idx: [],
      q: [],
      scale: 1,
      positives: 10,
      ...(kind === 'topic' ? { platt: { a: 1, b: 0 }, threshold: 0.5 } : {}),
    });
    const linear = (primaryRule: LinearModelFile['primaryRule']): LinearModelFile => ({
      version: `lin-test-${primaryRule}`,
      provenance: '',
      features: { ...DEFAULT_FEATURES, bits: 10 },
      heads: [
        head('topic', 'efficiency', 3, 0),
        head('topic', 'peft', 3, 0),
        head('primary', 'efficiency', 0.5, 1),
        head('primary', 'peft', 0, 1),
      ],
      primaryRule,
      training: {},
    });
    const classify = (rule: LinearModelFile['primaryRule']): string | null =>
      createClassifier(taxonomy, { ...model, linear: linear(rule) }).classify(LORA_PAPER).primaryTopic;

    it('the primary heads decide with their keyword term (peft keywords of the LoRA paper outweigh a bias)', () => {
      expect(classify('head')).toBe('peft');
    });

    it('the score rule takes the first returned topic', () => {
      expect(classify('score')).toBe('efficiency');
    });

    it('a paper with no topic over its threshold gets its best learned topic only when it reaches the fallback bar', () => {
      // p = sigmoid(bias): efficiency 0.27, peft 0.12, both under their 0.5 threshold; on the shared scale
      // efficiency is 0.625 * 0.27 / 0.5 = 0.34
      const below: LinearModelFile = {
        ...linear('score'),
        heads: [head('topic', 'efficiency', -1, 0), head('topic', 'peft', -2, 0)],
      };
      const run = (fallbackScore?: number) =>
        createClassifier(taxonomy, { ...model, linear: { ...below, fallbackScore } }).classify(LORA_PAPER);
      expect(run().topics).toEqual([]);
      expect(run(0.4).topics).toEqual([]);
      const got = run(0.3);
      expect(got.topics.map((t) => t.slug)).toEqual(['efficiency']);
      expect(got.topics[0].score).toBe(model.calibration.threshold);
      expect(got.primaryTopic).toBe('efficiency');
    });
  });
});

describe('the running classifier is the evaluated one', () => {
  it('default topics as Postgres stores them (no weak keywords) get their shipped weak keywords back', () => {
    const shipped = loadDefaultTaxonomy();
    expect(shipped.some((t) => (t.weakKeywords?.length ?? 0) > 0)).toBe(true);
    // What the classifier service reads back from the topics table: no weak keywords column.
    const stored = shipped.map(({ weakKeywords: _weak, ...t }) => t);
    expect(taxonomyHash(stored)).not.toBe(taxonomyHash(shipped));
    expect(taxonomyHash(withDefaultWeakKeywords(stored))).toBe(taxonomyHash(shipped));
    // The classifier the service runs (and `reclassify` names) for the stored topics is the evaluated one.
    expect(classifierForStoredTopics(stored).version).toBe(
      createClassifier(shipped, loadDefaultModel()).version,
    );
  });

  it('leaves topics users add, and topics with weak keywords of their own, as they are', () => {
    const own = { slug: 'my-topic', name: 'Mine', description: 'a topic of my own', keywords: ['widget'] };
    const edited = { ...loadDefaultTaxonomy()[0], weakKeywords: ['mine only'] };
    expect(withDefaultWeakKeywords([own, edited])).toEqual([own, edited]);
  });
});
