import { Module } from '@nestjs/common';
import { TopicsController } from './topics.controller';

/** /v1/topics: the taxonomy with counts and trends. */
@Module({ controllers: [TopicsController] })
export class TopicsModule {}
