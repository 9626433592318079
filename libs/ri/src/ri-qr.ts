import * as QRCode from 'qrcode';
import { environmentSegment, RFCE_THRESHOLD_DOP, type DgiiEnvironmentName } from '@app/common';
import { ecfQrUrl, QrEnvironment, rfceQrUrl } from '@app/signing';
import type { RiDocument } from './ri-document';

/**
 * Which timbre the QR points to (PROTOCOL §9.1): a type 32 under RD$250,000 was summarised by an
 * RFCE and is looked up by `ConsultaTimbreFC`; every other e-CF by `ConsultaTimbre`. `rfce`
 * overrides the rule only for a type 32 (the integrator knows how it was sent).
 */
export function viaRfce(doc: RiDocument, rfce?: boolean): boolean {
  if (doc.tipo !== '32') return false;
  if (rfce !== undefined) return rfce;
  return Number(doc.totales.MontoTotal ?? '0') < RFCE_THRESHOLD_DOP;
}

/** The QR's URL, built by the same functions as the issue routes' `qrUrl` (libs/signing). */
export function riQrUrl(
  doc: RiDocument,
  securityCode: string,
  environment: DgiiEnvironmentName,
  rfce: boolean,
): string {
  const env = environmentSegment(environment) as QrEnvironment;
  const montoTotal = doc.totales.MontoTotal ?? '';
  if (rfce) {
    return rfceQrUrl({
      environment: env,
      rncEmisor: doc.emisor.rnc,
      encf: doc.encf,
      montoTotal,
      codigoSeguridad: securityCode,
    });
  }
  return ecfQrUrl({
    environment: env,
    rncEmisor: doc.emisor.rnc,
    rncComprador: doc.comprador?.rnc,
    encf: doc.encf,
    fechaEmision: doc.emisor.fechaEmision,
    montoTotal,
    fechaFirma: doc.fechaHoraFirma,
    codigoSeguridad: securityCode,
  });
}

export interface QrMatrix {
  size: number;
  version: number;
  dark(row: number, col: number): boolean;
}

/**
 * PROTOCOL §9.1 asks for QR version 8 (49 × 49 modules); DGII names no error-correction level, so
 * L, the one that holds the most. Version 8-L holds 192 bytes: a ConsultaTimbreFC URL (~125) fits,
 * but a full ConsultaTimbre URL is 205–225 bytes (its FechaFirma percent-encoded as the issue
 * routes' `qrUrl` has it) and does not fit even with numeric segments, so it takes version 9
 * (53 × 53). The QR must carry exactly `qrUrl`, so the version grows rather than the URL shrinking;
 * it is never smaller than 8.
 */
export function qrMatrix(url: string): QrMatrix {
  let qr: QRCode.QRCode;
  try {
    qr = QRCode.create(url, { version: 8, errorCorrectionLevel: 'L' });
  } catch {
    // Does not fit version 8: the smallest version that holds it, necessarily above 8.
    qr = QRCode.create(url, { errorCorrectionLevel: 'L' });
  }
  const { size, data } = qr.modules;
  return { size, version: qr.version, dark: (r, c) => data[r * size + c] === 1 };
}
