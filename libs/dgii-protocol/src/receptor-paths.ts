/**
 * The fixed paths of every electronic receptor (PROTOCOL §8): only the host differs between
 * taxpayers. Shared by our receptor, our calls to other taxpayers' receptors and the sandbox's
 * emisor-receptor simulator.
 */
export const RECEPTOR_PATHS = {
  semilla: '/fe/autenticacion/api/semilla',
  validacionCertificado: '/fe/autenticacion/api/validacioncertificado',
  recepcion: '/fe/recepcion/api/ecf',
  aprobacionComercial: '/fe/aprobacioncomercial/api/ecf',
} as const;

/**
 * The URL of one receptor service. DGII's directory and its simulator give either the receptor's
 * base URL or already a full service URL (PROTOCOL §8.4): both are accepted.
 */
export function serviceUrl(base: string, path: string): string {
  const trimmed = base.trim().replace(/\/+$/, '');
  const known = Object.values(RECEPTOR_PATHS).find((p) => trimmed.toLowerCase().endsWith(p));
  return (known ? trimmed.slice(0, -known.length) : trimmed) + path;
}
