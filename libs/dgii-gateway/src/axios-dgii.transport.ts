import { Injectable, OnModuleDestroy } from '@nestjs/common';
import axios, { AxiosError, AxiosInstance } from 'axios';
import { Agent as HttpAgent, ClientRequest } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { DgiiHttpRequest, DgiiHttpResponse, DgiiTransport, DgiiTransportError } from './dgii.transport';

/** DGII answers are small JSON or XML; anything far larger is not DGII talking. */
const MAX_RESPONSE_BYTES = 5 * 1024 * 1024;

/** Failures where the request certainly never reached DGII. */
const NOT_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ERR_INVALID_URL',
]);

function wasSent(error: AxiosError): boolean {
  const request = error.request as ClientRequest | undefined;
  // 'finish' (writableFinished) fires once the last byte was handed to the socket.
  return request instanceof ClientRequest && request.writableFinished;
}

/**
 * The HTTP adapter of the transport port: axios over keep-alive agents, TLS 1.2 or newer
 * (PROTOCOL §1.1), every status returned as an answer, bodies read as text, no redirects and no
 * proxy from the environment (config is the only reader of process.env, STYLE §12).
 */
@Injectable()
export class AxiosDgiiTransport extends DgiiTransport implements OnModuleDestroy {
  private readonly httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 64 });
  private readonly httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 64, minVersion: 'TLSv1.2' });
  private readonly client: AxiosInstance = axios.create({
    httpAgent: this.httpAgent,
    httpsAgent: this.httpsAgent,
    validateStatus: () => true,
    maxRedirects: 0,
    proxy: false,
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    maxContentLength: MAX_RESPONSE_BYTES,
    maxBodyLength: MAX_RESPONSE_BYTES * 4,
  });

  async send(request: DgiiHttpRequest): Promise<DgiiHttpResponse> {
    try {
      const res = await this.client.request<string>({
        method: request.method,
        url: request.url,
        headers: { ...request.headers },
        data: request.body,
        timeout: request.timeoutMs,
        // Hard cap: the socket timeout above is an idle timer; this one bounds the whole exchange.
        signal: AbortSignal.timeout(request.timeoutMs + 250),
      });
      const contentType = res.headers['content-type'];
      return {
        status: res.status,
        contentType: typeof contentType === 'string' ? contentType : '',
        body: typeof res.data === 'string' ? res.data : '',
      };
    } catch (error) {
      throw this.transportError(error, request);
    }
  }

  private transportError(error: unknown, request: DgiiHttpRequest): DgiiTransportError {
    if (!(error instanceof AxiosError)) {
      return new DgiiTransportError(
        'connection',
        false,
        'UNKNOWN',
        (error as Error)?.message ?? 'unknown failure',
      );
    }
    const code = error.code ?? (error.cause as NodeJS.ErrnoException | undefined)?.code ?? 'UNKNOWN';
    const sent = wasSent(error);
    if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || code === 'ERR_CANCELED') {
      return new DgiiTransportError(
        'timeout',
        sent,
        code,
        `no answer from DGII within ${request.timeoutMs} ms`,
      );
    }
    if (NOT_SENT.has(code)) {
      return new DgiiTransportError('connection', false, code, `could not connect to DGII (${code})`);
    }
    return new DgiiTransportError('connection', sent, code, `connection to DGII failed (${code})`);
  }

  onModuleDestroy(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}
