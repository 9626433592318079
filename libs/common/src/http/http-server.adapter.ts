import type { NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { createServer } from 'node:http';
import type { HttpServerConfig } from '@app/config';

/** Far more than any integrator sends; node would otherwise keep up to 2,000 per request. */
const MAX_HEADERS_COUNT = 100;

/**
 * Express adapter whose node server bounds slow and idle clients (issue 7 §2). Nest creates
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
    const server = createServer(
      {
        headersTimeout: headersTimeoutMs,
        requestTimeout: requestTimeoutMs,
        keepAliveTimeout: keepAliveTimeoutMs,
        // How often node looks for expired headers/requests: a stall is cut at most this late.
        connectionsCheckingInterval: Math.min(1_000, headersTimeoutMs),
      },
      this.getInstance(),
    );
    server.maxHeadersCount = MAX_HEADERS_COUNT;
    this.setHttpServer(server);
  }
}
