import type { z } from 'zod';
import { plainIssues } from '@paperwire/actions';
import { badRequest } from './problem';

/**
 * Parses a query or body with zod; failures become a 400 problem listing every bad parameter, once each, in plain
 * words that name it (plainIssues: the API, its pages and the CLI word them alike); its detail says them all.
 */
export function parseInput<S extends z.ZodTypeAny>(schema: S, input: unknown, where: 'query' | 'body'): z.infer<S> {
  const res = schema.safeParse(input ?? {});
  if (!res.success) {
    const issues = plainIssues(schema, res.error.issues, input ?? {}, where);
    throw badRequest(issues.map((i) => i.message).join('; '), issues.map((i) => ({ field: i.field, detail: i.message })));
  }
  return res.data;
}

/** `a,b` or repeated `?x=a&x=b` → ['a', 'b']. */
export function listParam(v: unknown): string[] | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const parts = (Array.isArray(v) ? v : [v]).flatMap((s) => String(s).split(','));
  const out = parts.map((s) => s.trim()).filter((s) => s.length > 0);
  return out.length > 0 ? out : undefined;
}
