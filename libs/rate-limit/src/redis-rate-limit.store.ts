import { Clock } from '@app/common';
import { RedisConnection } from '@app/redis';
import { RateLimitDecision, RateLimitStore } from './rate-limit.store';

/**
 * The memory store's sliding window, atomically in Redis: a hash {s: window start, c: count,
 * p: previous count} per (key, window). Returns [allowed, count before this hit, previous].
 */
const WINDOW_SCRIPT = `
local now = tonumber(ARGV[1])
local w = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local start = now - (now % w)
local v = redis.call('HMGET', KEYS[1], 's', 'c', 'p')
local s = tonumber(v[1])
local c = tonumber(v[2]) or 0
local p = tonumber(v[3]) or 0
if (not s) or start - s >= 2 * w then
  c = 0
  p = 0
elseif s ~= start then
  p = c
  c = 0
end
local estimate = p * (1 - (now - start) / w) + c
if estimate >= limit then
  return {0, c, p}
end
if ARGV[4] == '1' then
  redis.call('HSET', KEYS[1], 's', start, 'c', c + 1, 'p', p)
  redis.call('PEXPIRE', KEYS[1], 2 * w)
end
return {1, c, p}
`;

/** Slots as a sorted set scored by expiry: drop the expired, then take one if there is room. */
const ACQUIRE_SCRIPT = `
local now = tonumber(ARGV[1])
local ttl = tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZSCORE', KEYS[1], ARGV[2]) or redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[3]) then
  redis.call('ZADD', KEYS[1], now + ttl, ARGV[2])
  if redis.call('PTTL', KEYS[1]) < ttl then
    redis.call('PEXPIRE', KEYS[1], ttl)
  end
  return 1
end
return 0
`;

/**
 * Counters and slots shared by every replica (issue 13 §2), so a limit holds across them. Each
 * decision is one Lua script (atomic); the time is this process's clock, as in the memory store.
 * Keys carry the counter name in a hash tag, so each script touches one cluster slot.
 */
export class RedisRateLimitStore extends RateLimitStore {
  constructor(
    private readonly redis: RedisConnection,
    private readonly clock: Clock,
  ) {
    super();
  }

  hit(key: string, windowMs: number, limit: number): Promise<RateLimitDecision> {
    return this.decide(key, windowMs, limit, true);
  }

  peek(key: string, windowMs: number, limit: number): Promise<RateLimitDecision> {
    return this.decide(key, windowMs, limit, false);
  }

  async acquire(key: string, slot: string, limit: number, ttlMs: number): Promise<boolean> {
    const now = this.clock.now();
    const taken = await this.redis.run('rate-limit acquire', (c) =>
      c.eval(ACQUIRE_SCRIPT, 1, this.redis.key('slots', `{${key}}`), now, slot, limit, ttlMs),
    );
    return taken === 1;
  }

  async release(key: string, slot: string): Promise<void> {
    await this.redis.run('rate-limit release', (c) => c.zrem(this.redis.key('slots', `{${key}}`), slot));
  }

  private async decide(
    key: string,
    windowMs: number,
    limit: number,
    count: boolean,
  ): Promise<RateLimitDecision> {
    const now = this.clock.now();
    const [allowed, c, p] = (await this.redis.run('rate-limit hit', (client) =>
      client.eval(
        WINDOW_SCRIPT,
        1,
        this.redis.key('rl', `{${key}}`, String(windowMs)),
        now,
        windowMs,
        limit,
        count ? '1' : '0',
      ),
    )) as [number, number, number];
    const elapsed = now % windowMs;
    const estimate = p * (1 - elapsed / windowMs) + c;
    if (allowed !== 1) {
      return { allowed: false, remaining: 0, resetMs: waitMs(windowMs, c, p, elapsed, limit) };
    }
    const remaining = Math.max(0, Math.floor(limit - estimate - (count ? 1 : 0)));
    return { allowed: true, remaining, resetMs: windowMs - elapsed };
  }
}

/** Time until the estimate falls below `limit` if nothing else is counted (as the memory store). */
function waitMs(W: number, count: number, previous: number, elapsed: number, limit: number): number {
  if (count < limit) {
    return Math.max(1, Math.floor(W * (1 - (limit - count) / previous) - elapsed) + 1);
  }
  return W - elapsed + Math.floor(W * (1 - limit / count)) + 1;
}
