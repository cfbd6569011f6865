import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { JOB_QUEUE, SUBSCRIPTION_BACKFILL, backfillStart, errorClass, uniqueVariant } from '@paperwire/contracts';
import {
  ENDPOINT_GONE_REASON,
  KEY_REVOKED_REASON,
  confirmPendingSubscription,
  countBackfillPapers,
  deleteSubscription,
  deliveryLogPage,
  DELIVERY_STATUSES,
  deliveryStatus,
  findSubscription,
  insertSubscription,
  insertSubscriptionWithin,
  isUuid,
  listAllSubscriptions,
  listSubscriptionsOfOwner,
  reopenDeliveriesMissedWhileGone,
  resetFailedDelivery,
  resolvePaperRefs,
  retirePreviousWebhookSecrets,
  sameEmailSubscription,
  rotateWebhookSecret,
  setSubscriptionStatusLocked,
  unknownTopicSlugs,
  allTopicSlugs,
  unsubscribeSubscription,
  updateSubscriptionLocked,
  type AdminSubscriptionRow,
  type ConfirmedSubscription,
  type DeliveryLogRow,
  type SubscriptionViewRow,
  type SubscriptionScope,
  type SubscriptionSecretsRow,
  type SubscriptionSettings,
  type UpdatedSubscriptionRow,
} from '@paperwire/db';
import { SsrfError, assertPublicUrl } from '@paperwire/http';
import {
  defaultSubscriptionName,
  modeName,
  generateWebhookSecret,
  isValidTimeZone,
  parseEmailTarget,
  subscriptionFilterSchema,
  tokenMailedTo,
  type SubscriptionFilter,
} from '@paperwire/notifications';
import type { QueueSet } from '@paperwire/queue';
import { queueConfirmation, type ConfirmationBudget } from './confirmation';
import { ActionError } from './errors';
import { closestTopics, metricProblem, sourceProblem } from './filter-values';
import { orList } from './hints';
import type { Db } from '@paperwire/db';
import { invalidField, limitSchema, queryEnum, refuseField, validate } from './validate';

const DAY_MS = 86_400_000;

/**
 * The most subscriptions one API key holds (admin keys and the operator's CLI are not limited): each is
 * matched against every new paper.
 */
export const MAX_SUBSCRIPTIONS_PER_KEY = 1000;

export const scheduleSchema = z
  .object({
    hour: z.number().int().min(0).max(23),
    minute: z.number().int().min(0).max(59).default(0),
    timeZone: z.string().min(1).max(64).refine(isValidTimeZone, 'unknown IANA time zone').default('UTC'),
    weekday: z.number().int().min(0).max(6).optional(),
    limit: z.number().int().min(1).max(100).optional(),
  })
  .strict();

export const SUBSCRIPTION_MODES = ['instant', 'daily', 'weekly'] as const;
export const SUBSCRIPTION_STATUSES = ['active', 'paused', 'disabled', 'pending_confirmation'] as const;

// The notifier's own filter schema, so both doors accept exactly what the matcher understands.
export const createSubscriptionSchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    channel: z.enum(['webhook', 'email']),
    // not trimmed here: a trailing CR/LF must reach the email check (which trims spaces itself)
    target: z.string().min(3).max(2000),
    filters: subscriptionFilterSchema.default({}),
    mode: z.enum(SUBSCRIPTION_MODES).default('instant'),
    schedule: scheduleSchema.optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.channel === 'email') {
      const email = parseEmailTarget(v.target);
      if (!email.ok) ctx.addIssue({ code: 'custom', path: ['target'], message: `email subscriptions need one email address (email target): ${email.error}` });
    }
    if (v.mode !== 'instant' && !v.schedule) ctx.addIssue({ code: 'custom', path: ['schedule'], message: `mode ${v.mode} needs a schedule` });
    if (v.mode === 'weekly' && v.schedule && v.schedule.weekday === undefined)
      ctx.addIssue({ code: 'custom', path: ['schedule', 'weekday'], message: 'weekly digests need a weekday (0 = Sunday)' });
    const misfit = scheduleMisfit(v.mode, v.schedule);
    if (misfit) ctx.addIssue({ code: 'custom', path: misfit.path, message: misfit.message });
  });

/**
 * A schedule (or part of one) the mode never reads, or null: an instant subscription sends each paper as it matches
 * (no schedule), a daily digest goes every day (no weekday). Refused rather than stored, so what is stored is what runs.
 */
export function scheduleMisfit(mode: string, schedule: { weekday?: unknown } | null | undefined): { path: string[]; message: string } | null {
  if (mode === 'instant' && schedule)
    return { path: ['schedule'], message: 'schedule is only for daily and weekly digests: an instant subscription sends each paper as it matches (leave schedule out, or set mode daily or weekly)' };
  if (mode === 'daily' && schedule && schedule.weekday !== undefined)
    return { path: ['schedule', 'weekday'], message: 'schedule.weekday is only for weekly digests: a daily digest goes every day (leave weekday out, or set mode weekly)' };
  return null;
}

/** The schedule kept when a PATCH changes the mode alone: none for instant, no weekday for daily (what the new mode reads). */
function scheduleForMode(mode: string, schedule: Record<string, unknown> | null): Record<string, unknown> | null {
  if (mode === 'instant' || !schedule) return null;
  if (mode !== 'daily') return schedule;
  const { weekday: _weekday, ...daily } = schedule;
  return daily;
}

export const updateSubscriptionSchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    target: z.string().min(3).max(2000).optional(),
    filters: subscriptionFilterSchema.optional(),
    mode: z.enum(SUBSCRIPTION_MODES).optional(),
    schedule: scheduleSchema.nullable().optional(),
    status: z.enum(['active', 'paused']).optional(),
    backfill: z.boolean().default(true),
  })
  .strict();

export type SubscriptionInput = z.input<typeof createSubscriptionSchema>;

/** A subscription as the API returns it to its owner. */
export interface Subscription extends SubscriptionSettings {
  id: string;
  statusReason: string | null;
  /** failed attempts since the last delivered message */
  consecutiveFailures: number;
  /** messages that failed for good since the last delivered one: 20 (WEBHOOK_MAX_FAILED_MESSAGES) pause a webhook */
  failedMessages: number;
  pausedAt: string | null;
  createdAt: string;
  updatedAt: string;
  /** webhook signing secrets that sign every message now: 2 during a rotation, 1 otherwise (0: email) */
  activeSecrets: number;
  /** when a rotation's previous secret stops signing (ISO 8601); null when none signs */
  previousSecretExpiresAt: string | null;
}

export interface CreatedSubscription extends Subscription {
  /** webhook signing secret (Standard Webhooks whsec_…), shown only once */
  secret?: string;
}

export interface SubscriptionBackfill {
  jobId: string;
  since: string;
  papersToCheck: number;
}

export interface UpdatedSubscription extends Subscription {
  backfill?: SubscriptionBackfill;
}

/** A subscription as an operator sees it (admin API, CLI): with the key that made it. */
export interface AdminSubscription {
  id: string;
  ownerKeyId: string | null;
  ownerRevoked: boolean;
  name: string;
  channel: string;
  target: string;
  mode: string;
  status: string;
  statusReason: string | null;
  createdAt: string;
}

export function toSubscription(r: SubscriptionViewRow): Subscription {
  return {
    id: r.id,
    name: r.name,
    channel: r.channel,
    target: r.target,
    filters: r.filters,
    mode: r.mode,
    schedule: r.schedule,
    status: r.status,
    statusReason: r.status_reason,
    consecutiveFailures: r.consecutive_failures,
    failedMessages: r.failed_messages,
    pausedAt: r.paused_at ? new Date(r.paused_at).toISOString() : null,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
    ...secretState(r),
  };
}

/** What a subscription's secrets look like from outside: how many sign, and until when the previous one does. */
function secretState(r: Pick<SubscriptionViewRow, 'active_secrets' | 'previous_secret_expires_at'>): Pick<Subscription, 'activeSecrets' | 'previousSecretExpiresAt'> {
  return {
    activeSecrets: r.active_secrets,
    previousSecretExpiresAt: r.previous_secret_expires_at ? new Date(r.previous_secret_expires_at).toISOString() : null,
  };
}

export function toAdminSubscription(r: AdminSubscriptionRow): AdminSubscription {
  return {
    id: r.id,
    ownerKeyId: r.owner_key_id,
    ownerRevoked: r.owner_revoked,
    name: r.name,
    channel: r.channel,
    target: r.target,
    mode: r.mode,
    status: r.status,
    statusReason: r.status_reason,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

/**
 * Who acts: an API key (its id and scopes), or the operator on the host (the CLI). A key reaches its
 * own subscriptions; an admin key and the operator reach every one, whoever made it (the CLI makes
 * subscriptions without an owner key).
 */
export type SubscriptionCaller = { keyId: string; scopes: readonly string[] } | 'operator';

export function subscriptionScope(caller: SubscriptionCaller): SubscriptionScope {
  return caller === 'operator' || caller.scopes.includes('admin') ? 'any' : { ownerKeyId: caller.keyId };
}

const ownerOf = (caller: SubscriptionCaller): string | null => (caller === 'operator' ? null : caller.keyId);

/** What subscription actions reach beyond the database. */
export interface SubscriptionDeps {
  queues: QueueSet;
  confirmations: ConfirmationBudget;
  /** accept webhooks on private, loopback and link-local addresses (WEBHOOK_ALLOW_PRIVATE, or the CLI's --allow-private) */
  allowPrivateWebhooks: boolean;
  /**
   * Appended to the refusal of a private webhook target: the way round, for an operator (the CLI). The API
   * names none: a tenant is told that targets must be public addresses, never the operator's settings.
   */
  privateTargetHint?: string;
}

// What the URL parser drops wherever it stands (WHATWG URL: ASCII tab and newlines).
const DROPPED_BY_PARSER = /[\t\n\r]/;

/**
 * Tabs, CR and LF inside a URL are dropped by the parser without a word: `https://exa<TAB>mple.com` is
 * example.com, and `https://bank.example<LF>.evil.net` is a host the text does not show. Refused when dropping
 * them changes the scheme, host or port (the URL would not parse with them kept); elsewhere they are dropped.
 */
function hidesOrigin(raw: string, url: URL): boolean {
  if (!DROPPED_BY_PARSER.test(raw)) return false;
  try {
    // A space in their place: never dropped, and refused in a scheme, host or port.
    const kept = new URL(raw.replace(/[\t\n\r]/g, ' '));
    return kept.protocol !== url.protocol || kept.host !== url.host;
  } catch {
    return true;
  }
}

/**
 * The webhook target as stored, or why it is refused: http(s), no credentials, no tab, CR or LF that would
 * silently change the scheme or host, and (unless allowed) no private, loopback or link-local address (SSRF).
 * Stored normalised (`URL#href`: lower-case host, default port and dot segments gone, dropped characters
 * gone, the rest percent-encoded), so what is shown and compared is what the notifier calls. The notifier
 * re-checks at delivery time, since DNS can change in between.
 */
export async function normalisedWebhookTarget(
  raw: string,
  allowPrivate: boolean,
): Promise<{ href: string } | { error: string; privateAddress?: boolean }> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { error: 'not a valid URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { error: 'webhook URLs must be http or https' };
  if (url.username || url.password) return { error: 'webhook URLs must not carry credentials' };
  if (hidesOrigin(raw, url)) return { error: 'control characters (tab, CR, LF) in the scheme or host of the URL' };
  try {
    await assertPublicUrl(url.href, { allowPrivate });
    return { href: url.href };
  } catch (err) {
    // Not which address it resolved to: with split-horizon DNS that is the operator's network, not the caller's.
    if (err instanceof SsrfError && err.privateAddress) return { error: `${url.origin} resolves to a non-public address`, privateAddress: true };
    return { error: err instanceof Error ? err.message : 'target refused' };
  }
}

/** What a private webhook target's refusal says, to anyone: the receiver must be reachable on a public address. */
const PUBLIC_TARGETS_ONLY = 'webhook targets must be public addresses';

/** An error message, or null when the URL is an acceptable webhook target (normalisedWebhookTarget). */
export async function checkWebhookTarget(raw: string, allowPrivate: boolean): Promise<string | null> {
  const res = await normalisedWebhookTarget(raw, allowPrivate);
  return 'error' in res ? res.error : null;
}

/** The target as stored: one normalised email address, or a normalised webhook URL that passed the SSRF check. */
async function checkedTarget(channel: string, raw: string, deps: Pick<SubscriptionDeps, 'allowPrivateWebhooks' | 'privateTargetHint'>): Promise<string> {
  if (channel === 'email') {
    const email = parseEmailTarget(raw);
    if (!email.ok) throw refuseField('/target', `email subscriptions need one email address (email target): ${email.error}`);
    return email.address;
  }
  const res = await normalisedWebhookTarget(raw.trim(), deps.allowPrivateWebhooks);
  // The way round is named only for what it would let through: a private address, not a name that does not
  // resolve or a scheme that is not http(s).
  if ('error' in res)
    throw invalidField(
      'webhook target refused',
      '/target',
      res.privateAddress ? `${res.error}: ${PUBLIC_TARGETS_ONLY}${deps.privateTargetHint ? ` (${deps.privateTargetHint})` : ''}` : res.error,
    );
  return res.href;
}

/** The delay before a confirmation mail to `target` may go; too-many when the address had its share today. */
async function confirmationDelay(budget: ConfirmationBudget, target: string): Promise<number> {
  const delay = await budget.reserve(target, DAY_MS);
  if (delay === null) throw new ActionError('too-many', 'this address received its share of confirmation mails today; try again tomorrow', undefined, 3600);
  return delay;
}

const notFound = () => new ActionError('not-found', 'no such subscription');

async function load(db: Db, scope: SubscriptionScope, id: string): Promise<SubscriptionViewRow> {
  const row = isUuid(id) ? await findSubscription(db, id, scope) : null;
  if (!row) throw notFound();
  return row;
}

/** A page of a list in its one order: `nextKey` (the last item's keyset) when more follow, else null. */
export interface SubscriptionPage<T> {
  items: T[];
  nextKey: [string, string] | null;
}

/** Where a page starts: after the (created_at text, id) of the previous page's last item (its nextKey). */
export const subscriptionPageKeySchema = z.tuple([z.string().min(1).max(64), z.string().uuid()]).readonly();

/** A page from `limit + 1` rows: the extra row only says that more follow. */
function pageOf<R extends { id: string; page_at: string }, T>(rows: R[], limit: number, map: (r: R) => T): SubscriptionPage<T> {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { items: page.map(map), nextKey: rows.length > limit && last ? [last.page_at, last.id] : null };
}

export const ownSubscriptionsQuerySchema = z.object({ limit: limitSchema, after: subscriptionPageKeySchema.optional() });

/** A key's own subscriptions, a page at a time (oldest first: created_at, id). */
export async function listOwnSubscriptions(
  db: Db,
  keyId: string,
  query: z.input<typeof ownSubscriptionsQuerySchema> = {},
): Promise<SubscriptionPage<Subscription>> {
  const q = validate(ownSubscriptionsQuerySchema, query, 'query');
  return pageOf(await listSubscriptionsOfOwner(db, keyId, q), q.limit, toSubscription);
}

export const adminSubscriptionsQuerySchema = z.object({
  ownerKeyId: z.string().uuid().optional(),
  status: queryEnum(SUBSCRIPTION_STATUSES).optional(),
  reason: z.string().max(200).optional(),
  limit: limitSchema,
  after: subscriptionPageKeySchema.optional(),
});

/** Every subscription, whoever made it (admin keys, the operator), a page at a time as above. */
export async function listEverySubscription(db: Db, query: z.input<typeof adminSubscriptionsQuerySchema>): Promise<SubscriptionPage<AdminSubscription>> {
  const q = validate(adminSubscriptionsQuerySchema, query, 'query');
  return pageOf(await listAllSubscriptions(db, q), q.limit, toAdminSubscription);
}

export async function getSubscription(db: Db, caller: SubscriptionCaller, id: string): Promise<Subscription> {
  return toSubscription(await load(db, subscriptionScope(caller), id));
}

/**
 * The filter as stored: its topics checked against the taxonomy as it is now (default and user-added topics
 * that are enabled; a slug naming none would never match, so it is refused: 400 naming it), its example papers
 * (any form parsePaperId reads: uuids, arXiv ids and URLs, DOIs, paper keys) resolved to catalogue paper ids.
 * Any example that names no paper in the catalogue is refused (400, naming them as written): an example the
 * notifier cannot read would match nothing.
 */
export async function resolveFilter(db: Db, filters: SubscriptionFilter): Promise<SubscriptionFilter> {
  const slugs = filters.topics ? [...new Set(filters.topics.slugs)] : [];
  const unknownTopics = await unknownTopicSlugs(db, slugs);
  if (unknownTopics.length > 0) {
    // a subscription follows enabled topics only (a disabled one gets no new papers): the closest of those
    const enabled = (await allTopicSlugs(db)).filter((t) => t.enabled);
    const meant = unknownTopics.flatMap((slug) => {
      const closest = closestTopics(slug, enabled);
      // (which unknown slug a suggestion is for, only when there are several)
      return closest.length > 0 ? [unknownTopics.length > 1 ? `${orList(closest)} for ${slug}` : orList(closest)] : [];
    });
    const message = `no such topic: ${unknownTopics.join(', ')}${meant.length > 0 ? ` (did you mean ${meant.join('; ')}?)` : ''}`;
    throw invalidField(message, '/filters/topics/slugs', `${message} (the topics are listed at /v1/topics and by \`paperwire topics\`)`);
  }
  // A claim metric or a source the query filters would refuse (it can match nothing) is refused here too, with
  // the same hints: a subscription that can never match would wait in silence.
  for (const [i, c] of (filters.claims ?? []).entries()) {
    const refused = c.metric ? await metricProblem(db, c.metric) : null;
    if (refused) throw invalidField(refused, `/filters/claims/${i}/metric`, refused);
  }
  for (const [i, source] of (filters.sources ?? []).entries()) {
    const refused = await sourceProblem(db, source);
    if (refused) throw invalidField(refused, `/filters/sources/${i}`, refused);
  }
  if (!filters.examples) return filters;
  const refs = filters.examples.papers;
  const ids = await resolvePaperRefs(db, refs);
  const unknown = refs.filter((r) => !ids.has(r));
  if (unknown.length > 0)
    // one sentence, the message and the field's detail alike: nothing said twice where both are shown (the CLI)
    throw refuseField('/filters/examples/papers', `not in the catalogue: ${unknown.join(', ')} (name papers by their catalogue id, arXiv id or DOI)`);
  return { ...filters, examples: { ...filters.examples, papers: [...new Set(refs.map((r) => ids.get(r)!))] } };
}

/**
 * Creates a subscription. Webhooks get a signing secret (returned once); email starts
 * pending_confirmation and gets its confirmation mail (double opt-in), within the recipient's budget.
 */
export async function createSubscription(
  db: Db,
  deps: SubscriptionDeps,
  caller: SubscriptionCaller,
  input: unknown,
): Promise<{ subscription: CreatedSubscription; confirmationJob?: string }> {
  const v = validate(createSubscriptionSchema, input);
  const filters = await resolveFilter(db, v.filters);
  const target = await checkedTarget(v.channel, v.target, deps);
  // The same address with the same filters and schedule twice would get every message twice: the caller owns the
  // first one (its key or, for the operator, none), so naming it reveals nothing.
  const twin =
    v.channel === 'email' ? await sameEmailSubscription(db, { ownerKeyId: ownerOf(caller), target, filters, mode: v.mode, schedule: v.schedule ?? null }) : null;
  if (twin)
    throw new ActionError(
      'conflict',
      `subscription ${twin.id} (${twin.status === 'pending_confirmation' ? 'waiting for its confirmation' : twin.status}) already sends the same filters and schedule to ${target}: change that one (PATCH) rather than add a second`,
    );
  const confirmDelay = v.channel === 'email' ? await confirmationDelay(deps.confirmations, target) : 0;
  const secret = v.channel === 'webhook' ? generateWebhookSecret() : undefined;
  const values = {
    name: v.name ?? defaultSubscriptionName(v.channel, v.mode, target),
    channel: v.channel,
    target,
    secrets: secret ? [secret] : [],
    filters,
    mode: v.mode,
    schedule: v.schedule ?? null,
    status: v.channel === 'email' ? 'pending_confirmation' : 'active',
  };
  const limited = caller !== 'operator' && subscriptionScope(caller) !== 'any';
  const row = limited
    ? await insertSubscriptionWithin(db, { ...values, ownerKeyId: caller.keyId }, MAX_SUBSCRIPTIONS_PER_KEY)
    : await insertSubscription(db, { ...values, ownerKeyId: ownerOf(caller) });
  if (!row)
    throw new ActionError('conflict', `this API key has ${MAX_SUBSCRIPTIONS_PER_KEY} subscriptions, the most a key may hold: delete one first`);
  // Double opt-in: nothing but the confirmation mail goes to an address before it is confirmed.
  const confirmationJob = v.channel === 'email' ? await queueConfirmation(db, deps.queues, row.id, { resend: false, delayMs: confirmDelay }) : undefined;
  return { subscription: { ...toSubscription(row), ...(secret ? { secret } : {}) }, ...(confirmationJob ? { confirmationJob } : {}) };
}

/**
 * Queues the backfill of a resumed instant subscription and counts the papers it will check or send so far (more
 * may be notified before it runs): those notified since, and those of its deliveries waiting to be sent again (a
 * 410 re-enable's reopened ones among them). Digests need none: their next digest covers its period.
 */
async function queueBackfill(db: Db, queues: QueueSet, id: string, pausedAt: Date): Promise<SubscriptionBackfill> {
  const jobId = await queues.enqueue('backfill-subscription', { subscriptionId: id, since: pausedAt.toISOString() });
  const since = backfillStart(pausedAt, new Date());
  return { jobId, since: since.toISOString(), papersToCheck: await countBackfillPapers(db, id, pausedAt, since, SUBSCRIPTION_BACKFILL.maxPapers) };
}

/**
 * The backfill a status change calls for: only an instant subscription that became active from paused (since its
 * pause) or from disabled by a 410 (since it was disabled: the only disabled one that can be re-enabled), read under
 * the row lock. A re-enabled one's deliveries the 410 failed or skipped go back to pending first, within the same
 * window and cap, so the backfill job sends them with the papers that matched meanwhile.
 */
async function backfillAfter(db: Db, queues: QueueSet, row: UpdatedSubscriptionRow, wanted: boolean): Promise<SubscriptionBackfill | undefined> {
  if (!wanted || row.status !== 'active' || row.mode !== 'instant') return undefined;
  if (row.prev_status === 'paused' && row.prev_paused_at) return queueBackfill(db, queues, row.id, new Date(row.prev_paused_at));
  if (row.prev_status !== 'disabled' || !row.prev_disabled_at) return undefined;
  const disabledAt = new Date(row.prev_disabled_at);
  await reopenDeliveriesMissedWhileGone(db, row.id, backfillStart(disabledAt, new Date()), SUBSCRIPTION_BACKFILL.maxPapers);
  return queueBackfill(db, queues, row.id, disabledAt);
}

/**
 * Updates filters, mode, schedule or target; pauses or resumes with `status` (resuming an instant
 * subscription backfills what it missed unless `backfill` is false). A changed email address goes
 * back to pending_confirmation and gets a confirmation mail.
 */
export async function updateSubscription(db: Db, deps: SubscriptionDeps, caller: SubscriptionCaller, id: string, input: unknown): Promise<UpdatedSubscription> {
  const scope = subscriptionScope(caller);
  const current = await load(db, scope, id);
  const patch = validate(updateSubscriptionSchema, input);
  const filters = patch.filters && (await resolveFilter(db, patch.filters));
  const target = patch.target === undefined ? undefined : await checkedTarget(current.channel, patch.target, deps);
  // A new email address is confirmed before anything but the confirmation mail goes to it.
  const reconfirm = current.channel === 'email' && target !== undefined && target.toLowerCase() !== current.target.toLowerCase();
  if (reconfirm && patch.status) throw refuseField('/status', 'a changed email address must be confirmed first; change status afterwards');
  const mode = patch.mode ?? current.mode;
  // a schedule sent is checked as sent; the one kept when only the mode changes loses what the new mode does not read
  const schedule = patch.schedule === undefined ? (patch.mode ? scheduleForMode(mode, current.schedule) : current.schedule) : patch.schedule;
  if (mode !== 'instant' && !schedule) throw refuseField('/schedule', `mode ${mode} needs a schedule`);
  if (mode === 'weekly' && schedule && schedule.weekday === undefined) throw refuseField('/schedule/weekday', 'weekly digests need a weekday (0 = Sunday)');
  // (a row stored before the check keeps its schedule until one is sent)
  const misfit = patch.schedule === undefined ? null : scheduleMisfit(mode, schedule);
  if (misfit) throw refuseField(`/${misfit.path.join('/')}`, misfit.message);
  const confirmDelay = reconfirm ? await confirmationDelay(deps.confirmations, target) : 0;
  if (patch.status && patch.status !== current.status && !mayTakeStatus(current, patch.status))
    throw invalidField(statusRefusal(current, patch.status), '/status', statusRefusalHint(current));
  const row = await updateSubscriptionLocked(db, id, scope, {
    // a name that only said what it sent ("Daily digest", the default) follows a new mode ("Weekly digest")
    name: patch.name ?? (current.channel === 'email' && current.name === modeName(current.mode) ? modeName(mode) : current.name),
    target: target ?? current.target,
    filters: filters ?? current.filters,
    mode,
    schedule,
    status: reconfirm ? 'pending_confirmation' : (patch.status ?? current.status),
    reconfirmReason: reconfirm ? 'email address changed: waiting for its confirmation' : null,
  });
  if (!row) throw notFound();
  if (reconfirm) await queueConfirmation(db, deps.queues, row.id, { resend: true, delayMs: confirmDelay });
  const backfill = await backfillAfter(db, deps.queues, row, patch.backfill);
  return { ...toSubscription(row), ...(backfill ? { backfill } : {}) };
}

/**
 * Whether a subscription may be given `status` by its owner or the operator: an active or paused one is paused or
 * resumed; one disabled by a 410 is re-enabled (resumed) explicitly, its owner having fixed the endpoint. An
 * unconfirmed address, an unsubscribed recipient or a revoked key's subscription is never started this way.
 */
export function mayTakeStatus(current: { status: string; status_reason: string | null }, status: 'active' | 'paused'): boolean {
  if (current.status === 'active' || current.status === 'paused') return true;
  return status === 'active' && current.status === 'disabled' && current.status_reason === ENDPOINT_GONE_REASON;
}

const statusRefusal = (current: { status: string }, status: 'active' | 'paused') =>
  `a ${current.status === 'pending_confirmation' ? 'unconfirmed' : current.status} subscription cannot be ${status === 'active' ? 'resumed' : 'paused'}`;

/** What the caller can do instead (the reason the subscription is disabled decides). */
function statusRefusalHint(current: { status: string; status_reason: string | null }): string {
  const reason = current.status_reason;
  if (current.status === 'pending_confirmation') return 'confirm the email address first';
  if (reason === ENDPOINT_GONE_REASON)
    return 'it was disabled because its endpoint answered 410 Gone; once the endpoint is fixed, resume it (status active) to enable it again';
  if (reason === 'unsubscribed') return 'its recipient unsubscribed; only a new subscription (confirmed again) sends to that address';
  if (reason === KEY_REVOKED_REASON) return "its owner's API key was revoked before the address was confirmed; create it again with a live key";
  return `it is ${current.status}${reason ? ` (${reason})` : ''}`;
}

/**
 * Pauses or resumes any active or paused subscription, or re-enables one disabled by a 410, in one conditional,
 * row-locked statement (an unconfirmed or otherwise disabled one is never started this way: conflict). Resuming (or
 * re-enabling) an instant subscription backfills what it missed when `backfill` is set, queued once per pause.
 */
export async function setSubscriptionStatus(
  db: Db,
  queues: QueueSet,
  caller: SubscriptionCaller,
  id: string,
  status: 'active' | 'paused',
  opts: { backfill: boolean },
): Promise<AdminSubscription & { backfill?: SubscriptionBackfill }> {
  const scope = subscriptionScope(caller);
  if (!isUuid(id)) throw notFound();
  const row = await setSubscriptionStatusLocked(db, id, scope, status);
  if (!row) {
    const existing = await findSubscription(db, id, scope);
    if (!existing) throw notFound();
    throw new ActionError('conflict', `${statusRefusal(existing, status)}: ${statusRefusalHint(existing)}`);
  }
  const backfill = await backfillAfter(db, queues, row, opts.backfill);
  const view = await findSubscription(db, id, scope);
  if (!view) throw notFound();
  return { ...toAdminSubscription(view), ...(backfill ? { backfill } : {}) };
}

/** How long a rotation's previous secret keeps signing, unless retired earlier: 24 h by default, a week at most. */
export const SECRET_GRACE_HOURS = { default: 24, max: 168 } as const;

export const rotateSecretSchema = z
  .object({
    graceHours: z.number().int().min(1).max(SECRET_GRACE_HOURS.max).default(SECRET_GRACE_HOURS.default),
  })
  .strict();

/** A webhook subscription's signing secrets after a rotation or a retirement (never the previous secret itself). */
export interface SubscriptionSecrets extends Pick<Subscription, 'id' | 'activeSecrets' | 'previousSecretExpiresAt'> {
  /** previous secrets this call dropped (a rotation keeps one previous secret: a second one drops the oldest) */
  retired: number;
}

export interface RotatedSubscriptionSecret extends SubscriptionSecrets {
  /** the new signing secret (Standard Webhooks whsec_…), shown only once */
  secret: string;
}

function toSubscriptionSecrets(row: SubscriptionSecretsRow): SubscriptionSecrets {
  return { id: row.id, ...secretState(row), retired: row.dropped };
}

/** Not-found, or conflict for a subscription that has no signing secret (email). */
async function secretsRefused(db: Db, scope: SubscriptionScope, id: string): Promise<ActionError> {
  const sub = isUuid(id) ? await findSubscription(db, id, scope) : null;
  if (!sub) return notFound();
  return new ActionError('conflict', `subscription ${id} is on the ${sub.channel} channel: only webhook subscriptions have signing secrets`);
}

/**
 * Starts a secret rotation (Standard Webhooks): a new secret, made as at creation, signs every message beside
 * the current one, which keeps signing for `graceHours` (24 by default) or until `retirePreviousSecret`. The
 * new secret is returned once; a second rotation drops the oldest secret, so at most two sign.
 */
export async function rotateSubscriptionSecret(db: Db, caller: SubscriptionCaller, id: string, input: unknown = {}): Promise<RotatedSubscriptionSecret> {
  const { graceHours } = validate(rotateSecretSchema, input ?? {});
  const scope = subscriptionScope(caller);
  const secret = generateWebhookSecret();
  const row = isUuid(id) ? await rotateWebhookSecret(db, id, scope, secret, graceHours) : null;
  if (!row) throw await secretsRefused(db, scope, id);
  return { ...toSubscriptionSecrets(row), secret };
}

/** Ends a rotation now: only the newest secret signs from here on. A repeat changes nothing (retired 0). */
export async function retirePreviousSecret(db: Db, caller: SubscriptionCaller, id: string): Promise<SubscriptionSecrets> {
  const scope = subscriptionScope(caller);
  const row = isUuid(id) ? await retirePreviousWebhookSecrets(db, id, scope) : null;
  if (!row) throw await secretsRefused(db, scope, id);
  return toSubscriptionSecrets(row);
}

export async function removeSubscription(db: Db, caller: SubscriptionCaller, id: string): Promise<void> {
  if (!isUuid(id) || !(await deleteSubscription(db, id, subscriptionScope(caller)))) throw notFound();
}

/** What `sendDigestNow` reports: the job, the subscription's status, and (waited for) what the digest came to. */
export interface DigestNow {
  id: string;
  jobId: string;
  /** the subscription's status when the digest was asked for (not the digest's outcome) */
  subscriptionStatus: string;
  /**
   * what the digest came to: delivered, skipped (with `reason`), failed (retries used up or a send no retry can help);
   * `retrying` as soon as a failed send waits to be retried (`reason`: the failure, `nextAttemptAt`: when); `queued`
   * when not waited for or not run yet
   */
  result: string;
  /** why nothing was sent (skipped), or why it failed, as the notifier recorded it */
  reason?: string;
  /** papers the digest carried (delivered) */
  papers?: number;
  /** retrying: when the retry runs (ISO) */
  nextAttemptAt?: string;
}

/**
 * Sends a digest now (operators, tests): covers the subscription's current period up to this moment,
 * leaving out papers an earlier digest already carried. Every call is its own job; a subscription that
 * is not active gets the job too (the notifier records it as skipped, with why). With `waitMs` the job is
 * followed until it finishes (or the time is up: `result: queued`).
 */
export async function sendDigestNow(
  db: Db,
  queues: QueueSet,
  caller: SubscriptionCaller,
  id: string,
  opts: { waitMs?: number; now?: number } = {},
): Promise<DigestNow> {
  const sub = await load(db, subscriptionScope(caller), id);
  if (sub.mode === 'instant') throw new ActionError('invalid', `subscription ${id} is instant: it has no digest`);
  const jobId = await queues.enqueue('send-digest', { subscriptionId: id }, { variant: uniqueVariant('now', opts.now ?? Date.now()) });
  const asked = { id, jobId, subscriptionStatus: sub.status };
  const waitMs = Number.isFinite(opts.waitMs) ? Math.max(0, opts.waitMs!) : 0;
  // A send that failed and waits for its retry ends the wait at once (`retrying`, why, and when the retry runs):
  // the retry comes later than any wait worth making.
  const outcome = await queues.waitForJob(JOB_QUEUE['send-digest'], jobId, waitMs, { untilRetry: true });
  if (outcome?.state === 'failed') return { ...asked, result: 'failed', reason: outcome.reason };
  if (outcome?.state === 'retrying')
    return {
      ...asked,
      result: 'retrying',
      reason: outcome.reason,
      ...(outcome.nextAttemptAt !== null ? { nextAttemptAt: new Date(outcome.nextAttemptAt).toISOString() } : {}),
    };
  if (outcome?.state === 'completed') {
    const r = outcome.returnvalue as { result?: unknown; reason?: unknown; papers?: unknown } | string | null;
    // a notifier from before the outcome object answers the bare result
    if (typeof r === 'string') return { ...asked, result: r };
    return {
      ...asked,
      result: typeof r?.result === 'string' ? r.result : 'completed',
      ...(typeof r?.reason === 'string' ? { reason: r.reason } : {}),
      ...(typeof r?.papers === 'number' ? { papers: r.papers } : {}),
    };
  }
  // not finished in time: waiting to be retried after a failed send (say so, and why), else not run yet
  const job = await queues.get(JOB_QUEUE['send-digest']).getJob(jobId);
  if (job && job.attemptsMade > 0 && job.failedReason) return { ...asked, result: 'retrying', reason: job.failedReason };
  return { ...asked, result: 'queued' };
}

// The links in notification emails: a signed, purpose-bound token is the credential, so these take
// the subscription id its claims carry (the API's unsubscribe controller checks the token).

/** What a confirmation or unsubscribe page shows of a subscription; null when it is gone. */
export async function linkedSubscription(db: Db, id: string, opts: { emailOnly?: boolean } = {}): Promise<Pick<Subscription, 'name' | 'status' | 'target'> | null> {
  const row = isUuid(id) ? await findSubscription(db, id, 'any') : null;
  if (!row || (opts.emailOnly && row.channel !== 'email')) return null;
  return { name: row.name, status: row.status, target: row.target };
}

/**
 * Double opt-in: activates a pending email subscription when the token was issued for its current
 * address (`tokenTarget`, a target hash; the address changes on PATCH). 'other-address' when it was
 * for an earlier one; null when nothing is pending. A legacy `examples` filter without papers is
 * confirmed paused, with the reason.
 */
export async function confirmEmailSubscription(
  ds: DataSource,
  id: string,
  tokenTarget: string | undefined,
): Promise<ConfirmedSubscription | 'other-address' | null> {
  return confirmPendingSubscription(ds, id, (target) => tokenMailedTo({ tgt: tokenTarget }, target, { requireTarget: true }));
}

/** One-click unsubscribe (RFC 8058): disables the subscription; a repeat changes nothing. */
export async function unsubscribe(db: Db, id: string): Promise<void> {
  await unsubscribeSubscription(db, id);
}

// ---- the delivery log (the subscription's owner: the same key scope as every route above) ----------

export { DELIVERY_STATUSES };
export const DELIVERY_EVENT_TYPES = ['paper.matched', 'digest.ready', 'subscription.confirmation'] as const;

/** One delivery as its subscription's owner sees it: what was sent, how it went, never the internals. */
export interface DeliveryLogEntry {
  /** the message id: the `webhook-id` header of every attempt (and the Message-ID of a mail) */
  id: string;
  eventType: (typeof DELIVERY_EVENT_TYPES)[number];
  /** the paper of a paper.matched message; null for digests and confirmations */
  paperId: string | null;
  /** that paper's arXiv id (null without one) and title, to know it without looking the id up */
  paperArxivId: string | null;
  paperTitle: string | null;
  /**
   * pending: not tried yet; retrying: failed, to be tried again; held: waiting while the subscription is paused (sent
   * when it is resumed, not retried meanwhile); delivered; failed: for good; skipped: never sent
   */
  status: (typeof DELIVERY_STATUSES)[number];
  /** every attempt the message took, those before a redelivery included */
  attempts: number;
  /** how many times it was redelivered (each a fresh run of attempts) */
  redeliveries: number;
  /** the HTTP status of the last attempt that got an answer (webhooks); null without one */
  lastHttpStatus: number | null;
  /** the class of the last failure (`HTTP 503`, `timeout`, `connection refused`, `address refused`…), never its text */
  lastError: string | null;
  /** when a pending or retrying delivery is tried again; null otherwise (held ones too: the resume sends them) */
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

const iso = (d: Date | null): string | null => (d ? new Date(d).toISOString() : null);

/** `subscriptionStatus`: its subscription's, which makes a waiting delivery of a paused one `held` (deliveryStatus). */
export function toDeliveryLogEntry(r: DeliveryLogRow, subscriptionStatus?: string): DeliveryLogEntry {
  const status = deliveryStatus(r.status, r.attempts, subscriptionStatus);
  const waiting = status === 'pending' || status === 'retrying';
  return {
    id: r.id,
    eventType: r.paper_id ? 'paper.matched' : r.digest_key === 'confirm' ? 'subscription.confirmation' : 'digest.ready',
    paperId: r.paper_id,
    paperArxivId: r.paper_ref?.[0] ?? null,
    paperTitle: r.paper_ref?.[1] ?? null,
    status,
    attempts: r.earlier_attempts + r.attempts,
    redeliveries: r.redeliveries,
    lastHttpStatus: r.last_status_code,
    lastError: r.status === 'delivered' ? null : errorClass(r.last_error, r.last_status_code),
    nextAttemptAt: waiting && r.status === 'pending' ? iso(r.next_attempt_at) : null,
    deliveredAt: iso(r.delivered_at),
    createdAt: new Date(r.created_at).toISOString(),
  };
}

export const deliveryLogQuerySchema = z.object({ limit: limitSchema, after: subscriptionPageKeySchema.optional() });

/**
 * A subscription's deliveries, newest first (created_at, id), a page at a time: `nextKey` of one page is `after`
 * of the next. Only the subscription's own key (or an admin key, the operator) reaches it: 404 otherwise.
 */
export async function listSubscriptionDeliveries(
  db: Db,
  caller: SubscriptionCaller,
  subscriptionId: string,
  query: z.input<typeof deliveryLogQuerySchema> = {},
): Promise<SubscriptionPage<DeliveryLogEntry>> {
  const q = validate(deliveryLogQuerySchema, query, 'query');
  const sub = await load(db, subscriptionScope(caller), subscriptionId);
  return pageOf(await deliveryLogPage(db, sub.id, { limit: q.limit, before: q.after }), q.limit, (r) => toDeliveryLogEntry(r, sub.status));
}

/** A redelivery: the delivery as it is now (pending again), and the job that sends it. */
export interface Redelivery extends DeliveryLogEntry {
  jobId: string;
}

/**
 * Sends a delivery that failed for good again, as a fresh run of attempts with the same message id (the
 * `webhook-id`: a receiver that got it before drops the repeat). Only a failed paper.matched delivery of an
 * active subscription: one still pending or retrying is a 409 (it is in flight), as is one delivered or skipped,
 * a digest or confirmation (their next run sends anew), and any delivery of a paused or disabled subscription.
 */
export async function redeliverDelivery(
  db: Db,
  queues: QueueSet,
  caller: SubscriptionCaller,
  subscriptionId: string,
  deliveryId: string,
  now = Date.now(),
): Promise<Redelivery> {
  const sub = await load(db, subscriptionScope(caller), subscriptionId);
  const noSuchDelivery = () => new ActionError('not-found', 'no such delivery of this subscription');
  if (!isUuid(deliveryId)) throw noSuchDelivery();
  const r = await resetFailedDelivery(db, sub.id, deliveryId);
  if (!r.reset) {
    if (r.status === null) throw noSuchDelivery();
    if (r.status === 'pending' || r.status === 'sending')
      throw new ActionError('conflict', 'this delivery is still in flight (pending or retrying): it is sent again by itself');
    if (r.status !== 'failed') throw new ActionError('conflict', `only a failed delivery can be redelivered; this one is ${r.status}`);
    if (!r.paper) throw new ActionError('conflict', 'only paper.matched deliveries can be redelivered: a digest or confirmation is sent anew by its next run');
    throw new ActionError('conflict', `the subscription is ${r.subscriptionStatus}: resume it first (resuming an instant subscription also sends what it missed)`);
  }
  const jobId = await queues.enqueue('deliver', { deliveryId }, { variant: uniqueVariant('redeliver', now) });
  return { ...toDeliveryLogEntry(r.row), jobId };
}
