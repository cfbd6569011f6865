import type { EntityManager } from 'typeorm';
import { codeRepositories, type CanonicalPaper, type PaperRef } from '@paperwire/contracts';
import { bulkQuery, namedQuery, type BulkSpec } from './bulk';
import type { Db } from './sql';
import { searchKeyOf } from '../entities/paper.entity';

/** A paper as a document gave it: its catalogue key, the hash of its content, the canonical record. */
export interface IncomingPaper {
  key: string;
  hash: string;
  paper: CanonicalPaper;
}

/** id, key, hash and stage of a paper (what the parser needs back after the upsert). */
export interface PaperKeyRow {
  id: string;
  paper_key: string;
  content_hash: string;
  stage: string;
}

export const isoOrNull = (s?: string): string | null =>
  s && !Number.isNaN(Date.parse(s)) ? new Date(s).toISOString() : null;
const iso = isoOrNull;

/** A key a paper may have been stored under before a stronger id was known (see `adoptStrongerKeys`). */
export interface KeyAdoption {
  paper_key: string;
  arxiv_id: string | null;
  doi: string | null;
  /** weaker keys in order of preference */
  weaker: string[];
}

/**
 * A paper first seen without its arXiv id (a text capture gives only a title; a journal feed a DOI)
 * and now seen with a stronger id takes that id: its row is re-keyed, so the upsert that follows
 * updates it instead of inserting a twin. Only while no row has the stronger key; for each incoming
 * key a DOI match wins over a title match. Returns the number of papers re-keyed.
 */
export async function adoptStrongerKeys(db: Db, candidates: readonly KeyAdoption[]): Promise<number> {
  if (candidates.length === 0) return 0;
  const rows = await namedQuery(
    db,
    'pw_adopt_stronger_keys',
    `WITH x AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(paper_key text, arxiv_id text, doi text, weaker text[])
       ), pick AS (
         SELECT DISTINCT ON (x.paper_key) p.id, x.paper_key, x.arxiv_id, x.doi
           FROM x JOIN papers p ON p.paper_key = ANY(x.weaker)
          WHERE NOT EXISTS (SELECT 1 FROM papers q WHERE q.paper_key = x.paper_key)
          ORDER BY x.paper_key, (p.paper_key LIKE 'doi:%') DESC, p.created_at, p.id
       )
       UPDATE papers p SET paper_key = pick.paper_key, arxiv_id = coalesce(p.arxiv_id, pick.arxiv_id),
              doi = coalesce(p.doi, pick.doi), updated_at = now()
         FROM pick WHERE p.id = pick.id
       RETURNING p.id`,
    [JSON.stringify(candidates)],
  );
  return rows.length;
}

/** The row source of `upsertPapers` (one row per incoming paper). */
const UPSERT_PAPERS: BulkSpec = {
  name: 'upsert_papers',
  columns: [
    ['paper_key', 'text'],
    ['arxiv_id', 'text'],
    ['doi', 'text'],
    ['title', 'text'],
    ['abstract', 'text'],
    ['original_title', 'text'],
    ['original_abstract', 'text'],
    ['authors', 'jsonb'],
    ['categories', 'text[]'],
    ['links', 'jsonb'],
    ['comment', 'text'],
    ['has_code', 'boolean'],
    ['version', 'int'],
    ['published_at', 'timestamptz'],
    ['source_updated_at', 'timestamptz'],
    ['content_hash', 'text'],
  ],
  sql: (
    x,
  ) => `INSERT INTO papers (paper_key, arxiv_id, doi, title, abstract, original_title, original_abstract, authors, categories,
                          links, comment, has_code, version, published_at, source_updated_at, content_hash)
       SELECT x.paper_key, x.arxiv_id, x.doi, x.title, x.abstract, x.original_title, x.original_abstract, x.authors,
              coalesce(x.categories, '{}'), x.links, x.comment, x.has_code, x.version, x.published_at, x.source_updated_at,
              x.content_hash
         FROM ${x}
       ON CONFLICT (paper_key) DO UPDATE SET
              title = EXCLUDED.title, abstract = EXCLUDED.abstract, original_title = EXCLUDED.original_title,
              original_abstract = EXCLUDED.original_abstract, authors = EXCLUDED.authors,
              categories = CASE WHEN cardinality(EXCLUDED.categories) > 0 THEN EXCLUDED.categories ELSE papers.categories END,
              arxiv_id = coalesce(papers.arxiv_id, EXCLUDED.arxiv_id), doi = coalesce(EXCLUDED.doi, papers.doi),
              comment = coalesce(EXCLUDED.comment, papers.comment),
              version = coalesce(EXCLUDED.version, papers.version),
              source_updated_at = coalesce(EXCLUDED.source_updated_at, papers.source_updated_at),
              -- a changed hash sends the paper back to 'parsed' (trigger paper_stage_update)
              content_hash = EXCLUDED.content_hash,
              updated_at = now()
        WHERE coalesce(EXCLUDED.version, 0) >= coalesce(papers.version, 0)
          AND (papers.content_hash <> EXCLUDED.content_hash
               OR papers.authors IS DISTINCT FROM EXCLUDED.authors
               OR papers.version IS DISTINCT FROM coalesce(EXCLUDED.version, papers.version)
               OR papers.comment IS DISTINCT FROM coalesce(EXCLUDED.comment, papers.comment)
               OR papers.doi IS DISTINCT FROM coalesce(EXCLUDED.doi, papers.doi)
               OR (cardinality(EXCLUDED.categories) > 0 AND papers.categories IS DISTINCT FROM EXCLUDED.categories))
       -- xmax is 0 on a row version this statement inserted (and not on one it updated).
       RETURNING id, paper_key, content_hash, ${searchKeyOf('papers')} AS search_key, (xmax = 0) AS inserted`,
};

/** Links and code repositories accumulate across sources without touching the content. */
const MERGE_PAPER_LINKS: BulkSpec = {
  name: 'merge_paper_links',
  columns: [
    ['paper_key', 'text'],
    ['links', 'jsonb'],
    ['has_code', 'boolean'],
    ['published_at', 'timestamptz'],
  ],
  // abs and pdf are left out rather than written as JSON null when neither side has one (links.pdf is a string or absent).
  sql: (x) => `UPDATE papers p SET
              links = jsonb_strip_nulls(jsonb_build_object(
                'abs', coalesce(nullif(p.links->'abs', 'null'), x.links->'abs'), 'pdf', coalesce(nullif(p.links->'pdf', 'null'), x.links->'pdf')))
              || jsonb_build_object(
                'code', (SELECT coalesce(jsonb_agg(DISTINCT e), '[]') FROM jsonb_array_elements(coalesce(p.links->'code','[]') || coalesce(x.links->'code','[]')) e),
                'project', (SELECT coalesce(jsonb_agg(DISTINCT e), '[]') FROM jsonb_array_elements(coalesce(p.links->'project','[]') || coalesce(x.links->'project','[]')) e)),
              has_code = p.has_code OR x.has_code,
              published_at = coalesce(p.published_at, x.published_at),
              -- a reader sees a new link, code flag or date (feed entries are dated by updated_at): exactly when
              -- the values above differ from the row's
              updated_at = CASE WHEN NOT (coalesce(p.links->'code', '[]') @> coalesce(x.links->'code', '[]'))
                                  OR NOT (coalesce(p.links->'project', '[]') @> coalesce(x.links->'project', '[]'))
                                  OR (nullif(p.links->'abs', 'null') IS NULL AND nullif(x.links->'abs', 'null') IS NOT NULL)
                                  OR (nullif(p.links->'pdf', 'null') IS NULL AND nullif(x.links->'pdf', 'null') IS NOT NULL)
                                  OR (x.has_code AND NOT p.has_code)
                                  OR (p.published_at IS NULL AND x.published_at IS NOT NULL)
                                THEN now() ELSE p.updated_at END
         FROM ${x}
        WHERE p.paper_key = x.paper_key
          AND (NOT (p.links @> x.links) OR (x.has_code AND NOT p.has_code) OR (p.published_at IS NULL AND x.published_at IS NOT NULL))`,
};

/** The row source of `recordPaperVersions`; $1 is the raw document. */
const RECORD_VERSIONS: BulkSpec = {
  name: 'record_versions',
  columns: [
    ['paper_id', 'uuid'],
    ['version', 'int'],
    ['content_hash', 'text'],
    ['title', 'text'],
    ['abstract', 'text'],
  ],
  // A row without its texts takes them from its papers row, which this transaction's upsert wrote with them
  // (one primary-key look-up instead of the texts travelling twice).
  sql: (x) => `INSERT INTO paper_versions (paper_id, version, content_hash, title, abstract, raw_document_id)
       SELECT x.paper_id, x.version, x.content_hash, coalesce(x.title, p.title), coalesce(x.abstract, p.abstract), $1
         FROM ${x}
         LEFT JOIN LATERAL (SELECT title, abstract FROM papers WHERE id = x.paper_id AND x.title IS NULL OFFSET 0) p ON true
       ON CONFLICT (paper_id, content_hash) DO NOTHING`,
};

/** What `upsertPapers` did, by paper key. */
export interface UpsertedPapers {
  /** the refs that need the later stages (a new paper, a changed content hash) */
  changed: PaperRef[];
  /** the papers whose author list alone changed (searchKeyOf, same content hash): their full-text vector to recompute */
  authorsChanged: PaperRef[];
  /** keys of the papers this statement inserted */
  inserted: Set<string>;
  /** keys of the papers this statement inserted or updated: their rows hold this call's title and abstract */
  written: Set<string>;
}

/**
 * Inserts new papers and updates known ones (never going back to an older arXiv version). Metadata
 * (authors, categories, comment, version, DOI) is refreshed in place; only a changed title/abstract
 * (content hash) sends the paper back to 'parsed'. Returns the refs that need the later stages, and
 * the keys of the papers this statement inserted. Run it in a transaction (it locks the rows first).
 *
 * No trending score is written here: trending is the read model's `trend_key` (read-model.ts), refreshed
 * with the sightings (papers has no score column: the legacy `trending_score` was dropped by migration 1795800000000).
 */
export async function upsertPapers(
  em: EntityManager,
  items: readonly IncomingPaper[],
): Promise<UpsertedPapers> {
  const sorted = [...items].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const rows = sorted.map(({ key, hash, paper: p }) => ({
    paper_key: key,
    arxiv_id: p.externalIds.arxiv ?? null,
    doi: p.externalIds.doi ?? null,
    title: p.title,
    abstract: p.abstract,
    original_title: p.originalTitle ?? null,
    original_abstract: p.originalAbstract ?? null,
    authors: p.authors,
    categories: p.categories,
    links: p.links,
    comment: p.comment ?? null,
    has_code: codeRepositories(p.links).length > 0, // a code repository a reader can follow (what every view calls code)
    version: p.version ?? null,
    published_at: iso(p.publishedAt),
    source_updated_at: iso(p.updatedAt),
    content_hash: hash,
  }));
  // The hashes before the write, with the papers' stage rows locked (in paper-id order, before any
  // papers row: the lock order of every stage writer, see advanceStage) so two parsers seeing the
  // same paper cannot both decide it changed, and a stage batch holding the paper finishes first.
  const before = await namedQuery<{ paper_key: string; content_hash: string; search_key: string }>(
    em,
    'pw_lock_stages_by_key_v2',
    `SELECT p.paper_key, s.content_hash, ${searchKeyOf('p')} AS search_key FROM paper_stages s JOIN papers p ON p.id = s.paper_id
      WHERE p.paper_key = ANY($1::text[]) ORDER BY s.paper_id FOR UPDATE OF s`,
    [rows.map((r) => r.paper_key)],
  );
  const oldHash = new Map(before.map((r) => [r.paper_key, r.content_hash]));
  const oldKey = new Map(before.map((r) => [r.paper_key, r.search_key]));
  const written = await bulkQuery<{ id: string; paper_key: string; content_hash: string; search_key: string; inserted: boolean }>(
    em,
    UPSERT_PAPERS,
    rows,
  );
  const changed = written.filter((r) => oldHash.get(r.paper_key) !== r.content_hash);
  // The authors are in the full-text document, not in the content hash: a changed list alone re-indexes the paper.
  const authorsChanged = written.filter((r) => oldHash.get(r.paper_key) === r.content_hash && oldKey.get(r.paper_key) !== r.search_key);
  const inserted = new Set(written.filter((r) => r.inserted).map((r) => r.paper_key));
  // Links and code repositories accumulate across sources without touching the content. A row this
  // statement inserted already has these links, code flag and date (the merge would not change it).
  const known = inserted.size === 0 ? rows : rows.filter((r) => !inserted.has(r.paper_key));
  if (known.length > 0) await bulkQuery(em, MERGE_PAPER_LINKS, known);
  return {
    changed: changed.map((r) => ({ paperId: r.id, contentHash: r.content_hash })),
    authorsChanged: authorsChanged.map((r) => ({ paperId: r.id, contentHash: r.content_hash })),
    inserted,
    written: new Set(written.map((r) => r.paper_key)),
  };
}

/** id, hash and stage of every paper of the document, after the upsert. */
export function papersByKey(db: Db, keys: readonly string[]): Promise<PaperKeyRow[]> {
  return namedQuery<PaperKeyRow>(
    db,
    'pw_papers_by_key',
    `SELECT p.id, p.paper_key, s.content_hash, s.stage FROM papers p JOIN paper_stages s ON s.paper_id = p.id WHERE p.paper_key = ANY($1::text[])`,
    [keys],
  );
}

/**
 * One row per (paper, content hash): the versions a paper went through, and the document that carried each.
 * Run it in the transaction of the `upsertPapers` whose `written` keys mark items `stored`.
 */
export async function recordPaperVersions(
  db: Db,
  rawDocumentId: string,
  items: readonly { paperId: string; paper: CanonicalPaper; hash: string; stored?: boolean }[],
): Promise<void> {
  await bulkQuery(
    db,
    RECORD_VERSIONS,
    // `stored`: the papers row holds exactly this title and abstract (written in this transaction), so
    // the statement reads them there instead of receiving them a second time.
    items.map((i) => ({
      paper_id: i.paperId,
      version: i.paper.version ?? null,
      content_hash: i.hash,
      title: i.stored ? null : i.paper.title,
      abstract: i.stored ? null : i.paper.abstract,
    })),
    [rawDocumentId],
  );
}
