import { ActionError } from './errors';
import { claimSqlFilter } from './claims';
import { validateTopic } from './topics';

describe('claimSqlFilter', () => {
  it('resolves the metric to its aliases and keeps the other terms', () => {
    const f = claimSqlFilter({ claimMetric: ' VRAM ', claimKind: 'reduction', claimMin: 2 });
    expect(f?.metricAliases).toContain('gpu memory');
    expect(f?.metricAliases).not.toContain('memory');
    expect(f).toMatchObject({ kind: 'reduction', min: 2 });
  });

  it('is undefined without a claim term', () => {
    expect(claimSqlFilter({})).toBeUndefined();
  });

  it.each([
    [{ claimKind: 'bigger' }, 'claimKind'],
    [{ claimUnit: 'furlongs' }, 'claimUnit'],
    [{ claimMin: 3, claimMax: 1 }, 'claimMin'],
    [{ claimMin: Number.NaN }, 'claimMin'],
    [{ claimMetric: '   ' }, 'claimMetric'],
  ])('refuses %j naming %s', (input, field) => {
    try {
      claimSqlFilter(input);
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(ActionError);
      expect((e as ActionError).code).toBe('invalid');
      expect((e as ActionError).details?.[0].field).toBe(field);
    }
  });
});

describe('validateTopic', () => {
  const ok = { slug: 'rag', name: ' RAG ', description: '  Retrieval-augmented generation.  ', keywords: [' retrieval '] };

  it('trims and fills the optional parts', () => {
    expect(validateTopic(ok)).toEqual({ slug: 'rag', name: 'RAG', description: 'Retrieval-augmented generation.', keywords: ['retrieval'], examples: [] });
  });

  it.each([
    [{ slug: 'a'.repeat(65) }, 'slug'],
    [{ slug: 'Bad_Slug' }, 'slug'],
    [{ name: '  ' }, 'name'],
    [{ description: 'short' }, 'description'],
    [{ keywords: ['ok', ' '] }, 'keywords'],
  ])('refuses %j naming %s', (patch, field) => {
    expect(() => validateTopic({ ...ok, ...patch })).toThrow(ActionError);
    try {
      validateTopic({ ...ok, ...patch });
    } catch (e) {
      expect((e as ActionError).details?.[0].field).toBe(field);
    }
  });

  it('accepts the slugs the API accepts as topic filters: 1 to 64 characters', () => {
    expect(validateTopic({ ...ok, slug: 'q' }).slug).toBe('q');
    expect(validateTopic({ ...ok, slug: `a${'-'.repeat(63)}` }).slug).toHaveLength(64);
  });
});
