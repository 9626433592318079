import { Session } from './session';

/**
 * What an eviction names: ids only, never the key or certificate, because a shared store can
 * publish no more than that to the other replicas.
 */
export interface SessionEviction {
  readonly tokenHash: string;
  readonly apiKeyId: string;
}

export type EvictionListener = (evicted: SessionEviction) => void;

/**
 * Where open sessions live (STYLE §24). A port: the in-memory adapter now; a shared adapter (Redis,
 * encrypted with a key derived from the token) later, so every method is async. Every adapter
 * passes `describeSessionStoreContract`.
 */
export abstract class SessionStore {
  abstract put(session: Session): Promise<void>;
  /** The live session for this token hash, or undefined when unknown or expired. */
  abstract get(tokenHash: string): Promise<Session | undefined>;
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
