import type { IncomingMessage } from 'node:http';

/** `/receptor/{rnc}/fe/...`, any case, the RNC 9 or 11 digits. */
const RECEPTOR_PATH = /^\/receptor\/(\d{9}|\d{11})(\/fe(?:\/.*)?)$/i;
const FE_PATH = /^\/fe(?:\/.*)?$/i;
/** DT p.52 writes `/fe/recepción/api/ecf` once (PROTOCOL §8): serve it as `recepcion`. */
const ACCENTED = /recepci(?:ó|o\u0301)n/gi;

function decodedPath(path: string): string {
  try {
    return decodeURIComponent(path).normalize('NFC');
  } catch {
    return path;
  }
}

/** The `{rnc}` of a Host header `{rnc}.{suffix}[:port]`, or undefined. */
export function rncOfHost(host: string | undefined, suffix: string | undefined): string | undefined {
  if (!host || !suffix) return undefined;
  const name = host.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
  if (!name.endsWith(`.${suffix}`)) return undefined;
  const label = name.slice(0, -suffix.length - 1);
  return /^(\d{9}|\d{11})$/.test(label) ? label : undefined;
}

/**
 * Where a receptor request is served: `/receptor/{rnc}/fe/<lower-case path>`, from host routing
 * (`{rnc}.{INBOUND_HOST_SUFFIX}/fe/...`) or path routing (`/receptor/{rnc}/fe/...`). PROTOCOL §8:
 * paths are case-insensitive, and the accented `recepción` is served too. Undefined: not a
 * receptor request, leave it alone.
 */
export function receptorPathOf(
  url: string,
  host: string | undefined,
  suffix: string | undefined,
): string | undefined {
  const q = url.indexOf('?');
  const rawPath = q < 0 ? url : url.slice(0, q);
  const query = q < 0 ? '' : url.slice(q);
  const path = decodedPath(rawPath);
  const hostRnc = rncOfHost(host, suffix);
  let rnc: string;
  let fePath: string;
  const routed = RECEPTOR_PATH.exec(path);
  if (routed) {
    [, rnc, fePath] = routed;
  } else if (hostRnc && FE_PATH.test(path)) {
    rnc = hostRnc;
    fePath = path;
  } else {
    return undefined;
  }
  const normalised = fePath.replace(ACCENTED, 'recepcion').toLowerCase();
  return `/receptor/${rnc}${encodeURI(normalised)}${query}`;
}

/**
 * Express middleware, installed before the routes (configureApp): rewrites receptor requests to
 * their one canonical route. Everything else passes untouched.
 */
export function receptorRoutingMiddleware(suffix: string | undefined) {
  return (req: IncomingMessage, _res: unknown, next: () => void): void => {
    const rewritten = req.url ? receptorPathOf(req.url, req.headers.host, suffix) : undefined;
    if (rewritten !== undefined) req.url = rewritten;
    next();
  };
}
