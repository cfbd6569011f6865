import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, TEST_REDIS_URL, cliOutcome, createTestDb, type TestDb } from '@paperwire/testing';

jest.setTimeout(120_000);

// A user's review of the CLI: no --version; `sources list/enable`, `keys create`, `topics list` and `failed list`
// had no help line; `sources add` errors said "invalid body" and listed kind `upload`, which the help does not name
// (and which is no kind to add). The built CLI against a real Postgres schema.
const cli = (args: string[], env: Record<string, string> = {}) => cliOutcome(args, { REDIS_URL: TEST_REDIS_URL, LOG_LEVEL: 'silent', ...env });

describe('the CLI says what it is and what its commands do', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb('cli_help');
  });
  afterAll(async () => {
    await db?.drop();
  });
  const dbEnv = () => ({ DATABASE_URL: db.url, DATABASE_SCHEMA: db.schema, QUEUE_PREFIX: '{cli-help}' });

  it('--version prints the checkout version', async () => {
    const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    const r = await cli(['--version']);
    expect(r).toMatchObject({ code: 0, stdout: `paperwire ${version}\n` });
  });

  it('every command of every group has a help line', async () => {
    const bare: string[] = [];
    for (const group of ['sources', 'keys', 'topics', 'failed', 'subscriptions', 'db']) {
      const help = (await cli([group, '--help'])).stdout;
      const commands = help.split('Commands:\n')[1] ?? '';
      expect(commands).not.toBe('');
      // a command's line is its name (and arguments), then a gap and what it does
      for (const line of commands.split('\n').filter((l) => /^ {2}\S/.test(l)))
        if (!/^ {2}\S.*\S {2,}\S/.test(line)) bare.push(`${group} ${line.trim()}`);
    }
    expect(bare).toEqual([]);
  });

  it('sources add refuses an unknown kind, upload and a bad --every in plain words', async () => {
    const bogus = await cli(['sources', 'add', 'x', 'bogus', 'https://example.org/feed'], dbEnv());
    expect(bogus.code).toBe(1);
    expect(bogus.stderr).toBe(
      'paperwire: invalid source: kind: no kind "bogus"; the kinds are hf-daily-papers, arxiv-api, arxiv-rss, arxiv-oai, hf-papers-html, daily-papers-text, file\n',
    );
    const upload = await cli(['sources', 'add', 'x', 'upload'], dbEnv());
    expect(upload.code).toBe(1);
    expect(upload.stderr).toContain('upload is not a kind to add: uploaded documents have their own source (paperwire ingest)');
    const every = await cli(['sources', 'add', 'x', 'arxiv-rss', 'https://rss.arxiv.org/rss/cs.CL', '--every', 'hourly'], dbEnv());
    expect(every.stderr).toBe('paperwire: --every must be a whole number (got hourly)\n');
    for (const r of [bogus, upload, every]) expect(r.stderr).not.toMatch(/invalid body|Expected|received/);
    expect((await cli(['sources', 'list', '--json'], dbEnv())).stdout).toBe('');
  });
});
