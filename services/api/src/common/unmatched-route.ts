import { NotFoundException } from '@nestjs/common';
import type { Request } from 'express';

// What to answer when no route took a request (Nest's not-found handler throws `Cannot METHOD url`): a
// path that exists under other methods is 405 with Allow (OPTIONS: 204 with Allow), and a browser on
// a reader's path that does not exist gets an HTML page rather than a problem document.

interface RouteLayer {
  route?: { path?: unknown; methods: Record<string, boolean> };
  match(path: string): unknown;
}

/** The app's route layers whose path matches this request's path, under any method, in the order Express tries them. */
function routeLayersFor(req: Request): RouteLayer[] {
  const app = req.app as unknown as { router?: { stack: RouteLayer[] }; _router?: { stack: RouteLayer[] } } | undefined;
  const stack = (app?.router ?? app?._router)?.stack ?? [];
  return stack.filter((layer) => {
    if (!layer.route) return false;
    // a layer decodes the parameters it matches: a broken percent-encoding ("%E2%82") throws there, and such a path
    // names no route (the request is a 400 already; its metric label is `unmatched`)
    try {
      return Boolean(layer.match(req.path));
    } catch {
      return false;
    }
  });
}

/** True when `err` is Nest's answer to a request no route matched. */
export function isUnmatchedRoute(err: unknown, req: Request): boolean {
  // by its start: Nest words the url as the router saw it, which is not always originalUrl (`/v1//papers`)
  return err instanceof NotFoundException && err.message.startsWith(`Cannot ${req.method} /`);
}

/** The methods the app's routes answer on this request's path (GET implies HEAD), empty when none. */
export function allowedMethods(req: Request): string[] {
  const methods = new Set<string>();
  for (const layer of routeLayersFor(req)) {
    for (const [m, on] of Object.entries(layer.route?.methods ?? {})) if (on && m !== '_all') methods.add(m.toUpperCase());
  }
  if (methods.size === 0) return [];
  if (methods.has('GET')) methods.add('HEAD');
  methods.add('OPTIONS');
  return [...methods].sort();
}

/**
 * The template of the route this request's path names when no route ran it (its body was refused before routing, it
 * was shed, or its method is not one the path answers: 405): the route taking its method, else the first on that path.
 * Null when no route has this path (a 404).
 */
export function routeTemplateFor(req: Request): string | null {
  const layers = routeLayersFor(req);
  const method = req.method.toLowerCase();
  const takes = (l: RouteLayer) => Boolean(l.route?.methods[method] || l.route?.methods._all || (method === 'head' && l.route?.methods.get));
  const path = (layers.find(takes) ?? layers[0])?.route?.path;
  return typeof path === 'string' ? path : null;
}

// The API, its documents and the probes answer machines; everything else is a reader's path.
const MACHINE_PATH = /^\/(?:v1|api|docs|docs-json|healthz|readyz|metrics)(?:[/.?-]|$)/i;

// The links in mails live under /v1 but are opened in a browser (and take forms).
export const MAIL_LINK_PATH = /^\/v1\/(?:unsubscribe|subscriptions\/confirm)\/?$/i;

/** A path readers open in a browser (not the API, its documents or the probes; the links in mails are). */
export const isReaderPath = (req: Request): boolean => !MACHINE_PATH.test(req.path) || MAIL_LINK_PATH.test(req.path);

/** A browser (text/html preferred) asking for a reader's path. */
export function wantsHtmlPage(req: Request): boolean {
  return isReaderPath(req) && req.accepts(['application/json', 'application/problem+json', 'text/html']) === 'text/html';
}
