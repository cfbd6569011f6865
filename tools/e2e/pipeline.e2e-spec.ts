import { Webhook } from 'standardwebhooks';
import {
  createTestDb,
  migratedEnv,
  runCli,
  startServiceProcess,
  startWebhookReceiver,
  uniqueName,
  waitFor,
  type ServiceProcess,
  type TestDb,
  type WebhookReceiver,
} from '@paperwire/testing';
import { SERVICES } from '@paperwire/config';

// The backbone end to end: six services as separate processes against the real Postgres and Redis,
// the bundled Daily Papers capture ingested through the CLI, the classifier SIGKILLed mid-run and
// restarted, and a local webhook receiver checking signed deliveries.

jest.setTimeout(240_000);

const TOPICS = ['vision-language', 'peft'];

describe('pipeline on the bundled sample', () => {
  let db: TestDb;
  let receiver: WebhookReceiver;
  let env: NodeJS.ProcessEnv;
  const procs = new Map<string, ServiceProcess>();
  let secret = '';
  let killedAtClassified = -1;

  const count = async (sql: string, params: unknown[] = []) => Number((await db.ds.query(sql, params))[0].n);

  beforeAll(async () => {
    db = await createTestDb('e2e', { migrate: false });
    receiver = await startWebhookReceiver();
    env = migratedEnv(db, `{${uniqueName('e2e')}}`, {
      // Small batches, so the classifier is killed with batches in flight and batches still queued.
      BATCH_SIZE: '4',
      CONCURRENCY: '1',
      RECONCILE_AFTER_SECONDS: '15',
      RECONCILE_EVERY_SECONDS: '5',
      WEBHOOK_ALLOW_PRIVATE: 'true',
    });
    const created = JSON.parse(
      runCli(['subscriptions', 'add', 'e2e-hook', 'webhook', `${receiver.url}/hook`, '--topics', TOPICS.join(',')], env),
    ) as { id: string; secret: string };
    secret = created.secret;
    for (const name of SERVICES) procs.set(name, await startServiceProcess(name, env, { logName: `e2e-${name}` }));
  });

  afterAll(async () => {
    await Promise.all([...procs.values()].map((p) => p.stop(5_000)));
    await receiver?.close();
    await db?.drop();
  });

  it('ingests the 60 papers, survives a classifier SIGKILL, and delivers each match once', async () => {
    const ingest = JSON.parse(runCli(['ingest', 'data/sample/daily-papers-sep-1.txt'], env)) as { rawDocumentId: string };
    expect(ingest.rawDocumentId).toMatch(/^[0-9a-f-]{36}$/);

    // Kill the classifier while it is part-way through the sample.
    killedAtClassified = await waitFor(
      'the classifier to be part-way through',
      async () => {
        const n = await count(`SELECT count(*) AS n FROM paper_stages WHERE classified_at IS NOT NULL`);
        return n >= 4 && n < 60 ? n : undefined;
      },
      60_000,
      20,
    );
    procs.get('classifier')!.kill('SIGKILL');
    await procs.get('classifier')!.exited;
    procs.set('classifier', await startServiceProcess('classifier', env, { logName: 'e2e-classifier-restarted' }));

    await waitFor('all 60 papers notified', async () => (await count(`SELECT count(*) AS n FROM paper_stages WHERE stage = 'notified'`)) === 60 || undefined, 150_000, 500);

    // Exactly the 60 papers of the capture, each classified and extracted once.
    expect(await count(`SELECT count(*) AS n FROM papers`)).toBe(60);
    expect(await count(`SELECT count(*) AS n FROM papers p JOIN paper_stages s ON s.paper_id = p.id WHERE p.classifier_version IS NULL OR s.extractor_version IS NULL OR s.classified_at IS NULL OR s.extracted_at IS NULL`)).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM (SELECT paper_id, topic_slug FROM paper_topics GROUP BY 1, 2 HAVING count(*) > 1) d`)).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM (SELECT paper_id, start, "end" FROM paper_claims GROUP BY 1, 2, 3 HAVING count(*) > 1) d`)).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM papers p WHERE NOT EXISTS (SELECT 1 FROM paper_topics t WHERE t.paper_id = p.id)`)).toBeLessThan(60);
    expect(await count(`SELECT count(*) AS n FROM paper_claims`)).toBeGreaterThan(0);
    expect(killedAtClassified).toBeGreaterThanOrEqual(4);

    // The expected deliveries: every paper carrying one of the two topics.
    const expected: { id: string }[] = await db.ds.query(`SELECT DISTINCT paper_id AS id FROM paper_topics WHERE topic_slug = ANY($1)`, [TOPICS]);
    expect(expected.length).toBeGreaterThan(0);
    await waitFor('every matching paper delivered', async () => (await count(`SELECT count(*) AS n FROM deliveries WHERE status = 'delivered'`)) === expected.length || undefined, 60_000, 250);
    expect(await count(`SELECT count(*) AS n FROM deliveries`)).toBe(expected.length);

    // Every request verifies with the standardwebhooks package; one webhook-id per paper, and each
    // matching paper arrived (retries would reuse the same id).
    const wh = new Webhook(secret);
    const byId = new Map<string, string>();
    for (const r of receiver.requests) {
      const payload = wh.verify(r.body, {
        'webhook-id': String(r.headers['webhook-id']),
        'webhook-timestamp': String(r.headers['webhook-timestamp']),
        'webhook-signature': String(r.headers['webhook-signature']),
      }) as { data: { paper: { id: string } } };
      const prev = byId.get(String(r.headers['webhook-id']));
      if (prev) expect(prev).toBe(payload.data.paper.id);
      byId.set(String(r.headers['webhook-id']), payload.data.paper.id);
    }
    const deliveredPapers = [...byId.values()];
    expect(new Set(deliveredPapers).size).toBe(deliveredPapers.length);
    expect(new Set(deliveredPapers)).toEqual(new Set(expected.map((e) => e.id)));
  });

  it('drains every service on SIGTERM within 25 s', async () => {
    const results = await Promise.all([...procs.values()].map(async (p) => ({ name: p.name, ...(await p.stop(25_000)) })));
    for (const r of results) {
      expect({ name: r.name, forced: r.forced }).toEqual({ name: r.name, forced: false });
      expect(r.ms).toBeLessThan(25_000);
    }
  });
});
