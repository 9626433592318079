import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { NotFoundError } from '@app/common';
import { Public } from '@app/sessions';
import {
  AcuseVerdict,
  AprobacionRequest,
  AprobacionVerdict,
  EmisionRequest,
  EmisorReceptorSimulator,
} from './emisor-receptor.service';

/**
 * DGII's emisor-receptor simulator (PROTOCOL §8.4) under
 * `/dgii-sandbox/emisorreceptor/api/emision/*`. It makes outbound calls to the URLs it is given,
 * so it needs the API key (no session), like the sandbox's admin routes.
 */
@Public('session')
@ApiExcludeController()
@Controller('dgii-sandbox/emisorreceptor/api/emision')
export class EmisorReceptorController {
  constructor(private readonly simulator: EmisorReceptorSimulator) {}

  @Post('emisioncomprobantes')
  @HttpCode(200)
  emision(@Body() body: EmisionRequest): Promise<AcuseVerdict> {
    return this.simulator.emitir(body);
  }

  @Get('consultaacuserecibo')
  consulta(@Query() query: Record<string, string | undefined>): AcuseVerdict {
    // ASP.NET binds query parameters case-insensitively (`Rnc`, `rnc`).
    const lower = Object.fromEntries(Object.entries(query).map(([k, v]) => [k.toLowerCase(), v]));
    const verdict = this.simulator.consultaAcuseRecibo(lower.rnc, lower.encf);
    if (!verdict) throw new NotFoundError('the simulator sent no e-CF with this Rnc and Encf');
    return verdict;
  }

  @Post('envioaprobacioncomercial')
  @HttpCode(200)
  aprobacion(@Body() body: AprobacionRequest): Promise<AprobacionVerdict> {
    return this.simulator.enviarAprobacion(body);
  }
}
