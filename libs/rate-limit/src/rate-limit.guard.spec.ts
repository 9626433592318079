import { ManualClock, MetricsService, RateLimitedError } from '@app/common';
import { activate, fakeRequest, httpContext } from '@app/testing';
import { MemoryRateLimitStore } from './memory-rate-limit.store';
import { RateLimitGuard } from './rate-limit.guard';
import { RateLimiter } from './rate-limiter.service';

function makeGuard(requestsPerSecond: number) {
  const clock = new ManualClock(0);
  const store = new MemoryRateLimitStore(clock);
  const limiter = new RateLimiter(
    store,
    {
      requestsPerSecond,
      authFailures: 0,
      authFailureWindowSeconds: 60,
      maxSessionsPerKey: 1,
      unlockConcurrencyPerKey: 1,
    },
    new MetricsService(),
  );
  return { guard: new RateLimitGuard(limiter), clock, store };
}

const keyed = (apiKeyId?: string) => httpContext(fakeRequest({}, apiKeyId === undefined ? {} : { apiKeyId }));

describe('RateLimitGuard', () => {
  it('lets RATE_LIMIT_RPS_PER_KEY requests of a key through per second, then RATE_LIMITED', async () => {
    const { guard, clock, store } = makeGuard(2);
    await expect(activate(guard, keyed('k1'))).resolves.toBe(true);
    await expect(activate(guard, keyed('k1'))).resolves.toBe(true);
    await expect(activate(guard, keyed('k1'))).rejects.toBeInstanceOf(RateLimitedError);
    // Keys are counted apart.
    await expect(activate(guard, keyed('k2'))).resolves.toBe(true);
    clock.advance(1_001);
    await expect(activate(guard, keyed('k1'))).resolves.toBe(true);
    store.onModuleDestroy();
  });

  it('does not count requests without an API key (health, metrics, docs)', async () => {
    const { guard, store } = makeGuard(1);
    for (let i = 0; i < 5; i++) expect(await activate(guard, keyed())).toBe(true);
    store.onModuleDestroy();
  });

  it('counts nothing when the limit is 0 (off)', async () => {
    const { guard, store } = makeGuard(0);
    for (let i = 0; i < 5; i++) await expect(activate(guard, keyed('k1'))).resolves.toBe(true);
    store.onModuleDestroy();
  });
});
