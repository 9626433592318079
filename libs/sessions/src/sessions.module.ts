import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { MetricsModule, TimeModule } from '@app/common';
import { RateLimitGuard, RateLimitModule } from '@app/rate-limit';
import { ApiKeyGuard } from './api-key.guard';
import { BearerGuard } from './bearer.guard';
import { MemorySessionStore } from './memory-session.store';
import { SessionStore } from './session.store';
import { SessionsService } from './sessions.service';

/**
 * Sessions, their store, and the global guards. Order matters: the API key first (it names the
 * account), then the per-key request rate, then the session bearer.
 */
@Module({
  imports: [TimeModule, MetricsModule, RateLimitModule],
  providers: [
    { provide: SessionStore, useClass: MemorySessionStore },
    SessionsService,
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    { provide: APP_GUARD, useExisting: RateLimitGuard },
    { provide: APP_GUARD, useClass: BearerGuard },
  ],
  exports: [SessionStore, SessionsService],
})
export class SessionsModule {}
