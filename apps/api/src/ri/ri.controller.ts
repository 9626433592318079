import { Body, Controller, HttpCode, Post, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { API_KEY_ERRORS, ApiErrors, JSON_BODY_ERRORS } from '@app/common';
import { RiService } from '@app/ri';
import { Public } from '@app/sessions';
import { GenerateRiDto } from './dto/generate-ri.dto';

@ApiTags('ri')
@Controller('api/v1/ri')
export class RiController {
  constructor(private readonly ri: RiService) {}

  @Post('generate')
  @HttpCode(200)
  // Nothing is signed: the API key suffices, no session (issue 12 §1).
  @Public('session')
  @ApiOperation({
    operationId: 'generateRi',
    summary: 'The printed representation (RI) of a signed e-CF, as PDF (PROTOCOL §9)',
    description:
      'Verifies the signature, then draws the RI from the signed XML alone: type in words, e-NCF, issuer and buyer, lines, totals, and the timbre QR (version 8, or 9 when the ConsultaTimbre URL does not fit 8; 25 mm, 3 mm quiet zone) with the Código de Seguridad and Fecha de Firma Digital. Same XML → same bytes.',
  })
  @ApiOkResponse({
    description: 'The PDF',
    content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiErrors(['RI_BODY_INVALID', ...JSON_BODY_ERRORS, ...API_KEY_ERRORS, 'RI_DOCUMENT_INVALID'])
  async generate(@Body() body: GenerateRiDto): Promise<StreamableFile> {
    const r = await this.ri.generate(body);
    return new StreamableFile(r.pdf, {
      type: 'application/pdf',
      disposition: `inline; filename="${r.fileName}"`,
    });
  }
}
