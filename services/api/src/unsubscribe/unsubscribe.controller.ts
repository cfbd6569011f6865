import { Body, Controller, Get, Inject, Post, Query, Req, Res, applyDecorators } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { DataSource } from 'typeorm';
import { verificationSecrets, type TokenSecrets } from '@paperwire/config';
import {
  confirmEmailSubscription,
  linkedSubscription,
  unsubscribe,
  type Subscription as LinkedSubscription,
} from '@paperwire/actions';
import { cadenceOf, tokenMailedTo, verifyToken, type TokenPurpose, type VerifiedToken } from '@paperwire/notifications';
import { CONFIG, DATA_SOURCE } from '@paperwire/service-kit';
import type { ApiConfig } from '../api-config';
import { RequireScope } from '../auth/auth.guard';
import { ApiLinkPage, ApiProblems } from '../common/api-docs';
import { isUuid } from '../common/sql';
import { checkCsrf, issueCsrf, sameOrigin } from '../home/csrf';
import { sendLinkPage, type LinkPage } from './link-page';

// The token travels as `t`: the api refuses `token` (and other key-like names) in query strings.
export const LINK_TOKEN_PARAM = 't';

/**
 * What a reader holding a link that does not work can do, per kind of link: only what the reader can do themselves
 * (nobody can be asked for a new digest or unsubscribe link; a confirmation mail comes from subscribing again).
 */
const INVALID_LINK_HELP: Record<'digest' | 'confirmation' | 'unsubscribe', string> = {
  digest:
    'Copy the whole link from the digest email (some mail programs cut long links), or open the link in a newer digest of the same subscription. The papers themselves are on the Daily Papers page.',
  confirmation:
    'Copy the whole link from the confirmation email (some mail programs cut long links). A confirmation link works for a week: to get a new one, subscribe again with the form on the Daily Papers page.',
  unsubscribe:
    'Copy the whole link from the email (some mail programs cut long links), or use the unsubscribe link of a newer email from the same subscription.',
};

/** 400: a token that is missing, forged, expired or for another purpose or address. */
export function sendInvalidLink(req: Request, res: Response, what: keyof typeof INVALID_LINK_HELP): void {
  const page: LinkPage = {
    title: 'This link does not work',
    lines: [`The ${what} link is invalid or has expired.`, INVALID_LINK_HELP[what]],
  };
  return sendLinkPage(req, res, 400, page, {});
}

/**
 * The claims of a link's valid token for `purpose` (signed with the current or the previous secret) naming a uuid, or
 * null: a missing, forged or expired token, one for another purpose, or one whose subject is no id (answer null with
 * sendInvalidLink).
 */
export function linkClaims(token: unknown, purpose: TokenPurpose, config: TokenSecrets): VerifiedToken | null {
  if (typeof token !== 'string') return null;
  const claims = verifyToken(token, verificationSecrets(config), purpose);
  return claims && isUuid(claims.sub) ? claims : null;
}

/** 200: the subscription is (now, or already) disabled. */
function sendUnsubscribed(req: Request, res: Response, id: string, line: string): void {
  return sendLinkPage(req, res, 200, { title: 'Unsubscribed', lines: [line] }, { id, status: 'disabled' });
}

/** A page's form posts back to the same link, token included. */
const postBack = (token: unknown): string => `?${LINK_TOKEN_PARAM}=${encodeURIComponent(token as string)}`;

const NOT_FOUND: LinkPage = {
  title: 'Subscription not found',
  lines: ['This subscription no longer exists.'],
};

/**
 * The page for a subscription that a confirmation link cannot (or need not) confirm: gone (404),
 * cancelled (409) or confirmed already (200; also a paused one: confirming twice changes nothing).
 */
function settledPage(
  req: Request,
  res: Response,
  id: string,
  sub: Pick<LinkedSubscription, 'name' | 'status'> | null,
): void {
  if (!sub) return sendLinkPage(req, res, 404, NOT_FOUND, {});
  if (sub.status === 'disabled') {
    const lines = [`“${sub.name}” was cancelled and cannot be confirmed again; subscribe anew.`];
    return sendLinkPage(req, res, 409, { title: 'Subscription cancelled', lines }, {});
  }
  const lines = [`“${sub.name}” was already confirmed.`];
  return sendLinkPage(req, res, 200, { title: 'Subscription confirmed', lines }, { id, status: sub.status });
}

/** The documentation every link endpoint shares: the signed token in the query, a page as the answer. */
function ApiLinkEndpoint(summary: string, token: string, page: string, ...problems: number[]) {
  return applyDecorators(
    ApiOperation({ summary }),
    ApiQuery({ name: LINK_TOKEN_PARAM, required: true, description: `signed ${token} token` }),
    ApiLinkPage(page),
    ApiProblems(...problems),
  );
}

// Links act only at the address they were mailed to (tokenMailedTo): confirm links always carry it, so one
// without is refused; unsubscribe links mailed before 2026-12-06 carry none and are still honoured.
const CONFIRM_LINK = { requireTarget: true } as const;
const UNSUBSCRIBE_LINK = { requireTarget: false } as const;

/**
 * The links in notification emails (DESIGN §7): double opt-in confirmation and RFC 8058 one-click
 * unsubscribe. Public: the signed, purpose-bound token is the credential. A GET never unsubscribes
 * (mail scanners and link previews follow links); it shows a button that POSTs.
 */
@ApiTags('subscriptions')
@RequireScope('public')
@Controller('v1')
export class UnsubscribeController {
  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    @Inject(CONFIG) private readonly config: ApiConfig,
  ) {}

  /**
   * The subscription an unsubscribe link names (null when gone), or null for a link that does not work: a token
   * that is not a valid unsubscribe token, or one mailed to another address than the subscription's.
   */
  private async unsubscribeLink(token: unknown): Promise<{ id: string; sub: Awaited<ReturnType<typeof linkedSubscription>> } | null> {
    const claims = linkClaims(token, 'unsubscribe', this.config);
    if (!claims) return null;
    const sub = await linkedSubscription(this.ds, claims.sub);
    if (sub && !tokenMailedTo(claims, sub.target, UNSUBSCRIBE_LINK)) return null;
    return { id: claims.sub, sub };
  }

  /**
   * The confirmation page. A GET changes nothing (mail scanners and link previews follow links): it
   * shows a button that POSTs back with a CSRF token.
   */
  @Get('subscriptions/confirm')
  @ApiLinkEndpoint(
    'Confirmation page of an email subscription (a button that POSTs; the GET itself changes nothing)',
    'confirmation',
    'the page (HTML for browsers; JSON {id, status} otherwise)',
    400,
    404,
    409,
    429,
  )
  async confirmPage(
    @Query(LINK_TOKEN_PARAM) token: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const claims = linkClaims(token, 'confirm', this.config);
    if (!claims) return sendInvalidLink(req, res, 'confirmation');
    const sub = await linkedSubscription(this.ds, claims.sub, { emailOnly: true });
    // A link mailed to an earlier address of the subscription does not confirm the current one.
    if (sub?.status === 'pending_confirmation' && !tokenMailedTo(claims, sub.target, CONFIRM_LINK))
      return sendInvalidLink(req, res, 'confirmation');
    if (sub?.status !== 'pending_confirmation') return settledPage(req, res, claims.sub, sub);
    const csrf = issueCsrf(req, res, this.config);
    return sendLinkPage(
      req,
      res,
      200,
      {
        title: 'Confirm your subscription',
        lines: [`Start receiving “${sub.name}”?`],
        form: { action: postBack(token), button: 'Confirm subscription', fields: { csrf } },
      },
      { id: claims.sub, status: sub.status },
    );
  }

  @Post('subscriptions/confirm')
  @ApiLinkEndpoint(
    'Confirm an email subscription (the button of the confirmation page; needs its CSRF token)',
    'confirmation',
    'confirmed (HTML page for browsers, JSON otherwise)',
    400,
    403,
    404,
    409,
    429,
  )
  async confirm(
    @Query(LINK_TOKEN_PARAM) token: unknown,
    @Body() body: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const claims = linkClaims(token, 'confirm', this.config);
    if (!claims) return sendInvalidLink(req, res, 'confirmation');
    const id = claims.sub;
    const form = (body ?? {}) as Record<string, unknown>;
    if (!sameOrigin(req, this.config.PUBLIC_URL) || !checkCsrf(req, this.config, form.csrf))
      return sendLinkPage(
        req,
        res,
        403,
        {
          title: 'Form expired',
          lines: ['This form could not be verified. Open the link from the email again.'],
        },
        {},
      );
    // The token must be bound to the address the subscription has now (it changes on PATCH).
    const outcome = await confirmEmailSubscription(this.ds, id, claims.tgt);
    if (outcome === 'other-address') return sendInvalidLink(req, res, 'confirmation');
    if (outcome?.status === 'active') {
      return sendLinkPage(
        req,
        res,
        200,
        {
          title: 'Subscription confirmed',
          // when it sends, as the confirmation mail said it ("a daily digest at 08:00 UTC"), not "as scheduled"
          lines: [`“${outcome.name}” is active: ${cadenceOf(outcome.mode, outcome.schedule) ?? 'mail will arrive as scheduled'}, starting with the next one.`],
        },
        { id, status: 'active' },
      );
    }
    if (outcome) {
      // Confirmed, but its stored filter cannot match anything until it is edited (a legacy examples filter).
      return sendLinkPage(
        req,
        res,
        200,
        {
          title: 'Subscription confirmed, paused',
          lines: [
            `“${outcome.name}” is confirmed but paused: ${outcome.reason ?? 'its filter needs editing'}`,
          ],
        },
        { id, status: 'paused' },
      );
    }
    return settledPage(req, res, id, await linkedSubscription(this.ds, id));
  }

  @Get('unsubscribe')
  @ApiLinkEndpoint(
    'Unsubscribe page (a button that POSTs; the GET itself changes nothing)',
    'unsubscribe',
    'the page',
    400,
    429,
  )
  async page(
    @Query(LINK_TOKEN_PARAM) token: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const link = await this.unsubscribeLink(token);
    if (!link) return sendInvalidLink(req, res, 'unsubscribe');
    const { id, sub } = link;
    if (!sub || sub.status === 'disabled') {
      return sendUnsubscribed(req, res, id, 'You are not subscribed: nothing more will be sent.');
    }
    return sendLinkPage(
      req,
      res,
      200,
      {
        title: 'Unsubscribe',
        lines: [`Stop receiving “${sub.name}”?`],
        form: {
          action: postBack(token),
          button: 'Unsubscribe',
          fields: { 'List-Unsubscribe': 'One-Click' },
        },
      },
      { id, status: sub.status },
    );
  }

  /**
   * RFC 8058 one-click: mail clients POST `List-Unsubscribe=One-Click` (form-encoded or multipart) to
   * the List-Unsubscribe URL. The signed token authorises it, so the body is not required; a repeat
   * (or an already deleted subscription) still answers 200.
   */
  @Post('unsubscribe')
  @ApiLinkEndpoint(
    'One-click unsubscribe (RFC 8058): disables the subscription',
    'unsubscribe',
    'unsubscribed',
    400,
    429,
  )
  async unsubscribe(
    @Query(LINK_TOKEN_PARAM) token: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const link = await this.unsubscribeLink(token);
    if (!link) return sendInvalidLink(req, res, 'unsubscribe');
    await unsubscribe(this.ds, link.id);
    return sendUnsubscribed(req, res, link.id, 'You will not receive anything more from this subscription.');
  }
}
