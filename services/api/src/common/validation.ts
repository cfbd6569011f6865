import type { z } from 'zod';
import { issueMessage } from '@paperwire/actions';
import { badRequest, type ProblemError } from './problem';

function issuesToErrors(schema: z.ZodTypeAny, issues: z.ZodIssue[], where: 'query' | 'body'): ProblemError[] {
  return issues.map((i) => ({
    field: where === 'body' ? `/${i.path.join('/')}` : i.path.join('.') || '(query)',
    detail: issueMessage(schema, i),
  }));
}

/** Parses a query or body with zod; failures become a 400 problem listing every bad field. */
export function parseInput<S extends z.ZodTypeAny>(schema: S, input: unknown, where: 'query' | 'body'): z.infer<S> {
  const res = schema.safeParse(input ?? {});
  if (!res.success) throw badRequest(`invalid ${where}`, issuesToErrors(schema, res.error.issues, where));
  return res.data;
}

/** `a,b` or repeated `?x=a&x=b` → ['a', 'b']. */
export function listParam(v: unknown): string[] | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const parts = (Array.isArray(v) ? v : [v]).flatMap((s) => String(s).split(','));
  const out = parts.map((s) => s.trim()).filter((s) => s.length > 0);
  return out.length > 0 ? out : undefined;
}
