/** One entry of the envelope's `details[]`: a JSON path and what is wrong there. */
export interface ErrorDetail {
  path?: string;
  message: string;
  rule?: string;
  [extra: string]: unknown;
}

/**
 * Every failure the API reports is a DomainError with a stable code (DESIGN §4).
 * Services never throw HttpException; the global filter maps `code` to an HTTP status.
 */
export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode;

  constructor(
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The stable codes of DESIGN §4 and the HTTP status each maps to. Never renamed. */
export const ERROR_STATUS = {
  SESSION_EVICTED: 401,
  INVALID_PASSWORD: 401,
  MALFORMED_P12: 401,
  INVALID_API_KEY: 401,
  CERTIFICATE_EXPIRED: 401,
  RECEPTOR_AUTH_REQUIRED: 401,
  VALIDATION_FAILED: 400,
  BAD_REQUEST: 400,
  SIGNATURE_INVALID: 400,
  SIGNER_MISMATCH: 400,
  NOT_FOUND: 404,
  IDEMPOTENCY_CONFLICT: 409,
  RECEPTOR_TAKEN: 409,
  IDEMPOTENCY_IN_PROGRESS: 409,
  INVALID_WORKBOOK: 400,
  RUN_IN_PROGRESS: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  XML_BUILD_FAILED: 422,
  DGII_REFUSED: 422,
  RI_DOCUMENT_INVALID: 422,
  RATE_LIMITED: 429,
  SIGNING_FAILED: 500,
  RECEPTOR_UNAVAILABLE: 503,
  INTERNAL_ERROR: 500,
  NOT_CONFIGURED: 503,
  STORE_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const SESSION_EVICTED_MESSAGE = 'no active signing session — open one via POST /api/v1/sessions';

export class SessionEvictedError extends DomainError {
  readonly code = 'SESSION_EVICTED';
  /** Only a missing or malformed header gets its own message; every other case keeps the standard one (DESIGN §1.3). */
  constructor(message = SESSION_EVICTED_MESSAGE) {
    super(message);
  }
}

export class InvalidPasswordError extends DomainError {
  readonly code = 'INVALID_PASSWORD';
  constructor(message = 'the password does not unlock this PKCS#12 keystore') {
    super(message);
  }
}

export class MalformedP12Error extends DomainError {
  readonly code = 'MALFORMED_P12';
}

export class CertificateExpiredError extends DomainError {
  readonly code = 'CERTIFICATE_EXPIRED';
}

export class InvalidApiKeyError extends DomainError {
  readonly code = 'INVALID_API_KEY';
  constructor() {
    super('missing or unknown X-Api-Key');
  }
}

export class ValidationFailedError extends DomainError {
  readonly code = 'VALIDATION_FAILED';
}

export class BadRequestError extends DomainError {
  readonly code = 'BAD_REQUEST';
}

/** A document signed elsewhere (`/ecf/submit`) whose signature does not verify (PROTOCOL §3.1). */
export class SignatureInvalidError extends DomainError {
  readonly code = 'SIGNATURE_INVALID';
}

/** A document signed earlier by another certificate than the session's (issue 11 §2). */
export class SignerMismatchError extends DomainError {
  readonly code = 'SIGNER_MISMATCH';
}

/** An uploaded certification workbook that is not one of DGII's test sets (PROTOCOL §10). */
export class InvalidWorkbookError extends DomainError {
  readonly code = 'INVALID_WORKBOOK';
}

export class NotFoundError extends DomainError {
  readonly code = 'NOT_FOUND';
}

export class IdempotencyConflictError extends DomainError {
  readonly code = 'IDEMPOTENCY_CONFLICT';
}

/** The RNC is already registered as a receptor by another API key (PROTOCOL §8, issue 10 §1). */
export class ReceptorTakenError extends DomainError {
  readonly code = 'RECEPTOR_TAKEN';
  constructor() {
    super('this RNC is registered as a receptor by another API key');
  }
}

/** A receptor route that requires auth got no live receptor token of this RNC (PROTOCOL §8.1). */
export class ReceptorAuthRequiredError extends DomainError {
  readonly code = 'RECEPTOR_AUTH_REQUIRED';
  constructor() {
    super(
      'this receptor requires Authorization: Bearer with a token from its own /fe/autenticacion/api/validacioncertificado',
    );
  }

  headers(): Record<string, string> {
    return { 'WWW-Authenticate': 'Bearer' };
  }
}

/**
 * The receptor cannot answer now: no live signing session is attached to sign the ARECF, or
 * received documents cannot be held. Never an unsigned or fake acknowledgement (PROTOCOL §8.2).
 */
export class ReceptorUnavailableError extends DomainError {
  readonly code = 'RECEPTOR_UNAVAILABLE';
  constructor(
    message: string,
    readonly retryAfterSeconds = 60,
  ) {
    super(message);
  }

  headers(): Record<string, string> {
    return retryAfterHeader(this.retryAfterSeconds);
  }
}

/** Seconds a client should wait, as the Retry-After header (RFC 9110 §10.2.3): at least 1. */
function retryAfterHeader(seconds: number): Record<string, string> {
  return { 'Retry-After': String(Math.max(1, Math.ceil(seconds))) };
}

/**
 * The same externalDocumentId with the same body is still running on another replica and did not
 * finish within IDEMPOTENCY_WAIT_MS; retrying after Retry-After replays its result.
 */
export class IdempotencyInProgressError extends DomainError {
  readonly code = 'IDEMPOTENCY_IN_PROGRESS';
  constructor(
    message: string,
    readonly retryAfterSeconds = 1,
  ) {
    super(message);
  }

  headers(): Record<string, string> {
    return retryAfterHeader(this.retryAfterSeconds);
  }
}

/**
 * The shared store (Redis) did not answer within REDIS_COMMAND_TIMEOUT_MS or is unreachable. The
 * service never falls back to its memory silently (issue 13 §3): the client retries.
 */
export class StoreUnavailableError extends DomainError {
  readonly code = 'STORE_UNAVAILABLE';
  constructor(message = 'the session store is unavailable: retry shortly') {
    super(message);
  }

  headers(): Record<string, string> {
    return retryAfterHeader(1);
  }
}

/** A certification send run of this API key is still going: a second would send the same e-NCFs twice. */
export class RunInProgressError extends DomainError {
  readonly code = 'RUN_IN_PROGRESS';
}

export class PayloadTooLargeError extends DomainError {
  readonly code = 'PAYLOAD_TOO_LARGE';
}

/** A JSON route got a body that is not `application/json` (or `+json`) in UTF-8. */
export class UnsupportedMediaTypeError extends DomainError {
  readonly code = 'UNSUPPORTED_MEDIA_TYPE';
}

export class XmlBuildFailedError extends DomainError {
  readonly code = 'XML_BUILD_FAILED';
}

/**
 * DGII answered a query (consulta trackIds, directorio, estado) with a refusal of its own
 * (HTTP 400: caller not delegated for the RNC, malformed parameters): DGII's words, not a failure.
 */
export class DgiiRefusedError extends DomainError {
  readonly code = 'DGII_REFUSED';
}

/** A feature needs configuration this deployment lacks; the message names the variable, never a value. */
export class NotConfiguredError extends DomainError {
  readonly code = 'NOT_CONFIGURED';
}

/** A printed representation was asked for a document that is not a verified, signed e-CF (issue 12 §1). */
export class RiDocumentInvalidError extends DomainError {
  readonly code = 'RI_DOCUMENT_INVALID';
}

/** What a 429 tells the client about the limit it hit; all in whole units. */
export interface RateLimitInfo {
  /** Seconds until a retry can succeed (Retry-After, RFC 9110 §10.2.3). */
  retryAfterSeconds: number;
  /** For rate quotas: the quota and what is left of it (IETF draft RateLimit header fields). */
  quota?: { limit: number; remaining: number; resetSeconds: number };
}

export class RateLimitedError extends DomainError {
  readonly code = 'RATE_LIMITED';
  constructor(
    message: string,
    readonly limit: RateLimitInfo,
  ) {
    super(message);
  }

  /** The response headers the global filter sends with the envelope. */
  headers(): Record<string, string> {
    const retryAfter = String(Math.max(1, Math.ceil(this.limit.retryAfterSeconds)));
    const quota = this.limit.quota;
    if (!quota) return { 'Retry-After': retryAfter };
    return {
      'Retry-After': retryAfter,
      'RateLimit-Limit': String(quota.limit),
      'RateLimit-Remaining': String(Math.max(0, quota.remaining)),
      'RateLimit-Reset': String(Math.max(1, Math.ceil(quota.resetSeconds))),
    };
  }
}

export class SigningFailedError extends DomainError {
  readonly code = 'SIGNING_FAILED';
}

/** 500 for our own faults; the gateway uses status 502 for DGII infrastructure failures. */
export class InternalError extends DomainError {
  readonly code = 'INTERNAL_ERROR';
  constructor(
    message: string,
    details: ErrorDetail[] = [],
    readonly status: 500 | 502 = 500,
  ) {
    super(message, details);
  }
}
