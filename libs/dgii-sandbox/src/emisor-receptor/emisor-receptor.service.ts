import { Inject, Injectable, Logger } from '@nestjs/common';
import { BadRequestError, Clock, dgiiDateTime } from '@app/common';
import { readDocument, RECEPTOR_PATHS, serviceUrl } from '@app/dgii-protocol';
import { signCanonicalXmlAsync, signSemilla, SigningIdentity, verifyXmlSignature } from '@app/signing';
import { acecfFromRequest, buildDocument } from '@app/xml-builder';
import { SandboxSchemas } from '../sandbox-schemas';
import { generateSimulatorIdentity, SIMULATOR_RNC } from './simulator-identity';
import { SIMULATED_TYPES, SimulatedType, simulatedEcf } from './simulator-documents';

/** DGII's verdict on the ARECF a receptor returned (`consultaacuserecibo`, PROTOCOL §8.4). */
export interface AcuseVerdict {
  rnc: string;
  encf: string;
  estado: 'Aceptado' | 'Rechazado';
  mensajes: string[];
}

export interface EmisionRequest {
  rnc: string;
  tipoEncf: string;
  urlRecepcion: string;
  urlAutenticacion?: string;
}

export interface AprobacionRequest {
  urlAprobacionComercial: string;
  urlAutenticacion?: string;
  rnc: string;
  encf: string;
  estadoAprobacion: string | number;
}

export interface AprobacionVerdict {
  rnc: string;
  encf: string;
  /** `OK` when the approval service answered 200, else `Error` (how the portal scores it). */
  resultado: 'OK' | 'Error';
  httpStatus: number | null;
  mensajes: string[];
}

const TIMEOUT_MS = 10_000;
function httpUrl(value: unknown, name: string): string {
  if (typeof value !== 'string' || !/^https?:\/\/[^\s]+$/i.test(value)) {
    throw new BadRequestError(`${name} must be an http(s) URL`);
  }
  return value;
}

function multipart(xml: string, fileName: string): FormData {
  const form = new FormData();
  form.append('xml', new Blob([xml], { type: 'text/xml' }), fileName);
  return form;
}

const tag = (xml: string, name: string): string | undefined =>
  new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];

/**
 * DGII's emisor-receptor simulator (PROTOCOL §8.4), so Pasos 8–11 can be rehearsed with no DGII
 * account: it signs an e-CF with its own generated certificate, authenticates at the receptor,
 * POSTs it, checks the ARECF (XSD, signature, fields, Estado) and records the verdict; and it
 * sends ACECFs to an approval URL. Sandbox only: it dials the URLs it is given.
 */
@Injectable()
export class EmisorReceptorSimulator {
  private readonly logger = new Logger('DgiiSandboxEmisorReceptor');
  private identity?: Promise<SigningIdentity>;
  private readonly verdicts = new Map<string, AcuseVerdict>();
  private readonly sent = new Set<string>();
  /** Sequence numbers from the clock, so a restarted sandbox does not resend old e-NCFs. */
  private sequence: number;

  constructor(
    @Inject(Clock) private readonly clock: Clock,
    @Inject(SandboxSchemas) private readonly schemas: SandboxSchemas,
  ) {
    this.sequence = Math.floor(clock.now() / 1000) % 9_000_000_000;
  }

  /** `POST /api/emision/emisioncomprobantes`. */
  async emitir(request: EmisionRequest): Promise<AcuseVerdict> {
    const rnc = String(request.rnc ?? '');
    if (!/^(\d{9}|\d{11})$/.test(rnc)) throw new BadRequestError('rnc must be 9 or 11 digits');
    const tipo = String(request.tipoEncf ?? '');
    if (!(SIMULATED_TYPES as readonly string[]).includes(tipo)) {
      throw new BadRequestError(`tipoEncf must be one of ${SIMULATED_TYPES.join(', ')}`);
    }
    const urlRecepcion = httpUrl(request.urlRecepcion, 'urlRecepcion');
    const urlAutenticacion = request.urlAutenticacion
      ? httpUrl(request.urlAutenticacion, 'urlAutenticacion')
      : undefined;
    const identity = await this.signer();
    const encf = `E${tipo}${String(++this.sequence).padStart(10, '0')}`;
    const now = new Date(this.clock.now());
    const fechaHora = dgiiDateTime(now);
    const unsigned = buildDocument(
      tipo as SimulatedType,
      simulatedEcf(tipo as SimulatedType, encf, SIMULATOR_RNC, rnc, fechaHora.slice(0, 10), fechaHora),
    );
    const ecf = (await signCanonicalXmlAsync(unsigned, identity)).xml;
    const mensajes: string[] = [];
    const arecf = await this.deliver(
      urlRecepcion,
      urlAutenticacion,
      ecf,
      `${SIMULATOR_RNC}${encf}.xml`,
      mensajes,
    );
    if (arecf !== undefined) mensajes.push(...(await this.checkArecf(arecf, rnc, encf)));
    this.sent.add(`${rnc}|${encf}`);
    const verdict: AcuseVerdict = {
      rnc,
      encf,
      estado: mensajes.length === 0 ? 'Aceptado' : 'Rechazado',
      mensajes,
    };
    this.verdicts.set(`${rnc}|${encf}`, verdict);
    this.logger.log({ rnc, encf, estado: verdict.estado }, 'emisor-receptor simulator sent an e-CF');
    return verdict;
  }

  /** `GET /api/emision/consultaacuserecibo?Rnc=&Encf=`. */
  consultaAcuseRecibo(rnc: string | undefined, encf: string | undefined): AcuseVerdict | undefined {
    return this.verdicts.get(`${rnc ?? ''}|${encf ?? ''}`);
  }

  /** `POST /api/emision/envioaprobacioncomercial`: an ACECF about `encf`, issued by `rnc`, to its approval URL. */
  async enviarAprobacion(request: AprobacionRequest): Promise<AprobacionVerdict> {
    const rnc = String(request.rnc ?? '');
    if (!/^(\d{9}|\d{11})$/.test(rnc)) throw new BadRequestError('rnc must be 9 or 11 digits');
    const encf = String(request.encf ?? '');
    if (!/^E\d{12}$/.test(encf)) throw new BadRequestError('encf must be E followed by 12 digits');
    const estado = String(request.estadoAprobacion ?? '');
    if (estado !== '1' && estado !== '2') throw new BadRequestError('estadoAprobacion must be 1 or 2');
    const url = httpUrl(request.urlAprobacionComercial, 'urlAprobacionComercial');
    const urlAutenticacion = request.urlAutenticacion
      ? httpUrl(request.urlAutenticacion, 'urlAutenticacion')
      : undefined;
    const identity = await this.signer();
    const now = new Date(this.clock.now());
    const unsigned = buildDocument(
      'ACECF',
      acecfFromRequest(
        {
          rncEmisor: rnc,
          rncComprador: SIMULATOR_RNC,
          eNCF: encf,
          fechaEmisionOriginal: dgiiDateTime(now).slice(0, 10),
          montoTotalOriginal: 1180,
          estado,
          detalleMotivoRechazo: estado === '2' ? 'Rechazo simulado por el sandbox' : undefined,
        },
        now,
      ),
    );
    const acecf = (await signCanonicalXmlAsync(unsigned, identity)).xml;
    const mensajes: string[] = [];
    let httpStatus: number | null = null;
    try {
      const token = urlAutenticacion ? await this.authenticate(urlAutenticacion, identity) : undefined;
      const res = await fetch(serviceUrl(url, RECEPTOR_PATHS.aprobacionComercial), {
        method: 'POST',
        body: multipart(acecf, `${SIMULATOR_RNC}${encf}.xml`),
        headers: token ? { Authorization: `Bearer ${token}` } : {},
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      httpStatus = res.status;
      if (res.status !== 200) mensajes.push(`the approval service answered HTTP ${res.status}`);
      await res.arrayBuffer();
    } catch (error) {
      mensajes.push(`the approval service could not be reached: ${(error as Error).message}`);
    }
    return { rnc, encf, resultado: mensajes.length === 0 ? 'OK' : 'Error', httpStatus, mensajes };
  }

  /** The public certificate the simulator signs with, for a receptor's operator to inspect. */
  async certificatePem(): Promise<string> {
    return (await this.signer()).certificate.toString();
  }

  private signer(): Promise<SigningIdentity> {
    this.identity ??= generateSimulatorIdentity(this.clock.now());
    return this.identity;
  }

  /** Authenticates when asked, POSTs the e-CF; the ARECF text, or undefined with why in `mensajes`. */
  private async deliver(
    urlRecepcion: string,
    urlAutenticacion: string | undefined,
    ecf: string,
    fileName: string,
    mensajes: string[],
  ): Promise<string | undefined> {
    let token: string | undefined;
    if (urlAutenticacion) {
      try {
        token = await this.authenticate(urlAutenticacion, await this.signer());
      } catch (error) {
        mensajes.push(`authentication at the receptor failed: ${(error as Error).message}`);
        return undefined;
      }
    }
    try {
      const res = await fetch(serviceUrl(urlRecepcion, RECEPTOR_PATHS.recepcion), {
        method: 'POST',
        body: multipart(ecf, fileName),
        headers: token ? { Authorization: `Bearer ${token}` } : {},
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      const text = await res.text();
      if (res.status !== 200) {
        mensajes.push(`the receptor answered HTTP ${res.status}, not 200 with an ARECF`);
        return undefined;
      }
      return text;
    } catch (error) {
      mensajes.push(`the receptor could not be reached: ${(error as Error).message}`);
      return undefined;
    }
  }

  /** PROTOCOL §8.1 from the sender's side. */
  private async authenticate(base: string, identity: SigningIdentity): Promise<string> {
    const seed = await fetch(serviceUrl(base, RECEPTOR_PATHS.semilla), {
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (seed.status !== 200) throw new Error(`semilla answered HTTP ${seed.status}`);
    const signed = signSemilla(await seed.text(), identity);
    const res = await fetch(serviceUrl(base, RECEPTOR_PATHS.validacionCertificado), {
      method: 'POST',
      body: multipart(signed, 'semilla.xml'),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (res.status !== 200) throw new Error(`validacioncertificado answered HTTP ${res.status}`);
    const body = (await res.json()) as { token?: unknown };
    if (typeof body.token !== 'string' || body.token === '') throw new Error('no token in the answer');
    return body.token;
  }

  /** The simulator's own check of an ARECF (PROTOCOL §7.1, §8.2): schema, signature, fields, Estado 0. */
  private async checkArecf(arecf: string, rnc: string, encf: string): Promise<string[]> {
    const read = readDocument(arecf);
    if ('problem' in read) return [`the ARECF cannot be read: ${read.problem}`];
    if (read.facts.root !== 'ARECF') return [`the answer is a ${read.facts.root}, not an ARECF`];
    const problems = this.schemas.problems('ARECF', arecf).map((p) => `ARECF XSD: ${p}`);
    const verified = await verifyXmlSignature(arecf);
    if (!verified.valid) problems.push(`the ARECF signature does not verify: ${verified.reason}`);
    if (tag(arecf, 'RNCEmisor') !== SIMULATOR_RNC)
      problems.push('ARECF RNCEmisor is not the issuer of the e-CF');
    if (tag(arecf, 'RNCComprador') !== rnc) problems.push('ARECF RNCComprador is not the receptor RNC');
    if (tag(arecf, 'eNCF') !== encf) problems.push('ARECF eNCF is not the e-CF sent');
    // A first, valid e-CF to this RNC must be received (Estado 0, no motive).
    if (tag(arecf, 'Estado') !== '0') {
      problems.push(
        `ARECF Estado ${tag(arecf, 'Estado') ?? '?'} (motivo ${tag(arecf, 'CodigoMotivoNoRecibido') ?? '-'}) for a valid e-CF: expected 0`,
      );
    } else if (arecf.includes('<CodigoMotivoNoRecibido>')) {
      problems.push('ARECF with Estado 0 carries CodigoMotivoNoRecibido');
    }
    return problems;
  }
}
