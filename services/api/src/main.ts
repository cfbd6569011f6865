import './instrument';
import { loadConfig } from '@paperwire/config';
import { bootstrapService, runMain } from '@paperwire/service-kit';
import { apiServiceEnvSchema } from './api-config';
import { ApiModule } from './api.module';
import { configureApiApp } from './configure-app';

runMain('api', async () => {
  const config = loadConfig(apiServiceEnvSchema);
  await bootstrapService(ApiModule.forRoot(config), {
    service: 'api',
    config,
    defaultPort: 3000,
    configure: (app) => configureApiApp(app, config),
  });
});
