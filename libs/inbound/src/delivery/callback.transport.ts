import { Injectable } from '@nestjs/common';

/** Why a callback POST got no HTTP answer. */
export type CallbackFailureKind = 'timeout' | 'connection';

export class CallbackTransportError extends Error {
  constructor(readonly kind: CallbackFailureKind) {
    super(kind === 'timeout' ? 'callback timed out' : 'callback connection failed');
    this.name = 'CallbackTransportError';
  }
}

/** POSTs one signed callback; resolves with the receiver's HTTP status whatever it is. */
export abstract class CallbackTransport {
  abstract post(
    url: string,
    body: string,
    headers: Record<string, string>,
    timeoutMs: number,
  ): Promise<number>;
}

/**
 * Node's fetch. Redirects are not followed (a 3xx is a failed try: the signed body must reach the
 * registered URL, not wherever it points), and the receiver's body is never read.
 */
@Injectable()
export class FetchCallbackTransport extends CallbackTransport {
  async post(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<number> {
    const signal = AbortSignal.timeout(timeoutMs);
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', 'user-agent': 'fiscaliacore-webhooks', ...headers },
        redirect: 'manual',
        signal,
      });
    } catch {
      throw new CallbackTransportError(signal.aborted ? 'timeout' : 'connection');
    }
    await response.body?.cancel().catch(() => undefined);
    return response.status;
  }
}
