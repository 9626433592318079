import { StoreUnavailableError } from '@app/common';
import { RedisConnection } from '@app/redis';
import { deleteKeysUnder, keysUnder, testRedisConnection, uniqueRedisPrefix } from '@app/testing';
import { describeReceptorRegistryContract, registrationFixture } from '../testing/receptor-registry.contract';
import { RedisReceptorRegistry } from './redis-receptor.registry';

const PREFIX = uniqueRedisPrefix('receptors');
const connections: RedisConnection[] = [];
afterAll(async () => {
  await Promise.all(connections.map((c) => c.close()));
  await deleteKeysUnder(PREFIX);
});

async function registryOn(prefix: string, dataKey = Buffer.alloc(32, 7)): Promise<RedisReceptorRegistry> {
  const connection = await testRedisConnection(prefix, { dataKey });
  connections.push(connection);
  return new RedisReceptorRegistry(connection);
}

describeReceptorRegistryContract('RedisReceptorRegistry (real Redis)', () =>
  registryOn(`${PREFIX}${Math.random().toString(36).slice(2)}:`),
);

describe('RedisReceptorRegistry', () => {
  it('another replica on the prefix sees the registration; the secret is never stored in the clear', async () => {
    const prefix = `${PREFIX}shared:`;
    const a = await registryOn(prefix);
    const b = await registryOn(prefix);
    const secret = 'whsec_c2VjcmV0by1kZWwtY2FsbGJhY2stMzItYnl0ZXMhIQ==';
    await a.insert(registrationFixture({ callbackSecret: secret }));
    expect((await b.get('131793916'))?.callbackSecret).toBe(secret);
    const raw = [...(await keysUnder(prefix)).values()].map((v) => v.toString('latin1')).join('\n');
    expect(raw).toContain('131793916');
    expect(raw).not.toContain(secret);
    expect(raw).not.toContain(secret.slice('whsec_'.length));
  });

  it('a record written under another FISCALIACORE_DATA_KEY is a 503, not a wrong secret', async () => {
    const prefix = `${PREFIX}otherkey:`;
    await (await registryOn(prefix, Buffer.alloc(32, 1))).insert(registrationFixture());
    const other = await registryOn(prefix, Buffer.alloc(32, 2));
    await expect(other.get('131793916')).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});
