import './instrument';
import { commonEnvSchema, loadConfig } from '@paperwire/config';
import { bootstrapService, runMain } from '@paperwire/service-kit';
import { ClassifierModule } from './classifier.module';

runMain('classifier', async () => {
  const config = loadConfig(commonEnvSchema);
  await bootstrapService(ClassifierModule.forRoot(config), { service: 'classifier', config });
});
