import { z } from 'zod';
import { ActionError } from './errors';
import { actionErrorText, queryEnum, refuseField, validate } from './validate';

// Review 25: a body or an admin query refused was answered with the bare detail "invalid body" / "invalid query".
describe('actionErrorText: a refusal said in one line, nothing twice', () => {
  const schema = z.object({ status: z.enum(['active', 'paused']).optional(), limit: z.number().optional() }).strict();
  const refused = (input: unknown, where: 'body' | 'query' = 'body', title?: string) => {
    try {
      validate(schema, input, where, title);
    } catch (e) {
      return actionErrorText(e as ActionError);
    }
    throw new Error('accepted');
  };

  it('says every field instead of "invalid body" or "invalid query"', () => {
    expect(refused({ status: 'nope' }, 'query')).toBe('status must be one of active, paused (got nope)');
    expect(refused({ status: 'nope', limit: 'x' })).toBe('status must be one of active, paused (got nope); limit must be a number (got text)');
  });

  it('names the whole body as such, never as a capitalised bare phrase', () => {
    expect(refused({ foo: 1 })).toBe('the body has an unknown key "foo"; accepted: status, limit');
    expect(refused([])).toMatch(/^the body must be an object such as \{/);
  });

  it('keeps a title that says more, before the fields; a message that says it all stands alone', () => {
    expect(refused({ limit: 'x' }, 'body', 'invalid source')).toBe('invalid source: limit must be a number (got text)');
    const examples = refuseField('/filters/examples/papers', 'not in the catalogue: 2401.99999');
    expect(actionErrorText(examples)).toBe('filters.examples.papers: not in the catalogue: 2401.99999');
    const topic = new ActionError('invalid', 'no such topic: x', [{ field: '/filters/topics/slugs', message: 'no such topic: x (the topics are listed at /v1/topics)' }]);
    expect(actionErrorText(topic)).toBe('no such topic: x');
  });
});

// Review 25: `hasCode=TRUE` and `sort=TRENDING` were 400s while `source` and topic slugs took any case.
describe('queryEnum: fixed query values in any case', () => {
  const schema = z.object({ sort: queryEnum(['publishedAt', 'trending']).optional() });
  const text = (input: unknown) => {
    try {
      return validate(schema, input, 'query');
    } catch (e) {
      return actionErrorText(e as ActionError);
    }
  };

  it('takes any case and gives the listed spelling, camel case kept', () => {
    expect(text({ sort: 'TRENDING' })).toEqual({ sort: 'trending' });
    expect(text({ sort: 'publishedat' })).toEqual({ sort: 'publishedAt' });
    expect(text({ sort: ' Trending ' })).toEqual({ sort: 'trending' });
    expect(text({})).toEqual({});
  });

  it('still refuses what is none of them, listing the values and what it got', () => {
    expect(text({ sort: 'hot' })).toBe('sort must be one of publishedAt, trending (got hot)');
    expect(text({ sort: 3 })).toMatch(/^sort must be .*publishedAt.*trending.*\(got a number\)$/);
  });
});
