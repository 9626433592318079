import type { DgiiJson } from '../rules/rule.types';
import { dgiiDateFromIso, dgiiDateTime } from '@app/common';

/** Commercial approval request (DESIGN §3 `/acecf/issue`, PROTOCOL §6). */
export interface AcecfRequest {
  rncEmisor: string;
  rncComprador: string;
  eNCF: string;
  /** `yyyy-MM-dd`: FechaEmision of the approved e-CF. */
  fechaEmisionOriginal: string;
  montoTotalOriginal: number | string;
  /** 1 = aceptado, 2 = rechazado. */
  estado: number | string;
  /** Only with estado 2 (≤ 250 characters). */
  detalleMotivoRechazo?: string;
  /** `dd-MM-yyyy HH:mm:ss`: the approval instant when the caller states it (Paso 3 workbooks do). */
  fechaHoraAprobacionComercial?: string;
}

/**
 * ACECF JSON for `buildDocument('ACECF', …)`; `fechaHora` is the approval instant
 * (`dd-MM-yyyy HH:mm:ss` or a Date, written in Dominican time).
 */
export function acecfFromRequest(request: AcecfRequest, fechaHora: string | Date): DgiiJson {
  return {
    DetalleAprobacionComercial: {
      Version: '1.0',
      RNCEmisor: request.rncEmisor,
      eNCF: request.eNCF,
      FechaEmision: dgiiDateFromIso(request.fechaEmisionOriginal) ?? request.fechaEmisionOriginal,
      MontoTotal: request.montoTotalOriginal,
      RNCComprador: request.rncComprador,
      Estado: request.estado,
      DetalleMotivoRechazo: request.detalleMotivoRechazo,
      FechaHoraAprobacionComercial: request.fechaHoraAprobacionComercial ?? dgiiDateTime(fechaHora),
    },
  };
}

/** Receipt acknowledgement of an incoming e-CF (PROTOCOL §7.1). */
export interface ArecfRequest {
  rncEmisor: string;
  rncComprador: string;
  eNCF: string;
  /** 0 = recibido, 1 = no recibido. */
  estado: number | string;
  /** Only with estado 1: 1 especificación, 2 firma digital, 3 envío duplicado, 4 RNC comprador no corresponde. */
  codigoMotivoNoRecibido?: number | string;
}

/** ARECF JSON for `buildDocument('ARECF', …)`. */
export function arecfFromRequest(request: ArecfRequest, fechaHora: string | Date): DgiiJson {
  return {
    DetalleAcusedeRecibo: {
      Version: '1.0',
      RNCEmisor: request.rncEmisor,
      RNCComprador: request.rncComprador,
      eNCF: request.eNCF,
      Estado: request.estado,
      CodigoMotivoNoRecibido: request.codigoMotivoNoRecibido,
      FechaHoraAcuseRecibo: dgiiDateTime(fechaHora),
    },
  };
}

/** Cancellation of unused e-NCF ranges (PROTOCOL §7.2). */
export interface AnecfRequest {
  rncEmisor: string;
  anulaciones: readonly {
    tipoeCF: number | string;
    /** Inclusive ranges of 13-character e-NCFs. */
    rangos: readonly { desde: string; hasta: string }[];
  }[];
}

const rangeSize = (desde: string, hasta: string): number =>
  Number(hasta.slice(3)) - Number(desde.slice(3)) + 1;

/** ANECF JSON for `buildDocument('ANECF', …)`, with NoLinea and the counts computed. */
export function anecfFromRequest(request: AnecfRequest, fechaHora: string | Date): DgiiJson {
  const blocks = request.anulaciones.map((a, i) => ({
    NoLinea: i + 1,
    TipoeCF: a.tipoeCF,
    TablaRangoSecuenciasAnuladaseNCF: {
      Secuencias: a.rangos.map((r) => ({ SecuenciaeNCFDesde: r.desde, SecuenciaeNCFHasta: r.hasta })),
    },
    CantidadeNCFAnulados: a.rangos.reduce((s, r) => s + rangeSize(r.desde, r.hasta), 0),
  }));
  return {
    Encabezado: {
      Version: '1.0',
      RncEmisor: request.rncEmisor,
      CantidadeNCFAnulados: blocks.reduce((s, b) => s + b.CantidadeNCFAnulados, 0),
      FechaHoraAnulacioneNCF: dgiiDateTime(fechaHora),
    },
    DetalleAnulacion: { Anulacion: blocks },
  };
}
