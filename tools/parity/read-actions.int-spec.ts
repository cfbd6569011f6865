import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { ActionError, claimMetricMatches } from '@paperwire/actions';
import { QueueSet, createRedis } from '@paperwire/queue';
import {
  TEST_REDIS_URL,
  createTestDb,
  seedPaper,
  seedSource,
  seedTopic,
  uniqueName,
  type TestDb,
} from '@paperwire/testing';
import { createTestApp } from '../../services/api/src/testing/app';
import { searchClaims, showPaper } from '../../services/cli/src/commands/catalogue';
import { pipelineStats } from '../../services/cli/src/commands/stats';
import { listTopics, upsertTopic } from '../../services/cli/src/commands/topics';

jest.setTimeout(60_000);

// Issue #15 item 2, the read side: the API and the CLI run the same actions, so on the same input they
// give the same objects and the same refusals. Each disagreement of the old code has a test of its own.
describe('read actions: API and CLI agree', () => {
  let db: TestDb;
  let app: INestApplication;
  const http = () => request(app.getHttpServer());
  const ids: Record<'vram' | 'memory' | 'other', string> = { vram: '', memory: '', other: '' };

  beforeAll(async () => {
    db = await createTestDb('t_read_parity');
    await seedTopic(db.ds, 'llm', 'LLM');
    const src = await seedSource(db.ds, 'hf', 'hf-daily-papers');
    const sighting = {
      sourceId: src,
      sourceKind: 'hf-daily-papers',
      upvotes: 3,
      featuredAt: '2026-03-02T08:00:00Z',
    };
    const paper = (
      n: number,
      title: string,
      claim: {
        text: string;
        value: number;
        unit: 'x' | '%';
        kind: 'reduction' | 'absolute_score';
        metric: string;
      },
      extra = {},
    ) =>
      seedPaper(db.ds, {
        title,
        abstract: `${title}: ${claim.text}.`,
        arxivId: `2603.0000${n}`,
        publishedAt: `2026-03-0${n + 1}T00:00:00Z`,
        claims: [claim],
        sightings: [sighting],
        ...extra,
      });
    ids.vram = await paper(
      1,
      'Cutting VRAM',
      { text: 'GPU memory by 3x', value: 3, unit: 'x', kind: 'reduction', metric: 'gpu memory' },
      {
        authors: ['Ada Lovelace', 'Alan Turing'],
        topics: [{ slug: 'llm', score: 0.9, primary: true }],
      },
    );
    ids.memory = await paper(2, 'Memory', {
      text: 'memory by 2x',
      value: 2,
      unit: 'x',
      kind: 'reduction',
      metric: 'memory',
    });
    ids.other = await paper(3, 'Win rate', {
      text: 'win rate of 60%',
      value: 60,
      unit: '%',
      kind: 'absolute_score',
      metric: 'win rate',
    });
    app = await createTestApp(db, `{${uniqueName('t-read-parity')}}`);
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  async function apiClaimPapers(metric: string): Promise<string[]> {
    const res = await http().get('/v1/claims').query({ claimMetric: metric }).expect(200);
    return (res.body.items as { paperId: string }[]).map((c) => c.paperId).sort();
  }
  async function cliClaimPapers(metric: string): Promise<string[]> {
    return (await searchClaims(db.ds, { metric })).map((c) => c.paperId).sort();
  }

  describe('claim search matches the metric one way (aliases, never a substring)', () => {
    it('an alias finds the canonical metric in the API, the CLI and the notifier alike', async () => {
      expect(await apiClaimPapers('VRAM')).toEqual([ids.vram]);
      expect(await cliClaimPapers('VRAM')).toEqual([ids.vram]);
      expect(claimMetricMatches('VRAM', 'gpu memory')).toBe(true);
      // /v1/papers takes the same claim filter
      const papers = await http().get('/v1/papers').query({ claimMetric: 'vram' }).expect(200);
      expect((papers.body.items as { id: string }[]).map((p) => p.id)).toEqual([ids.vram]);
    });

    it('a metric is not found inside another (the CLI used to match "memory" in "gpu memory")', async () => {
      expect(await apiClaimPapers('memory')).toEqual([ids.memory]);
      expect(await cliClaimPapers('memory')).toEqual([ids.memory]);
      expect(claimMetricMatches('memory', 'gpu memory')).toBe(false);
    });

    it('the CLI prints the hits the API returns, field for field', async () => {
      const api = (await http().get('/v1/claims').query({ claimUnit: 'x' }).expect(200)).body.items;
      const cli = JSON.parse(JSON.stringify(await searchClaims(db.ds, { unit: 'x' })));
      expect(cli).toEqual(api);
      expect(cli.map((c: { paperId: string }) => c.paperId)).toEqual([ids.memory, ids.vram]);
    });

    it('refuses the same bad filter', async () => {
      await http().get('/v1/claims').query({ claimKind: 'bigger' }).expect(400);
      await expect(searchClaims(db.ds, { kind: 'bigger' })).rejects.toThrow(ActionError);
      const api = await http().get('/v1/claims').query({ claimMin: '5', claimMax: '1' }).expect(400);
      expect(JSON.stringify(api.body)).toMatch(/claimMin is greater than claimMax/);
      // the same refusal, in the names the CLI's options have
      await expect(searchClaims(db.ds, { min: 5, max: 1 })).rejects.toThrow(/--min is greater than --max/);
    });
  });

  describe('paperwire paper prints the object GET /v1/papers/{id} returns', () => {
    it('with its authors, by arXiv id or uuid', async () => {
      const api = (await http().get('/v1/papers/2603.00001v2').expect(200)).body;
      const cli = JSON.parse(JSON.stringify(await showPaper(db.ds, '2603.00001v2')));
      expect(cli).toEqual(api);
      expect(cli.authors).toEqual([{ name: 'Ada Lovelace' }, { name: 'Alan Turing' }]);
      expect(JSON.parse(JSON.stringify(await showPaper(db.ds, ids.vram)))).toEqual(api);
    });

    it('an unknown paper is none in both', async () => {
      await http().get('/v1/papers/2603.99999').expect(404);
      expect(await showPaper(db.ds, '2603.99999')).toBeNull();
    });
  });

  describe('topics: one slug rule, one listing', () => {
    it('a 64-character slug is a topic in the CLI and a filter in the API; 65 is refused by both', async () => {
      const ok = `t${'x'.repeat(63)}`;
      const tooLong = `${ok}y`;
      await upsertTopic(db.ds, {
        slug: ok,
        name: 'Long',
        description: 'A topic with the longest slug allowed.',
      });
      await http().get('/v1/papers').query({ topic: ok }).expect(200);
      await expect(
        upsertTopic(db.ds, {
          slug: tooLong,
          name: 'Longer',
          description: 'One character too long for a slug.',
        }),
      ).rejects.toThrow(ActionError);
      await http().get('/v1/papers').query({ topic: tooLong }).expect(400);
    });

    it('a one-character slug (accepted as a filter by the API) can be created with the CLI', async () => {
      await upsertTopic(db.ds, { slug: 'q', name: 'Q', description: 'Quantum everything, one letter.' });
      await http().get('/v1/papers').query({ topic: 'q' }).expect(200);
    });

    it('`paperwire topics list` prints the items of GET /v1/topics', async () => {
      const api = (await http().get('/v1/topics').expect(200)).body.items;
      const cli = JSON.parse(JSON.stringify(await listTopics(db.ds)));
      expect(cli).toEqual(api);
      expect(cli.find((t: { slug: string }) => t.slug === 'llm')).toMatchObject({
        paperCount: 1,
        primaryCount: 1,
      });
    });
  });

  it('`paperwire stats --json` is camelCase like the API', async () => {
    const redis = createRedis(TEST_REDIS_URL, { connectionName: 't-read-parity', maxRetriesPerRequest: 3 });
    const queues = new QueueSet(redis, `{${uniqueName('t-read-parity-q')}}`);
    try {
      const stats = await pipelineStats(db.ds, queues);
      const keys: string[] = [];
      const walk = (v: unknown): void => {
        if (Array.isArray(v)) v.forEach(walk);
        else if (v && typeof v === 'object')
          for (const [k, x] of Object.entries(v)) {
            keys.push(k);
            if (k !== 'stages' && k !== 'deliveries' && k !== 'rawDocuments') walk(x);
          }
      };
      walk(stats);
      expect(keys.filter((k) => k.includes('_'))).toEqual([]);
      expect(stats.sources.find((s) => s.name === 'hf')).toMatchObject({
        consecutiveFailures: 0,
        lastStatus: 200,
      });
    } finally {
      await queues.close();
      await redis.quit();
    }
  });
});
