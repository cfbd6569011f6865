// The subscription filter as stored and as accepted by the API. Validated at every edge (API input,
// DB read, job payload) with the same schema, so a filter the matcher sees is always well formed.

import { CLAIM_KINDS, CLAIM_UNITS, isUuid, parsePaperId } from '@paperwire/contracts';
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

/** Is `ref` a catalogue paper id (uuid)? Otherwise an example paper is named by its arXiv id, DOI or paper key. */
export const isPaperUuid = (ref: string): boolean => isUuid(ref);

// Any form the shared parser reads (libs/contracts parsePaperId): catalogue ids, arXiv ids with or without
// `arXiv:` and a version, arxiv.org and doi.org URLs, DOIs and paper keys. Kept as written (uuids lowercased)
// so a 400 names the example as the client wrote it; stored as catalogue paper ids once resolved.
const examplePaper = z
  .string()
  .trim()
  .refine((r) => parsePaperId(r) !== null, {
    message:
      'an example paper is a catalogue paper id (uuid) or an arXiv id, arXiv URL or DOI (e.g. 2401.01234, arXiv:2401.01234v2, https://arxiv.org/abs/2401.01234, 10.1145/3292500.3330701)',
  });

/** Papers like the examples: cosine of the papers' text vectors (libs/classification textVector) ≥ minSimilarity. */
export const examplesSchema = z
  .object({
    papers: z
      .array(examplePaper, { required_error: 'examples need papers: 1 to 20 example paper ids' })
      .min(1, 'examples need at least one example paper')
      .max(20, 'at most 20 example papers')
      .transform((ps) => [...new Set(ps.map((p) => (isUuid(p) ? p.toLowerCase() : p)))]),
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
