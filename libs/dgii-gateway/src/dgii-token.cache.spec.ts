import { ManualClock } from '@app/common';
import { DgiiTokenCache, DgiiTokenGrant } from './dgii-token.cache';
import { MemoryDgiiTokenStore } from './dgii-token.store';
import { describeDgiiTokenStoreContract } from './testing/dgii-token-store.contract';

describeDgiiTokenStoreContract('MemoryDgiiTokenStore', () => new MemoryDgiiTokenStore());

const grant = (token: string): DgiiTokenGrant => ({
  token,
  expedido: '2022-12-11T01:58:56Z',
  expira: '2022-12-11T02:58:56Z',
});

function deferred<T>(): { promise: Promise<T>; resolve(v: T): void; reject(e: unknown): void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('DgiiTokenCache', () => {
  let clock: ManualClock;
  let store: MemoryDgiiTokenStore;
  let cache: DgiiTokenCache;
  let calls: number;
  const auth =
    (token = `t${calls + 1}`) =>
    () => {
      calls++;
      return Promise.resolve(grant(token));
    };

  beforeEach(() => {
    clock = new ManualClock();
    store = new MemoryDgiiTokenStore();
    cache = new DgiiTokenCache(clock, store);
    calls = 0;
  });

  it('authenticates once for concurrent callers (single flight)', async () => {
    const gate = deferred<DgiiTokenGrant>();
    const authenticate = jest.fn(() => gate.promise);
    const all = Promise.all([1, 2, 3].map(() => cache.token('s1', 'TEST', authenticate)));
    gate.resolve(grant('shared'));
    expect(await all).toEqual(['shared', 'shared', 'shared']);
    expect(authenticate).toHaveBeenCalledTimes(1);
  });

  it('reuses the token until 60 s before it expires, then refreshes', async () => {
    expect(await cache.token('s1', 'TEST', auth())).toBe('t1');
    clock.advance(3_600_000 - 60_001);
    expect(await cache.token('s1', 'TEST', auth())).toBe('t1');
    clock.advance(1);
    expect(await cache.token('s1', 'TEST', auth())).toBe('t2');
    expect(calls).toBe(2);
  });

  it('uses expira − expedido, so a skewed DGII clock does not matter', async () => {
    await cache.token('s1', 'TEST', () =>
      Promise.resolve({ token: 'a', expedido: '2030-01-01T00:00:00Z', expira: '2030-01-01T00:10:00Z' }),
    );
    clock.advance(8 * 60_000);
    expect(await cache.token('s1', 'TEST', auth('b'))).toBe('a');
    clock.advance(60_000);
    expect(await cache.token('s1', 'TEST', auth('b'))).toBe('b');
  });

  it('keeps environments and sessions apart', async () => {
    expect(await cache.token('s1', 'TEST', auth('s1-test'))).toBe('s1-test');
    expect(await cache.token('s1', 'CERTIFICATION', auth('s1-cert'))).toBe('s1-cert');
    expect(await cache.token('s2', 'TEST', auth('s2-test'))).toBe('s2-test');
    expect(await cache.token('s1', 'TEST', auth('again'))).toBe('s1-test');
    expect(calls).toBe(3);
  });

  it('drops a refused token, but not one that already replaced it', async () => {
    await cache.token('s1', 'TEST', auth('old'));
    await cache.invalidate('s1', 'TEST', 'old');
    expect(await cache.token('s1', 'TEST', auth('new'))).toBe('new');
    await cache.invalidate('s1', 'TEST', 'old');
    expect(await cache.token('s1', 'TEST', auth('newer'))).toBe('new');
  });

  it('forgets every token of an evicted session', async () => {
    await cache.token('s1', 'TEST', auth('a'));
    await cache.token('s1', 'PRODUCTION', auth('b'));
    expect(store.size()).toBe(1);
    await cache.evict('s1');
    expect(store.size()).toBe(0);
    expect(await cache.token('s1', 'TEST', auth('c'))).toBe('c');
  });

  it('does not cache a failed authentication', async () => {
    await expect(cache.token('s1', 'TEST', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await cache.token('s1', 'TEST', auth('ok'))).toBe('ok');
  });

  it('keeps using a token whose early refresh failed, until it really expires', async () => {
    await cache.token('s1', 'TEST', auth('a'));
    clock.advance(3_600_000 - 30_000);
    expect(await cache.token('s1', 'TEST', () => Promise.reject(new Error('down')))).toBe('a');
    clock.advance(30_000);
    await expect(cache.token('s1', 'TEST', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
  });

  it('falls back to one hour when DGII dates cannot be read', async () => {
    await cache.token('s1', 'TEST', () => Promise.resolve({ token: 'a', expedido: '', expira: 'nonsense' }));
    clock.advance(58 * 60_000);
    expect(await cache.token('s1', 'TEST', auth('b'))).toBe('a');
    clock.advance(60_000);
    expect(await cache.token('s1', 'TEST', auth('b'))).toBe('b');
  });

  it('does not store the token of an authentication that outlived its session', async () => {
    const gate = deferred<DgiiTokenGrant>();
    const inFlight = cache.token('s1', 'TEST', () => gate.promise);
    await cache.evict('s1');
    gate.resolve(grant('late'));
    expect(await inFlight).toBe('late');
    expect(store.size()).toBe(0);
    expect(await cache.token('s1', 'TEST', auth('fresh'))).toBe('fresh');
  });

  it('keeps tokens in the store it is given, so another cache over it reuses them', async () => {
    expect(await cache.token('s1', 'TEST', auth('shared'))).toBe('shared');
    const other = new DgiiTokenCache(clock, store);
    expect(await other.token('s1', 'TEST', auth('second'))).toBe('shared');
    expect(calls).toBe(1);
  });
});
