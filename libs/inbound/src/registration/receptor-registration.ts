/**
 * A receptor's configuration (issue 10 §1): where its events go and how DGII-side callers must
 * authenticate. Configuration, not keys: it survives the session that created it. The signing
 * identity is never part of it (see ReceptorSigners).
 */
export interface ReceptorRegistration {
  /** The receptor's RNC (9 or 11 digits): `{rnc}.{INBOUND_HOST_SUFFIX}` and `/receptor/{rnc}`. */
  readonly rnc: string;
  /** The integrator account that owns it; another key gets 409 RECEPTOR_TAKEN. */
  readonly apiKeyId: string;
  readonly callbackUrl: string;
  /** PROTOCOL §8.1: the document routes need a receptor bearer from the seed handshake. */
  readonly requireAuth: boolean;
  /**
   * `whsec_` + base64 of 32 random bytes: the Standard Webhooks signing key of this receptor's
   * callbacks. A credential: never logged, returned only on create and rotate.
   */
  readonly callbackSecret: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}
