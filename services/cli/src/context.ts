import type { DataSource } from 'typeorm';
import { redisConfirmationBudget, type ConfirmationBudget } from '@paperwire/actions';
import { commonEnvSchema, loadConfig, type CommonEnv } from '@paperwire/config';
import { createDataSource, ensureDatabase, migrate, seedTopics } from '@paperwire/db';
import { QueueSet, createRedis } from '@paperwire/queue';
import { loadDefaultTaxonomy } from '@paperwire/classification';
import type { Redis } from 'ioredis';

/** Lazily opened connections for commands that need Postgres or Redis; offline commands open none. */
export class CliContext {
  readonly config: CommonEnv;
  private ds?: DataSource;
  private redis?: Redis;
  private queueSet?: QueueSet;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.config = loadConfig(commonEnvSchema, env);
  }

  async db(): Promise<DataSource> {
    if (!this.ds) {
      const ds = createDataSource({ url: this.config.DATABASE_URL, schema: this.config.DATABASE_SCHEMA, poolSize: 4, applicationName: 'paperwire-cli' });
      await ds.initialize();
      this.ds = ds;
    }
    return this.ds;
  }

  /** The confirmation-mail budget the api uses too (one per recipient, counted in Redis). */
  confirmations(): ConfirmationBudget {
    this.queues();
    return redisConfirmationBudget(this.redis!, this.config.QUEUE_PREFIX);
  }

  queues(): QueueSet {
    if (!this.queueSet) {
      this.redis = createRedis(this.config.REDIS_URL, { connectionName: 'paperwire-cli', maxRetriesPerRequest: 3 });
      this.redis.on('error', () => undefined);
      this.queueSet = new QueueSet(this.redis, this.config.QUEUE_PREFIX);
    }
    return this.queueSet;
  }

  /** Null when Redis answers a PING, else why not (the connection's last error, e.g. ECONNREFUSED). */
  async redisProblem(): Promise<string | null> {
    this.queues();
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
    await ensureDatabase(this.config.DATABASE_URL, this.config.DATABASE_SCHEMA);
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
