import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT, TEST_REDIS_URL, createTestDb, dropQueuePrefix, uniqueName, type TestDb } from '@paperwire/testing';

jest.setTimeout(120_000);

// An operator pipes a feed into the CLI (`curl … | paperwire parse -`, `paperwire classify <(curl …)`,
// `… | paperwire ingest /dev/stdin`): every one of these was refused with "cannot read /dev/fd/63: it is a directory,
// not a file", which it is not. `-` is standard input, a pipe or a device is read to its end, the upload limit holds
// for a stream too, and a directory is still named as one. The built CLI, a real Postgres schema and Redis.
describe('the CLI reads standard input and pipes', () => {
  let db: TestDb;
  const prefix = `{${uniqueName('cli-stdin')}}`;
  const feed = [
    { id: '2612.01001', title: 'Sparse retrieval heads for long-context models', abstract: 'Sparse retrieval heads cut GPU memory by 3x on long-context question answering.' },
    { id: '2612.01002', title: 'A benchmark of tool use', abstract: 'We release a benchmark of 1,200 tool-use tasks; the best model solves 41% of them.' },
  ]
    .map((p) => JSON.stringify(p))
    .join('\n');

  beforeAll(async () => {
    db = await createTestDb('cli_stdin');
  });
  afterAll(async () => {
    await dropQueuePrefix(prefix);
    await db?.drop();
  });

  const env = () => ({ ...process.env, REDIS_URL: TEST_REDIS_URL, LOG_LEVEL: 'silent', DATABASE_URL: db.url, DATABASE_SCHEMA: db.schema, QUEUE_PREFIX: prefix });
  /** The CLI run by `command` (argv, or a bash line for process substitution) with `input` on its standard input. */
  const run = (command: string[] | string, input: Buffer | string = ''): Promise<{ code: number | null; stdout: string; stderr: string }> =>
    new Promise((resolve, reject) => {
      const cli = [process.execPath, join(REPO_ROOT, 'tools', 'run.js'), 'services/cli'];
      const child =
        typeof command === 'string'
          ? spawn('bash', ['-c', `${cli.map((w) => `'${w}'`).join(' ')} ${command}`], { env: env() })
          : spawn(cli[0], [...cli.slice(1), ...command], { env: env() });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
      // a CLI that refuses early closes its end: that is its answer, not the test's error
      child.stdin.on('error', () => undefined);
      child.stdin.end(input);
    });
  const lines = (s: string) => s.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

  it('parse -, classify /dev/stdin and extract <(…) read what is piped in', async () => {
    const parsed = await run(['parse', '-'], feed);
    expect({ code: parsed.code, stderr: parsed.stderr }).toEqual({ code: 0, stderr: '' });
    expect(lines(parsed.stdout).map((p) => p.title)).toEqual(['Sparse retrieval heads for long-context models', 'A benchmark of tool use']);

    const classified = await run(['classify', '/dev/stdin'], feed);
    expect({ code: classified.code, stderr: classified.stderr }).toEqual({ code: 0, stderr: '' });
    expect(lines(classified.stdout).map((p) => p.id)).toEqual(['2612.01001', '2612.01002']);

    const extracted = await run(`extract <(printf '%s' '${feed.replace(/'/g, "'\\''")}')`);
    expect({ code: extracted.code, stderr: extracted.stderr }).toEqual({ code: 0, stderr: '' });
    const claims = lines(extracted.stdout).flatMap((p) => p.claims as { text: string }[]);
    expect(claims.map((c) => c.text)).toEqual(expect.arrayContaining(['3x', '41%']));
  });

  it('ingest - stores what is piped in and sends it through the pipeline; past the upload limit it stores nothing', async () => {
    const stored = await run(['ingest', '-'], feed);
    expect({ code: stored.code, stderr: stored.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(stored.stdout)).toMatchObject({ created: true, bytes: Buffer.byteLength(feed) });
    expect(await db.ds.query(`SELECT url, byte_size AS bytes FROM raw_documents`)).toEqual([
      { url: 'stdin', bytes: Buffer.byteLength(feed) },
    ]);

    const huge = await run(['ingest', '-'], Buffer.alloc(50 * 1024 * 1024 + 1, 0x20));
    expect(huge).toEqual({ code: 1, stdout: '', stderr: 'paperwire: standard input is larger than 50 MB\n' });
    expect(await db.ds.query(`SELECT count(*)::int AS n FROM raw_documents`)).toEqual([{ n: 1 }]);
  });

  it('a directory is still named as one', async () => {
    expect(await run(['parse', REPO_ROOT])).toEqual({ code: 1, stdout: '', stderr: `paperwire: cannot read ${REPO_ROOT}: it is a directory, not a file\n` });
  });

  // review 27: a truncated Atom upload was "malformed XML at line 1: Invalid '[    "feed",    "entry",    "title"]' found."
  it('a malformed Atom feed is described in plain words: which element, what was expected', async () => {
    const atom = '<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n<entry><id>http://arxiv.org/abs/2612.01001v1</id><title>Sparse retrieval\n';
    expect(await run(['parse', '-'], atom)).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'paperwire: malformed: not well-formed XML: the document ends inside <title> (in <entry> in <feed>): expected </title> and the closing tags after it (is the file cut short?)\n',
    });
    const mismatched = await run(['parse', '-'], '<feed xmlns="http://www.w3.org/2005/Atom">\n<entry><title>A</entry></feed>');
    expect(mismatched.stderr).toBe('paperwire: malformed: not well-formed XML: line 2: </entry> closes <title> (opened on line 2): expected </title> first\n');
  });
});
