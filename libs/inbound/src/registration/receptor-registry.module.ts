import { Module } from '@nestjs/common';
import { Clock, TimeModule } from '@app/common';
import { SessionsModule, SessionStore } from '@app/sessions';
import { RedisConnection } from '@app/redis';
import { MemoryReceptorRegistry } from './memory-receptor.registry';
import { RedisReceptorRegistry } from './redis-receptor.registry';
import { ReceptorRegistry } from './receptor.registry';
import { ReceptorSigners } from './receptor-signers';
import { RedisReceptorSigners } from './redis-receptor-signers';

/**
 * The registrations and attached signers, in a module of their own so event delivery (which
 * reads `ReceptorRegistry.get(rnc)` for the callback URL and secret) can import it without
 * importing the receptor.
 */
@Module({
  imports: [TimeModule, SessionsModule],
  providers: [
    {
      // SESSION_STORE=redis: RedisModule provides the connection (issue 13); memory otherwise.
      provide: ReceptorRegistry,
      useFactory: (redis?: RedisConnection) =>
        redis ? new RedisReceptorRegistry(redis) : new MemoryReceptorRegistry(),
      inject: [{ token: RedisConnection, optional: true }],
    },
    {
      // Redis: the attachment is shared, so any replica signs the ARECF (issue 13 §2).
      provide: ReceptorSigners,
      useFactory: (clock: Clock, sessions: SessionStore, redis?: RedisConnection) =>
        redis ? new RedisReceptorSigners(redis, clock, sessions) : new ReceptorSigners(clock),
      inject: [Clock, SessionStore, { token: RedisConnection, optional: true }],
    },
  ],
  exports: [ReceptorRegistry, ReceptorSigners],
})
export class ReceptorRegistryModule {}
