import './instrument';
import { commonEnvSchema, loadConfig } from '@paperwire/config';
import { bootstrapService, runMain } from '@paperwire/service-kit';
import { ParserModule } from './parser.module';

runMain('parser', async () => {
  const config = loadConfig(commonEnvSchema);
  await bootstrapService(ParserModule.forRoot(config), { service: 'parser', config });
});
