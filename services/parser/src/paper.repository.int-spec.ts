import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CanonicalPaper } from '@paperwire/contracts';
import { MIGRATIONS, trendKey } from '@paperwire/db';
import { contentHash, paperKey, parseDocument } from '@paperwire/feeds';
import { useTestDb } from '@paperwire/testing/jest';
import { PaperRepository, type IncomingPaper } from './paper.repository';

const HOUR = 3_600_000;

function paper(arxiv: string, sighting: CanonicalPaper['sighting']): IncomingPaper {
  const p: CanonicalPaper = {
    title: `Paper ${arxiv}`,
    abstract: `We study sparse adapters for paper ${arxiv}.`,
    authors: [{ name: 'A. Author' }],
    externalIds: { arxiv },
    version: 1,
    categories: ['cs.LG'],
    links: { code: [], project: [] },
    sighting,
  };
  return { key: paperKey(p), hash: contentHash(p.title, p.abstract), paper: p };
}

describe('PaperRepository (Postgres)', () => {
  const db = useTestDb('parser_repo');
  let repo: PaperRepository;
  let sourceId: string;
  let docId: string;

  beforeAll(async () => {
    repo = new PaperRepository(db().ds);
    sourceId = (
      await db().ds.query(`INSERT INTO sources (name, kind) VALUES ('hf', 'hf-daily') RETURNING id`)
    )[0].id;
    docId = (
      await db().ds.query(
        `INSERT INTO raw_documents (source_id, content_hash, body, byte_size) VALUES ($1, 'h', '\\x00', 1) RETURNING id`,
        [sourceId],
      )
    )[0].id;
  });

  /** What the parser does for one document: upsert, then sightings (which refresh the read model's trend keys). */
  async function ingest(items: IncomingPaper[]) {
    return repo.transaction(async (em) => {
      const res = await repo.upsertPapers(em, items);
      const ids = new Map(
        (
          await repo.papersByKey(
            em,
            items.map((i) => i.key),
          )
        ).map((r) => [r.paper_key, r.id]),
      );
      const withIds = items.map((i) => ({ ...i, paperId: ids.get(i.key)! }));
      await repo.recordSightings(em, docId, sourceId, 'hf-daily', withIds);
      return res;
    });
  }

  /** Each paper's read-model trend key (null: no signal), by key. */
  const trend = async (): Promise<Map<string, { key: number | null }>> =>
    new Map(
      (
        await db().ds.query(`SELECT p.paper_key, r.trend_key FROM papers p LEFT JOIN paper_read r ON r.paper_id = p.id`)
      ).map((r: { paper_key: string; trend_key: number | null }) => [r.paper_key, { key: r.trend_key }]),
    );
  /** The papers columns that could hold a trending score: none, trending lives in the read model only. */
  const trendColumnsOfPapers = async (): Promise<string[]> =>
    (
      await db().ds.query(
        `SELECT column_name FROM information_schema.columns
          WHERE table_schema = current_schema() AND table_name = 'papers' AND column_name ~ '(trend|score)'`,
      )
    ).map((r: { column_name: string }) => r.column_name);

  it('has code only with a code repository: a Hugging Face model listed as code is none (writer and migration 1796280000000)', async () => {
    const withLinks = (arxiv: string, code: string[]): IncomingPaper => {
      const i = paper(arxiv, {});
      // (an abstract of its own: later specs count the papers about sparse adapters)
      const p = { ...i.paper, abstract: `Code links of paper ${arxiv}.`, links: { code, project: [] } };
      return { ...i, hash: contentHash(p.title, p.abstract), paper: p };
    };
    const model = withLinks('2612.70001', ['https://huggingface.co/SomeOrg/Some-Model-7B']);
    const repo2 = withLinks('2612.70002', ['https://huggingface.co/SomeOrg/Some-Model-7B', 'https://github.com/some-org/some-repo']);
    await ingest([model, repo2]);
    const hasCode = async () =>
      Object.fromEntries(
        (await db().ds.query(`SELECT arxiv_id, has_code FROM papers WHERE arxiv_id = ANY($1::text[]) ORDER BY 1`, [['2612.70001', '2612.70002']])).map(
          (r: { arxiv_id: string; has_code: boolean }) => [r.arxiv_id, r.has_code],
        ),
      );
    expect(await hasCode()).toEqual({ '2612.70001': false, '2612.70002': true });
    // rows the old writer stored (has_code from any code link) are corrected by the migration, the others kept
    await db().ds.query(`UPDATE papers SET has_code = true WHERE arxiv_id = '2612.70001'`);
    const migration = MIGRATIONS.map((M) => new M()).find((m) => m.name === 'HasCodeRepositories1796280000000')!;
    const runner = db().ds.createQueryRunner();
    try {
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    expect(await hasCode()).toEqual({ '2612.70001': false, '2612.70002': true });
  });

  it("gives a new paper its sighting's trend key with the row's first write, and nothing in papers", async () => {
    const now = new Date();
    const featuredAt = new Date(now.getTime() - 5 * HOUR).toISOString();
    const items = [
      paper('2601.00001', { upvotes: 40, comments: 3, githubStars: 120, featuredAt }),
      paper('2601.00002', { upvotes: 2, featuredAt }),
      paper('2601.00003', {}),
    ];
    const res = await ingest(items);
    expect([...res.inserted].sort()).toEqual(items.map((i) => i.key).sort());
    expect(res.changed).toHaveLength(3);

    const got = await trend();
    // signal = upvotes + 2·comments + stars (one source), first appearance = featuredAt (read-model.ts)
    expect(got.get(items[0].key)!.key).toBeCloseTo(trendKey(40 + 2 * 3 + 120, new Date(featuredAt))!, 9);
    expect(got.get(items[1].key)!.key).toBeCloseTo(trendKey(2, new Date(featuredAt))!, 9);
    expect(got.get(items[2].key)!.key).toBeNull(); // no signal: not trending
    // The paper row holds no score of its own (the legacy trending_score column is dropped).
    expect(await trendColumnsOfPapers()).toEqual([]);
  });

  it('re-keys a known paper whose signals changed, and inserts nothing the second time', async () => {
    const again = paper('2601.00002', {
      upvotes: 90,
      featuredAt: new Date(Date.now() - 5 * HOUR).toISOString(),
    });
    const before = (await trend()).get(again.key)!.key!;
    const res = await ingest([again]);
    expect(res.inserted.size).toBe(0);
    expect(res.changed).toEqual([]); // same text: the later stages do not run again
    // max upvotes over the sightings went from 2 to 90 (same first appearance): the key grows by ln(45)
    expect((await trend()).get(again.key)!.key! - before).toBeCloseTo(Math.log(45), 9);
  });

  describe('a paper first seen without its arXiv id', () => {
    const seen = (title: string, externalIds: CanonicalPaper['externalIds']): IncomingPaper => {
      const p: CanonicalPaper = {
        title,
        abstract: `An abstract about ${title}.`,
        authors: [{ name: 'A. Author' }],
        externalIds,
        categories: [],
        links: { code: [], project: [] },
        sighting: {},
      };
      return { key: paperKey(p), hash: contentHash(p.title, p.abstract), paper: p };
    };
    const rows = (like: string) =>
      db().ds.query(`SELECT paper_key, arxiv_id, doi FROM papers WHERE title ILIKE $1 ORDER BY paper_key`, [
        like,
      ]);

    it('is re-keyed when it arrives with one (title, then arXiv id and DOI), not stored twice', async () => {
      await ingest([seen('MoVA: Adapting Mixture of Vision Experts', {})]);
      expect(await rows('MoVA%')).toEqual([
        { paper_key: 'title:mova-adapting-mixture-of-vision-experts', arxiv_id: null, doi: null },
      ]);
      await ingest([
        seen('MoVA: adapting mixture of vision experts', { arxiv: '2404.13046', doi: '10.1/MoVA' }),
      ]);
      expect(await rows('MoVA%')).toEqual([
        { paper_key: 'arxiv:2404.13046', arxiv_id: '2404.13046', doi: '10.1/MoVA' },
      ]);
    });

    it('prefers the DOI match, and leaves a title twin alone once the arXiv paper exists', async () => {
      await ingest([seen('Sparse Mixers', {}), seen('Sparse Mixers', { doi: '10.2/sm' })]);
      expect(await rows('Sparse Mixers')).toHaveLength(2);
      await ingest([seen('Sparse Mixers', { arxiv: '2501.00077', doi: '10.2/SM' })]);
      expect(await rows('Sparse Mixers')).toEqual([
        { paper_key: 'arxiv:2501.00077', arxiv_id: '2501.00077', doi: '10.2/SM' },
        { paper_key: 'title:sparse-mixers', arxiv_id: null, doi: null },
      ]);
      // Seen again: nothing left to adopt (the arXiv key exists), and no new row.
      await ingest([seen('Sparse Mixers', { arxiv: '2501.00077' })]);
      expect(await rows('Sparse Mixers')).toHaveLength(2);
    });
  });

  it('records each version with its own texts, whether the upsert wrote the paper or not, and merges links into known papers', async () => {
    const versions = (key: string) =>
      db().ds.query(
        `SELECT v.version, v.title, v.abstract FROM paper_versions v JOIN papers p ON p.id = v.paper_id
          WHERE p.paper_key = $1 ORDER BY v.version`,
        [key],
      );
    const write = (items: IncomingPaper[]) =>
      repo.transaction(async (em) => {
        const { written } = await repo.upsertPapers(em, items);
        const ids = new Map(
          (
            await repo.papersByKey(
              em,
              items.map((i) => i.key),
            )
          ).map((r) => [r.paper_key, r.id]),
        );
        await repo.recordVersions(
          em,
          docId,
          items.map((i) => ({ ...i, paperId: ids.get(i.key)!, stored: written.has(i.key) })),
        );
      });
    const v = (version: number, abstract: string, code: string[]): IncomingPaper => {
      const p = {
        ...paper('2601.00042', {}).paper,
        version,
        abstract,
        links: { abs: 'https://a/1', code, project: [] },
      };
      return { key: paperKey(p), hash: contentHash(p.title, p.abstract), paper: p };
    };
    await write([v(2, 'Second  abstract.', [])]); // new: the texts come from the row just inserted
    await write([v(1, 'First abstract.', ['https://github.com/a/b'])]); // older: the row is not updated
    await write([v(3, 'Third abstract.', [])]); // updated: the texts come from the row just updated
    expect(await versions(v(1, '', []).key)).toEqual([
      { version: 1, title: 'Paper 2601.00042', abstract: 'First abstract.' },
      { version: 2, title: 'Paper 2601.00042', abstract: 'Second  abstract.' },
      { version: 3, title: 'Paper 2601.00042', abstract: 'Third abstract.' },
    ]);
    const [row] = await db().ds.query(`SELECT abstract, links, has_code FROM papers WHERE paper_key = $1`, [
      v(1, '', []).key,
    ]);
    expect(row).toEqual({
      abstract: 'Third abstract.',
      links: { abs: 'https://a/1', code: ['https://github.com/a/b'], project: [] },
      has_code: true,
    });
    // A new paper keeps the links it was inserted with (the merge skips it).
    const p = {
      ...paper('2601.00043', {}).paper,
      abstract: 'Dense mixers.',
      links: { abs: 'https://a/2', code: ['https://github.com/c/d'], project: [] },
    };
    await write([{ key: paperKey(p), hash: contentHash(p.title, p.abstract), paper: p }]);
    const [fresh] = await db().ds.query(`SELECT links, has_code FROM papers WHERE paper_key = $1`, [
      paperKey(p),
    ]);
    expect(fresh).toEqual({
      links: { abs: 'https://a/2', code: ['https://github.com/c/d'], project: [] },
      has_code: true,
    });
    // has_code counts only a code link a reader can follow: a javascript: "link" is stored, never served, no code.
    const q = {
      ...paper('2601.00044', {}).paper,
      abstract: 'Dense routers.',
      links: { code: ['javascript:alert(1)'], project: [] },
    };
    await write([{ key: paperKey(q), hash: contentHash(q.title, q.abstract), paper: q }]);
    const [noCode] = await db().ds.query(`SELECT has_code FROM papers WHERE paper_key = $1`, [paperKey(q)]);
    expect(noCode).toEqual({ has_code: false });
  });

  it('migration LinksWithoutNulls drops the null abs/pdf keys older link merges wrote, and nothing else', async () => {
    const p = { ...paper('2601.00077', {}).paper, abstract: 'Null links.' };
    await repo.transaction((em) =>
      repo.upsertPapers(em, [{ key: paperKey(p), hash: contentHash(p.title, p.abstract), paper: p }]),
    );
    const key = paperKey(p);
    await db().ds.query(
      `UPDATE papers SET links = '{"abs": null, "pdf": null, "code": ["https://github.com/e/f"], "project": []}',
              updated_at = '2026-01-02T03:04:05Z' WHERE paper_key = $1`,
      [key],
    );
    const keep = await db().ds.query(
      `SELECT paper_key, links, updated_at FROM papers WHERE paper_key <> $1 ORDER BY 1`,
      [key],
    );
    const migration = MIGRATIONS.map((M) => new M()).find(
      (m) => m.name === 'LinksWithoutNulls1795660000000',
    )!;
    const runner = db().ds.createQueryRunner();
    try {
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    const [row] = await db().ds.query(`SELECT links, updated_at FROM papers WHERE paper_key = $1`, [key]);
    expect(row.links).toEqual({ code: ['https://github.com/e/f'], project: [] });
    expect(row.updated_at.toISOString()).toBe('2026-01-02T03:04:05.000Z');
    expect(
      await db().ds.query(
        `SELECT paper_key, links, updated_at FROM papers WHERE paper_key <> $1 ORDER BY 1`,
        [key],
      ),
    ).toEqual(keep);
  });

  describe("Hugging Face's own item timestamp (the item's publishedAt)", () => {
    const FIXTURE = join(__dirname, '../../../libs/feeds/fixtures/ok/hf-daily-papers/all-news-ai_daily_papers_5items_2026-07-31.json');
    const hf = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { publishedAt: string; paper: { id: string; submittedOnDailyAt: string } }[];
    const stored = async (): Promise<Map<string, { item: string | null; featured: string | null }>> =>
      new Map(
        (
          await db().ds.query(
            `SELECT p.arxiv_id, s.item_published_at, s.featured_at FROM paper_sources s JOIN papers p ON p.id = s.paper_id
              WHERE p.arxiv_id = ANY($1::text[])`,
            [hf.map((i) => i.paper.id)],
          )
        ).map((r: { arxiv_id: string; item_published_at: Date | null; featured_at: Date | null }) => [
          r.arxiv_id,
          { item: r.item_published_at?.toISOString() ?? null, featured: r.featured_at?.toISOString() ?? null },
        ]),
      );

    it('is kept per sighting from the HF parser, beside the day it was featured, and a sighting without one keeps it', async () => {
      const parsed = parseDocument({ body: readFileSync(FIXTURE), format: 'hf-daily-papers' });
      expect(parsed.papers).toHaveLength(hf.length);
      await ingest(parsed.papers.map((p) => ({ key: paperKey(p), hash: contentHash(p.title, p.abstract), paper: p })));
      const got = await stored();
      for (const item of hf) {
        const id = item.paper.id;
        expect({ id, ...got.get(id) }).toEqual({ id, item: new Date(item.publishedAt).toISOString(), featured: item.paper.submittedOnDailyAt });
      }
      // HF's item timestamp is neither the featured day nor the paper's date (the fixture's: the evening before)
      expect(hf.every((i) => i.publishedAt !== i.paper.submittedOnDailyAt)).toBe(true);
      // the same source seeing the paper again without the timestamp keeps the one it had
      const again = parsed.papers[0];
      await ingest([{ key: paperKey(again), hash: contentHash(again.title, again.abstract), paper: { ...again, sighting: { ...again.sighting, itemPublishedAt: undefined } } }]);
      expect((await stored()).get(hf[0].paper.id)?.item).toBe(new Date(hf[0].publishedAt).toISOString());
    });

    it('keeps HF’s own paper fields per sighting (discussion, repository adder, summary as given); a sighting without them keeps them', async () => {
      const raw = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { paper: { id: string; discussionId: string; githubRepoAddedBy?: string; summary: string } }[];
      const parsed = parseDocument({ body: readFileSync(FIXTURE), format: 'hf-daily-papers' });
      await ingest(parsed.papers.map((p) => ({ key: paperKey(p), hash: contentHash(p.title, p.abstract), paper: p })));
      type Row = { arxiv_id: string; abstract: string; hf_extras: Record<string, unknown> | null };
      const extras = async () =>
        new Map<string, Row>(
          (
            await db().ds.query(
              `SELECT p.arxiv_id, p.abstract, s.hf_extras FROM paper_sources s JOIN papers p ON p.id = s.paper_id WHERE p.arxiv_id = ANY($1::text[])`,
              [raw.map((i) => i.paper.id)],
            )
          ).map((r: Row) => [r.arxiv_id, r]),
        );
      const got = await extras();
      for (const { paper } of raw) {
        const row = got.get(paper.id)!;
        expect([paper.id, row.hf_extras?.discussionId, row.hf_extras?.githubRepoAddedBy]).toEqual([paper.id, paper.discussionId, paper.githubRepoAddedBy]);
        // the summary is stored only where PaperWire's abstract differs from HF's text, and then exactly as HF gave it
        expect(row.hf_extras?.summary ?? row.abstract).toBe(paper.summary);
      }
      const again = parsed.papers[0];
      await ingest([{ key: paperKey(again), hash: contentHash(again.title, again.abstract), paper: { ...again, sighting: { ...again.sighting, hf: undefined } } }]);
      expect((await extras()).get(raw[0].paper.id)?.hf_extras?.discussionId).toBe(raw[0].paper.discussionId);
    });

    it('migration PaperSourcesItemPublishedAt: down drops the column and nothing else, up adds it back empty', async () => {
      const columns = async () =>
        (
          await db().ds.query(
            `SELECT column_name, data_type, is_nullable FROM information_schema.columns
              WHERE table_schema = current_schema() AND table_name = 'paper_sources' ORDER BY column_name`,
          )
        ) as { column_name: string; data_type: string; is_nullable: string }[];
      const before = await columns();
      expect(before.find((c) => c.column_name === 'item_published_at')).toEqual({
        column_name: 'item_published_at',
        data_type: 'timestamp with time zone',
        is_nullable: 'YES',
      });
      const sightings = async () => (await db().ds.query(`SELECT count(*)::int AS n FROM paper_sources`))[0].n as number;
      const n = await sightings();
      expect(n).toBeGreaterThan(0);
      const migration = MIGRATIONS.map((M) => new M()).find((m) => m.name === 'PaperSourcesItemPublishedAt1796095000000')!;
      const runner = db().ds.createQueryRunner();
      try {
        await migration.down(runner);
        expect(await columns()).toEqual(before.filter((c) => c.column_name !== 'item_published_at'));
        expect(await sightings()).toBe(n);
        await migration.up(runner);
      } finally {
        await runner.release();
      }
      expect(await columns()).toEqual(before);
      expect(await sightings()).toBe(n);
      expect((await db().ds.query(`SELECT count(*)::int AS n FROM paper_sources WHERE item_published_at IS NOT NULL`))[0].n).toBe(0);
    });
  });

  it('gives every paper its full-text document once its index-search job ran, and a replay writes nothing', async () => {
    const ids: string[] = (await db().ds.query(`SELECT id FROM papers`)).map((r: { id: string }) => r.id);
    expect(await repo.refreshSearch(ids)).toBe(ids.length);
    expect(await repo.refreshSearch(ids)).toBe(0);
    const rows = await db().ds.query(
      `SELECT p.paper_key FROM papers p JOIN paper_search s ON s.paper_id = p.id
        WHERE s.search @@ websearch_to_tsquery('english', 'sparse adapter') ORDER BY 1`,
    );
    expect(rows).toHaveLength(3);
  });
});
