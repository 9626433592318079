import { applyDecorators, Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, DocumentedError, JSON_BODY_ERRORS, SESSION_ERRORS } from '@app/common';
import { EcfIssuanceService } from '@app/issuance';
import { RiService } from '@app/ri';
import { ApiKeyId, CurrentSession, Session, SessionAuth } from '@app/sessions';
import { IssueEcfStatelessDto } from './dto/issue-ecf-stateless.dto';
import { IssueEcfDto } from './dto/issue-ecf.dto';
import { SubmitEcfDto } from './dto/submit-ecf.dto';
import { DeliverEcfDto } from './dto/deliver-ecf.dto';
import {
  ECF_ACCEPTED_EXAMPLES,
  ECF_IN_PROCESS_EXAMPLES,
  ECF_REJECTED_EXAMPLES,
} from './dto/issue-ecf.examples';
import { DeliverEcfResponse, IssueEcfResponse, issueEcfResponseOf } from './dto/issue-ecf.response';
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

const DELIVER_EXAMPLES = {
  delivered: {
    summary: 'The buyer’s receptor answered a signed ARECF: e-CF recibido',
    value: {
      ecfNumber: 'E310000000005',
      receptor: {
        url: 'https://receptor.example.do/fe/recepcion/api/ecf',
        arecf: {
          estado: '0',
          codigoMotivoNoRecibido: null,
          signedXml: '<ARECF>…<Signature>…</Signature></ARECF>',
        },
        deliveredAt: '2026-04-24T17:02:15Z',
      },
    },
  },
  refused: {
    summary: 'Not delivered: the receptor URL points into a private network (SSRF policy)',
    value: {
      ecfNumber: 'E310000000005',
      receptor: {
        url: 'https://10.0.0.5/fe/recepcion/api/ecf',
        error:
          'the receptor address 10.0.0.5 is private, loopback or link-local; refused outside development',
      },
    },
  },
};

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
  @IssueResponses('IDEMPOTENCY_CONFLICT', 'IDEMPOTENCY_IN_PROGRESS')
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

  @Post('submit')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'submitSignedEcf',
    summary:
      'Send an e-CF signed earlier (contingency, PROTOCOL §11), verified first and sent byte for byte; ' +
      'a type 32 under RD$250,000 goes as its RFCE, signed by the session',
  })
  @IssueResponses('SIGNATURE_INVALID', 'SIGNER_MISMATCH')
  submit(@CurrentSession() session: Session, @Body() body: SubmitEcfDto): Promise<IssueEcfResponse> {
    return this.issuance.submitSigned(issueCallerOf(session), body).then(issueEcfResponseOf);
  }

  @Post('deliver')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'deliverEcf',
    summary:
      'Send a signed e-CF to its buyer’s electronic receptor (consulta directorio, authentication when ' +
      'published, multipart xml) and return the ARECF; a failure is receptor.error, never a DGII call',
  })
  @ApiOkResponse({ type: DeliverEcfResponse, examples: DELIVER_EXAMPLES })
  @ApiErrors([
    'VALIDATION_FAILED',
    ...JSON_BODY_ERRORS,
    ...SESSION_ERRORS,
    'SIGNATURE_INVALID',
    'SIGNER_MISMATCH',
    'XML_BUILD_FAILED',
  ])
  deliver(@CurrentSession() session: Session, @Body() body: DeliverEcfDto): Promise<DeliverEcfResponse> {
    return this.issuance.deliverSigned(issueCallerOf(session), body);
  }
}
