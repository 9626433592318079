import { Inject, Injectable } from '@nestjs/common';
import {
  Clock,
  dgiiUploadFileName,
  ErrorDetail,
  InternalError,
  isoSeconds,
  santoDomingoDateTime,
  ValidationFailedError,
} from '@app/common';
import type { DgiiEnvironment } from '@app/config';
import { DgiiAnnulment, DgiiGateway, DgiiMessage } from '@app/dgii-gateway';
import { anecfFromRequest, AnecfRequest } from '@app/xml-builder';
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
const rangeSize = (desde: unknown, hasta: unknown): number =>
  typeof desde === 'string' && typeof hasta === 'string'
    ? Number(hasta.slice(3)) - Number(desde.slice(3)) + 1
    : Number.NaN;

/** Flat fields + `anecf` → DGII's ANECF JSON, or the contradictions (issue 11 §1). */
export function anecfJsonOf(request: IssueAnecfRequest, fechaHora: string): Json {
  const details: ErrorDetail[] = [];
  const anecf: Json = isObject(request.anecf) ? structuredClone(request.anecf) : {};
  const encabezado: Json = isObject(anecf.Encabezado) ? anecf.Encabezado : {};
  anecf.Encabezado = encabezado;

  if (request.rncEmisor !== undefined) {
    if (isAbsent(encabezado.RncEmisor)) encabezado.RncEmisor = request.rncEmisor;
    else if (String(encabezado.RncEmisor) !== request.rncEmisor) {
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
      anecf.DetalleAnulacion = anecfFromRequest(
        { rncEmisor: String(encabezado.RncEmisor ?? ''), anulaciones: request.anulaciones },
        fechaHora,
      ).DetalleAnulacion;
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
  const detalle = anecf.DetalleAnulacion as Json;
  let total = 0;
  let computable = true;
  asArray(detalle.Anulacion).forEach((block, i) => {
    if (!isObject(block)) return;
    if (isAbsent(block.NoLinea)) block.NoLinea = i + 1;
    const tabla = isObject(block.TablaRangoSecuenciasAnuladaseNCF)
      ? block.TablaRangoSecuenciasAnuladaseNCF
      : {};
    const size = asArray(tabla.Secuencias).reduce<number>(
      (sum, s) => sum + (isObject(s) ? rangeSize(s.SecuenciaeNCFDesde, s.SecuenciaeNCFHasta) : Number.NaN),
      0,
    );
    if (isAbsent(block.CantidadeNCFAnulados) && Number.isFinite(size)) block.CantidadeNCFAnulados = size;
    const count = Number(block.CantidadeNCFAnulados);
    if (Number.isFinite(count)) total += count;
    else computable = false;
  });
  if (isAbsent(encabezado.Version)) encabezado.Version = '1.0';
  if (isAbsent(encabezado.CantidadeNCFAnulados) && computable) encabezado.CantidadeNCFAnulados = total;
  if (isAbsent(encabezado.FechaHoraAnulacioneNCF)) encabezado.FechaHoraAnulacioneNCF = fechaHora;
  // Catalogue order is the builder's job; keep Encabezado first for readers of the JSON.
  return { Encabezado: encabezado, ...anecf };
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
    const json = anecfJsonOf(request, santoDomingoDateTime(new Date(now)));
    const signed = await this.signer.sign('ANECF', json, caller.identity);
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
