import { ManualClock } from '@app/common';
import { MemoryRateLimitStore } from './memory-rate-limit.store';
import { describeRateLimitStoreContract } from './testing/rate-limit-store.contract';

describeRateLimitStoreContract(
  'MemoryRateLimitStore',
  (clock) => new MemoryRateLimitStore(clock),
  (store) => (store as MemoryRateLimitStore).onModuleDestroy(),
);

describe('MemoryRateLimitStore memory bound', () => {
  it('sweeps counters whose windows no longer count', async () => {
    const clock = new ManualClock(0);
    const store = new MemoryRateLimitStore(clock);
    for (let i = 0; i < 50; i++) await store.hit(`ip:${i}`, 1_000, 5);
    await store.hit('slow', 60_000, 5);
    clock.advance(2_000);
    expect(store.sweep()).toBe(50);
    expect(store.size()).toBe(1);
    store.onModuleDestroy();
  });

  it('never holds more than its maximum of counters', async () => {
    const store = new MemoryRateLimitStore(new ManualClock(0), 10);
    for (let i = 0; i < 100; i++) await store.hit(`ip:${i}`, 60_000, 5);
    expect(store.size()).toBe(10);
    // The newest keys are the ones kept.
    expect((await store.peek('ip:99', 60_000, 1)).allowed).toBe(false);
    store.onModuleDestroy();
  });

  it('forgets a slot key once every slot is back or expired', async () => {
    const clock = new ManualClock(0);
    const store = new MemoryRateLimitStore(clock);
    await store.acquire('s', 'a', 3, 60_000);
    await store.acquire('s', 'b', 3, 60_000);
    await store.release('s', 'a');
    await store.release('s', 'b');
    expect(store.size()).toBe(0);
    await store.acquire('t', 'a', 3, 1_000);
    clock.advance(1_000);
    expect(store.sweep()).toBe(1);
    expect(store.size()).toBe(0);
    store.onModuleDestroy();
  });
});
