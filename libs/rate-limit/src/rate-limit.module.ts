import { Module } from '@nestjs/common';
import { Clock, MetricsModule, TimeModule } from '@app/common';
import { RedisConnection } from '@app/redis';
import { MemoryRateLimitStore } from './memory-rate-limit.store';
import { RedisRateLimitStore } from './redis-rate-limit.store';
import { rateLimitConfigProvider } from './rate-limit.config';
import { RateLimitGuard } from './rate-limit.guard';
import { RateLimitStore } from './rate-limit.store';
import { RateLimiter } from './rate-limiter.service';

/**
 * The limiter and its store. The RateLimitGuard is exported, not registered here: SessionsModule
 * registers it as an APP_GUARD between the ApiKeyGuard and the BearerGuard, where the order is visible.
 */
@Module({
  imports: [TimeModule, MetricsModule],
  providers: [
    rateLimitConfigProvider,
    {
      provide: RateLimitStore,
      // SESSION_STORE=redis: one limit across replicas (issue 13 §2).
      useFactory: (clock: Clock, redis?: RedisConnection) =>
        redis ? new RedisRateLimitStore(redis, clock) : new MemoryRateLimitStore(clock),
      inject: [Clock, { token: RedisConnection, optional: true }],
    },
    RateLimiter,
    RateLimitGuard,
  ],
  exports: [RateLimitStore, RateLimiter, RateLimitGuard],
})
export class RateLimitModule {}
