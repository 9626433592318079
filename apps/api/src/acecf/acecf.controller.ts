import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '@app/common';
import { AcecfIssuanceService } from '@app/issuance';
import { CurrentSession, Session, SessionAuth } from '@app/sessions';
import { IssueAcecfResponse } from '../ecf/dto/issue-ecf.response';
import { IssueAcecfDto } from './dto/issue-acecf.dto';

@ApiTags('ACECF')
@SessionAuth()
@Controller('api/v1/acecf')
export class AcecfController {
  constructor(private readonly issuance: AcecfIssuanceService) {}

  @Post('issue')
  @HttpCode(200)
  @ApiOperation({ summary: 'Issue a commercial approval (ACECF) and send its copy to DGII' })
  @ApiOkResponse({ type: IssueAcecfResponse })
  @ApiBadRequestResponse({
    type: IssueAcecfResponse,
    description: 'DGII refused it: success false, DGII text verbatim',
  })
  @ApiErrors(401, 413, 415, 422, 500, 502)
  issue(@CurrentSession() session: Session, @Body() body: IssueAcecfDto): Promise<IssueAcecfResponse> {
    return this.issuance.issue(session, body);
  }
}
