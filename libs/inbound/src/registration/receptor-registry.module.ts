import { Module } from '@nestjs/common';
import { TimeModule } from '@app/common';
import { RedisConnection } from '@app/redis';
import { MemoryReceptorRegistry } from './memory-receptor.registry';
import { RedisReceptorRegistry } from './redis-receptor.registry';
import { ReceptorRegistry } from './receptor.registry';
import { ReceptorSigners } from './receptor-signers';

/**
 * The registrations and attached signers, in a module of their own so event delivery (which
 * reads `ReceptorRegistry.get(rnc)` for the callback URL and secret) can import it without
 * importing the receptor.
 */
@Module({
  imports: [TimeModule],
  providers: [
    {
      // SESSION_STORE=redis: RedisModule provides the connection (issue 13); memory otherwise.
      provide: ReceptorRegistry,
      useFactory: (redis?: RedisConnection) =>
        redis ? new RedisReceptorRegistry(redis) : new MemoryReceptorRegistry(),
      inject: [{ token: RedisConnection, optional: true }],
    },
    ReceptorSigners,
  ],
  exports: [ReceptorRegistry, ReceptorSigners],
})
export class ReceptorRegistryModule {}
