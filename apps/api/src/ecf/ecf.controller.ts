import { applyDecorators, Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, DocumentedError, JSON_BODY_ERRORS, SESSION_ERRORS } from '@app/common';
import { EcfIssuanceService } from '@app/issuance';
import { RiService } from '@app/ri';
import { ApiKeyId, CurrentSession, Session, SessionAuth } from '@app/sessions';
import { IssueEcfStatelessDto } from './dto/issue-ecf-stateless.dto';
import { IssueEcfDto } from './dto/issue-ecf.dto';
import {
  ECF_ACCEPTED_EXAMPLES,
  ECF_IN_PROCESS_EXAMPLES,
  ECF_REJECTED_EXAMPLES,
} from './dto/issue-ecf.examples';
import { IssueEcfResponse, issueEcfResponseOf } from './dto/issue-ecf.response';
import { issueCallerOf } from '../sessions/issue-caller';
import { StatelessIssueEnabledGuard } from './stateless-issue-enabled.guard';
import { withRiPdf } from '../ri/issue-ri';

/** The answers both issue routes share, plus the errors only one of them has. */
function IssueResponses(...only: DocumentedError[]): MethodDecorator {
  return applyDecorators(
    ApiOkResponse({
      type: IssueEcfResponse,
      description: 'Aceptado or Aceptado Condicional (or a dry run)',
      examples: ECF_ACCEPTED_EXAMPLES,
    }),
    ApiAcceptedResponse({
      type: IssueEcfResponse,
      description: 'DGII has not ruled yet: dgiiEstado "En Proceso"',
      examples: ECF_IN_PROCESS_EXAMPLES,
    }),
    ApiErrors(
      [
        'VALIDATION_FAILED',
        ...JSON_BODY_ERRORS,
        ...SESSION_ERRORS,
        ...only,
        'XML_BUILD_FAILED',
        'SIGNING_FAILED',
        'DGII_SUBMISSION_FAILED',
      ],
      [
        {
          status: 400,
          type: IssueEcfResponse,
          description: 'Rechazado by DGII: the same body with success false and DGII text in statusMessage',
          examples: ECF_REJECTED_EXAMPLES,
        },
      ],
    ),
  );
}

@ApiTags('e-CF')
@SessionAuth()
@Controller('api/v1/ecf')
export class EcfController {
  constructor(
    private readonly issuance: EcfIssuanceService,
    private readonly ri: RiService,
  ) {}

  @Post('issue-stateless')
  @HttpCode(200)
  @UseGuards(StatelessIssueEnabledGuard)
  @ApiOperation({
    operationId: 'issueEcfStateless',
    summary: 'Issue any of the ten e-CF types from JSON; a type 32 under RD$250,000 goes to DGII as an RFCE',
  })
  @IssueResponses('NOT_FOUND')
  issueStateless(
    @CurrentSession() session: Session,
    @Body() body: IssueEcfStatelessDto,
  ): Promise<IssueEcfResponse> {
    return this.issuance
      .issue(issueCallerOf(session), body)
      .then(issueEcfResponseOf)
      .then((r) => withRiPdf(this.ri, r, body));
  }

  @Post('issue')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'issueEcf',
    summary: 'Issue an e-CF idempotently by externalDocumentId (same id + same body → same response)',
  })
  @IssueResponses('IDEMPOTENCY_CONFLICT')
  issue(
    @ApiKeyId() apiKeyId: string,
    @CurrentSession() session: Session,
    @Body() body: IssueEcfDto,
  ): Promise<IssueEcfResponse> {
    return this.issuance
      .issueOnce(apiKeyId, issueCallerOf(session), body)
      .then(issueEcfResponseOf)
      .then((r) => withRiPdf(this.ri, r, body));
  }
}
