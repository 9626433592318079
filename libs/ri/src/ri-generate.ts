import { RFCE_THRESHOLD_DOP, RiDocumentInvalidError, type DgiiEnvironmentName } from '@app/common';
import { verifyXmlSignature } from '@app/signing';
import { readRiDocument, RiDocument, RiDocumentError } from './ri-document';
import { renderRiPdf, RiFormat } from './ri-pdf';
import { qrMatrix, riQrUrl, viaRfce } from './ri-qr';

export interface RiRequest {
  signedXml: string;
  /** The QR's host path (PROTOCOL §9.1); default CERTIFICATION like the issue routes. */
  environment?: DgiiEnvironmentName;
  format?: RiFormat;
  /** Type 32 only: whether it went to DGII as an RFCE; default: MontoTotal < RD$250,000. */
  rfce?: boolean;
}

export interface RiResult {
  pdf: Buffer;
  encf: string;
  tipo: string;
  securityCode: string;
  qrUrl: string;
  /** `{RNCEmisor}{e-NCF}.pdf`, like DGII's file names (DT p.59). */
  fileName: string;
  pages: number;
}

/** PROTOCOL §9.2: at most 1,000 item lines, 10,000 for a consumo invoice under RD$250,000. */
function maxLines(doc: RiDocument): number {
  const consumo = doc.tipo === '32' && Number(doc.totales.MontoTotal ?? '0') < RFCE_THRESHOLD_DOP;
  // Notes may modify such an invoice and so carry as many lines (PROTOCOL §4.1).
  return consumo || doc.tipo === '33' || doc.tipo === '34' ? 10_000 : 1_000;
}

/**
 * The Representación Impresa of a signed e-CF (PROTOCOL §9, issue 12): verify the signature,
 * read the facts from the signed bytes, draw the PDF. Nothing is signed or stored.
 */
export async function generateRi(request: RiRequest): Promise<RiResult> {
  const verdict = await verifyXmlSignature(request.signedXml);
  if (!verdict.valid) {
    throw new RiDocumentInvalidError(`the signedXml is refused: ${verdict.reason}`);
  }
  let doc: RiDocument;
  try {
    doc = readRiDocument(request.signedXml);
  } catch (error) {
    if (error instanceof RiDocumentError) throw new RiDocumentInvalidError(error.message);
    throw error;
  }
  if (doc.items.length === 0) throw new RiDocumentInvalidError('the e-CF has no item lines');
  const limit = maxLines(doc);
  if (doc.items.length > limit) {
    throw new RiDocumentInvalidError(
      `the e-CF has ${doc.items.length} item lines; an RI prints at most ${limit}`,
    );
  }
  if (request.rfce === true && doc.tipo !== '32') {
    throw new RiDocumentInvalidError(`rfce applies to a type 32 only; this e-CF is type ${doc.tipo}`);
  }
  // PROTOCOL §3.4: the first 6 characters of SignatureValue's base64 text.
  const securityCode = verdict.signatureValue.slice(0, 6);
  const qrUrl = riQrUrl(
    doc,
    securityCode,
    request.environment ?? 'CERTIFICATION',
    viaRfce(doc, request.rfce),
  );
  const pdf = await renderRiPdf({
    doc,
    securityCode,
    qrUrl,
    qr: qrMatrix(qrUrl),
    format: request.format ?? 'letter',
  });
  return {
    pdf,
    encf: doc.encf,
    tipo: doc.tipo,
    securityCode,
    qrUrl,
    fileName: `${doc.emisor.rnc}${doc.encf}.pdf`,
    pages: countPages(pdf),
  };
}

/** Page count from the page tree's /Count (pdfkit writes one). */
export function countPages(pdf: Buffer): number {
  const m = /\/Type \/Pages\s*\/Count (\d+)/.exec(pdf.toString('latin1'));
  return m ? Number(m[1]) : 0;
}
