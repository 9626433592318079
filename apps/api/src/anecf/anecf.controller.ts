import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, JSON_BODY_ERRORS, SESSION_ERRORS } from '@app/common';
import { AnecfIssuanceService } from '@app/issuance';
import { CurrentSession, Session, SessionAuth } from '@app/sessions';
import { issueCallerOf } from '../sessions/issue-caller';
import { IssueAnecfDto } from './dto/issue-anecf.dto';
import {
  ANECF_OK_EXAMPLES,
  ANECF_REFUSED_EXAMPLES,
  IssueAnecfResponse,
  issueAnecfResponseOf,
} from './dto/issue-anecf.response';

@ApiTags('ANECF')
@SessionAuth()
@Controller('api/v1/anecf')
export class AnecfController {
  constructor(private readonly issuance: AnecfIssuanceService) {}

  @Post('issue')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'issueAnecf',
    summary: 'Cancel unused e-NCF ranges (ANECF): built, signed and sent to DGII anulacionrangos',
  })
  @ApiOkResponse({ type: IssueAnecfResponse, examples: ANECF_OK_EXAMPLES })
  @ApiErrors(
    [
      'ANECF_BODY_INVALID',
      ...JSON_BODY_ERRORS,
      ...SESSION_ERRORS,
      'XML_BUILD_FAILED',
      'SIGNING_FAILED',
      'ANECF_SUBMISSION_FAILED',
    ],
    [
      {
        status: 400,
        type: IssueAnecfResponse,
        description: 'Refused by DGII: success false, DGII text verbatim',
        examples: ANECF_REFUSED_EXAMPLES,
      },
    ],
  )
  issue(@CurrentSession() session: Session, @Body() body: IssueAnecfDto): Promise<IssueAnecfResponse> {
    return this.issuance.issue(issueCallerOf(session), body).then(issueAnecfResponseOf);
  }
}
