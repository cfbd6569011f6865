import { register } from 'prom-client';
import { Metrics } from './metrics';

describe('Metrics', () => {
  it('registers every PaperWire metric on its own registry, with its labels, and none globally', async () => {
    const m = new Metrics();
    m.jobs.inc({ queue: 'parse', job: 'parse-document', outcome: 'completed' });
    m.httpDuration.observe({ method: 'GET', route: '/v1/papers' }, 0.02);
    const text = await m.registry.metrics();
    for (const name of [
      'paperwire_jobs_total',
      'paperwire_job_duration_seconds',
      'paperwire_papers_processed_total',
      'paperwire_queue_depth',
      'paperwire_papers_stage',
      'paperwire_search_lag_seconds',
      'paperwire_search_pending_papers',
      'paperwire_fetch_total',
      'paperwire_deliveries_total',
      'paperwire_http_requests_total',
      'paperwire_http_request_duration_seconds',
      'paperwire_http_shed_total',
      'paperwire_http_cache_total',
    ])
      expect(text).toContain(`# TYPE ${name} `);
    expect(text).toContain('paperwire_jobs_total{queue="parse",job="parse-document",outcome="completed"} 1');
    expect(text).toContain('paperwire_http_request_duration_seconds_bucket{le="0.025",method="GET",route="/v1/papers"} 1');
    expect(register.getSingleMetric('paperwire_jobs_total')).toBeUndefined();
    // A second instance (another app in the same process) does not collide with the first.
    expect(() => new Metrics()).not.toThrow();
  });
});
