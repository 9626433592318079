import { ManualClock } from '@app/common';
import { Session } from '../session';
import { SessionEviction, SessionSecrets, SessionStore } from '../session.store';
import { sessionFixture } from './session.fixture';

/** The key material a store keeps for a session: a real key for a store that imports it back. */
export type SessionKeyMaterial = Pick<SessionSecrets, 'pkcs8' | 'certificates'>;

/** The bearer token the contract uses for a token hash (a shared store derives its key from it). */
export const contractTokenOf = (tokenHash: string): string => `contract-token-${tokenHash}`;

/** Lets an adapter that publishes evictions asynchronously deliver them. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * The behaviour every SessionStore adapter must show (STYLE §24). A shared adapter (Redis) calls this
 * with its own factory; the clock is the one the adapter reads time from. Evictions are checked as
 * "at least once", so an adapter that repeats them passes.
 */
export function describeSessionStoreContract(
  name: string,
  makeStore: (clock: ManualClock) => SessionStore | Promise<SessionStore>,
  destroy: (store: SessionStore) => void | Promise<void> = () => undefined,
  /** The key material put hands over; a store that imports the key back needs a real one. */
  material: () => SessionKeyMaterial | Promise<SessionKeyMaterial> = () => ({
    pkcs8: new Uint8Array(0),
    certificates: [],
  }),
): void {
  describe(`SessionStore contract: ${name}`, () => {
    let clock: ManualClock;
    let inner: SessionStore;
    let store: {
      put(session: Session): Promise<void>;
      get(tokenHash: string): Promise<Session | undefined>;
      delete(tokenHash: string): Promise<void>;
      size(): Promise<number>;
      onEvicted: SessionStore['onEvicted'];
    };
    let evicted: SessionEviction[];

    beforeEach(async () => {
      clock = new ManualClock(0);
      inner = await makeStore(clock);
      const keys = await material();
      // Every put carries the secrets a real open would, every get the token of its hash.
      store = {
        put: (session) => inner.put(session, { token: contractTokenOf(session.tokenHash), ...keys }),
        get: (tokenHash) => inner.get(tokenHash, contractTokenOf(tokenHash)),
        delete: (tokenHash) => inner.delete(tokenHash),
        size: () => inner.size(),
        onEvicted: (listener) => inner.onEvicted(listener),
      };
      evicted = [];
      store.onEvicted((e) => evicted.push(e));
    });
    afterEach(() => destroy(inner));

    it('returns a stored session by its token hash, and nothing for an unknown one', async () => {
      await store.put(sessionFixture({ tokenHash: 'h1', apiKeyId: 'k1', expiresAt: 1_000 }));
      expect(await store.get('h1')).toMatchObject({ tokenHash: 'h1', apiKeyId: 'k1', expiresAt: 1_000 });
      expect(await store.get('unknown')).toBeUndefined();
    });

    it('a session is live until just before expiresAt, then gone and reported evicted', async () => {
      await store.put(sessionFixture({ tokenHash: 'h1', expiresAt: 1_000 }));
      clock.set(999);
      expect(await store.get('h1')).toBeDefined();
      clock.set(1_000);
      expect(await store.get('h1')).toBeUndefined();
      await settle();
      expect(evicted).toContainEqual(expect.objectContaining({ tokenHash: 'h1', apiKeyId: 'k1' }));
    });

    it('delete ends the session, tells listeners with ids only, and is idempotent', async () => {
      await store.put(sessionFixture({ tokenHash: 'h1', apiKeyId: 'k1' }));
      await store.delete('h1');
      await store.delete('h1');
      await store.delete('never-stored');
      expect(await store.get('h1')).toBeUndefined();
      await settle();
      expect(evicted.length).toBeGreaterThanOrEqual(1);
      for (const e of evicted) {
        expect(e).toMatchObject({ tokenHash: 'h1', apiKeyId: 'k1' });
        // Only ids cross a shared store; the key never does.
        expect(e).not.toHaveProperty('signingKey');
        expect(e).not.toHaveProperty('identity');
      }
    });

    it('keeps sessions apart and counts the open ones', async () => {
      await store.put(sessionFixture({ tokenHash: 'a', apiKeyId: 'k1' }));
      await store.put(sessionFixture({ tokenHash: 'b', apiKeyId: 'k2' }));
      expect(await store.size()).toBe(2);
      await store.delete('a');
      expect(await store.get('a')).toBeUndefined();
      expect(await store.get('b')).toMatchObject({ apiKeyId: 'k2' });
      expect(await store.size()).toBe(1);
      await settle();
      expect(evicted.map((e) => e.tokenHash)).not.toContain('b');
    });

    it('put replaces the session under the same token hash', async () => {
      await store.put(sessionFixture({ tokenHash: 'h1', expiresAt: 1_000 }));
      await store.put(sessionFixture({ tokenHash: 'h1', expiresAt: 5_000 }));
      clock.set(2_000);
      expect(await store.get('h1')).toMatchObject({ expiresAt: 5_000 });
      expect(await store.size()).toBe(1);
    });
  });
}
