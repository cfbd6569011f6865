import { Module, type DynamicModule } from '@nestjs/common';
import { QUEUES } from '@paperwire/contracts';
import type { NotifierEnv } from '@paperwire/config';
import { failedLeftOut } from '@paperwire/actions';
import { workerModule } from '@paperwire/service-kit';
import { NotifyProcessor, DeliverProcessor } from './notifier.processors';
import { MatchService } from './match.service';
import { BackfillService } from './backfill.service';
import { DeliveryService } from './delivery.service';
import { NotifierRepository } from './notifier.repository';
import { SubscriptionCache } from './subscription-cache';
import { DigestService } from './digest.service';
import { DigestRepository } from './digest.repository';
import { DigestSchedulerService } from './digest-scheduler.service';
import { Mailer } from './mailer';

@Module({})
export class NotifierModule {
  static forRoot(config: NotifierEnv): DynamicModule {
    // Its `deliver` failed gauge leaves out what the api's and the failure views leave out (`max by` agrees).
    const core = { failedLeftOut };
    return workerModule(
      NotifierModule,
      'notifier',
      config,
      [QUEUES.notify, QUEUES.deliver],
      [
        NotifyProcessor,
        DeliverProcessor,
        MatchService,
        BackfillService,
        DeliveryService,
        NotifierRepository,
        SubscriptionCache,
        DigestService,
        DigestRepository,
        DigestSchedulerService,
        Mailer,
      ],
      core,
    );
  }
}
