import { z } from 'zod';
import { ActionError } from './errors';
import { INTEGER_TEXT, INTEGER_WORDS, namedMessage, plainIssues } from './plain-issues';

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

/** One field refused in one sentence that names it (`schedule.weekday: weekly digests need a weekday …`), its detail the words. */
export const refuseField = (field: string, detail: string) => invalidField(namedMessage(field, detail), field, detail);

/**
 * What a refusal says as one line (the API's problem detail): a bare "invalid body" / "invalid query" gives way to
 * its fields' sentences, a title that says nothing of them is followed by them ("invalid source: url must be …"),
 * and nothing is said twice (a field's words the message says already, or that say the message, are left out).
 */
export function actionErrorText(e: ActionError): string {
  const generic = /^invalid (?:body|query)$/.test(e.message);
  const details = (e.details ?? []).filter((d) => generic || (!e.message.includes(d.message) && !d.message.includes(e.message)));
  // the whole body or query is named by its sentence already ("the body must be an object such as …")
  const fields = details.map((d) => (/^(?:\/?|\(query\))$/.test(d.field) ? d.message : namedMessage(d.field, d.message)));
  if (fields.length === 0) return e.message;
  return generic ? fields.join('; ') : `${e.message}: ${fields.join('; ')}`;
}


/**
 * One of fixed values in a query string, in any case ("sort=TRENDING", "hasCode=True"), as topic slugs and source
 * names are taken: the value is the listed spelling (camel case kept: "publishedat" is `publishedAt`); anything else is
 * refused with the values listed (plainIssues). Bodies keep exact values (JSON clients send what the contract lists).
 */
export const queryEnum = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess((v) => (typeof v === 'string' ? (values.find((x) => x.toLowerCase() === v.trim().toLowerCase()) ?? v) : v), z.enum(values));

/** A page size as a query string or a number: 1 to 100, 20 when absent (the API's `limit`). */
export const limitSchema = z
  .union([z.number(), z.string().regex(INTEGER_TEXT, INTEGER_WORDS).transform(Number)])
  .pipe(z.number().int().min(1, 'must be at least 1').max(100, 'must be at most 100'))
  .optional()
  .transform((v) => v ?? 20);
