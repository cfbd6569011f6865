import { Module } from '@nestjs/common';
import { DailyController } from '../daily/daily.controller';
import { DailyService } from '../daily/daily.service';
import { TrendingController } from '../trending/trending.controller';
import { TrendingService } from '../trending/trending.service';
import { ListingsService } from './listings.service';

/** Day / week / month listings and trending windows from the read model: /v1/daily, /v1/trending. */
@Module({
  controllers: [DailyController, TrendingController],
  providers: [DailyService, TrendingService, ListingsService],
  exports: [ListingsService],
})
export class ListingsModule {}
