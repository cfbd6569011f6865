import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { randomBytes } from 'node:crypto';
import type { Response } from 'express';
import { CONFIG } from '@paperwire/service-kit';
import type { ApiConfig } from '../api-config';
import { RequireScope } from '../auth/auth.guard';
import { StatsService } from '../stats/stats.service';
import { renderOpsPage } from './ops-page';

@ApiExcludeController()
@Controller('ops')
export class OpsController {
  constructor(
    private readonly stats: StatsService,
    @Inject(CONFIG) private readonly config: ApiConfig,
  ) {}

  @Get()
  @RequireScope('public')
  async page(@Res() res: Response): Promise<void> {
    const nonce = randomBytes(16).toString('base64');
    // The page is public and server-renders the redacted figures (error classes, no URL secrets, no
    // Retry buttons); the script reloads them in full with a pasted admin key. When reads need a key
    // the page ships empty and the script loads figures with the pasted key.
    const stats = this.config.API_READ_REQUIRES_KEY ? null : await this.stats.pipeline('redacted');
    res.setHeader(
      'Content-Security-Policy',
      `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    );
    res.setHeader('Cache-Control', 'no-store');
    res.status(200).type('text/html; charset=utf-8').send(renderOpsPage(stats, nonce, this.config.API_READ_REQUIRES_KEY));
  }
}
