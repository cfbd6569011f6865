import { loadConfig } from '@paperwire/config';
import { Metrics } from '@paperwire/service-kit';
import { createLogger } from '@paperwire/telemetry';
import { createTestStores, startSmtpInbox, type SmtpInbox, type TestStores } from '@paperwire/testing';
import { DigestRepository } from '../digest.repository';
import { DigestService } from '../digest.service';
import { Mailer } from '../mailer';
import { notifierServiceEnvSchema } from '../notifier-config';
import { NotifierRepository } from '../notifier.repository';

/** The digests of a mail spec: a scratch schema, a real SMTP inbox, and the notifier's DigestService mailing to it. */
export interface DigestMail {
  stores: TestStores;
  inbox: SmtpInbox;
  digests: DigestService;
  close(): Promise<void>;
}

/** Starts a DigestMail on schema `name`, its links under https://pw.example. */
export async function startDigestMail(name: string): Promise<DigestMail> {
  const stores = await createTestStores(name);
  const inbox = await startSmtpInbox();
  const config = loadConfig(notifierServiceEnvSchema, { SMTP_URL: `smtp://127.0.0.1:${inbox.port}`, PUBLIC_URL: 'https://pw.example' });
  const mailer = new Mailer(config);
  const log = createLogger(`${name}-test`, 'silent');
  const digests = new DigestService(new DigestRepository(stores.db.ds), new NotifierRepository(stores.db.ds), mailer, config, log, new Metrics());
  return {
    stores,
    inbox,
    digests,
    async close() {
      mailer.onModuleDestroy();
      await inbox.close();
      await stores.close();
    },
  };
}
