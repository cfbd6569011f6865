import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createTestDb,
  migratedEnv,
  runCli,
  startServiceProcess,
  uniqueName,
  waitFor,
  type ServiceProcess,
  type TestDb,
} from '@paperwire/testing';

// Topics are data: a topic added from the CLI changes how the running classifier service labels the next
// papers (and, after `reclassify`, papers it already labelled), with the keywords that fired as evidence.
// Real parser + classifier processes from dist/ against the real Postgres and Redis.

jest.setTimeout(180_000);

const NEW_TOPIC = 'protein-design';
// The classifier service re-reads the taxonomy at most every 5 s (TAXONOMY_CHECK_MS).
const TAXONOMY_CHECK_MS = 5_000;

const FIRST = {
  id: '2601.90001',
  title: 'Protein folding with graph diffusion models',
  abstract:
    'Predicting protein structure from the amino acid sequence remains a central problem in computational biology. ' +
    'We cast protein folding as denoising on a residue graph and train a graph diffusion model that generates ' +
    'backbone coordinates conditioned on the sequence. On CASP15 targets the model improves structure accuracy ' +
    'over message-passing baselines while sampling ten times faster.',
};
const SECOND = {
  id: '2601.90002',
  title: 'Equivariant graph diffusion for protein structure generation',
  abstract:
    'We present a graph diffusion model that generates protein structures residue by residue. Each amino acid is a ' +
    'node of an equivariant graph network, and the denoiser refines backbone frames so that generated proteins fold ' +
    'into stable three-dimensional structures. On benchmark protein folding tasks the designed sequences recover ' +
    'native structures more often than previous generative models.',
};

interface TopicRow {
  topic_slug: string;
  score: number;
  evidence: string[];
  model_version: string;
}

describe('adding a topic from the CLI', () => {
  let db: TestDb;
  let env: NodeJS.ProcessEnv;
  let dir: string;
  const procs: ServiceProcess[] = [];

  const topicsOf = (arxivId: string): Promise<TopicRow[]> =>
    db.ds.query(
      `SELECT t.topic_slug, t.score, t.evidence, t.model_version FROM paper_topics t JOIN papers p ON p.id = t.paper_id
        WHERE p.arxiv_id = $1 ORDER BY t.score DESC`,
      [arxivId],
    );
  const versionOf = async (arxivId: string): Promise<string | undefined> => {
    const rows: { v: string | null }[] = await db.ds.query(
      `SELECT p.classifier_version AS v FROM papers p JOIN paper_stages s ON s.paper_id = p.id WHERE p.arxiv_id = $1 AND s.classified_at IS NOT NULL`,
      [arxivId],
    );
    return rows[0]?.v ?? undefined;
  };
  const ingest = (name: string, paper: typeof FIRST): void => {
    const file = join(dir, name);
    writeFileSync(file, JSON.stringify(paper) + '\n');
    runCli(['ingest', file, '--format', 'jsonl'], env);
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pw-topics-e2e-'));
    db = await createTestDb('e2etopics', { migrate: false });
    env = migratedEnv(db, `{${uniqueName('e2etopics')}}`, {
      BATCH_SIZE: '4',
      CONCURRENCY: '1',
    });
    for (const name of ['parser', 'classifier'])
      procs.push(await startServiceProcess(name, env, { logName: `e2e-topics-${name}` }));
  });

  afterAll(async () => {
    await Promise.all(procs.map((p) => p.stop(10_000)));
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('labels the next paper (and a reclassified one) with the new topic, with evidence', async () => {
    ingest('first.jsonl', FIRST);
    const before = await waitFor('the first paper to be classified', () => versionOf(FIRST.id), 60_000);
    const topicsBefore = await topicsOf(FIRST.id);
    expect(topicsBefore.map((t) => t.topic_slug)).not.toContain(NEW_TOPIC);

    const saved = JSON.parse(
      runCli(
        [
          'topics',
          'add',
          NEW_TOPIC,
          '--name',
          'Protein design',
          '--description',
          'Machine learning for protein folding, protein structure prediction and the design of new proteins.',
          '--keywords',
          'protein folding,protein structure,amino acid',
        ],
        env,
      ),
    ) as { slug: string; saved: boolean };
    expect(saved).toEqual({ slug: NEW_TOPIC, saved: true });
    // Let the running service notice the edited taxonomy before the next paper arrives: it re-reads the
    // taxonomy on the first job once TAXONOMY_CHECK_MS have passed since its last check, and that check
    // came before it wrote the first paper's classification (one machine, one clock with Postgres).
    await waitFor(
      "the classifier's taxonomy check to be older than TAXONOMY_CHECK_MS",
      async () => {
        const rows: { stale: boolean }[] = await db.ds.query(
          `SELECT now() - s.classified_at > make_interval(secs => $2) AS stale FROM papers p JOIN paper_stages s ON s.paper_id = p.id WHERE p.arxiv_id = $1`,
          [FIRST.id, TAXONOMY_CHECK_MS / 1000],
        );
        return rows[0]?.stale === true;
      },
      30_000,
    );

    ingest('second.jsonl', SECOND);
    const second = await waitFor(
      'the second paper to carry the new topic',
      async () => {
        const rows = await topicsOf(SECOND.id);
        return rows.find((t) => t.topic_slug === NEW_TOPIC);
      },
      60_000,
    );
    expect(second.score).toBeGreaterThanOrEqual(0.5);
    expect(second.evidence.some((e) => /protein folding|protein structure|amino acid/.test(e))).toBe(true);
    const secondVersion = await versionOf(SECOND.id);
    expect(secondVersion).toBeDefined();
    // The taxonomy is part of the version, so the new paper was labelled by a different classifier version.
    expect(secondVersion).not.toBe(before);
    expect(second.model_version).toBe(secondVersion);

    // The back catalogue: reclassify sends the first paper through the classifier again.
    const re = JSON.parse(runCli(['reclassify', '--all'], env)) as { version: string };
    expect(re.version).toBe(secondVersion);
    const first = await waitFor(
      'the first paper to be reclassified with the new topic',
      async () => (await topicsOf(FIRST.id)).find((t) => t.topic_slug === NEW_TOPIC),
      60_000,
    );
    expect(first.evidence.some((e) => /protein folding|protein structure|amino acid/.test(e))).toBe(true);
    expect(await versionOf(FIRST.id)).toBe(secondVersion);
  });
});
