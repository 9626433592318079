import { Body, Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors } from '@app/common';
import {
  ApiKeyId,
  BearerToken,
  ClientGoneSignal,
  CurrentSession,
  Public,
  Session,
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
  @ApiOperation({ summary: 'Open a signing session with a customer .p12 and its password' })
  @ApiCreatedResponse({ type: OpenedSessionResponse })
  @ApiErrors(400, 401, 413, 429, 500)
  open(
    @ApiKeyId() apiKeyId: string,
    @Body() body: OpenSessionDto,
    @ClientGoneSignal() signal: AbortSignal,
  ): Promise<OpenedSessionResponse> {
    return this.sessions.open(apiKeyId, body.certificate, body.password, signal);
  }

  @Get('current')
  @SessionAuth()
  @ApiOperation({ summary: 'Describe the session of the bearer token' })
  @ApiOkResponse({ type: SessionResponse })
  @ApiErrors(401, 500)
  current(@CurrentSession() session: Session): SessionResponse {
    return this.sessions.view(session);
  }

  @Delete('current')
  @HttpCode(204)
  @Public('session')
  @SessionAuth()
  @ApiOperation({ summary: 'Close the session and forget its key and DGII tokens (idempotent: always 204)' })
  @ApiNoContentResponse({ description: 'Closed, or there was nothing to close' })
  @ApiErrors(401, 500)
  close(@ApiKeyId() apiKeyId: string, @BearerToken() token: string | undefined): void {
    this.sessions.close(apiKeyId, token);
  }
}
