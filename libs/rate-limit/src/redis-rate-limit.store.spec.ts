import { ManualClock } from '@app/common';
import { RedisConnection } from '@app/redis';
import { deleteKeysUnder, testRedisConnection, uniqueRedisPrefix } from '@app/testing';
import { RedisRateLimitStore } from './redis-rate-limit.store';
import { describeRateLimitStoreContract } from './testing/rate-limit-store.contract';

const PREFIX = uniqueRedisPrefix('rate-limit');
const connections: RedisConnection[] = [];
afterAll(async () => {
  await Promise.all(connections.map((c) => c.close()));
  await deleteKeysUnder(PREFIX);
});

async function storeOn(clock: ManualClock, prefix: string): Promise<RedisRateLimitStore> {
  const connection = await testRedisConnection(prefix);
  connections.push(connection);
  return new RedisRateLimitStore(connection, clock);
}

// A prefix per test: the contract reuses its key names.
describeRateLimitStoreContract('RedisRateLimitStore (real Redis)', (clock) =>
  storeOn(clock, `${PREFIX}${Math.random().toString(36).slice(2)}:`),
);

describe('RedisRateLimitStore across replicas', () => {
  it('two replicas count one limit and share the slots', async () => {
    const clock = new ManualClock(Date.parse('2026-04-23T17:00:00Z'));
    const prefix = `${PREFIX}shared:`;
    const a = await storeOn(clock, prefix);
    const b = await storeOn(clock, prefix);
    expect((await a.hit('k', 60_000, 3)).remaining).toBe(2);
    expect((await b.hit('k', 60_000, 3)).remaining).toBe(1);
    expect((await a.hit('k', 60_000, 3)).remaining).toBe(0);
    expect((await b.hit('k', 60_000, 3)).allowed).toBe(false);
    expect(await a.acquire('s', 'x', 1, 60_000)).toBe(true);
    expect(await b.acquire('s', 'y', 1, 60_000)).toBe(false);
    await b.release('s', 'x');
    expect(await b.acquire('s', 'y', 1, 60_000)).toBe(true);
  });
});
