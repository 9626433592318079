/** DT p.59 naming, PROTOCOL §1.2: 9-digit RNC or 11-digit cédula, then the 13-character e-NCF. */
export const DGII_FILE_NAME = /^\d{9}(\d{2})?E\d{12}\.xml$/;

/**
 * The upload file name DGII expects (DT p.59, PROTOCOL §1.2): e-CF and RFCE `{RNCEmisor}{eNCF}.xml`,
 * ACECF and ARECF `{RNCComprador}{eNCF}.xml`.
 */
export function dgiiUploadFileName(rnc: string, encf: string): string {
  return `${rnc}${encf}.xml`;
}
