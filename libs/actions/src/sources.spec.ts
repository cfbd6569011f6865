import { defaultMinIntervalMs } from './sources';
import { validate } from './validate';
import { createSubscriptionSchema } from './subscriptions';
import { ActionError } from './errors';

describe('source defaults', () => {
  it('gives arXiv hosts 3 s between requests and every other host 1 s', () => {
    expect(defaultMinIntervalMs('https://export.arxiv.org/api/query')).toBe(3000);
    expect(defaultMinIntervalMs('https://rss.arxiv.org/rss/cs.CL')).toBe(3000);
    expect(defaultMinIntervalMs('https://arxiv.org.evil.example/rss')).toBe(1000);
    expect(defaultMinIntervalMs('https://huggingface.co/api/daily_papers')).toBe(1000);
    expect(defaultMinIntervalMs(null)).toBe(1000);
    expect(defaultMinIntervalMs('/data/sample.xml')).toBe(1000);
  });
});

describe('validate', () => {
  it('refuses with one invalid ActionError naming every bad field as a body pointer', () => {
    let caught: unknown;
    try {
      validate(createSubscriptionSchema, { channel: 'email', target: 'not-an-email', mode: 'weekly', schedule: { hour: 25 } });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ActionError);
    const e = caught as ActionError;
    expect(e.code).toBe('invalid');
    expect(e.status).toBe(400);
    expect(e.details?.map((d) => d.field).sort()).toEqual(['/schedule/hour', '/schedule/weekday', '/target']);
  });
});
