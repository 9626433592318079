import { Inject, Injectable } from '@nestjs/common';
import { Clock, dgiiUploadFileName, environmentSegment, isoSeconds, RFCE_THRESHOLD_DOP } from '@app/common';
import { APP_CONFIG, AppConfig, DgiiEnvironment } from '@app/config';
import { DgiiGateway, DgiiVerdict } from '@app/dgii-gateway';
import { ecfQrUrl, QrEnvironment, rfceQrUrl } from '@app/signing';
import { ecfFromFlatRequest, FlatEcfRequest, rfceFromEcf32 } from '@app/xml-builder';
import { DocumentSigner, SignedDocument } from './document-signer.service';
import { IdempotencyStore, runIdempotently } from './idempotency.store';
import { withSignedDocument } from './dgii-upload';
import { IssueCaller } from './issue-caller';
import { dryRunResult, EcfIssueResult, verdictFields } from './issue-result';

export interface IssueEcfRequest extends FlatEcfRequest {
  environment?: DgiiEnvironment;
  dryRun?: boolean;
}

/**
 * Issues an e-CF of any of the ten types: build, sign, check, then route it to DGII
 * (DESIGN §2–3). Nothing about the document is kept after the response.
 */
@Injectable()
export class EcfIssuanceService {
  constructor(
    @Inject(DocumentSigner) private readonly signer: DocumentSigner,
    @Inject(DgiiGateway) private readonly dgii: DgiiGateway,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(IdempotencyStore) private readonly idempotency: IdempotencyStore,
  ) {}

  /**
   * `POST /api/v1/ecf/issue`: the same externalDocumentId and body give the same response without
   * a second submission; the same id with another body is a conflict (guide §8).
   */
  issueOnce(
    apiKeyId: string,
    caller: IssueCaller,
    request: IssueEcfRequest & { externalDocumentId: string },
  ): Promise<EcfIssueResult> {
    const { externalDocumentId, ...document } = request;
    return runIdempotently(this.idempotency, apiKeyId, externalDocumentId, document, () =>
      this.issue(caller, document),
    );
  }

  async issue(caller: IssueCaller, request: IssueEcfRequest): Promise<EcfIssueResult> {
    // DESIGN §1.5: never surprise-route to production.
    const environment = request.environment ?? 'CERTIFICATION';
    const { type, ecf, paths } = ecfFromFlatRequest(request);
    // Violations name the flat field the integrator sent, with the DGII path beside it.
    const signed = await this.signer.sign(type, ecf, caller.identity).catch((error: unknown) => {
      throw paths.translateError(error);
    });
    const encf = signed.facts.eNCF ?? '';
    const rncEmisor = signed.facts.RNCEmisor ?? '';
    const montoTotal = signed.facts.MontoTotal ?? '0.00';
    const viaRfce = type === '32' && Number(montoTotal) < RFCE_THRESHOLD_DOP;
    // The RFCE carries the full invoice's security code, so the full e-CF is signed first (PROTOCOL §5).
    const rfce = viaRfce
      ? await this.signer.sign('RFCE', rfceFromEcf32(ecf, signed.securityCode), caller.identity)
      : undefined;
    const base = {
      ecfNumber: encf,
      signedXml: signed.xml,
      securityCode: signed.securityCode,
      signedAt: signed.signedAt,
      qrUrl: this.qrUrl(environment, signed, viaRfce),
      ...(rfce ? { rfceSignedXml: rfce.xml } : {}),
    };

    if (request.dryRun) {
      return dryRunResult(base);
    }

    const ctx = { cacheKey: caller.cacheKey, environment, identity: caller.identity };
    const submittedAt = isoSeconds(this.clock.now());
    const fileName = dgiiUploadFileName(rncEmisor, encf);
    let verdict: DgiiVerdict;
    let trackId: string | null = null;
    try {
      if (rfce) {
        verdict = await this.dgii.submitRfce(ctx, { xml: rfce.xml, fileName });
      } else {
        const reception = await this.dgii.submitEcf(ctx, { xml: signed.xml, fileName });
        trackId = reception.trackId || null;
        verdict =
          reception.verdict ??
          (await this.dgii.waitForResult(ctx, reception.trackId, this.config.dgiiResultWaitMs));
      }
    } catch (error) {
      throw withSignedDocument(error, {
        signedXml: signed.xml,
        securityCode: signed.securityCode,
        encf,
        ...(rfce ? { rfceSignedXml: rfce.xml } : {}),
      });
    }
    return {
      ...base,
      trackId: trackId ?? verdict.trackId ?? null,
      submittedAt,
      ...verdictFields(verdict),
    };
  }

  private qrUrl(environment: DgiiEnvironment, signed: SignedDocument, viaRfce: boolean): string {
    const env = environmentSegment(environment) as QrEnvironment;
    const facts = signed.facts;
    if (viaRfce) {
      return rfceQrUrl({
        environment: env,
        rncEmisor: facts.RNCEmisor ?? '',
        encf: facts.eNCF ?? '',
        montoTotal: facts.MontoTotal ?? '',
        codigoSeguridad: signed.securityCode,
      });
    }
    return ecfQrUrl({
      environment: env,
      rncEmisor: facts.RNCEmisor ?? '',
      rncComprador: facts.RNCComprador,
      encf: facts.eNCF ?? '',
      fechaEmision: facts.FechaEmision ?? '',
      montoTotal: facts.MontoTotal ?? '',
      fechaFirma: signed.fechaHoraFirma,
      codigoSeguridad: signed.securityCode,
    });
  }
}
