import { Module } from '@nestjs/common';
import { AdminController } from './admin.controller';

/** `/v1/admin`: API keys, every subscription, failed jobs (admin keys). */
@Module({ controllers: [AdminController] })
export class AdminModule {}
