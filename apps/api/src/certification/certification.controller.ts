import {
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  ParseUUIDPipe,
  Post,
  Req,
  Sse,
  StreamableFile,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { ApiErrors, SESSION_ERRORS } from '@app/common';
import { CertificationRunner, paso5Documents } from '@app/certification';
import { APP_CONFIG, AppConfig } from '@app/config';
import { RiService } from '@app/ri';
import { CurrentSession, Session, SessionAuth } from '@app/sessions';
import { issueCallerOf } from '../sessions/issue-caller';
import { RunResponse } from './dto/run.response';
import { readStartRunUpload, StartRunDto } from './dto/start-run.dto';
import { documentsFileOf, ownerOf, riFileOf, runEventsOf, type RunMessageEvent } from './run-http';

const RUN_ID = new ParseUUIDPipe({ version: '4' });

@ApiTags('certification')
@SessionAuth()
@Controller('api/v1/certification')
export class CertificationController {
  constructor(
    private readonly runner: CertificationRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(RiService) private readonly ri: RiService,
  ) {}

  @Post('runs')
  @HttpCode(202)
  @ApiOperation({
    operationId: 'startCertificationRun',
    summary: "Run DGII's certification test set (Paso 2 or 3 workbook): validate, or validate and send",
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: StartRunDto })
  @ApiAcceptedResponse({
    type: RunResponse,
    description: 'The run started; follow it with GET runs/{runId} or its events',
  })
  @ApiErrors([
    'CERTIFICATION_BODY_INVALID',
    'INVALID_WORKBOOK',
    'RUN_IN_PROGRESS',
    'BAD_REQUEST',
    'PAYLOAD_TOO_LARGE',
    'UNSUPPORTED_MEDIA_TYPE',
    ...SESSION_ERRORS,
  ])
  async start(@CurrentSession() session: Session, @Req() req: Request): Promise<RunResponse> {
    const upload = await readStartRunUpload(req, this.config.certification.maxWorkbookBytes);
    return this.runner.start(ownerOf(session), issueCallerOf(session), upload.workbook, upload.options);
  }

  @Get('runs/:runId')
  @ApiOperation({ operationId: 'getCertificationRun', summary: 'Where a run stands, case by case' })
  @ApiOkResponse({ type: RunResponse })
  @ApiErrors(['RUN_NOT_FOUND', ...SESSION_ERRORS])
  get(@CurrentSession() session: Session, @Param('runId', RUN_ID) runId: string): Promise<RunResponse> {
    return this.runner.view(ownerOf(session), runId);
  }

  @Sse('runs/:runId/events')
  @ApiOperation({
    operationId: 'getCertificationRunEvents',
    summary:
      "A run's progress as Server-Sent Events: `run` (the whole run) first and on each status change, `case` on each case change",
  })
  @ApiOkResponse({
    description: 'Server-Sent Events; the stream ends when the run finishes',
    content: {
      'text/event-stream': {
        schema: { type: 'string' },
        example: 'event: run\ndata: {"runId":"…","status":"running",…}\n\n',
      },
    },
  })
  @ApiErrors(['RUN_NOT_FOUND', ...SESSION_ERRORS])
  async events(
    @CurrentSession() session: Session,
    @Param('runId', RUN_ID) runId: string,
  ): Promise<Observable<RunMessageEvent>> {
    return runEventsOf(this.runner, await this.runner.view(ownerOf(session), runId));
  }

  @Get('runs/:runId/documents')
  @ApiOperation({
    operationId: 'getCertificationRunDocuments',
    summary: "Every signed document of the run as a zip, under DGII's file names (e-CF/, RFCE/, ACECF/)",
  })
  @ApiOkResponse({
    description:
      'application/zip. e-CF/ holds every full e-CF, including the type-32 XMLs the portal asks to upload by hand; RFCE/ and ACECF/ the rest',
  })
  @ApiErrors(['RUN_NOT_FOUND', ...SESSION_ERRORS])
  async documents(
    @CurrentSession() session: Session,
    @Param('runId', RUN_ID) runId: string,
  ): Promise<StreamableFile> {
    return documentsFileOf(runId, await this.runner.documents(ownerOf(session), runId));
  }

  @Get('runs/:runId/ri')
  @ApiOperation({
    operationId: 'getCertificationRunRi',
    summary: 'Paso 5: the RIs (PDF) of the run, one per portal slot, as a zip',
    description:
      'One printed representation per slot the portal asks for (31, 32 ≥ 250k, 33, 34, 41, 43, 44, 45, 46, 47, ' +
      '32 < 250k), from the cases DGII accepted (a validate run: its validated cases, as a rehearsal). ' +
      "Files are `{slot}/{RNCEmisor}{eNCF}.pdf`: upload each folder's file to the slot of that name.",
  })
  @ApiOkResponse({ description: 'application/zip of PDFs, one folder per portal slot' })
  @ApiErrors(['RUN_NOT_FOUND', 'RUN_IN_PROGRESS', ...SESSION_ERRORS])
  async riSet(
    @CurrentSession() session: Session,
    @Param('runId', RUN_ID) runId: string,
  ): Promise<StreamableFile> {
    const owner = ownerOf(session);
    const run = await this.runner.view(owner, runId);
    const set = paso5Documents(run, await this.runner.documents(owner, runId));
    const requests = set.map((d) => ({
      signedXml: d.document.signedXml,
      environment: run.environment,
      rfce: d.rfce,
    }));
    return riFileOf(runId, await this.ri.generateZip(requests));
  }
}
