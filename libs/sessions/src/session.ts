import type { webcrypto, X509Certificate } from 'node:crypto';
import { isoSeconds } from '@app/common';

/**
 * An open signing session. Holds the unlocked key as a non-extractable WebCrypto key; the
 * .p12 bytes, the password and the raw bearer token are never kept (DESIGN §1.1).
 */
export interface Session {
  /** SHA-256 of the bearer token; the store's key. */
  readonly tokenHash: string;
  /** Which integrator account (API key) opened it; other keys cannot see it (DESIGN §1.3). */
  readonly apiKeyId: string;
  readonly signingKey: webcrypto.CryptoKey;
  readonly keyType: string;
  readonly certificate: X509Certificate;
  readonly signerCedula: string;
  readonly subjectDn: string;
  readonly certExpiresAt: number;
  readonly openedAt: number;
  readonly expiresAt: number;
}

/** The facts of a session that may be shown back to its owner. */
export interface SessionView {
  signerCedula: string;
  subjectDn: string;
  certExpiresAt: string;
  expiresAt: string;
}

export function viewOf(session: Session): SessionView {
  return {
    signerCedula: session.signerCedula,
    subjectDn: session.subjectDn,
    certExpiresAt: isoSeconds(session.certExpiresAt),
    expiresAt: isoSeconds(session.expiresAt),
  };
}
