import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { ApiConfig } from '../api-config';
import { READ_DATA_SOURCE } from './read-db';
import { ReadDataSourceLifecycle, readDataSourceProvider } from './read-db.provider';

/** READ_DATA_SOURCE for every feature module: the replica's pool when DATABASE_READ_URL is set, else the primary's. */
@Global()
@Module({})
export class ReadDbModule {
  static forRoot(config: ApiConfig): DynamicModule {
    return {
      module: ReadDbModule,
      providers: [readDataSourceProvider(config), ReadDataSourceLifecycle],
      exports: [READ_DATA_SOURCE],
    };
  }
}
