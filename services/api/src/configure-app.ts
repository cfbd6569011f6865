import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from '@paperwire/telemetry';
import { LOGGER } from '@paperwire/service-kit';
import type { ApiConfig } from './api-config';
import { ProblemFilter, sendProblem, toProblem } from './common/problem.filter';

const API_CSP = "default-src 'none'; frame-ancestors 'none'";
// Swagger UI is served from this origin (swagger-ui-dist), no CDN.
const DOCS_CSP = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'";

function securityHeaders(req: Request, res: Response, next: NextFunction): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  // /ops sets its own nonce-based policy.
  if (!req.path.startsWith('/ops')) res.setHeader('Content-Security-Policy', req.path.startsWith('/docs') ? DOCS_CSP : API_CSP);
  next();
}

export function openApiDocument(app: INestApplication, config: ApiConfig) {
  const doc = new DocumentBuilder()
    .setTitle('PaperWire API')
    .setDescription(
      'Research papers as structured records: topics, numeric claims, sightings; subscriptions, sources and pipeline stats. ' +
        'Errors are application/problem+json (RFC 9457). API keys go in `Authorization: Bearer <key>` or `X-API-Key`, never in the URL.',
    )
    .setVersion('1')
    .addServer(config.PUBLIC_URL)
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'pw_… API key' }, 'bearer')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'apiKey')
    .build();
  return SwaggerModule.createDocument(app, doc);
}

/**
 * Everything the api needs on top of the Nest app: body limits, security headers, problem+json for
 * every error (including body-parser's), and the OpenAPI document at /docs. Shared by main.ts and the
 * contract tests so they run the same stack.
 */
export function configureApiApp(app: INestApplication, config: ApiConfig): void {
  const http = app.getHttpAdapter().getInstance() as express.Express;
  http.disable('x-powered-by');
  http.set('trust proxy', 'loopback');
  const log = app.get<Logger>(LOGGER);
  app.use(securityHeaders);
  // Registered before Nest's own parsers, which it then skips (same middleware names).
  app.use(express.json({ limit: config.MAX_BODY_BYTES, type: ['application/json', 'application/*+json'] }));
  app.use(express.urlencoded({ limit: config.MAX_BODY_BYTES, extended: false }));
  app.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    sendProblem(res, toProblem(err, req.originalUrl.split('?')[0]));
  });
  app.useGlobalFilters(new ProblemFilter(log));
  SwaggerModule.setup('docs', app, () => openApiDocument(app, config), { jsonDocumentUrl: 'docs-json' });
}
