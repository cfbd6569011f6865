import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import { SERVICE_PORTS, type CommonEnv, type ServiceName } from '@paperwire/config';
import { createLogger } from '@paperwire/telemetry';
import { PinoNestLogger } from './logger';
import { metricsPortOf, serveMetrics } from './metrics';

export interface BootstrapOptions {
  /** the service's name; its port when PORT is not set is SERVICE_PORTS[service] */
  service: ServiceName;
  config: CommonEnv;
  configure?: (app: INestApplication) => void | Promise<void>;
  /** serve /metrics on this port (0: a free one) instead of the main port; needs CoreModule's metricsOnMainPort: false */
  metricsPort?: number;
}

/**
 * Starts a service: Nest app with pino logs, shutdown hooks (workers finish or release their jobs on
 * SIGTERM), and the HTTP listener for /healthz, /readyz and /metrics.
 */
export async function bootstrapService(module: unknown, opts: BootstrapOptions): Promise<INestApplication> {
  const logger = createLogger(opts.service, opts.config.LOG_LEVEL);
  const app = await NestFactory.create(module as never, {
    logger: new PinoNestLogger(logger),
    bufferLogs: false,
  });
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  await opts.configure?.(app);
  const port = opts.config.PORT ?? SERVICE_PORTS[opts.service];
  await app.listen(port, opts.config.HOST);
  const metricsPort =
    opts.metricsPort === undefined ? undefined : metricsPortOf(await serveMetrics(app, opts.metricsPort, opts.config.HOST));
  const address = app.getHttpServer().address() as { port: number } | null;
  logger.info({ port: address?.port ?? port, metricsPort }, `${opts.service} ready`);
  // Tests and the orchestrator wait for this line on stdout to know the port.
  process.stdout.write(
    `${JSON.stringify({ event: 'ready', service: opts.service, port: address?.port ?? port, ...(metricsPort === undefined ? {} : { metricsPort }) })}\n`,
  );
  return app;
}

/** Exits non-zero with one readable line when start-up fails (bad config, database down…). */
export function runMain(service: string, main: () => Promise<unknown>): void {
  main().catch((err: unknown) => {
    process.stderr.write(`${JSON.stringify({ level: 'fatal', service, msg: 'failed to start', err: err instanceof Error ? err.message : String(err) })}\n`);
    process.exit(1);
  });
}
