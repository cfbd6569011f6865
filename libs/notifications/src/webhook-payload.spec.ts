import { claimFixture } from '@paperwire/testing';
import type { MatchablePaper } from './matchable-paper';
import {
  WEBHOOK_SCHEMA_VERSION,
  buildDigestWebhookPayload,
  buildPaperWebhookPayload,
  digestWebhookPayloadSchema,
  paperWebhookPayloadSchema,
} from './webhook-payload';

const claim = claimFixture({ start: 40, end: 45, metric: 'gpu memory', comparedTo: 'FlashAttention', qualifier: 'up to' });

const paper = (id: string): MatchablePaper & { internal_col?: string } => ({
  id,
  arxivId: '2611.01234',
  title: 'Sparse caches',
  abstract: 'We cut GPU memory by up to 12.2x.',
  authors: [{ name: 'A. Author' }],
  topics: [
    { slug: 'efficiency', score: 0.41234567, evidence: ['kv cache'] },
    { slug: 'rag', score: 0.82, evidence: ['retrieval'] },
  ],
  claims: [claim],
  sources: ['arxiv-rss'],
  codeLinks: ['https://github.com/a/b'],
  links: {
    abs: 'https://arxiv.org/abs/2611.01234',
    pdf: 'https://arxiv.org/pdf/2611.01234',
    code: ['https://github.com/a/b'],
    project: [],
  },
  primaryTopic: 'rag',
  contribution: 'method',
  publishedAt: '2026-11-20T00:00:00Z',
  internal_col: 'secret',
});

describe('buildPaperWebhookPayload', () => {
  it('builds a schema-valid paper.matched event without internal fields', () => {
    const payload = buildPaperWebhookPayload({
      subscription: { id: 's1', name: 'Efficiency watch' },
      paper: { ...paper('p1'), headlineClaim: { ...claim, summary: '12.2x less GPU memory' } },
      reasons: ['claim: 12.2x reduction in gpu memory'],
      timestamp: new Date('2026-11-24T10:00:00Z'),
    });
    expect(paperWebhookPayloadSchema.parse(payload)).toEqual(payload);
    expect(payload.type).toBe('paper.matched');
    expect(payload.version).toBe(WEBHOOK_SCHEMA_VERSION);
    expect(payload.timestamp).toBe('2026-11-24T10:00:00.000Z');
    const p = payload.data.paper;
    expect(p.topics.map((t) => t.slug)).toEqual(['rag', 'efficiency']);
    expect(p.topics[1]!.score).toBe(0.4123);
    expect(p.topics[0]).not.toHaveProperty('evidence');
    expect(p.links.code).toEqual(['https://github.com/a/b']);
    expect(p.headlineClaim).toMatchObject({
      text: '12.2x',
      summary: '12.2x less GPU memory',
      unitText: null,
      improvement: null,
    });
    expect(JSON.stringify(payload)).not.toContain('secret');
    expect(payload.data.matched.reasons).toEqual(['claim: 12.2x reduction in gpu memory']);
  });

  it('carries web addresses only: stored javascript: and data: links are left out', () => {
    const hostile = {
      ...paper('p3'),
      codeLinks: ['data:text/html,<script>alert(1)</script>', 'https://github.com/a/b'],
      links: {
        abs: 'javascript:alert(1)',
        pdf: 'data:application/pdf;base64,AAAA',
        code: [' JavaScript:alert(2)', 'https://github.com/a/b'],
        project: ['java\tscript:alert(3)', 'https://project.example/'],
      },
    };
    const payload = buildPaperWebhookPayload({ subscription: { id: 's1', name: 'n' }, paper: hostile, reasons: [], timestamp: new Date() });
    expect(payload.data.paper.links).toMatchObject({ abs: null, pdf: null, code: ['https://github.com/a/b'], project: ['https://project.example/'] });
    expect(payload.data.paper.links.labelled.map((l) => l.url)).toEqual(['https://github.com/a/b', 'https://project.example/']);
    const digest = buildDigestWebhookPayload({
      subscription: { id: 's1', name: 'n' },
      mode: 'daily',
      periodKey: '2026-11-23',
      period: { start: new Date('2026-11-22T08:00:00Z'), end: new Date('2026-11-23T08:00:00Z') },
      items: [{ paper: hostile, reasons: [] }],
      timestamp: new Date(),
    });
    expect(JSON.stringify(digest)).not.toMatch(/javascript:|data:text|data:application|script:/i);
    expect(digest.data.items[0]!.paper.links.code).toEqual(['https://github.com/a/b']);
  });

  // Review 25: a Hugging Face model a source listed as code was "code" here while the page and the feeds said "Model".
  it('keeps code for code repositories and gives every link its kind in labelled, as the pages do', () => {
    const payload = buildPaperWebhookPayload({
      subscription: { id: 's1', name: 'n' },
      paper: { ...paper('p4'), codeLinks: [], links: { code: ['https://github.com/a/b', 'https://huggingface.co/MiniMaxAI/MiniMax-M3'], project: [] } },
      reasons: [],
      timestamp: new Date(),
    });
    expect(paperWebhookPayloadSchema.safeParse(payload).success).toBe(true);
    expect(payload.data.paper.links.code).toEqual(['https://github.com/a/b']);
    expect(payload.data.paper.links.labelled.map(({ kind, label, url }) => ({ kind, label, url }))).toEqual([
      { kind: 'code', label: 'Code on GitHub', url: 'https://github.com/a/b' },
      { kind: 'model', label: 'Model on Hugging Face', url: 'https://huggingface.co/MiniMaxAI/MiniMax-M3' },
    ]);
  });

  it('fills nulls for what a paper lacks', () => {
    const bare: MatchablePaper = {
      id: 'p2',
      title: 't',
      abstract: 'a',
      authors: [],
      topics: [],
      claims: [],
      sources: [],
      codeLinks: [],
    };
    const payload = buildPaperWebhookPayload({
      subscription: { id: 's', name: 'n' },
      paper: bare,
      reasons: [],
      timestamp: new Date(),
    });
    expect(paperWebhookPayloadSchema.safeParse(payload).success).toBe(true);
    expect(payload.data.paper).toMatchObject({
      arxivId: null,
      primaryTopic: null,
      headlineClaim: null,
      links: { abs: null, pdf: null, code: [], project: [] },
    });
  });
});

describe('buildDigestWebhookPayload', () => {
  it('builds a schema-valid digest.ready event and truncates to maxItems', () => {
    const items = ['a', 'b', 'c'].map((id) => ({ paper: paper(id), reasons: [`topic rag (0.82)`] }));
    const payload = buildDigestWebhookPayload({
      subscription: { id: 's1', name: 'Weekly RAG' },
      mode: 'weekly',
      periodKey: '2026-W48',
      period: { start: new Date('2026-11-16T08:00:00Z'), end: new Date('2026-11-23T08:00:00Z') },
      items,
      timestamp: new Date('2026-11-23T08:00:05Z'),
      maxItems: 2,
    });
    expect(digestWebhookPayloadSchema.parse(payload)).toEqual(payload);
    expect(payload.type).toBe('digest.ready');
    expect(payload.data.digest).toMatchObject({
      total: 3,
      truncated: true,
      periodKey: '2026-W48',
      url: null,
    });
    expect(payload.data.items.map((i) => i.paper.id)).toEqual(['a', 'b']);
    expect(payload.data.items[0].paper.url).toBeNull();
  });

  it("links every paper to its PaperWire page when given the public base URL", () => {
    const payload = buildDigestWebhookPayload({
      subscription: { id: 's1', name: 'Daily' },
      mode: 'daily',
      periodKey: '2026-11-23',
      period: { start: new Date('2026-11-22T08:00:00Z'), end: new Date('2026-11-23T08:00:00Z') },
      items: [{ paper: { ...paper('a'), arxivId: '2611.00007' }, reasons: [] }, { paper: { ...paper('b'), arxivId: null }, reasons: [] }],
      timestamp: new Date('2026-11-23T08:00:05Z'),
      appUrl: 'https://pw.example.org/',
    });
    expect(digestWebhookPayloadSchema.parse(payload)).toEqual(payload);
    expect(payload.data.items.map((i) => i.paper.url)).toEqual(['https://pw.example.org/papers/2611.00007', 'https://pw.example.org/papers/b']);
    const one = buildPaperWebhookPayload({ subscription: { id: 's', name: 'n' }, paper: paper('c'), reasons: [], timestamp: new Date(), appUrl: 'https://pw.example.org' });
    expect(paperWebhookPayloadSchema.parse(one).data.paper.url).toMatch(/^https:\/\/pw\.example\.org\/papers\//);
  });
});

describe('buildDigestWebhookPayload total', () => {
  it('counts every paper of the period given as total, and says truncated when items carry fewer', () => {
    const p = buildDigestWebhookPayload({
      subscription: { id: 's', name: 'n' },
      mode: 'daily',
      periodKey: '2026-12-07',
      period: { start: new Date(0), end: new Date(1) },
      items: [],
      total: 126,
      timestamp: new Date(0),
    });
    expect(p.data.digest).toMatchObject({ total: 126, truncated: true });
  });
});
