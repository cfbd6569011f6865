import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ALL_QUEUES, PAPER_STAGES, QUEUES } from '@paperwire/contracts';
import { createApiKey } from '@paperwire/db';
import {
  REPO_ROOT,
  TEST_REDIS_URL,
  artifactsDir,
  createTestDb,
  launchChromium,
  migratedEnv,
  runCli,
  startServiceProcess,
  uniqueName,
  waitFor,
  type ServiceProcess,
  type TestDb,
} from '@paperwire/testing';
import { SERVICES } from '@paperwire/config';

// Issue 7 "Done when": the ops page in a real headless Chromium against the six services as
// processes. The bundled sample goes through, a truncated XML upload dead-letters a parse job, and a
// file source whose file is missing dead-letters a fetch job. The page must show the same figures as
// the database and the queues, and its Retry button (with a pasted admin key) must make the fetch
// succeed once the file exists.

jest.setTimeout(300_000);

const SAMPLE = join(REPO_ROOT, 'data/sample/daily-papers-sep-1.txt');

describe('/ops in a browser', () => {
  let db: TestDb;
  let env: NodeJS.ProcessEnv;
  let prefix: string;
  let dir: string;
  let redis: Redis;
  let browser: Browser | undefined;
  const queues = new Map<string, Queue>();
  const procs = new Map<string, ServiceProcess>();

  const q = (name: string) => queues.get(name)!;
  const scalar = async (sql: string, params: unknown[] = []) => (await db.ds.query(sql, params))[0]?.v;
  const text = async (page: Page, testId: string) =>
    (await page.getByTestId(testId).textContent())?.trim() ?? '';

  beforeAll(async () => {
    db = await createTestDb('e2e_ops', { migrate: false });
    dir = mkdtempSync(join(tmpdir(), 'pw-ops-'));
    prefix = `{${uniqueName('e2e-ops')}}`;
    env = migratedEnv(db, prefix, {
      BATCH_SIZE: '8',
      CONCURRENCY: '1',
      RECONCILE_AFTER_SECONDS: '15',
      RECONCILE_EVERY_SECONDS: '5',
    });
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    for (const name of ALL_QUEUES) queues.set(name, new Queue(name, { connection: redis, prefix }));
    for (const name of SERVICES)
      procs.set(name, await startServiceProcess(name, env, { logName: `e2e-ops-${name}` }));
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all([...procs.values()].map((p) => p.stop(10_000)));
    for (const queue of queues.values()) await queue.obliterate({ force: true }).catch(() => undefined);
    await Promise.all([...queues.values()].map((queue) => queue.close()));
    await redis?.quit();
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows the figures of the database and queues, and retries a failed job from the page', async () => {
    // 1. The sample, a truncated Atom document, and a file source whose file is not there yet.
    runCli(['ingest', 'data/sample/daily-papers-sep-1.txt'], env);
    const broken = join(dir, 'truncated.xml');
    writeFileSync(
      broken,
      '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>arXiv</title><entry><id>http://arxiv.org/abs/2401.0',
    );
    const brokenDoc = (
      JSON.parse(runCli(['ingest', broken, '--format', 'arxiv-api'], env)) as { rawDocumentId: string }
    ).rawDocumentId;
    const later = join(dir, 'later.txt');
    runCli(['sources', 'add', 'ops-file', 'file', later], env);
    runCli(['sources', 'poll', 'ops-file'], env);

    // 2. Wait until the pipeline is quiet: 60 papers notified, both failures dead-lettered.
    await waitFor(
      '60 papers notified',
      async () =>
        Number(await scalar(`SELECT count(*)::int AS v FROM paper_stages WHERE stage = 'notified'`)) === 60 ||
        undefined,
      180_000,
      500,
    );
    await waitFor(
      'the parse job to fail',
      async () => (await q(QUEUES.parse).getFailedCount()) === 1 || undefined,
      60_000,
    );
    const [fetchJob] = await waitFor(
      'the fetch job to fail',
      async () => {
        const jobs = await q(QUEUES.fetch).getFailed();
        return jobs.length === 1 ? jobs : undefined;
      },
      60_000,
    );
    const [parseJob] = await q(QUEUES.parse).getFailed();
    expect(fetchJob.failedReason).toMatch(/^file not found: \/tmp\/pw-ops-/);
    expect(parseJob.failedReason.length).toBeGreaterThan(0);
    expect(await scalar(`SELECT status AS v FROM raw_documents WHERE id = $1`, [brokenDoc])).toBe('failed');
    expect(await scalar(`SELECT last_success_at AS v FROM sources WHERE name = 'ops-file'`)).toBeNull();

    const admin = (await createApiKey(db.ds, { name: 'ops-e2e-admin', scopes: ['admin'] })).key;
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
    const consoleErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    // Every request the page makes must succeed (the browser's own favicon probe aside).
    const badResponses: string[] = [];
    page.on('response', (r) => {
      if (r.status() >= 400 && new URL(r.url()).pathname !== '/favicon.ico')
        badResponses.push(`${r.status()} ${r.url()}`);
    });
    const base = `http://127.0.0.1:${procs.get('api')!.port}`;
    await page.goto(`${base}/ops`);
    await page.waitForSelector('body[data-loaded="true"]');

    // 3. Papers per stage, as in the database.
    const perStage: { stage: string; n: number }[] = await db.ds.query(
      `SELECT stage, count(*)::int AS n FROM paper_stages GROUP BY stage`,
    );
    for (const stage of PAPER_STAGES) {
      expect({ stage, shown: await text(page, `stage-${stage}-papers`) }).toEqual({
        stage,
        shown: String(perStage.find((r) => r.stage === stage)?.n ?? 0),
      });
    }
    expect(await text(page, 'stage-notified-papers')).toBe('60');
    // Queue failed counts (and the rest of each row), as in Redis.
    for (const name of ALL_QUEUES) {
      const failed = await q(name).getFailedCount();
      expect({ name, failed: await text(page, `queue-${name}-failed`) }).toEqual({
        name,
        failed: String(failed),
      });
    }
    expect(await text(page, `queue-${QUEUES.fetch}-failed`)).toBe('1');
    expect(await text(page, `queue-${QUEUES.parse}-failed`)).toBe('1');
    expect(await text(page, 'stage-parsed-failed')).toBe('1');
    expect(await text(page, 'raw-documents-failed')).toBe(
      String(await scalar(`SELECT count(*)::int AS v FROM raw_documents WHERE status = 'failed'`)),
    );
    expect(await text(page, 'raw-documents-failed')).toBe('1');
    // The failures with their error class only: the page is public (issue 14, item 4).
    expect(await text(page, `failure-${QUEUES.fetch}-${fetchJob.id}-error`)).toBe('file not found');
    const parseClass = await text(page, `failure-${QUEUES.parse}-${parseJob.id}-error`);
    expect(parseClass).not.toBe(parseJob.failedReason);
    expect(parseClass).toMatch(/^(malformed document|unknown document format)$/);
    // Per-source status.
    const src: { last_error: string; consecutive_failures: number; failed_polls: number; failing_since: Date } = (
      await db.ds.query(`SELECT last_error, consecutive_failures, failed_polls, failing_since FROM sources WHERE name = 'ops-file'`)
    )[0];
    expect(await text(page, 'source-ops-file-last-success')).toBe('never');
    expect(src.last_error).toMatch(/^file not found: /);
    expect(await text(page, 'source-ops-file-error')).toBe('file not found');
    // a missing file does not heal by retrying: its one attempt is a failed poll
    expect([src.failed_polls, src.consecutive_failures]).toEqual([1, 1]);
    expect(await text(page, 'source-ops-file-failures')).toBe(
      `since ${new Date(src.failing_since).toISOString().replace('T', ' ')}: 1 failed poll in a row (1 failed attempt, retries included)`,
    );
    expect(await text(page, 'source-ops-file-lag')).toBe('not fetched yet');

    // 4. Without a key there is no Retry button; with the pasted admin key the page reloads the
    // figures in full (verbatim errors) and offers Retry, which goes through.
    const retry = page.getByTestId(`failure-${QUEUES.fetch}-${fetchJob.id}-retry`);
    expect(await retry.count()).toBe(0);
    expect(await page.getByTestId(`failure-${QUEUES.fetch}-${fetchJob.id}-retry-needs-key`).count()).toBe(1);
    expect(await fetchJob.getState()).toBe('failed');

    copyFileSync(SAMPLE, later);
    await page.locator('#admin-key').fill(admin);
    await page.locator('#save-key').click();
    expect(await page.locator('#admin-key').inputValue()).toBe('');
    await waitFor('the Retry button with an admin key', async () => ((await retry.count()) === 1 ? true : undefined), 15_000, 100);
    expect(await text(page, `failure-${QUEUES.fetch}-${fetchJob.id}-error`)).toBe(fetchJob.failedReason);
    expect(await text(page, `failure-${QUEUES.parse}-${parseJob.id}-error`)).toBe(parseJob.failedReason);
    expect(await text(page, 'source-ops-file-error')).toBe(src.last_error);
    await retry.click();
    await waitFor(
      'the page to confirm the retry',
      async () =>
        (await page.locator('#status').textContent())?.includes(`Retried job ${fetchJob.id}`) || undefined,
      15_000,
      100,
    );

    // 5. The job leaves the failed set and succeeds; the source records a success.
    await waitFor(
      'the retried fetch to complete',
      async () => (await q(QUEUES.fetch).getJobState(fetchJob.id!)) === 'completed' || undefined,
      60_000,
    );
    expect(await q(QUEUES.fetch).getFailedCount()).toBe(0);
    const after: { last_success_at: Date | null; consecutive_failures: number } = (
      await db.ds.query(`SELECT last_success_at, consecutive_failures FROM sources WHERE name = 'ops-file'`)
    )[0];
    expect(after.last_success_at).not.toBeNull();
    expect(after.consecutive_failures).toBe(0);

    // The page refreshes itself (every 5 s) and shows the new state.
    await waitFor(
      'the page to show the success',
      async () => ((await text(page, 'source-ops-file-last-success')) !== 'never' ? true : undefined),
      20_000,
      250,
    );
    expect(new Date(await text(page, 'source-ops-file-last-success')).getTime()).toBe(
      new Date(after.last_success_at!).getTime(),
    );
    expect(await text(page, `queue-${QUEUES.fetch}-failed`)).toBe('0');
    expect(await page.getByTestId(`failure-${QUEUES.fetch}-${fetchJob.id}-row`).count()).toBe(0);
    expect(await page.getByTestId(`failure-${QUEUES.parse}-${parseJob.id}-row`).count()).toBe(1);
    await page.screenshot({ path: join(artifactsDir('screenshots'), 'ops-page.png'), fullPage: true });
    expect(badResponses).toEqual([]);
    // "Failed to load resource" lines are the responses checked above.
    expect(consoleErrors.filter((m) => !m.startsWith('Failed to load resource'))).toEqual([]);
  });
});
