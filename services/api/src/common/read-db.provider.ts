import { Inject, Injectable, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { createDataSource } from '@paperwire/db';
import { DATA_SOURCE } from '@paperwire/service-kit';
import type { ApiConfig } from '../api-config';
import { READ_DATA_SOURCE } from './read-db';

/** READ_DATA_SOURCE: a pool on DATABASE_READ_URL (a streaming replica) when set, else the primary's. */
export function readDataSourceProvider(config: ApiConfig): Provider {
  return {
    provide: READ_DATA_SOURCE,
    inject: [DATA_SOURCE],
    useFactory: async (primary: DataSource) => {
      if (!config.DATABASE_READ_URL) return primary;
      const ds = createDataSource({
        url: config.DATABASE_READ_URL,
        schema: config.DATABASE_SCHEMA,
        poolSize: config.DATABASE_POOL_SIZE,
        applicationName: 'paperwire-api-read',
        connectionTimeoutMillis: config.API_DB_POOL_WAIT_MS,
        statementTimeoutMs: config.API_STATEMENT_TIMEOUT_MS,
        parallelWorkersPerGather: config.API_PG_PARALLEL_WORKERS,
      });
      return ds.initialize();
    },
  };
}

/** Closes the replica pool on shutdown (the primary's is closed by CoreModule). */
@Injectable()
export class ReadDataSourceLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(READ_DATA_SOURCE) private readonly read: DataSource,
    @Inject(DATA_SOURCE) private readonly primary: DataSource,
  ) {}
  async onApplicationShutdown(): Promise<void> {
    if (this.read !== this.primary && this.read.isInitialized) await this.read.destroy();
  }
}
