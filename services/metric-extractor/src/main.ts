import './instrument';
// (second: the extractor's V8 flags, set before any of its code runs)
import './v8-flags';
import { commonEnvSchema, loadConfig } from '@paperwire/config';
import { bootstrapService, runMain } from '@paperwire/service-kit';
import { ExtractorModule } from './extractor.module';

runMain('metric-extractor', async () => {
  const config = loadConfig(commonEnvSchema);
  await bootstrapService(ExtractorModule.forRoot(config), { service: 'metric-extractor', config });
});
