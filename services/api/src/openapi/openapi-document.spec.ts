import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type {
  OpenAPIObject,
  OperationObject,
  ParameterObject,
  ResponseObject,
  SchemaObject,
} from '@nestjs/swagger';
import { extractClaims, formatClaim, headlineClaim } from '@paperwire/metrics';
import {
  buildDigestWebhookPayload,
  buildPaperWebhookPayload,
  type WebhookPaperInput,
} from '@paperwire/notifications';
import { REPO_ROOT } from '@paperwire/testing';
import { OPENAPI_FILE, buildStaticOpenApiDocument, serializeOpenApiDocument } from './static-document';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

function operations(doc: OpenAPIObject): [string, OperationObject][] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((m): [string, OperationObject] => [
      `${m.toUpperCase()} ${path}`,
      item[m] as OperationObject,
    ]),
  );
}

const op = (doc: OpenAPIObject, method: (typeof METHODS)[number], path: string) =>
  doc.paths[path][method] as OperationObject;
const ok = (o: OperationObject, status = '200') => o.responses[status] as ResponseObject;

describe('the OpenAPI document', () => {
  let doc: OpenAPIObject;
  beforeAll(async () => {
    doc = JSON.parse(serializeOpenApiDocument(await buildStaticOpenApiDocument())) as OpenAPIObject;
  });

  it('is the committed docs/openapi.json (run npm run openapi:export after changing a decorator)', () => {
    const committed: unknown = JSON.parse(readFileSync(join(REPO_ROOT, OPENAPI_FILE), 'utf8'));
    expect(committed).toEqual(doc);
  });

  it('says which subscriptions /v1/subscriptions reaches: the key\'s own in the list, any by id for an admin key', () => {
    const list = op(doc, 'get', '/v1/subscriptions');
    expect(`${list.summary} ${list.description}`).toMatch(/this key made/);
    expect(list.description).toContain('for an admin key too');
    expect(list.description).toContain('GET /v1/admin/subscriptions');
    for (const method of ['get', 'patch', 'delete'] as const) {
      const one = op(doc, method, '/v1/subscriptions/{id}');
      const text = `${one.summary} ${one.description ?? ''}`;
      expect(text).not.toMatch(/\byour\b/i);
      expect(text).toMatch(/admin (?:key|scope) reaches any subscription|any subscription for an admin key/);
    }
    expect(doc.tags?.find((t) => t.name === 'subscriptions')?.description).toContain('GET /v1/admin/subscriptions');
  });

  it('gives every 4xx and 5xx a problem+json body, and 429/503 a Retry-After', () => {
    const missing: string[] = [];
    for (const [name, o] of operations(doc)) {
      for (const [status, res] of Object.entries(o.responses as Record<string, ResponseObject>)) {
        if (Number(status) < 400) continue;
        const schema = res.content?.['application/problem+json']?.schema as { $ref?: string } | undefined;
        // The HF-compatible routes answer their own 404 with HF's {"error"} shape.
        if (
          schema?.$ref !== '#/components/schemas/Problem' &&
          !(name.includes(' /api/') && res.content?.['application/json'])
        )
          missing.push(`${name} ${status}`);
        if ((status === '429' || status === '503') && !res.headers?.['Retry-After'])
          missing.push(`${name} ${status} Retry-After`);
      }
    }
    expect(missing).toEqual([]);
    expect(operations(doc).length).toBeGreaterThan(30);
  });

  it('states security as the guard applies it: reads public, writes keyed, public routes without a key', () => {
    expect(op(doc, 'get', '/v1/papers').security).toEqual([{}, { bearer: [] }, { apiKey: [] }]);
    expect(op(doc, 'get', '/v1/topics').security).toEqual([{}, { bearer: [] }, { apiKey: [] }]);
    expect(op(doc, 'get', '/v1/admin/keys').security).toEqual([{ bearer: [] }, { apiKey: [] }]);
    expect(op(doc, 'post', '/v1/subscriptions').security).toEqual([{ bearer: [] }, { apiKey: [] }]);
    expect(op(doc, 'get', '/v1/unsubscribe').security).toEqual([]);
    expect(op(doc, 'get', '/api/daily_papers').security).toEqual([]);
    expect(op(doc, 'get', '/healthz').security).toEqual([]);
    expect(doc.components?.securitySchemes?.bearer).toMatchObject({
      scheme: 'bearer',
      bearerFormat: expect.stringMatching(/^pw_/),
    });
  });

  it('says {items} where the admin lists return {items}, and {items, nextCursor} where they page', () => {
    for (const [path, required] of [
      ['/v1/admin/keys', ['items']],
      ['/v1/admin/failed', ['items']],
      ['/v1/admin/subscriptions', ['items', 'nextCursor']],
      ['/v1/subscriptions', ['items', 'nextCursor']],
    ] as const) {
      const ref = (ok(op(doc, 'get', path)).content?.['application/json']?.schema as { $ref: string }).$ref;
      const schema = doc.components?.schemas?.[ref.split('/').pop()!] as SchemaObject;
      expect({ path, type: schema.type, required: schema.required }).toEqual({
        path,
        type: 'object',
        required,
      });
    }
  });

  it('types every parameter, and counts as integers', () => {
    const untyped = operations(doc).flatMap(([name, o]) =>
      ((o.parameters ?? []) as ParameterObject[])
        .filter((p) => !(p.schema as SchemaObject).type)
        .map((p) => `${name} ${p.name}`),
    );
    expect(untyped).toEqual([]);
    const limit = (op(doc, 'get', '/v1/papers').parameters as ParameterObject[]).find(
      (p) => p.name === 'limit',
    );
    expect(limit?.schema).toMatchObject({ type: 'integer' });
  });

  it('documents the ETag, Cache-Control and 304 of the cached reads', () => {
    const list = op(doc, 'get', '/v1/papers');
    expect(Object.keys(ok(list).headers ?? {})).toEqual(
      expect.arrayContaining(['ETag', 'Cache-Control', 'Vary', 'X-RateLimit-Limit']),
    );
    expect(list.responses['304']).toBeDefined();
    expect(op(doc, 'get', '/v1/feeds/topics/{file}').responses['304']).toBeDefined();
  });

  it('uses a default taxonomy topic in the feed example', () => {
    const slugs = (
      JSON.parse(readFileSync(join(REPO_ROOT, 'data/taxonomy/default-topics.json'), 'utf8')) as {
        slug: string;
      }[]
    ).map((t) => t.slug);
    const file = (op(doc, 'get', '/v1/feeds/topics/{file}').parameters as ParameterObject[]).find(
      (p) => p.name === 'file',
    );
    const example = String((file?.example ?? (file?.schema as SchemaObject).example) as string);
    expect(slugs).toContain(example.replace(/\.(atom|json)$/, ''));
  });

  it('says "or null" the way strict OAS 3.0.3 validators read it: nullable only beside a type, null in a nullable enum', () => {
    expect(doc.openapi).toBe('3.0.3');
    const loose: string[] = [];
    const nullableProps: string[] = [];
    const walk = (node: unknown, at: string): void => {
      if (Array.isArray(node)) return node.forEach((x, i) => walk(x, `${at}/${i}`));
      if (typeof node !== 'object' || node === null) return;
      const n = node as Record<string, unknown>;
      if (n.nullable === true) {
        // Beside allOf/oneOf/anyOf/$ref, `nullable` widens nothing the subschemas refuse.
        if (n.type === undefined || ['allOf', 'oneOf', 'anyOf', '$ref'].some((k) => k in n)) loose.push(at);
        if (Array.isArray(n.enum) && !n.enum.includes(null)) loose.push(`${at} (enum without null)`);
      }
      for (const [k, v] of Object.entries(n)) walk(v, `${at}/${k}`);
    };
    walk(doc, '#');
    expect(loose).toEqual([]);

    // Every property documented as nullable takes null, read by Ajv as written (no rewriting of the document).
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ components: doc.components } as object, 'nulls');
    for (const [name, schema] of Object.entries(doc.components?.schemas ?? {}))
      for (const [prop, p] of Object.entries((schema as SchemaObject).properties ?? {})) {
        const q = p as SchemaObject;
        if (q.nullable || q.oneOf?.some((x) => (x as SchemaObject).nullable)) {
          nullableProps.push(`${name}.${prop}`);
          const pointer = `nulls#/components/schemas/${name}/properties/${prop}`;
          expect({ pointer, ok: ajv.getSchema(pointer)!(null) }).toEqual({ pointer, ok: true });
        }
      }
    expect(nullableProps).toEqual(expect.arrayContaining(['PaperSummaryDto.headlineClaim', 'PaperDetailDto.headlineClaim', 'ClaimDto.baseline']));
    const claimRef = ajv.getSchema('nulls#/components/schemas/PaperSummaryDto/properties/headlineClaim')!;
    expect(claimRef({ nope: 1 })).toBe(false);
  });

  it("describes a paper's pipeline fields (stage, its times, the classifier and extractor versions)", () => {
    const schemas = doc.components!.schemas as Record<string, SchemaObject>;
    const detail = schemas.PaperDetailDto.properties as Record<string, SchemaObject>;
    for (const name of ['stage', 'stageAt', 'stageTimes', 'classifierVersion', 'extractorVersion'])
      expect([name, (detail[name].description ?? '').length > 20]).toEqual([name, true]);
    const times = schemas.StageTimesDto.properties as Record<string, SchemaObject>;
    for (const name of Object.keys(times)) expect([name, (times[name].description ?? '').length > 20]).toEqual([name, true]);
  });

  it('documents the schedule defaults (minute 0, UTC) rather than requiring what the API fills in', () => {
    const schedule = doc.components!.schemas!.ScheduleDto as SchemaObject;
    expect(schedule.required).toEqual(['hour']);
    expect((schedule.properties!.minute as SchemaObject).default).toBe(0);
    expect((schedule.properties!.timeZone as SchemaObject).default).toBe('UTC');
  });

  it('describes the webhook payloads the notifier builds', () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ components: doc.components } as object, 'doc');
    // Claims as the extractor makes them: a range, a baseline, a qualifier, nulls.
    const abstract =
      'We cut GPU memory by up to 12.2x and raise accuracy from 19.5 to 31.5 on GSM8K, with 26 tasks.';
    const claims = extractClaims(abstract);
    expect(claims.length).toBeGreaterThanOrEqual(3);
    const headline = headlineClaim(claims);
    const paper: WebhookPaperInput = {
      id: 'p1',
      arxivId: '2611.01234',
      title: 'T',
      abstract,
      authors: [{ name: 'A' }],
      topics: [{ slug: 'rag', score: 0.8, evidence: [] }],
      claims,
      sources: ['arxiv-rss'],
      codeLinks: [],
      links: { code: [], project: [] },
      primaryTopic: 'rag',
      contribution: 'method',
      publishedAt: null,
      headlineClaim: headline && { ...headline, summary: formatClaim(headline) },
    };
    const matched = buildPaperWebhookPayload({
      subscription: { id: 's', name: 'n' },
      paper,
      reasons: ['r'],
      timestamp: new Date(0),
    });
    const digest = buildDigestWebhookPayload({
      subscription: { id: 's', name: 'n' },
      mode: 'weekly',
      periodKey: '2026-W48',
      period: { start: new Date(0), end: new Date(1) },
      items: [{ paper, reasons: ['r'] }],
      timestamp: new Date(0),
    });
    for (const [name, payload] of [
      ['PaperMatchedWebhook', matched],
      ['DigestReadyWebhook', digest],
    ] as const) {
      const validate = ajv.getSchema(`doc#/components/schemas/${name}`)!;
      expect({ name, ok: validate(payload), errors: validate.errors ?? null }).toEqual({
        name,
        ok: true,
        errors: null,
      });
      expect(validate({ ...payload, type: 'other' })).toBe(false);
    }
    expect(Object.keys((doc as OpenAPIObject & { 'x-webhooks': object })['x-webhooks'])).toEqual([
      'paper.matched',
      'digest.ready',
    ]);
  });
});
