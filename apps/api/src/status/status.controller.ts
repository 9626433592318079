import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, SESSION_ERRORS } from '@app/common';
import { StatusService } from '@app/issuance';
import { CurrentSession, Session, SessionAuth } from '@app/sessions';
import { StatusParamsDto, StatusQueryDto } from './dto/status-query.dto';
import { StatusResponse } from './dto/status.response';
import { issueCallerOf } from '../sessions/issue-caller';

@ApiTags('status')
@SessionAuth()
@Controller('api/v1/status')
export class StatusController {
  constructor(private readonly status: StatusService) {}

  @Get(':trackId')
  @ApiOperation({ operationId: 'getStatus', summary: "DGII's consulta resultado for a trackId" })
  @ApiOkResponse({ type: StatusResponse })
  // SIGNING_FAILED / BAD_REQUEST: the session's key signs DGII's seed before the first query.
  @ApiErrors(['TRACK_ID_INVALID', 'BAD_REQUEST', ...SESSION_ERRORS, 'SIGNING_FAILED', 'DGII_QUERY_FAILED'])
  async get(
    @CurrentSession() session: Session,
    @Param() { trackId }: StatusParamsDto,
    @Query() query: StatusQueryDto,
  ): Promise<StatusResponse> {
    const v = await this.status.query(issueCallerOf(session), trackId, query.environment);
    return { trackId: v.trackId ?? trackId, ...v, mensajes: v.mensajes };
  }
}
