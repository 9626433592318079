import { Inject, Injectable, Logger } from '@nestjs/common';
import { Counter } from 'prom-client';
import {
  BadRequestError,
  Clock,
  DomainError,
  isoSeconds,
  MetricsService,
  NotFoundError,
  RateLimitedError,
  ReceptorAuthRequiredError,
  ReceptorUnavailableError,
} from '@app/common';
import { APP_CONFIG, AppConfig } from '@app/config';
import { DocumentFacts, parseMultipart, readDocument } from '@app/dgii-protocol';
import { RateLimitStore } from '@app/rate-limit';
import { signCanonicalXmlAsync, verifyXmlSignature, xmlShapeProblem } from '@app/signing';
import { arecfFromRequest, buildDocument, ECF_TYPES, EcfType, XsdCheck } from '@app/xml-builder';
import { InboundDocumentFacts, InboundEventSink, NewInboundEvent } from '../events/inbound-event';
import { ReceptorRegistration, ReceptorRegistry, ReceptorSigners } from '../registration';
import { ReceivedLedger } from './received-ledger';
import { ReceptorAuth } from './receptor-auth';
import { ReceptorCall } from './receptor-call.decorator';
import { ReceptorReply } from './receptor.reply';
import { lenientXsdProblems } from './lenient-xsd';

/** PROTOCOL §8.2: the only types sent between taxpayers; any other is Estado 1. */
export const RECEIVABLE_TYPES: ReadonlySet<string> = new Set(['31', '33', '34', '44']);

/** PROTOCOL §6: types a commercial approval never concerns. */
const NO_APPROVAL_TYPES: ReadonlySet<string> = new Set(['32', '41', '43', '46', '47']);

/** Inbound documents are about 6 levels deep; 64 is the signer's own bound. */
const MAX_XML_DEPTH = 64;
const MAX_XML_BYTES = 4 * 1024 * 1024;
/** Seconds a sender should wait when no signer is attached: the integrator re-attaches within minutes. */
const NO_SIGNER_RETRY_SECONDS = 60;

const RNC = /^(\d{9}|\d{11})$/;
const ENCF = /^E\d{12}$/;
/** A start tag whose local name is Signature, any prefix. */
const SIGNATURE_TAG = /<(?:[A-Za-z_][\w.-]*:)?Signature[\s/>]/g;

export type ReceptionOutcome =
  | 'received'
  | 'not_received_format'
  | 'not_received_signature'
  | 'not_received_duplicate'
  | 'not_received_rnc'
  | 'acecf_ok'
  | 'acecf_error'
  | 'refused';

/** Estado / CodigoMotivoNoRecibido of PROTOCOL §7.1, with the reason kept for the metric. */
interface Decision {
  estado: 0 | 1;
  codigo?: 1 | 2 | 3 | 4;
  outcome: ReceptionOutcome;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The DGII-facing receptor (PROTOCOL §8): seed handshake, reception of e-CFs with a synchronous
 * ARECF signed by the attached session's identity, and commercial approvals. Documents are read
 * and verified over the bytes as received and handed to the InboundEventSink unchanged.
 */
@Injectable()
export class ReceptorService {
  private readonly logger = new Logger('Receptor');
  private readonly receptions: Counter<'route' | 'outcome'>;

  constructor(
    @Inject(ReceptorRegistry) private readonly registry: ReceptorRegistry,
    @Inject(ReceptorSigners) private readonly signers: ReceptorSigners,
    @Inject(InboundEventSink) private readonly sink: InboundEventSink,
    @Inject(ReceptorAuth) private readonly auth: ReceptorAuth,
    @Inject(XsdCheck) private readonly xsd: XsdCheck,
    @Inject(RateLimitStore) private readonly limits: RateLimitStore,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(MetricsService) metrics: MetricsService,
    @Inject(ReceivedLedger) private readonly ledger: ReceivedLedger,
  ) {
    this.receptions = new Counter({
      name: 'fiscaliacore_inbound_receptions_total',
      help: 'Documents posted to receptors, by route and outcome (ARECF Estado and motive, ACECF verdict, refused)',
      labelNames: ['route', 'outcome'] as const,
      registers: [metrics.registry],
    });
  }

  /** `GET /fe/autenticacion/api/semilla` (PROTOCOL §8.1). */
  async semilla(call: ReceptorCall): Promise<ReceptorReply> {
    await this.limit(call);
    await this.registrationOf(call.rnc);
    return ReceptorReply.xml(200, this.auth.issueSeed(call.rnc));
  }

  /** `POST /fe/autenticacion/api/validacioncertificado`: the signed seed → `{token, expira, expedido}`. */
  async validacionCertificado(call: ReceptorCall): Promise<ReceptorReply> {
    await this.limit(call);
    await this.registrationOf(call.rnc);
    const xml = this.xmlPart(call);
    this.refuseHostile(xml, 64 * 1024, 8);
    const result = await this.auth.checkSignedSeed(call.rnc, xml);
    if (!result.ok) throw new BadRequestError(result.reason);
    return ReceptorReply.json(200, { token: result.token, expira: result.expira, expedido: result.expedido });
  }

  /** `POST /fe/recepcion/api/ecf`: every parsable e-CF gets HTTP 200 and a signed ARECF (PROTOCOL §8.2). */
  async recepcion(call: ReceptorCall): Promise<ReceptorReply> {
    try {
      await this.limit(call);
      const registration = await this.registrationOf(call.rnc);
      this.requireAuth(registration, call);
      // Never an unsigned or fake acknowledgement: no live signer, no answer but 503.
      const signer = await this.signers.live(call.rnc);
      if (!signer) {
        throw new ReceptorUnavailableError(
          'no signing session is attached to this receptor; retry later',
          NO_SIGNER_RETRY_SECONDS,
        );
      }
      const xml = this.xmlPart(call);
      this.refuseHostile(xml, MAX_XML_BYTES, MAX_XML_DEPTH);
      const facts = this.factsOf(xml);
      const { encf, rncEmisor } = facts;
      if (!encf || !ENCF.test(encf) || !rncEmisor || !RNC.test(rncEmisor)) {
        throw new BadRequestError(
          'the document names no valid eNCF and RNCEmisor: it cannot be acknowledged',
        );
      }
      const now = this.clock.now();
      const decision = await this.decide(call.rnc, xml, facts, encf, rncEmisor);
      const unsigned = buildDocument(
        'ARECF',
        arecfFromRequest(
          {
            rncEmisor,
            rncComprador: call.rnc,
            eNCF: encf,
            estado: decision.estado,
            codigoMotivoNoRecibido: decision.codigo,
          },
          new Date(now),
        ),
      );
      let arecf: string;
      try {
        arecf = (await signCanonicalXmlAsync(unsigned, signer.identity)).xml;
        this.xsd.check('ARECF', arecf);
      } catch (error) {
        if (decision.estado === 0) await this.ledger.release(call.rnc, rncEmisor, encf);
        throw error;
      }
      if (decision.estado === 0) {
        try {
          await this.sink.accept(this.eventOf('ecf.received', registration, now, facts, xml, arecf));
        } catch (error) {
          // Not held, so not received: the sender's retry must not be called a duplicate.
          await this.ledger.release(call.rnc, rncEmisor, encf);
          throw error;
        }
      }
      this.receptions.inc({ route: 'recepcion', outcome: decision.outcome });
      this.logger.log({ rnc: call.rnc, encf, outcome: decision.outcome }, 'e-CF acknowledged');
      return ReceptorReply.xml(200, arecf);
    } catch (error) {
      if (error instanceof DomainError) this.receptions.inc({ route: 'recepcion', outcome: 'refused' });
      throw error;
    }
  }

  /**
   * `POST /fe/aprobacioncomercial/api/ecf`: an ACECF about an e-CF this RNC issued. XSD,
   * signature and RNCEmisor good → 200, else 400 with a small JSON saying why (PROTOCOL §8.3).
   */
  async aprobacionComercial(call: ReceptorCall): Promise<ReceptorReply> {
    try {
      await this.limit(call);
      const registration = await this.registrationOf(call.rnc);
      this.requireAuth(registration, call);
      const xml = this.xmlPart(call);
      this.refuseHostile(xml, MAX_XML_BYTES, MAX_XML_DEPTH);
      const facts = this.factsOf(xml);
      const mensaje: string[] = [];
      if (facts.root !== 'ACECF') mensaje.push(`the document is a ${facts.root}, not an ACECF`);
      else mensaje.push(...lenientXsdProblems(this.xsd, 'ACECF', xml));
      if (mensaje.length === 0) {
        const verified = await verifyXmlSignature(xml, { maxBytes: MAX_XML_BYTES, maxDepth: MAX_XML_DEPTH });
        if (!verified.valid) mensaje.push(`the signature does not verify: ${verified.reason}`);
      }
      // PROTOCOL §6: there is no commercial approval of types 32, 41, 43, 46 and 47.
      if (mensaje.length === 0 && facts.tipoeCF !== undefined && NO_APPROVAL_TYPES.has(facts.tipoeCF)) {
        mensaje.push(`an e-CF of type ${facts.tipoeCF} has no commercial approval`);
      }
      if (mensaje.length === 0 && facts.rncEmisor !== call.rnc) {
        mensaje.push('RNCEmisor is not this receptor: the approved e-CF was not issued by this RNC');
      }
      if (mensaje.length > 0) {
        this.receptions.inc({ route: 'aprobacioncomercial', outcome: 'acecf_error' });
        return ReceptorReply.json(400, { codigo: 'Error', estado: facts.estado ?? null, mensaje });
      }
      await this.sink.accept(this.eventOf('acecf.received', registration, this.clock.now(), facts, xml));
      this.receptions.inc({ route: 'aprobacioncomercial', outcome: 'acecf_ok' });
      this.logger.log({ rnc: call.rnc, encf: facts.encf }, 'ACECF received');
      return ReceptorReply.json(200, { codigo: 'OK', estado: facts.estado ?? null, mensaje: [] });
    } catch (error) {
      if (error instanceof DomainError) {
        this.receptions.inc({ route: 'aprobacioncomercial', outcome: 'refused' });
      }
      throw error;
    }
  }

  /** PROTOCOL §8.2's order: format/XSD → 1, signature → 2, duplicate → 3, RNCComprador → 4, else 0. */
  private async decide(
    rnc: string,
    xml: string,
    facts: DocumentFacts,
    encf: string,
    rncEmisor: string,
  ): Promise<Decision> {
    const tipo = facts.tipoeCF;
    const formatOk =
      facts.root === 'ECF' &&
      tipo !== undefined &&
      RECEIVABLE_TYPES.has(tipo) &&
      encf.slice(1, 3) === tipo &&
      (ECF_TYPES as readonly string[]).includes(tipo) &&
      lenientXsdProblems(this.xsd, tipo as EcfType, xml).length === 0;
    if (!formatOk) return { estado: 1, codigo: 1, outcome: 'not_received_format' };
    const verified = await verifyXmlSignature(xml, { maxBytes: MAX_XML_BYTES, maxDepth: MAX_XML_DEPTH });
    if (!verified.valid) return { estado: 1, codigo: 2, outcome: 'not_received_signature' };
    if (await this.ledger.has(rnc, rncEmisor, encf)) {
      return { estado: 1, codigo: 3, outcome: 'not_received_duplicate' };
    }
    if (facts.rncComprador !== rnc) return { estado: 1, codigo: 4, outcome: 'not_received_rnc' };
    // Two copies at once: the second loses the claim and is the duplicate.
    if (!(await this.ledger.claim(rnc, rncEmisor, encf))) {
      return { estado: 1, codigo: 3, outcome: 'not_received_duplicate' };
    }
    return { estado: 0, outcome: 'received' };
  }

  private eventOf(
    type: NewInboundEvent['type'],
    registration: ReceptorRegistration,
    now: number,
    facts: DocumentFacts,
    xml: string,
    arecf?: string,
  ): NewInboundEvent {
    return {
      type,
      rnc: registration.rnc,
      apiKeyId: registration.apiKeyId,
      receivedAt: isoSeconds(now),
      document: documentFactsOf(facts, xml),
      xml,
      ...(arecf !== undefined ? { arecf: { estado: '0', signedXml: arecf } } : {}),
    };
  }

  private async limit(call: ReceptorCall): Promise<void> {
    const perSecond = this.config.inboundRatePerIp;
    if (perSecond === 0) return;
    const decision = await this.limits.hit(`inbound:ip:${call.ip}`, 1_000, perSecond);
    if (!decision.allowed) {
      throw new RateLimitedError(`more than ${perSecond} receptor requests per second from this address`, {
        retryAfterSeconds: Math.max(1, Math.ceil(decision.resetMs / 1_000)),
      });
    }
  }

  private async registrationOf(rnc: string): Promise<ReceptorRegistration> {
    const registration = RNC.test(rnc) ? await this.registry.get(rnc) : undefined;
    if (!registration) throw new NotFoundError('no receptor at this address');
    return registration;
  }

  private requireAuth(registration: ReceptorRegistration, call: ReceptorCall): void {
    if (registration.requireAuth && !this.auth.authorized(call.rnc, call.authorization)) {
      throw new ReceptorAuthRequiredError();
    }
  }

  /** The multipart `xml` part as text (UTF-8), or 400 (PROTOCOL §8.2: no `xml` part is malformed). */
  private xmlPart(call: ReceptorCall): string {
    if (call.body === 'too-large') throw new BadRequestError('the upload is larger than allowed');
    const parts = parseMultipart(call.body ?? Buffer.alloc(0), call.contentType);
    if (typeof parts === 'string') throw new BadRequestError(parts);
    const part = parts.find((p) => p.name.toLowerCase() === 'xml');
    if (!part) throw new BadRequestError('the multipart field "xml" is required');
    try {
      return utf8.decode(part.data);
    } catch {
      throw new BadRequestError('the xml part is not valid UTF-8');
    }
  }

  /**
   * Hostile XML → 400 before any DOM parse: size, DOCTYPE/entities, nesting depth, and more than
   * one Signature element (signature wrapping); nothing of it is forwarded.
   */
  private refuseHostile(xml: string, maxBytes: number, maxDepth: number): void {
    const problem = xmlShapeProblem(xml.replace(/^\uFEFF/, ''), { maxBytes, maxDepth });
    if (problem) throw new BadRequestError(`the XML is refused: ${problem}`);
    const signatures = xml.match(SIGNATURE_TAG)?.length ?? 0;
    if (signatures > 1) throw new BadRequestError('the XML is refused: more than one Signature element');
  }

  private factsOf(xml: string): DocumentFacts {
    const read = readDocument(xml);
    if ('problem' in read) throw new BadRequestError(read.problem);
    return read.facts;
  }
}

/** The event's document summary, read from the bytes as received (issue 10 §3). */
function documentFactsOf(facts: DocumentFacts, xml: string): InboundDocumentFacts {
  const text = (name: string): string | undefined =>
    new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1]?.trim() || undefined;
  return {
    tipoeCF: facts.tipoeCF,
    eNCF: facts.encf,
    rncEmisor: facts.rncEmisor,
    razonSocialEmisor: facts.root === 'ECF' ? text('RazonSocialEmisor') : undefined,
    rncComprador: facts.rncComprador,
    fechaEmision: facts.fechaEmision,
    montoTotal: text('MontoTotal'),
    ...(facts.estado !== undefined ? { estado: facts.estado } : {}),
  };
}
