import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Clock, MetricsModule, TimeModule } from '@app/common';
import { RedisConnection } from '@app/redis';
import { RateLimitGuard, RateLimitModule } from '@app/rate-limit';
import { ApiKeyGuard } from './api-key.guard';
import { BearerGuard } from './bearer.guard';
import { MemorySessionStore } from './memory-session.store';
import { RedisSessionStore } from './redis-session.store';
import { SessionStore } from './session.store';
import { SessionsService } from './sessions.service';

/**
 * Sessions, their store, and the global guards. Order matters: the API key first (it names the
 * account), then the per-key request rate, then the session bearer.
 */
@Module({
  imports: [TimeModule, MetricsModule, RateLimitModule],
  providers: [
    {
      // SESSION_STORE=redis: RedisModule provides the connection (issue 13); memory otherwise.
      provide: SessionStore,
      useFactory: (clock: Clock, redis?: RedisConnection) =>
        redis ? new RedisSessionStore(redis, clock) : new MemorySessionStore(clock),
      inject: [Clock, { token: RedisConnection, optional: true }],
    },
    SessionsService,
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    { provide: APP_GUARD, useExisting: RateLimitGuard },
    { provide: APP_GUARD, useClass: BearerGuard },
  ],
  exports: [SessionStore, SessionsService],
})
export class SessionsModule {}
