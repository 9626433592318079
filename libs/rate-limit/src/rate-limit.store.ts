/** The answer to one counted (or peeked) hit. */
export interface RateLimitDecision {
  allowed: boolean;
  /** Hits still allowed in the current window after this one. */
  remaining: number;
  /** Milliseconds until a hit would be allowed again (when refused) or the window ends (when allowed). */
  resetMs: number;
}

/**
 * Where rate-limit counters live (STYLE §24). A port: the memory adapter (default) and a shared one
 * (`RedisRateLimitStore`), so several replicas enforce one limit. Every adapter passes `describeRateLimitStoreContract`.
 */
export abstract class RateLimitStore {
  /**
   * Counts one hit on `key` against `limit` hits per `windowMs` (sliding window: the previous window
   * still counts, weighted by how much of it overlaps). A refused hit is not counted.
   */
  abstract hit(key: string, windowMs: number, limit: number): Promise<RateLimitDecision>;
  /** The same decision as `hit`, without counting. */
  abstract peek(key: string, windowMs: number, limit: number): Promise<RateLimitDecision>;
  /**
   * Takes slot `slot` of at most `limit` concurrent slots of `key`, for at most `ttlMs` (a slot
   * whose holder never releases it frees itself then); false when all are taken.
   */
  abstract acquire(key: string, slot: string, limit: number, ttlMs: number): Promise<boolean>;
  /** Gives a slot back; releasing a slot that is not held is a no-op. */
  abstract release(key: string, slot: string): Promise<void>;
}
