import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Req } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { SUBSCRIPTION_BACKFILL, backfillStart } from '@paperwire/contracts';
import type { Redis } from 'ioredis';
import { parseEmailTarget } from '@paperwire/notifications';
import { CONFIG, DATA_SOURCE, QUEUE_SET, REDIS } from '@paperwire/service-kit';
import type { QueueSet } from '@paperwire/queue';
import type { ApiConfig } from '../api-config';
import { RequireScope, type AuthedRequest } from '../auth/auth.guard';
import { ApiProblems } from '../common/api-docs';
import { ProblemException, badRequest, notFound } from '../common/problem';
import { isUuid, returnedRows } from '../common/sql';
import { parseInput } from '../common/validation';
import {
  CreateSubscriptionDto,
  CreatedSubscriptionDto,
  SubscriptionDto,
  SubscriptionListDto,
  UpdateSubscriptionDto,
  UpdatedSubscriptionDto,
  type SubscriptionBackfillDto,
  createSubscriptionSchema,
  updateSubscriptionSchema,
} from './subscription.dto';
import { checkWebhookTarget } from './webhook-target';
import { queueConfirmation, reserveConfirmation } from './confirmation';

const DAY_MS = 86_400_000;

interface SubscriptionRow {
  id: string;
  name: string;
  channel: string;
  target: string;
  filters: Record<string, unknown>;
  mode: string;
  schedule: Record<string, unknown> | null;
  status: string;
  status_reason: string | null;
  consecutive_failures: number;
  paused_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id, name, channel, target, filters, mode, schedule, status, status_reason, consecutive_failures, paused_at, created_at, updated_at';

function toDto(r: SubscriptionRow): SubscriptionDto {
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
    pausedAt: r.paused_at ? new Date(r.paused_at).toISOString() : null,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

/** Standard Webhooks secret: whsec_ + base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

// Object-level authorisation: every query is scoped to the calling key, so another key's
// subscription is indistinguishable from a missing one (404).
@ApiTags('subscriptions')
@RequireScope('subscriptions')
@Controller('v1/subscriptions')
export class SubscriptionsController {
  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    @Inject(CONFIG) private readonly config: ApiConfig,
    @Inject(QUEUE_SET) private readonly queues: QueueSet,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  private owner(req: AuthedRequest): string {
    // The guard guarantees a key on this controller.
    return req.apiKey!.id;
  }

  /** The target as stored: one normalised email address, or a webhook URL that passed the SSRF check. */
  private async checkedTarget(channel: string, raw: string): Promise<string> {
    if (channel === 'email') {
      const email = parseEmailTarget(raw);
      if (!email.ok) throw badRequest('invalid body', [{ field: '/target', detail: `email subscriptions need one email address: ${email.error}` }]);
      return email.address;
    }
    const target = raw.trim();
    const err = await checkWebhookTarget(target, this.config.WEBHOOK_ALLOW_PRIVATE);
    if (err) throw badRequest('webhook target refused', [{ field: '/target', detail: err }]);
    return target;
  }

  /**
   * The delay before a confirmation mail to `target` may go (per-recipient budget, confirmation.ts);
   * a 429 when the address had its share today, before anything is written.
   */
  private async confirmationDelay(target: string): Promise<number> {
    const delay = await reserveConfirmation(this.redis, this.config.QUEUE_PREFIX, target, DAY_MS);
    if (delay === null)
      throw new ProblemException(429, 'this address received its share of confirmation mails today; try again tomorrow', undefined, { 'Retry-After': '3600' });
    return delay;
  }

  @Get()
  @ApiOperation({ summary: "List this key's subscriptions" })
  @ApiOkResponse({ type: SubscriptionListDto })
  @ApiProblems(401, 403, 429)
  async list(@Req() req: AuthedRequest): Promise<SubscriptionListDto> {
    const rows: SubscriptionRow[] = await this.ds.query(`SELECT ${COLUMNS} FROM subscriptions WHERE owner_key_id = $1 ORDER BY created_at, id`, [
      this.owner(req),
    ]);
    return { items: rows.map(toDto) };
  }

  @Post()
  @ApiOperation({ summary: 'Create a subscription (webhooks get a signing secret, returned once; email starts pending_confirmation)' })
  @ApiBody({ type: CreateSubscriptionDto })
  @ApiCreatedResponse({ type: CreatedSubscriptionDto })
  @ApiProblems(400, 401, 403, 413, 429)
  async create(@Req() req: AuthedRequest, @Body() body: unknown): Promise<CreatedSubscriptionDto> {
    const input = parseInput(createSubscriptionSchema, body, 'body');
    input.target = await this.checkedTarget(input.channel, input.target);
    const confirmDelay = input.channel === 'email' ? await this.confirmationDelay(input.target) : 0;
    const secret = input.channel === 'webhook' ? newWebhookSecret() : undefined;
    const status = input.channel === 'email' ? 'pending_confirmation' : 'active';
    const rows: SubscriptionRow[] = await this.ds.query(
      `INSERT INTO subscriptions (owner_key_id, name, channel, target, secrets, filters, mode, schedule, status)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8::jsonb, $9) RETURNING ${COLUMNS}`,
      [
        this.owner(req),
        input.name ?? `${input.channel} ${input.target}`.slice(0, 200),
        input.channel,
        input.target,
        JSON.stringify(secret ? [secret] : []),
        JSON.stringify(input.filters),
        input.mode,
        input.schedule ? JSON.stringify(input.schedule) : null,
        status,
      ],
    );
    // Double opt-in: nothing but the confirmation mail goes to an address before it is confirmed.
    if (input.channel === 'email') {
      await queueConfirmation(this.ds, this.queues, rows[0].id, { resend: false, delayMs: confirmDelay });
    }
    return { ...toDto(rows[0]), ...(secret ? { secret } : {}) };
  }

  private async load(req: AuthedRequest, id: string): Promise<SubscriptionRow> {
    if (!isUuid(id)) throw notFound('no such subscription');
    const rows: SubscriptionRow[] = await this.ds.query(`SELECT ${COLUMNS} FROM subscriptions WHERE id = $1 AND owner_key_id = $2`, [
      id,
      this.owner(req),
    ]);
    if (!rows[0]) throw notFound('no such subscription');
    return rows[0];
  }

  @Get(':id')
  @ApiOperation({ summary: 'One of your subscriptions' })
  @ApiOkResponse({ type: SubscriptionDto })
  @ApiProblems(401, 403, 404, 429)
  async one(@Req() req: AuthedRequest, @Param('id') id: string): Promise<SubscriptionDto> {
    return toDto(await this.load(req, id));
  }

  /**
   * Resuming a paused instant subscription queues the backfill of what it missed (unless `backfill`
   * is false). The previous status and paused_at are read under the row lock of the update itself,
   * so of two concurrent resumes only one sees the pause; the job id is per pause anyway.
   */
  @Patch(':id')
  @ApiOperation({ summary: 'Update filters, mode, schedule or target; pause/resume with status (resuming backfills missed papers)' })
  @ApiBody({ type: UpdateSubscriptionDto })
  @ApiOkResponse({ type: UpdatedSubscriptionDto })
  @ApiProblems(400, 401, 403, 404, 409, 429)
  async update(@Req() req: AuthedRequest, @Param('id') id: string, @Body() body: unknown): Promise<UpdatedSubscriptionDto> {
    const current = await this.load(req, id);
    const patch = parseInput(updateSubscriptionSchema, body, 'body');
    if (patch.target !== undefined) patch.target = await this.checkedTarget(current.channel, patch.target);
    // A new email address is confirmed before anything but the confirmation mail goes to it.
    const reconfirm = current.channel === 'email' && patch.target !== undefined && patch.target.toLowerCase() !== current.target.toLowerCase();
    if (reconfirm && patch.status)
      throw badRequest('invalid body', [{ field: '/status', detail: 'a changed email address must be confirmed first; change status afterwards' }]);
    const mode = patch.mode ?? current.mode;
    const schedule = patch.schedule === undefined ? current.schedule : patch.schedule;
    if (mode !== 'instant' && !schedule) throw badRequest('invalid body', [{ field: '/schedule', detail: `mode ${mode} needs a schedule` }]);
    if (mode === 'weekly' && schedule && schedule.weekday === undefined)
      throw badRequest('invalid body', [{ field: '/schedule/weekday', detail: 'weekly digests need a weekday (0 = Sunday)' }]);
    const confirmDelay = reconfirm ? await this.confirmationDelay(patch.target!) : 0;
    if (patch.status && !['active', 'paused'].includes(current.status))
      throw badRequest(`a ${current.status} subscription cannot be ${patch.status === 'active' ? 'resumed' : 'paused'} here`, [
        { field: '/status', detail: current.status === 'pending_confirmation' ? 'confirm the email address first' : 'subscription is disabled' },
      ]);
    // paused_at is kept by a trigger on status changes: set on pause, cleared on resume.
    const res: unknown = await this.ds.query(
      `WITH prev AS (SELECT status AS prev_status, paused_at AS prev_paused_at FROM subscriptions WHERE id = $1 AND owner_key_id = $2 FOR UPDATE)
       UPDATE subscriptions SET name = $3, target = $4, filters = $5::jsonb, mode = $6, schedule = $7::jsonb,
              status = $8, status_reason = CASE WHEN $9::text IS NOT NULL THEN $9::text WHEN $8 = status THEN status_reason ELSE NULL END,
              confirmed_at = CASE WHEN $9::text IS NOT NULL THEN NULL ELSE confirmed_at END,
              consecutive_failures = CASE WHEN $8 = 'active' AND status <> 'active' THEN 0 ELSE consecutive_failures END,
              updated_at = now()
         FROM prev
        WHERE id = $1 AND owner_key_id = $2 RETURNING ${COLUMNS}, prev.prev_status, prev.prev_paused_at`,
      [
        id,
        this.owner(req),
        patch.name ?? current.name,
        patch.target ?? current.target,
        JSON.stringify(patch.filters ?? current.filters),
        mode,
        schedule ? JSON.stringify(schedule) : null,
        reconfirm ? 'pending_confirmation' : (patch.status ?? current.status),
        reconfirm ? 'email address changed: waiting for its confirmation' : null,
      ],
    );
    const row = returnedRows<SubscriptionRow & { prev_status: string; prev_paused_at: Date | null }>(res)[0];
    if (!row) throw notFound('no such subscription');
    if (reconfirm) await queueConfirmation(this.ds, this.queues, row.id, { resend: true, delayMs: confirmDelay });
    const resumedFrom = row.prev_status === 'paused' && row.status === 'active' && row.mode === 'instant' ? row.prev_paused_at : null;
    if (!resumedFrom || !patch.backfill) return toDto(row);
    return { ...toDto(row), backfill: await this.queueBackfill(row.id, new Date(resumedFrom)) };
  }

  /**
   * Queues the backfill of a resumed instant subscription and counts the papers it will check so far
   * (more may be notified before it runs). Digests need none: their next digest covers its period.
   */
  private async queueBackfill(id: string, pausedAt: Date): Promise<SubscriptionBackfillDto> {
    const jobId = await this.queues.enqueue('backfill-subscription', { subscriptionId: id, since: pausedAt.toISOString() });
    const since = backfillStart(pausedAt, new Date());
    const [{ n }]: { n: number }[] = await this.ds.query(
      `SELECT count(*)::int AS n FROM (SELECT 1 FROM papers WHERE stage = 'notified' AND notified_at >= $1 LIMIT $2) x`,
      [since, SUBSCRIPTION_BACKFILL.maxPapers],
    );
    return { jobId, since: since.toISOString(), papersToCheck: n };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete one of your subscriptions' })
  @ApiNoContentResponse()
  @ApiProblems(401, 403, 404, 429)
  async remove(@Req() req: AuthedRequest, @Param('id') id: string): Promise<void> {
    if (!isUuid(id)) throw notFound('no such subscription');
    const res: unknown = await this.ds.query(`DELETE FROM subscriptions WHERE id = $1 AND owner_key_id = $2 RETURNING id`, [id, this.owner(req)]);
    if (returnedRows(res).length === 0) throw notFound('no such subscription');
  }
}
