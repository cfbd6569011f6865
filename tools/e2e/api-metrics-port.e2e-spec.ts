import {
  createTestDb,
  deleteRedisKeys,
  freeTcpPort,
  runCli,
  startServiceProcess,
  uniqueName,
  type ServiceProcess,
  type TestDb,
} from '@paperwire/testing';

// Issue 14, item 12: /metrics was public on the api's port. The api process serves it on METRICS_PORT
// only; the public port answers 404 for it (and keeps /healthz, /readyz and the API).

jest.setTimeout(120_000);

describe('api /metrics on its own port', () => {
  let db: TestDb;
  let api: ServiceProcess | undefined;
  let prefix: string;

  beforeAll(async () => {
    db = await createTestDb('e2e_metrics_port', { migrate: false });
    prefix = `{${uniqueName('e2e-mport')}}`;
    runCli(['db', 'migrate'], { DATABASE_URL: db.url, DATABASE_SCHEMA: db.schema });
  });

  afterAll(async () => {
    await api?.stop(10_000);
    await deleteRedisKeys([`*${prefix}*`]);
    await db?.drop();
  });

  it('404 on the public port, Prometheus text on METRICS_PORT', async () => {
    const metricsPort = await freeTcpPort();
    api = await startServiceProcess(
      'api',
      { DATABASE_URL: db.url, DATABASE_SCHEMA: db.schema, QUEUE_PREFIX: prefix, METRICS_PORT: String(metricsPort) },
      { logName: 'e2e-metrics-port-api' },
    );
    const pub = `http://127.0.0.1:${api.port}`;
    const onPublic = await fetch(`${pub}/metrics`);
    expect(onPublic.status).toBe(404);
    expect(await onPublic.text()).not.toContain('paperwire_');
    expect((await fetch(`${pub}/healthz`)).status).toBe(200);
    expect((await fetch(`${pub}/v1/topics`)).status).toBe(200);

    const scraped = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(scraped.status).toBe(200);
    expect(scraped.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await scraped.text();
    expect(text).toMatch(/^paperwire_papers_stage\{stage="parsed"\} \d+/m);
    expect(text).toMatch(/^paperwire_queue_depth\{queue="fetch",state="waiting"\} \d+/m);
    expect((await fetch(`http://127.0.0.1:${metricsPort}/v1/topics`)).status).toBe(404);
  });
});
