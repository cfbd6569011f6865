import { Inject } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { CONFIG } from '@paperwire/service-kit';
import type { ApiConfig } from '../api-config';
import { MicroCache } from './overload';
import { READ_DATA_SOURCE } from './read-db';

/** Base of a listing service: reads from the read data source, behind a MicroCache of API_CACHE_MS. */
export abstract class CachedReader {
  protected readonly cache: MicroCache;

  constructor(
    @Inject(READ_DATA_SOURCE) protected readonly ds: DataSource,
    @Inject(CONFIG) config: ApiConfig,
  ) {
    this.cache = new MicroCache(config.API_CACHE_MS);
  }
}
