import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Claim, HfPaperExtras, PaperRef, SightingInfo } from '@paperwire/contracts';
import { refreshPaperSearch, refreshReadModel } from '@paperwire/db';

// Test data written straight with SQL, bypassing the pipeline, for the api's contract tests and the
// read actions' specs (test tooling: the one place outside libs/db that writes these tables by hand).

export interface SeedClaim extends Partial<Claim> {
  value: number;
  unit: Claim['unit'];
  kind: Claim['kind'];
  isHeadline?: boolean;
}

export interface SeedPaper {
  title: string;
  abstract: string;
  arxivId?: string;
  publishedAt?: string | null;
  authors?: string[];
  topics?: { slug: string; score: number; primary?: boolean; evidence?: string[] }[];
  claims?: SeedClaim[];
  sightings?: {
    sourceId: string;
    sourceKind: string;
    upvotes?: number;
    comments?: number;
    announceType?: string;
    featuredAt?: string;
    /** the source's own item timestamp (HF Daily Papers' item publishedAt) */
    itemPublishedAt?: string;
    githubStars?: number;
    submittedBy?: string;
    organization?: { name: string; fullname?: string };
    thumbnailUrl?: string;
    mediaUrls?: string[];
    authorParticipating?: boolean;
    /** Hugging Face's own fields of the paper (discussion, AI summary and keywords, summary as given) */
    hf?: HfPaperExtras;
  }[];
  /** links as stored (default: the arXiv abs page, and a code link when hasCode) */
  links?: { abs?: string; pdf?: string; code: string[]; project: string[] };
  hasCode?: boolean;
  contribution?: string;
  stage?: 'parsed' | 'classified' | 'extracted' | 'notified';
  /**
   * stage timestamps relative to now, in seconds ago. `notified_at` is set exactly while the paper is at
   * 'notified', as the pipeline keeps it (the partial indexes on notified_at rely on it): at 'notified' it
   * defaults to now, at any other stage `notified` is ignored.
   */
  stageAgo?: Partial<Record<'parsed' | 'classified' | 'extracted' | 'notified', number>>;
}

export type SeedSighting = NonNullable<SeedPaper['sightings']>[number];

/** A Hugging Face Daily Papers sighting to seed, from the signals its parser read (thumbnail kept unless told). */
export function hfSeedSighting(
  sourceId: string,
  s: SightingInfo,
  opts: { thumbnail?: boolean } = {},
): SeedSighting {
  return {
    sourceId,
    sourceKind: 'hf-daily-papers',
    upvotes: s.upvotes,
    comments: s.comments,
    featuredAt: s.featuredAt,
    itemPublishedAt: s.itemPublishedAt,
    githubStars: s.githubStars,
    submittedBy: s.submittedBy,
    organization: s.organization,
    thumbnailUrl: opts.thumbnail === false ? undefined : s.thumbnailUrl,
    mediaUrls: s.mediaUrls,
    authorParticipating: s.authorParticipating,
    hf: s.hf,
  };
}

export async function seedTopic(
  ds: DataSource,
  slug: string,
  name = slug,
  description = `Papers about ${slug}`,
): Promise<void> {
  await ds.query(
    `INSERT INTO topics (slug, name, description, origin) VALUES ($1, $2, $3, 'default') ON CONFLICT (slug) DO NOTHING`,
    [slug, name, description],
  );
}

export async function seedSource(
  ds: DataSource,
  name: string,
  kind = 'hf-daily-papers',
  health: { lastSuccessAgo?: number; lastError?: string; lastStatus?: number; failures?: number } = {},
): Promise<string> {
  const rows: { id: string }[] = await ds.query(
    `INSERT INTO sources (name, kind, url, last_attempt_at, last_success_at, last_status, last_error, consecutive_failures)
     VALUES ($1, $2, 'https://example.org/feed', now(), CASE WHEN $3::float8 IS NULL THEN NULL ELSE now() - make_interval(secs => $3::float8) END, $4, $5, $6)
     RETURNING id`,
    [
      name,
      kind,
      health.lastSuccessAgo ?? null,
      health.lastStatus ?? 200,
      health.lastError ?? null,
      health.failures ?? 0,
    ],
  );
  return rows[0].id;
}

export async function seedPaper(ds: DataSource, p: SeedPaper): Promise<string> {
  const hash = createHash('sha256').update(`${p.title}\n${p.abstract}`).digest('hex');
  const key = p.arxivId ? `arxiv:${p.arxivId}` : `title:${p.title.toLowerCase()}`;
  const ago = (s?: number) => (s === undefined ? null : s);
  const links = p.links ?? {
    abs: p.arxivId ? `https://arxiv.org/abs/${p.arxivId}` : undefined,
    code: p.hasCode ? ['https://github.com/x/y'] : [],
    project: [],
  };
  const rows: { id: string }[] = await ds.query(
    `INSERT INTO papers (paper_key, arxiv_id, title, abstract, authors, links, has_code, published_at, content_hash, contribution,
                         primary_topic)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8::timestamptz, $9, $10, $11)
     RETURNING id`,
    [
      key,
      p.arxivId ?? null,
      p.title,
      p.abstract,
      JSON.stringify((p.authors ?? ['A. Author']).map((name) => ({ name }))),
      JSON.stringify(links),
      p.hasCode ?? false,
      p.publishedAt === undefined ? new Date().toISOString() : p.publishedAt,
      hash,
      p.contribution ?? 'method',
      p.topics?.find((t) => t.primary)?.slug ?? p.topics?.[0]?.slug ?? null,
    ],
  );
  // the insert trigger made the stage row (at 'parsed', now): set the stage the spec asks for
  const stage = p.stage ?? 'extracted';
  await ds.query(
    `UPDATE paper_stages SET stage = $2,
            parsed_at = now() - make_interval(secs => coalesce($3::float8, 0)),
            classified_at = CASE WHEN $4::float8 IS NULL THEN NULL ELSE now() - make_interval(secs => $4::float8) END,
            extracted_at = CASE WHEN $5::float8 IS NULL THEN NULL ELSE now() - make_interval(secs => $5::float8) END,
            notified_at = CASE WHEN $6::float8 IS NULL THEN NULL ELSE now() - make_interval(secs => $6::float8) END
      WHERE paper_id = $1`,
    [
      rows[0].id,
      stage,
      ago(p.stageAgo?.parsed),
      ago(p.stageAgo?.classified),
      ago(p.stageAgo?.extracted),
      stage === 'notified' ? (p.stageAgo?.notified ?? 0) : null,
    ],
  );
  const id = rows[0].id;
  await ds.query(
    `INSERT INTO paper_versions (paper_id, version, content_hash, title, abstract) VALUES ($1, 1, $2, $3, $4)`,
    [id, hash, p.title, p.abstract],
  );
  // The parser's index-search job, as if it had run.
  await refreshPaperSearch(ds, [id]);
  for (const t of p.topics ?? []) {
    await ds.query(
      `INSERT INTO paper_topics (paper_id, topic_slug, score, is_primary, evidence, model_version, content_hash) VALUES ($1, $2, $3, $4, $5::jsonb, 'test-1', $6)`,
      [id, t.slug, t.score, t.primary ?? false, JSON.stringify(t.evidence ?? [t.slug]), hash],
    );
  }
  let pos = 0;
  for (const c of p.claims ?? []) {
    const text = c.text ?? `${c.value}${c.unit}`;
    await ds.query(
      `INSERT INTO paper_claims (paper_id, start, "end", text, value, low, unit, category, kind, metric, baseline, compared_to, dataset, qualifier, is_headline, extractor_version, content_hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12, $13, $14, $15, 'test-1', $16)`,
      [
        id,
        c.start ?? pos,
        c.end ?? pos + text.length,
        text,
        c.value,
        c.low ?? null,
        c.unit,
        c.category ?? (c.kind === 'scope' || c.kind === 'size' ? 'setup' : 'result'),
        c.kind,
        c.metric ?? null,
        c.baseline ? JSON.stringify(c.baseline) : null,
        c.comparedTo ?? null,
        c.dataset ?? null,
        c.qualifier ?? null,
        c.isHeadline ?? false,
        hash,
      ],
    );
    pos += text.length + 10;
  }
  for (const s of p.sightings ?? []) {
    await ds.query(
      `INSERT INTO paper_sources (paper_id, source_id, source_kind, upvotes, comments, announce_type, featured_at, github_stars, submitted_by,
                                 organization, organization_fullname, thumbnail_url, item_published_at, media_urls, author_participating, hf_extras)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
      [
        id,
        s.sourceId,
        s.sourceKind,
        s.upvotes ?? null,
        s.comments ?? null,
        s.announceType ?? null,
        s.featuredAt ?? null,
        s.githubStars ?? null,
        s.submittedBy ?? null,
        s.organization?.name ?? null,
        s.organization?.fullname ?? null,
        s.thumbnailUrl ?? null,
        s.itemPublishedAt ?? null,
        s.mediaUrls ?? null,
        s.authorParticipating ?? null,
        s.hf ? JSON.stringify(s.hf) : null,
      ],
    );
  }
  // The listings' read model, as the parser keeps it when it writes sightings.
  await refreshReadModel(ds, [id]);
  return id;
}

/** `n` bare papers (key `title:<tag>-<i>`) in one statement, moved to `stage`; their refs. */
export async function seedBarePapers(
  ds: DataSource,
  n: number,
  tag: string,
  opts: { stage?: string; abstract?: string } = {},
): Promise<PaperRef[]> {
  const rows: { id: string; content_hash: string }[] = await ds.query(
    `INSERT INTO papers (paper_key, title, abstract, content_hash)
     SELECT 'title:' || $1 || '-' || i, 'Paper ' || $1 || ' ' || i, coalesce($3, 'Abstract ' || i), md5($1 || i::text) FROM generate_series(1, $2) i
     RETURNING id, content_hash`,
    [tag, n, opts.abstract ?? null],
  );
  if (opts.stage && opts.stage !== 'parsed') {
    // notified_at is set exactly while a paper is at 'notified' (see SeedPaper.stageAgo)
    await ds.query(
      `UPDATE paper_stages SET stage = $2, notified_at = CASE WHEN $2 = 'notified' THEN now() END WHERE paper_id = ANY($1::uuid[])`,
      [rows.map((r) => r.id), opts.stage],
    );
  }
  return rows.map((r) => ({ paperId: r.id, contentHash: r.content_hash }));
}

// numbered papers at scale (the read specs, libs/db's too, which cannot import this library): made in @paperwire/db
export { PAPER_NUMBER_SQL, seedNumberedPapers, type MinutesAgo } from '@paperwire/db';

/**
 * Saves two overlapping batches of `refs` at once, the way a re-delivered job races the original: the
 * first 30 in order under version 'A', all of them reversed under version 'B'. Returns, per paper, the
 * version of the batch that reported moving it (a paper both reported is 'both', one neither did is absent).
 */
export async function raceTwoBatches(
  refs: readonly PaperRef[],
  save: (batch: PaperRef[], version: 'A' | 'B') => Promise<PaperRef[]>,
): Promise<Map<string, 'A' | 'B' | 'both'>> {
  const [a, b] = await Promise.all([save(refs.slice(0, 30), 'A'), save([...refs].reverse(), 'B')]);
  const by = new Map<string, 'A' | 'B' | 'both'>(a.map((r) => [r.paperId, 'A']));
  for (const r of b) by.set(r.paperId, by.has(r.paperId) ? 'both' : 'B');
  return by;
}
