import type { NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { HttpServerConfig } from '@app/config';

/** Far more than any integrator sends; node would otherwise keep up to 2,000 per request. */
const MAX_HEADERS_COUNT = 100;

/** What Express gives every request and response as prototype (`app.request`, `app.response`). */
export interface ExpressPrototypes {
  readonly request: object;
  readonly response: object;
}

type RequestClass = typeof IncomingMessage;
type ResponseClass = typeof ServerResponse;

/** The classes node's server creates requests and responses with (`http.createServer` options). */
export interface MessageClasses {
  IncomingMessage: RequestClass;
  ServerResponse: ResponseClass;
}

const isEsClass = (constructor: object): boolean =>
  /^class\b/.test(Function.prototype.toString.call(constructor));

/**
 * Request and response classes for node's server whose instances are born with Express's
 * prototypes. Express 5 re-parents every request and response in `app.handle`
 * (`Object.setPrototypeOf(req, app.request)`); V8 then moves each one to a map of its own, and
 * objects of every request survive young-generation collections. `npm run bench:express-prototypes`
 * measured bare Express on node's classes against these: 36% of the bytes allocated promoted to old
 * space against 0%, scavenges of 4.1 against 0.5 ms, and 3.5× the requests/s with these classes.
 * When a request already has the prototype Express sets, its `setPrototypeOf` is a no-op.
 * Node's constructors are plain functions, so they initialise `this` when called on it; should a
 * node release make them ES classes, which cannot be called so, none are returned and node's own
 * are used, as before.
 */
export function expressMessageClasses(
  app: ExpressPrototypes,
  node: MessageClasses = { IncomingMessage, ServerResponse },
): Partial<MessageClasses> {
  if (isEsClass(node.IncomingMessage) || isEsClass(node.ServerResponse)) return {};
  const initRequest = node.IncomingMessage as unknown as (this: IncomingMessage, socket: Socket) => void;
  const initResponse = node.ServerResponse as unknown as (
    this: ServerResponse,
    req: IncomingMessage,
    options?: object,
  ) => void;
  function ExpressRequest(this: IncomingMessage, socket: Socket): void {
    initRequest.call(this, socket);
  }
  ExpressRequest.prototype = app.request;
  function ExpressResponse(this: ServerResponse, req: IncomingMessage, options?: object): void {
    initResponse.call(this, req, options);
  }
  ExpressResponse.prototype = app.response;
  return {
    IncomingMessage: ExpressRequest as unknown as RequestClass,
    ServerResponse: ExpressResponse as unknown as ResponseClass,
  };
}

/**
 * Express adapter whose node server bounds slow and idle clients (issue 7 §2) and creates
 * requests and responses with Express's prototypes (`expressMessageClasses`). Nest creates
 * the server without options, and node only reads `connectionsCheckingInterval` when the
 * server is constructed: with its 30 s default a stalled header was held up to 30 s past
 * `headersTimeout`, so the server has to be created here rather than tuned after listen.
 */
export class BoundedExpressAdapter extends ExpressAdapter {
  constructor(private readonly limits: HttpServerConfig) {
    super();
  }

  override initHttpServer(options: NestApplicationOptions): void {
    if (options.httpsOptions || options.forceCloseConnections) {
      // Neither is used here (TLS ends at the proxy; shutdown drains itself): keep Nest's behaviour.
      super.initHttpServer(options);
      return;
    }
    const { headersTimeoutMs, requestTimeoutMs, keepAliveTimeoutMs } = this.limits;
    const app = this.getInstance<ExpressPrototypes & Parameters<typeof createServer>[1]>();
    const server = createServer(
      {
        ...expressMessageClasses(app),
        headersTimeout: headersTimeoutMs,
        requestTimeout: requestTimeoutMs,
        keepAliveTimeout: keepAliveTimeoutMs,
        // How often node looks for expired headers/requests: a stall is cut at most this late.
        connectionsCheckingInterval: Math.min(1_000, headersTimeoutMs),
      },
      app,
    );
    server.maxHeadersCount = MAX_HEADERS_COUNT;
    this.setHttpServer(server);
  }
}
