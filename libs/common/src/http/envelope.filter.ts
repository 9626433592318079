import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import {
  DomainError,
  ERROR_STATUS,
  ErrorCode,
  IdempotencyInProgressError,
  InternalError,
  RateLimitedError,
  ReceptorAuthRequiredError,
  ReceptorUnavailableError,
  StoreUnavailableError,
} from '../errors/domain-error';
import { makeEnvelope } from './error-envelope';

interface Mapped {
  status: number;
  code: ErrorCode;
  message: string;
  details: DomainError['details'];
}

/** Errors raised by body-parser before any handler runs carry a `type`. */
interface BodyParserError {
  type?: string;
  status?: number;
}

const HTTP_CODES: Record<number, ErrorCode> = {
  400: 'BAD_REQUEST',
  401: 'INVALID_API_KEY',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
};

const ABORT_CODES = new Set(['ECONNRESET', 'ECONNABORTED']);

/**
 * The client closed its connection before its request was complete: body-parser says
 * `request.aborted`; another body reader may pass on node's own `aborted`/ECONNRESET, which
 * counts only when the request stream really was cut (an outbound DGII reset is not this).
 */
export function isClientAbort(
  error: unknown,
  req: { readableAborted?: boolean; destroyed?: boolean },
): boolean {
  const e = error as { type?: unknown; code?: unknown; message?: unknown } | null;
  if (e?.type === 'request.aborted') return true;
  const abortLike = ABORT_CODES.has(String(e?.code)) || e?.message === 'aborted';
  return abortLike && (req.readableAborted === true || req.destroyed === true);
}

/**
 * Maps any error to a status and a stable code. Domain errors carry their code; framework
 * errors are translated; anything else is an INTERNAL_ERROR whose internals stay in the log.
 */
export function mapError(error: unknown): Mapped | undefined {
  if (error instanceof DomainError) {
    const status = error instanceof InternalError ? error.status : ERROR_STATUS[error.code];
    return { status, code: error.code, message: error.message, details: error.details };
  }
  const parserType = (error as BodyParserError | null)?.type;
  if (parserType === 'entity.too.large') {
    return {
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
      message: 'request body is larger than allowed',
      details: [],
    };
  }
  if (parserType === 'entity.parse.failed') {
    // Fixed text: body-parser's own message quotes the body (it may hold a password).
    return { status: 400, code: 'BAD_REQUEST', message: 'request body is not valid JSON', details: [] };
  }
  if (parserType === 'charset.unsupported' || parserType === 'encoding.unsupported') {
    return {
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: 'unsupported request body charset or Content-Encoding',
      details: [],
    };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const code = HTTP_CODES[status];
    if (code) {
      const message = status === 404 ? 'no such route' : error.message;
      return { status, code, message, details: [] };
    }
  }
  return undefined;
}

@Catch()
export class EnvelopeFilter implements ExceptionFilter {
  private readonly logger = new Logger('EnvelopeFilter');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request & { id?: string }>();
    const res = http.getResponse<Response>();
    const mapped = mapError(error);
    const requestId = typeof req.id === 'string' ? req.id : undefined;
    if (isClientAbort(error, req)) {
      // Nobody is left to answer, and nothing failed on our side: info, no stack.
      this.logger.log({ path: req.path, requestId }, 'client went away before sending its whole request');
      if (!res.headersSent && !res.destroyed) res.destroy();
      return;
    }
    if (!mapped) {
      // Unknown: log the stack (never the request body), answer without internals.
      this.logger.error({ err: error, path: req.path, requestId }, 'unhandled error');
    }
    const { status, code, message, details } = mapped ?? {
      status: 500,
      code: 'INTERNAL_ERROR' as const,
      message: 'internal error — quote the timestamp and path to support',
      details: [],
    };
    if (res.headersSent) return;
    if (
      error instanceof RateLimitedError ||
      error instanceof ReceptorUnavailableError ||
      error instanceof ReceptorAuthRequiredError ||
      error instanceof StoreUnavailableError ||
      error instanceof IdempotencyInProgressError
    ) {
      res.set(error.headers());
    }
    res
      .status(status)
      .json(
        makeEnvelope(status, code, message, details, req.originalUrl?.split('?')[0] ?? req.path, requestId),
      );
  }
}
