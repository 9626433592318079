import { ManualClock, MetricsService, RateLimitedError } from '@app/common';
import type { RateLimitSettings } from '@app/config';
import { MemoryRateLimitStore } from './memory-rate-limit.store';
import { RateLimiter } from './rate-limiter.service';

function makeLimiter(overrides: Partial<RateLimitSettings> = {}) {
  const clock = new ManualClock(0);
  const store = new MemoryRateLimitStore(clock);
  const metrics = new MetricsService();
  const limiter = new RateLimiter(
    store,
    {
      requestsPerSecond: 2,
      authFailures: 2,
      authFailureWindowSeconds: 60,
      maxSessionsPerKey: 1,
      unlockConcurrencyPerKey: 1,
      ...overrides,
    },
    metrics,
  );
  return { clock, store, metrics, limiter };
}

async function refusal(p: Promise<unknown>): Promise<RateLimitedError> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RateLimitedError);
  return error as RateLimitedError;
}

describe('RateLimiter', () => {
  it('refuses the third request in a second with Retry-After and the RateLimit-* quota', async () => {
    const { limiter, store } = makeLimiter();
    await limiter.consumeRequest('k');
    await limiter.consumeRequest('k');
    const error = await refusal(limiter.consumeRequest('k'));
    // Both hits still weigh fully at 1,000 ms; the first allowed moment is 1,001 ms, rounded up.
    expect(error.headers()).toEqual({
      'Retry-After': '2',
      'RateLimit-Limit': '2',
      'RateLimit-Remaining': '0',
      'RateLimit-Reset': '2',
    });
    store.onModuleDestroy();
  });

  it('0 turns the request and failure limits off', async () => {
    const { limiter, store } = makeLimiter({ requestsPerSecond: 0, authFailures: 0 });
    for (let i = 0; i < 50; i++) {
      await limiter.consumeRequest('k');
      await limiter.recordAuthFailure({ ip: '127.0.0.1' });
    }
    await limiter.assertAuthAllowed({ ip: '127.0.0.1' });
    store.onModuleDestroy();
  });

  it('counts failures per subject; once over, assertAuthAllowed refuses before any work', async () => {
    const { limiter, store } = makeLimiter();
    await limiter.recordAuthFailure({ apiKeyId: 'k' });
    await limiter.recordAuthFailure({ apiKeyId: 'k' });
    await limiter.assertAuthAllowed({ ip: 'k' }); // an IP named like the key is another subject
    await refusal(limiter.assertAuthAllowed({ apiKeyId: 'k' }));
    await refusal(limiter.recordAuthFailure({ apiKeyId: 'k' }));
    store.onModuleDestroy();
  });

  it('slots: a release gives the slot back once, however often it is called', async () => {
    const { limiter, store } = makeLimiter({ unlockConcurrencyPerKey: 2 });
    const a = await limiter.acquireUnlock('k');
    await limiter.acquireUnlock('k');
    expect((await refusal(limiter.acquireUnlock('k'))).headers()).toEqual({ 'Retry-After': '1' });
    await a();
    await a();
    await limiter.acquireUnlock('k');
    await refusal(limiter.acquireUnlock('k'));
    store.onModuleDestroy();
  });

  it('counts 429s by reason only', async () => {
    const { limiter, store, metrics } = makeLimiter();
    await limiter.acquireSession('secret-key-id', 'h1', 60_000);
    await refusal(limiter.acquireSession('secret-key-id', 'h2', 60_000));
    const text = await metrics.render();
    expect(text).toContain('fiscaliacore_rate_limited_total{reason="sessions"} 1');
    expect(text).not.toContain('secret-key-id');
    store.onModuleDestroy();
  });
});
