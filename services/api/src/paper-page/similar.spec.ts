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

describe('SimilarService.similar', () => {
  const paper = {
    id: 'a',
    title: 'Sparse attention kernels for long-context inference',
    abstract: 'We speed up sparse attention on GPUs with block-sparse kernels, reducing latency of long-context language model inference.',
    primaryTopic: 'efficiency',
  };
  const candidates = [
    { id: 'near', arxiv_id: null, title: 'Block-sparse attention kernels on GPUs', abstract: 'Block-sparse attention kernels reduce the latency of long-context inference on GPUs.' },
    // shares only "inference", "long" and "latency": similarity about 0.09
    { id: 'weak', arxiv_id: null, title: 'Speech recognition for long recordings', abstract: 'Inference of speech models on long recordings with lower latency.' },
  ];
  const ds = {
    query: async (sql: string) => (sql.includes('FROM papers WHERE id = ANY') ? candidates : candidates.map((c) => ({ paper_id: c.id }))),
  } as unknown as DataSource;

  it('lists neighbours at or above the floor (0.1) only, best first', async () => {
    const similar = await new SimilarService(ds).similar(paper);
    expect(similar.map((s) => s.id)).toEqual(['near']);
  });
});
