import { DynamicModule, ForwardReference, Module, Type } from '@nestjs/common';
import { MetricsModule, TimeModule } from '@app/common';
import { RateLimitModule } from '@app/rate-limit';
import { XmlBuilderModule } from '@app/xml-builder';
import { ReceptorAuth, ReceptorReplyInterceptor, ReceptorService } from './receptor';
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
      providers: [ReceptorAuth, ReceptorService, ReceptorRegistrationService, ReceptorReplyInterceptor],
      exports: [
        ReceptorRegistryModule,
        ReceptorService,
        ReceptorRegistrationService,
        ReceptorReplyInterceptor,
      ],
    };
  }
}
