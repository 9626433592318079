import { DynamicModule, Module } from '@nestjs/common';
import { Clock, TimeModule } from '@app/common';
import { RedisConnection } from '@app/redis';
import { DgiiGatewayModule, DgiiGatewayOptions } from '@app/dgii-gateway';
import { XmlBuilderModule } from '@app/xml-builder';
import { AcecfIssuanceService } from './acecf-issuance.service';
import { AnecfIssuanceService } from './anecf-issuance.service';
import { DgiiLookupService } from './dgii-lookup.service';
import { DgiiServiceStatusService } from './dgii-service-status.service';
import { DocumentSigner } from './document-signer.service';
import { EcfIssuanceService } from './ecf-issuance.service';
import { IdempotencyStore, MemoryIdempotencyStore } from './idempotency.store';
import { ReceptorDeliveryService } from './receptor-delivery.service';
import { RedisIdempotencyStore } from './redis-idempotency.store';
import { StatusService } from './status.service';

export interface IssuanceModuleOptions {
  /** How the DGII gateway is wired (apps/api passes the sandbox's endpoints when targeted). */
  dgii?: DgiiGatewayOptions;
}

/** Orchestrates build → sign → check → DGII for every issue route (DESIGN §2 data flow). */
@Module({})
export class IssuanceModule {
  static forRoot(options: IssuanceModuleOptions = {}): DynamicModule {
    return {
      module: IssuanceModule,
      imports: [TimeModule, XmlBuilderModule, DgiiGatewayModule.forRoot(options.dgii)],
      providers: [
        DocumentSigner,
        EcfIssuanceService,
        AcecfIssuanceService,
        StatusService,
        ReceptorDeliveryService,
        AnecfIssuanceService,
        DgiiLookupService,
        DgiiServiceStatusService,
        {
          // SESSION_STORE=redis: a duplicate on another replica sees the first claim (issue 13 §2).
          provide: IdempotencyStore,
          useFactory: (clock: Clock, redis?: RedisConnection) =>
            redis ? new RedisIdempotencyStore(redis, clock) : new MemoryIdempotencyStore(clock),
          inject: [Clock, { token: RedisConnection, optional: true }],
        },
      ],
      exports: [
        DocumentSigner,
        EcfIssuanceService,
        AcecfIssuanceService,
        StatusService,
        AnecfIssuanceService,
        DgiiLookupService,
        DgiiServiceStatusService,
        IdempotencyStore,
        // So the app can tell the gateway when a caller's DGII tokens are to be forgotten.
        DgiiGatewayModule,
      ],
    };
  }
}
