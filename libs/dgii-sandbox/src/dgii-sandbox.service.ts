import { Inject, Injectable, OnModuleInit, Optional } from '@nestjs/common';
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Clock } from '@app/common';
import { APP_CONFIG, AppConfig, SANDBOX_STATUS_API_KEY } from '@app/config';
import { verifyXmlSignature } from '@app/signing';
import { DOCUMENT_KINDS, DocumentKind } from '@app/xml-builder';
import { DocumentFacts, fechaRecepcion, readDocument } from '@app/dgii-protocol';
import { readAnecf } from './anecf-rules';
import { acecfFindings, ecfFindings, RuleFinding } from './document-rules';
import { SandboxCall } from './sandbox-call.decorator';
import { SandboxDirectory, SandboxDirectoryEntry } from './sandbox-directory';
import { FaultKind, SandboxCallKind, SandboxFaults, SandboxStats } from './sandbox-faults';
import { LedgerVerdict, SandboxLedger } from './sandbox-ledger';
import { DGII_SANDBOX_OPTIONS, ResolvedSandboxOptions } from './sandbox.options';
import { SandboxAuth } from './sandbox-auth.service';
import { SandboxReply } from './sandbox.reply';
import { SandboxSchemas } from './sandbox-schemas';

/** Environment segments of PROTOCOL §1.1; DGII's routing ignores case. */
const SEGMENTS = new Set(['testecf', 'certecf', 'ecf']);

/** DT p.59 naming (PROTOCOL §1.2); DGII code 3243 when it does not fit (PROTOCOL §1.6). */
const FILE_NAME = /^\d{9}(\d{2})?E\d{12}\.xml$/;
const FILE_NAME_REFUSAL = { codigo: 3243, valor: 'La longitud del nombre del archivo no es válida.' };

const SIMULATED_REJECTION = 'Documento rechazado por el sandbox de DGII (falla simulada).';

interface Upload {
  xml: string;
  /** The part's bytes exactly as received, kept for "what DGII received" checks. */
  bytes: Buffer;
  fileName: string;
}

/** `after`: the reply that replaces the real one once the document has been received and recorded. */
type Gate = { reply: SandboxReply } | { segment: string; reject: boolean; after?: SandboxReply };

function reject(codigo: number, valor: string, burnsSequence: boolean): RuleFinding {
  return { codigo, valor, effect: 'reject', burnsSequence };
}

/** consultadirectorio-response-SHAPE.json: every key present, in DGII's order, null when unknown. */
function directoryItem(entry: SandboxDirectoryEntry): Record<string, string | null> {
  return {
    nombre: entry.nombre ?? null,
    rnc: entry.rnc,
    urlRecepcion: entry.urlRecepcion ?? null,
    urlAceptacion: entry.urlAceptacion ?? null,
    urlOpcional: entry.urlOpcional ?? null,
  };
}

/** Services and environments as estatus servicios names them (PROTOCOL §1.3 #14a). */
const STATUS_SERVICES = [
  'Autenticación',
  'Recepción',
  'Consulta Resultado',
  'Consulta Estado',
  'Consulta Directorio',
  'Consulta TrackIds',
  'Aprobación Comercial',
  'Anulación Rangos',
  'Recepción FC',
];
const STATUS_AMBIENTES = ['PreCertificacion', 'Certificacion', 'Produccion'];

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** The text of the first `<name>…</name>` leaf (names unique in e-CF/RFCE: Totales, Signature). */
function leaf(xml: string, name: string): string | undefined {
  const m = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml);
  return m ? m[1].trim() : undefined;
}

function safeEqual(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}

/** PROTOCOL §1.4–1.5: any rejection → Rechazado; remarks only → Aceptado Condicional. */
export function verdictOf(findings: RuleFinding[]): LedgerVerdict {
  const mensajes = findings.map((f) => ({ codigo: f.codigo, valor: f.valor }));
  const rejections = findings.filter((f) => f.effect === 'reject');
  if (rejections.length > 0) {
    return {
      codigo: 2,
      estado: 'Rechazado',
      mensajes,
      secuenciaUtilizada: rejections.every((f) => f.burnsSequence),
    };
  }
  if (findings.length > 0)
    return { codigo: 4, estado: 'Aceptado Condicional', mensajes, secuenciaUtilizada: true };
  return { codigo: 1, estado: 'Aceptado', mensajes: [], secuenciaUtilizada: true };
}

/**
 * A stand-in for the DGII e-CF services (PROTOCOL §1–2, §5–6): same paths, statuses and JSON
 * shapes; seeds, tokens and documents kept in memory; a few of DGII's checks (XSD, signature,
 * e-NCF/TipoeCF, RFCE routing, totals, reused e-NCF). Never serves NODE_ENV=production.
 */
@Injectable()
export class DgiiSandboxService implements OnModuleInit {
  constructor(
    private readonly auth: SandboxAuth,
    private readonly ledger: SandboxLedger,
    private readonly schemas: SandboxSchemas,
    private readonly faults: SandboxFaults,
    private readonly stats: SandboxStats,
    private readonly directory: SandboxDirectory,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(DGII_SANDBOX_OPTIONS) private readonly options: ResolvedSandboxOptions,
    @Optional() @Inject(APP_CONFIG) private readonly config?: AppConfig,
  ) {}

  onModuleInit(): void {
    // DESIGN §1.5: the embedded DGII sandbox can never serve production.
    if (this.config?.isProduction) throw new Error('the DGII sandbox cannot run with NODE_ENV=production');
  }

  /** `GET {E}/autenticacion/api/autenticacion/semilla` (PROTOCOL §2.1). */
  semilla(call: SandboxCall): SandboxReply {
    const gate = this.gate(call, 'semilla', false);
    if ('reply' in gate) return gate.reply;
    if (gate.reject) return SandboxReply.text(400, 'No fue posible generar la semilla.');
    return SandboxReply.xml(200, this.auth.issueSeed(gate.segment));
  }

  /** `POST {E}/autenticacion/api/autenticacion/validarsemilla` (PROTOCOL §2.3). */
  async validarSemilla(call: SandboxCall): Promise<SandboxReply> {
    const gate = this.gate(call, 'validarsemilla', false);
    if ('reply' in gate) return gate.reply;
    const upload = this.xmlPart(call);
    if (upload instanceof SandboxReply) return upload;
    if (gate.reject) return SandboxReply.text(400, 'Firma del certificado invalida');
    const result = await this.auth.validateSeed(gate.segment, upload.xml);
    if (!result.ok) return SandboxReply.text(400, result.reason);
    return SandboxReply.json(200, { token: result.token, expira: result.expira, expedido: result.expedido });
  }

  /** `POST {E}/recepcion/api/facturaselectronicas`: trackId now, verdict after a short delay (PROTOCOL §1.3 #3). */
  async recepcion(call: SandboxCall): Promise<SandboxReply> {
    const gate = this.gate(call, 'recepcion', true);
    if ('reply' in gate) return gate.reply;
    const upload = this.xmlPart(call);
    if (upload instanceof SandboxReply) return upload;
    // Refusals at reception: {trackId, error, mensaje} with HTTP 400.
    if (!FILE_NAME.test(upload.fileName)) {
      return SandboxReply.json(400, {
        trackId: null,
        error: String(FILE_NAME_REFUSAL.codigo),
        mensaje: FILE_NAME_REFUSAL.valor,
      });
    }
    const read = readDocument(upload.xml);
    if ('problem' in read)
      return SandboxReply.json(400, { trackId: null, error: null, mensaje: read.problem });
    const { facts } = read;
    const findings = [
      ...(await this.structureFindings(this.ecfKind(facts), upload.xml)),
      ...ecfFindings(facts, 'recepcion'),
      ...this.reuseFindings(gate.segment, facts),
    ];
    if (gate.reject) findings.push(reject(0, SIMULATED_REJECTION, true));
    const verdict = verdictOf(findings);
    const trackId = randomUUID();
    this.ledger.record(gate.segment, facts.rncEmisor ?? '', facts.encf ?? '', verdict, facts.montoTotal);
    this.recordForConsultaEstado(gate.segment, facts, upload.xml, verdict, this.options.processingDelayMs);
    this.ledger.add({
      trackId,
      segment: gate.segment,
      rnc: facts.rncEmisor ?? '',
      encf: facts.encf ?? '',
      receivedAt: this.clock.now(),
      readyAt: performance.now() + this.options.processingDelayMs,
      verdict,
    });
    this.ledger.keepReceived(gate.segment, facts.rncEmisor ?? '', facts.encf ?? '', upload.bytes, trackId);
    return gate.after ?? SandboxReply.json(200, { trackId, error: null, mensaje: null });
  }

  /** `POST {F}/recepcionfc/api/recepcion/ecf`: RFCE, synchronous verdict (PROTOCOL §5). */
  async recepcionFc(call: SandboxCall): Promise<SandboxReply> {
    const gate = this.gate(call, 'recepcionfc', true);
    if ('reply' in gate) return gate.reply;
    const upload = this.xmlPart(call);
    if (upload instanceof SandboxReply) return upload;
    const refused = (codigo: number, valor: string): SandboxReply =>
      SandboxReply.json(400, {
        codigo: 2,
        estado: 'Rechazado',
        mensajes: [{ codigo: String(codigo), valor }],
        encf: null,
        secuenciaUtilizada: false,
      });
    if (!FILE_NAME.test(upload.fileName)) return refused(FILE_NAME_REFUSAL.codigo, FILE_NAME_REFUSAL.valor);
    const read = readDocument(upload.xml);
    if ('problem' in read) return refused(0, read.problem);
    const { facts } = read;
    const findings = [
      ...(await this.structureFindings('RFCE', upload.xml)),
      ...ecfFindings(facts, 'recepcionfc'),
      ...this.reuseFindings(gate.segment, facts),
    ];
    if (gate.reject) findings.push(reject(0, SIMULATED_REJECTION, true));
    const verdict = verdictOf(findings);
    this.ledger.record(gate.segment, facts.rncEmisor ?? '', facts.encf ?? '', verdict, facts.montoTotal);
    this.ledger.keepReceived(gate.segment, facts.rncEmisor ?? '', facts.encf ?? '', upload.bytes);
    this.recordForConsultaEstado(gate.segment, facts, upload.xml, verdict, 0);
    if (gate.after) return gate.after;
    // recepcionfc-rfce-response-SHAPE.json: numeric codigo, message codes as strings.
    return SandboxReply.json(200, {
      codigo: verdict.codigo,
      estado: verdict.estado,
      mensajes:
        verdict.mensajes.length > 0
          ? verdict.mensajes.map((m) => ({ codigo: String(m.codigo), valor: m.valor }))
          : [{ codigo: '0', valor: '' }],
      encf: facts.encf ?? null,
      secuenciaUtilizada: verdict.secuenciaUtilizada,
    });
  }

  /** `POST {E}/aprobacioncomercial/api/aprobacioncomercial` (PROTOCOL §6, §1.4 #9). */
  async aprobacionComercial(call: SandboxCall): Promise<SandboxReply> {
    const gate = this.gate(call, 'aprobacion', true);
    if ('reply' in gate) return gate.reply;
    const upload = this.xmlPart(call);
    if (upload instanceof SandboxReply) return upload;
    const rejected = (mensaje: string[]): SandboxReply =>
      SandboxReply.json(400, { mensaje, estado: 'Aprobacion Comercial Rechazada', codigo: '02' });
    if (!FILE_NAME.test(upload.fileName)) return rejected([FILE_NAME_REFUSAL.valor]);
    const read = readDocument(upload.xml);
    if ('problem' in read) return rejected([read.problem]);
    const { facts } = read;
    const findings = [...(await this.structureFindings('ACECF', upload.xml)), ...acecfFindings(facts)];
    if (findings.length === 0) findings.push(...this.approvalFindings(gate.segment, facts));
    if (gate.reject) {
      findings.push(
        reject(0, 'No fue posible procesar la Aprobación comercial. Favor intentar nuevamente', false),
      );
    }
    if (findings.length > 0) return rejected(findings.map((f) => f.valor));
    return SandboxReply.json(200, { mensaje: [], estado: 'Aprobacion Comercial Aprobada', codigo: '01' });
  }

  /** `GET {E}/consultaresultado/api/consultas/estado?trackid=` in DGII's real shape (PROTOCOL §1.4). */
  consultaResultado(call: SandboxCall): SandboxReply {
    const gate = this.gate(call, 'consulta', true);
    if ('reply' in gate) return gate.reply;
    const trackId = call.query.trackid;
    if (!trackId) return SandboxReply.problem('trackid', 'The trackid field is required.');
    if (gate.reject) return SandboxReply.text(400, 'No fue posible procesar la consulta.');
    const found = this.ledger.get(trackId);
    if (!found || found.segment !== gate.segment) {
      return SandboxReply.json(200, {
        trackId,
        codigo: '0',
        estado: 'No encontrado',
        rnc: null,
        encf: null,
        secuenciaUtilizada: false,
        fechaRecepcion: null,
        mensajes: [],
      });
    }
    const common = { trackId, rnc: found.rnc, encf: found.encf };
    const fecha = fechaRecepcion(found.receivedAt);
    if (!SandboxLedger.ready(found)) {
      return SandboxReply.json(200, {
        ...common,
        codigo: '3',
        estado: 'En Proceso',
        secuenciaUtilizada: false,
        fechaRecepcion: fecha,
        mensajes: [],
      });
    }
    const { verdict } = found;
    return SandboxReply.json(200, {
      trackId,
      codigo: String(verdict.codigo),
      estado: verdict.estado,
      rnc: found.rnc,
      encf: found.encf,
      secuenciaUtilizada: verdict.secuenciaUtilizada,
      fechaRecepcion: fecha,
      mensajes:
        verdict.mensajes.length > 0
          ? verdict.mensajes.map((m) => ({ valor: m.valor, codigo: m.codigo }))
          : [{ valor: '', codigo: 0 }],
    });
  }

  /**
   * `GET {E}/consultatrackids/api/trackids/consulta?rncemisor=&encf=` (PROTOCOL §1.3 #7), in
   * consultatrackids-response-SHAPE.json's shape: every reception of that e-NCF, oldest first,
   * "En proceso" until its verdict shows; `[]` when it received none.
   */
  consultaTrackIds(call: SandboxCall): SandboxReply {
    const gate = this.gate(call, 'trackids', true);
    if ('reply' in gate) return gate.reply;
    const { rncemisor, encf } = call.query;
    if (!rncemisor) return SandboxReply.problem('rncemisor', 'The rncemisor field is required.');
    if (!encf) return SandboxReply.problem('encf', 'The encf field is required.');
    if (gate.reject) return SandboxReply.text(400, 'No fue posible procesar la consulta.');
    const found = this.ledger.submissionsOf(gate.segment, rncemisor, encf.toUpperCase());
    return SandboxReply.json(
      200,
      found.map((s) => ({
        trackId: s.trackId,
        estado: SandboxLedger.ready(s) ? s.verdict.estado : 'En proceso',
        fechaRecepcion: fechaRecepcion(s.receivedAt),
      })),
    );
  }

  /**
   * `GET {E}/consultadirectorio/api/consultas/obtenerdirectorioporrnc?RNC=` (PROTOCOL §1.3 #11b).
   * Answers a known RNC with a single object, the variant DGII is seen to send in the field
   * (the gateway normalises it), and an unknown one with `[]`.
   */
  directorioPorRnc(call: SandboxCall): SandboxReply {
    const gate = this.gate(call, 'directorio', true);
    if ('reply' in gate) return gate.reply;
    const { rnc } = call.query;
    if (!rnc) return SandboxReply.problem('RNC', 'The RNC field is required.');
    if (gate.reject) return SandboxReply.text(400, 'No fue posible procesar la consulta.');
    const found = this.directory.find(gate.segment, rnc);
    return SandboxReply.json(200, found ? directoryItem(found) : []);
  }

  /** `GET {E}/consultadirectorio/api/consultas/listado` (PROTOCOL §1.3 #11a): always an array. */
  directorioListado(call: SandboxCall): SandboxReply {
    const gate = this.gate(call, 'directorio', true);
    if ('reply' in gate) return gate.reply;
    if (gate.reject) return SandboxReply.text(400, 'No fue posible procesar la consulta.');
    return SandboxReply.json(200, this.directory.list(gate.segment).map(directoryItem));
  }

  /**
   * `GET {E}/consultaestado/api/consultas/estado?rncemisor=&ncfelectronico=&rnccomprador=&codigoseguridad=`
   * (PROTOCOL §1.3 #6) in consultaestado-response-SHAPE.json's shape. Without the right security
   * code DGII finds nothing (PROTOCOL §1.4, field: "ConsultaEstado exige el código"): codigo 0.
   */
  consultaEstado(call: SandboxCall): SandboxReply {
    const gate = this.gate(call, 'consultaestado', true);
    if ('reply' in gate) return gate.reply;
    const { rncemisor, ncfelectronico, rnccomprador, codigoseguridad } = call.query;
    if (!rncemisor) return SandboxReply.problem('rncemisor', 'The rncemisor field is required.');
    if (!ncfelectronico)
      return SandboxReply.problem('ncfelectronico', 'The ncfelectronico field is required.');
    if (gate.reject) return SandboxReply.text(400, 'No fue posible procesar la consulta.');
    const encf = ncfelectronico.toUpperCase();
    const found = this.ledger.ecfRecord(gate.segment, rncemisor, encf);
    const matches =
      found !== undefined &&
      performance.now() >= found.readyAt &&
      codigoseguridad === found.codigoSeguridad &&
      (!rnccomprador || rnccomprador === found.rncComprador);
    if (!matches) {
      return SandboxReply.json(200, {
        codigo: 0,
        estado: 'No encontrado',
        rncEmisor: rncemisor,
        ncfElectronico: encf,
        montoTotal: null,
        totalITBIS: null,
        fechaEmision: null,
        fechaFirma: null,
        rncComprador: rnccomprador || null,
        codigoSeguridad: codigoseguridad || null,
        idExtranjero: null,
      });
    }
    return SandboxReply.json(200, {
      // Consulta estado knows 0/1/2 only; "Aceptado Condicional" is shown for consumo (PROTOCOL §1.4).
      codigo: found.codigo === 4 ? 1 : found.codigo,
      estado: found.estado,
      rncEmisor: rncemisor,
      ncfElectronico: encf,
      montoTotal: found.montoTotal ?? null,
      totalITBIS: found.totalITBIS ?? null,
      fechaEmision: found.fechaEmision ?? null,
      fechaFirma: found.fechaFirma ?? null,
      rncComprador: found.rncComprador ?? null,
      codigoSeguridad: found.codigoSeguridad,
      idExtranjero: null,
    });
  }

  /**
   * `POST {E}/anulacionrangos/api/operaciones/anularrango` (PROTOCOL §1.3 #10, §7.2), in
   * anulacionrangos-response-SHAPE.json's shape. Refuses with DGII's documented messages
   * (HTTP 400): file, XSD, signature, NoLinea order, type/series, Desde > Hasta, sequences
   * already used or cancelled. Accepted ranges can never be used afterwards. The `codigo`
   * values ("1" annulled, "2" refused) are the sandbox's: DGII documents none.
   */
  async anulacionRangos(call: SandboxCall): Promise<SandboxReply> {
    const gate = this.gate(call, 'anulacion', true);
    if ('reply' in gate) return gate.reply;
    const upload = this.xmlPart(call);
    if (upload instanceof SandboxReply) return upload;
    const answer = (status: number, rnc: string | null, mensajes: string[]): SandboxReply =>
      SandboxReply.json(status, {
        rnc,
        codigo: status === 200 ? '1' : '2',
        nombre: (rnc && this.directory.find(gate.segment, rnc)?.nombre) || null,
        mensajes,
      });
    if (!FILE_NAME.test(upload.fileName)) return answer(400, null, [FILE_NAME_REFUSAL.valor]);
    const read = readAnecf(upload.xml);
    if ('problem' in read) return answer(400, null, [read.problem]);
    const { facts } = read;
    const rnc = facts.rncEmisor || null;
    const schema = this.schemas.problems('ANECF', upload.xml);
    if (schema.length > 0) return answer(400, rnc, [`El formato del XML no es válido. ${schema[0]}`]);
    if (!(await verifyXmlSignature(upload.xml)).valid)
      return answer(400, rnc, ['La firma del documento no es válida.']);
    if (read.problems.length > 0) return answer(400, rnc, read.problems);
    if (facts.ranges.some((r) => this.ledger.rangeUsed(gate.segment, facts.rncEmisor, r))) {
      return answer(400, rnc, ['Las secuencias que está intentando anular han sido utilizadas.']);
    }
    if (gate.reject) return answer(400, rnc, ['No fue posible anular las siguientes secuencias.']);
    this.ledger.annul(gate.segment, facts.rncEmisor, facts.ranges);
    return answer(200, rnc, ['Las secuencias fueron anuladas correctamente.']);
  }

  /**
   * `GET /api/estatusservicios/obtenerestatus` of DGII's status host (PROTOCOL §1.3 #14a): every
   * service "Disponible" in every environment, or "No Disponible" under a `reject` fault.
   */
  estatusServicios(call: SandboxCall): SandboxReply {
    const gate = this.statusGate(call);
    if ('reply' in gate) return gate.reply;
    const estatus = gate.reject ? 'No Disponible' : 'Disponible';
    return SandboxReply.json(
      200,
      STATUS_AMBIENTES.flatMap((ambiente) =>
        STATUS_SERVICES.map((servicio) => ({ servicio, estatus, ambiente })),
      ),
    );
  }

  /**
   * `GET /api/estatusservicios/obtenerventanasmantenimiento` (PROTOCOL §1.3 #14b): one window per
   * environment, next Sunday 1:00–3:00 AM on the sandbox clock (DGII's own days are not known).
   */
  ventanasMantenimiento(call: SandboxCall): SandboxReply {
    const gate = this.statusGate(call);
    if ('reply' in gate) return gate.reply;
    if (gate.reject) return SandboxReply.json(200, { ventanaMantenimientos: [] });
    const now = new Date(this.clock.now());
    const sunday = new Date(now.getTime() + ((7 - now.getUTCDay()) % 7 || 7) * 86_400_000);
    const dia = `${pad2(sunday.getUTCDate())}-${pad2(sunday.getUTCMonth() + 1)}-${sunday.getUTCFullYear()}`;
    return SandboxReply.json(200, {
      ventanaMantenimientos: STATUS_AMBIENTES.map((ambiente) => ({
        ambiente,
        horaInicio: '1:00 AM',
        horaFin: '3:00 AM',
        dias: [dia],
      })),
    });
  }

  /** The status host: counted, faults by path, then `Authorization: Apikey {key}` (PROTOCOL §1.3 #14). */
  private statusGate(call: SandboxCall): { reply: SandboxReply } | { reject: boolean } {
    this.stats.count('estatus');
    const fault: FaultKind | undefined = this.faults.take(call.path);
    if (fault === '500') return { reply: SandboxReply.serverError() };
    if (fault === '401') return { reply: SandboxReply.unauthorized() };
    if (fault === 'timeout') return { reply: SandboxReply.held() };
    const expected = this.config?.dgiiStatusApiKey ?? SANDBOX_STATUS_API_KEY;
    const match = /^apikey\s+(\S+)$/i.exec(call.authorization?.trim() ?? '');
    if (!match || !safeEqual(match[1], expected)) return { reply: SandboxReply.unauthorized() };
    return { reject: fault === 'reject' };
  }

  /** What consulta estado will answer for this e-CF or RFCE (PROTOCOL §1.3 #6). */
  private recordForConsultaEstado(
    segment: string,
    facts: DocumentFacts,
    xml: string,
    verdict: LedgerVerdict,
    delayMs: number,
  ): void {
    if (!facts.rncEmisor || !facts.encf) return;
    // RFCE carries the e-CF's code; an e-CF's is the start of its SignatureValue (PROTOCOL §3.4).
    const codigoSeguridad =
      leaf(xml, 'CodigoSeguridadeCF') ?? (leaf(xml, 'SignatureValue') ?? '').replace(/\s+/g, '').slice(0, 6);
    const itbis = Number(leaf(xml, 'TotalITBIS'));
    this.ledger.recordEcf(segment, facts.rncEmisor, facts.encf, {
      codigo: verdict.codigo,
      estado: verdict.estado,
      rncComprador: facts.rncComprador,
      montoTotal: facts.montoTotal,
      totalITBIS: Number.isFinite(itbis) && leaf(xml, 'TotalITBIS') !== undefined ? itbis : undefined,
      fechaEmision: facts.fechaEmision,
      fechaFirma: leaf(xml, 'FechaHoraFirma'),
      codigoSeguridad,
      readyAt: performance.now() + delayMs,
    });
  }

  /** Counts the call, then applies the environment check, an injected fault, and the Bearer check. */
  private gate(call: SandboxCall, kind: SandboxCallKind, bearer: boolean): Gate {
    this.stats.count(kind);
    const segment = call.segment.toLowerCase();
    if (!SEGMENTS.has(segment)) return { reply: SandboxReply.notFound() };
    const fault: FaultKind | undefined = this.faults.take(call.path);
    if (fault === '500') return { reply: SandboxReply.serverError() };
    if (fault === '401') return { reply: SandboxReply.unauthorized() };
    if (fault === 'timeout') return { reply: SandboxReply.held() };
    if (bearer && !this.auth.authorized(segment, call.authorization))
      return { reply: SandboxReply.unauthorized() };
    const after =
      fault === 'timeout-after-receiving'
        ? SandboxReply.held()
        : fault === '500-after-receiving'
          ? SandboxReply.serverError()
          : undefined;
    return { segment, reject: fault === 'reject', after };
  }

  /** The multipart part `xml` (PROTOCOL §1.2); ASP.NET's ProblemDetails when it is missing. */
  private xmlPart(call: SandboxCall): Upload | SandboxReply {
    if (typeof call.upload === 'string') return SandboxReply.text(400, call.upload);
    const part = call.upload?.find((p) => p.name === 'xml');
    if (!part || part.data.length === 0) return SandboxReply.problem('xml', 'The xml field is required.');
    return { xml: part.data.toString('utf8'), bytes: part.data, fileName: part.fileName ?? '' };
  }

  private ecfKind(facts: DocumentFacts): DocumentKind | undefined {
    const kind = facts.root === 'ECF' ? facts.tipoeCF : undefined;
    return DOCUMENT_KINDS.find((k) => k === kind);
  }

  /** XSD and signature: refusals that leave the e-NCF unused (PROTOCOL §1.5). */
  private async structureFindings(kind: DocumentKind | undefined, xml: string): Promise<RuleFinding[]> {
    const problems = kind ? this.schemas.problems(kind, xml) : [];
    if (problems.length > 0) return [reject(0, `El formato del XML no es válido. ${problems[0]}`, false)];
    const signature = await verifyXmlSignature(xml);
    return signature.valid ? [] : [reject(0, 'La firma del XML no es válida.', false)];
  }

  /** PROTOCOL §1.6 code 1209: the emisor already consumed this e-NCF. */
  private reuseFindings(segment: string, facts: DocumentFacts): RuleFinding[] {
    if (!facts.rncEmisor || !facts.encf || !this.ledger.isUsed(segment, facts.rncEmisor, facts.encf))
      return [];
    return [reject(1209, `El eNCF ${facts.encf} ya fue utilizado por el emisor ${facts.rncEmisor}.`, true)];
  }

  /**
   * DGII takes approvals only for e-CF it accepted (IT p.14 note 10). The sandbox refuses when
   * it saw the e-CF rejected or with another MontoTotal; an e-CF it never saw is let through,
   * so approvals can be tested alone.
   */
  private approvalFindings(segment: string, facts: DocumentFacts): RuleFinding[] {
    const seen = this.ledger.document(segment, facts.rncEmisor ?? '', facts.encf ?? '');
    if (!seen) return [];
    if (!seen.accepted)
      return [reject(0, 'No se encuentra un e-CF válido para esta aprobación comercial', false)];
    if (
      seen.montoTotal !== undefined &&
      facts.montoTotal !== undefined &&
      Math.abs(seen.montoTotal - facts.montoTotal) > 0.005
    ) {
      return [reject(0, 'El MontoTotal no corresponde con el del e-CF aprobado.', false)];
    }
    return [];
  }
}
