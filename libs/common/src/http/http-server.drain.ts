import { INestApplication, Logger } from '@nestjs/common';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

export interface DrainOutcome {
  /** Requests still unanswered when the grace ran out; their sockets were destroyed. */
  cutOff: number;
}

/**
 * Stops an HTTP server without dropping work (issue 7 §2): no new connections, in-flight
 * requests answered, idle keep-alive sockets closed with a FIN, and every answer sent while
 * draining says `Connection: close` so clients do not reuse a socket that is about to go.
 * Whatever is left when the grace runs out is destroyed.
 */
export class ServerDrain {
  private readonly logger = new Logger('HttpServer');
  private readonly inFlight = new Set<ServerResponse>();
  private draining?: Promise<DrainOutcome>;

  constructor(
    private readonly server: Server,
    private readonly graceMs: number,
  ) {
    // Prepended so it runs before express answers a synchronous route.
    server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => this.track(res));
  }

  get isDraining(): boolean {
    return this.draining !== undefined;
  }

  /** Idempotent: every caller waits for the same drain. */
  drain(): Promise<DrainOutcome> {
    this.draining ??= this.run();
    return this.draining;
  }

  private track(res: ServerResponse): void {
    if (this.draining) this.closeAfter(res);
    this.inFlight.add(res);
    res.once('close', () => {
      this.inFlight.delete(res);
      // A response whose headers went out before the drain left its socket kept alive.
      if (this.draining) setImmediate(() => this.server.closeIdleConnections());
    });
  }

  private closeAfter(res: ServerResponse): void {
    if (!res.headersSent) res.setHeader('Connection', 'close');
  }

  private run(): Promise<DrainOutcome> {
    return new Promise((resolve) => {
      let cutOff = 0;
      const grace = setTimeout(() => {
        cutOff = this.inFlight.size;
        if (cutOff > 0) this.logger.warn({ cutOff }, 'shutdown grace ran out: closing unfinished requests');
        this.server.closeAllConnections();
      }, this.graceMs);
      this.logger.log({ inFlight: this.inFlight.size, graceMs: this.graceMs }, 'draining HTTP connections');
      for (const res of this.inFlight) this.closeAfter(res);
      // close() stops accepting and calls back once the last connection has ended.
      this.server.close(() => {
        clearTimeout(grace);
        resolve({ cutOff });
      });
      this.server.closeIdleConnections();
    });
  }
}

/** Drains the server, then lets Nest run its destroy hooks (which stop DGII calls and wipe sessions). */
export async function shutdownGracefully(app: INestApplication, drain: ServerDrain): Promise<DrainOutcome> {
  const outcome = await drain.drain();
  await app.close();
  return outcome;
}

export const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

type SignalSource = Pick<NodeJS.Process, 'on'>;

/**
 * Runs `shutdown` on the first SIGTERM or SIGINT; later signals wait for it. Replaces Nest's enableShutdownHooks, whose
 * order (destroy hooks, then close the server) cut in-flight DGII calls and reset late requests.
 */
export function onShutdownSignal(
  shutdown: (signal: NodeJS.Signals) => Promise<void>,
  source: SignalSource = process,
): void {
  let started = false;
  for (const signal of SHUTDOWN_SIGNALS) {
    source.on(signal, () => {
      if (started) return;
      started = true;
      void shutdown(signal);
    });
  }
}
