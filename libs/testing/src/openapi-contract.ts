import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/** The parts of an OpenAPI 3.0 document the check reads. */
interface Doc {
  paths: Record<string, Record<string, unknown>>;
  components?: Record<string, Record<string, unknown>>;
}
interface Ref {
  $ref: string;
}
interface Header {
  required?: boolean;
  schema?: Record<string, unknown>;
}
interface Response {
  content?: Record<string, { schema?: unknown }>;
  headers?: Record<string, Header | Ref>;
}
interface Operation {
  operationId?: string;
  responses: Record<string, Response | Ref>;
}

/** One response the api sent, as the server saw it. */
export interface Exchange {
  method: string;
  /** the request path, without the query */
  path: string;
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: Buffer;
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace']);
const DOC_ID = 'openapi';

const isRef = (x: unknown): x is Ref =>
  typeof x === 'object' && x !== null && typeof (x as Ref).$ref === 'string';
const pointer = (parts: string[]) =>
  parts.map((p) => encodeURIComponent(p.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/');
const isJson = (mediaType: string) => mediaType === 'application/json' || mediaType.endsWith('+json');

interface Route {
  method: string;
  template: string;
  re: RegExp;
  params: number;
  op: Operation;
}

/**
 * Checks responses against an OpenAPI 3.0 document: the status is documented for the operation, the
 * content type is one it lists, a JSON body validates against its schema (Ajv, with formats), and the
 * documented headers are present when required and valid when sent. Paths the document does not
 * list (HTML pages, /ops, unknown routes) are not checked.
 */
export class OpenApiContract {
  private readonly ajv: Ajv;
  private readonly routes: Route[];
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(private readonly doc: Doc) {
    this.ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
    addFormats(this.ajv);
    this.ajv.addSchema(doc as object, DOC_ID);
    this.routes = Object.entries(doc.paths)
      .flatMap(([template, item]) =>
        Object.entries(item)
          .filter(([method]) => METHODS.has(method))
          .map(([method, op]) => {
            const parts = template.split(/(\{[^}]+\})/);
            const source = parts
              .map((p) => (p.startsWith('{') ? '([^/]+)' : p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
              .join('');
            return {
              method,
              template,
              re: new RegExp(`^${source}$`),
              params: parts.filter((p) => p.startsWith('{')).length,
              op: op as Operation,
            };
          }),
      )
      // A literal segment wins over a parameter (/v1/subscriptions/confirm before /v1/subscriptions/{id}).
      .sort((a, b) => a.params - b.params);
  }

  private resolve<T>(x: T | Ref): T {
    let cur: unknown = x;
    for (let i = 0; i < 10 && isRef(cur); i++) {
      const parts = cur.$ref.replace(/^#\//, '').split('/');
      cur = parts.reduce<unknown>(
        (o, p) => (o as Record<string, unknown>)?.[p.replace(/~1/g, '/').replace(/~0/g, '~')],
        this.doc,
      );
    }
    return cur as T;
  }

  private validator(parts: string[]): ValidateFunction {
    const key = pointer(parts);
    let v = this.validators.get(key);
    if (!v) {
      v = this.ajv.getSchema(`${DOC_ID}#/${key}`);
      if (!v) throw new Error(`no schema at #/${parts.join('/')}`);
      this.validators.set(key, v);
    }
    return v;
  }

  private headerValidator(schema: Record<string, unknown>): ValidateFunction {
    const key = `header:${JSON.stringify(schema)}`;
    let v = this.validators.get(key);
    if (!v) {
      v = this.ajv.compile(schema);
      this.validators.set(key, v);
    }
    return v;
  }

  private errorsOf(v: ValidateFunction): string {
    return this.ajv.errorsText(v.errors, { dataVar: 'body', separator: '; ' }).slice(0, 1500);
  }

  /** The operation a request reached, or undefined when the document does not describe its path. */
  match(method: string, path: string): Route | undefined {
    const m = method.toLowerCase();
    return this.routes.find((r) => r.method === m && r.re.test(path));
  }

  /** What is wrong with this response per the document (empty: it conforms or is not described). */
  check(ex: Exchange): string[] {
    const route = this.match(ex.method, ex.path);
    if (!route) return [];
    const where = `${ex.method.toUpperCase()} ${ex.path} (${route.template}) → ${ex.status}`;
    const statusKey = [String(ex.status), `${String(ex.status)[0]}XX`, 'default'].find(
      (k) => k in route.op.responses,
    );
    if (!statusKey)
      return [`${where}: status not documented (documented: ${Object.keys(route.op.responses).join(', ')})`];
    const res = this.resolve(route.op.responses[statusKey]);
    const base = ['paths', route.template, route.method, 'responses', statusKey];
    const problems: string[] = [];

    const bodyless = ex.method.toUpperCase() === 'HEAD' || ex.status === 204 || ex.status === 304;
    const contentType = String(ex.headers['content-type'] ?? '')
      .split(';')[0]
      .trim()
      .toLowerCase();
    if (!bodyless && ex.body.length > 0) {
      const media = res.content?.[contentType];
      if (!res.content)
        problems.push(`${where}: a body (${contentType || 'no content type'}) where none is documented`);
      else if (!media)
        problems.push(
          `${where}: content type "${contentType}" not documented (documented: ${Object.keys(res.content).join(', ')})`,
        );
      else if (media.schema && isJson(contentType)) {
        let body: unknown;
        try {
          body = JSON.parse(ex.body.toString('utf8'));
        } catch {
          problems.push(`${where}: ${contentType} body is not JSON`);
        }
        if (body !== undefined) {
          const v = this.validator([...base, 'content', contentType, 'schema']);
          if (!v(body)) problems.push(`${where}: body does not match the schema: ${this.errorsOf(v)}`);
        }
      }
    } else if (!bodyless && res.content && Object.values(res.content).some((m) => m.schema)) {
      problems.push(`${where}: empty body where ${Object.keys(res.content).join(', ')} is documented`);
    }

    for (const [name, h] of Object.entries(res.headers ?? {})) {
      const header = this.resolve(h);
      const raw = ex.headers[name.toLowerCase()];
      if (raw === undefined) {
        if (header.required) problems.push(`${where}: required header ${name} missing`);
        continue;
      }
      if (!header.schema) continue;
      const text = Array.isArray(raw) ? raw.join(', ') : String(raw);
      const type = (this.resolve(header.schema) as { type?: string }).type;
      const value =
        type === 'integer' || type === 'number' ? (/^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text) : text;
      const v = this.headerValidator(header.schema);
      if (!v(value))
        problems.push(
          `${where}: header ${name}: ${JSON.stringify(text)} does not match ${JSON.stringify(header.schema)}`,
        );
    }
    return problems;
  }
}
