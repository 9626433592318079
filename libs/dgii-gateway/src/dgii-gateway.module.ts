import { DynamicModule, Module, Type } from '@nestjs/common';
import { TimeModule } from '@app/common';
import { AxiosDgiiTransport } from './axios-dgii.transport';
import { ConfigDgiiEndpoints, DgiiEndpoints } from './dgii.endpoints';
import { DgiiGateway } from './dgii.gateway';
import { DgiiStatusGateway, HttpDgiiStatusGateway } from './dgii-status.gateway';
import { DgiiTokenStore, MemoryDgiiTokenStore } from './dgii-token.store';
import { DgiiTransport } from './dgii.transport';
import { HttpDgiiGateway } from './http-dgii.gateway';
import { ReceptorClient } from './receptor-client';

export interface DgiiGatewayOptions {
  /**
   * The adapter of the `DgiiEndpoints` port. Default: `ConfigDgiiEndpoints` (the configured
   * URLs). apps/api passes the sandbox's own with `DGII_TARGET=sandbox`; its dependencies must
   * be global (config, the HTTP adapter host).
   */
  endpoints?: Type<DgiiEndpoints>;
}

/**
 * The DGII port and its HTTP adapter (STYLE §1: exports `DgiiGateway` and nothing internal).
 * Needs the global ConfigModule. Whoever ends a caller's session calls `DgiiGateway.forget`.
 */
@Module({})
export class DgiiGatewayModule {
  static forRoot(options: DgiiGatewayOptions = {}): DynamicModule {
    return {
      module: DgiiGatewayModule,
      imports: [TimeModule],
      providers: [
        { provide: DgiiTransport, useClass: AxiosDgiiTransport },
        { provide: DgiiEndpoints, useClass: options.endpoints ?? ConfigDgiiEndpoints },
        { provide: DgiiTokenStore, useClass: MemoryDgiiTokenStore },
        { provide: DgiiGateway, useClass: HttpDgiiGateway },
        { provide: DgiiStatusGateway, useClass: HttpDgiiStatusGateway },
        ReceptorClient,
      ],
      exports: [DgiiGateway, DgiiStatusGateway, ReceptorClient],
    };
  }
}
