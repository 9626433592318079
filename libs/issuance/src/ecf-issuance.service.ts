import { Inject, Injectable } from '@nestjs/common';
import { Clock, dgiiUploadFileName, environmentSegment, isoSeconds, RFCE_THRESHOLD_DOP } from '@app/common';
import { APP_CONFIG, AppConfig, DgiiEnvironment } from '@app/config';
import { DgiiGateway, DgiiVerdict, outcomeOf, ReceptorDelivery } from '@app/dgii-gateway';
import { readDocument } from '@app/dgii-protocol';
import { ecfQrUrl, QrEnvironment, rfceQrUrl } from '@app/signing';
import { ecfFromFlatRequest, FlatEcfRequest, rfceFromEcf32, XsdCheck } from '@app/xml-builder';
import { DocumentSigner, SignedDocument } from './document-signer.service';
import { IdempotencyStore, runIdempotently } from './idempotency.store';
import { AttemptSink, EcfBase, isUnknownAttempt, outcomeUnknown, UnknownAttempt } from './unknown-outcome';
import { withSignedDocument } from './dgii-upload';
import { IssueCaller } from './issue-caller';
import { dryRunResult, EcfIssueResult, verdictFields } from './issue-result';
import { ReceptorDeliveryService } from './receptor-delivery.service';
import { verifySignedEcf } from './signed-ecf';

export interface IssueEcfRequest extends FlatEcfRequest {
  environment?: DgiiEnvironment;
  dryRun?: boolean;
  /** After DGII accepts, send the e-CF to the buyer's receptor (PROTOCOL §8, issue 11 §4). */
  deliverToReceptor?: boolean;
}

/** `POST /api/v1/ecf/deliver`: an e-CF signed by this session, to its buyer's receptor. */
export interface DeliverSignedEcfRequest {
  signedXml: string;
  environment?: DgiiEnvironment;
}

/** `POST /api/v1/ecf/submit`: an e-CF signed earlier, as the exact bytes (issue 11 §2). */
export interface SubmitSignedEcfRequest {
  signedXml: string;
  environment?: DgiiEnvironment;
  dryRun?: boolean;
}

/** PROTOCOL §1.6: "e-NCF already used", what DGII answers a resend of a received e-NCF. */
const REUSED_ENCF = '1209';

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
    @Inject(XsdCheck) private readonly xsd: XsdCheck,
    @Inject(ReceptorDeliveryService) private readonly delivery: ReceptorDeliveryService,
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
    // What was sent when a submission ended without a verdict; kept for the retry (issue 11 §3).
    const sink: AttemptSink = {};
    return runIdempotently(
      this.idempotency,
      apiKeyId,
      externalDocumentId,
      document,
      async (previous) =>
        this.deliverIfAsked(
          caller,
          document,
          isUnknownAttempt(previous)
            ? await this.retryUnknown(caller, previous, sink)
            : await this.issueDocument(caller, document, sink),
        ),
      // A retry that fails again keeps the first attempt: the document may still be at DGII.
      (error, previous) =>
        isUnknownAttempt(previous) ? previous : outcomeUnknown(error) ? sink.attempt : undefined,
    );
  }

  /** `POST /api/v1/ecf/issue-stateless`. */
  async issue(caller: IssueCaller, request: IssueEcfRequest): Promise<EcfIssueResult> {
    return this.deliverIfAsked(caller, request, await this.issueDocument(caller, request));
  }

  /**
   * `POST /api/v1/ecf/deliver`: a signed e-CF (checked as for submit: signature, schema, signer
   * is the session) to its buyer's receptor, without DGII (PROTOCOL §8).
   */
  async deliverSigned(
    caller: IssueCaller,
    request: DeliverSignedEcfRequest,
  ): Promise<{ ecfNumber: string; receptor: ReceptorDelivery }> {
    const document = await verifySignedEcf(request.signedXml, caller.identity, this.xsd);
    const encf = document.facts.eNCF ?? '';
    const receptor = await this.delivery.deliverEcf(caller, request.environment ?? 'CERTIFICATION', {
      signedXml: document.xml,
      type: document.type,
      encf,
      rncEmisor: document.facts.RNCEmisor ?? '',
      rncComprador: document.facts.RNCComprador,
    });
    return { ecfNumber: encf, receptor };
  }

  /** Delivery happens only once DGII accepted (PROTOCOL §11 model); it never fails the issue. */
  private async deliverIfAsked(
    caller: IssueCaller,
    request: IssueEcfRequest,
    result: EcfIssueResult,
  ): Promise<EcfIssueResult> {
    if (!request.deliverToReceptor) return result;
    if (result.ruling !== 'accepted') {
      return {
        ...result,
        receptor: { error: `not delivered: DGII has not accepted the e-CF (${result.dgiiEstado})` },
      };
    }
    const read = readDocument(result.signedXml);
    const facts = 'facts' in read ? read.facts : undefined;
    const receptor = await this.delivery.deliverEcf(caller, request.environment ?? 'CERTIFICATION', {
      signedXml: result.signedXml,
      type: facts?.tipoeCF ?? '',
      encf: result.ecfNumber,
      rncEmisor: facts?.rncEmisor ?? '',
      rncComprador: facts?.rncComprador,
    });
    return { ...result, receptor };
  }

  private async issueDocument(
    caller: IssueCaller,
    request: IssueEcfRequest,
    sink?: AttemptSink,
  ): Promise<EcfIssueResult> {
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
    return this.send(caller, environment, { base, rncEmisor, rfceXml: rfce?.xml }, sink);
  }

  /**
   * The retry of an `/ecf/issue` whose submission ended without a verdict (timeout after
   * sending, 5xx): DGII is asked first (consulta trackIds, PROTOCOL §1.3 #7). When it holds the
   * e-NCF, its verdict is the answer and nothing is sent again; only when it holds none are the
   * same signed bytes sent once more. A 1209 (e-NCF already used, PROTOCOL §1.6) on that resend,
   * when DGII did accept the first attempt after all, is reported as that acceptance.
   */
  private async retryUnknown(
    caller: IssueCaller,
    attempt: UnknownAttempt,
    sink: AttemptSink,
  ): Promise<EcfIssueResult> {
    const { environment, base, rncEmisor, rfceXml, submittedAt } = attempt;
    // RFCE answers are synchronous and fc has no trackIds (consulta RFCE is production only, §1.3 #8).
    if (rfceXml) return this.send(caller, environment, { base, rncEmisor, rfceXml }, sink);
    const ctx = { cacheKey: caller.cacheKey, environment, identity: caller.identity };
    const query = { rncEmisor, eNCF: base.ecfNumber };
    const held = await this.dgii.queryTrackIds(ctx, query);
    if (held.length > 0) {
      const pick =
        held.find((e) => outcomeOf(e.estado, '')?.accepted) ??
        held.find((e) => outcomeOf(e.estado, '')?.final === false) ??
        held[held.length - 1];
      const verdict = await this.dgii.waitForResult(ctx, pick.trackId, this.config.dgiiResultWaitMs);
      return {
        ...base,
        trackId: pick.trackId,
        submittedAt,
        ...verdictFields(verdict),
        trackIds: held.map((e) => e.trackId),
      };
    }
    const resent = await this.send(caller, environment, { base, rncEmisor }, sink);
    if (resent.ruling !== 'rejected' || !resent.mensajes?.some((m) => m.codigo === REUSED_ENCF))
      return resent;
    const after = await this.dgii.queryTrackIds(ctx, query);
    const original = after.find((e) => e.trackId !== resent.trackId && outcomeOf(e.estado, '')?.accepted);
    if (!original) return resent;
    const verdict = await this.dgii.queryResult(ctx, original.trackId);
    return {
      ...base,
      trackId: original.trackId,
      submittedAt,
      ...verdictFields(verdict),
      trackIds: [original.trackId, ...(resent.trackId ? [resent.trackId] : [])],
    };
  }

  /**
   * `POST /api/v1/ecf/submit`: an e-CF signed earlier (a dry run, or offline during a DGII outage:
   * PROTOCOL §11 contingency) is verified, then sent exactly as given, through the same routing
   * and verdict handling as `issue`. A type 32 under RD$250,000 gets its RFCE summary built from
   * the document and signed by the session (PROTOCOL §5).
   */
  async submitSigned(caller: IssueCaller, request: SubmitSignedEcfRequest): Promise<EcfIssueResult> {
    const environment = request.environment ?? 'CERTIFICATION';
    const document = await verifySignedEcf(request.signedXml, caller.identity, this.xsd);
    const montoTotal = document.facts.MontoTotal ?? '0.00';
    const viaRfce = document.type === '32' && Number(montoTotal) < RFCE_THRESHOLD_DOP;
    const rfce = viaRfce
      ? await this.signer.sign('RFCE', rfceFromEcf32(document.json, document.securityCode), caller.identity)
      : undefined;
    const base = {
      ecfNumber: document.facts.eNCF ?? '',
      signedXml: document.xml,
      securityCode: document.securityCode,
      signedAt: document.signedAt,
      qrUrl: this.qrUrl(environment, document, viaRfce),
      ...(rfce ? { rfceSignedXml: rfce.xml } : {}),
    };
    if (request.dryRun) return dryRunResult(base);
    return this.send(caller, environment, {
      base,
      rncEmisor: document.facts.RNCEmisor ?? '',
      rfceXml: rfce?.xml,
    });
  }

  /**
   * Sends a signed e-CF (or its RFCE summary) and waits for DGII's verdict (DESIGN §3). DGII
   * failures are 502s carrying the signed documents, so nothing is lost (DESIGN §1.6).
   */
  private async send(
    caller: IssueCaller,
    environment: DgiiEnvironment,
    document: { base: EcfBase; rncEmisor: string; rfceXml?: string },
    sink?: AttemptSink,
  ): Promise<EcfIssueResult> {
    const { base, rncEmisor, rfceXml } = document;
    const encf = base.ecfNumber;
    const ctx = { cacheKey: caller.cacheKey, environment, identity: caller.identity };
    const submittedAt = isoSeconds(this.clock.now());
    const fileName = dgiiUploadFileName(rncEmisor, encf);
    let verdict: DgiiVerdict;
    let trackId: string | null = null;
    try {
      if (rfceXml) {
        verdict = await this.dgii.submitRfce(ctx, { xml: rfceXml, fileName });
      } else {
        const reception = await this.dgii.submitEcf(ctx, { xml: base.signedXml, fileName });
        trackId = reception.trackId || null;
        verdict =
          reception.verdict ??
          (await this.dgii.waitForResult(ctx, reception.trackId, this.config.dgiiResultWaitMs));
      }
    } catch (error) {
      if (sink && outcomeUnknown(error)) {
        sink.attempt = { environment, base, rncEmisor, submittedAt, ...(rfceXml ? { rfceXml } : {}) };
      }
      throw withSignedDocument(error, {
        signedXml: base.signedXml,
        securityCode: base.securityCode,
        encf,
        ...(rfceXml ? { rfceSignedXml: rfceXml } : {}),
      });
    }
    return {
      ...base,
      trackId: trackId ?? verdict.trackId ?? null,
      submittedAt,
      ...verdictFields(verdict),
    };
  }

  private qrUrl(
    environment: DgiiEnvironment,
    signed: Pick<SignedDocument, 'facts' | 'securityCode' | 'fechaHoraFirma'>,
    viaRfce: boolean,
  ): string {
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
