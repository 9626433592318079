import {
  DynamicModule,
  Global,
  Inject,
  MiddlewareConsumer,
  Module,
  NestModule,
  RequestMethod,
} from '@nestjs/common';
import pino, { DestinationStream, Logger as Pino } from 'pino';
import type { LogLevel } from '@app/config';
import { loggedRequest } from './logged-request';
import { PinoNestLogger } from './pino-nest-logger';
import { REDACTED_PATHS } from './redaction';
import { requestLogMiddleware } from './request-log.middleware';

/** The process's pino instance, for code that writes JSON lines itself (the request log). */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

export interface LoggingOptions {
  level: LogLevel;
  /** Tests pass a stream to capture every line. */
  stream?: DestinationStream;
}

export function createRootLogger(options: LoggingOptions): Pino {
  return pino(
    {
      level: options.level,
      redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
      serializers: {
        // Only what operators need: allowlisted, capped headers; no query string, no body.
        req: loggedRequest,
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
    options.stream,
  );
}

/**
 * JSON logs through pino (STYLE §16): Nest's own logger writes through it, and every request gets
 * an id and, at info and below, one line when it ends. No AsyncLocalStorage and no per-request
 * child logger: with them (nestjs-pino + pino-http) a dry-run issue spent 16–19% more main-thread
 * CPU (issue 7 §5), since every promise of every request then runs async hooks. Lines logged
 * inside a request therefore carry no `req` binding; the request line and the envelope filter's
 * lines carry the request id.
 */
@Global()
@Module({})
export class LoggingModule implements NestModule {
  constructor(@Inject(ROOT_LOGGER) private readonly logger: Pino) {}

  static forRoot(options: LoggingOptions): DynamicModule {
    return {
      module: LoggingModule,
      providers: [
        { provide: ROOT_LOGGER, useValue: createRootLogger(options) },
        {
          provide: PinoNestLogger,
          useFactory: (root: Pino) => new PinoNestLogger(root),
          inject: [ROOT_LOGGER],
        },
      ],
      exports: [ROOT_LOGGER, PinoNestLogger],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(requestLogMiddleware(this.logger)).forRoutes({ path: '*', method: RequestMethod.ALL });
  }
}
