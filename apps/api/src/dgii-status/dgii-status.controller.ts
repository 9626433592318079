import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { API_KEY_ERRORS, ApiErrors } from '@app/common';
import { DgiiServiceStatusService } from '@app/issuance';
import { Public } from '@app/sessions';
import { DGII_STATUS_EXAMPLES, DgiiStatusResponse } from './dto/dgii-status.response';

/** DGII's own service status (PROTOCOL §1.3 #14): its key, not a session's DGII token. */
@ApiTags('DGII status')
@Public('session')
@Controller('api/v1/dgii')
export class DgiiStatusController {
  constructor(private readonly status: DgiiServiceStatusService) {}

  @Get('status')
  @ApiOperation({
    operationId: 'getDgiiStatus',
    summary: "DGII's estatus servicios and maintenance windows, per environment (cached 30 s)",
  })
  @ApiOkResponse({ type: DgiiStatusResponse, examples: DGII_STATUS_EXAMPLES })
  @ApiErrors([...API_KEY_ERRORS, 'DGII_STATUS_FAILED', 'NOT_CONFIGURED'])
  get(): Promise<DgiiStatusResponse> {
    return this.status.report();
  }
}
