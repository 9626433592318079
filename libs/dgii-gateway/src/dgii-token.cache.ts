import { Clock } from '@app/common';
import type { DgiiEnvironment } from '@app/config';

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

interface CachedToken {
  token: string;
  /** On our clock. */
  expiresAt: number;
}

interface Slot {
  current?: CachedToken;
  pending?: Promise<CachedToken>;
}

/**
 * DGII tokens per session and environment (DESIGN §1.3: never process-wide, never shared
 * between sessions or API keys). One authentication at a time per slot: concurrent callers
 * share the in-flight one. A token is refreshed 60 s before it expires, dropped on a 401, and
 * every token of a session goes when the session is evicted.
 */
export class DgiiTokenCache {
  private readonly sessions = new Map<string, Map<DgiiEnvironment, Slot>>();

  constructor(
    private readonly clock: Clock,
    private readonly refreshMarginMs = TOKEN_REFRESH_MARGIN_MS,
  ) {}

  /** A usable token for (session, environment), authenticating when there is none. */
  async token(
    sessionKey: string,
    environment: DgiiEnvironment,
    authenticate: () => Promise<DgiiTokenGrant>,
  ): Promise<string> {
    const slot = this.slot(sessionKey, environment);
    const current = slot.current;
    if (current && this.clock.now() < current.expiresAt - this.refreshMarginMs) return current.token;
    if (!slot.pending) {
      const startedAt = this.clock.now();
      const pending = authenticate().then(
        (grant) => {
          const cached = { token: grant.token, expiresAt: startedAt + lifetimeMs(grant) };
          // An evicted session's slot is detached from the map: storing into it is harmless.
          slot.current = cached;
          slot.pending = undefined;
          return cached;
        },
        (error: unknown) => {
          slot.pending = undefined;
          throw error;
        },
      );
      slot.pending = pending;
    }
    try {
      return (await slot.pending).token;
    } catch (error) {
      // A refresh that fails inside the safety margin leaves the current token usable until it expires.
      if (current && slot.current === current && this.clock.now() < current.expiresAt) return current.token;
      throw error;
    }
  }

  /** Drops `token` after DGII refused it (401); a token already replaced is left alone. */
  invalidate(sessionKey: string, environment: DgiiEnvironment, token: string): void {
    const slot = this.sessions.get(sessionKey)?.get(environment);
    if (slot?.current?.token === token) slot.current = undefined;
  }

  /** Forgets every token of a session (closed, expired or swept). */
  evict(sessionKey: string): void {
    this.sessions.delete(sessionKey);
  }

  /** Sessions with at least one slot (for tests and metrics). */
  size(): number {
    return this.sessions.size;
  }

  private slot(sessionKey: string, environment: DgiiEnvironment): Slot {
    let byEnvironment = this.sessions.get(sessionKey);
    if (!byEnvironment) {
      byEnvironment = new Map();
      this.sessions.set(sessionKey, byEnvironment);
    }
    let slot = byEnvironment.get(environment);
    if (!slot) {
      slot = {};
      byEnvironment.set(environment, slot);
    }
    return slot;
  }
}

/**
 * How long the token lives: `expira − expedido` (both on DGII's clock, so our clock's offset
 * does not matter), else one hour.
 */
function lifetimeMs(grant: DgiiTokenGrant): number {
  const lifetime = Date.parse(grant.expira) - Date.parse(grant.expedido);
  return Number.isFinite(lifetime) && lifetime > 0 ? lifetime : DEFAULT_LIFETIME_MS;
}
