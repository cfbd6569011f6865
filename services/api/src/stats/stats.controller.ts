import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../common/api-docs';
import { StatsService, type PipelineStats } from './stats.service';

@ApiTags('stats')
@Controller('v1/stats')
export class StatsController {
  constructor(private readonly stats: StatsService) {}

  @Get('pipeline')
  @ApiOperation({
    summary: 'Pipeline health: papers per stage, queue depths, throughput (1/5/60 min), stage latency p50/p95, failures, source health',
  })
  @ApiOkResponse({ description: 'PipelineStats (see /ops for a rendering)' })
  @ApiProblems(401, 429)
  async pipeline(): Promise<PipelineStats> {
    return this.stats.pipeline();
  }
}
