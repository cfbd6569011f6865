import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { DataSource } from 'typeorm';
import type { Redis } from 'ioredis';
import { DATA_SOURCE, REDIS } from './tokens';

async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  /** Alive: the event loop answers. */
  @Get('healthz')
  @ApiOperation({ summary: 'Alive: the process answers' })
  @ApiOkResponse({
    schema: {
      type: 'object',
      required: ['status'],
      properties: { status: { type: 'string', enum: ['ok'] } },
    },
  })
  alive(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Ready: Postgres and Redis reachable. */
  @Get('readyz')
  @ApiOperation({ summary: 'Ready: Postgres and Redis reachable (503 when not)' })
  // Terminus would document a JSON 503; the api's problem filter answers it as problem+json.
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOkResponse({
    schema: {
      type: 'object',
      required: ['status'],
      properties: {
        status: { type: 'string', enum: ['ok'] },
        info: { type: 'object' },
        error: { type: 'object' },
        details: { type: 'object' },
      },
    },
  })
  @ApiServiceUnavailableResponse({ description: 'Postgres or Redis unreachable' })
  ready() {
    return this.health.check([
      async () => {
        const s = this.indicators.check('postgres');
        try {
          await withTimeout(this.ds.query('SELECT 1'), 2000);
          return s.up();
        } catch (err) {
          return s.down({ message: (err as Error).message });
        }
      },
      async () => {
        const s = this.indicators.check('redis');
        try {
          await withTimeout(this.redis.ping(), 2000);
          return s.up();
        } catch (err) {
          return s.down({ message: (err as Error).message });
        }
      },
    ]);
  }
}
