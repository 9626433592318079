import { ManualClock } from '@app/common';
import type { SigningIdentity } from '@app/signing';
import { MemorySessionStore } from './memory-session.store';
import { Session } from './session';

function makeSession(overrides: Partial<Session> = {}): Session {
  return {
    tokenHash: 'h1',
    apiKeyId: 'k1',
    cacheKey: 'k1\u0000h1',
    identity: {
      privateKey: {} as SigningIdentity['privateKey'],
      certificate: {} as SigningIdentity['certificate'],
      keyType: 'rsa',
      signerCedula: '40209547971',
      subjectDn: 'CN=X',
      notBefore: 0,
      notAfter: 0,
    },
    openedAt: 0,
    expiresAt: 1_000,
    ...overrides,
  };
}

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

  it('returns a live session and forgets it at expiresAt', () => {
    store.put(makeSession());
    clock.set(999);
    expect(store.get('h1')?.identity.signerCedula).toBe('40209547971');
    clock.set(1_000);
    expect(store.get('h1')).toBeUndefined();
    expect(store.size()).toBe(0);
    expect(evicted).toEqual(['h1']);
  });

  it('sweeps only expired sessions and tells listeners', () => {
    store.put(makeSession({ tokenHash: 'old', expiresAt: 10 }));
    store.put(makeSession({ tokenHash: 'new', expiresAt: 10_000 }));
    clock.set(500);
    expect(store.sweep()).toBe(1);
    expect(evicted).toEqual(['old']);
    expect(store.get('new')).toBeDefined();
  });

  it('delete is idempotent', () => {
    store.put(makeSession());
    store.delete('h1');
    store.delete('h1');
    expect(evicted).toEqual(['h1']);
  });
});
