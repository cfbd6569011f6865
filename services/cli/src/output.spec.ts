import { ActionError } from '@paperwire/actions';
import { FeedError } from '@paperwire/feeds';
import { describeError, err, formatTable, out, shellWord } from './output';
import { formatProgress, ingestDone, ingestResult, sourceTableRows } from './commands/sources';
import { filtersFromOptions, scheduleFromOptions } from './commands/subscriptions';

describe('CLI output', () => {
  it('builds a table from the camelCase objects, one column per field, nulls as -', () => {
    const table = formatTable(
      [
        { name: 'arxiv', consecutiveFailures: 0, lastError: null },
        { name: 'hf-daily-papers', consecutiveFailures: 3, lastError: 'HTTP 503\nretry' },
      ],
      ['name', 'consecutiveFailures', 'lastError'],
    );
    expect(table.split('\n')).toEqual([
      'name             consecutiveFailures  lastError',
      'arxiv            0                    -',
      'hf-daily-papers  3                    HTTP 503 retry',
    ]);
  });

  it('never hands a terminal the control characters of a value: names, reasons and errors come from tenants and upstreams', () => {
    // eslint-disable-next-line no-control-regex
    const CONTROLS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
    const hostile = 'n\u001b]52;c;cHduZWQ=\u0007\u001b[2J\u009b31m\u202Eevil\u0000';
    const table = formatTable([{ name: hostile, statusReason: 'HTTP 503\r\nok' }], ['name', 'statusReason']);
    expect(table).not.toMatch(CONTROLS);
    expect(table.split('\n')[1]).toBe('n\\x1b]52;c;cHduZWQ=\\x07\\x1b[2J\\x9b31m\\u202eevil\\x00  HTTP 503 ok');
    const written: string[] = [];
    const spies = [
      jest.spyOn(process.stdout, 'write').mockImplementation((s) => (written.push(String(s)), true)),
      jest.spyOn(process.stderr, 'write').mockImplementation((s) => (written.push(String(s)), true)),
    ];
    try {
      out(`line one\n${hostile}`);
      err(`paperwire: ${hostile}`);
      out({ name: hostile });
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    expect(written.join('')).not.toMatch(CONTROLS);
    expect(written[0]).toMatch(/^line one\n/);
    // JSON Lines stay JSON, with the same value: the characters travel as \u escapes.
    expect(JSON.parse(written[2]!)).toEqual({ name: hostile });
  });

  it('describes an action refusal with its fields, and a feed error with its code', () => {
    expect(describeError(new ActionError('invalid', 'source URL refused', [{ field: '/url', message: 'resolves to non-public address 127.0.0.1' }]))).toBe(
      'source URL refused: url: resolves to non-public address 127.0.0.1',
    );
    expect(describeError(new ActionError('not-found', 'no source named x'))).toBe('no source named x');
    // A detail the message already says is said once (validateTopic's slug refusal).
    const slug = 'slug "Bad Slug": topic slugs are lower-case letters, digits and dashes (at most 64)';
    expect(describeError(new ActionError('invalid', slug, [{ field: 'slug', message: slug }]))).toBe(slug);
    const topics = new ActionError('invalid', 'no such topic: effciency', [{ field: '/filters/topics/slugs', message: 'no such topic: effciency (see /v1/topics)' }]);
    expect(describeError(topics)).toBe('filters.topics.slugs: no such topic: effciency (see /v1/topics)');
    expect(describeError(new FeedError('unknown-format', 'not a feed'))).toBe('unknown-format: not a feed');
  });
});

describe('ingest --wait progress', () => {
  const base = { status: 'parsed', error: null, papers: 3, paperCount: 3, skippedEntries: 0, skipped: [] };

  it('lists the stages in pipeline order', () => {
    expect(formatProgress({ ...base, stages: { notified: 1, parsed: 1, classified: 1 } })).toBe('document parsed; 3 papers: parsed 1, classified 1, notified 1');
    // not parsed yet: its papers are not known, not "0 papers"
    expect(formatProgress({ ...base, status: 'fetched', papers: 0, paperCount: null, stages: {} })).toBe(
      'document fetched; waiting for the parser (its papers are counted once it is parsed)',
    );
    expect(formatProgress({ ...base, papers: 1, stages: { parsed: 1 } })).toBe('document parsed; 1 paper: parsed 1');
    expect(formatProgress({ ...base, papers: 2, stages: { parsed: 2 }, skippedEntries: 1, skipped: [{ index: 1, message: 'missing title' }] })).toBe(
      'document parsed; 2 papers: parsed 2; skipped 1 entry: entry 2 missing title',
    );
    // a line format: every skipped entry by its line (from 1), never an index from 0 beside a line number
    const lines = [
      { index: 3, line: 4, message: 'missing title' },
      { index: 4, line: 5, message: 'not valid JSON' },
    ];
    expect(formatProgress({ ...base, papers: 2, stages: { parsed: 2 }, skippedEntries: 2, skipped: lines })).toBe(
      'document parsed; 2 papers: parsed 2; skipped 2 entries: line 4 missing title, line 5 not valid JSON',
    );
  });

  it('is done when the parsed document’s papers are all notified, or it had none', () => {
    expect(ingestDone({ ...base, stages: { notified: 3 } })).toBe(true);
    expect(ingestDone({ ...base, stages: { notified: 2, extracted: 1 } })).toBe(false);
    expect(ingestDone({ ...base, status: 'fetched', papers: 0, paperCount: null, stages: {} })).toBe(false);
    expect(ingestDone({ ...base, papers: 0, paperCount: 0, stages: {} })).toBe(true);
  });

  it('prints its papers once: `papers`, not `paperCount` beside it', () => {
    const upload = { rawDocumentId: 'd', created: true, bytes: 10 };
    const result = ingestResult(upload, { ...base, stages: { notified: 3 } });
    expect(result).toMatchObject({ papers: 3, stages: { notified: 3 } });
    expect(result).not.toHaveProperty('paperCount');
  });
});

describe('subscriptions add options', () => {
  it('builds the filter object from --filters, --topics and --keywords', () => {
    expect(filtersFromOptions({ filters: '{"hasCode":true}', topics: 'peft, llm', allTopics: true, minScore: '0.4', keywords: 'lora' })).toEqual({
      hasCode: true,
      topics: { slugs: ['peft', 'llm'], match: 'all', minScore: 0.4 },
      keywords: ['lora'],
    });
    expect(() => filtersFromOptions({ filters: '{nope' })).toThrow(/--filters: not JSON/);
    // Options are refused rather than dropped: --filters is one JSON object, and an option that refines
    // another needs it.
    for (const filters of ['null', '5', '"x"', '[]']) {
      expect(() => filtersFromOptions({ filters, keywords: 'lora' })).toThrow(new ActionError('invalid', '--filters: a JSON object, e.g. {"hasCode":true}'));
    }
    expect(() => filtersFromOptions({ minScore: '0.5' })).toThrow(/--min-score needs --topics/);
    expect(() => filtersFromOptions({ allTopics: true })).toThrow(/--all-topics needs --topics/);
    expect(() => filtersFromOptions({ minSimilarity: '0.8', topics: 'llm' })).toThrow(/--min-similarity needs --examples/);
    expect(filtersFromOptions({ examples: '2401.01234, 2401.05678', minSimilarity: '0.8' })).toEqual({
      examples: { papers: ['2401.01234', '2401.05678'], minSimilarity: 0.8 },
    });
  });

  it('passes the schedule on for the action to validate; none without schedule options', () => {
    expect(scheduleFromOptions({})).toBeUndefined();
    expect(scheduleFromOptions({ hour: '7', minute: '30', tz: 'Europe/Paris', weekday: '1', limit: '10' })).toEqual({ hour: 7, minute: 30, timeZone: 'Europe/Paris', weekday: 1, limit: 10 });
    // a bad whole number is refused naming its option, in the one wording of every integer option of the CLI
    expect(() => scheduleFromOptions({ hour: 'seven' })).toThrow(new ActionError('invalid', '--hour must be a whole number (got seven)'));
    expect(() => scheduleFromOptions({ hour: '7', limit: '1.5' })).toThrow(new ActionError('invalid', '--limit must be a whole number (got 1.5)'));
  });

  it('quotes a word of a suggested command for a shell only where it must', () => {
    expect(shellWord('arxiv-cs.CL')).toBe('arxiv-cs.CL');
    expect(shellWord('z z')).toBe("'z z'");
    expect(shellWord("it's")).toBe("'it'\\''s'");
    expect(shellWord('$HOME')).toBe("'$HOME'");
  });

  it("shows a source's failures in the table as /ops does: the polls that failed for good and the attempts, one label", () => {
    const failing = { name: 'z z', consecutiveFailures: 8, failedPolls: 1, failingSince: '2026-12-07T15:20:45.108Z' } as Parameters<typeof sourceTableRows>[0][number];
    expect(sourceTableRows([failing])[0].failures).toBe('1 failed poll in a row (8 failed attempts, retries included)');
  });
});
