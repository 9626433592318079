import { ManualClock } from '@app/common';
import { SessionEviction, SessionStore } from '../session.store';
import { sessionFixture } from './session.fixture';

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
): void {
  describe(`SessionStore contract: ${name}`, () => {
    let clock: ManualClock;
    let store: SessionStore;
    let evicted: SessionEviction[];

    beforeEach(async () => {
      clock = new ManualClock(0);
      store = await makeStore(clock);
      evicted = [];
      store.onEvicted((e) => evicted.push(e));
    });
    afterEach(() => destroy(store));

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
