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
  VALIDATION_FAILED: 400,
  BAD_REQUEST: 400,
  NOT_FOUND: 404,
  IDEMPOTENCY_CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  XML_BUILD_FAILED: 422,
  RI_DOCUMENT_INVALID: 422,
  RATE_LIMITED: 429,
  SIGNING_FAILED: 500,
  INTERNAL_ERROR: 500,
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

export class NotFoundError extends DomainError {
  readonly code = 'NOT_FOUND';
}

export class IdempotencyConflictError extends DomainError {
  readonly code = 'IDEMPOTENCY_CONFLICT';
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
