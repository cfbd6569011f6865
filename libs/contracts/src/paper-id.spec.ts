import { parsePaperId } from './paper-id';

describe('parsePaperId: paper ids the way people paste them', () => {
  it.each([
    ['2401.12345', 'arxiv', '2401.12345'],
    ['2401.12345v2', 'arxiv', '2401.12345'],
    ['arXiv:2401.12345', 'arxiv', '2401.12345'],
    ['arxiv:2401.12345v2', 'arxiv', '2401.12345'],
    ['ARXIV: 2401.12345', 'arxiv', '2401.12345'],
    ['  2401.12345\t', 'arxiv', '2401.12345'],
    ['https://arxiv.org/abs/2401.12345', 'arxiv', '2401.12345'],
    ['http://www.arxiv.org/abs/2401.12345v3?context=cs', 'arxiv', '2401.12345'],
    ['https://arxiv.org/pdf/2401.12345v1.pdf', 'arxiv', '2401.12345'],
    ['https://export.arxiv.org/abs/hep-th/9901001v2', 'arxiv', 'hep-th/9901001'],
    ['arxiv.org/html/2401.12345v1/', 'arxiv', '2401.12345'],
    ['arXiv:math.AG/0101001', 'arxiv', 'math.AG/0101001'],
    // a Hugging Face paper page is named by the arXiv id
    ['https://huggingface.co/papers/2606.13392', 'arxiv', '2606.13392'],
    ['huggingface.co/papers/2606.13392v2/', 'arxiv', '2606.13392'],
    ['https://hf.co/papers/2606.13392#community', 'arxiv', '2606.13392'],
    ['0F1C2D3E-0000-4000-8000-00000000000A', 'uuid', '0f1c2d3e-0000-4000-8000-00000000000a'],
    ['10.1145/3292500.3330701', 'key', 'doi:10.1145/3292500.3330701'],
    ['https://doi.org/10.1145/ABC.1', 'key', 'doi:10.1145/abc.1'],
    ['doi:10.1145/abc.1', 'key', 'doi:10.1145/abc.1'],
    ['title:sparse-adapters-for-llms', 'key', 'title:sparse-adapters-for-llms'],
    // arXiv's own DOIs name the arXiv paper (it is keyed by its arXiv id, never by that DOI)
    ['10.48550/arXiv.2401.12345', 'arxiv', '2401.12345'],
    ['https://doi.org/10.48550/ARXIV.2401.12345', 'arxiv', '2401.12345'],
    ['doi:10.48550/arXiv.hep-th/9901001', 'arxiv', 'hep-th/9901001'],
    ['10.48550/arXiv.not-an-id', 'key', 'doi:10.48550/arxiv.not-an-id'],
  ])('%p is %s %p', (raw, kind, value) => {
    expect(parsePaperId(raw)).toEqual({ kind, value });
  });

  it.each([
    '',
    '   ',
    'nonsense',
    'arXiv:hello',
    'arxiv:10.1145/abc',
    'https://example.org/abs/2401.12345',
    'https://arxiv.org/list/cs.LG',
    'https://huggingface.co/papers/trending',
    'https://huggingface.co/MiniMaxAI/MiniMax-M3',
    '<script>',
    'title:has spaces',
    `2401.${'1'.repeat(400)}`,
  ])('%p can never be a paper id', (raw) => {
    expect(parsePaperId(raw)).toBeNull();
  });
});
