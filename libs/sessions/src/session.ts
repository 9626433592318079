import { isoSeconds } from '@app/common';
import type { SigningIdentity } from '@app/signing';

/**
 * An open signing session. It has a signing identity (the unlocked key as a non-extractable
 * WebCrypto key, its certificate and facts); the .p12 bytes, the password and the raw bearer
 * token are never kept (DESIGN §1.1).
 */
export interface Session {
  /** SHA-256 of the bearer token; the store's key. */
  readonly tokenHash: string;
  /** Which integrator account (API key) opened it; other keys cannot see it (DESIGN §1.3). */
  readonly apiKeyId: string;
  /**
   * What DGII tokens are cached under: this session under its API key, so nothing is shared
   * across either (DESIGN §1.3). Opaque to the gateway; see `dgiiCacheKeyOf`.
   */
  readonly cacheKey: string;
  readonly identity: SigningIdentity;
  readonly openedAt: number;
  readonly expiresAt: number;
}

/** The DGII token cache key of a session: its API key and token hash. */
export function dgiiCacheKeyOf(apiKeyId: string, tokenHash: string): string {
  return `${apiKeyId}\u0000${tokenHash}`;
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
    signerCedula: session.identity.signerCedula,
    subjectDn: session.identity.subjectDn,
    certExpiresAt: isoSeconds(session.identity.notAfter),
    expiresAt: isoSeconds(session.expiresAt),
  };
}
