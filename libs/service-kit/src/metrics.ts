import { Controller, Get, Header, Inject, Injectable, type INestApplication } from '@nestjs/common';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The service's Prometheus metrics (names documented in infra/METRICS.md). */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  readonly jobs = new Counter({
    name: 'paperwire_jobs_total',
    help: 'Jobs processed, by queue, job name and outcome (completed, failed, retry)',
    labelNames: ['queue', 'job', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly jobDuration = new Histogram({
    name: 'paperwire_job_duration_seconds',
    help: 'Job processing time',
    labelNames: ['queue', 'job'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly papers = new Counter({
    name: 'paperwire_papers_processed_total',
    help: 'Papers processed by a stage',
    labelNames: ['stage'] as const,
    registers: [this.registry],
  });
  readonly queueDepth = new Gauge({
    name: 'paperwire_queue_depth',
    help: 'Jobs in a queue by state (waiting, active, delayed, failed)',
    labelNames: ['queue', 'state'] as const,
    registers: [this.registry],
  });
  readonly papersStage = new Gauge({
    name: 'paperwire_papers_stage',
    help: 'Papers per pipeline stage',
    labelNames: ['stage'] as const,
    registers: [this.registry],
  });
  readonly fetches = new Counter({
    name: 'paperwire_fetch_total',
    help: 'Source fetches by source and outcome',
    labelNames: ['source', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly deliveries = new Counter({
    name: 'paperwire_deliveries_total',
    help: 'Delivery attempts by channel and outcome',
    labelNames: ['channel', 'outcome'] as const,
    registers: [this.registry],
  });
  // HTTP (the api; infra/METRICS.md): by Express route template, never a raw URL.
  readonly httpRequests = new Counter({
    name: 'paperwire_http_requests_total',
    help: 'HTTP requests answered by the api, by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'paperwire_http_request_duration_seconds',
    help: 'HTTP request latency by method and route template',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly httpShed = new Counter({
    name: 'paperwire_http_shed_total',
    help: 'Requests refused before work: reason = client_concurrency (429) or saturated (503)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly httpCache = new Counter({
    name: 'paperwire_http_cache_total',
    help: 'Response cache lookups: hit, miss, coalesced (waited for an in-flight miss)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}

/** Refreshes the gauges read from Redis and Postgres (queue depth, papers per stage) on scrape. */
export const GAUGE_REFRESHER = Symbol('GAUGE_REFRESHER');
export interface GaugeRefresher {
  refresh(): Promise<void>;
}

@Controller()
export class MetricsController {
  constructor(
    @Inject(Metrics) private readonly metrics: Metrics,
    @Inject(GAUGE_REFRESHER) private readonly gauges: GaugeRefresher,
  ) {}

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  async scrape(): Promise<string> {
    // A scrape must answer even when Redis or Postgres is down; the gauges then keep old values.
    await this.gauges.refresh().catch(() => undefined);
    return this.metrics.registry.metrics();
  }
}

/**
 * /metrics on a listener of its own, for a service whose main port is public (the api): Prometheus
 * scrapes this port, which stays inside the cluster; everything else on it is a 404. Resolves with
 * the server once it listens (port 0 picks a free one).
 */
export async function serveMetrics(app: INestApplication, port: number, host: string): Promise<Server> {
  const metrics = app.get(Metrics);
  const gauges = app.get<GaugeRefresher>(GAUGE_REFRESHER);
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    gauges
      .refresh()
      .catch(() => undefined)
      .then(() => metrics.registry.metrics())
      .then(
        (text) => {
          res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
          res.end(req.method === 'HEAD' ? undefined : text);
        },
        () => res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end('metrics unavailable\n'),
      );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // The main listener keeps the process alive; this one must not hold up a shutdown.
  server.unref();
  return server;
}

export const metricsPortOf = (server: Server): number => (server.address() as AddressInfo).port;
