import { claimMetricMatches, metricAliases, metricKey } from './claim-query';

describe('claim metric matching (one rule for API, CLI and notifier)', () => {
  it('resolves aliases through the metric table', () => {
    expect(claimMetricMatches('VRAM', 'gpu memory')).toBe(true);
    expect(claimMetricMatches('GPU Memory', 'gpu memory')).toBe(true);
    expect(claimMetricMatches('kv cache', 'gpu memory')).toBe(true);
  });

  it('never finds a metric inside another', () => {
    expect(claimMetricMatches('memory', 'gpu memory')).toBe(false);
    expect(claimMetricMatches('rate', 'win rate')).toBe(false);
    expect(claimMetricMatches('memory', null)).toBe(false);
  });

  it('matches an unknown metric by its normalised text', () => {
    expect(claimMetricMatches('Foo  Score', 'foo score')).toBe(true);
    expect(metricAliases('Foo  Score')).toEqual(['foo score']);
  });

  it('lists exactly the stored texts the matcher accepts', () => {
    const aliases = metricAliases('vram');
    expect(aliases).toContain('gpu memory');
    expect(aliases).toContain('vram');
    expect(aliases).not.toContain('memory');
    for (const a of aliases) expect(metricKey(a)).toBe('gpu memory');
  });
});
