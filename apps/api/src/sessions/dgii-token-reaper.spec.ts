import { ManualClock } from '@app/common';
import type { DgiiGateway } from '@app/dgii-gateway';
import { dgiiCacheKeyOf, MemorySessionStore, Session } from '@app/sessions';
import type { SigningIdentity } from '@app/signing';
import { DgiiTokenReaper } from './dgii-token-reaper';

function session(tokenHash: string, expiresAt: number): Session {
  return {
    tokenHash,
    apiKeyId: 'key-1',
    cacheKey: dgiiCacheKeyOf('key-1', tokenHash),
    identity: {} as SigningIdentity,
    openedAt: 0,
    expiresAt,
  };
}

describe('DgiiTokenReaper', () => {
  it('tells the gateway to forget the DGII tokens of every session that ends', async () => {
    const clock = new ManualClock(0);
    const store = new MemorySessionStore(clock);
    const forgotten: string[] = [];
    const gateway = {
      forget: (cacheKey: string) => {
        forgotten.push(cacheKey);
        return Promise.resolve();
      },
    } as unknown as DgiiGateway;
    new DgiiTokenReaper(store, gateway).onModuleInit();

    await store.put(session('closed', 1_000));
    await store.put(session('expired', 1_000));
    await store.put(session('live', 5_000));
    await store.delete('closed');
    clock.set(2_000);
    expect(await store.get('expired')).toBeUndefined();

    expect(forgotten).toEqual([dgiiCacheKeyOf('key-1', 'closed'), dgiiCacheKeyOf('key-1', 'expired')]);
    store.onModuleDestroy();
  });
});
