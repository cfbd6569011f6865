export * from './source.entity';
export * from './raw-document.entity';
export * from './paper.entity';
export * from './paper-search.entity';
export * from './paper-stage.entity';
export * from './paper-version.entity';
export * from './paper-source.entity';
export * from './topic.entity';
export * from './paper-topic.entity';
export * from './paper-claim.entity';
export * from './subscription.entity';
export * from './delivery.entity';
export * from './api-key.entity';
export * from './paper-read.entity';

import { SourceEntity } from './source.entity';
import { RawDocumentEntity } from './raw-document.entity';
import { PaperEntity } from './paper.entity';
import { PaperSearchEntity } from './paper-search.entity';
import { PaperStageEntity } from './paper-stage.entity';
import { PaperVersionEntity } from './paper-version.entity';
import { PaperSourceEntity } from './paper-source.entity';
import { TopicEntity } from './topic.entity';
import { PaperTopicEntity } from './paper-topic.entity';
import { PaperClaimEntity } from './paper-claim.entity';
import { SubscriptionEntity } from './subscription.entity';
import { DeliveryEntity } from './delivery.entity';
import { ApiKeyEntity } from './api-key.entity';
import { PaperDayEntity, PaperReadEntity } from './paper-read.entity';

export const ENTITIES = [
  SourceEntity,
  RawDocumentEntity,
  PaperEntity,
  PaperSearchEntity,
  PaperStageEntity,
  PaperVersionEntity,
  PaperSourceEntity,
  TopicEntity,
  PaperTopicEntity,
  PaperClaimEntity,
  SubscriptionEntity,
  DeliveryEntity,
  ApiKeyEntity,
  PaperReadEntity,
  PaperDayEntity,
];
