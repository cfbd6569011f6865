import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import {
  REPO_ROOT,
  TEST_REDIS_URL,
  createTestDb,
  runCliAsync,
  startServiceProcess,
  uniqueName,
  waitFor,
  type ServiceProcess,
  type TestDb,
} from '@paperwire/testing';

// One paper, many sightings, through file sources, the fetcher, the parser and the classifier:
// - a paper ingested as v1, then as v2 with a new title/abstract (updated, two versions, classified
//   again), then v2 again with only metadata changed (updated in place, not classified again);
// - the same arXiv paper in a Hugging Face Daily Papers JSON file and an arXiv RSS file: one paper,
//   two sightings keeping the upvotes and the announce type.

jest.setTimeout(150_000);

const FIX = join(REPO_ROOT, 'libs', 'feeds', 'fixtures', 'ok');
const ARXIV_ID = '2401.04242';

function arxivRaw(
  versions: number,
  title: string,
  abstract: string,
  authors: string,
  comments: string,
): string {
  const versionTags = Array.from(
    { length: versions },
    (_, i) =>
      `<version version="v${i + 1}"><date>Mon, ${15 + i} Jan 2024 10:00:00 GMT</date><size>120kb</size></version>`,
  ).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">
<responseDate>2024-01-20T20:49:59Z</responseDate>
<request verb="ListRecords" metadataPrefix="arXivRaw">http://export.arxiv.org/oai2</request>
<ListRecords>
<record>
<header><identifier>oai:arXiv.org:${ARXIV_ID}</identifier><datestamp>2024-01-16</datestamp><setSpec>cs</setSpec></header>
<metadata>
 <arXivRaw xmlns="http://arxiv.org/OAI/arXivRaw/">
 <id>${ARXIV_ID}</id><submitter>A. Author</submitter>${versionTags}<title>${title}</title><authors>${authors}</authors><categories>cs.CL cs.LG</categories><comments>${comments}</comments><abstract>${abstract}</abstract></arXivRaw>
</metadata>
</record>
<resumptionToken cursor="0" completeListSize="1"/>
</ListRecords>
</OAI-PMH>
`;
}

const V1 = {
  title: 'Sparse attention for long documents',
  abstract: 'We propose a sparse attention scheme for long documents and evaluate it on summarisation.',
};
const V2 = {
  title: 'Sparse attention for long documents, revisited',
  abstract:
    'We propose a sparse attention scheme for long documents and evaluate it on summarisation and retrieval, improving ROUGE-L by 2.1 points.',
};

describe('versions and sightings', () => {
  let db: TestDb;
  let env: NodeJS.ProcessEnv;
  let dir: string;
  let classify: Queue;
  let fetch: Queue;
  const procs: ServiceProcess[] = [];

  const one = async <T>(sql: string, params: unknown[] = []): Promise<T> =>
    (await db.ds.query(sql, params))[0] as T;
  const parsedDocs = async (source: string) =>
    Number(
      (
        await one<{ n: string }>(
          `SELECT count(*) AS n FROM raw_documents d JOIN sources s ON s.id = d.source_id WHERE s.name = $1 AND d.status = 'parsed'`,
          [source],
        )
      ).n,
    );
  /** Polls a file source and waits until its `n`-th document is parsed. */
  const pollAndParse = async (source: string, n: number) => {
    await runCliAsync(['sources', 'poll', source], env);
    await waitFor(
      `${source} document ${n} parsed`,
      async () => (await parsedDocs(source)) === n || undefined,
      30_000,
      100,
    );
  };
  const classifyIdle = async () => {
    const c = await classify.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    return c.waiting + c.active + c.delayed + c.prioritized === 0;
  };
  const paper = () =>
    one<{
      id: string;
      title: string;
      abstract: string;
      version: number;
      comment: string;
      authors: { name: string }[];
      classified_at: Date | null;
      content_hash: string;
    }>(
      `SELECT p.id, p.title, p.abstract, p.version, p.comment, p.authors, s.classified_at, p.content_hash FROM papers p JOIN paper_stages s ON s.paper_id = p.id WHERE p.arxiv_id = $1`,
      [ARXIV_ID],
    );

  beforeAll(async () => {
    db = await createTestDb('e2e_ver', { migrate: false });
    dir = mkdtempSync(join(tmpdir(), 'paperwire-versions-'));
    const prefix = `{${uniqueName('e2e_ver')}}`;
    env = {
      DATABASE_URL: db.url,
      DATABASE_SCHEMA: db.schema,
      QUEUE_PREFIX: prefix,
      CONCURRENCY: '1',
      RECONCILE_AFTER_SECONDS: '600',
      // The reconciler re-syncs source schedules; often, for the schedule test.
      RECONCILE_EVERY_SECONDS: '1',
    };
    await runCliAsync(['db', 'migrate'], env);
    classify = new Queue('classify', { connection: { url: TEST_REDIS_URL }, prefix });
    fetch = new Queue('fetch', { connection: { url: TEST_REDIS_URL }, prefix });
    for (const name of ['fetcher', 'parser', 'classifier'])
      procs.push(await startServiceProcess(name, env, { logName: `e2e-ver-${name}` }));
  });

  afterAll(async () => {
    await Promise.all(procs.map((p) => p.stop(5_000)));
    await classify?.close();
    await fetch?.close();
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('updates a paper on a new version, re-classifies only when title or abstract changed', async () => {
    const file = join(dir, 'oai.xml');
    await runCliAsync(['sources', 'add', 'oai-file', 'file', file, '--param', 'format=arxiv-oai'], env);

    writeFileSync(file, arxivRaw(1, V1.title, V1.abstract, 'A. Author, B. Author', '8 pages'));
    await pollAndParse('oai-file', 1);
    const first = await waitFor(
      'v1 classified',
      async () => ((await paper()).classified_at ? paper() : undefined),
      60_000,
    );
    expect(first).toMatchObject({ title: V1.title, version: 1 });

    writeFileSync(file, arxivRaw(2, V2.title, V2.abstract, 'A. Author, B. Author', '8 pages'));
    await pollAndParse('oai-file', 2);
    const second = await waitFor(
      'v2 classified again',
      async () => {
        const p = await paper();
        return p.classified_at && p.classified_at.getTime() > first.classified_at!.getTime() ? p : undefined;
      },
      60_000,
    );
    expect(second).toMatchObject({ id: first.id, title: V2.title, abstract: V2.abstract, version: 2 });
    expect(second.content_hash).not.toBe(first.content_hash);
    const versions: { version: number; title: string }[] = await db.ds.query(
      `SELECT version, title FROM paper_versions WHERE paper_id = $1 ORDER BY version`,
      [first.id],
    );
    expect(versions).toEqual([
      { version: 1, title: V1.title },
      { version: 2, title: V2.title },
    ]);

    // Same title and abstract, new authors and comment: updated in place, no new classification.
    writeFileSync(
      file,
      arxivRaw(2, V2.title, V2.abstract, 'A. Author, B. Author, C. Author', '9 pages, accepted at ACL'),
    );
    await pollAndParse('oai-file', 3);
    await waitFor('the classify queue idle', async () => (await classifyIdle()) || undefined, 30_000, 100);
    const third = await paper();
    expect(third.comment).toBe('9 pages, accepted at ACL');
    expect(third.authors.map((a) => a.name)).toContain('C. Author');
    expect(third.classified_at!.getTime()).toBe(second.classified_at!.getTime());
    expect(third.content_hash).toBe(second.content_hash);
    expect(
      Number(
        (await one<{ n: string }>(`SELECT count(*) AS n FROM paper_versions WHERE paper_id = $1`, [first.id]))
          .n,
      ),
    ).toBe(2);

    // An older version arriving late does not roll the paper back.
    writeFileSync(file, arxivRaw(1, V1.title, V1.abstract, 'A. Author, B. Author', '8 pages, old copy'));
    await pollAndParse('oai-file', 4);
    expect(await paper()).toMatchObject({ title: V2.title, version: 2, comment: '9 pages, accepted at ACL' });

    const shown = JSON.parse(await runCliAsync(['paper', ARXIV_ID, '--versions'], env)) as {
      versions: number;
      changes: string[];
    };
    expect(shown.versions).toBe(2);
    expect(shown.changes.join('\n')).toMatch(/v1 → v2/);
    expect(shown.changes.join('\n')).toMatch(/revisited/);
  });

  it('merges the same arXiv paper from an HF JSON file and an arXiv RSS file into one paper with two sightings', async () => {
    const rssFile = join(FIX, 'arxiv-rss', 'distill_rss_cs.CL_3items.xml');
    const rssId = '2604.22027';
    // An HF Daily Papers entry for one of the RSS papers, in the shape of the committed HF capture.
    const hfEntries = JSON.parse(
      readFileSync(join(FIX, 'hf-daily-papers', 'sotawhat_daily_papers_limit30_2026-06-12.json'), 'utf8'),
    ) as {
      paper: Record<string, unknown>;
      [k: string]: unknown;
    }[];
    const entry = structuredClone(hfEntries[0]);
    entry.paper.id = rssId;
    entry.paper.title = 'Shared Lexical Task Representations Explain Behavioral Variability In LLMs';
    entry.title = entry.paper.title;
    entry.paper.upvotes = 42;
    entry.numComments = 3;
    const hfFile = join(dir, 'hf.json');
    writeFileSync(hfFile, JSON.stringify([entry]));

    await runCliAsync(['sources', 'add', 'hf-file', 'file', hfFile, '--param', 'format=hf-daily-papers'], env);
    await runCliAsync(['sources', 'add', 'rss-file', 'file', rssFile], env);
    await pollAndParse('hf-file', 1);
    await pollAndParse('rss-file', 1);

    const papers: { id: string }[] = await db.ds.query(`SELECT id FROM papers WHERE arxiv_id = $1`, [rssId]);
    expect(papers).toHaveLength(1);
    const sightings: {
      name: string;
      upvotes: number | null;
      comments: number | null;
      announce_type: string | null;
    }[] = await db.ds.query(
      `SELECT s.name, ps.upvotes, ps.comments, ps.announce_type FROM paper_sources ps JOIN sources s ON s.id = ps.source_id
        WHERE ps.paper_id = $1 ORDER BY s.name`,
      [papers[0].id],
    );
    expect(sightings).toEqual([
      { name: 'hf-file', upvotes: 42, comments: 3, announce_type: null },
      { name: 'rss-file', upvotes: null, comments: null, announce_type: 'new' },
    ]);
    // Hugging Face and arXiv are two public origins: the extra source's 3 in the signal (42 + 2·3 + 3). The same RSS
    // file added again as another source is a second arXiv source row, not a third origin (review 26)
    const signal = async () => one<{ sources: number; signal: number }>(`SELECT sources, signal FROM paper_read WHERE paper_id = $1`, [papers[0].id]);
    expect(await signal()).toEqual({ sources: 2, signal: 42 + 2 * 3 + 3 });
    await runCliAsync(['sources', 'add', 'rss-file-again', 'file', rssFile], env);
    await pollAndParse('rss-file-again', 1);
    expect(Number((await one<{ n: string }>(`SELECT count(*) AS n FROM paper_sources WHERE paper_id = $1`, [papers[0].id])).n)).toBe(3);
    expect(await signal()).toEqual({ sources: 2, signal: 42 + 2 * 3 + 3 });
    // The RSS file's other two papers are there once each; the HF file added nothing else.
    expect(
      Number((await one<{ n: string }>(`SELECT count(*) AS n FROM papers WHERE arxiv_id LIKE '2604.%'`)).n),
    ).toBe(3);
    const health = await one<{ last_item_count: number; newest_item_at: Date | null }>(
      `SELECT last_item_count, newest_item_at FROM sources WHERE name = 'rss-file'`,
    );
    expect(health.last_item_count).toBe(3);
    expect(health.newest_item_at).not.toBeNull();
  });

  it('keeps one BullMQ job scheduler per enabled scheduled source, following the CLI', async () => {
    const schedulerKeys = async () =>
      (await fetch.getJobSchedulers(0, -1)).map((j) => j.key).filter((k) => k.startsWith('source-'));
    const added = JSON.parse(
      await runCliAsync(
        [
          'sources',
          'add',
          'sched',
          'file',
          join(FIX, 'arxiv-rss', 'distill_rss_cs.AI_3items.xml'),
          '--every',
          '3600',
        ],
        env,
      ),
    ) as { id: string };
    const key = `source-${added.id}`;
    await waitFor(
      'the schedule',
      async () => (await schedulerKeys()).includes(key) || undefined,
      20_000,
      200,
    );
    const scheduler = (await fetch.getJobSchedulers(0, -1)).find((j) => j.key === key)!;
    expect(Number(scheduler.every)).toBe(3_600_000);

    await runCliAsync(['sources', 'disable', 'sched'], env);
    await waitFor(
      'the schedule removed',
      async () => !(await schedulerKeys()).includes(key) || undefined,
      20_000,
      200,
    );
    await runCliAsync(['sources', 'enable', 'sched'], env);
    await waitFor(
      'the schedule back',
      async () => (await schedulerKeys()).includes(key) || undefined,
      20_000,
      200,
    );
    await runCliAsync(['sources', 'remove', 'sched'], env);
    await waitFor(
      'the schedule of the removed source gone',
      async () => !(await schedulerKeys()).includes(key) || undefined,
      20_000,
      200,
    );
    const listed = (await runCliAsync(['sources', 'list'], env))
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { name: string }).name);
    expect(listed).not.toContain('sched');
    // Scheduled sources other than this one were never scheduled (they have no interval).
    expect(await schedulerKeys()).toEqual([]);
  });
});
