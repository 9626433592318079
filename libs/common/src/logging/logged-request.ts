/**
 * What the HTTP logger writes about a request. Headers come from an allowlist and every value
 * is capped, so a client cannot grow a log line (a 15 KB header was a 15 KB line) and a
 * credential header never reaches the serializer at all; the redaction paths stay as a second
 * line of defence.
 */
export const LOGGED_HEADERS: readonly string[] = [
  'host',
  'user-agent',
  'content-type',
  'content-length',
  'accept',
  'x-request-id',
];

/** Longest header value or path written to a log line. */
export const LOGGED_VALUE_MAX = 256;

export function capped(value: string, max = LOGGED_VALUE_MAX): string {
  return value.length <= max ? value : `${value.slice(0, max)}…[${value.length - max} more]`;
}

export function loggedHeaders(headers: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of LOGGED_HEADERS) {
    const value = headers[name];
    if (typeof value === 'string') out[name] = capped(value);
    else if (Array.isArray(value)) out[name] = capped(value.join(', '));
  }
  return out;
}

export interface LoggedRequest {
  id: string;
  method: string;
  path: string;
  headers: Record<string, string>;
}

export function loggedRequest(req: {
  id: string;
  method: string;
  url: string;
  headers: Record<string, unknown>;
}): LoggedRequest {
  return {
    id: req.id,
    method: req.method,
    // Query strings are left out on purpose; the path is capped like a header.
    path: capped(req.url.split('?')[0]),
    headers: loggedHeaders(req.headers),
  };
}
