import { Clock } from '@app/common';
import type { DgiiEnvironment } from '@app/config';
import { DgiiTokenStore, MemoryDgiiTokenStore, StoredDgiiToken } from './dgii-token.store';

/** What `validarsemilla` returns (PROTOCOL §2.3). */
export interface DgiiTokenGrant {
  token: string;
  /** `yyyy-MM-ddTHH:mm:ssZ`, DGII's clock. */
  expira: string;
  expedido: string;
}

/** Refresh this long before DGII's `expira` (guide §4: proactive refresh 60 s before TTL). */
export const TOKEN_REFRESH_MARGIN_MS = 60_000;
/** PROTOCOL §2.4: "1 hora por el momento"; used when DGII's dates cannot be read. */
const DEFAULT_LIFETIME_MS = 3_600_000;

/**
 * DGII tokens per session and environment (DESIGN §1.3: never process-wide, never shared
 * between sessions or API keys), kept in a `DgiiTokenStore` under an opaque cache key. One
 * authentication at a time per (key, environment) in this process: concurrent callers share the
 * in-flight one. A token is refreshed 60 s before it expires, dropped on a 401, and every token of
 * a session goes when the session is evicted.
 */
export class DgiiTokenCache {
  /**
   * Per cache key in use here: its in-flight authentications (process-local on purpose, a promise
   * cannot be shared) and how many calls are inside `token`. Evicting a key detaches its state, so
   * a call that was already running for it never stores a token for the dead session.
   */
  private readonly keys = new Map<string, KeyState>();

  constructor(
    private readonly clock: Clock,
    private readonly store: DgiiTokenStore = new MemoryDgiiTokenStore(),
    private readonly refreshMarginMs = TOKEN_REFRESH_MARGIN_MS,
  ) {}

  /** A usable token for (cache key, environment), authenticating when there is none. */
  async token(
    cacheKey: string,
    environment: DgiiEnvironment,
    authenticate: () => Promise<DgiiTokenGrant>,
  ): Promise<string> {
    const state = this.enter(cacheKey);
    try {
      const current = await this.store.get(cacheKey, environment);
      if (current && this.clock.now() < current.expiresAt - this.refreshMarginMs) return current.token;
      const pending =
        state.flights.get(environment) ?? this.authenticate(state, cacheKey, environment, authenticate);
      try {
        return (await pending).token;
      } catch (error) {
        // A refresh that fails inside the safety margin leaves the current token usable until it
        // expires, unless it was refused (invalidated) or replaced meanwhile.
        if (current && this.clock.now() < current.expiresAt) {
          const still = await this.store.get(cacheKey, environment);
          if (still?.token === current.token) return current.token;
        }
        throw error;
      }
    } finally {
      this.leave(cacheKey, state);
    }
  }

  /** Drops `token` after DGII refused it (401); a token already replaced is left alone. */
  invalidate(cacheKey: string, environment: DgiiEnvironment, token: string): Promise<void> {
    return this.store.delete(cacheKey, environment, token);
  }

  /** Forgets every token of a session (closed, expired or swept). */
  evict(cacheKey: string): Promise<void> {
    this.keys.delete(cacheKey);
    return this.store.forget(cacheKey);
  }

  private authenticate(
    state: KeyState,
    cacheKey: string,
    environment: DgiiEnvironment,
    authenticate: () => Promise<DgiiTokenGrant>,
  ): Promise<StoredDgiiToken> {
    const startedAt = this.clock.now();
    const isCurrent = (): boolean => state.flights.get(environment) === pending;
    const pending: Promise<StoredDgiiToken> = authenticate().then(
      async (grant) => {
        const cached = { token: grant.token, expiresAt: startedAt + lifetimeMs(grant) };
        if (isCurrent() && this.keys.get(cacheKey) === state) {
          await this.store.put(cacheKey, environment, cached);
        }
        if (isCurrent()) state.flights.delete(environment);
        return cached;
      },
      (error: unknown) => {
        if (isCurrent()) state.flights.delete(environment);
        throw error;
      },
    );
    state.flights.set(environment, pending);
    return pending;
  }

  private enter(cacheKey: string): KeyState {
    let state = this.keys.get(cacheKey);
    if (!state) {
      state = { flights: new Map(), callers: 0 };
      this.keys.set(cacheKey, state);
    }
    state.callers++;
    return state;
  }

  private leave(cacheKey: string, state: KeyState): void {
    state.callers--;
    if (state.callers === 0 && state.flights.size === 0 && this.keys.get(cacheKey) === state) {
      this.keys.delete(cacheKey);
    }
  }
}

interface KeyState {
  flights: Map<DgiiEnvironment, Promise<StoredDgiiToken>>;
  callers: number;
}

/**
 * How long the token lives: `expira − expedido` (both on DGII's clock, so our clock's offset
 * does not matter), else one hour.
 */
function lifetimeMs(grant: DgiiTokenGrant): number {
  const lifetime = Date.parse(grant.expira) - Date.parse(grant.expedido);
  return Number.isFinite(lifetime) && lifetime > 0 ? lifetime : DEFAULT_LIFETIME_MS;
}
