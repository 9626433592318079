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
  ECF_QUERY_INVALID: {
    status: 400,
    code: 'VALIDATION_FAILED',
    summary: 'The e-NCF, an RNC, the security code or the environment is malformed',
    message: 'request validation failed: 1 problem',
    details: [
      { path: 'securityCode', message: 'securityCode must be the 6 characters of the e-CF security code' },
    ],
  },
  RNC_INVALID: {
    status: 400,
    code: 'VALIDATION_FAILED',
    summary: 'The RNC or the environment is malformed',
    message: 'request validation failed: 1 problem',
    details: [{ path: 'rnc', message: 'rnc must be 9 or 11 digits' }],
  },
  ANECF_BODY_INVALID: {
    status: 400,
    code: 'VALIDATION_FAILED',
    summary: 'A field is missing, malformed or contradicts anecf (details[] per field)',
    message: 'request validation failed: 1 problem',
    details: [
      {
        path: 'rncEmisor',
        message: '"131880738" contradicts anecf.Encabezado.RncEmisor ("101000001")',
        rule: 'flat-contradiction',
        ecfPath: 'anecf.Encabezado.RncEmisor',
      },
    ],
  },
  CERTIFICATION_BODY_INVALID: {
    status: 400,
    code: 'VALIDATION_FAILED',
    summary: 'A multipart field is missing or malformed, or environment is PRODUCTION',
    message: 'certification runs never go to production',
    details: [{ path: 'environment', message: 'must be CERTIFICATION (or TEST); PRODUCTION is refused' }],
  },
  INVALID_WORKBOOK: {
    status: 400,
    code: 'INVALID_WORKBOOK',
    summary: "The upload is not one of DGII's certification workbooks (details[] per problem)",
    message: "the workbook is not one of DGII's certification test sets: 1 problem",
    details: [
      {
        path: 'workbook.ECF',
        message: 'unknown column "NombreDelItem[1]" (column 12)',
        rule: 'unknown-column',
      },
    ],
  },
  RUN_NOT_FOUND: {
    status: 404,
    code: 'NOT_FOUND',
    summary: 'No such run for this API key and session (or it expired)',
    message: 'no certification run 0d8e6f0a-8f55-4b4e-a8a4-3b5f3c7c9a10',
  },
  BAD_REQUEST: {
    status: 400,
    code: 'BAD_REQUEST',
    summary: 'The body is not valid JSON',
    message: 'request body is not valid JSON',
  },
  SIGNATURE_INVALID: {
    status: 400,
    code: 'SIGNATURE_INVALID',
    summary: 'The signed document does not verify, or is not an e-CF',
    message: 'the signature of the document does not verify: digest mismatch on the document',
  },
  SIGNER_MISMATCH: {
    status: 400,
    code: 'SIGNER_MISMATCH',
    summary: "The document is signed by another certificate than the session's",
    message:
      'the document is signed by serial 5f3a… (CN=OTRA PERSONA,SERIALNUMBER=00100000001,C=DO), ' +
      'not by this session’s certificate, serial 1c2d… (CN=ALEX RODRIGUEZ,SERIALNUMBER=40209547971,C=DO)',
    details: [
      {
        path: 'signedXml',
        message: 'signer serial 5f3a…, subject CN=OTRA PERSONA,SERIALNUMBER=00100000001,C=DO',
      },
      { message: 'session serial 1c2d…, subject CN=ALEX RODRIGUEZ,SERIALNUMBER=40209547971,C=DO' },
    ],
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
  INBOUND_EVENT_NOT_FOUND: {
    status: 404,
    code: 'NOT_FOUND',
    summary: 'No such event for this API key (unknown, expired, dropped, or another key owns it)',
    message: 'no inbound event evt_5f0c7d9e2b1a4c3d8e6f7a9b0c1d2e3f',
  },
  INBOUND_EVENTS_QUERY_INVALID: {
    status: 400,
    code: 'VALIDATION_FAILED',
    summary: 'status or limit is malformed',
    message: 'request validation failed: 1 problem',
    details: [
      { path: 'status', message: 'status must be one of the following values: pending, delivered, failed' },
    ],
  },
  IDEMPOTENCY_CONFLICT: {
    status: 409,
    code: 'IDEMPOTENCY_CONFLICT',
    summary: 'The externalDocumentId was used with another body',
    message: 'externalDocumentId 3f0e5a0c-1b8e-4f7e-9d1e-6a2b9c4d5e6f was already used with a different body',
    details: [{ path: 'externalDocumentId', message: 'reuse it only to retry the exact same request' }],
  },
  IDEMPOTENCY_IN_PROGRESS: {
    status: 409,
    code: 'IDEMPOTENCY_IN_PROGRESS',
    summary: 'The same externalDocumentId is still running on another replica; retry after Retry-After',
    message:
      'externalDocumentId 3f0e5a0c-1b8e-4f7e-9d1e-6a2b9c4d5e6f is still being issued: retry after Retry-After seconds',
  },
  RUN_IN_PROGRESS: {
    status: 409,
    code: 'RUN_IN_PROGRESS',
    summary: 'A send run of this API key is still going',
    message:
      'certification run 0d8e6f0a-8f55-4b4e-a8a4-3b5f3c7c9a10 of this API key is still sending; wait for it to finish',
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
  RECEPTOR_TAKEN: {
    status: 409,
    code: 'RECEPTOR_TAKEN',
    summary: 'Another API key registered this RNC as a receptor',
    message: 'this RNC is registered as a receptor by another API key',
  },
  RECEPTOR_NOT_FOUND: {
    status: 404,
    code: 'NOT_FOUND',
    summary: 'No receptor is registered for this RNC under this API key',
    message: 'no receptor is registered for this RNC',
  },
  RECEPTOR_BODY_INVALID: {
    status: 400,
    code: 'VALIDATION_FAILED',
    summary: 'A field is missing or malformed (details[] per field)',
    message: 'request validation failed: 1 problem',
    details: [{ path: 'callbackUrl', message: 'callbackUrl must be an http(s) URL' }],
  },
  RECEPTOR_UNKNOWN: {
    status: 404,
    code: 'NOT_FOUND',
    summary: 'No receptor is registered for this RNC',
    message: 'no receptor at this address',
  },
  RECEPTOR_AUTH_REQUIRED: {
    status: 401,
    code: 'RECEPTOR_AUTH_REQUIRED',
    summary: 'The receptor requires a bearer from its own seed handshake (requireAuth)',
    message:
      'this receptor requires Authorization: Bearer with a token from its own /fe/autenticacion/api/validacioncertificado',
  },
  RECEPTOR_UNAVAILABLE: {
    status: 503,
    code: 'RECEPTOR_UNAVAILABLE',
    summary:
      'No live session is attached to sign the ARECF, or events cannot be held; retry after Retry-After',
    message: 'no signing session is attached to this receptor; retry later',
  },
  RECEPTOR_UPLOAD_REFUSED: {
    status: 400,
    code: 'BAD_REQUEST',
    summary: 'No xml multipart part, not well-formed, or hostile XML (DOCTYPE, depth, size, wrapping)',
    message: 'the XML is refused: DOCTYPE or other markup declarations are not allowed',
  },
  RECEPTOR_SEED_REFUSED: {
    status: 400,
    code: 'BAD_REQUEST',
    summary: 'The signed seed does not verify, or is not a live seed this receptor issued',
    message: 'La semilla no es válida o ha expirado.',
  },
  RECEPTOR_RATE_LIMITED: {
    status: 429,
    code: 'RATE_LIMITED',
    summary: 'Too many receptor requests from this source address; retry after Retry-After seconds',
    message: 'more than 50 receptor requests per second from this address',
  },
  DGII_REFUSED: {
    status: 422,
    code: 'DGII_REFUSED',
    summary: 'DGII refused the query (HTTP 400 from DGII): its text verbatim',
    message:
      'DGII refused consultaTrackIds: El RNC del certificado no está delegado para realizar transacciones para el RNC: 131880738',
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
  STORE_UNAVAILABLE: {
    status: 503,
    code: 'STORE_UNAVAILABLE',
    summary: 'The shared store (Redis) is unreachable or slow; retry after Retry-After seconds',
    message: 'the session store is unavailable: retry shortly',
  },
  DGII_SUBMISSION_FAILED: {
    status: 502,
    code: 'INTERNAL_ERROR',
    summary: 'DGII failed (5xx, timeout, unreachable); the signed document is in details',
    message: 'DGII submission failed: DGII recepcion answered HTTP 503',
    details: [
      {
        outcome: 'unknown',
        message:
          'DGII may have received this document; query its status before resending: ' +
          'GET /api/v1/ecf/{eNCF}/track-ids?rncEmisor={rncEmisor} lists every submission DGII holds for the e-NCF, ' +
          'GET /api/v1/ecf/{eNCF}/status?rncEmisor={rncEmisor}&rncComprador={rncComprador}&securityCode={securityCode} says whether it is valid',
        queryRoutes: [
          'GET /api/v1/ecf/E310000000005/track-ids?rncEmisor=131880738',
          'GET /api/v1/ecf/E310000000005/status?rncEmisor=131880738&rncComprador=130862346&securityCode=AI7Q2d',
        ],
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
  ANECF_SUBMISSION_FAILED: {
    status: 502,
    code: 'INTERNAL_ERROR',
    summary: 'DGII failed (5xx, timeout, unreachable); the signed ANECF is in details',
    message: 'DGII submission failed: DGII anulacionRangos answered HTTP 503',
    details: [
      {
        outcome: 'unknown',
        message:
          'DGII may have cancelled these ranges; sending the same ANECF again is safe: DGII refuses ranges ' +
          'already cancelled ("Las secuencias que está intentando anular han sido utilizadas")',
      },
      {
        message: 'the signed document',
        signedXml: '<?xml version="1.0" encoding="utf-8"?><ANECF>…<Signature>…</Signature></ANECF>',
        securityCode: 'Qm9xY3',
        encf: 'E310000000050',
      },
    ],
  },
  DGII_STATUS_FAILED: {
    status: 502,
    code: 'INTERNAL_ERROR',
    summary: "DGII's status API failed (5xx, timeout, unreachable, key refused)",
    message:
      'DGII status query failed: DGII refused the status API key (HTTP 401); check DGII_STATUS_API_KEY',
  },
  NOT_CONFIGURED: {
    status: 503,
    code: 'NOT_CONFIGURED',
    summary: 'DGII_STATUS_API_KEY is not set: the message says what to set',
    message:
      'DGII service status is not configured: set DGII_STATUS_API_KEY to the API key DGII issues on request ' +
      '(sent as "Authorization: Apikey {key}" to DGII_STATUS_BASE_URL)',
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
  // SESSION_STORE=redis: the limiter and the session store are in Redis (issue 13 §3).
  'STORE_UNAVAILABLE',
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
