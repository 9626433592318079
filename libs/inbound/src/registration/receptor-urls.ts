/**
 * What the integrator registers with DGII for this receptor (PROTOCOL §8: `urlRecepcion`,
 * `urlAceptacion`, `urlOpcional`). DGII and other issuers append the fixed paths
 * (`{urlRecepcion}/fe/recepcion/api/ecf`, PROTOCOL §8.4), so these are bases.
 */
export interface ReceptorUrls {
  recepcion: string;
  aprobacionComercial: string;
  autenticacion: string;
}

/**
 * Host routing `https://{rnc}.{suffix}` when INBOUND_HOST_SUFFIX is set, else path routing
 * `{origin}/receptor/{rnc}` on the origin the integrator called us on.
 */
export function receptorBaseUrl(rnc: string, hostSuffix: string | undefined, origin: string): string {
  return hostSuffix ? `https://${rnc}.${hostSuffix}` : `${origin.replace(/\/+$/, '')}/receptor/${rnc}`;
}

export function receptorUrlsOf(rnc: string, hostSuffix: string | undefined, origin: string): ReceptorUrls {
  const base = receptorBaseUrl(rnc, hostSuffix, origin);
  return { recepcion: base, aprobacionComercial: base, autenticacion: base };
}
