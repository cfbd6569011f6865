// Webhook payloads, schema v1. The zod schemas are the contract (WEBHOOKS.md documents them);
// builders pick fields explicitly so internal columns never leak into a public payload.

import { CLAIM_CATEGORIES, CLAIM_KINDS, CLAIM_UNITS, servedLinks, type Claim } from '@paperwire/contracts';
import { z } from 'zod';
import type { MatchablePaper } from './matchable-paper';

/** Date-named schema version, sent in every payload; additive changes keep it, breaking ones bump it. */
export const WEBHOOK_SCHEMA_VERSION = '2026-11-01';
export const WEBHOOK_EVENT_TYPES = ['paper.matched', 'digest.ready'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const webhookClaimSchema = z.object({
  text: z.string(),
  start: z.number().int(),
  end: z.number().int(),
  value: z.number(),
  low: z.number().nullable(),
  unit: z.enum(CLAIM_UNITS),
  unitText: z.string().nullable(),
  category: z.enum(CLAIM_CATEGORIES),
  kind: z.enum(CLAIM_KINDS),
  metric: z.string().nullable(),
  improvement: z.boolean().nullable(),
  baseline: z.object({ value: z.number(), text: z.string() }).nullable(),
  comparedTo: z.string().nullable(),
  dataset: z.string().nullable(),
  qualifier: z.string().nullable(),
});

/** The paper's page on a PaperWire instance: `{PUBLIC_URL}/papers/{arXiv id or uuid}`. */
export function paperPageUrl(appUrl: string, p: { id: string; arxivId?: string | null }): string {
  return `${appUrl.replace(/\/+$/, '')}/papers/${encodeURIComponent(p.arxivId ?? p.id)}`;
}

export const webhookPaperSchema = z.object({
  id: z.string(),
  /** the paper's page on PaperWire (null when the sender was given no public URL) */
  url: z.string().nullable(),
  arxivId: z.string().nullable(),
  title: z.string(),
  abstract: z.string(),
  authors: z.array(z.object({ name: z.string() })),
  links: z
    .object({
      abs: z.string().nullable(),
      pdf: z.string().nullable(),
      /** code repositories only: a Hugging Face model, dataset or Space listed as code is in `labelled`, by its kind */
      code: z.array(z.string()),
      project: z.array(z.string()),
      /** every code and project link by what it is, labelled as the pages and mails label it (servedLinks; added 2026-12-07) */
      labelled: z.array(
        z.object({
          kind: z.enum(['code', 'model', 'dataset', 'space', 'project']),
          label: z.string(),
          short: z.string(),
          url: z.string(),
          listedAs: z.enum(['code', 'project']),
        }),
      ),
    })
    .describe(
      'absolute http(s) addresses only, as the API gives them: a stored link that is anything else (javascript:, data:, relative) is left out (abs / pdf null)',
    ),
  primaryTopic: z.string().nullable(),
  topics: z.array(z.object({ slug: z.string(), score: z.number() })),
  contribution: z.string().nullable(),
  publishedAt: z.string().nullable(),
  claims: z.array(webhookClaimSchema),
  headlineClaim: webhookClaimSchema.extend({ summary: z.string().nullable() }).nullable(),
});

/** Every webhook event: its type, the schema version, when, and the subscription it is for, beside `data`. */
function webhookEvent<T extends string, D extends z.ZodRawShape>(type: T, data: D) {
  return z.object({
    type: z.literal(type),
    version: z.literal(WEBHOOK_SCHEMA_VERSION),
    timestamp: z.string().datetime(),
    data: z.object({ subscription: z.object({ id: z.string(), name: z.string() }), ...data }),
  });
}

const matchedSchema = z.object({ reasons: z.array(z.string()) });

export const paperWebhookPayloadSchema = webhookEvent('paper.matched', {
  paper: webhookPaperSchema,
  matched: matchedSchema,
});

export const digestWebhookPayloadSchema = webhookEvent('digest.ready', {
  digest: z.object({
    mode: z.enum(['daily', 'weekly']),
    periodKey: z
      .string()
      .describe(
        "the digest's key, one per digest of a subscription and the same on its page (/digests/{id}): the period's local date (`2026-11-24`, daily) or ISO week (`2026-W48`, weekly), or `on-demand:{ISO time}` for a digest the operator asked for out of schedule",
      ),
    period: z.object({ start: z.string().datetime(), end: z.string().datetime() }),
    /**
     * every paper of the period that matched (counted up to the notifier's scan cap of 5,000 papers a period);
     * `items` holds fewer when truncated (the subscription's limit, 50 by default, or 200 a body)
     */
    total: z.number().int().nonnegative(),
    truncated: z.boolean(),
    /**
     * the digest's own page, `/digests/{delivery id}?t={signed token}`, listing exactly the papers it left out (null
     * when none was); digests sent before 2026-12-07 linked a reader period page instead
     */
    url: z.string().nullable(),
  }),
  items: z.array(z.object({ paper: webhookPaperSchema, matched: matchedSchema })),
});

export type WebhookClaim = z.infer<typeof webhookClaimSchema>;
export type WebhookPaper = z.infer<typeof webhookPaperSchema>;
export type PaperWebhookPayload = z.infer<typeof paperWebhookPayloadSchema>;
export type DigestWebhookPayload = z.infer<typeof digestWebhookPayloadSchema>;

/** A paper as the notifier hands it to the payload builders. */
export type WebhookPaperInput = MatchablePaper & {
  /** the paper's headline claim with its one-line summary (formatClaim from @paperwire/metrics) */
  headlineClaim?: (Claim & { summary?: string | null }) | null;
};

export function toWebhookClaim(c: Claim): WebhookClaim {
  return {
    text: c.text,
    start: c.start,
    end: c.end,
    value: c.value,
    low: c.low,
    unit: c.unit,
    unitText: c.unitText ?? null,
    category: c.category,
    kind: c.kind,
    metric: c.metric,
    improvement: c.improvement ?? null,
    baseline: c.baseline ? { value: c.baseline.value, text: c.baseline.text } : null,
    comparedTo: c.comparedTo,
    dataset: c.dataset,
    qualifier: c.qualifier,
  };
}

export function toWebhookPaper(p: WebhookPaperInput, appUrl?: string | null): WebhookPaper {
  // Web addresses only (webLinks), as the API and the pages give them: receivers render these as links.
  const links = servedLinks({ ...p.links, code: [...(p.links?.code ?? []), ...p.codeLinks] });
  const h = p.headlineClaim;
  return {
    id: p.id,
    url: appUrl ? paperPageUrl(appUrl, p) : null,
    arxivId: p.arxivId ?? null,
    title: p.title,
    abstract: p.abstract,
    authors: p.authors.map((a) => ({ name: a.name })),
    links: { abs: links.abs ?? null, pdf: links.pdf ?? null, code: links.code, project: links.project, labelled: links.labelled },
    primaryTopic: p.primaryTopic ?? null,
    topics: [...p.topics]
      .sort((a, b) => b.score - a.score)
      .map((t) => ({ slug: t.slug, score: round(t.score) })),
    contribution: p.contribution ?? null,
    publishedAt: p.publishedAt ?? null,
    claims: p.claims.map(toWebhookClaim),
    headlineClaim: h ? { ...toWebhookClaim(h), summary: h.summary ?? null } : null,
  };
}

const round = (v: number) => Math.round(v * 1e4) / 1e4;

export interface PaperWebhookInput {
  subscription: { id: string; name: string };
  paper: WebhookPaperInput;
  reasons: string[];
  /** when the event happened (the match); stable across retries so the body (and its hash) is too */
  timestamp: Date;
  /** the public base URL (PUBLIC_URL): papers then carry `url`, their page */
  appUrl?: string | null;
}

/** The envelope `webhookEvent` describes, around `data`. */
function eventOf<T extends string, D extends object>(
  type: T,
  input: { subscription: { id: string; name: string }; timestamp: Date },
  data: D,
): {
  type: T;
  version: typeof WEBHOOK_SCHEMA_VERSION;
  timestamp: string;
  data: { subscription: { id: string; name: string } } & D;
} {
  return {
    type,
    version: WEBHOOK_SCHEMA_VERSION,
    timestamp: input.timestamp.toISOString(),
    data: { subscription: { id: input.subscription.id, name: input.subscription.name }, ...data },
  };
}

export function buildPaperWebhookPayload(input: PaperWebhookInput): PaperWebhookPayload {
  return eventOf('paper.matched', input, {
    paper: toWebhookPaper(input.paper, input.appUrl),
    matched: { reasons: [...input.reasons] },
  });
}

export const DIGEST_WEBHOOK_MAX_ITEMS = 200;

export interface DigestWebhookInput {
  subscription: { id: string; name: string };
  mode: 'daily' | 'weekly';
  periodKey: string;
  period: { start: Date; end: Date };
  items: { paper: WebhookPaperInput; reasons: string[] }[];
  /** every paper of the period that matched, when `items` is already a cut of them (default: items.length) */
  total?: number;
  timestamp: Date;
  /** where the digest can be read in the app, when there is such a page */
  url?: string | null;
  /** cap on items carried in the body (keeps requests small); `total` still counts all */
  maxItems?: number;
  /** the public base URL (PUBLIC_URL): papers then carry `url`, their page */
  appUrl?: string | null;
}

export function buildDigestWebhookPayload(input: DigestWebhookInput): DigestWebhookPayload {
  const max = input.maxItems ?? DIGEST_WEBHOOK_MAX_ITEMS;
  const items = input.items.slice(0, max);
  return eventOf('digest.ready', input, {
    digest: {
      mode: input.mode,
      periodKey: input.periodKey,
      period: { start: input.period.start.toISOString(), end: input.period.end.toISOString() },
      total: Math.max(input.total ?? 0, input.items.length),
      truncated: items.length < Math.max(input.total ?? 0, input.items.length),
      url: input.url ?? null,
    },
    items: items.map((i) => ({
      paper: toWebhookPaper(i.paper, input.appUrl),
      matched: { reasons: [...i.reasons] },
    })),
  });
}
