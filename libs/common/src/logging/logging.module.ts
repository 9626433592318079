import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule, Params } from 'nestjs-pino';
import type { Options as PinoHttpOptions } from 'pino-http';
import type { DestinationStream } from 'pino';
import type { LogLevel } from '@app/config';
import { loggedRequest } from './logged-request';
import { REDACTED_PATHS } from './redaction';
import { requestIdFor } from './request-id';

const LEVELS_WITH_REQUEST_LOGS: readonly LogLevel[] = ['info', 'debug', 'trace'];

export interface LoggingOptions {
  level: LogLevel;
  /** Tests pass a stream to capture every line. */
  stream?: DestinationStream;
}

/** JSON logs through pino with a request id per request and redaction of every credential. */
@Module({})
export class LoggingModule {
  private static withStream(opts: PinoHttpOptions, stream?: DestinationStream): Params['pinoHttp'] {
    return stream ? [opts, stream] : opts;
  }

  static forRoot(options: LoggingOptions): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: LoggingModule.withStream(
            {
              level: options.level,
              genReqId: requestIdFor,
              // Below info nothing per request is written; skip building a child logger for each.
              autoLogging: LEVELS_WITH_REQUEST_LOGS.includes(options.level),
              redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
              customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
              serializers: {
                // Only what operators need: allowlisted, capped headers; no query string, no body.
                req: loggedRequest,
                res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
              },
            },
            options.stream,
          ),
        }),
      ],
      exports: [LoggerModule],
    };
  }
}
