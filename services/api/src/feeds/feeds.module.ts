import { Module } from '@nestjs/common';
import { PapersModule } from '../papers/papers.module';
import { FeedsController } from './feeds.controller';

/** Atom and JSON Feed of the latest papers, per topic or per filter. */
@Module({ imports: [PapersModule], controllers: [FeedsController] })
export class FeedsModule {}
