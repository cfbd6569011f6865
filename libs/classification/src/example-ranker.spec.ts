import { loadDefaultModel } from './data-files';
import { createExampleRanker } from './example-ranker';

const examples = [
  {
    title: 'Dense Passage Retrieval for Open-Domain Question Answering',
    abstract:
      'We train a dual-encoder dense retriever over Wikipedia passages and rank passages for open-domain question answering.',
  },
  {
    title: 'ColBERT: Efficient Passage Search via Late Interaction',
    abstract: 'A late-interaction ranking model for passage retrieval and re-ranking on MS MARCO.',
  },
];

describe('createExampleRanker', () => {
  const ranker = createExampleRanker(examples, loadDefaultModel());

  it('ranks a similar paper above a dissimilar one, with scores in [0, 1]', () => {
    const similar = ranker.score({
      title: 'Re-ranking Passages with Dense Retrievers',
      abstract:
        'We study dense passage retrieval and a re-ranking model for question answering over Wikipedia.',
    });
    const dissimilar = ranker.score({
      title: 'Liver Lesion Segmentation from CT Images',
      abstract:
        'A feature-fusion encoder-decoder network segments liver lesions in computed tomography scans.',
    });
    expect(similar).toBeGreaterThan(dissimilar);
    expect(similar).toBeGreaterThan(0.1);
    for (const s of [similar, dissimilar]) {
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThanOrEqual(1);
    }
  });

  it('scores zero without examples and is deterministic', () => {
    expect(createExampleRanker([], loadDefaultModel()).score(examples[0])).toBe(0);
    expect(ranker.score(examples[0])).toBe(ranker.score(examples[0]));
  });
});
