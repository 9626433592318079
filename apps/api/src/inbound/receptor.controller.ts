import { Controller, Get, HttpCode, Post, UseInterceptors } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import {
  ReceptorCall,
  ReceptorCallOf,
  ReceptorReply,
  ReceptorReplyInterceptor,
  ReceptorService,
} from '@app/inbound';
import { Public } from '@app/sessions';

/**
 * The DGII-facing receptor (PROTOCOL §8): public (no API key; its own seed handshake), served at
 * `/receptor/{rnc}/fe/...` and, through receptorRoutingMiddleware, at `{rnc}.{INBOUND_HOST_SUFFIX}/fe/...`
 * with any case and the accented `recepción`. DGII's contract, not ours: left out of Swagger.
 */
@Public()
@ApiExcludeController()
@UseInterceptors(ReceptorReplyInterceptor)
@Controller('receptor/:rnc/fe')
export class ReceptorController {
  constructor(private readonly receptor: ReceptorService) {}

  @Get('autenticacion/api/semilla')
  semilla(@ReceptorCallOf() call: ReceptorCall): Promise<ReceptorReply> {
    return this.receptor.semilla(call);
  }

  @Post('autenticacion/api/validacioncertificado')
  @HttpCode(200)
  validacionCertificado(@ReceptorCallOf({ upload: true }) call: ReceptorCall): Promise<ReceptorReply> {
    return this.receptor.validacionCertificado(call);
  }

  @Post('recepcion/api/ecf')
  @HttpCode(200)
  recepcion(@ReceptorCallOf({ upload: true }) call: ReceptorCall): Promise<ReceptorReply> {
    return this.receptor.recepcion(call);
  }

  @Post('aprobacioncomercial/api/ecf')
  @HttpCode(200)
  aprobacionComercial(@ReceptorCallOf({ upload: true }) call: ReceptorCall): Promise<ReceptorReply> {
    return this.receptor.aprobacionComercial(call);
  }
}
