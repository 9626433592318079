import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  UseInterceptors,
} from '@nestjs/common';
import type { Request } from 'express';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@app/sessions';
import { DgiiSandboxService } from './dgii-sandbox.service';
import { SandboxFaultDto } from './dto/sandbox-fault.dto';
import { SandboxCall, SandboxCallOf } from './sandbox-call.decorator';
import { FaultRule, SandboxFaults, SandboxStats, SandboxStatsSnapshot } from './sandbox-faults';
import { ReceivedDocument, SandboxLedger } from './sandbox-ledger';
import { SandboxReply } from './sandbox.reply';
import { SandboxDirectory, SandboxDirectoryEntry } from './sandbox-directory';
import { SandboxDirectoryDto } from './dto/sandbox-directory.dto';
import { SANDBOX_ROUTE_PREFIX } from './sandbox-dgii.endpoints';
import { SandboxReceptor } from './sandbox-receptor';
import { SandboxReplyInterceptor } from './sandbox-reply.interceptor';

/**
 * `{E}` services of PROTOCOL §1.3 under `/dgii-sandbox/ecf/{testecf|certecf|ecf}`. Public to
 * the API's guards (DGII's own Bearer is checked by the sandbox) and left out of Swagger.
 */
@Public()
@ApiExcludeController()
@UseInterceptors(SandboxReplyInterceptor)
@Controller('dgii-sandbox/ecf/:env')
export class SandboxEcfController {
  constructor(private readonly sandbox: DgiiSandboxService) {}

  @Get('autenticacion/api/autenticacion/semilla')
  semilla(@SandboxCallOf() call: SandboxCall): SandboxReply {
    return this.sandbox.semilla(call);
  }

  @Post('autenticacion/api/autenticacion/validarsemilla')
  validarSemilla(@SandboxCallOf({ upload: true }) call: SandboxCall): Promise<SandboxReply> {
    return this.sandbox.validarSemilla(call);
  }

  @Post('recepcion/api/facturaselectronicas')
  recepcion(@SandboxCallOf({ upload: true }) call: SandboxCall): Promise<SandboxReply> {
    return this.sandbox.recepcion(call);
  }

  @Post('aprobacioncomercial/api/aprobacioncomercial')
  aprobacionComercial(@SandboxCallOf({ upload: true }) call: SandboxCall): Promise<SandboxReply> {
    return this.sandbox.aprobacionComercial(call);
  }

  @Get('consultaresultado/api/consultas/estado')
  consultaResultado(@SandboxCallOf() call: SandboxCall): SandboxReply {
    return this.sandbox.consultaResultado(call);
  }

  @Get('consultatrackids/api/trackids/consulta')
  consultaTrackIds(@SandboxCallOf() call: SandboxCall): SandboxReply {
    return this.sandbox.consultaTrackIds(call);
  }

  @Get('consultadirectorio/api/consultas/obtenerdirectorioporrnc')
  directorioPorRnc(@SandboxCallOf() call: SandboxCall): SandboxReply {
    return this.sandbox.directorioPorRnc(call);
  }

  @Get('consultaestado/api/consultas/estado')
  consultaEstado(@SandboxCallOf() call: SandboxCall): SandboxReply {
    return this.sandbox.consultaEstado(call);
  }

  @Post('anulacionrangos/api/operaciones/anularrango')
  anulacionRangos(@SandboxCallOf({ upload: true }) call: SandboxCall): Promise<SandboxReply> {
    return this.sandbox.anulacionRangos(call);
  }

  @Get('consultadirectorio/api/consultas/listado')
  directorioListado(@SandboxCallOf() call: SandboxCall): SandboxReply {
    return this.sandbox.directorioListado(call);
  }
}

/**
 * DGII's service-status host (PROTOCOL §1.3 #14) under `/dgii-sandbox/status`: one host for all
 * environments, `Authorization: Apikey {key}` checked by the sandbox.
 */
@Public()
@ApiExcludeController()
@UseInterceptors(SandboxReplyInterceptor)
@Controller('dgii-sandbox/status/api/estatusservicios')
export class SandboxStatusController {
  constructor(private readonly sandbox: DgiiSandboxService) {}

  @Get('obtenerestatus')
  estatus(@SandboxCallOf() call: SandboxCall): SandboxReply {
    return this.sandbox.estatusServicios(call);
  }

  @Get('obtenerventanasmantenimiento')
  ventanas(@SandboxCallOf() call: SandboxCall): SandboxReply {
    return this.sandbox.ventanasMantenimiento(call);
  }
}

/** `{F}` services (RFCE) under `/dgii-sandbox/fc/{testecf|certecf|ecf}` (PROTOCOL §5). */
@Public()
@ApiExcludeController()
@UseInterceptors(SandboxReplyInterceptor)
@Controller('dgii-sandbox/fc/:env')
export class SandboxFcController {
  constructor(private readonly sandbox: DgiiSandboxService) {}

  @Post('recepcionfc/api/recepcion/ecf')
  recepcionFc(@SandboxCallOf({ upload: true }) call: SandboxCall): Promise<SandboxReply> {
    return this.sandbox.recepcionFc(call);
  }
}

/**
 * The built-in buyer receptor (PROTOCOL §8) under `/dgii-sandbox/receptor/{rnc}`: the fixed
 * receptor paths of §8; routing ignores case as receptors must (§8).
 */
@Public()
@ApiExcludeController()
@UseInterceptors(SandboxReplyInterceptor)
@Controller('dgii-sandbox/receptor/:rnc/fe')
export class SandboxReceptorController {
  constructor(private readonly receptor: SandboxReceptor) {}

  @Get('autenticacion/api/semilla')
  semilla(@Param('rnc') rnc: string, @SandboxCallOf() call: SandboxCall): SandboxReply {
    return this.receptor.semilla(rnc, call);
  }

  @Post('autenticacion/api/validacioncertificado')
  validacionCertificado(
    @Param('rnc') rnc: string,
    @SandboxCallOf({ upload: true }) call: SandboxCall,
  ): Promise<SandboxReply> {
    return this.receptor.validacionCertificado(rnc, call);
  }

  @Post('recepcion/api/ecf')
  recepcion(
    @Param('rnc') rnc: string,
    @SandboxCallOf({ upload: true }) call: SandboxCall,
  ): Promise<SandboxReply> {
    return this.receptor.recepcion(rnc, call);
  }

  @Post('aprobacioncomercial/api/ecf')
  aprobacionComercial(
    @Param('rnc') rnc: string,
    @SandboxCallOf({ upload: true }) call: SandboxCall,
  ): Promise<SandboxReply> {
    return this.receptor.aprobacionComercial(rnc, call);
  }
}

/**
 * Test controls: fault injection and call counts. Exists only in the sandbox module. Anyone
 * who reaches them can fail or stall DGII calls, so they need the API key: the host's global
 * ApiKeyGuard checks it (apps/api and apps/dgii-sandbox both install one); no session needed.
 */
@Public('session')
@ApiExcludeController()
@Controller('dgii-sandbox/_admin')
export class SandboxAdminController {
  constructor(
    private readonly faults: SandboxFaults,
    private readonly stats: SandboxStats,
    private readonly ledger: SandboxLedger,
    private readonly directory: SandboxDirectory,
  ) {}

  /**
   * "RNC X receives at URL Y" (issue 11 §5): what consulta directorio answers for X. Without a
   * URL, X receives at the built-in receptor of this sandbox, authentication included.
   */
  @Post('directory')
  @HttpCode(201)
  addDirectoryEntry(@Body() body: SandboxDirectoryDto, @Req() req: Request): SandboxDirectoryEntry {
    const { segment, ...given } = body;
    const builtIn = `${req.protocol}://${req.get('host') ?? '127.0.0.1'}/${SANDBOX_ROUTE_PREFIX}/receptor/${body.rnc}`;
    const entry: SandboxDirectoryEntry =
      given.urlRecepcion || given.urlAceptacion || given.urlOpcional
        ? given
        : { ...given, urlRecepcion: builtIn, urlAceptacion: builtIn, urlOpcional: builtIn };
    this.directory.register(entry, segment);
    return entry;
  }

  @Delete('directory/:rnc')
  @HttpCode(204)
  removeDirectoryEntry(@Param('rnc') rnc: string): void {
    this.directory.unregister(rnc);
  }

  @Post('faults')
  @HttpCode(201)
  addFault(@Body() fault: SandboxFaultDto): { pending: FaultRule[] } {
    this.faults.add(fault);
    return { pending: this.faults.pending() };
  }

  @Delete('faults')
  @HttpCode(204)
  clearFaults(): void {
    this.faults.clear();
  }

  @Get('stats')
  getStats(): SandboxStatsSnapshot {
    return this.stats.snapshot();
  }

  /** The exact bytes each upload route received for an e-NCF, oldest first ("identical bytes" checks). */
  @Get('received')
  getReceived(@Query('encf') encf?: string): { received: ReceivedDocument[] } {
    return { received: this.ledger.receivedOf(String(encf ?? '')) };
  }
}
