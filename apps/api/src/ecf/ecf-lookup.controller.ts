import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, SESSION_ERRORS } from '@app/common';
import { DgiiLookupService } from '@app/issuance';
import { CurrentSession, Session, SessionAuth } from '@app/sessions';
import { issueCallerOf } from '../sessions/issue-caller';
import {
  ECF_STATUS_EXAMPLES,
  EcfNumberParamsDto,
  EcfStatusQueryDto,
  EcfStatusResponse,
  TRACK_IDS_EXAMPLES,
  TrackIdsQueryDto,
  TrackIdsResponse,
} from './dto/ecf-lookup.dto';

/** What DGII holds for an e-NCF: what an integrator asks after an unknown outcome (issue 11 §1). */
@ApiTags('e-CF')
@SessionAuth()
@Controller('api/v1/ecf')
export class EcfLookupController {
  constructor(private readonly lookups: DgiiLookupService) {}

  @Get(':eNCF/status')
  @ApiOperation({
    operationId: 'getEcfStatus',
    summary: "DGII's consulta estado: is this e-CF valid (needs its security code)",
  })
  @ApiOkResponse({ type: EcfStatusResponse, examples: ECF_STATUS_EXAMPLES })
  // SIGNING_FAILED: the session's key signs DGII's seed before the first query.
  @ApiErrors(['ECF_QUERY_INVALID', ...SESSION_ERRORS, 'DGII_REFUSED', 'SIGNING_FAILED', 'DGII_QUERY_FAILED'])
  status(
    @CurrentSession() session: Session,
    @Param() { eNCF }: EcfNumberParamsDto,
    @Query() q: EcfStatusQueryDto,
  ): Promise<EcfStatusResponse> {
    return this.lookups.ecfStatus(issueCallerOf(session), { ...q, eNCF }, q.environment);
  }

  @Get(':eNCF/track-ids')
  @ApiOperation({
    operationId: 'getEcfTrackIds',
    summary: "DGII's consulta trackIds: every submission DGII holds for this e-NCF, with its state",
  })
  @ApiOkResponse({ type: TrackIdsResponse, examples: TRACK_IDS_EXAMPLES })
  @ApiErrors(['ECF_QUERY_INVALID', ...SESSION_ERRORS, 'DGII_REFUSED', 'SIGNING_FAILED', 'DGII_QUERY_FAILED'])
  trackIds(
    @CurrentSession() session: Session,
    @Param() { eNCF }: EcfNumberParamsDto,
    @Query() q: TrackIdsQueryDto,
  ): Promise<TrackIdsResponse> {
    return this.lookups.trackIds(issueCallerOf(session), { rncEmisor: q.rncEmisor, eNCF }, q.environment);
  }
}
