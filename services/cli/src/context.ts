import type { DataSource } from 'typeorm';
import { redisConfirmationBudget, type ConfirmationBudget } from '@paperwire/actions';
import { commonEnvSchema, loadConfig, type CommonEnv } from '@paperwire/config';
import { createDataSource, ensureDatabase, migrate, seedTopics } from '@paperwire/db';
import { QueueSet, createRedis } from '@paperwire/queue';
import { loadDefaultTaxonomy } from '@paperwire/classification';
import type { Redis } from 'ioredis';

// Errors of a connection that never reached a server (nothing listening, a name that does not resolve, no route).
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET']);

/**
 * The one line a failed Postgres connection becomes: the service, where (host:port, never the URL's
 * user or password), the setting that says so, and the driver's reason — e.g. `Postgres is not reachable at
 * 127.0.0.1:5432 (DATABASE_URL): connect ECONNREFUSED 127.0.0.1:5432`.
 */
export function postgresConnectError(url: string, e: unknown): Error {
  const x = e as { message?: string; code?: string; errors?: { message?: string }[] };
  // A name resolving to several addresses fails with an AggregateError whose own message is empty.
  const reason = x.message || x.errors?.map((m) => m.message).filter(Boolean).join('; ') || x.code || String(e);
  let where = '?';
  let secret = '';
  try {
    const u = new URL(url);
    secret = decodeURIComponent(u.password);
    // libpq's host= parameter (a socket directory) when the URL has no host name.
    where = `${u.hostname || u.searchParams.get('host') || 'localhost'}:${u.port || u.searchParams.get('port') || '5432'}`;
  } catch {
    // not a URL: say where nothing
  }
  const said = secret ? reason.split(secret).join('***') : reason;
  return new Error(
    UNREACHABLE.has(x.code ?? '') ? `Postgres is not reachable at ${where} (DATABASE_URL): ${said}` : `Postgres at ${where} (DATABASE_URL): ${said}`,
  );
}

/** Lazily opened connections for commands that need Postgres or Redis; offline commands open none. */
export class CliContext {
  readonly config: CommonEnv;
  private ds?: DataSource;
  private redis?: Redis;
  private queueSet?: QueueSet;
  private redisChecked = false;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.config = loadConfig(commonEnvSchema, env);
  }

  async db(): Promise<DataSource> {
    if (!this.ds) {
      const ds = createDataSource({ url: this.config.DATABASE_URL, schema: this.config.DATABASE_SCHEMA, poolSize: 4, applicationName: 'paperwire-cli' });
      await ds.initialize().catch((e: unknown) => {
        throw postgresConnectError(this.config.DATABASE_URL, e);
      });
      this.ds = ds;
    }
    return this.ds;
  }

  /** The confirmation-mail budget the api uses too (one per recipient, counted in Redis). */
  confirmations(): ConfirmationBudget {
    this.openQueues();
    return redisConfirmationBudget(this.redis!, this.config.QUEUE_PREFIX);
  }

  /**
   * The queues, once Redis has answered a PING: a command whose Redis is down stops with one line
   * (`Redis is not reachable at HOST:PORT (REDIS_URL): …`) instead of waiting for it forever.
   */
  async queues(): Promise<QueueSet> {
    const queues = this.openQueues();
    if (!this.redisChecked) {
      const problem = await this.redisProblem();
      if (problem) throw new Error(this.redisUnreachable(problem));
      this.redisChecked = true;
    }
    return queues;
  }

  /** The line saying Redis is not reachable and why. */
  redisUnreachable(problem: string): string {
    return `Redis is not reachable at ${new URL(this.config.REDIS_URL).host} (REDIS_URL): ${problem}`;
  }

  /** The queues without waiting for Redis (their commands wait for it). */
  openQueues(): QueueSet {
    if (!this.queueSet) {
      this.redis = createRedis(this.config.REDIS_URL, { connectionName: 'paperwire-cli', maxRetriesPerRequest: 3 });
      this.redis.on('error', () => undefined);
      this.queueSet = new QueueSet(this.redis, this.config.QUEUE_PREFIX);
    }
    return this.queueSet;
  }

  /** Null when Redis answers a PING, else why not (the connection's last error, e.g. ECONNREFUSED). */
  async redisProblem(): Promise<string | null> {
    this.openQueues();
    let connectionError = '';
    const onError = (e: Error) => (connectionError = e.message);
    this.redis!.on('error', onError);
    try {
      await this.redis!.ping();
      return null;
    } catch (e) {
      return connectionError || (e as Error).message;
    } finally {
      this.redis!.off('error', onError);
    }
  }

  /** Creates the database if needed, runs migrations and loads the default taxonomy. */
  async migrate(): Promise<{ migrations: string[]; topics: number }> {
    await ensureDatabase(this.config.DATABASE_URL, this.config.DATABASE_SCHEMA).catch((e: unknown) => {
      throw postgresConnectError(this.config.DATABASE_URL, e);
    });
    const ds = await this.db();
    const migrations = await migrate(ds);
    const topics = await seedTopics(ds, loadDefaultTaxonomy(), 'default');
    return { migrations, topics };
  }

  async close(): Promise<void> {
    await this.queueSet?.close().catch(() => undefined);
    await this.redis?.quit().catch(() => undefined);
    if (this.ds?.isInitialized) await this.ds.destroy();
  }
}

export { err, out } from './output';
