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
    examples: z
      .object({ minSimilarity: z.number().min(-1).max(1) })
      .strict()
      .optional(),
  })
  .strict();

export type SubscriptionFilter = z.infer<typeof subscriptionFilterSchema>;
/** What a client may send: `topics.match` defaults to 'any'. */
export type SubscriptionFilterInput = z.input<typeof subscriptionFilterSchema>;
export type ClaimCondition = z.infer<typeof claimConditionSchema>;

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
