import { Module } from '@nestjs/common';
import { Clock, MetricsModule, TimeModule } from '@app/common';
import { MemoryRateLimitStore } from './memory-rate-limit.store';
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
      useFactory: (clock: Clock) => new MemoryRateLimitStore(clock),
      inject: [Clock],
    },
    RateLimiter,
    RateLimitGuard,
  ],
  exports: [RateLimitStore, RateLimiter, RateLimitGuard],
})
export class RateLimitModule {}
