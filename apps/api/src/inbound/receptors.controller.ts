import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiErrors, JSON_BODY_ERRORS, SESSION_ERRORS } from '@app/common';
import { ReceptorRegistrationService } from '@app/inbound';
import { ApiKeyId, BearerToken, CurrentSession, Session, SessionAuth } from '@app/sessions';
import { RegisterReceptorDto, ReceptorResponse } from './dto/register-receptor.dto';
import { RequestOrigin } from './request-origin.decorator';

const RNC_PARAM = { name: 'rnc', example: '131793916', description: 'The receptor RNC (9 or 11 digits)' };

@ApiTags('inbound')
@SessionAuth()
@Controller('api/v1/inbound/receptors')
export class ReceptorsController {
  constructor(private readonly receptors: ReceptorRegistrationService) {}

  @Put(':rnc')
  @ApiOperation({
    operationId: 'registerReceptor',
    summary: 'Register a receptor and attach this session as the signer of its ARECFs',
  })
  @ApiParam(RNC_PARAM)
  @ApiOkResponse({ type: ReceptorResponse })
  @ApiErrors(['RECEPTOR_BODY_INVALID', ...JSON_BODY_ERRORS, ...SESSION_ERRORS, 'RECEPTOR_TAKEN'])
  register(
    @Param('rnc') rnc: string,
    @CurrentSession() session: Session,
    @BearerToken() token: string,
    @Body() body: RegisterReceptorDto,
    @RequestOrigin() origin: string,
  ): Promise<ReceptorResponse> {
    // The token lets a shared signer store reopen the session on another replica (issue 13 §2).
    return this.receptors.register(rnc, { ...session, token }, body, origin);
  }

  @Get(':rnc')
  @ApiOperation({ operationId: 'getReceptor', summary: 'A receptor registration (no secret)' })
  @ApiParam(RNC_PARAM)
  @ApiOkResponse({ type: ReceptorResponse })
  @ApiErrors([...SESSION_ERRORS, 'RECEPTOR_NOT_FOUND'])
  get(
    @Param('rnc') rnc: string,
    @ApiKeyId() apiKeyId: string,
    @RequestOrigin() origin: string,
  ): Promise<ReceptorResponse> {
    return this.receptors.get(rnc, apiKeyId, origin);
  }

  @Delete(':rnc')
  @HttpCode(204)
  @ApiOperation({ operationId: 'deleteReceptor', summary: 'Remove a receptor; its URLs answer 404 from now' })
  @ApiParam(RNC_PARAM)
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiErrors([...SESSION_ERRORS, 'RECEPTOR_NOT_FOUND'])
  remove(@Param('rnc') rnc: string, @ApiKeyId() apiKeyId: string): Promise<void> {
    return this.receptors.remove(rnc, apiKeyId);
  }

  @Post(':rnc/rotate-secret')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'rotateReceptorSecret',
    summary: 'A new callback secret, returned this once; the old one stops signing',
  })
  @ApiParam(RNC_PARAM)
  @ApiOkResponse({ type: ReceptorResponse })
  @ApiErrors([...SESSION_ERRORS, 'RECEPTOR_NOT_FOUND'])
  rotateSecret(
    @Param('rnc') rnc: string,
    @ApiKeyId() apiKeyId: string,
    @RequestOrigin() origin: string,
  ): Promise<ReceptorResponse> {
    return this.receptors.rotateSecret(rnc, apiKeyId, origin);
  }
}
