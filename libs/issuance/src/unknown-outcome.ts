import { InternalError } from '@app/common';
import type { DgiiEnvironment } from '@app/config';
import type { EcfIssueResult } from './issue-result';
import type { verdictFields } from './issue-result';

/** What every issue result carries before DGII is asked. */
export type EcfBase = Omit<
  EcfIssueResult,
  keyof ReturnType<typeof verdictFields> | 'trackId' | 'submittedAt'
>;

/**
 * A submission that ended without a verdict: what was signed and sent, so the retry with the same
 * externalDocumentId can ask DGII about that very document and, if DGII has none, send the same
 * bytes again (issue 11 §3). Plain data: the idempotency store keeps it.
 */
export interface UnknownAttempt {
  environment: DgiiEnvironment;
  base: EcfBase;
  rncEmisor: string;
  submittedAt: string;
  /** Set when the document went as its RFCE summary (type 32 < RD$250,000). */
  rfceXml?: string;
}

/** Where `send` leaves the attempt when its outcome is unknown. */
export interface AttemptSink {
  attempt?: UnknownAttempt;
}

/** A 502 whose details say DGII may have received the document (DgiiGateway contract). */
export function outcomeUnknown(error: unknown): boolean {
  return (
    error instanceof InternalError &&
    error.status === 502 &&
    error.details.some((d) => (d as { outcome?: unknown }).outcome === 'unknown')
  );
}

export function isUnknownAttempt(value: unknown): value is UnknownAttempt {
  const v = value as Partial<UnknownAttempt> | undefined;
  return typeof v === 'object' && v !== null && typeof v.base === 'object' && typeof v.rncEmisor === 'string';
}
