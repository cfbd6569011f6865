// The subscription filter as stored and as accepted by the API. Validated at every edge (API input,
// DB read, job payload) with the same schema, so a filter the matcher sees is always well formed.

import { CLAIM_KINDS, CLAIM_UNITS } from '@paperwire/contracts';
import { z } from 'zod';

const term = z.string().trim().min(1).max(200);
const terms = z.array(term).max(100);

export const claimConditionSchema = z
  .object({
    metric: z.string().trim().min(1).max(100).optional(),
    kind: z.enum(CLAIM_KINDS).optional(),
    unit: z.enum(CLAIM_UNITS).optional(),
    min: z.number().finite().optional(),
    max: z.number().finite().optional(),
  })
  .strict()
  .refine((c) => Object.values(c).some((v) => v !== undefined), {
    message: 'a claim condition needs at least one field',
  })
  .refine((c) => c.min === undefined || c.max === undefined || c.min <= c.max, {
    message: 'min must be <= max',
  });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/iu;
// new-style arXiv ids (2401.01234, optional version) and old-style ones (hep-th/9901001)
const ARXIV_ID = /^(?:\d{4}\.\d{4,5}|[a-z][a-z.-]*\/\d{7})(?:v\d+)?$/iu;

/** Is `ref` a catalogue paper id (uuid)? Otherwise an example paper is named by its arXiv id. */
export const isPaperUuid = (ref: string): boolean => UUID.test(ref);

const examplePaper = z
  .string()
  .trim()
  .refine((r) => UUID.test(r) || ARXIV_ID.test(r), {
    message: 'an example paper is a catalogue paper id (uuid) or an arXiv id (e.g. 2401.01234)',
  });

/** Papers like the examples: cosine of the papers' text vectors (libs/classification textVector) ≥ minSimilarity. */
export const examplesSchema = z
  .object({
    papers: z
      .array(examplePaper, { required_error: 'examples need papers: 1 to 20 example paper ids' })
      .min(1, 'examples need at least one example paper')
      .max(20, 'at most 20 example papers')
      .transform((ps) => [...new Set(ps.map((p) => (UUID.test(p) ? p.toLowerCase() : p)))]),
    minSimilarity: z.number().min(-1).max(1),
  })
  .strict();

export const subscriptionFilterSchema = z
  .object({
    topics: z
      .object({
        slugs: z.array(z.string().trim().toLowerCase().min(1).max(100)).min(1).max(100),
        match: z.enum(['any', 'all']).default('any'),
        minScore: z.number().min(0).max(1).optional(),
      })
      .strict()
      .optional(),
    keywords: terms.optional(),
    authors: terms.optional(),
    sources: terms.optional(),
    hasCode: z.boolean().optional(),
    claims: z.array(claimConditionSchema).max(20).optional(),
    examples: examplesSchema.optional(),
  })
  .strict();

export type SubscriptionFilter = z.infer<typeof subscriptionFilterSchema>;
/** What a client may send: `topics.match` defaults to 'any'. */
export type SubscriptionFilterInput = z.input<typeof subscriptionFilterSchema>;
export type ClaimCondition = z.infer<typeof claimConditionSchema>;
export type ExamplesCondition = z.infer<typeof examplesSchema>;

export class InvalidSubscriptionFilterError extends Error {
  constructor(readonly issues: string[]) {
    super(`invalid subscription filter: ${issues.join('; ')}`);
    this.name = 'InvalidSubscriptionFilterError';
  }
}

/** Parses and normalises a filter; throws InvalidSubscriptionFilterError with readable issues. */
export function parseSubscriptionFilter(input: unknown): SubscriptionFilter {
  const res = subscriptionFilterSchema.safeParse(input ?? {});
  if (!res.success) {
    throw new InvalidSubscriptionFilterError(
      res.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    );
  }
  return res.data;
}
