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
    // /metrics is not on the public port: 9100 in production, a free port (in the ready line) elsewhere.
    metricsPort: config.METRICS_PORT ?? (config.NODE_ENV === 'production' ? 9100 : 0),
    configure: (app) => configureApiApp(app, config),
  });
});
