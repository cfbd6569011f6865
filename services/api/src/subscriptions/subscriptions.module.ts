import { Module } from '@nestjs/common';
import { UnsubscribeController } from '../unsubscribe/unsubscribe.controller';
import { SubscriptionsController } from './subscriptions.controller';

/** `/v1/subscriptions` (subscriptions keys) and the links in notification emails (confirm, unsubscribe). */
@Module({
  // UnsubscribeController first: /v1/subscriptions/confirm is not an :id
  controllers: [UnsubscribeController, SubscriptionsController],
})
export class SubscriptionsModule {}
