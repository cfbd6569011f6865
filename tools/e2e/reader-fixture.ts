import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { createClassifier, loadDefaultModel, loadDefaultTaxonomy } from '@paperwire/classification';
import type { CanonicalPaper } from '@paperwire/contracts';
import { parseDocument } from '@paperwire/feeds';
import { extractClaims, headlineClaim } from '@paperwire/metrics';
import { REPO_ROOT, hfSeedSighting, seedPaper, seedSource, seedTopic } from '@paperwire/testing';

// A realistic catalogue for the reader's pages (e2e and README screenshots): the captured HF day
// 2026-06-12 (30 papers) classified by the real classifier and with claims from the real extractor, a
// paper with two versions, a near duplicate for "similar papers", papers on other days of that week and
// month, and papers sighted in the last 24 h / 7 d / 30 d for the trending windows.

export const HF_DAY = '2026-06-12';
export const HF_WEEK = '2026-W24';
export const HF_MONTH = '2026-06';
export const VERSIONED_ARXIV = '2606.90001';
export const NEAR_DUPLICATE_TITLE = 'Sparse attention kernels for long-context LLM inference on a single GPU';

const V1 =
  'We present SparseKV, a sparse attention kernel for long-context LLM inference. SparseKV reduces KV-cache memory by 35% compared to dense attention and is 1.8x faster than FlashAttention-2 on 32k-token prompts.';
const V2 =
  'We present SparseKV, a sparse attention kernel for long-context LLM inference on a single GPU. SparseKV reduces KV-cache memory by 52% compared to dense attention, is 2.6x faster than FlashAttention-2 on 32k-token prompts, and keeps 99.1% of the accuracy on LongBench.';

export interface ReaderCatalogue {
  versionedId: string;
  nearDuplicateId: string;
  hfArxivIds: string[];
}

export async function seedReaderCatalogue(ds: DataSource, opts: { thumbnails?: boolean } = {}): Promise<ReaderCatalogue> {
  const taxonomy = loadDefaultTaxonomy();
  for (const t of taxonomy) await seedTopic(ds, t.slug, t.name, t.description);
  const classifier = createClassifier(taxonomy, loadDefaultModel());
  const hf = await seedSource(ds, 'hf-daily-papers', 'hf-daily-papers');
  const rss = await seedSource(ds, 'arxiv-rss-cs', 'arxiv-rss');

  const store = async (
    p: { title: string; abstract: string; arxivId?: string; authors: string[]; publishedAt: string | null; links?: CanonicalPaper['links'] },
    sightings: NonNullable<Parameters<typeof seedPaper>[1]['sightings']>,
  ) => {
    const c = classifier.classify({ title: p.title, abstract: p.abstract });
    const claims = extractClaims(p.abstract);
    const head = headlineClaim(claims, p.abstract);
    const id = await seedPaper(ds, {
      ...p,
      topics: c.topics.map((t) => ({ slug: t.slug, score: t.score, primary: t.slug === c.primaryTopic, evidence: t.evidence })),
      claims: claims.map((x) => ({ ...x, isHeadline: x === head })),
      contribution: c.contribution,
      sightings,
    });
    // No categories from these sources: the classifier's prediction, as the pipeline stores it.
    if (c.arxivCategory) await ds.query(`UPDATE papers SET predicted_category = $2 WHERE id = $1`, [id, c.arxivCategory]);
    return id;
  };

  const parsed = parseDocument({
    body: readFileSync(join(REPO_ROOT, 'services/api/src/hf/fixtures/sotawhat_daily_papers_limit30_2026-06-12.json')),
    format: 'hf-daily-papers',
  });
  for (const p of parsed.papers)
    await store(
      { title: p.title, abstract: p.abstract, arxivId: p.externalIds.arxiv, authors: p.authors.map((a) => a.name), publishedAt: p.publishedAt ?? null, links: p.links },
      [hfSeedSighting(hf, p.sighting, { thumbnail: Boolean(opts.thumbnails) })],
    );

  // Two versions of one paper: the page shows what changed (text and claims).
  const versionedId = await store(
    { title: 'SparseKV: sparse attention kernels for long-context inference', abstract: V2, arxivId: VERSIONED_ARXIV, authors: ['Ada Lovelace', 'Grace Hopper'], publishedAt: '2026-06-08T00:00:00Z', links: { abs: `https://arxiv.org/abs/${VERSIONED_ARXIV}`, pdf: `https://arxiv.org/pdf/${VERSIONED_ARXIV}`, code: ['https://github.com/example/sparsekv'], project: [] } },
    [
      { sourceId: hf, sourceKind: 'hf-daily-papers', upvotes: 64, comments: 5, featuredAt: '2026-06-09T00:00:00Z', submittedBy: 'akhaliq' },
      { sourceId: rss, sourceKind: 'arxiv-rss', announceType: 'new', featuredAt: '2026-06-09T04:00:00Z' },
    ],
  );
  await ds.query(`UPDATE paper_versions SET version = 2, seen_at = now() WHERE paper_id = $1`, [versionedId]);
  await ds.query(
    `INSERT INTO paper_versions (paper_id, version, content_hash, title, abstract, seen_at) VALUES ($1, 1, 'v1-hash', $2, $3, now() - interval '5 days')`,
    [versionedId, 'SparseKV: sparse attention for long contexts', V1],
  );
  await ds.query(`UPDATE papers SET version = 2 WHERE id = $1`, [versionedId]);
  const nearDuplicateId = await store(
    { title: NEAR_DUPLICATE_TITLE, abstract: 'A sparse attention kernel cuts KV-cache memory for long-context LLM inference and runs faster than FlashAttention-2 on long prompts.', authors: ['Alan Turing'], publishedAt: '2026-06-02T00:00:00Z' },
    [{ sourceId: rss, sourceKind: 'arxiv-rss', announceType: 'new', featuredAt: '2026-06-02T04:00:00Z' }],
  );

  // Trending windows: first appearances 2 h, 3 days and 20 days ago, each with a signal.
  const ago = (h: number) => new Date(Date.now() - h * 3600_000).toISOString();
  for (const [i, h, votes] of [[1, 2, 12], [2, 72, 30], [3, 480, 90]] as const)
    await store(
      { title: `Trending paper ${i}: retrieval-augmented agents`, abstract: `A retrieval-augmented agent improves task success by ${10 * i}% over ReAct on WebArena.`, authors: ['Trend Author'], publishedAt: ago(h + 1) },
      [{ sourceId: hf, sourceKind: 'hf-daily-papers', upvotes: votes, comments: i, featuredAt: ago(h), submittedBy: 'trend-bot' }],
    );
  return { versionedId, nearDuplicateId, hfArxivIds: parsed.papers.map((p) => p.externalIds.arxiv ?? '') };
}
