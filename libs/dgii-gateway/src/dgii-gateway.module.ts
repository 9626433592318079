import { Module } from '@nestjs/common';
import { TimeModule } from '@app/common';
import { SessionsModule } from '@app/sessions';
import { AxiosDgiiTransport } from './axios-dgii.transport';
import { ConfigDgiiEndpoints, DgiiEndpoints } from './dgii.endpoints';
import { DgiiGateway } from './dgii.gateway';
import { DgiiTransport } from './dgii.transport';
import { HttpDgiiGateway } from './http-dgii.gateway';

/**
 * The DGII port and its HTTP adapter (STYLE §1: exports `DgiiGateway` and nothing internal).
 * Needs the global ConfigModule; uses the session store to drop DGII tokens with their session.
 */
@Module({
  imports: [TimeModule, SessionsModule],
  providers: [
    { provide: DgiiTransport, useClass: AxiosDgiiTransport },
    { provide: DgiiEndpoints, useClass: ConfigDgiiEndpoints },
    { provide: DgiiGateway, useClass: HttpDgiiGateway },
  ],
  exports: [DgiiGateway],
})
export class DgiiGatewayModule {}
