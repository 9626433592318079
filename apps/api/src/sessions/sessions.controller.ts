import { Body, Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { API_KEY_ERRORS, ApiErrors, JSON_BODY_ERRORS, SESSION_ERRORS } from '@app/common';
import {
  API_KEY_SCHEME,
  ApiKeyId,
  BearerToken,
  ClientGoneSignal,
  CurrentSession,
  Public,
  Session,
  SESSION_SCHEME,
  SessionAuth,
  SessionsService,
} from '@app/sessions';
import { OpenSessionDto } from './dto/open-session.dto';
import { OpenedSessionResponse, SessionResponse } from './dto/session.response';

@ApiTags('sessions')
@Controller('api/v1/sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Post()
  @Public('session')
  @ApiOperation({
    operationId: 'openSession',
    summary: 'Open a signing session with a customer .p12 and its password',
  })
  @ApiCreatedResponse({ type: OpenedSessionResponse })
  @ApiErrors([
    'SESSION_BODY_INVALID',
    ...JSON_BODY_ERRORS,
    ...API_KEY_ERRORS,
    'INVALID_PASSWORD',
    'MALFORMED_P12',
    'CERTIFICATE_EXPIRED',
  ])
  open(
    @ApiKeyId() apiKeyId: string,
    @Body() body: OpenSessionDto,
    @ClientGoneSignal() signal: AbortSignal,
  ): Promise<OpenedSessionResponse> {
    return this.sessions.open(apiKeyId, body.certificate, body.password, signal);
  }

  @Get('current')
  @SessionAuth()
  @ApiOperation({ operationId: 'getSession', summary: 'Describe the session of the bearer token' })
  @ApiOkResponse({ type: SessionResponse })
  @ApiErrors(SESSION_ERRORS)
  current(@CurrentSession() session: Session): SessionResponse {
    return this.sessions.view(session);
  }

  @Delete('current')
  @HttpCode(204)
  // The bearer names the session to close; without one (or with a dead one) there is nothing to do.
  @Public('session')
  @ApiSecurity({ [API_KEY_SCHEME]: [], [SESSION_SCHEME]: [] })
  @ApiOperation({
    operationId: 'closeSession',
    summary: 'Close the session and forget its key and DGII tokens (idempotent: always 204)',
    description:
      'Needs only the API key: send the bearer of the session to close; without one, nothing is closed.',
  })
  @ApiNoContentResponse({ description: 'Closed, or there was nothing to close' })
  @ApiErrors(API_KEY_ERRORS)
  close(@ApiKeyId() apiKeyId: string, @BearerToken() token: string | undefined): Promise<void> {
    return this.sessions.close(apiKeyId, token);
  }
}
