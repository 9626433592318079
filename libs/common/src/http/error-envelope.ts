import { ApiProperty } from '@nestjs/swagger';
import { isoSeconds } from '../time/iso-seconds';
import { ERROR_STATUS, ErrorCode, ErrorDetail } from '../errors/domain-error';

/** The stable error body of DESIGN §4. Integrators branch on `code`. */
export class ErrorEnvelope {
  @ApiProperty({ example: '2026-04-23T20:00:00Z' })
  timestamp!: string;

  @ApiProperty({ example: 401 })
  status!: number;

  @ApiProperty({ type: String, enum: Object.keys(ERROR_STATUS), example: 'SESSION_EVICTED' })
  code!: ErrorCode;

  @ApiProperty({ example: 'no active signing session — open one via POST /api/v1/sessions' })
  message!: string;

  @ApiProperty({
    type: 'array',
    items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } },
    example: [],
  })
  details!: ErrorDetail[];

  @ApiProperty({ example: '/api/v1/acecf/issue' })
  path!: string;

  @ApiProperty({ required: false, example: 'b7c9a3d2-6c1e-4a57-9d5e-2f9a1c3b7e10' })
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
