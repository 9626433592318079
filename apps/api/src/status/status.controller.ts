import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '@app/common';
import { StatusService } from '@app/issuance';
import { CurrentSession, Session, SessionAuth } from '@app/sessions';
import { StatusParamsDto, StatusQueryDto } from './dto/status-query.dto';
import { StatusResponse } from './dto/status.response';

@ApiTags('status')
@SessionAuth()
@Controller('api/v1/status')
export class StatusController {
  constructor(private readonly status: StatusService) {}

  @Get(':trackId')
  @ApiOperation({ summary: "DGII's consulta resultado for a trackId" })
  @ApiOkResponse({ type: StatusResponse })
  @ApiErrors(400, 401, 500, 502)
  async get(
    @CurrentSession() session: Session,
    @Param() { trackId }: StatusParamsDto,
    @Query() query: StatusQueryDto,
  ): Promise<StatusResponse> {
    const v = await this.status.query(session, trackId, query.environment);
    return { trackId: v.trackId ?? trackId, ...v, mensajes: v.mensajes };
  }
}
