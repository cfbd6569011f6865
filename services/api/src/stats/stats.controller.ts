import { Controller, Get, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { hasScope } from '@paperwire/db';
import type { AuthedRequest } from '../auth/auth.guard';
import { ApiProblems } from '../common/api-docs';
import { PipelineStatsDto } from './stats.dto';
import { StatsService, type PipelineStats } from './stats.service';

@ApiTags('stats')
@Controller('v1/stats')
export class StatsController {
  constructor(private readonly stats: StatsService) {}

  @Get('pipeline')
  @ApiOperation({
    summary: 'Pipeline health: papers per stage, queue depths, throughput (1/5/60 min), stage latency p50/p95, failures, source health',
    description:
      'Without an admin key, source URLs are redacted (no user-info, query values replaced, a host on the operator\'s network as `(private address)`), ' +
      'source errors and failed-job reasons are given as their class (`HTTP 503`, `DNS lookup failed`, `timeout`, `body too large`…), failed jobs that ' +
      'name a subscription have no id, and failing subscription endpoints are counted (`endpointsFailing`), not listed; `detail` says which. ' +
      'An admin key gets them verbatim, with the endpoints listed.',
  })
  @ApiOkResponse({ type: PipelineStatsDto, description: 'see /ops for a rendering' })
  @ApiProblems(401, 429)
  async pipeline(@Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response): Promise<PipelineStats> {
    const full = Boolean(req.apiKey && hasScope(req.apiKey.scopes, 'admin'));
    // The body depends on the key (redacted or full): caches key it by the key's headers, and never store the full one.
    res.vary('Authorization').vary('X-API-Key');
    res.setHeader('Cache-Control', full ? 'private, no-store' : 'public, max-age=5');
    return this.stats.pipeline(full ? 'full' : 'redacted');
  }
}
