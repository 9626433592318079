import { IdempotencyInProgressError, ManualClock } from '@app/common';
import { RedisConnection } from '@app/redis';
import { deleteKeysUnder, keysUnder, testRedisConnection, uniqueRedisPrefix } from '@app/testing';
import { RedisIdempotencyStore } from './redis-idempotency.store';
import { describeIdempotencyStoreContract } from './testing/idempotency-store.contract';

const PREFIX = uniqueRedisPrefix('idempotency');
const connections: RedisConnection[] = [];
afterAll(async () => {
  await Promise.all(connections.map((c) => c.close()));
  await deleteKeysUnder(PREFIX);
});

async function storeOn(clock: ManualClock, prefix: string, waitMs = 5_000): Promise<RedisIdempotencyStore> {
  const connection = await testRedisConnection(prefix, { idempotencyWaitMs: waitMs });
  connections.push(connection);
  return new RedisIdempotencyStore(connection, clock);
}

describeIdempotencyStoreContract('RedisIdempotencyStore (real Redis)', (clock) =>
  storeOn(clock, `${PREFIX}${Math.random().toString(36).slice(2)}:`),
);

describe('RedisIdempotencyStore across replicas', () => {
  const clock = new ManualClock(0);

  it('a duplicate on another replica waits for the first result, which is stored encrypted', async () => {
    const prefix = `${PREFIX}wait:`;
    const a = await storeOn(clock, prefix);
    const b = await storeOn(clock, prefix);
    expect(await a.claim('k', 'id', 'h')).toEqual({ state: 'claimed' });
    const second = await b.claim('k', 'id', 'h');
    if (second.state !== 'in-flight') throw new Error(`expected in-flight, got ${second.state}`);
    const waited = second.wait();
    await a.complete('k', 'id', { signedXml: '<ECF>secreto-del-documento</ECF>' });
    expect(await waited).toEqual({ signedXml: '<ECF>secreto-del-documento</ECF>' });
    for (const value of (await keysUnder(prefix)).values()) {
      expect(value.toString('latin1')).not.toContain('secreto-del-documento');
    }
  });

  it('past IDEMPOTENCY_WAIT_MS the duplicate gets 409 IDEMPOTENCY_IN_PROGRESS', async () => {
    const prefix = `${PREFIX}busy:`;
    const a = await storeOn(clock, prefix, 100);
    const b = await storeOn(clock, prefix, 100);
    await a.claim('k', 'id', 'h');
    const second = await b.claim('k', 'id', 'h');
    if (second.state !== 'in-flight') throw new Error(`expected in-flight, got ${second.state}`);
    await expect(second.wait()).rejects.toBeInstanceOf(IdempotencyInProgressError);
  });

  it('a store with another FISCALIACORE_DATA_KEY cannot read the stored result', async () => {
    const prefix = `${PREFIX}key:`;
    const a = await storeOn(clock, prefix);
    const other = await testRedisConnection(prefix, { dataKey: Buffer.alloc(32, 9) });
    connections.push(other);
    const b = new RedisIdempotencyStore(other, clock);
    await a.claim('k', 'id', 'h');
    await a.complete('k', 'id', { ok: true });
    await expect(b.read('k', 'id')).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
  });
});
