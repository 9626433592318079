import { lookup as dnsLookup, LookupAddress, LookupOptions } from 'node:dns';
import { request as httpRequest, IncomingMessage, RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { ReceptorSettings } from '@app/config';
import { ReceptorAddressPolicy, ReceptorRefusedError } from './address-policy';

export interface ReceptorHttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Readonly<Record<string, string>>;
  body?: Buffer;
}

export interface ReceptorHttpResponse {
  status: number;
  contentType: string;
  body: string;
}

/** A receptor call that got no usable answer: refused by policy, unreachable, timed out, too large. */
export class ReceptorCallError extends Error {
  constructor(
    readonly kind: 'refused' | 'connection' | 'timeout' | 'too-large',
    message: string,
  ) {
    super(message);
    this.name = 'ReceptorCallError';
  }
}

/**
 * A DNS lookup that checks every address the name resolves to and hands the socket only
 * checked ones, so the address connected to is the address checked (no DNS rebinding between
 * a check and the connection).
 */
function guardedLookup(policy: ReceptorAddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...(options as LookupOptions), all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = addresses as unknown as LookupAddress[];
      try {
        if (list.length === 0) throw new ReceptorRefusedError(`${hostname} resolves to no address`);
        for (const a of list) policy.checkAddress(a.address);
      } catch (refused) {
        return callback(refused as NodeJS.ErrnoException, '', 0);
      }
      if ((options as LookupOptions).all) {
        return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      }
      callback(null, list[0].address, list[0].family);
    });
  };
}

/**
 * One HTTP exchange with a taxpayer's receptor (PROTOCOL §8): the URL and every resolved address
 * checked by the policy, no redirects followed, no proxy, the whole exchange bounded by
 * `timeoutMs`, and the response refused past `maxResponseBytes`.
 */
export class ReceptorHttp {
  private readonly policy: ReceptorAddressPolicy;
  private readonly lookup: LookupFunction;

  constructor(private readonly settings: ReceptorSettings) {
    this.policy = new ReceptorAddressPolicy(settings);
    this.lookup = guardedLookup(this.policy);
  }

  /** Checks a URL without calling it (for a clear error before authentication starts). */
  checkUrl(url: string): URL {
    try {
      return this.policy.checkUrl(url);
    } catch (error) {
      throw new ReceptorCallError('refused', (error as Error).message);
    }
  }

  async send(request: ReceptorHttpRequest): Promise<ReceptorHttpResponse> {
    const url = this.checkUrl(request.url);
    const options: RequestOptions = {
      method: request.method,
      headers: {
        ...request.headers,
        ...(request.body ? { 'Content-Length': String(request.body.length) } : {}),
      },
      lookup: this.lookup,
      agent: false,
    };
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const { timeoutMs, maxResponseBytes } = this.settings;
    return await new Promise<ReceptorHttpResponse>((resolve, reject) => {
      let settled = false;
      const fail = (error: ReceptorCallError): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        req.destroy();
        reject(error);
      };
      const req = send(url, options, (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxResponseBytes) {
            fail(
              new ReceptorCallError('too-large', `the receptor answered more than ${maxResponseBytes} bytes`),
            );
            return;
          }
          chunks.push(chunk);
        });
        res.on('error', () => fail(new ReceptorCallError('connection', 'the receptor connection broke')));
        res.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          const contentType = res.headers['content-type'];
          resolve({
            status: res.statusCode ?? 0,
            contentType: typeof contentType === 'string' ? contentType : '',
            body: Buffer.concat(chunks).toString('utf8'),
          });
        });
      });
      // The whole exchange, not an idle timer: a receptor that trickles bytes is cut too.
      const timer = setTimeout(
        () => fail(new ReceptorCallError('timeout', `no answer from the receptor within ${timeoutMs} ms`)),
        timeoutMs,
      );
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (error instanceof ReceptorRefusedError) {
          fail(new ReceptorCallError('refused', error.message));
        } else {
          fail(
            new ReceptorCallError('connection', `could not reach the receptor (${error.code ?? 'error'})`),
          );
        }
      });
      req.end(request.body);
    });
  }
}
