import './instrument';
import { fetcherEnvSchema, loadConfig } from '@paperwire/config';
import { bootstrapService, runMain } from '@paperwire/service-kit';
import { FetcherModule } from './fetcher.module';

runMain('fetcher', async () => {
  const config = loadConfig(fetcherEnvSchema);
  await bootstrapService(FetcherModule.forRoot(config), { service: 'fetcher', config });
});
