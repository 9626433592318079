import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, JSON_BODY_ERRORS, SESSION_ERRORS } from '@app/common';
import { AcecfIssuanceService } from '@app/issuance';
import { CurrentSession, Session, SessionAuth } from '@app/sessions';
import { ACECF_ACCEPTED_EXAMPLES, ACECF_REJECTED_EXAMPLES } from '../ecf/dto/issue-ecf.examples';
import { IssueAcecfResponse, issueAcecfResponseOf } from '../ecf/dto/issue-ecf.response';
import { issueCallerOf } from '../sessions/issue-caller';
import { IssueAcecfDto } from './dto/issue-acecf.dto';

@ApiTags('ACECF')
@SessionAuth()
@Controller('api/v1/acecf')
export class AcecfController {
  constructor(private readonly issuance: AcecfIssuanceService) {}

  @Post('issue')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'issueAcecf',
    summary: 'Issue a commercial approval (ACECF) and send its copy to DGII',
  })
  @ApiOkResponse({ type: IssueAcecfResponse, examples: ACECF_ACCEPTED_EXAMPLES })
  @ApiErrors(
    [
      'ACECF_BODY_INVALID',
      ...JSON_BODY_ERRORS,
      ...SESSION_ERRORS,
      'XML_BUILD_FAILED',
      'SIGNING_FAILED',
      'DGII_SUBMISSION_FAILED',
    ],
    [
      {
        status: 400,
        type: IssueAcecfResponse,
        description: 'Rechazado by DGII: success false, DGII text verbatim',
        examples: ACECF_REJECTED_EXAMPLES,
      },
    ],
  )
  issue(@CurrentSession() session: Session, @Body() body: IssueAcecfDto): Promise<IssueAcecfResponse> {
    return this.issuance.issue(issueCallerOf(session), body).then(issueAcecfResponseOf);
  }
}
