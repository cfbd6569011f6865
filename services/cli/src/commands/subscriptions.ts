import { Option, type Command } from 'commander';
import {
  ActionError,
  type AdminSubscription,
  createSubscription,
  listEverySubscription,
  listSubscriptionDeliveries,
  redeliverDelivery,
  removeSubscription,
  retirePreviousSecret,
  rotateSubscriptionSecret,
  sendDigestNow,
  setSubscriptionStatus,
  type SubscriptionPage,
} from '@paperwire/actions';
import type { Db } from '@paperwire/db';
import { out, printList } from '../output';
import { action, context } from '../runtime';
import { asOptionError, integerOption } from '../options';

interface AddOptions {
  topics?: string;
  allTopics?: boolean;
  minScore?: string;
  keywords?: string;
  examples?: string;
  minSimilarity?: string;
  filters?: string;
  mode: 'instant' | 'daily' | 'weekly';
  hour?: string;
  minute?: string;
  tz?: string;
  weekday?: string;
  limit?: string;
  allowPrivate?: boolean;
}

/** The filter object of `subscriptions add`: --filters JSON, with --topics, --keywords and --examples on top. */
export function filtersFromOptions(
  o: Pick<AddOptions, 'topics' | 'allTopics' | 'minScore' | 'keywords' | 'examples' | 'minSimilarity' | 'filters'>,
): Record<string, unknown> {
  let filters: Record<string, unknown> = {};
  if (o.filters) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(o.filters);
    } catch (e) {
      throw new ActionError('invalid', `--filters: not JSON (${(e as Error).message})`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new ActionError('invalid', '--filters: a JSON object, e.g. {"hasCode":true}');
    filters = parsed as Record<string, unknown>;
  }
  // An option that refines another is refused without it, never dropped.
  for (const [option, given, needs, partner] of [
    ['--min-score', o.minScore !== undefined, '--topics', o.topics],
    ['--all-topics', Boolean(o.allTopics), '--topics', o.topics],
    ['--min-similarity', o.minSimilarity !== undefined, '--examples', o.examples],
  ] as const)
    if (given && !partner) throw new ActionError('invalid', `${option} needs ${needs}`);
  if (o.topics)
    filters.topics = {
      slugs: o.topics.split(',').map((s) => s.trim()),
      match: o.allTopics ? 'all' : 'any',
      ...(o.minScore ? { minScore: Number(o.minScore) } : {}),
    };
  if (o.keywords) filters.keywords = o.keywords.split(',').map((s) => s.trim());
  // the action resolves the papers (catalogue ids, arXiv ids or URLs, DOIs) and refuses unknown ones, as the API does
  if (o.examples) filters.examples = { papers: o.examples.split(',').map((s) => s.trim()), minSimilarity: o.minSimilarity === undefined ? undefined : Number(o.minSimilarity) };
  return filters;
}

/** The digest schedule of `subscriptions add` (the action validates it as the API does); undefined when none is given. */
export function scheduleFromOptions(o: Pick<AddOptions, 'hour' | 'minute' | 'tz' | 'weekday' | 'limit'>): Record<string, unknown> | undefined {
  if ([o.hour, o.minute, o.tz, o.weekday, o.limit].every((v) => v === undefined)) return undefined;
  const schedule: Record<string, unknown> = { hour: integerOption('--hour', o.hour) };
  if (o.minute !== undefined) schedule.minute = integerOption('--minute', o.minute);
  if (o.tz !== undefined) schedule.timeZone = o.tz;
  if (o.weekday !== undefined) schedule.weekday = integerOption('--weekday', o.weekday);
  if (o.limit !== undefined) schedule.limit = integerOption('--limit', o.limit);
  return schedule;
}

/** The `subscriptions add` and `rotate-secret` option that sets a field the action refuses. */
const SUBSCRIPTION_OPTION_OF: Readonly<Record<string, string>> = {
  '/mode': '--mode',
  '/schedule/hour': '--hour',
  '/schedule/minute': '--minute',
  '/schedule/timeZone': '--tz',
  '/schedule/weekday': '--weekday',
  '/schedule/limit': '--limit',
  '/graceHours': '--grace-hours',
};

/** A keyset-paged list followed page by page (pages of 100 at most), up to `most` items. */
async function followPages<T>(most: number, page: (limit: number, after: [string, string] | undefined) => Promise<SubscriptionPage<T>>): Promise<T[]> {
  const all: T[] = [];
  let after: [string, string] | undefined;
  while (all.length < most) {
    const p = await page(Math.min(100, most - all.length), after);
    all.push(...p.items);
    if (!p.nextKey) break;
    after = p.nextKey;
  }
  return all;
}

/** The admin list followed page by page (pages of 100, by keyset), up to `most` subscriptions. */
export function everySubscription(db: Db, o: { status?: string; most: number }): Promise<AdminSubscription[]> {
  return followPages(o.most, (limit, after) => listEverySubscription(db, { limit, after, ...(o.status ? { status: o.status as never } : {}) }));
}

const truthy = (v: string | undefined) => /^(true|1|yes)$/i.test(v ?? '');

export function registerSubscriptionCommands(program: Command): void {
  const subs = program.command('subscriptions').description('webhook and email subscriptions');
  subs
    .command('add <name> <channel> <target>')
    .description('channel webhook|email; prints the webhook secret once')
    .option('--topics <slugs>', 'comma-separated topic slugs')
    .option('--all-topics', 'require all topics instead of any')
    .option('--min-score <score>', 'minimum topic score')
    .option('--keywords <words>', 'comma-separated keywords or phrases')
    .option('--examples <ids>', 'comma-separated example papers (catalogue ids, arXiv ids or URLs, DOIs): papers similar to them')
    .option('--min-similarity <x>', 'with --examples: the cosine a paper needs to one example (-1..1, e.g. 0.8)')
    .option('--filters <json>', 'a full filter object as JSON')
    .addOption(new Option('--mode <mode>').choices(['instant', 'daily', 'weekly']).default('instant'))
    .option('--hour <h>', 'digest hour, 0-23 (daily/weekly)')
    .option('--minute <m>', 'digest minute, 0-59 (default 0)')
    .option('--tz <zone>', 'IANA time zone of the digest time (default UTC)')
    .option('--weekday <d>', 'weekly digest day, 0 = Sunday … 6')
    .option('--limit <n>', 'most papers per digest (1-100, default 50)')
    .option('--allow-private', 'accept a webhook on a private/loopback address (local receivers; the notifier also needs WEBHOOK_ALLOW_PRIVATE=true)')
    .action(
      action(async (name: string, channel: string, target: string, o: AddOptions) => {
        const c = context();
        const schedule = scheduleFromOptions(o);
        const created = createSubscription(
          await c.db(),
          // WEBHOOK_ALLOW_PRIVATE=true (the notifier's and the api's setting) allows private receivers too.
          {
            queues: await c.queues(),
            confirmations: c.confirmations(),
            allowPrivateWebhooks: Boolean(o.allowPrivate) || truthy(process.env.WEBHOOK_ALLOW_PRIVATE),
            privateTargetHint: 'local receivers: --allow-private here, and WEBHOOK_ALLOW_PRIVATE=true for the notifier',
          },
          'operator',
          { name, channel, target, filters: filtersFromOptions(o), mode: o.mode, ...(schedule ? { schedule } : {}) },
        );
        const { subscription, confirmationJob } = await created.catch((e: unknown) => {
          throw asOptionError(e, SUBSCRIPTION_OPTION_OF);
        });
        out({ ...subscription, ...(confirmationJob ? { confirmationJob } : {}) });
      }),
    );
  subs
    .command('digest <id>')
    .description('send a daily/weekly subscription its digest now (the current period so far); waits for the notifier and says what it did (delivered; retrying, with the last failure, while a failed send waits for its retry; failed, exit 1; or skipped and why)')
    .option('--timeout <seconds>', 'wait this long for the notifier at most (0: only queue it; result "queued")', '60')
    .action(
      action(async (id: string, o: { timeout: string }) => {
        const timeoutS = integerOption('--timeout', o.timeout, 0)!;
        const c = context();
        const outcome = await sendDigestNow(await c.db(), await c.queues(), 'operator', id, { waitMs: timeoutS * 1000 });
        out(outcome);
        // a digest that failed for good is a failed command (scripts check the exit code)
        if (outcome.result === 'failed') process.exitCode = 1;
      }),
    );
  subs
    .command('list')
    .description('every subscription, whoever made it, oldest first (ownerKeyId; statusReason "key revoked" after a key revocation); reads every page')
    .option('--status <status>', 'only this status: active, paused, disabled, pending_confirmation')
    .option('--limit <n>', 'at most this many in all (default: every one)')
    .option('--json', 'JSON Lines (the default when stdout is not a terminal)')
    .action(
      action(async (o: { status?: string; limit?: string; json?: boolean }) => {
        const items = await everySubscription(await context().db(), { status: o.status, most: integerOption('--limit', o.limit, 1) ?? Infinity });
        printList(items, o, ['id', 'name', 'channel', 'mode', 'status', 'statusReason', 'ownerKeyId', 'target']);
      }),
    );
  subs.command('pause <id>').description('stop sending a subscription until it is resumed').action(
    action(async (id: string) => {
      const c = context();
      out(await setSubscriptionStatus(await c.db(), await c.queues(), 'operator', id, 'paused', { backfill: false }));
    }),
  );
  subs
    .command('resume <id>')
    .description('resume a paused subscription, or re-enable one disabled by a 410 once its endpoint is fixed (an instant one also gets the papers notified while paused or disabled, those the 410 failed or skipped among them: last 7 days, 10,000 papers at most)')
    .option('--no-backfill', 'do not deliver the papers notified while it was paused or disabled')
    .action(
      action(async (id: string, o: { backfill: boolean }) => {
        const c = context();
        out(await setSubscriptionStatus(await c.db(), await c.queues(), 'operator', id, 'active', { backfill: o.backfill }));
      }),
    );
  subs
    .command('rotate-secret <id>')
    .description('webhook: a new signing secret (printed once) signs beside the current one for --grace-hours, or until retire-secret')
    .option('--grace-hours <h>', 'hours the previous secret keeps signing (1-168, default 24)')
    .action(
      action(async (id: string, o: { graceHours?: string }) =>
        out(
          await rotateSubscriptionSecret(await context().db(), 'operator', id, { graceHours: integerOption('--grace-hours', o.graceHours) }).catch((e: unknown) => {
            throw asOptionError(e, SUBSCRIPTION_OPTION_OF);
          }),
        ),
      ),
    );
  subs
    .command('retire-secret <id>')
    .description('webhook: end a rotation now; only the newest signing secret signs from here on')
    .action(action(async (id: string) => out(await retirePreviousSecret(await context().db(), 'operator', id))));
  subs
    .command('deliveries <id>')
    .description("the subscription's delivery log, newest first: message id (webhook-id), event, paper (arXiv id, title, id), status, attempts, last HTTP status and error class, next attempt")
    .option('--limit <n>', 'at most this many (default 20; reads as many pages as it takes)', '20')
    .option('--json', 'JSON Lines (the default when stdout is not a terminal)')
    .action(
      action(async (id: string, o: { limit: string; json?: boolean }) => {
        const db = await context().db();
        const items = await followPages(integerOption('--limit', o.limit, 1)!, (limit, after) => listSubscriptionDeliveries(db, 'operator', id, { limit, after }));
        printList(items, o, ['id', 'eventType', 'paperArxivId', 'paperTitle', 'paperId', 'status', 'attempts', 'redeliveries', 'lastHttpStatus', 'lastError', 'nextAttemptAt', 'deliveredAt', 'createdAt']);
      }),
    );
  subs
    .command('redeliver <id> <deliveryId>')
    .description('send a failed delivery again with the same webhook-id (a fresh run of attempts); refused while it is in flight')
    .action(
      action(async (id: string, deliveryId: string) => {
        const c = context();
        out(await redeliverDelivery(await c.db(), await c.queues(), 'operator', id, deliveryId));
      }),
    );
  subs.command('remove <id>').description('delete a subscription and its delivery log').action(
    action(async (id: string) => {
      await removeSubscription(await context().db(), 'operator', id);
      out({ id, removed: true });
    }),
  );
}
