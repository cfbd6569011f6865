import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { buildDocument, cosine, loadDefaultModel, tfidfVector, type ClassifierModel } from '@paperwire/classification';
import { paperTexts, papersMatchingTerms, topPapersOfTopic } from '@paperwire/db';
import { DATA_SOURCE } from '@paperwire/service-kit';

export interface SimilarPaper {
  id: string;
  arxivId: string | null;
  title: string;
  /** cosine similarity in the classifier's tf-idf space, 0..1 (for ranking: pages do not show it) */
  similarity: number;
}

/** Candidates per index: papers of the same primary topic (by score) and full-text matches of the rarest terms. */
export const CANDIDATES_PER_INDEX = 200;
const QUERY_TERMS = 4;
/**
 * Only terms this rare in the classifier's corpus (idf ≥ 6.9: in at most ~0.3% of its abstracts, or never
 * seen) are looked up in the full-text index: their posting lists stay small at any catalogue size, so the
 * GIN bitmap costs what a few thousand entries cost. Common words ("model", "attention") never are.
 */
export const RARE_IDF = 6.9;
/**
 * The floor below which a neighbour is not shown. Picked from data: over the 842 human-labelled papers of
 * data/classification/labels (dev, heldout*), the top-6 neighbours at similarity ≥ 0.1 share the paper's labelled
 * primary topic 71% of the time (base rate of two random papers: 18%); at 0.075–0.1 it is 49%, at 0.05–0.075 42%,
 * so the old floor of 0.05 showed neighbours that were as often unrelated as related.
 */
export const MIN_SIMILARITY = 0.1;

/**
 * Nearest neighbours of a paper in the classifier's vector space (sublinear tf-idf over the unigrams and
 * bigrams of title and abstract, the shipped model's idf). The cost is bounded, never a catalogue scan: at
 * most 2 × CANDIDATES_PER_INDEX candidates come from two indexes (paper_topics by topic and score, the
 * paper_search GIN index for the paper's rare terms, see RARE_IDF: each term its own lookup with an equal share
 * of the candidates, so one term's matches never crowd out another's; papersMatchingTerms), and only those are
 * re-ranked by cosine.
 * Measured on the 2.5M-paper bench catalogue: the topic candidates 3.7 ms (index scan backward, 200 rows);
 * an OR of six common words instead took 1.1 s (a 900k-entry bitmap), which is why only rare terms are used.
 */
@Injectable()
export class SimilarService {
  private model: ClassifierModel | undefined;

  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {}

  private vector(title: string, abstract: string) {
    this.model ??= loadDefaultModel();
    return tfidfVector(buildDocument({ title, abstract }).terms, this.model.idf, this.model.defaultIdf);
  }

  /** The paper's most distinctive rare single words (highest tf-idf weight, idf ≥ RARE_IDF), safe for to_tsquery. */
  queryTerms(vec: Map<string, number>): string[] {
    const model = (this.model ??= loadDefaultModel());
    return [...vec.entries()]
      .filter(([t]) => /^[a-z][a-z0-9]{2,30}$/.test(t) && (model.idf[t] ?? model.defaultIdf) >= RARE_IDF)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, QUERY_TERMS)
      .map(([t]) => t);
  }

  async similar(
    paper: { id: string; title: string; abstract: string; primaryTopic: string | null },
    limit = 6,
  ): Promise<SimilarPaper[]> {
    const vec = this.vector(paper.title, paper.abstract);
    const terms = this.queryTerms(vec);
    const [byTopic, byText] = await Promise.all([
      paper.primaryTopic ? topPapersOfTopic(this.ds, paper.primaryTopic, paper.id, CANDIDATES_PER_INDEX) : Promise.resolve([]),
      terms.length > 0
        ? papersMatchingTerms(this.ds, terms, paper.id, Math.ceil(CANDIDATES_PER_INDEX / terms.length))
        : Promise.resolve([]),
    ]);
    const ids = [...new Set([...byTopic, ...byText].map((r) => r.paper_id))];
    if (ids.length === 0) return [];
    const rows = await paperTexts(this.ds, ids);
    return rows
      .map((r) => ({ id: r.id, arxivId: r.arxiv_id, title: r.title, similarity: cosine(vec, this.vector(r.title, r.abstract)) }))
      .filter((r) => r.similarity >= MIN_SIMILARITY)
      .sort((a, b) => b.similarity - a.similarity || a.id.localeCompare(b.id))
      .slice(0, limit)
      .map((r) => ({ ...r, similarity: Math.round(r.similarity * 1000) / 1000 }));
  }
}
