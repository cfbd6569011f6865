import { DataSource, type DataSourceOptions } from 'typeorm';
import { Client } from 'pg';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export interface DbOptions {
  url: string;
  /** Postgres schema (tests use one per file); 'public' by default */
  schema?: string;
  poolSize?: number;
  logging?: boolean;
  applicationName?: string;
  /** how long a query may wait for a pool connection (default 10 s); the api bounds it lower */
  connectionTimeoutMillis?: number;
  /** server-side statement_timeout for every statement of this pool (ms; default: none) */
  statementTimeoutMs?: number;
  /** server-side max_parallel_workers_per_gather for this pool (default: the server's) */
  parallelWorkersPerGather?: number;
}

/** The one data source definition, shared by every service, the CLI and the tests. */
export function dataSourceOptions(opts: DbOptions): DataSourceOptions {
  const schema = opts.schema ?? 'public';
  return {
    type: 'postgres',
    url: opts.url,
    schema,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    // TypeORM's query-error log prints parameters (webhook secrets among them): errors reach the
    // callers and their job logs instead.
    logging: opts.logging ? ['error', 'warn', 'migration'] : false,
    uuidExtension: 'pgcrypto',
    applicationName: opts.applicationName ?? 'paperwire',
    extra: {
      max: opts.poolSize ?? 10,
      // Unqualified names in migrations and raw SQL resolve to the configured schema.
      options: sessionOptions(schema, opts),
      connectionTimeoutMillis: opts.connectionTimeoutMillis ?? 10_000,
    },
  };
}

/** The `-c` settings every session of a pool starts with. */
function sessionOptions(schema: string, opts: DbOptions): string {
  const settings = [`search_path=${schema},public`];
  if (opts.statementTimeoutMs) settings.push(`statement_timeout=${Math.floor(opts.statementTimeoutMs)}`);
  if (opts.parallelWorkersPerGather !== undefined) settings.push(`max_parallel_workers_per_gather=${Math.max(0, Math.floor(opts.parallelWorkersPerGather))}`);
  return settings.map((s) => `-c ${s}`).join(' ');
}

export function createDataSource(opts: DbOptions): DataSource {
  return new DataSource(dataSourceOptions(opts));
}

/**
 * Another session created the database or schema between our check and our CREATE: Postgres says it already
 * exists, or, when both CREATEs ran at the same time (two jest workers, two services starting at once), reports
 * a unique violation on the catalogue's name index (`IF NOT EXISTS` does not cover that race).
 */
function createdConcurrently(err: unknown, catalogueIndex: string): boolean {
  if (!(err instanceof Error)) return false;
  const { code, constraint } = err as Error & { code?: string; constraint?: string };
  return /already exists/.test(err.message) || (code === '23505' && constraint === catalogueIndex);
}

/** Creates the database named in the URL (and the schema) when missing; safe to call from several processes at once. */
export async function ensureDatabase(url: string, schema = 'public'): Promise<void> {
  const target = new URL(url);
  const dbName = decodeURIComponent(target.pathname.replace(/^\//, '')) || 'postgres';
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const res = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName]);
    if (res.rowCount === 0) {
      // Identifiers cannot be parameters; the name is quoted and validated here.
      if (!/^[A-Za-z0-9_-]{1,63}$/.test(dbName))
        throw new Error(`refusing to create database with name ${dbName}`);
      await client.query(`CREATE DATABASE "${dbName}"`);
    }
  } catch (err) {
    // Two processes may race to create it.
    if (!createdConcurrently(err, 'pg_database_datname_index')) throw err;
  } finally {
    await client.end();
  }
  if (schema !== 'public') {
    const c = new Client({ connectionString: url });
    await c.connect();
    try {
      if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
      await c.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    } catch (err) {
      if (!createdConcurrently(err, 'pg_namespace_nspname_index')) throw err;
    } finally {
      await c.end();
    }
  }
}

/** Runs pending migrations; safe to call from several processes (an advisory lock serialises them). */
export async function migrate(ds: DataSource): Promise<string[]> {
  await ds.query('SELECT pg_advisory_lock(hashtext($1))', [
    `paperwire-migrate-${ds.driver.schema ?? 'public'}`,
  ]);
  try {
    const ran = await ds.runMigrations({ transaction: 'each' });
    return ran.map((m) => m.name);
  } finally {
    await ds.query('SELECT pg_advisory_unlock(hashtext($1))', [
      `paperwire-migrate-${ds.driver.schema ?? 'public'}`,
    ]);
  }
}

/** SQL that TypeORM would run to bring the schema in line with the entities; empty when in sync. */
export async function pendingSchemaChanges(ds: DataSource): Promise<string[]> {
  const log = await ds.driver.createSchemaBuilder().log();
  return log.upQueries.map((q) => q.query);
}
