import { applyDecorators, Type } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ERROR_STATUS, type ErrorDetail } from '../errors/domain-error';
import { ErrorEnvelope } from './error-envelope';

interface ErrorExample {
  readonly status: number;
  readonly code: string;
  /** One line for the example list of Swagger UI and Redoc. */
  readonly summary: string;
  readonly message: string;
  readonly details?: readonly ErrorDetail[];
}

const SIGNED_XML = '<?xml version="1.0" encoding="utf-8"?><ECF>…<Signature>…</Signature></ECF>';

/**
 * One real answer per error a route can give, as the code writes it (messages copied from the
 * throwing sites), so a generated client and a reader of Swagger see what actually comes back.
 * The key is the example's name in the document.
 */
export const ERROR_EXAMPLES = {
  VALIDATION_FAILED: {
    status: 400,
    code: 'VALIDATION_FAILED',
    summary: 'A field is missing or malformed (details[] per field)',
    message: 'request validation failed: 2 problems',
    details: [
      {
        path: 'lines[0].quantity',
        message: 'quantity must be a number conforming to the specified constraints',
      },
      {
        path: 'lines[0].lineTotal',
        message: '1000 contradicts ecf.DetallesItems.Item[0].MontoItem (900)',
        rule: 'flat-contradiction',
        ecfPath: 'ecf.DetallesItems.Item[0].MontoItem',
      },
    ],
  },
  SESSION_BODY_INVALID: {
    status: 400,
    code: 'VALIDATION_FAILED',
    summary: 'A field is missing or malformed (details[] per field)',
    message: 'request validation failed: 1 problem',
    details: [{ path: 'password', message: 'password must be a string' }],
  },
  ACECF_BODY_INVALID: {
    status: 400,
    code: 'VALIDATION_FAILED',
    summary: 'A field is missing or malformed (details[] per field)',
    message: 'request validation failed: 1 problem',
    details: [{ path: 'eNCF', message: 'eNCF must be E followed by 12 digits' }],
  },
  RI_BODY_INVALID: {
    status: 400,
    code: 'VALIDATION_FAILED',
    summary: 'A field is missing or malformed (details[] per field)',
    message: 'request validation failed: 1 problem',
    details: [{ path: 'format', message: 'format must be one of the following values: letter, a4, 80mm' }],
  },
  TRACK_ID_INVALID: {
    status: 400,
    code: 'VALIDATION_FAILED',
    summary: 'The trackId or environment is malformed',
    message: 'request validation failed: 1 problem',
    details: [{ path: 'trackId', message: 'trackId must be DGII trackId (letters, digits, dashes)' }],
  },
  BAD_REQUEST: {
    status: 400,
    code: 'BAD_REQUEST',
    summary: 'The body is not valid JSON',
    message: 'request body is not valid JSON',
  },
  INVALID_API_KEY: {
    status: 401,
    code: 'INVALID_API_KEY',
    summary: 'X-Api-Key missing or unknown',
    message: 'missing or unknown X-Api-Key',
  },
  SESSION_EVICTED: {
    status: 401,
    code: 'SESSION_EVICTED',
    summary: 'No bearer, or its session expired or was closed',
    message: 'no active signing session — open one via POST /api/v1/sessions',
  },
  INVALID_PASSWORD: {
    status: 401,
    code: 'INVALID_PASSWORD',
    summary: 'The password does not unlock the .p12',
    message: 'the password does not unlock this PKCS#12 keystore',
  },
  MALFORMED_P12: {
    status: 401,
    code: 'MALFORMED_P12',
    summary: 'The certificate is not a usable PKCS#12 keystore',
    message: 'the certificate did not decode into a PKCS#12 keystore',
  },
  CERTIFICATE_EXPIRED: {
    status: 401,
    code: 'CERTIFICATE_EXPIRED',
    summary: 'The signing certificate is expired or not yet valid',
    message: 'the signing certificate expired at 2026-01-31T23:59:59Z',
  },
  NOT_FOUND: {
    status: 404,
    code: 'NOT_FOUND',
    summary: 'The route is switched off here (ECF_STATELESS_ISSUE_ENABLED=false)',
    message: 'no such route',
  },
  IDEMPOTENCY_CONFLICT: {
    status: 409,
    code: 'IDEMPOTENCY_CONFLICT',
    summary: 'The externalDocumentId was used with another body',
    message: 'externalDocumentId 3f0e5a0c-1b8e-4f7e-9d1e-6a2b9c4d5e6f was already used with a different body',
    details: [{ path: 'externalDocumentId', message: 'reuse it only to retry the exact same request' }],
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
    summary: 'The body is larger than BODY_LIMIT_BYTES',
    message: 'request body is larger than allowed',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    summary: 'The body is not sent as application/json',
    message: 'the request body must be application/json (UTF-8)',
  },
  RI_DOCUMENT_INVALID: {
    status: 422,
    code: 'RI_DOCUMENT_INVALID',
    summary: 'The signedXml is not a signed e-CF whose signature verifies (the message says why)',
    message: 'the signature does not verify: SignatureValue does not verify with the KeyInfo certificate',
  },
  XML_BUILD_FAILED: {
    status: 422,
    code: 'XML_BUILD_FAILED',
    summary: 'The XSD or a business rule refuses the document (details[] per rule)',
    message: 'the e-CF 44 cannot be built: 2 violations',
    details: [
      {
        path: 'ecf.Encabezado.Comprador.RazonSocialComprador',
        message: 'must be at most 150 characters (has 163)',
        rule: 'xsd:maxLength',
      },
      {
        path: 'ecf.DetallesItems.Item[0].IndicadorFacturacion',
        message: 'must be 4 in e-CF 44',
        rule: 'indicador-facturacion-tipo',
      },
    ],
  },
  RATE_LIMITED: {
    status: 429,
    code: 'RATE_LIMITED',
    summary: 'A per-API-key limit is reached; retry after Retry-After seconds',
    message: 'rate limit reached for this API key: retry after 1 s',
  },
  SIGNING_FAILED: {
    status: 500,
    code: 'SIGNING_FAILED',
    summary: 'The session key cannot sign',
    message: 'RSA key of 1024 bits; at least 2048 are required',
  },
  INTERNAL_ERROR: {
    status: 500,
    code: 'INTERNAL_ERROR',
    summary: 'Our fault: quote timestamp, path and requestId to support',
    message: 'internal error — quote the timestamp and path to support',
  },
  DGII_SUBMISSION_FAILED: {
    status: 502,
    code: 'INTERNAL_ERROR',
    summary: 'DGII failed (5xx, timeout, unreachable); the signed document is in details',
    message: 'DGII submission failed: DGII recepcion answered HTTP 503',
    details: [
      {
        outcome: 'unknown',
        message: 'DGII may have received this document; query its status before resending',
      },
      {
        message: 'the signed document',
        signedXml: SIGNED_XML,
        securityCode: 'AI7Q2d',
        encf: 'E310000000005',
      },
    ],
  },
  DGII_QUERY_FAILED: {
    status: 502,
    code: 'INTERNAL_ERROR',
    summary: 'DGII failed (5xx, timeout, unreachable); nothing was sent for a document',
    message: 'DGII submission failed: DGII consultaResultado answered HTTP 503',
  },
} as const satisfies Record<string, ErrorExample>;

export type DocumentedError = keyof typeof ERROR_EXAMPLES;

/** Sent with every 429 (issue 7 §2): seconds to wait, and the IETF RateLimit-* fields. */
const RATE_LIMIT_HEADERS = {
  'Retry-After': {
    description: 'Seconds to wait before retrying',
    schema: { type: 'integer', minimum: 0, example: 1 },
  },
  'RateLimit-Limit': {
    description: 'Requests allowed in the current window for this API key',
    schema: { type: 'integer', example: 50 },
  },
  'RateLimit-Remaining': {
    description: 'Requests left in the current window',
    schema: { type: 'integer', example: 0 },
  },
  'RateLimit-Reset': {
    description: 'Seconds until the window resets',
    schema: { type: 'integer', example: 1 },
  },
} as const;

/** A non-envelope body a route also answers with at an error status: DGII's Rechazado at 400 (DESIGN §3). */
export interface AlternativeBody {
  readonly status: number;
  readonly type: Type<unknown>;
  readonly description: string;
  readonly examples: Readonly<Record<string, { summary: string; value: unknown }>>;
}

/** The envelope the filter writes for an example; `path` is set to the route's by buildOpenApi. */
export function exampleEnvelope(name: DocumentedError): ErrorEnvelope {
  const e: ErrorExample = ERROR_EXAMPLES[name];
  return {
    timestamp: '2026-04-23T20:00:00Z',
    status: e.status,
    code: e.code as ErrorEnvelope['code'],
    message: e.message,
    details: [...(e.details ?? [])],
    path: '/api/v1/ecf/issue',
    requestId: 'b7c9a3d2-6c1e-4a57-9d5e-2f9a1c3b7e10',
  };
}

/**
 * Documents every error a route can return (STYLE §21): one response per status, holding a
 * named example per code, so the document never shows one status's code under another.
 * `alternatives` adds a second body at a status: the schema becomes a `oneOf`.
 */
export function ApiErrors(
  errors: readonly DocumentedError[],
  alternatives: readonly AlternativeBody[] = [],
): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, DocumentedError[]>();
  for (const name of errors) {
    const { status, code } = ERROR_EXAMPLES[name];
    if (status !== 502 && (ERROR_STATUS as Record<string, number>)[code] !== status) {
      throw new Error(`error example ${name}: ${code} is not a ${status}`);
    }
    byStatus.set(status, [...(byStatus.get(status) ?? []), name]);
  }
  const decorators = [...byStatus].map(([status, names]) => {
    const alternative = alternatives.find((a) => a.status === status);
    const envelopeRef = { $ref: getSchemaPath(ErrorEnvelope) };
    const codes = names.map((n) => `${ERROR_EXAMPLES[n].code}: ${ERROR_EXAMPLES[n].summary}`).join('; ');
    const errorExamples = Object.fromEntries(
      names.map((n) => [n, { summary: ERROR_EXAMPLES[n].summary, value: exampleEnvelope(n) }]),
    );
    return ApiResponse({
      status,
      description: alternative ? `${alternative.description}. Or the error envelope: ${codes}` : codes,
      schema: alternative ? { oneOf: [{ $ref: getSchemaPath(alternative.type) }, envelopeRef] } : envelopeRef,
      examples: { ...alternative?.examples, ...errorExamples },
      ...(status === 429 ? { headers: RATE_LIMIT_HEADERS } : {}),
    });
  });
  return applyDecorators(ApiExtraModels(ErrorEnvelope, ...alternatives.map((a) => a.type)), ...decorators);
}

/** What every /api/v1 route can answer before its handler runs: the API key guard and the limiter. */
export const API_KEY_ERRORS = [
  'INVALID_API_KEY',
  'RATE_LIMITED',
  'INTERNAL_ERROR',
] as const satisfies readonly DocumentedError[];

/** Routes behind the session bearer as well. */
export const SESSION_ERRORS = [
  ...API_KEY_ERRORS,
  'SESSION_EVICTED',
] as const satisfies readonly DocumentedError[];

/** Routes with a JSON body: the body parser (each route adds its own VALIDATION_FAILED example). */
export const JSON_BODY_ERRORS = [
  'BAD_REQUEST',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
] as const satisfies readonly DocumentedError[];
