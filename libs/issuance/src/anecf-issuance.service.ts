import { Inject, Injectable } from '@nestjs/common';
import {
  Clock,
  dgiiUploadFileName,
  ErrorDetail,
  InternalError,
  isoSeconds,
  santoDomingoDateTime,
  ValidationFailedError,
  XmlBuildFailedError,
} from '@app/common';
import type { DgiiEnvironment } from '@app/config';
import { DgiiAnnulment, DgiiGateway, DgiiMessage } from '@app/dgii-gateway';
import type { AnecfRequest } from '@app/xml-builder';
import { DocumentSigner } from './document-signer.service';
import { withSignedDocument } from './dgii-upload';
import { IssueCaller } from './issue-caller';
import { dryRunResult, IssueResult } from './issue-result';

type Json = Record<string, unknown>;

/**
 * `POST /anecf/issue` (issue 11 §1, PROTOCOL §7.2): flat fields, DGII's own shape under `anecf`,
 * or both. Flat fields fill what `anecf` leaves out; a flat field that contradicts `anecf` is a
 * 400. What the caller does not give (Version, FechaHoraAnulacioneNCF, NoLinea, the counts) is
 * computed; the catalogue and the ANECF rules check the rest (422).
 */
export interface IssueAnecfRequest {
  rncEmisor?: string;
  anulaciones?: AnecfRequest['anulaciones'];
  /** DGII's ANECF shape: `{Encabezado, DetalleAnulacion}` (the root element's children). */
  anecf?: Json;
  environment?: DgiiEnvironment;
  dryRun?: boolean;
}

/** What an ANECF produced: the issue result, with what was cancelled and DGII's own answer. */
export interface AnecfIssueResult extends IssueResult {
  rncEmisor: string;
  /** Total e-NCFs cancelled (Encabezado/CantidadeNCFAnulados). */
  cantidadeNCFAnulados: number;
  /** DGII's `codigo` and `nombre` as sent (anulacionrangos-response-SHAPE.json); absent on dry runs. */
  dgiiCodigo?: string;
  dgiiNombre?: string;
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isAbsent = (v: unknown): boolean => v === undefined || v === null || v === '';
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
/** Size of an inclusive range of one type and series (PROTOCOL §7.2); NaN when it is not one. */
const rangeSize = (desde: unknown, hasta: unknown): number =>
  typeof desde === 'string' &&
  typeof hasta === 'string' &&
  /^[E-Z]\d{12}$/.test(desde) &&
  /^[E-Z]\d{12}$/.test(hasta) &&
  desde.slice(0, 3) === hasta.slice(0, 3)
    ? Number(hasta.slice(3)) - Number(desde.slice(3)) + 1
    : Number.NaN;

/**
 * DGII's ANECF JSON built from flat fields + `anecf`, with which flat field filled which element
 * (paths below `anecf`, to name the flat field in a build error) and which elements were computed.
 */
export interface AnecfDocument {
  json: Json;
  flatPaths: ReadonlyMap<string, string>;
  computed: ReadonlySet<string>;
  /** Counts left out because a range is not valid: the ANECF rules report the range itself. */
  uncomputed: ReadonlySet<string>;
}

/** Flat fields + `anecf` → DGII's ANECF JSON, or the contradictions (issue 11 §1). */
export function anecfJsonOf(request: IssueAnecfRequest, fechaHora: string): Json {
  return anecfDocumentOf(request, fechaHora).json;
}

export function anecfDocumentOf(request: IssueAnecfRequest, fechaHora: string): AnecfDocument {
  const details: ErrorDetail[] = [];
  const flatPaths = new Map<string, string>();
  const computed = new Set<string>();
  const uncomputed = new Set<string>();
  const anecf: Json = isObject(request.anecf) ? structuredClone(request.anecf) : {};
  const encabezado: Json = isObject(anecf.Encabezado) ? anecf.Encabezado : {};
  anecf.Encabezado = encabezado;

  if (request.rncEmisor !== undefined) {
    if (isAbsent(encabezado.RncEmisor)) {
      encabezado.RncEmisor = request.rncEmisor;
      flatPaths.set('Encabezado.RncEmisor', 'rncEmisor');
    } else if (String(encabezado.RncEmisor) !== request.rncEmisor) {
      details.push({
        path: 'rncEmisor',
        message: `${JSON.stringify(request.rncEmisor)} contradicts anecf.Encabezado.RncEmisor (${JSON.stringify(encabezado.RncEmisor)})`,
        rule: 'flat-contradiction',
        ecfPath: 'anecf.Encabezado.RncEmisor',
      });
    }
  }
  if (request.anulaciones !== undefined) {
    if (!isAbsent(anecf.DetalleAnulacion)) {
      details.push({
        path: 'anulaciones',
        message: 'give the ranges once: anulaciones or anecf.DetalleAnulacion, not both',
        rule: 'flat-contradiction',
        ecfPath: 'anecf.DetalleAnulacion',
      });
    } else {
      anecf.DetalleAnulacion = {
        Anulacion: request.anulaciones.map((a, i) => {
          const at = `DetalleAnulacion.Anulacion[${i}]`;
          flatPaths.set(`${at}.TipoeCF`, `anulaciones[${i}].tipoeCF`);
          return {
            TipoeCF: a.tipoeCF,
            TablaRangoSecuenciasAnuladaseNCF: {
              Secuencias: a.rangos.map((r, j) => {
                const seq = `${at}.TablaRangoSecuenciasAnuladaseNCF.Secuencias[${j}]`;
                flatPaths.set(`${seq}.SecuenciaeNCFDesde`, `anulaciones[${i}].rangos[${j}].desde`);
                flatPaths.set(`${seq}.SecuenciaeNCFHasta`, `anulaciones[${i}].rangos[${j}].hasta`);
                return { SecuenciaeNCFDesde: r.desde, SecuenciaeNCFHasta: r.hasta };
              }),
            },
          };
        }),
      };
    }
  }
  if (isAbsent(encabezado.RncEmisor)) {
    details.push({ path: 'rncEmisor', message: 'rncEmisor (or anecf.Encabezado.RncEmisor) is required' });
  }
  if (isAbsent(anecf.DetalleAnulacion)) {
    details.push({
      path: 'anulaciones',
      message: 'anulaciones (or anecf.DetalleAnulacion.Anulacion) is required',
    });
  }
  if (details.length > 0) {
    throw new ValidationFailedError(
      `request validation failed: ${details.length} problem${details.length === 1 ? '' : 's'}`,
      details,
    );
  }

  // PROTOCOL §7.2: NoLinea 1, 2, …; each block's count is its inclusive ranges; the header's the sum.
  // A count is computed only from valid ranges; a bad range is reported by the ANECF rules instead.
  const detalle = anecf.DetalleAnulacion as Json;
  const list = asArray(detalle.Anulacion);
  let total = 0;
  let computable = true;
  list.forEach((block, i) => {
    if (!isObject(block)) return;
    const at = Array.isArray(detalle.Anulacion)
      ? `DetalleAnulacion.Anulacion[${i}]`
      : 'DetalleAnulacion.Anulacion';
    if (isAbsent(block.NoLinea)) {
      block.NoLinea = i + 1;
      computed.add(`${at}.NoLinea`);
    }
    const tabla = isObject(block.TablaRangoSecuenciasAnuladaseNCF)
      ? block.TablaRangoSecuenciasAnuladaseNCF
      : {};
    const sizes = asArray(tabla.Secuencias).map((r) =>
      isObject(r) ? rangeSize(r.SecuenciaeNCFDesde, r.SecuenciaeNCFHasta) : Number.NaN,
    );
    const valid = sizes.length > 0 && sizes.every((n) => Number.isInteger(n) && n >= 1);
    if (isAbsent(block.CantidadeNCFAnulados) && valid) {
      block.CantidadeNCFAnulados = sizes.reduce((a, b) => a + b, 0);
      computed.add(`${at}.CantidadeNCFAnulados`);
    } else if (isAbsent(block.CantidadeNCFAnulados)) {
      uncomputed.add(`${at}.CantidadeNCFAnulados`);
    }
    const count = Number(block.CantidadeNCFAnulados);
    if (!isAbsent(block.CantidadeNCFAnulados) && Number.isFinite(count)) total += count;
    else computable = false;
  });
  if (isAbsent(encabezado.Version)) encabezado.Version = '1.0';
  if (isAbsent(encabezado.CantidadeNCFAnulados) && computable) {
    encabezado.CantidadeNCFAnulados = total;
    computed.add('Encabezado.CantidadeNCFAnulados');
  } else if (isAbsent(encabezado.CantidadeNCFAnulados)) {
    uncomputed.add('Encabezado.CantidadeNCFAnulados');
  }
  if (isAbsent(encabezado.FechaHoraAnulacioneNCF)) encabezado.FechaHoraAnulacioneNCF = fechaHora;
  // Catalogue order is the builder's job; keep Encabezado first for readers of the JSON.
  return { json: { Encabezado: encabezado, ...anecf }, flatPaths, computed, uncomputed };
}

/**
 * A build error in ANECF terms: paths below `anecf` (the builder writes `ecf.`); an element a
 * flat field filled names that field, with `ecfPath` beside it.
 */
function translateBuildError(error: unknown, doc: AnecfDocument): unknown {
  if (!(error instanceof XmlBuildFailedError)) return error;
  const own = (d: ErrorDetail): boolean =>
    !(d.rule === 'xsd:minOccurs' && d.path?.startsWith('ecf.') && doc.uncomputed.has(d.path.slice(4)));
  const kept = error.details.filter(own);
  const details = (kept.length > 0 ? kept : error.details).map((d) => {
    const rel = d.path?.startsWith('ecf.') ? d.path.slice(4) : undefined;
    if (rel === undefined) return d;
    const flat = doc.flatPaths.get(rel);
    return flat ? { ...d, path: flat, ecfPath: `anecf.${rel}` } : { ...d, path: `anecf.${rel}` };
  });
  return new XmlBuildFailedError(error.message, details);
}

function firstDesde(anecf: Json): string {
  const block = asArray((anecf.DetalleAnulacion as Json | undefined)?.Anulacion)[0];
  const tabla = isObject(block) ? block.TablaRangoSecuenciasAnuladaseNCF : undefined;
  const seq = isObject(tabla) ? asArray(tabla.Secuencias)[0] : undefined;
  return isObject(seq) ? String(seq.SecuenciaeNCFDesde ?? '') : '';
}

function statusMessageOf(messages: DgiiMessage[], accepted: boolean): string {
  const texts = messages.map((m) => m.valor).filter((v) => v.trim() !== '');
  if (texts.length > 0) return texts.join('; ');
  return accepted ? 'Aceptado' : 'Rechazado';
}

/** An ANECF has no trackId and no consulta: the unknown outcome says what to do instead. */
function anecfOutcome(error: unknown): unknown {
  if (!(error instanceof InternalError) || error.status !== 502) return error;
  const details = error.details.map((d) =>
    d.outcome === 'unknown'
      ? {
          outcome: 'unknown',
          message:
            'DGII may have cancelled these ranges; sending the same ANECF again is safe: ' +
            'DGII refuses ranges already cancelled ("Las secuencias que está intentando anular han sido utilizadas")',
        }
      : d,
  );
  return new InternalError(error.message, details, 502);
}

/** Annulment of unused e-NCF ranges (PROTOCOL §7.2), signed with the session and sent to DGII (§1.3 #10). */
@Injectable()
export class AnecfIssuanceService {
  constructor(
    @Inject(DocumentSigner) private readonly signer: DocumentSigner,
    @Inject(DgiiGateway) private readonly dgii: DgiiGateway,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async issue(caller: IssueCaller, request: IssueAnecfRequest): Promise<AnecfIssueResult> {
    const environment = request.environment ?? 'CERTIFICATION';
    const now = this.clock.now();
    const doc = anecfDocumentOf(request, santoDomingoDateTime(new Date(now)));
    const { json } = doc;
    const signed = await this.signer.sign('ANECF', json, caller.identity).catch((error: unknown) => {
      throw translateBuildError(error, doc);
    });
    const encabezado = json.Encabezado as Json;
    const rncEmisor = String(encabezado.RncEmisor);
    const base = {
      signedXml: signed.xml,
      securityCode: signed.securityCode,
      signedAt: signed.signedAt,
      rncEmisor,
      cantidadeNCFAnulados: Number(encabezado.CantidadeNCFAnulados),
    };
    if (request.dryRun) return dryRunResult(base);
    const submittedAt = isoSeconds(now);
    // No DT p.59 name for ANECF: `{RncEmisor}{first SecuenciaeNCFDesde}.xml` has the standard length (code 3243).
    const encf = firstDesde(json);
    let answer: DgiiAnnulment;
    try {
      answer = await this.dgii.submitAnecf(
        { cacheKey: caller.cacheKey, environment, identity: caller.identity },
        { xml: signed.xml, fileName: dgiiUploadFileName(rncEmisor, encf) },
      );
    } catch (error) {
      throw withSignedDocument(anecfOutcome(error), {
        signedXml: signed.xml,
        securityCode: signed.securityCode,
        encf,
      });
    }
    return {
      ...base,
      ruling: answer.accepted ? 'accepted' : 'rejected',
      trackId: null,
      // DGII's answer carries no estado (PROTOCOL §1.3 #10): its HTTP status decides.
      dgiiEstado: answer.accepted ? 'Aceptado' : 'Rechazado',
      submittedAt,
      success: answer.accepted,
      statusMessage: statusMessageOf(answer.mensajes, answer.accepted),
      ...(answer.mensajes.length > 0 ? { mensajes: answer.mensajes } : {}),
      ...(answer.codigo !== '' ? { dgiiCodigo: answer.codigo } : {}),
      ...(answer.nombre !== undefined ? { dgiiNombre: answer.nombre } : {}),
    };
  }
}
