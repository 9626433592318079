import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Clock } from '@app/common';
import { RateLimitDecision, RateLimitStore } from './rate-limit.store';

interface Window {
  windowMs: number;
  /** Start of the current fixed window (a multiple of windowMs). */
  start: number;
  count: number;
  /** Hits of the window before `start`. */
  previous: number;
}

/** Drops the slots whose time is up; returns how many went. */
function dropExpired(held: Map<string, number>, now: number): number {
  let dropped = 0;
  for (const [slot, expiresAt] of held) {
    if (expiresAt <= now) {
      held.delete(slot);
      dropped++;
    }
  }
  return dropped;
}

/** How often stale counters are dropped. */
export const RATE_LIMIT_SWEEP_MS = 10_000;
/** Hard bound on counters (e.g. one per client IP of a spray of bad API keys). */
export const MAX_RATE_LIMIT_COUNTERS = 100_000;

/**
 * Process memory. Sliding-window counters (two fixed windows, the older weighted by overlap): O(1)
 * memory per key, no burst of twice the limit at a window edge as a plain fixed window allows.
 */
@Injectable()
export class MemoryRateLimitStore extends RateLimitStore implements OnModuleDestroy {
  private readonly windows = new Map<string, Window>();
  /** key → slot → expiresAt */
  private readonly slots = new Map<string, Map<string, number>>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    @Inject(Clock) private readonly clock: Clock,
    private readonly maxCounters: number = MAX_RATE_LIMIT_COUNTERS,
  ) {
    super();
    this.timer = setInterval(() => this.sweep(), RATE_LIMIT_SWEEP_MS);
    this.timer.unref();
  }

  hit(key: string, windowMs: number, limit: number): Promise<RateLimitDecision> {
    return Promise.resolve(this.decide(key, windowMs, limit, true));
  }

  peek(key: string, windowMs: number, limit: number): Promise<RateLimitDecision> {
    return Promise.resolve(this.decide(key, windowMs, limit, false));
  }

  acquire(key: string, slot: string, limit: number, ttlMs: number): Promise<boolean> {
    const now = this.clock.now();
    const held = this.slots.get(key) ?? new Map<string, number>();
    dropExpired(held, now);
    if (!held.has(slot) && held.size >= limit) {
      if (held.size === 0) this.slots.delete(key);
      return Promise.resolve(false);
    }
    held.set(slot, now + ttlMs);
    this.slots.set(key, held);
    return Promise.resolve(true);
  }

  release(key: string, slot: string): Promise<void> {
    const held = this.slots.get(key);
    if (held) {
      held.delete(slot);
      if (held.size === 0) this.slots.delete(key);
    }
    return Promise.resolve();
  }

  /** Number of live counters and slot keys (for tests of the memory bound). */
  size(): number {
    return this.windows.size + this.slots.size;
  }

  /** Drops counters whose windows no longer weigh on any decision; returns how many went. */
  sweep(): number {
    const now = this.clock.now();
    let swept = 0;
    for (const [key, w] of this.windows) {
      if (now - w.start >= 2 * w.windowMs) {
        this.windows.delete(key);
        swept++;
      }
    }
    for (const [key, held] of this.slots) {
      swept += dropExpired(held, now);
      if (held.size === 0) this.slots.delete(key);
    }
    return swept;
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  private decide(key: string, windowMs: number, limit: number, count: boolean): RateLimitDecision {
    const now = this.clock.now();
    const start = now - (now % windowMs);
    let w = this.windows.get(key);
    if (!w || w.windowMs !== windowMs || start - w.start >= 2 * windowMs) {
      w = { windowMs, start, count: 0, previous: 0 };
    } else if (w.start !== start) {
      w = { windowMs, start, count: 0, previous: w.count };
    }
    const elapsed = now - start;
    const estimate = w.previous * (1 - elapsed / windowMs) + w.count;
    if (estimate >= limit) {
      return { allowed: false, remaining: 0, resetMs: this.waitMs(w, elapsed, limit) };
    }
    if (count) {
      w.count++;
      this.store(key, w);
    }
    const remaining = Math.max(0, Math.floor(limit - estimate - (count ? 1 : 0)));
    return { allowed: true, remaining, resetMs: windowMs - elapsed };
  }

  /** Time until the estimate falls below `limit` if nothing else is counted. */
  private waitMs(w: Window, elapsed: number, limit: number): number {
    const W = w.windowMs;
    if (w.count < limit) {
      // previous·(1 − (elapsed+δ)/W) + count < limit, within this window.
      return Math.max(1, Math.floor(W * (1 - (limit - w.count) / w.previous) - elapsed) + 1);
    }
    // Next window: count becomes `previous`; count·(1 − t/W) < limit.
    return W - elapsed + Math.floor(W * (1 - limit / w.count)) + 1;
  }

  private store(key: string, w: Window): void {
    if (!this.windows.has(key) && this.windows.size >= this.maxCounters) {
      this.sweep();
      // Still full: forget the oldest counter rather than grow without bound.
      if (this.windows.size >= this.maxCounters) {
        const oldest = this.windows.keys().next().value;
        if (oldest !== undefined) this.windows.delete(oldest);
      }
    }
    this.windows.set(key, w);
  }
}
