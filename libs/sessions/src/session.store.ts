import { Session } from './session';

/**
 * What an eviction names: ids only, never the key or certificate, because a shared store can
 * publish no more than that to the other replicas.
 */
export interface SessionEviction {
  readonly tokenHash: string;
  readonly apiKeyId: string;
}

/**
 * What a shared store needs to rebuild the session's identity on another replica, handed to `put`
 * once at session open (issue 13 §1). The memory store ignores it; the Redis store encrypts it under
 * a key derived from the token and keeps none of it in the clear. The caller wipes `pkcs8` after put.
 */
export interface SessionSecrets {
  /** The bearer token: the record key is derived from it (HKDF). Never stored. */
  readonly token: string;
  /** The private key as PKCS#8 DER. */
  readonly pkcs8: Uint8Array;
  /** DER certificates: the leaf first, then the rest of the chain from the .p12. */
  readonly certificates: readonly Uint8Array[];
}

export type EvictionListener = (evicted: SessionEviction) => void;

/**
 * Where open sessions live (STYLE §24). A port: the in-memory adapter (default) and a shared one
 * (`RedisSessionStore`, encrypted with a key derived from the token), so every method is async. Every adapter
 * passes `describeSessionStoreContract`.
 */
export abstract class SessionStore {
  abstract put(session: Session, secrets: SessionSecrets): Promise<void>;
  /**
   * The live session for this token hash, or undefined when unknown or expired. `token` is the
   * bearer itself (its hash is `tokenHash`): a shared store decrypts the record with it.
   */
  abstract get(tokenHash: string, token: string): Promise<Session | undefined>;
  /** Ends a session; deleting one that is not there is a no-op. */
  abstract delete(tokenHash: string): Promise<void>;
  /** Sessions open now (for the gauge); a shared store may count every replica's. */
  abstract size(): Promise<number>;
  /**
   * Called whenever a session ends (closed, expired, swept) so dependent state (DGII tokens,
   * session slots) can drop it. At least once; a shared store may also report sessions this
   * process never saw, so listeners must be idempotent and tolerate unknown ids.
   */
  abstract onEvicted(listener: EvictionListener): void;
}
