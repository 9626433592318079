import { Injectable } from '@nestjs/common';
import type { DgiiEnvironment } from '@app/config';

/** A DGII bearer token and when it stops being usable, on our clock. */
export interface StoredDgiiToken {
  token: string;
  expiresAt: number;
}

/**
 * Where DGII tokens live, per opaque cache key (one per session) and environment (STYLE §24). A port:
 * the memory adapter, on every replica also with SESSION_STORE=redis (issue 13: a DGII token never
 * goes to Redis; each replica a session lands on gets its own, docs/operations.md). Storage
 * only: single flight and refresh timing stay in DgiiTokenCache. A token may be dropped once past
 * `expiresAt`. Every adapter passes `describeDgiiTokenStoreContract`.
 */
export abstract class DgiiTokenStore {
  abstract get(cacheKey: string, environment: DgiiEnvironment): Promise<StoredDgiiToken | undefined>;
  abstract put(cacheKey: string, environment: DgiiEnvironment, token: StoredDgiiToken): Promise<void>;
  /**
   * Drops the token of (cacheKey, environment); with `ifToken`, only while that is still the stored
   * token (compare-and-delete, so a refused token never removes the one that replaced it).
   */
  abstract delete(cacheKey: string, environment: DgiiEnvironment, ifToken?: string): Promise<void>;
  /** Drops every token of a cache key (its session ended). */
  abstract forget(cacheKey: string): Promise<void>;
}

/** Process memory (the default): tokens go with their session, so no sweep is needed. */
@Injectable()
export class MemoryDgiiTokenStore extends DgiiTokenStore {
  private readonly byKey = new Map<string, Map<DgiiEnvironment, StoredDgiiToken>>();

  get(cacheKey: string, environment: DgiiEnvironment): Promise<StoredDgiiToken | undefined> {
    const stored = this.byKey.get(cacheKey)?.get(environment);
    return Promise.resolve(stored && { ...stored });
  }

  put(cacheKey: string, environment: DgiiEnvironment, token: StoredDgiiToken): Promise<void> {
    let byEnvironment = this.byKey.get(cacheKey);
    if (!byEnvironment) {
      byEnvironment = new Map();
      this.byKey.set(cacheKey, byEnvironment);
    }
    byEnvironment.set(environment, { ...token });
    return Promise.resolve();
  }

  delete(cacheKey: string, environment: DgiiEnvironment, ifToken?: string): Promise<void> {
    const byEnvironment = this.byKey.get(cacheKey);
    const stored = byEnvironment?.get(environment);
    if (byEnvironment && stored && (ifToken === undefined || stored.token === ifToken)) {
      byEnvironment.delete(environment);
      if (byEnvironment.size === 0) this.byKey.delete(cacheKey);
    }
    return Promise.resolve();
  }

  forget(cacheKey: string): Promise<void> {
    this.byKey.delete(cacheKey);
    return Promise.resolve();
  }

  /** Cache keys holding at least one token (for tests and metrics). */
  size(): number {
    return this.byKey.size;
  }
}
