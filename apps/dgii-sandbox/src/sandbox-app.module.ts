import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { EnvelopeFilter } from '@app/common';
import { AppConfig, ConfigModule } from '@app/config';
import { DgiiSandboxModule } from '@app/dgii-sandbox';

/** The DGII sandbox alone (docker-compose, integrators' local tests): no API, no sessions. */
@Module({})
export class SandboxAppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: SandboxAppModule,
      imports: [ConfigModule.forRoot(config), DgiiSandboxModule.forRoot()],
      providers: [{ provide: APP_FILTER, useClass: EnvelopeFilter }],
    };
  }
}
