import { closestNames, issueMessage } from './hints';
import { createSubscriptionSchema, scheduleSchema } from './subscriptions';

const firstIssue = (schema: Parameters<typeof issueMessage>[0], input: unknown) => {
  const res = schema.safeParse(input);
  if (res.success) throw new Error('expected a failure');
  return issueMessage(schema, res.error.issues[0]);
};

describe('closestNames', () => {
  it('suggests close names, closest first, and nothing when nothing is close', () => {
    expect(closestNames('acuracy', ['accuracy', 'f1', 'precision', 'latency'])).toEqual(['accuracy']);
    expect(closestNames('tz', ['hour', 'minute', 'timeZone', 'weekday', 'limit'])).toEqual(['timeZone']);
    expect(closestNames('sparse', ['sparse-attention', 'rag', 'agents'])).toEqual(['sparse-attention']);
    expect(closestNames('nope', ['rag', 'agents', 'sparse-attention', 'diffusion-models'])).toEqual([]);
    expect(closestNames('rag', ['rag'])).toEqual([]);
  });
});

describe('issueMessage', () => {
  const body = { channel: 'webhook', target: 'https://example.com/h' };

  it('says which object shape is expected when an array is sent', () => {
    const msg = firstIssue(createSubscriptionSchema, { ...body, filters: { topics: ['rag'] } });
    expect(msg).toBe('expected an object such as {"slugs": […]}, received an array');
  });

  it('names the closest known key for an unknown one, and the accepted keys', () => {
    const msg = firstIssue(scheduleSchema, { hour: 8, tz: 'Europe/Paris' });
    expect(msg).toBe('unknown key "tz" (did you mean timeZone?); accepted: hour, minute, timeZone, weekday, limit');
    const nested = firstIssue(createSubscriptionSchema, { ...body, mode: 'daily', schedule: { hour: 8, tz: 'UTC' } });
    expect(nested).toMatch(/did you mean timeZone\?/);
    expect(firstIssue(createSubscriptionSchema, { ...body, filter: {} })).toMatch(/^unknown key "filter" \(did you mean filters\?\)/);
  });

  it('leaves other issues as zod words them', () => {
    expect(firstIssue(scheduleSchema, { hour: 25 })).toMatch(/less than or equal to 23/);
  });
});
