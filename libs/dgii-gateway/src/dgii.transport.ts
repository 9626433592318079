export interface DgiiHttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Readonly<Record<string, string>>;
  body?: Buffer;
  timeoutMs: number;
}

export interface DgiiHttpResponse {
  status: number;
  contentType: string;
  body: string;
}

/**
 * A request that got no HTTP answer. `sent` is true when the whole request had been handed to
 * the connection before it failed, so DGII may have received it (timeout after sending, reset
 * after sending); false when it certainly never left (refused, DNS, TLS handshake).
 */
export class DgiiTransportError extends Error {
  constructor(
    readonly kind: 'timeout' | 'connection',
    readonly sent: boolean,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'DgiiTransportError';
  }
}

/**
 * One HTTP exchange with DGII: an answer with any status, or a DgiiTransportError. A port so
 * the gateway's logic is testable with a fake (STYLE §14).
 */
export abstract class DgiiTransport {
  abstract send(request: DgiiHttpRequest): Promise<DgiiHttpResponse>;
}
