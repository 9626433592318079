import { XmlBuildFailedError } from '@app/common';
import type { DocumentKind, XsdCheck } from '@app/xml-builder';

/**
 * Facet errors DGII's own emisor-receptor simulator makes in documents it signs (PROTOCOL §12:
 * e-CF `Version` `1` for `1.0`, `TotalPaginas` 1; §6: ACECF `MontoTotal` `35400` with no decimals). Strict when
 * sending, lenient when receiving: these, and only these, do not make an inbound document
 * "format invalid". Keyed by the element name libxml2 reports.
 */
const TOLERATED_FACETS = new Set(['Version', 'MontoTotal', 'TotalPaginas']);

function tolerated(message: string): boolean {
  const element = /Element '([^']+)'/.exec(message)?.[1];
  return element !== undefined && TOLERATED_FACETS.has(element) && /\[facet '/.test(message);
}

/**
 * The official schema's complaints about an inbound document, minus the tolerated ones; [] when
 * it validates or no schema folder is configured (DGII_XSD_DIR). The bytes are validated as
 * received (pretty-printing is whitespace the schema allows).
 */
export function lenientXsdProblems(xsd: XsdCheck, kind: DocumentKind, xml: string): string[] {
  if (!xsd.enabled) return [];
  try {
    xsd.check(kind, xml);
    return [];
  } catch (error) {
    if (!(error instanceof XmlBuildFailedError)) throw error;
    return error.details.map((d) => d.message).filter((m) => !tolerated(m));
  }
}
