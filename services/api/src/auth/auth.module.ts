import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiKeyGuard } from './auth.guard';
import { AuthFailures } from './auth-failures';

/**
 * API keys on every route. The per-key-or-client rate limit is counted before any of them, by the overload middleware
 * (auth/throttle.ts countRequest, in ThrottlerModule's storage and window as ApiModule configures them), so the
 * guard's own answers (400, 401, 403, the failed-authentication 429) carry the caller's counters too.
 */
@Module({
  providers: [
    AuthFailures,
    { provide: APP_GUARD, useClass: ApiKeyGuard },
  ],
  exports: [AuthFailures],
})
export class AuthModule {}
