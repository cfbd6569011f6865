import type { IncomingMessage, ServerResponse } from 'node:http';
import { OpenApiContract } from './openapi-contract';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';

// Kept on globalThis so the recorder (imported by a spec) and the Jest hook (a setup file) share it
// whatever module instance each of them got.
const STORE = Symbol.for('paperwire.contract-violations');
type Store = { violations: string[]; checked: number };
const store = (): Store =>
  ((globalThis as Record<symbol, Store | undefined>)[STORE] ??= { violations: [], checked: 0 });

/** Violations recorded since the last call, and forgets them. */
export function takeContractViolations(): string[] {
  const s = store();
  return s.violations.splice(0, s.violations.length);
}

/** How many responses were checked against a documented operation (a test can assert it is > 0). */
export const contractChecks = (): number => store().checked;

// One compiled contract per distinct document: every api a spec file starts shares it.
const contracts = new Map<string, OpenApiContract>();

function contractFor(doc: object): OpenApiContract {
  const key = JSON.stringify(doc);
  let c = contracts.get(key);
  if (!c) {
    c = new OpenApiContract(JSON.parse(key) as ConstructorParameters<typeof OpenApiContract>[0]);
    contracts.set(key, c);
  }
  return c;
}

type Chunk = string | Uint8Array;
const toBuffer = (chunk: unknown, encoding?: unknown): Buffer =>
  Buffer.isBuffer(chunk)
    ? chunk
    : chunk instanceof Uint8Array
      ? Buffer.from(chunk)
      : Buffer.from(String(chunk), typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');

/** The body as the client reads it: the api compresses text bodies for clients that accept it. */
function decoded(body: Buffer, coding: unknown): Buffer {
  if (coding === 'gzip') return gunzipSync(body);
  if (coding === 'br') return brotliDecompressSync(body);
  return body;
}

/**
 * Connect/Express middleware, mounted first: records every response the server sends (status,
 * headers, body bytes) and checks it against the OpenAPI document when it finishes. Mismatches are
 * collected for `takeContractViolations` (the Jest setup file fails the test with them).
 */
export function recordContract(doc: object) {
  const contract = contractFor(doc);
  return (req: IncomingMessage & { originalUrl?: string }, res: ServerResponse, next: () => void): void => {
    const path = (req.originalUrl ?? req.url ?? '').split('?')[0];
    const method = req.method ?? 'GET';
    if (!contract.match(method, path)) {
      next();
      return;
    }
    const chunks: Buffer[] = [];
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    res.write = ((chunk: Chunk, ...rest: unknown[]) => {
      if (chunk !== undefined && chunk !== null) chunks.push(toBuffer(chunk, rest[0]));
      return write(chunk, ...rest);
    }) as ServerResponse['write'];
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      if (chunk !== undefined && chunk !== null && typeof chunk !== 'function')
        chunks.push(toBuffer(chunk, rest[0]));
      return end(chunk, ...rest);
    }) as ServerResponse['end'];
    res.on('finish', () => {
      const s = store();
      s.checked++;
      s.violations.push(
        ...contract.check({
          method,
          path,
          status: res.statusCode,
          headers: res.getHeaders(),
          body: decoded(Buffer.concat(chunks), res.getHeader('content-encoding')),
        }),
      );
    });
    next();
  };
}
