import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiKeyGuard } from './auth.guard';
import { AuthFailures } from './auth-failures';
import { KeyOrIpThrottlerGuard } from './throttle';

/** API keys on every route, then the per-key-or-client rate limit (ThrottlerModule is configured by ApiModule). */
@Module({
  providers: [
    AuthFailures,
    // Order matters: authentication first, so the throttler can count per key.
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    { provide: APP_GUARD, useClass: KeyOrIpThrottlerGuard },
  ],
  exports: [AuthFailures],
})
export class AuthModule {}
