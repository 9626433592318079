/**
 * The elements whose values the issuing side needs after building (response, QR, RFCE routing,
 * upload file name): DGII's names verbatim (STYLE §4). Recorded by the writer as it writes them,
 * so nothing re-parses our own output (STYLE §27).
 */
export const FACT_ELEMENTS = [
  'TipoeCF',
  'eNCF',
  'RNCEmisor',
  'RazonSocialEmisor',
  'RNCComprador',
  'IdentificadorExtranjero',
  'RazonSocialComprador',
  'FechaEmision',
  'MontoGravadoTotal',
  'MontoExento',
  'TotalITBIS',
  'MontoTotal',
  'FechaHoraFirma',
] as const;

export type FactElement = (typeof FACT_ELEMENTS)[number];

/**
 * The value of the first occurrence, in document order, of each fact element that was written,
 * exactly as signed (the C14N text, unescaped). Absent when the document has no such element.
 */
export type WrittenFacts = Readonly<Partial<Record<FactElement, string>>>;

/** For the writer plan: whether an element's value is recorded. */
export const FACT_NAMES: ReadonlySet<string> = new Set(FACT_ELEMENTS);

/** C14N text escaping undone (escapeC14nText writes only these four). */
export function unescapeC14nText(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#xD;/g, '\r').replace(/&amp;/g, '&');
}
