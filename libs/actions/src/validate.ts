import { z } from 'zod';
import { ActionError } from './errors';
import { INTEGER_TEXT, INTEGER_WORDS, plainIssues } from './plain-issues';

/**
 * Parses an action's input with its schema; a failure is one `invalid` ActionError listing every bad
 * field (`/a/b` pointers for bodies, `a.b` names for query strings), each in one plain sentence (plainIssues).
 */
export function validate<S extends z.ZodTypeAny>(
  schema: S,
  input: unknown,
  where: 'body' | 'query' = 'body',
  /** what was invalid, when a word says more than "invalid body" ("invalid source") */
  title = `invalid ${where}`,
): z.infer<S> {
  const res = schema.safeParse(input ?? {});
  if (res.success) return res.data;
  throw new ActionError(
    'invalid',
    title,
    plainIssues(schema, res.error.issues, input ?? {}, where),
  );
}

export const invalidField = (message: string, field: string, detail: string) => new ActionError('invalid', message, [{ field, message: detail }]);


/** A page size as a query string or a number: 1 to 100, 20 when absent (the API's `limit`). */
export const limitSchema = z
  .union([z.number(), z.string().regex(INTEGER_TEXT, INTEGER_WORDS).transform(Number)])
  .pipe(z.number().int().min(1, 'must be at least 1').max(100, 'must be at most 100'))
  .optional()
  .transform((v) => v ?? 20);
