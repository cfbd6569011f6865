import './instrument';
import { loadConfig } from '@paperwire/config';
import { bootstrapService, runMain } from '@paperwire/service-kit';
import { NotifierModule } from './notifier.module';
import { notifierServiceEnvSchema } from './notifier-config';

runMain('notifier', async () => {
  const config = loadConfig(notifierServiceEnvSchema);
  await bootstrapService(NotifierModule.forRoot(config), { service: 'notifier', config });
});
