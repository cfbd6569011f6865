import { Module } from '@nestjs/common';
import { ListingsModule } from '../listings/listings.module';
import { PapersModule } from '../papers/papers.module';
import { HfController } from './hf.controller';

/** The Hugging Face-compatible JSON routes, over the listings and the papers actions. */
@Module({ imports: [ListingsModule, PapersModule], controllers: [HfController] })
export class HfModule {}
