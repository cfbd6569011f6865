import './instrument';
import { commonEnvSchema, loadConfig } from '@paperwire/config';
import { bootstrapService, runMain } from '@paperwire/service-kit';
import { SweeperModule } from './sweeper.module';

runMain('sweeper', async () => {
  const config = loadConfig(commonEnvSchema);
  await bootstrapService(SweeperModule.forRoot(config), { service: 'sweeper', config });
});
