import './instrument';
import { loadConfig, notifierEnvSchema } from '@paperwire/config';
import { bootstrapService, runMain } from '@paperwire/service-kit';
import { NotifierModule } from './notifier.module';

runMain('notifier', async () => {
  const config = loadConfig(notifierEnvSchema);
  await bootstrapService(NotifierModule.forRoot(config), { service: 'notifier', config, defaultPort: 9105 });
});
