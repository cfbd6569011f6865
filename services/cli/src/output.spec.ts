import { ActionError } from '@paperwire/actions';
import { FeedError } from '@paperwire/feeds';
import { describeError, formatTable } from './output';
import { formatProgress, ingestDone } from './commands/sources';
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

  it('describes an action refusal with its fields, and a feed error with its code', () => {
    expect(describeError(new ActionError('invalid', 'source URL refused', [{ field: '/url', message: 'resolves to non-public address 127.0.0.1' }]))).toBe(
      'source URL refused: url: resolves to non-public address 127.0.0.1',
    );
    expect(describeError(new ActionError('not-found', 'no source named x'))).toBe('no source named x');
    expect(describeError(new FeedError('unknown-format', 'not a feed'))).toBe('unknown-format: not a feed');
  });
});

describe('ingest --wait progress', () => {
  const base = { status: 'parsed', error: null, papers: 3, paperCount: 3 };

  it('lists the stages in pipeline order', () => {
    expect(formatProgress({ ...base, stages: { notified: 1, parsed: 1, classified: 1 } })).toBe('document parsed; 3 papers: parsed 1, classified 1, notified 1');
    expect(formatProgress({ status: 'fetched', error: null, papers: 0, paperCount: null, stages: {} })).toBe('document fetched; 0 papers');
  });

  it('is done when the parsed document’s papers are all notified, or it had none', () => {
    expect(ingestDone({ ...base, stages: { notified: 3 } })).toBe(true);
    expect(ingestDone({ ...base, stages: { notified: 2, extracted: 1 } })).toBe(false);
    expect(ingestDone({ ...base, status: 'fetched', papers: 0, paperCount: null, stages: {} })).toBe(false);
    expect(ingestDone({ ...base, papers: 0, paperCount: 0, stages: {} })).toBe(true);
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
    expect(filtersFromOptions({ examples: '2401.01234, 2401.05678', minSimilarity: '0.8' })).toEqual({
      examples: { papers: ['2401.01234', '2401.05678'], minSimilarity: 0.8 },
    });
  });

  it('passes the schedule on for the action to validate; none without schedule options', () => {
    expect(scheduleFromOptions({})).toBeUndefined();
    expect(scheduleFromOptions({ hour: '7', minute: '30', tz: 'Europe/Paris', weekday: '1', limit: '10' })).toEqual({ hour: 7, minute: 30, timeZone: 'Europe/Paris', weekday: 1, limit: 10 });
    expect(scheduleFromOptions({ hour: 'seven' })).toEqual({ hour: Number.NaN });
  });
});
