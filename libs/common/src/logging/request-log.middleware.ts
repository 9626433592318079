import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger as Pino } from 'pino';
import { requestIdFor } from './request-id';

type Req = IncomingMessage & { id?: unknown };

/**
 * Gives every request its id (when `requestIdMiddleware` has not already) and, when the level
 * lets info lines through, writes one line as the response ends: `request completed` (info),
 * `request errored` (error, status ≥ 500) or `request aborted` (info: the client left first).
 * The line holds the allowlisted request (`loggedRequest`), the status and the time taken.
 */
export function requestLogMiddleware(
  logger: Pino,
): (req: Req, res: ServerResponse, next: () => void) => void {
  return (req, res, next) => {
    requestIdFor(req, res);
    if (!logger.isLevelEnabled('info')) {
      next();
      return;
    }
    const started = Date.now();
    const done = () => {
      res.removeListener('finish', done);
      res.removeListener('close', done);
      const line = { req, res, responseTime: Date.now() - started };
      if (res.statusCode >= 500) logger.error(line, 'request errored');
      else logger.info(line, res.writableFinished ? 'request completed' : 'request aborted');
    };
    res.on('finish', done);
    res.on('close', done);
    next();
  };
}
