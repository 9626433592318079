import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Counter } from 'prom-client';
import { MetricsService, RateLimitedError } from '@app/common';
import type { RateLimitSettings } from '@app/config';
import { RATE_LIMIT_CONFIG } from './rate-limit.config';
import { RateLimitDecision, RateLimitStore } from './rate-limit.store';

/** Why a request got 429; the only label of the metric (never a key, token or IP). */
export type RateLimitReason = 'requests' | 'auth_failures' | 'sessions' | 'unlocks';

/**
 * Who failed to authenticate: the integrator account when the API key was valid (bad bearer, bad
 * password), the client IP when there is no valid key to count against.
 */
export type AuthSubject = { apiKeyId: string } | { ip: string };

/** Gives back a concurrency slot; safe to call more than once. */
export type ReleaseSlot = () => Promise<void>;

const SECOND_MS = 1_000;
/** Unlocks finish within about a second (MAX_KDF_WORK), so a retry a second later can get a slot. */
const UNLOCK_RETRY_SECONDS = 1;
/** Backstop only: an unlock slot whose release was lost (a crash) frees itself after this. */
const UNLOCK_SLOT_TTL_MS = 60_000;
/** Sessions free themselves only when closed or expired: do not invite a tight retry loop. */
const SESSION_RETRY_SECONDS = 60;

function subjectKey(subject: AuthSubject): string {
  return 'apiKeyId' in subject ? `auth:key:${subject.apiKeyId}` : `auth:ip:${subject.ip}`;
}

/** The per-key limits of issue 7 §2 over the RateLimitStore port. */
@Injectable()
export class RateLimiter {
  private readonly limited: Counter<'reason'>;

  constructor(
    @Inject(RateLimitStore) private readonly store: RateLimitStore,
    @Inject(RATE_LIMIT_CONFIG) private readonly config: RateLimitSettings,
    @Inject(MetricsService) metrics: MetricsService,
  ) {
    this.limited = new Counter({
      name: 'fiscaliacore_rate_limited_total',
      help: 'Requests answered 429 RATE_LIMITED, by which limit they hit',
      labelNames: ['reason'] as const,
      registers: [metrics.registry],
    });
  }

  /** Counts one request of an API key against RATE_LIMIT_RPS_PER_KEY. */
  async consumeRequest(apiKeyId: string): Promise<void> {
    const limit = this.config.requestsPerSecond;
    if (limit === 0) return;
    const decision = await this.store.hit(`rps:${apiKeyId}`, SECOND_MS, limit);
    if (!decision.allowed) {
      throw this.refuse(
        'requests',
        `more than ${limit} requests per second for this API key`,
        decision,
        limit,
      );
    }
  }

  /** Refuses before any work when the subject already used up its failed authentications. */
  async assertAuthAllowed(subject: AuthSubject): Promise<void> {
    const limit = this.config.authFailures;
    if (limit === 0) return;
    const decision = await this.store.peek(subjectKey(subject), this.authWindowMs, limit);
    if (!decision.allowed) throw this.authRefusal(decision, limit);
  }

  /** Counts one failed authentication; throws RATE_LIMITED (instead of the 401) once over the limit. */
  async recordAuthFailure(subject: AuthSubject): Promise<void> {
    const limit = this.config.authFailures;
    if (limit === 0) return;
    const decision = await this.store.hit(subjectKey(subject), this.authWindowMs, limit);
    if (!decision.allowed) throw this.authRefusal(decision, limit);
  }

  /** One of UNLOCK_CONCURRENCY_PER_KEY unlock slots; the caller releases it when the unlock ends. */
  acquireUnlock(apiKeyId: string): Promise<ReleaseSlot> {
    const limit = this.config.unlockConcurrencyPerKey;
    return this.acquire(`unlock:${apiKeyId}`, randomUUID(), limit, UNLOCK_SLOT_TTL_MS, () =>
      this.refuse('unlocks', `more than ${limit} .p12 unlocks at once for this API key`, {
        retryAfterSeconds: UNLOCK_RETRY_SECONDS,
      }),
    );
  }

  /**
   * One of MAX_SESSIONS_PER_KEY session slots, named by the session's token hash and held until the
   * session is closed or its ttl ends.
   */
  acquireSession(apiKeyId: string, tokenHash: string, ttlMs: number): Promise<ReleaseSlot> {
    const limit = this.config.maxSessionsPerKey;
    return this.acquire(`sessions:${apiKeyId}`, tokenHash, limit, ttlMs, () =>
      this.refuse(
        'sessions',
        `this API key already has ${limit} open sessions: close one (DELETE /api/v1/sessions/current) or let one expire`,
        { retryAfterSeconds: SESSION_RETRY_SECONDS },
      ),
    );
  }

  /** Gives back a session slot taken by acquireSession (the session was closed or expired). */
  releaseSession(apiKeyId: string, tokenHash: string): Promise<void> {
    return this.store.release(`sessions:${apiKeyId}`, tokenHash);
  }

  private get authWindowMs(): number {
    return this.config.authFailureWindowSeconds * SECOND_MS;
  }

  private async acquire(
    key: string,
    slot: string,
    limit: number,
    ttlMs: number,
    refusal: () => RateLimitedError,
  ): Promise<ReleaseSlot> {
    if (!(await this.store.acquire(key, slot, limit, ttlMs))) throw refusal();
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      await this.store.release(key, slot);
    };
  }

  private authRefusal(decision: RateLimitDecision, limit: number): RateLimitedError {
    return this.refuse(
      'auth_failures',
      `too many failed authentications (more than ${limit} in ${this.config.authFailureWindowSeconds} s): wait before retrying`,
      decision,
      limit,
    );
  }

  private refuse(
    reason: RateLimitReason,
    message: string,
    decision: RateLimitDecision | { retryAfterSeconds: number },
    limit?: number,
  ): RateLimitedError {
    this.limited.inc({ reason });
    if ('retryAfterSeconds' in decision) return new RateLimitedError(message, decision);
    const resetSeconds = decision.resetMs / SECOND_MS;
    return new RateLimitedError(message, {
      retryAfterSeconds: resetSeconds,
      quota: { limit: limit ?? 0, remaining: decision.remaining, resetSeconds },
    });
  }
}
