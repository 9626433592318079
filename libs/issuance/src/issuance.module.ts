import { Module } from '@nestjs/common';
import { TimeModule } from '@app/common';
import { DgiiGatewayModule } from '@app/dgii-gateway';
import { XmlBuilderModule } from '@app/xml-builder';
import { AcecfIssuanceService } from './acecf-issuance.service';
import { DocumentSigner } from './document-signer.service';
import { EcfIssuanceService } from './ecf-issuance.service';
import { IdempotencyStore } from './idempotency.store';
import { StatusService } from './status.service';

/** Orchestrates build → sign → check → DGII for every issue route (DESIGN §2 data flow). */
@Module({
  imports: [TimeModule, XmlBuilderModule, DgiiGatewayModule],
  providers: [DocumentSigner, EcfIssuanceService, AcecfIssuanceService, StatusService, IdempotencyStore],
  exports: [DocumentSigner, EcfIssuanceService, AcecfIssuanceService, StatusService, IdempotencyStore],
})
export class IssuanceModule {}
