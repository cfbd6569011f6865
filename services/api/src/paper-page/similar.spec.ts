import type { DataSource } from 'typeorm';
import { SimilarService } from './similar.service';

describe('SimilarService.queryTerms', () => {
  it('looks up only rare terms in the full-text index, most distinctive first, at most four', () => {
    const svc = new SimilarService({} as DataSource);
    const vec = new Map([
      ['model', 0.9],
      ['attention', 0.8],
      ['flashattention', 0.5],
      ['kv', 0.4],
      ['longbench', 0.45],
      ['speculative', 0.3],
      ['sparsekvx', 0.2],
      ['kv cache', 0.7],
      ['x1', 0.9],
    ]);
    expect(svc.queryTerms(vec)).toEqual(['flashattention', 'longbench', 'speculative', 'sparsekvx']);
  });
});
