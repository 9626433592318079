import { InternalError } from '@app/common';

/**
 * A DGII infrastructure failure (502) carries what the integrator needs to avoid a duplicate:
 * the signed bytes and the security code, so it can query DGII before resending (DESIGN §1.6).
 * When a type 32 went as an RFCE summary, that summary is what DGII received, so it comes too.
 */
export function withSignedDocument(
  error: unknown,
  document: { signedXml: string; securityCode: string; encf: string; rfceSignedXml?: string },
): unknown {
  if (!(error instanceof InternalError) || error.status !== 502) return error;
  return new InternalError(
    error.message,
    [...error.details, { message: 'the signed document', ...document }],
    502,
  );
}
