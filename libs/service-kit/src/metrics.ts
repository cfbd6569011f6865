import { Controller, Get, Header, Inject, Injectable, type INestApplication } from '@nestjs/common';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The service's Prometheus metrics (names documented in infra/METRICS.md). */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  readonly jobs = this.counter(
    'paperwire_jobs_total',
    'Jobs processed, by queue, job name and outcome (completed, failed, retry, split, moved)',
    ['queue', 'job', 'outcome'],
  );
  readonly jobDuration = this.histogram(
    'paperwire_job_duration_seconds',
    'Job processing time',
    ['queue', 'job'],
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  );
  readonly papers = this.counter(
    'paperwire_papers_processed_total',
    'Papers processed by a stage',
    ['stage'],
  );
  readonly queueDepth = this.gauge(
    'paperwire_queue_depth',
    'Jobs in a queue by state (waiting, active, delayed, failed)',
    ['queue', 'state'],
  );
  readonly papersStage = this.gauge('paperwire_papers_stage', 'Papers per pipeline stage', ['stage']);
  readonly searchLag = this.gauge(
    'paperwire_search_lag_seconds',
    'Age of the oldest pending full-text index job: how far search is behind the parsed papers (0 when caught up)',
    [],
  );
  readonly searchPending = this.gauge(
    'paperwire_search_pending_papers',
    'Papers named by pending full-text index jobs (their vector missing or stale)',
    [],
  );
  readonly fetches = this.counter(
    'paperwire_fetch_total',
    'Source fetches by source and outcome',
    ['source', 'outcome'],
  );
  readonly deliveries = this.counter(
    'paperwire_deliveries_total',
    'Delivery attempts by channel and outcome',
    ['channel', 'outcome'],
  );
  // HTTP (the api; infra/METRICS.md): by Express route template, never a raw URL.
  readonly httpRequests = this.counter(
    'paperwire_http_requests_total',
    'HTTP requests answered by the api, by method, route template and status',
    ['method', 'route', 'status'],
  );
  readonly httpDuration = this.histogram(
    'paperwire_http_request_duration_seconds',
    'HTTP request latency by method and route template',
    ['method', 'route'],
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  );
  readonly httpShed = this.counter(
    'paperwire_http_shed_total',
    'Requests refused before work: reason = client_concurrency (429) or saturated (503)',
    ['reason'],
  );
  readonly httpCache = this.counter(
    'paperwire_http_cache_total',
    'Response cache lookups: hit, miss, coalesced (waited for an in-flight miss)',
    ['result'],
  );

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  // Every metric goes on this service's registry only, never on prom-client's global one.
  private counter<L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  private gauge<L extends string>(name: string, help: string, labelNames: readonly L[]): Gauge<L> {
    return new Gauge({ name, help, labelNames, registers: [this.registry] });
  }

  private histogram<L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    buckets: number[],
  ): Histogram<L> {
    return new Histogram({ name, help, labelNames, buckets, registers: [this.registry] });
  }
}

/** Refreshes the gauges read from Redis and Postgres (queue depth, papers per stage, search lag) on scrape. */
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
