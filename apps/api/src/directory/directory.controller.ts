import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, SESSION_ERRORS } from '@app/common';
import { DgiiLookupService } from '@app/issuance';
import { CurrentSession, Session, SessionAuth } from '@app/sessions';
import { issueCallerOf } from '../sessions/issue-caller';
import {
  DIRECTORY_EXAMPLES,
  DirectoryParamsDto,
  DirectoryQueryDto,
  DirectoryResponse,
} from './dto/directory.dto';

@ApiTags('directory')
@SessionAuth()
@Controller('api/v1/directory')
export class DirectoryController {
  constructor(private readonly lookups: DgiiLookupService) {}

  @Get(':rnc')
  @ApiOperation({
    operationId: 'getDirectory',
    summary: "DGII's consulta directorio: the electronic receptor URLs a taxpayer published",
  })
  @ApiOkResponse({ type: DirectoryResponse, examples: DIRECTORY_EXAMPLES })
  @ApiErrors(['RNC_INVALID', ...SESSION_ERRORS, 'DGII_REFUSED', 'SIGNING_FAILED', 'DGII_QUERY_FAILED'])
  get(
    @CurrentSession() session: Session,
    @Param() { rnc }: DirectoryParamsDto,
    @Query() { environment }: DirectoryQueryDto,
  ): Promise<DirectoryResponse> {
    return this.lookups.directory(issueCallerOf(session), rnc, environment);
  }
}
