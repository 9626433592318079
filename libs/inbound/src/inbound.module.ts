import { DynamicModule, ForwardReference, Module, Type } from '@nestjs/common';
import { Clock, MetricsModule, TimeModule } from '@app/common';
import { APP_CONFIG, AppConfig } from '@app/config';
import { RedisConnection } from '@app/redis';
import { RateLimitModule } from '@app/rate-limit';
import { XmlBuilderModule } from '@app/xml-builder';
import {
  MemoryReceivedLedger,
  ReceivedLedger,
  ReceptorAuth,
  ReceptorReplyInterceptor,
  ReceptorService,
  RedisReceivedLedger,
} from './receptor';
import { ReceptorRegistrationService, ReceptorRegistryModule } from './registration';

export interface InboundModuleOptions {
  /**
   * The module that exports the `InboundEventSink` (event store and delivery). The app chooses
   * it, so the receptor never depends on how events are kept.
   */
  events: Type<unknown> | DynamicModule | ForwardReference;
}

/**
 * The receptor every emisor runs (PROTOCOL §8) and its registration (issue 10 §1–2). HTTP is
 * bound by apps/api; this module holds the rules.
 */
@Module({})
export class InboundModule {
  static forRoot(options: InboundModuleOptions): DynamicModule {
    return {
      module: InboundModule,
      imports: [
        TimeModule,
        MetricsModule,
        RateLimitModule,
        XmlBuilderModule,
        ReceptorRegistryModule,
        options.events,
      ],
      providers: [
        ReceptorAuth,
        ReceptorService,
        ReceptorRegistrationService,
        ReceptorReplyInterceptor,
        {
          // Estado 3 spans the retention window, shared by every replica with SESSION_STORE=redis.
          provide: ReceivedLedger,
          useFactory: (clock: Clock, config: AppConfig, redis?: RedisConnection) => {
            const windowMs = config.inboundEvents.retentionHours * 3_600_000;
            return redis
              ? new RedisReceivedLedger(redis, windowMs)
              : new MemoryReceivedLedger(clock, windowMs);
          },
          inject: [Clock, APP_CONFIG, { token: RedisConnection, optional: true }],
        },
      ],
      exports: [
        ReceptorRegistryModule,
        ReceptorService,
        ReceptorRegistrationService,
        ReceptorReplyInterceptor,
      ],
    };
  }
}
