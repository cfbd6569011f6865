import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT, TEST_REDIS_URL, cliOutcome, createTestDb, seedPaper, seedTopic, type TestDb } from '@paperwire/testing';

jest.setTimeout(120_000);

// A review of the CLI's output: `claims` and `topics list` printed JSON on a terminal where README promises a table
// (as `failed list` and `subscriptions list` print), `claims --help` had options without a word on them, and `ingest
// /nope.xml` printed Node's "ENOENT: … stat '/nope.xml'". The built CLI against a real Postgres schema; a terminal is
// util-linux `script`'s pseudo-terminal.
describe('the CLI prints tables on a terminal and one plain line for a file it cannot read', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb('cli_output');
    await seedTopic(db.ds, 'rag');
    await seedPaper(db.ds, {
      title: 'Retrieval heads cut memory',
      abstract: 'Retrieval heads cut GPU memory by 3x.',
      arxivId: '2611.03001',
      topics: [{ slug: 'rag', score: 0.9, primary: true }],
      claims: [{ value: 3, unit: 'x', kind: 'reduction', metric: 'gpu memory', text: 'by 3x' }],
    });
  });
  afterAll(() => db?.drop());
  const env = () => ({ REDIS_URL: TEST_REDIS_URL, LOG_LEVEL: 'silent', DATABASE_URL: db.url, DATABASE_SCHEMA: db.schema, QUEUE_PREFIX: '{cli-output}' });
  const cli = (args: string[]) => cliOutcome(args, env());
  /** stdout of the CLI on a terminal (a pseudo-terminal: `script`), CRLF as LF */
  const onTerminal = async (args: string[]): Promise<string> => {
    const command = ['node', join(REPO_ROOT, 'tools', 'run.js'), 'services/cli', ...args].map((w) => `'${w}'`).join(' ');
    const { stdout } = await promisify(execFile)('script', ['-qec', command, '/dev/null'], { env: { ...process.env, ...env(), COLUMNS: '200' } });
    return stdout.replace(/\r\n/g, '\n');
  };

  it('claims and topics list print a table on a terminal, JSON Lines into a pipe or with --json', async () => {
    const claims = (await onTerminal(['claims', '--metric', 'gpu memory'])).split('\n');
    expect(claims[0]).toMatch(/^arxivId\s+paperTitle\s+summary\s+metric\s+kind\s+value\s+unit\s+publishedAt$/);
    expect(claims[1]).toMatch(/^2611\.03001\s+Retrieval heads cut memory\s+.*gpu memory\s+reduction\s+3\s+x\s/);
    const topics = (await onTerminal(['topics', 'list'])).split('\n');
    expect(topics[0]).toMatch(/^slug\s+name\s+origin\s+paperCount\s+primaryCount\s+last7\s+last30$/);
    expect(topics.find((l) => l.startsWith('rag '))).toMatch(/^rag\s+rag\s+default\s+1\s+1\s+\d+\s+\d+$/);
    expect(topics.join('\n')).not.toContain('{');
    // a pipe, or --json on a terminal: the objects as the API gives them
    expect(JSON.parse((await cli(['claims', '--metric', 'gpu memory'])).stdout)).toMatchObject({ arxivId: '2611.03001', metric: 'gpu memory' });
    expect(JSON.parse((await onTerminal(['topics', 'list', '--json'])).trim().split('\n')[0])).toMatchObject({ slug: 'rag', trend: expect.any(Object) });
  });

  it('claims --help says what each option does', async () => {
    const help = (await cli(['claims', '--help'])).stdout;
    const options = (help.split('Options:\n')[1] ?? '').split('\n').filter((l) => /^ {2}-/.test(l));
    expect(options.length).toBeGreaterThanOrEqual(8);
    expect(options.filter((l) => !/^ {2}\S.*\S {2,}\S/.test(l))).toEqual([]);
  });

  it('a file it cannot read is one plain line naming it (ingest, parse), before anything is stored', async () => {
    expect(await cli(['ingest', '/nonexistent/pw-cli-output/feed.xml'])).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'paperwire: cannot read /nonexistent/pw-cli-output/feed.xml: no such file\n',
    });
    expect((await cli(['parse', '/nonexistent/pw-cli-output/feed.xml'])).stderr).toBe('paperwire: cannot read /nonexistent/pw-cli-output/feed.xml: no such file\n');
    expect((await cli(['ingest', REPO_ROOT])).stderr).toBe(`paperwire: cannot read ${REPO_ROOT}: it is a directory, not a file\n`);
    expect(await db.ds.query(`SELECT count(*)::int AS n FROM raw_documents`)).toEqual([{ n: 0 }]);
  });
});
