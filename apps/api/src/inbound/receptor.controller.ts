import { Controller, Get, HttpCode, Post, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '@app/common';
import {
  ReceptorCall,
  ReceptorCallOf,
  ReceptorReply,
  ReceptorReplyInterceptor,
  ReceptorService,
} from '@app/inbound';
import { Public } from '@app/sessions';
import {
  AcecfReceptionAnswer,
  ARECF_EXAMPLE,
  ReceptorTokenResponse,
  ReceptorUploadDto,
  SEMILLA_EXAMPLE,
} from './dto/receptor.dto';

const RNC_PARAM = { name: 'rnc', example: '131793916', description: 'The receptor RNC' };
const xml = (example: string, description: string) => ({
  description,
  content: { 'application/xml': { schema: { type: 'string' }, example } },
});

/**
 * The DGII-facing receptor (PROTOCOL §8): public (no API key; its own seed handshake), served at
 * `/receptor/{rnc}/fe/...` and, through receptorRoutingMiddleware, at `{rnc}.{INBOUND_HOST_SUFFIX}/fe/...`
 * with any case and the accented `recepción`. Documented for senders; the shapes are DGII's.
 */
@ApiTags('receptor')
@Public()
@UseInterceptors(ReceptorReplyInterceptor)
@Controller('receptor/:rnc/fe')
export class ReceptorController {
  constructor(private readonly receptor: ReceptorService) {}

  @Get('autenticacion/api/semilla')
  @ApiOperation({ operationId: 'receptorSemilla', summary: 'A fresh seed to sign (PROTOCOL §8.1)' })
  @ApiParam(RNC_PARAM)
  @ApiOkResponse(xml(SEMILLA_EXAMPLE, 'SemillaModel: random, single-use, valid 5 minutes'))
  @ApiErrors(['RECEPTOR_UNKNOWN', 'RECEPTOR_RATE_LIMITED'])
  semilla(@ReceptorCallOf() call: ReceptorCall): Promise<ReceptorReply> {
    return this.receptor.semilla(call);
  }

  @Post('autenticacion/api/validacioncertificado')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'receptorValidacionCertificado',
    summary: 'The signed seed for a one-hour token of this receptor',
  })
  @ApiParam(RNC_PARAM)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: ReceptorUploadDto })
  @ApiOkResponse({ type: ReceptorTokenResponse })
  @ApiErrors(['RECEPTOR_SEED_REFUSED', 'RECEPTOR_UNKNOWN', 'RECEPTOR_RATE_LIMITED'])
  validacionCertificado(@ReceptorCallOf({ upload: true }) call: ReceptorCall): Promise<ReceptorReply> {
    return this.receptor.validacionCertificado(call);
  }

  @Post('recepcion/api/ecf')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'receptorRecepcion',
    summary: 'Receive a signed e-CF: 200 with a signed ARECF, Estado per PROTOCOL §8.2',
  })
  @ApiParam(RNC_PARAM)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: ReceptorUploadDto })
  @ApiOkResponse(xml(ARECF_EXAMPLE, 'The ARECF, signed by the attached session (Estado 0 received, 1 not)'))
  @ApiErrors([
    'RECEPTOR_UPLOAD_REFUSED',
    'RECEPTOR_AUTH_REQUIRED',
    'RECEPTOR_UNKNOWN',
    'RECEPTOR_RATE_LIMITED',
    'RECEPTOR_UNAVAILABLE',
  ])
  recepcion(@ReceptorCallOf({ upload: true }) call: ReceptorCall): Promise<ReceptorReply> {
    return this.receptor.recepcion(call);
  }

  @Post('aprobacioncomercial/api/ecf')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'receptorAprobacionComercial',
    summary: 'Receive an ACECF about an e-CF this RNC issued (PROTOCOL §8.3)',
  })
  @ApiParam(RNC_PARAM)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: ReceptorUploadDto })
  @ApiOkResponse({ type: AcecfReceptionAnswer })
  @ApiErrors(
    [
      'RECEPTOR_UPLOAD_REFUSED',
      'RECEPTOR_AUTH_REQUIRED',
      'RECEPTOR_UNKNOWN',
      'RECEPTOR_RATE_LIMITED',
      'RECEPTOR_UNAVAILABLE',
    ],
    [
      {
        status: 400,
        type: AcecfReceptionAnswer,
        description: 'Not satisfactory: XSD, signature or RNCEmisor, with why',
        examples: {
          rejected: {
            summary: 'The ACECF is about an e-CF another RNC issued',
            value: {
              codigo: 'Error',
              estado: '1',
              mensaje: ['RNCEmisor is not this receptor: the approved e-CF was not issued by this RNC'],
            },
          },
        },
      },
    ],
  )
  aprobacionComercial(@ReceptorCallOf({ upload: true }) call: ReceptorCall): Promise<ReceptorReply> {
    return this.receptor.aprobacionComercial(call);
  }
}
