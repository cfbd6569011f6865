import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { Query, type Pool, type PoolClient, type QueryResultRow } from 'pg';
import type { Db } from './sql';

/**
 * Batch writes and hot per-batch reads as fixed-text, named prepared statements (issue #19): Postgres
 * parses and plans each statement once per connection instead of once per batch.
 *
 * A bulk statement is written once against a row source `x` with typed columns (`BulkSpec`); how the
 * rows reach Postgres is the transport:
 * - `array` (the default): one `unnest($n::type[], …)` per column, one named prepared statement
 *   whatever the batch size;
 * - `copy`: `COPY … FROM STDIN` (text format) into a per-session temporary table
 *   (`ON COMMIT DELETE ROWS`), then the named statement reads that table;
 * - `json`: a `jsonb_to_recordset` of one JSON parameter (what the queries did before), also named.
 * `PAPERWIRE_BULK=array|copy|json` picks one (the benchmarks compare them; see BENCHMARKS.md).
 */
export type BulkTransport = 'array' | 'copy' | 'json';

/** The column types a bulk row source carries. */
export type BulkType =
  'text' | 'uuid' | 'int' | 'float8' | 'real' | 'boolean' | 'timestamptz' | 'jsonb' | 'text[]';

export interface BulkSpec {
  /** prepared statement name prefix; unique per statement text */
  name: string;
  /** the columns of the row source `x`, in order */
  columns: readonly (readonly [string, BulkType])[];
  /**
   * The statement, given the row source (a FROM item aliased `x`). Its own parameters are $1..$k
   * (`params` of `bulkQuery`); the transport's come after them.
   */
  sql: (source: string) => string;
}

export type BulkRow = Record<string, unknown>;

const TRANSPORTS: readonly BulkTransport[] = ['array', 'copy', 'json'];

export function bulkTransport(): BulkTransport {
  const t = process.env.PAPERWIRE_BULK as BulkTransport | undefined;
  return t && TRANSPORTS.includes(t) ? t : 'array';
}

type Queryable = Pool | PoolClient;

/** The pg client of a transaction's entity manager, else the data source's pool. */
async function pgOf(db: Db): Promise<{ q: Queryable; inTransaction: boolean }> {
  const em = db as EntityManager;
  const qr = (db as Partial<EntityManager>).queryRunner;
  if (qr && !qr.isReleased)
    return { q: (await qr.connect()) as PoolClient, inTransaction: qr.isTransactionActive };
  const ds = (em.connection ?? (db as DataSource)) as DataSource;
  return { q: (ds.driver as unknown as { master: Pool }).master, inTransaction: false };
}

/**
 * Runs a fixed-text statement as a named prepared statement (`name` must be unique to `text`) and
 * returns its rows, whatever the statement kind (SELECT, INSERT … RETURNING, UPDATE … RETURNING).
 */
export async function namedQuery<T extends QueryResultRow = QueryResultRow>(
  db: Db,
  name: string,
  text: string,
  values: readonly unknown[],
): Promise<T[]> {
  const { q } = await pgOf(db);
  const res = await q.query<T>({ name: statementName(name), text, values: values as unknown[] });
  return res.rows;
}

/** Postgres truncates names to 63 bytes: a longer name keeps its start and gets a hash of the whole. */
export function statementName(name: string): string {
  return name.length <= 63
    ? name
    : `${name.slice(0, 50)}_${createHash('sha1').update(name).digest('hex').slice(0, 12)}`;
}

const quote = (c: string) => `"${c.replace(/"/g, '""')}"`;

/** The Postgres element type a column travels as in the `array` transport. */
const arrayType = (t: BulkType): string => (t === 'jsonb' || t === 'text[]' ? 'jsonb' : t);

/** One named statement per (spec, transport), built once. */
const built = new WeakMap<BulkSpec, Map<string, string>>();

function statementText(spec: BulkSpec, transport: BulkTransport, k: number): string {
  let m = built.get(spec);
  if (!m) built.set(spec, (m = new Map()));
  const cached = m.get(transport);
  if (cached) return cached;
  const names = spec.columns.map(([c]) => quote(c));
  let source: string;
  if (transport === 'copy') {
    source = `${tempTable(spec)} x`;
  } else if (transport === 'json') {
    source = `jsonb_to_recordset($${k + 1}::jsonb) AS x(${spec.columns.map(([c, t]) => `${quote(c)} ${t}`).join(', ')})`;
  } else {
    const unnest = `unnest(${spec.columns.map(([, t], i) => `$${k + 1 + i}::${arrayType(t)}[]`).join(', ')})`;
    if (spec.columns.some(([, t]) => t === 'text[]')) {
      const cols = spec.columns.map(([c, t]) =>
        t === 'text[]'
          ? `CASE WHEN u.${quote(c)} IS NULL THEN NULL ELSE ARRAY(SELECT jsonb_array_elements_text(u.${quote(c)})) END AS ${quote(c)}`
          : `u.${quote(c)}`,
      );
      source = `(SELECT ${cols.join(', ')} FROM ${unnest} AS u(${names.join(', ')})) x`;
    } else {
      source = `${unnest} AS x(${names.join(', ')})`;
    }
  }
  const text = spec.sql(source);
  m.set(transport, text);
  return text;
}

const tempTable = (spec: BulkSpec) => `pg_temp.${quote(`pw_bulk_${spec.name}`)}`;

/**
 * Runs a bulk statement over `rows` (objects keyed by the spec's column names; missing keys are NULL)
 * and returns the rows it returns. `params` are the statement's own $1..$k.
 */
export async function bulkQuery<T extends QueryResultRow = QueryResultRow>(
  db: Db,
  spec: BulkSpec,
  rows: readonly BulkRow[],
  params: readonly unknown[] = [],
  transport: BulkTransport = bulkTransport(),
): Promise<T[]> {
  const k = params.length;
  const text = statementText(spec, transport, k);
  const name = `pw_${spec.name}_${transport[0]}${k}`;
  if (transport === 'json') return namedQuery<T>(db, name, text, [...params, JSON.stringify(rows)]);
  if (transport === 'array') {
    const cols = spec.columns.map(([c, t]) =>
      rows.map((r) => {
        const v = r[c];
        if (v === undefined || v === null) return null;
        return t === 'jsonb' || t === 'text[]' ? JSON.stringify(v) : v;
      }),
    );
    return namedQuery<T>(db, name, text, [...params, ...cols]);
  }
  const { q, inTransaction } = await pgOf(db);
  if (!inTransaction) {
    // The temporary table empties at commit: the copy and the statement share one transaction.
    const ds = ((db as EntityManager).connection ?? db) as DataSource;
    return ds.transaction((em) => bulkQuery<T>(em, spec, rows, params, 'copy'));
  }
  await copyIn(
    q as PoolClient,
    `CREATE TEMP TABLE IF NOT EXISTS ${tempTable(spec)} (${spec.columns.map(([c, t]) => `${quote(c)} ${t}`).join(', ')}) ON COMMIT DELETE ROWS;
     DELETE FROM ${tempTable(spec)};
     COPY ${tempTable(spec)} (${spec.columns.map(([c]) => quote(c)).join(', ')}) FROM STDIN`,
    copyText(spec, rows),
  );
  return namedQuery<T>(db, name, text, params);
}

interface CopyConnection {
  sendCopyFromChunk(b: Buffer): void;
  endCopyFrom(): void;
}

/** Runs `sql` (a simple query ending with `COPY … FROM STDIN`) and sends `data` as the copy's input. */
export function copyIn(client: PoolClient, sql: string, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    // pg's Query with the copy-in hook it leaves to stream libraries (the protocol's CopyData / CopyDone).
    const query = new Query(sql) as Query & {
      handleCopyInResponse(connection: CopyConnection): void;
      callback(err: Error | null): void;
    };
    query.handleCopyInResponse = (connection: {
      sendCopyFromChunk(b: Buffer): void;
      endCopyFrom(): void;
    }) => {
      if (data.length > 0) connection.sendCopyFromChunk(data);
      connection.endCopyFrom();
    };
    query.callback = (err: Error | null) => (err ? reject(err) : resolve());
    void client.query(query as never);
  });
}

/** COPY text format: backslash, tab, newline and carriage return escaped; NULL is \N. */
export function copyEscape(s: string): string {
  return s.replace(/[\\\t\n\r]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
  );
}

/** A Postgres array literal of text elements (before COPY escaping). */
export function textArrayLiteral(a: readonly (string | null)[]): string {
  return `{${a.map((e) => (e === null ? 'NULL' : `"${e.replace(/[\\"]/g, (c) => `\\${c}`)}"`)).join(',')}}`;
}

function copyValue(v: unknown, t: BulkType): string {
  if (v === null || v === undefined) return '\\N';
  switch (t) {
    case 'jsonb':
      return copyEscape(JSON.stringify(v));
    case 'text[]':
      return copyEscape(textArrayLiteral(v as (string | null)[]));
    case 'boolean':
      return v ? 't' : 'f';
    case 'timestamptz':
      return v instanceof Date ? v.toISOString() : copyEscape(String(v));
    case 'text':
    case 'uuid':
    case 'int':
    case 'float8':
    case 'real':
      return copyEscape(String(v));
  }
}

/** The rows as COPY text-format input. */
export function copyText(spec: Pick<BulkSpec, 'columns'>, rows: readonly BulkRow[]): Buffer {
  let out = '';
  for (const r of rows) out += `${spec.columns.map(([c, t]) => copyValue(r[c], t)).join('\t')}\n`;
  return Buffer.from(out, 'utf8');
}
