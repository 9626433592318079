import { zipSync, strToU8 } from 'fflate';
import type { CaseDocuments } from './run.model';

/**
 * A run's signed documents as one zip, each under DGII's file name (DT p.59, PROTOCOL §1.2):
 * `e-CF/` every full e-CF — for consumo cases the type-32 XML the portal asks to upload by hand
 * (PROTOCOL §10, Paso 2) — `RFCE/` the summaries sent to the fc host, `ACECF/` the approvals.
 * The bytes are the signed bytes, never re-serialised (DESIGN §1.4).
 */
export function documentsZip(documents: readonly CaseDocuments[]): Buffer {
  const files: Record<string, Uint8Array> = {};
  for (const d of documents) {
    if (d.tipo === 'ACECF') files[`ACECF/${d.fileName}`] = strToU8(d.signedXml);
    else files[`e-CF/${d.fileName}`] = strToU8(d.signedXml);
    if (d.rfceSignedXml) files[`RFCE/${d.fileName}`] = strToU8(d.rfceSignedXml);
  }
  // Fixed timestamps: the same documents give the same zip.
  return Buffer.from(zipSync(files, { level: 6, mtime: new Date('2026-01-01T00:00:00Z') }));
}
