import { ManualClock } from '@app/common';
import { MemorySessionStore } from './memory-session.store';
import { describeSessionStoreContract } from './testing/session-store.contract';
import { sessionFixture as makeSession } from './testing/session.fixture';

describeSessionStoreContract(
  'MemorySessionStore',
  (clock) => new MemorySessionStore(clock),
  (store) => (store as MemorySessionStore).onModuleDestroy(),
);

describe('MemorySessionStore', () => {
  let clock: ManualClock;
  let store: MemorySessionStore;
  const evicted: string[] = [];

  beforeEach(() => {
    clock = new ManualClock(0);
    store = new MemorySessionStore(clock);
    evicted.length = 0;
    store.onEvicted((s) => evicted.push(s.tokenHash));
  });
  afterEach(() => store.onModuleDestroy());

  it('returns a live session and forgets it at expiresAt', async () => {
    await store.put(makeSession());
    clock.set(999);
    expect((await store.get('h1'))?.identity.signerCedula).toBe('40209547971');
    clock.set(1_000);
    expect(await store.get('h1')).toBeUndefined();
    expect(await store.size()).toBe(0);
    expect(evicted).toEqual(['h1']);
  });

  it('sweeps only expired sessions and tells listeners', async () => {
    await store.put(makeSession({ tokenHash: 'old', expiresAt: 10 }));
    await store.put(makeSession({ tokenHash: 'new', expiresAt: 10_000 }));
    clock.set(500);
    expect(store.sweep()).toBe(1);
    expect(evicted).toEqual(['old']);
    expect(await store.get('new')).toBeDefined();
  });

  it('delete is idempotent', async () => {
    await store.put(makeSession());
    await store.delete('h1');
    await store.delete('h1');
    expect(evicted).toEqual(['h1']);
  });

  it('ends every session when the module stops, telling listeners', async () => {
    await store.put(makeSession({ tokenHash: 'a' }));
    await store.put(makeSession({ tokenHash: 'b' }));
    store.onModuleDestroy();
    expect(evicted.sort()).toEqual(['a', 'b']);
    expect(await store.size()).toBe(0);
  });
});
