import { z } from 'zod';
import { createKeySchema } from './keys';
import { limitSchema } from './validate';
import { namedMessage, plainIssues } from './plain-issues';

const words = (schema: z.ZodTypeAny, input: unknown, where: 'query' | 'body' = 'query') => {
  const res = schema.safeParse(input);
  if (res.success) throw new Error('expected a failure');
  return plainIssues(schema, res.error.issues, input, where);
};

describe('plainIssues', () => {
  const query = z.object({
    limit: z.string().regex(/^\d+$/, 'must be a whole number').optional(),
    window: z.enum(['24h', '7d', '30d']).optional(),
    q: z.string().min(1).max(500).optional(),
    since: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be a valid date').refine((s) => s > '1991', 'must be after 1991').optional(),
    topic: z.array(z.string().max(3)).max(2).optional(),
  });

  it('words each failure as a sentence naming its parameter, without zod phrases', () => {
    expect(words(query, { limit: ['1', '2'] })).toEqual([{ field: 'limit', message: 'limit is given twice; give it once' }]);
    expect(words(query, { limit: ['1', '2', '3'] })[0].message).toBe('limit is given 3 times; give it once');
    expect(words(query, { limit: 'abc' })[0].message).toBe('limit must be a whole number (got abc)');
    expect(words(query, { window: '5y' })[0].message).toBe('window must be one of 24h, 7d, 30d (got 5y)');
    expect(words(query, { q: 'a'.repeat(600) })[0].message).toBe('q is at most 500 characters (got 600)');
    expect(words(query, { q: '' })[0].message).toBe('q must not be empty');
    expect(words(query, { topic: ['a', 'b', 'c'] })[0].message).toBe('topic takes at most 2 values (got 3)');
    expect(words(query, { topic: ['abcd'] })).toEqual([{ field: 'topic', message: 'topic is at most 3 characters (got 4)' }]);
  });

  // ops27: `GET /v1/admin/subscriptions?ownerKeyId=abc` answered "ownerKeyId: Invalid uuid", zod's own words.
  it('words a string format zod checks as what the value must be', () => {
    const formats = z.object({ ownerKeyId: z.string().uuid().optional(), contact: z.string().email().optional() });
    expect(words(formats, { ownerKeyId: 'abc' })).toEqual([{ field: 'ownerKeyId', message: 'ownerKeyId must be a uuid (got abc)' }]);
    expect(words(formats, { contact: 'no-at-sign' }, 'body')[0].message).toBe('contact must be an email address (got no-at-sign)');
    // a schema's own message for a format still wins
    expect(words(z.object({ id: z.string().uuid('must be a key id') }), { id: 'x' })[0].message).toBe('id must be a key id (got x)');
  });

  it('says one thing per parameter (the first failure)', () => {
    expect(words(query, { since: 'notadate' })).toEqual([{ field: 'since', message: 'since must be a valid date (got notadate)' }]);
    expect(words(query, { since: 'x', window: 'y' }).map((i) => i.field)).toEqual(['window', 'since']);
  });

  it('names body fields by their key, list items by their list, with the pointer as the field', () => {
    expect(words(createKeySchema, { name: 'k', scopes: ['reed', 'rite'] }, 'body')).toEqual([
      { field: '/scopes/0', message: 'scopes must be one of read, subscriptions, admin (got reed)' },
    ]);
    expect(words(createKeySchema, { scopes: ['read'] }, 'body')[0].message).toBe('name is required');
    expect(words(z.object({ n: limitSchema }), { n: 'x' })[0].message).toBe('n must be a whole number (got x)');
  });

  it("keeps a schema's own message (required_error, an enum's errorMap) and names its parameter", () => {
    const own = z.object({
      papers: z.array(z.string(), { required_error: 'examples need papers: 1 to 20 ids' }),
      kind: z.enum(['a', 'b'], { errorMap: () => ({ message: 'no such kind; the kinds are a, b' }) }),
    });
    expect(words(own, { kind: 'c' }, 'body').map((i) => i.message)).toEqual(['papers: examples need papers: 1 to 20 ids', 'kind: no such kind; the kinds are a, b']);
  });

  it('keeps a sentence that names its parameter already', () => {
    expect(namedMessage('/filters/topics', 'no such topic: x')).toBe('filters.topics: no such topic: x');
    expect(namedMessage('date', 'must be a real calendar date')).toBe('date must be a real calendar date');
    expect(namedMessage('sort', 'sort=relevance needs q')).toBe('sort=relevance needs q');
  });
});
