import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors } from '@app/common';
import { EcfIssuanceService } from '@app/issuance';
import { ApiKeyId, CurrentSession, Session, SessionAuth } from '@app/sessions';
import { IssueEcfStatelessDto } from './dto/issue-ecf-stateless.dto';
import { IssueEcfDto } from './dto/issue-ecf.dto';
import { IssueEcfResponse } from './dto/issue-ecf.response';
import { StatelessIssueEnabledGuard } from './stateless-issue-enabled.guard';

const ISSUE_RESPONSES = [
  ApiOkResponse({ type: IssueEcfResponse, description: 'Aceptado or Aceptado Condicional (or a dry run)' }),
  ApiAcceptedResponse({
    type: IssueEcfResponse,
    description: 'DGII has not ruled yet: dgiiEstado "En Proceso"',
  }),
  ApiBadRequestResponse({
    type: IssueEcfResponse,
    description:
      'Rechazado by DGII: the same body with success false and DGII text in statusMessage; ' +
      'or the error envelope (VALIDATION_FAILED / BAD_REQUEST)',
  }),
];

@ApiTags('e-CF')
@SessionAuth()
@Controller('api/v1/ecf')
export class EcfController {
  constructor(private readonly issuance: EcfIssuanceService) {}

  @Post('issue-stateless')
  @HttpCode(200)
  @UseGuards(StatelessIssueEnabledGuard)
  @ApiOperation({
    summary: 'Issue any of the ten e-CF types from JSON; a type 32 under RD$250,000 goes to DGII as an RFCE',
  })
  @(ISSUE_RESPONSES[0])
  @(ISSUE_RESPONSES[1])
  @(ISSUE_RESPONSES[2])
  @ApiErrors(401, 404, 413, 415, 422, 500, 502)
  issueStateless(
    @CurrentSession() session: Session,
    @Body() body: IssueEcfStatelessDto,
  ): Promise<IssueEcfResponse> {
    return this.issuance.issue(session, body);
  }

  @Post('issue')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Issue an e-CF idempotently by externalDocumentId (same id + same body → same response)',
  })
  @(ISSUE_RESPONSES[0])
  @(ISSUE_RESPONSES[1])
  @(ISSUE_RESPONSES[2])
  @ApiErrors(401, 409, 413, 415, 422, 500, 502)
  issue(
    @ApiKeyId() apiKeyId: string,
    @CurrentSession() session: Session,
    @Body() body: IssueEcfDto,
  ): Promise<IssueEcfResponse> {
    return this.issuance.issueOnce(apiKeyId, session, body);
  }
}
