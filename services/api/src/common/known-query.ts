import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { DECORATORS } from '@nestjs/swagger';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { badRequest, type ProblemException } from './problem';
import { MAIL_LINK_PATH } from './unmatched-route';

const V1_PATH = /^\/v1(?:\/|$)/i;
/** Campaign tags (utm_source…) that links in newsletters and feed directories carry: read by no operation, refused by none. */
const CAMPAIGN_PARAM = /^utm_[a-z]+$/i;

/** The query parameters an operation documents (@ApiQuery, in the OpenAPI document): the ones it accepts. */
export function documentedQueryParams(handler: object): string[] {
  const params = (Reflect.getMetadata(DECORATORS.API_PARAMETERS, handler) ?? []) as {
    in?: string;
    name?: string;
  }[];
  return params.filter((p) => p.in === 'query' && typeof p.name === 'string').map((p) => p.name!);
}

/** A 400 naming the parameters no operation of this path reads, with what it does read (and a likely meant one). */
export function unknownQueryParams(
  unknown: readonly string[],
  accepted: readonly string[],
): ProblemException {
  // metric → claimMetric, topics → topic: one name inside the other, both long enough to mean something.
  const meant = (name: string) =>
    name.length < 3
      ? undefined
      : accepted.find(
          (a) =>
            a.length >= 3 &&
            (a.toLowerCase().includes(name.toLowerCase()) || name.toLowerCase().includes(a.toLowerCase())),
        );
  const acceptedText =
    accepted.length > 0 ? `accepted: ${accepted.join(', ')}` : 'this operation takes no query parameters';
  return badRequest(
    `unknown query parameter${unknown.length === 1 ? '' : 's'} ${unknown.map((u) => JSON.stringify(u.slice(0, 100))).join(', ')} (${acceptedText})`,
    unknown.map((u) => {
      const m = meant(u);
      return {
        field: u.slice(0, 100),
        detail: `unknown query parameter${m ? ` (did you mean ${m}?)` : ''}; ${acceptedText}`,
      };
    }),
  );
}

/**
 * The documented API (/v1) refuses query parameters its operations do not read: a mistyped filter
 * (`metric` for `claimMetric`) would otherwise be dropped and answer the unfiltered list. What an operation
 * accepts is what the OpenAPI document lists for it (its @ApiQuery decorators), so the two cannot drift;
 * campaign tags (utm_*) pass everywhere, as links shared in newsletters carry them.
 * The links in mails (confirm, unsubscribe) are opened by browsers through link trackers that append
 * their own parameters: those ignore what they do not read, and the HF-compatible /api/* ignores unknown
 * parameters as Hugging Face does.
 */
@Injectable()
export class KnownQueryParamsInterceptor implements NestInterceptor {
  /** per handler: its documented parameters, in order (for messages) and as a set (for the check) */
  private readonly accepted = new WeakMap<object, { names: string[]; known: ReadonlySet<string> }>();

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<Request>();
    if (!V1_PATH.test(req.path) || MAIL_LINK_PATH.test(req.path)) return next.handle();
    const handler = context.getHandler();
    let accepted = this.accepted.get(handler);
    if (!accepted) {
      const names = documentedQueryParams(handler);
      this.accepted.set(handler, (accepted = { names, known: new Set(names) }));
    }
    const { names, known } = accepted;
    const unknown = Object.keys(req.query ?? {}).filter((k) => !known.has(k) && !CAMPAIGN_PARAM.test(k));
    if (unknown.length > 0) throw unknownQueryParams(unknown, names);
    return next.handle();
  }
}
