import { Session } from './session';

export type EvictionListener = (session: Session) => void;

/**
 * Where open sessions live. A port: the in-memory adapter now; a Redis adapter (encrypted with
 * a key derived from the token) is phase 5.
 */
export abstract class SessionStore {
  abstract put(session: Session): void;
  /** The live session for this token hash, or undefined when unknown or expired. */
  abstract get(tokenHash: string): Session | undefined;
  abstract delete(tokenHash: string): void;
  abstract size(): number;
  /** Called whenever a session ends (closed, expired, swept) so dependent caches can drop it. */
  abstract onEvicted(listener: EvictionListener): void;
}
