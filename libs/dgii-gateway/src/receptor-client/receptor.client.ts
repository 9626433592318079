import { Inject, Injectable, Logger } from '@nestjs/common';
import { XMLParser } from 'fast-xml-parser';
import { Clock, isoSeconds } from '@app/common';
import { APP_CONFIG, AppConfig } from '@app/config';
import { RECEPTOR_PATHS, serviceUrl } from '@app/dgii-protocol';
import { signSemilla, SigningIdentity, verifyXmlSignature } from '@app/signing';
import { multipartXmlBody } from '../multipart-body';
import { ReceptorCallError, ReceptorHttp, ReceptorHttpResponse } from './receptor-http';

/** The buyer's acknowledgement (PROTOCOL §7.1): Estado 0 recibido, 1 no recibido (with its motive). */
export interface ArecfAnswer {
  estado: string;
  codigoMotivoNoRecibido: string | null;
  /** The receptor's signed ARECF, exactly as received. */
  signedXml: string;
}

/** What a delivery produced: the ARECF (e-CF) or the receptor's 200/400 (ACECF), or why it failed. */
export type ReceptorDelivery =
  | { url: string; arecf: ArecfAnswer; deliveredAt: string }
  | { url: string; aprobacion: { accepted: boolean; httpStatus: number }; deliveredAt: string }
  | { url?: string; error: string };

/** Where one receptor takes a document, and where it authenticates when it publishes that. */
export interface ReceptorTarget {
  /** `urlRecepcion` or `urlAceptacion` from consulta directorio. */
  url: string;
  /** `urlOpcional`: the authentication base, when published (PROTOCOL §8.1). */
  authUrl?: string;
}

export interface ReceptorUpload {
  xml: string;
  fileName: string;
  encf: string;
}

const arecfParser = new XMLParser({ ignoreAttributes: true, processEntities: false, parseTagValue: false });

/**
 * The issuer side of PROTOCOL §8: authenticate at a receptor when it publishes an
 * authentication URL (its seed signed with the caller's identity, as for DGII, §2), then POST the
 * signed document as multipart `xml`. Every outbound call goes through `ReceptorHttp` (SSRF
 * policy, timeout, size cap). Never throws: a failed delivery is a `{error}`, so it can never fail
 * an issue DGII accepted. Never logs tokens, seeds or XML.
 */
@Injectable()
export class ReceptorClient {
  private readonly logger = new Logger('ReceptorClient');
  private readonly http: ReceptorHttp;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(Clock) private readonly clock: Clock,
  ) {
    this.http = new ReceptorHttp(config.receptor);
  }

  /** An e-CF to the buyer's `urlRecepcion`; the answer must be a signed ARECF about this e-NCF. */
  async deliverEcf(
    identity: SigningIdentity,
    target: ReceptorTarget,
    upload: ReceptorUpload,
  ): Promise<ReceptorDelivery> {
    const url = serviceUrl(target.url, RECEPTOR_PATHS.recepcion);
    return this.guarded(url, async () => {
      const res = await this.post(identity, target, url, upload);
      if (res.status !== 200)
        throw new ReceptorCallError('connection', `the receptor answered HTTP ${res.status}`);
      return {
        url,
        arecf: await this.arecfOf(res.body, upload.encf),
        deliveredAt: isoSeconds(this.clock.now()),
      };
    });
  }

  /** An ACECF to the issuer's `urlAceptacion`: HTTP 200 satisfactory, 400 not (PROTOCOL §8.3). */
  async deliverAcecf(
    identity: SigningIdentity,
    target: ReceptorTarget,
    upload: ReceptorUpload,
  ): Promise<ReceptorDelivery> {
    const url = serviceUrl(target.url, RECEPTOR_PATHS.aprobacionComercial);
    return this.guarded(url, async () => {
      const res = await this.post(identity, target, url, upload);
      if (res.status !== 200 && res.status !== 400) {
        throw new ReceptorCallError('connection', `the receptor answered HTTP ${res.status}`);
      }
      return {
        url,
        aprobacion: { accepted: res.status === 200, httpStatus: res.status },
        deliveredAt: isoSeconds(this.clock.now()),
      };
    });
  }

  private async guarded(url: string, work: () => Promise<ReceptorDelivery>): Promise<ReceptorDelivery> {
    try {
      return await work();
    } catch (error) {
      const message = error instanceof Error ? error.message : 'delivery failed';
      this.logger.warn(`receptor delivery to ${safeOrigin(url)} failed: ${message}`);
      return { url, error: message };
    }
  }

  private async post(
    identity: SigningIdentity,
    target: ReceptorTarget,
    url: string,
    upload: ReceptorUpload,
  ): Promise<ReceptorHttpResponse> {
    this.http.checkUrl(url);
    const token = target.authUrl ? await this.authenticate(identity, target.authUrl) : undefined;
    const form = multipartXmlBody(upload.xml, upload.fileName);
    return this.http.send({
      method: 'POST',
      url,
      headers: {
        'Content-Type': form.contentType,
        Accept: 'application/xml, application/json',
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
      },
      body: form.body,
    });
  }

  /** PROTOCOL §8.1: GET semilla, sign it with the caller's identity, POST validacioncertificado. */
  private async authenticate(identity: SigningIdentity, authUrl: string): Promise<string> {
    const seed = await this.http.send({
      method: 'GET',
      url: serviceUrl(authUrl, RECEPTOR_PATHS.semilla),
      headers: { Accept: 'application/xml' },
    });
    if (seed.status !== 200) {
      throw new ReceptorCallError('connection', `the receptor's semilla answered HTTP ${seed.status}`);
    }
    let signed: string;
    try {
      signed = signSemilla(seed.body, identity);
    } catch (error) {
      throw new ReceptorCallError(
        'connection',
        `the receptor's semilla cannot be signed: ${(error as Error).message}`,
      );
    }
    const form = multipartXmlBody(signed, 'semilla.xml');
    const res = await this.http.send({
      method: 'POST',
      url: serviceUrl(authUrl, RECEPTOR_PATHS.validacionCertificado),
      headers: { 'Content-Type': form.contentType, Accept: 'application/json' },
      body: form.body,
    });
    let token: unknown;
    try {
      token = (JSON.parse(res.body) as { token?: unknown }).token;
    } catch {
      token = undefined;
    }
    if (res.status !== 200 || typeof token !== 'string' || token.trim() === '') {
      throw new ReceptorCallError(
        'connection',
        `the receptor's validacioncertificado answered HTTP ${res.status} without a token`,
      );
    }
    return token;
  }

  /** The ARECF must verify and be about the e-NCF delivered (PROTOCOL §7.1). */
  private async arecfOf(body: string, encf: string): Promise<ArecfAnswer> {
    const signedXml = body.replace(/^\uFEFF/, '');
    const verified = await verifyXmlSignature(signedXml, { maxBytes: 256 * 1024, maxDepth: 16 });
    if (!verified.valid)
      throw new ReceptorCallError(
        'connection',
        `the receptor's ARECF signature does not verify: ${verified.reason}`,
      );
    const parsed = arecfParser.parse(signedXml) as {
      ARECF?: { DetalleAcusedeRecibo?: Record<string, unknown> };
    };
    const detalle = parsed.ARECF?.DetalleAcusedeRecibo;
    const estado = detalle?.Estado;
    if (typeof estado !== 'string')
      throw new ReceptorCallError('connection', 'the receptor did not answer an ARECF');
    if (detalle?.eNCF !== encf) {
      throw new ReceptorCallError(
        'connection',
        `the receptor's ARECF is about ${String(detalle?.eNCF)}, not ${encf}`,
      );
    }
    const motivo = detalle?.CodigoMotivoNoRecibido;
    return { estado, codigoMotivoNoRecibido: typeof motivo === 'string' ? motivo : null, signedXml: body };
  }
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'an invalid URL';
  }
}
