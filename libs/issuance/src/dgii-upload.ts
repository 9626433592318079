import { InternalError } from '@app/common';

/**
 * A DGII infrastructure failure (502) carries what the integrator needs to avoid a duplicate:
 * the signed bytes and the security code, so it can query DGII before resending (DESIGN §1.6).
 * When a type 32 went as an RFCE summary, that summary is what DGII received, so it comes too.
 */
export function withSignedDocument(
  error: unknown,
  document: { signedXml: string; securityCode: string; encf: string; rfceSignedXml?: string },
): unknown {
  if (!(error instanceof InternalError) || error.status !== 502) return error;
  const details = error.details.map((d) =>
    d.outcome === 'unknown' && Array.isArray(d.queryRoutes)
      ? { ...d, queryRoutes: d.queryRoutes.map((r) => fillRoute(String(r), document)) }
      : d,
  );
  return new InternalError(error.message, [...details, { message: 'the signed document', ...document }], 502);
}

/** The first `<name>…</name>` text of the signed document (RNCEmisor, RNCComprador are leaves). */
function leaf(xml: string, ...names: string[]): string {
  for (const name of names) {
    const m = new RegExp(`<${name}>([^<]+)</${name}>`).exec(xml);
    if (m) return m[1].trim();
  }
  return '';
}

/**
 * An outcome-unknown route with this document's values (issue 11 §1): the integrator can call
 * it as is. A buyer-less consumo leaves `rncComprador=` empty, which consulta estado accepts.
 */
function fillRoute(
  route: string,
  document: { signedXml: string; securityCode: string; encf: string },
): string {
  const values: Record<string, string> = {
    eNCF: document.encf,
    rncEmisor: leaf(document.signedXml, 'RNCEmisor', 'RncEmisor'),
    rncComprador: leaf(document.signedXml, 'RNCComprador'),
    securityCode: document.securityCode,
  };
  return route.replace(/\{(eNCF|rncEmisor|rncComprador|securityCode)\}/g, (whole, name: string) =>
    values[name] !== undefined ? encodeURIComponent(values[name]) : whole,
  );
}
