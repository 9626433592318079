import type { LoggerService } from '@nestjs/common';
import type { Level, Logger as Pino } from 'pino';

/**
 * Nest's LoggerService over pino (`app.useLogger`), so `new Logger('Ctx').log(…)` anywhere is a
 * JSON line: `{context, …fields, msg}`. Nest passes the context as the last argument; an object
 * message becomes the line's fields, an Error its `err`. Nest's own exception handler calls
 * `error(message, stack, context)`: that becomes an `err` with that stack.
 */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly pino: Pino) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  private write(level: Level, message: unknown, rest: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const fields: Record<string, unknown> = {};
    let args = rest;
    if (args.length > 0) {
      fields.context = args[args.length - 1];
      args = args.slice(0, -1);
    }
    if (message instanceof Error) {
      fields.err = message;
      this.pino[level](fields, ...(args as []));
    } else if (typeof message === 'object' && message !== null) {
      this.pino[level]({ ...fields, ...message }, ...(args as []));
    } else if (
      level === 'error' &&
      args.length === 1 &&
      typeof args[0] === 'string' &&
      args[0].includes('\n    at ')
    ) {
      const err = new Error(String(message));
      err.stack = args[0];
      this.pino.error({ ...fields, err });
    } else {
      this.pino[level](fields, String(message), ...(args as []));
    }
  }
}
