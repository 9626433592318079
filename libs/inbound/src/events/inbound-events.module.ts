import { ClassProvider, DynamicModule, ExistingProvider, Module, ModuleMetadata } from '@nestjs/common';
import { Clock, MetricsModule, TimeModule } from '@app/common';
import { APP_CONFIG, AppConfig } from '@app/config';
import { RedisConnection } from '@app/redis';
import { BullDeliveryScheduler } from '../delivery/bull-delivery.scheduler';
import { CallbackTargets, MemoryCallbackTargets } from '../delivery/callback-targets';
import { CallbackTransport, FetchCallbackTransport } from '../delivery/callback.transport';
import { DeliveryScheduler, InProcessDeliveryScheduler } from '../delivery/delivery.scheduler';
import { DELIVERY_RANDOM, InboundDeliveryService } from '../delivery/inbound-delivery.service';
import { InboundEventSink } from './inbound-event';
import { InboundEventStore, InboundEventStoreLimits } from './inbound-event.store';
import { InboundEventsService } from './inbound-events.service';
import { INBOUND_EVENT_STORE_LIMITS, MemoryInboundEventStore } from './memory-inbound-event.store';
import { RedisInboundEventStore } from './redis-inbound-event.store';

export interface InboundEventsModuleOptions {
  /** Modules the callback targets come from (the receptor registrations). */
  imports?: ModuleMetadata['imports'];
  /** Who answers `targetOf(rnc)`; default: a MemoryCallbackTargets nobody fills (pull only). */
  callbackTargets?:
    Omit<ClassProvider<CallbackTargets>, 'provide'> | Omit<ExistingProvider<CallbackTargets>, 'provide'>;
}

/**
 * Inbound events (issue 10 §3): provides `InboundEventSink` to the receptor, the pull side to
 * apps/api, and the ports a shared deployment replaces (`InboundEventStore`, `DeliveryScheduler`).
 */
@Module({})
export class InboundEventsModule {
  static forRoot(options: InboundEventsModuleOptions = {}): DynamicModule {
    return {
      module: InboundEventsModule,
      imports: [TimeModule, MetricsModule, ...(options.imports ?? [])],
      providers: [
        {
          provide: INBOUND_EVENT_STORE_LIMITS,
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({
            maxPerReceptor: config.inboundEvents.maxEventsPerReceptor,
            retentionMs: config.inboundEvents.retentionHours * 3_600_000,
          }),
        },
        {
          // SESSION_STORE=redis: RedisModule provides the connection (issue 13); memory otherwise.
          provide: InboundEventStore,
          inject: [Clock, INBOUND_EVENT_STORE_LIMITS, { token: RedisConnection, optional: true }],
          useFactory: (clock: Clock, limits: InboundEventStoreLimits, redis?: RedisConnection) =>
            redis
              ? new RedisInboundEventStore(redis, clock, limits)
              : new MemoryInboundEventStore(clock, limits),
        },
        {
          // Redis: a BullMQ queue any live replica works off; memory: this process's timers.
          provide: DeliveryScheduler,
          inject: [Clock, { token: RedisConnection, optional: true }],
          useFactory: (clock: Clock, redis?: RedisConnection) =>
            redis ? new BullDeliveryScheduler(redis, clock) : new InProcessDeliveryScheduler(clock),
        },
        { provide: CallbackTransport, useClass: FetchCallbackTransport },
        { provide: CallbackTargets, ...(options.callbackTargets ?? { useClass: MemoryCallbackTargets }) },
        { provide: DELIVERY_RANDOM, useValue: Math.random },
        InboundDeliveryService,
        InboundEventsService,
        { provide: InboundEventSink, useExisting: InboundEventsService },
      ],
      exports: [
        InboundEventSink,
        InboundEventsService,
        InboundEventStore,
        DeliveryScheduler,
        CallbackTargets,
      ],
    };
  }
}
