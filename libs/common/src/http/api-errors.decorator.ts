import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorEnvelope } from './error-envelope';

const DESCRIPTIONS: Record<number, string> = {
  400: 'VALIDATION_FAILED (details[] per field with its JSON path) or BAD_REQUEST (malformed JSON, not UTF-8, nested too deep, a duplicate key)',
  401: 'INVALID_API_KEY, SESSION_EVICTED, INVALID_PASSWORD, MALFORMED_P12 or CERTIFICATE_EXPIRED',
  404: 'NOT_FOUND',
  409: 'IDEMPOTENCY_CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE: the body is not application/json (or +json) in UTF-8',
  422: 'XML_BUILD_FAILED: a business rule or the DGII schema refused the document (details[] per rule)',
  429: 'RATE_LIMITED',
  500: 'INTERNAL_ERROR or SIGNING_FAILED',
  502: 'INTERNAL_ERROR: DGII submission failed (5xx, timeout or unreachable)',
};

/** Documents the error envelope for each status a route can return (STYLE §21). */
export function ApiErrors(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, description: DESCRIPTIONS[status], type: ErrorEnvelope }),
    ),
  );
}
