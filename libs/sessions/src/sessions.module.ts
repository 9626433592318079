import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TimeModule } from '@app/common';
import { ApiKeyGuard } from './api-key.guard';
import { BearerGuard } from './bearer.guard';
import { MemorySessionStore } from './memory-session.store';
import { SessionStore } from './session.store';
import { SessionsService } from './sessions.service';

/** Sessions, their store, and the two global guards (order matters: API key first). */
@Module({
  imports: [TimeModule],
  providers: [
    { provide: SessionStore, useClass: MemorySessionStore },
    SessionsService,
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    { provide: APP_GUARD, useClass: BearerGuard },
  ],
  exports: [SessionStore, SessionsService],
})
export class SessionsModule {}
