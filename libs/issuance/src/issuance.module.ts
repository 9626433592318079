import { DynamicModule, Module } from '@nestjs/common';
import { TimeModule } from '@app/common';
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
        { provide: IdempotencyStore, useClass: MemoryIdempotencyStore },
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
