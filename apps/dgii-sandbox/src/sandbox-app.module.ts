import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import type { DestinationStream } from 'pino';
import { EnvelopeFilter, LoggingModule, MetricsModule } from '@app/common';
import { AppConfig, ConfigModule } from '@app/config';
import { DgiiSandboxModule } from '@app/dgii-sandbox';
import { RateLimitModule } from '@app/rate-limit';
import { ApiKeyGuard } from '@app/sessions';

/**
 * The DGII sandbox alone (docker-compose, integrators' local tests): no API, no sessions. The
 * API-key guard is here only for the `_admin` controls; DGII's own routes are public to it.
 */
@Module({})
export class SandboxAppModule {
  static forRoot(config: AppConfig, logStream?: DestinationStream): DynamicModule {
    return {
      module: SandboxAppModule,
      imports: [
        ConfigModule.forRoot(config),
        // The same JSON lines as the API, so one log pipeline reads both services.
        LoggingModule.forRoot({ level: config.logLevel, stream: logStream }),
        MetricsModule,
        // The API-key guard counts bad keys per client IP, as in the API.
        RateLimitModule,
        DgiiSandboxModule.forRoot(),
      ],
      providers: [
        { provide: APP_FILTER, useClass: EnvelopeFilter },
        { provide: APP_GUARD, useClass: ApiKeyGuard },
      ],
    };
  }
}
