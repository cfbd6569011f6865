import { Module } from '@nestjs/common';
import { SourcesController } from './sources.controller';

/** `/v1/sources`: the feeds PaperWire polls (admin keys). */
@Module({ controllers: [SourcesController] })
export class SourcesModule {}
