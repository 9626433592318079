import { Inject, Injectable } from '@nestjs/common';
import { Clock, dgiiUploadFileName, isoSeconds, santoDomingoDateTime } from '@app/common';
import type { DgiiEnvironment } from '@app/config';
import { DgiiGateway } from '@app/dgii-gateway';
import { acecfFromRequest, AcecfRequest } from '@app/xml-builder';
import { DocumentSigner } from './document-signer.service';
import { withSignedDocument } from './dgii-upload';
import { IssueCaller } from './issue-caller';
import { ReceptorDeliveryService } from './receptor-delivery.service';
import { dryRunResult, IssueResult, verdictFields } from './issue-result';

export interface IssueAcecfRequest extends AcecfRequest {
  environment?: DgiiEnvironment;
  dryRun?: boolean;
  /** After DGII took the copy, send the ACECF to the issuer's urlAceptacion (PROTOCOL §8.3). */
  deliverToReceptor?: boolean;
}

/** Commercial approval (ACECF) of a received e-CF, copied to DGII (guide §3.2, PROTOCOL §6). */
@Injectable()
export class AcecfIssuanceService {
  constructor(
    @Inject(DocumentSigner) private readonly signer: DocumentSigner,
    @Inject(DgiiGateway) private readonly dgii: DgiiGateway,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(ReceptorDeliveryService) private readonly delivery: ReceptorDeliveryService,
  ) {}

  async issue(caller: IssueCaller, request: IssueAcecfRequest): Promise<IssueResult> {
    const environment = request.environment ?? 'CERTIFICATION';
    const now = this.clock.now();
    const signed = await this.signer.sign(
      'ACECF',
      acecfFromRequest(request, santoDomingoDateTime(new Date(now))),
      caller.identity,
    );
    const base = { signedXml: signed.xml, securityCode: signed.securityCode, signedAt: signed.signedAt };
    if (request.dryRun) {
      return dryRunResult(base);
    }
    const submittedAt = isoSeconds(now);
    let result: IssueResult;
    try {
      const verdict = await this.dgii.submitAcecf(
        { cacheKey: caller.cacheKey, environment, identity: caller.identity },
        { xml: signed.xml, fileName: dgiiUploadFileName(request.rncComprador, request.eNCF) },
      );
      // ACECF answers are synchronous and carry no trackId (PROTOCOL §1.3 #9).
      result = { ...base, trackId: verdict.trackId ?? null, submittedAt, ...verdictFields(verdict) };
    } catch (error) {
      throw withSignedDocument(error, {
        signedXml: signed.xml,
        securityCode: signed.securityCode,
        encf: request.eNCF,
      });
    }
    if (!request.deliverToReceptor) return result;
    // PROTOCOL §11: "ACECF to issuer + copy to DGII"; the issuer's copy goes once DGII took its own.
    if (result.ruling !== 'accepted') {
      return {
        ...result,
        receptor: { error: `not delivered: DGII refused the approval (${result.dgiiEstado})` },
      };
    }
    const receptor = await this.delivery.deliverAcecf(caller, environment, {
      signedXml: signed.xml,
      encf: request.eNCF,
      rncEmisor: request.rncEmisor,
      rncComprador: request.rncComprador,
    });
    return { ...result, receptor };
  }
}
