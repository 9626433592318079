import { ManualClock } from '@app/common';
import { RedisConnection } from '@app/redis';
import { deleteKeysUnder, keysUnder, testRedisConnection, uniqueRedisPrefix } from '@app/testing';
import { describeReceivedLedgerContract } from '../testing/received-ledger.contract';
import { MemoryReceivedLedger, RedisReceivedLedger } from './received-ledger';

describeReceivedLedgerContract('MemoryReceivedLedger', () => {
  const clock = new ManualClock(Date.parse('2026-04-01T12:00:00Z'));
  const ledger = new MemoryReceivedLedger(clock, 1_000);
  return Promise.resolve({
    ledger,
    passWindow: () => {
      clock.advance(1_000);
      return Promise.resolve();
    },
  });
});

const PREFIX = uniqueRedisPrefix('received');
const connections: RedisConnection[] = [];
afterAll(async () => {
  await Promise.all(connections.map((c) => c.close()));
  await deleteKeysUnder(PREFIX);
});

// Redis forgets by TTL on its own clock: a short window, really waited for.
const REDIS_WINDOW_MS = 150;

async function redisLedger(prefix: string): Promise<RedisReceivedLedger> {
  const connection = await testRedisConnection(prefix);
  connections.push(connection);
  return new RedisReceivedLedger(connection, REDIS_WINDOW_MS);
}

describeReceivedLedgerContract('RedisReceivedLedger (real Redis)', async () => ({
  ledger: await redisLedger(`${PREFIX}${Math.random().toString(36).slice(2)}:`),
  passWindow: () => new Promise((resolve) => setTimeout(resolve, REDIS_WINDOW_MS + 100)),
}));

describe('MemoryReceivedLedger', () => {
  it('is bounded: the oldest entry goes first', async () => {
    const clock = new ManualClock(0);
    const ledger = new MemoryReceivedLedger(clock, 10_000, 2);
    for (const encf of ['E1', 'E2', 'E3']) {
      await ledger.claim('r', 'e', encf);
      clock.advance(1);
    }
    expect(await ledger.has('r', 'e', 'E1')).toBe(false);
    expect(await ledger.has('r', 'e', 'E2')).toBe(true);
    expect(await ledger.has('r', 'e', 'E3')).toBe(true);
  });
});

describe('RedisReceivedLedger', () => {
  it('a copy received on one replica is a duplicate on another', async () => {
    const prefix = `${PREFIX}shared:`;
    const a = await redisLedger(prefix);
    const b = await redisLedger(prefix);
    expect(await a.claim('131793916', '101672919', 'E310000000001')).toBe(true);
    expect(await b.has('131793916', '101672919', 'E310000000001')).toBe(true);
    expect(await b.claim('131793916', '101672919', 'E310000000001')).toBe(false);
    expect([...(await keysUnder(prefix)).keys()]).toHaveLength(1);
  });
});
