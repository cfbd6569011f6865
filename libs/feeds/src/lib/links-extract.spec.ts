import { extractLinks } from './links-extract';

describe('extractLinks', () => {
  it('separates code repositories from project pages and strips trailing punctuation', () => {
    const text =
      'Code: https://github.com/PKU-YuanGroup/TIDE. Project page at https://example.github.io/proj/, ' +
      'models at (https://huggingface.co/org/model-7b).';
    expect(extractLinks(text)).toEqual({
      code: ['https://github.com/PKU-YuanGroup/TIDE', 'https://huggingface.co/org/model-7b'],
      project: ['https://example.github.io/proj/'],
    });
  });

  it('drops LaTeX leftovers and keeps only the repository part of a GitHub URL', () => {
    const text = 'Available at \\url{https://github.com/a/b}} and https://github.com/c/d/tree/main/src and {this https URL}';
    expect(extractLinks(text).code).toEqual(['https://github.com/a/b', 'https://github.com/c/d']);
  });

  it('finds bare repository mentions and GitLab / HF datasets and spaces', () => {
    const text = 'See github.com/foo/bar, gitlab.com/grp/repo.git; data: https://huggingface.co/datasets/o/d and https://huggingface.co/spaces/o/demo';
    expect(extractLinks(text).code).toEqual([
      'https://huggingface.co/datasets/o/d',
      'https://huggingface.co/spaces/o/demo',
      'https://github.com/foo/bar',
      'https://gitlab.com/grp/repo',
    ]);
  });

  it('does not treat references or HF paper pages as code or project links', () => {
    const text = 'Cf. https://arxiv.org/abs/2401.00001, https://doi.org/10.1000/1 and https://huggingface.co/papers/2401.00001';
    expect(extractLinks(text)).toEqual({ code: [], project: ['https://huggingface.co/papers/2401.00001'] });
  });

  it('keeps balanced parentheses inside URLs and deduplicates', () => {
    const text = 'https://en.wikipedia.org/wiki/Foo_(bar) and again https://en.wikipedia.org/wiki/Foo_(bar).';
    expect(extractLinks(text).project).toEqual(['https://en.wikipedia.org/wiki/Foo_(bar)']);
  });

  it('returns nothing for text without links and for a GitHub user page returns a project link', () => {
    expect(extractLinks('no links here, just 12.5% better')).toEqual({ code: [], project: [] });
    expect(extractLinks('https://github.com/ClawGym')).toEqual({ code: [], project: ['https://github.com/ClawGym'] });
  });
});
