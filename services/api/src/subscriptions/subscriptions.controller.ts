import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiAcceptedResponse, ApiBody, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import type { DataSource } from 'typeorm';
import type { Redis } from 'ioredis';
import {
  createSubscription,
  getSubscription,
  listOwnSubscriptions,
  listSubscriptionDeliveries,
  redeliverDelivery,
  MAX_SUBSCRIPTIONS_PER_KEY,
  SECRET_GRACE_HOURS,
  redisConfirmationBudget,
  removeSubscription,
  retirePreviousSecret,
  rotateSubscriptionSecret,
  updateSubscription,
  type SubscriptionCaller,
  type SubscriptionDeps,
} from '@paperwire/actions';
import { CONFIG, DATA_SOURCE, QUEUE_SET, REDIS } from '@paperwire/service-kit';
import type { QueueSet } from '@paperwire/queue';
import type { ApiConfig } from '../api-config';
import { RequireScope, type AuthedRequest } from '../auth/auth.guard';
import { ApiPaging, ApiProblems, DeleteRoute, createdAt } from '../common/api-docs';
import { parseInput } from '../common/validation';
import {
  CreateSubscriptionDto,
  CreatedSubscriptionDto,
  DeliveryLogDto,
  RedeliveryDto,
  RotateSecretDto,
  RotatedSecretDto,
  SubscriptionSecretsDto,
  SubscriptionDto,
  SubscriptionListDto,
  UpdateSubscriptionDto,
  UpdatedSubscriptionDto,
} from './subscription.dto';
import { idempotent } from './idempotency';
import { pageAfter, pageBody, subscriptionPageParams } from './subscription-page';

const listQuerySchema = z.object(subscriptionPageParams);

// Object-level authorisation (in the actions): every query is scoped to the calling key, so another
// key's subscription is indistinguishable from a missing one (404); an admin key reaches every one by id.
// The list stays the calling key's own, admin or not (what a client made with this key); the operator's list of
// every subscription is GET /v1/admin/subscriptions. The OpenAPI text says both (ADMIN_REACH).
const ADMIN_REACH =
  "Another key's subscription answers 404, as a missing one does; a key with the admin scope reaches any subscription by its id " +
  '(GET /v1/admin/subscriptions lists them all).';
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

  private get deps(): SubscriptionDeps {
    return {
      queues: this.queues,
      confirmations: redisConfirmationBudget(this.redis, this.config.QUEUE_PREFIX),
      allowPrivateWebhooks: this.config.WEBHOOK_ALLOW_PRIVATE,
    };
  }

  private caller(req: AuthedRequest): SubscriptionCaller {
    // The guard guarantees a key on this controller.
    const key = req.apiKey!;
    return { keyId: key.id, scopes: key.scopes };
  }

  @Get()
  @ApiOperation({
    summary: "List the subscriptions this key made, a page at a time (oldest first)",
    description:
      'Only the calling key\'s own, for an admin key too: every subscription, whoever owns it, is GET /v1/admin/subscriptions. ' +
      'Ordered by creation time, then id. Pages of `limit` (default 20, at most 100): follow `nextCursor` until it is null. ' +
      'Before pages, one answer held every subscription of the key.',
  })
  @ApiPaging()
  @ApiOkResponse({ type: SubscriptionListDto })
  @ApiProblems(400, 401, 403, 429)
  async list(@Req() req: AuthedRequest, @Query() query: Record<string, unknown>): Promise<SubscriptionListDto> {
    const { limit, cursor } = parseInput(listQuerySchema, query, 'query');
    return pageBody('subscriptions', await listOwnSubscriptions(this.ds, req.apiKey!.id, { limit, after: pageAfter('subscriptions', cursor) }));
  }

  @Post()
  @ApiOperation({
    summary: 'Create a subscription (webhooks get a signing secret, returned once; email starts pending_confirmation)',
    description: `A key without the admin scope holds at most ${MAX_SUBSCRIPTIONS_PER_KEY} subscriptions: one more is a 409.`,
  })
  @ApiBody({ type: CreateSubscriptionDto })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'any 1-255 visible ASCII characters (a UUID): a repeat with the same key and body within 24 hours gets the same 201 answer (the secret included) ' +
      'and creates nothing; with another body it is a 422; while the first is still running a 409 (however long it runs; a key whose request died is free again within a minute). Per API key; a failed request stores nothing.',
  })
  @ApiCreatedResponse({ type: CreatedSubscriptionDto, headers: createdAt('/v1/subscriptions/{id}') })
  @ApiProblems(400, 401, 403, 409, 413, 422, 429)
  async create(
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: Response,
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
  ): Promise<CreatedSubscriptionDto> {
    const scope = `${this.config.QUEUE_PREFIX}:idempotency:create-subscription:${req.apiKey!.id}`;
    const created = await idempotent(this.redis, scope, idempotencyKey, body, async () => (await createSubscription(this.ds, this.deps, this.caller(req), body)).subscription);
    res.setHeader('Location', `/v1/subscriptions/${created.id}`);
    return created;
  }

  @Get(':id')
  @ApiOperation({ summary: 'One subscription of this key (any subscription for an admin key)', description: ADMIN_REACH })
  @ApiOkResponse({ type: SubscriptionDto })
  @ApiProblems(401, 403, 404, 429)
  async one(@Req() req: AuthedRequest, @Param('id') id: string): Promise<SubscriptionDto> {
    return getSubscription(this.ds, this.caller(req), id);
  }

  /**
   * Resuming a paused instant subscription queues the backfill of what it missed (unless `backfill`
   * is false). The previous status and paused_at are read under the row lock of the update itself,
   * so of two concurrent resumes only one sees the pause; the job id is per pause anyway.
   */
  @Patch(':id')
  @ApiOperation({
    summary: 'Update filters, mode, schedule or target; pause/resume with status (resuming backfills missed papers)',
    description: ADMIN_REACH,
  })
  @ApiBody({ type: UpdateSubscriptionDto })
  @ApiOkResponse({ type: UpdatedSubscriptionDto })
  @ApiProblems(400, 401, 403, 404, 409, 429)
  async update(@Req() req: AuthedRequest, @Param('id') id: string, @Body() body: unknown): Promise<UpdatedSubscriptionDto> {
    return updateSubscription(this.ds, this.deps, this.caller(req), id, body);
  }

  /**
   * Secret rotation (Standard Webhooks): from this call on every message carries a signature by the new
   * secret and one by the previous, until the grace period ends or retire-previous.
   */
  @Post(':id/secret/rotate')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Rotate the webhook signing secret: a new one (returned once) signs beside the current one for a grace period',
    description:
      'Every message is then signed with both secrets (two `v1,` entries in webhook-signature) until `previousSecretExpiresAt` ' +
      `(graceHours later, ${SECRET_GRACE_HOURS.default} by default) or retire-previous, whichever comes first: move your receiver to the new secret, ` +
      'then retire the previous one. A second rotation drops the oldest secret: at most two sign. Email subscriptions have no secret: 409.',
  })
  @ApiBody({ type: RotateSecretDto, required: false })
  @ApiOkResponse({ type: RotatedSecretDto })
  @ApiProblems(400, 401, 403, 404, 409, 429)
  async rotateSecret(@Req() req: AuthedRequest, @Param('id') id: string, @Body() body: unknown): Promise<RotatedSecretDto> {
    return rotateSubscriptionSecret(this.ds, this.caller(req), id, body);
  }

  @Post(':id/secret/retire-previous')
  @HttpCode(200)
  @ApiOperation({
    summary: 'End a secret rotation now: only the newest webhook signing secret signs from here on',
    description: 'A repeat, or a call without a rotation under way, changes nothing (retired: 0). Email subscriptions have no secret: 409.',
  })
  @ApiOkResponse({ type: SubscriptionSecretsDto })
  @ApiProblems(401, 403, 404, 409, 429)
  async retirePreviousSecret(@Req() req: AuthedRequest, @Param('id') id: string): Promise<SubscriptionSecretsDto> {
    return retirePreviousSecret(this.ds, this.caller(req), id);
  }

  @Get(':id/deliveries')
  @ApiOperation({
    summary: "The subscription's delivery log: its messages newest first, a page at a time",
    description:
      'Each message (paper.matched, digest.ready, confirmation) with its id (the `webhook-id`), status, attempts, the last HTTP status, ' +
      'the class of the last failure (never its text) and when it is tried next. Pages of `limit` (default 20, at most 100): follow `nextCursor` until it is null.',
  })
  @ApiPaging()
  @ApiOkResponse({ type: DeliveryLogDto })
  @ApiProblems(400, 401, 403, 404, 429)
  async deliveries(@Req() req: AuthedRequest, @Param('id') id: string, @Query() query: Record<string, unknown>): Promise<DeliveryLogDto> {
    const { limit, cursor } = parseInput(listQuerySchema, query, 'query');
    return pageBody('deliveries', await listSubscriptionDeliveries(this.ds, this.caller(req), id, { limit, after: pageAfter('deliveries', cursor) }));
  }

  @Post(':id/deliveries/:deliveryId/redeliver')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send a failed delivery again, with the same webhook-id',
    description:
      'A paper.matched delivery that failed for good gets a fresh run of attempts (the retry policy of any message), with the same message id, ' +
      'so a receiver that got it before drops the repeat. 409 when it is still in flight (pending or retrying), delivered, skipped, a digest or ' +
      'confirmation, or when the subscription is not active (resume it first).',
  })
  @ApiAcceptedResponse({ type: RedeliveryDto })
  @ApiProblems(401, 403, 404, 409, 429)
  async redeliver(@Req() req: AuthedRequest, @Param('id') id: string, @Param('deliveryId') deliveryId: string): Promise<RedeliveryDto> {
    return redeliverDelivery(this.ds, this.queues, this.caller(req), id, deliveryId);
  }

  @DeleteRoute(':id', 'Delete a subscription of this key (any subscription for an admin key)')
  async remove(@Req() req: AuthedRequest, @Param('id') id: string): Promise<void> {
    await removeSubscription(this.ds, this.caller(req), id);
  }
}
