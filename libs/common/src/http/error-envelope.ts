import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { isoSeconds } from '../time/iso-seconds';
import { ERROR_STATUS, ErrorCode, ErrorDetail } from '../errors/domain-error';

/**
 * The OpenAPI shape of one `details[]` entry (ErrorDetail in domain-error.ts). Every field a
 * producer writes is named here, so a generated client can read them without casts.
 */
@ApiSchema({ name: 'ErrorDetail' })
export class ErrorDetailSchema {
  @ApiProperty({ example: 'quantity must be a positive number', description: 'What is wrong, in words' })
  message!: string;

  @ApiPropertyOptional({
    example: 'lines[0].quantity',
    description:
      'JSON path of the offending value in the request as sent (0-based indexes): a flat field ' +
      '(`lines[0].lineTotal`) or an `ecf` element (`ecf.Encabezado.IdDoc.eNCF`)',
  })
  path?: string;

  @ApiPropertyOptional({
    example: 'xsd:maxLength',
    description:
      'The broken rule: `xsd:<facet>` for schema constraints, `xsd` for the final XSD check, ' +
      '`flat-field` / `flat-contradiction` for flat fields, else a business rule id',
  })
  rule?: string;

  @ApiPropertyOptional({
    example: 'ecf.DetallesItems.Item[0].MontoItem',
    description: 'The DGII element a flat field fills, beside `path`',
  })
  ecfPath?: string;

  @ApiPropertyOptional({
    enum: ['unknown'],
    description:
      '502 only: `unknown` when DGII may have received the document; query its status before resending',
  })
  outcome?: 'unknown';

  @ApiPropertyOptional({
    type: [String],
    description:
      'With outcome `unknown`: the two routes that tell what DGII holds for the e-NCF (consulta trackIds, consulta estado), filled in when the document is known',
    example: [
      'GET /api/v1/ecf/E310000000005/track-ids?rncEmisor=131880738',
      'GET /api/v1/ecf/E310000000005/status?rncEmisor=131880738&rncComprador=130862346&securityCode=AI7Q2d',
    ],
  })
  queryRoutes?: string[];

  @ApiPropertyOptional({
    description: '502 only: the exact signed bytes that were sent (archive them; never re-serialise)',
    example:
      '<?xml version="1.0" encoding="utf-8"?><ECF>…<Signature xmlns="http://www.w3.org/2000/09/xmldsig#">…</Signature></ECF>',
  })
  signedXml?: string;

  @ApiPropertyOptional({
    description: '502 only, type 32 under RD$250,000: the signed RFCE summary that was sent (PROTOCOL §5)',
  })
  rfceSignedXml?: string;

  @ApiPropertyOptional({ description: '502 only: first 6 characters of SignatureValue', example: 'AI7Q2d' })
  securityCode?: string;

  @ApiPropertyOptional({
    description: '502 only: the e-NCF of the signed document',
    example: 'E310000000005',
  })
  encf?: string;
}

/** The stable error body of DESIGN §4. Integrators branch on `code`. */
@ApiSchema({ description: 'Every error answer: branch on `code`, never on `message`' })
export class ErrorEnvelope {
  @ApiProperty({ format: 'date-time', example: '2026-04-23T20:00:00Z' })
  timestamp!: string;

  @ApiProperty({ type: 'integer', example: 401, description: 'The HTTP status, repeated' })
  status!: number;

  @ApiProperty({ type: String, enum: Object.keys(ERROR_STATUS), example: 'SESSION_EVICTED' })
  code!: ErrorCode;

  @ApiProperty({ example: 'no active signing session — open one via POST /api/v1/sessions' })
  message!: string;

  @ApiProperty({ type: [ErrorDetailSchema], example: [] })
  details!: ErrorDetail[];

  @ApiProperty({ example: '/api/v1/acecf/issue', description: 'The request path, without the query' })
  path!: string;

  @ApiPropertyOptional({ example: 'b7c9a3d2-6c1e-4a57-9d5e-2f9a1c3b7e10' })
  requestId?: string;
}

export function makeEnvelope(
  status: number,
  code: ErrorCode,
  message: string,
  details: ErrorDetail[],
  path: string,
  requestId?: string,
): ErrorEnvelope {
  return {
    timestamp: isoSeconds(Date.now()),
    status,
    code,
    message,
    details,
    path,
    ...(requestId ? { requestId } : {}),
  };
}
