import { Module } from '@nestjs/common';
import { StatsModule } from '../stats/stats.module';
import { OpsController } from './ops.controller';

/** /ops, the operator's page over the pipeline stats (Bull Board is mounted by configureApiApp). */
@Module({ imports: [StatsModule], controllers: [OpsController] })
export class OpsModule {}
