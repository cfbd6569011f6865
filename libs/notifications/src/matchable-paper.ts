import type { Claim, TopicScore } from '@paperwire/contracts';

/** What the matcher and the renderers need to know about a paper (the notifier assembles it from the DB). */
export interface MatchablePaper {
  id: string;
  title: string;
  abstract: string;
  authors: { name: string }[];
  topics: TopicScore[];
  claims: Claim[];
  /**
   * what a `source` filter matches the paper by: the names, kinds and replayed file formats of the sources it was
   * seen in ('arxiv-rss', 'HF daily papers', 'hf-daily-papers'; @paperwire/db sightingMatchesSource)
   */
  sources: string[];
  codeLinks: string[];
  arxivId?: string | null;
  links?: { abs?: string; pdf?: string; code: string[]; project: string[] };
  primaryTopic?: string | null;
  contribution?: string | null;
  publishedAt?: string | null;
}
