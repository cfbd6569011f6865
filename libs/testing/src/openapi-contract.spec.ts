import { OpenApiContract, type Exchange } from './openapi-contract';

const problem = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };

const contract = new OpenApiContract({
  paths: {
    '/v1/things': {
      get: {
        responses: {
          '200': {
            content: { 'application/json': { schema: { $ref: '#/components/schemas/ThingList' } } },
            headers: {
              ETag: { required: true, schema: { type: 'string' } },
              'X-RateLimit-Remaining': { $ref: '#/components/headers/Remaining' },
            },
          },
          '304': {},
          '429': {
            content: problem,
            headers: { 'Retry-After': { required: true, schema: { type: 'integer', minimum: 0 } } },
          },
        },
      },
    },
    '/v1/things/{id}': {
      get: {
        responses: {
          '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
          '404': { content: problem },
        },
      },
      delete: { responses: { '204': {} } },
    },
    '/v1/things/special': {
      get: { responses: { '200': { content: { 'text/plain': { schema: { type: 'string' } } } } } },
    },
  },
  components: {
    headers: { Remaining: { schema: { type: 'integer', minimum: 0 } } },
    schemas: {
      Problem: { type: 'object', required: ['status'], properties: { status: { type: 'integer' } } },
      ThingList: {
        type: 'object',
        required: ['items'],
        properties: { items: { type: 'array', items: { $ref: '#/components/schemas/Thing' } } },
      },
      Thing: {
        type: 'object',
        required: ['id', 'count', 'parent'],
        properties: {
          id: { type: 'string', format: 'uuid' },
          count: { type: 'integer' },
          // A nullable DTO reference as the api's document writes it (strictNulls in openapi-document.ts)
          parent: { oneOf: [{ $ref: '#/components/schemas/Ref' }, { type: 'object', nullable: true, enum: [null] }] },
        },
      },
      Ref: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
    },
  },
});

const ID = '0b7e2f4c-3f1e-4a3a-9c1e-6a1d2f3b4c5d';
const json = (v: unknown) => Buffer.from(JSON.stringify(v));
const ex = (over: Partial<Exchange>): Exchange => ({
  method: 'GET',
  path: '/v1/things',
  status: 200,
  headers: { 'content-type': 'application/json; charset=utf-8', etag: 'W/"x"', 'x-ratelimit-remaining': '9' },
  body: json({ items: [{ id: ID, count: 1, parent: null }] }),
  ...over,
});

describe('OpenApiContract', () => {
  it('accepts a conforming response, null for a nullable reference included', () => {
    expect(contract.check(ex({}))).toEqual([]);
    expect(
      contract.check(ex({ body: json({ items: [{ id: ID, count: 2, parent: { id: 'p' } }] }) })),
    ).toEqual([]);
  });

  it('reads nullable as OAS 3.0.3 says, with no special case: beside allOf [$ref] it does not let null through', () => {
    const loose = new OpenApiContract({
      paths: { '/x': { get: { responses: { '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/X' } } } } } } } },
      components: {
        schemas: {
          X: { type: 'object', properties: { parent: { nullable: true, type: 'object', allOf: [{ $ref: '#/components/schemas/Ref' }] } } },
          Ref: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
        },
      },
    });
    const body = json({ parent: null });
    expect(loose.check({ method: 'GET', path: '/x', status: 200, headers: { 'content-type': 'application/json' }, body })[0]).toMatch(
      /body does not match the schema: body\/parent must be object/,
    );
  });

  it('refuses a body that is not the documented shape (an array where {items} is documented)', () => {
    const [problem] = contract.check(ex({ body: json([{ id: ID, count: 1, parent: null }]) }));
    expect(problem).toMatch(
      /GET \/v1\/things \(\/v1\/things\) → 200: body does not match the schema: body must be object/,
    );
  });

  it('refuses a number where an integer is documented, a bad format, and a wrong nullable object', () => {
    expect(contract.check(ex({ body: json({ items: [{ id: ID, count: 1.5, parent: null }] }) }))[0]).toMatch(
      /count must be integer/,
    );
    expect(
      contract.check(ex({ body: json({ items: [{ id: 'nope', count: 1, parent: null }] }) }))[0],
    ).toMatch(/must match format "uuid"/);
    expect(contract.check(ex({ body: json({ items: [{ id: ID, count: 1, parent: {} }] }) }))[0]).toMatch(
      /must have required property 'id'/,
    );
  });

  it('refuses an undocumented status, an undocumented content type, and an empty documented body', () => {
    expect(contract.check(ex({ status: 500 }))[0]).toMatch(
      /status not documented \(documented: 200, 304, 429\)/,
    );
    expect(contract.check(ex({ headers: { 'content-type': 'text/html', etag: 'W/"x"' } }))[0]).toMatch(
      /content type "text\/html" not documented/,
    );
    expect(contract.check(ex({ body: Buffer.alloc(0) }))[0]).toMatch(
      /empty body where application\/json is documented/,
    );
  });

  it('checks documented headers: required ones present, values of the documented type', () => {
    expect(contract.check(ex({ headers: { 'content-type': 'application/json' } }))).toEqual([
      expect.stringMatching(/required header ETag missing/),
    ]);
    expect(
      contract.check(
        ex({
          headers: { 'content-type': 'application/json', etag: 'W/"x"', 'x-ratelimit-remaining': 'lots' },
        }),
      )[0],
    ).toMatch(/header X-RateLimit-Remaining: "lots" does not match/);
    const tooMany = ex({
      status: 429,
      headers: { 'content-type': 'application/problem+json' },
      body: json({ status: 429 }),
    });
    expect(contract.check(tooMany)).toEqual([expect.stringMatching(/required header Retry-After missing/)]);
    expect(contract.check({ ...tooMany, headers: { ...tooMany.headers, 'retry-after': '5' } })).toEqual([]);
  });

  it('matches literal paths before parameters, skips bodies of 204/304, and ignores undocumented paths', () => {
    expect(
      contract.check(
        ex({
          path: '/v1/things/special',
          headers: { 'content-type': 'text/plain' },
          body: Buffer.from('hi'),
        }),
      ),
    ).toEqual([]);
    expect(
      contract.check(
        ex({
          path: `/v1/things/${ID}`,
          status: 404,
          headers: { 'content-type': 'application/problem+json' },
          body: json({ status: 404 }),
        }),
      ),
    ).toEqual([]);
    expect(
      contract.check(
        ex({ method: 'DELETE', path: `/v1/things/${ID}`, status: 204, headers: {}, body: Buffer.alloc(0) }),
      ),
    ).toEqual([]);
    expect(contract.check(ex({ status: 304, headers: {}, body: Buffer.alloc(0) }))).toEqual([]);
    expect(contract.match('GET', '/ops')).toBeUndefined();
    expect(contract.check(ex({ path: '/ops', status: 500 }))).toEqual([]);
  });
});
