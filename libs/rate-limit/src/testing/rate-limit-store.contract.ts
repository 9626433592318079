import { ManualClock } from '@app/common';
import { RateLimitStore } from '../rate-limit.store';

/**
 * The behaviour every RateLimitStore adapter must show (STYLE §24). A Redis adapter calls this with
 * its own factory; the clock is the one the adapter reads time from.
 */
export function describeRateLimitStoreContract(
  name: string,
  makeStore: (clock: ManualClock) => RateLimitStore | Promise<RateLimitStore>,
  destroy: (store: RateLimitStore) => void | Promise<void> = () => undefined,
): void {
  describe(`RateLimitStore contract: ${name}`, () => {
    let clock: ManualClock;
    let store: RateLimitStore;

    beforeEach(async () => {
      // On a window boundary, so elapsed time in the tests is exact.
      clock = new ManualClock(Date.parse('2026-04-23T17:00:00Z'));
      store = await makeStore(clock);
    });
    afterEach(() => destroy(store));

    it('allows `limit` hits in a window, counting remaining down, then refuses', async () => {
      const remaining: number[] = [];
      for (let i = 0; i < 3; i++) {
        const d = await store.hit('k', 1_000, 3);
        expect(d.allowed).toBe(true);
        remaining.push(d.remaining);
      }
      expect(remaining).toEqual([2, 1, 0]);
      const refused = await store.hit('k', 1_000, 3);
      expect(refused).toMatchObject({ allowed: false, remaining: 0 });
      expect(refused.resetMs).toBeGreaterThan(0);
    });

    it('a refused hit is not counted, and waiting resetMs allows again', async () => {
      for (let i = 0; i < 2; i++) await store.hit('k', 1_000, 2);
      for (let i = 0; i < 5; i++) expect((await store.hit('k', 1_000, 2)).allowed).toBe(false);
      const refused = await store.hit('k', 1_000, 2);
      clock.advance(refused.resetMs - 1);
      expect((await store.peek('k', 1_000, 2)).allowed).toBe(false);
      clock.advance(1);
      expect((await store.hit('k', 1_000, 2)).allowed).toBe(true);
    });

    it('the previous window still weighs right after the edge (no double burst)', async () => {
      clock.advance(999);
      for (let i = 0; i < 4; i++) expect((await store.hit('k', 1_000, 4)).allowed).toBe(true);
      clock.advance(1);
      expect((await store.hit('k', 1_000, 4)).allowed).toBe(false);
      clock.advance(2_000);
      expect((await store.hit('k', 1_000, 4)).allowed).toBe(true);
    });

    it('keys are independent', async () => {
      await store.hit('a', 60_000, 1);
      expect((await store.hit('a', 60_000, 1)).allowed).toBe(false);
      expect((await store.hit('b', 60_000, 1)).allowed).toBe(true);
    });

    it('peek decides without counting', async () => {
      for (let i = 0; i < 5; i++) expect((await store.peek('k', 1_000, 1)).allowed).toBe(true);
      expect((await store.hit('k', 1_000, 1)).allowed).toBe(true);
      expect((await store.peek('k', 1_000, 1)).allowed).toBe(false);
    });

    it('hands out at most `limit` slots per key until they are released', async () => {
      expect(await store.acquire('s', 'a', 2, 60_000)).toBe(true);
      expect(await store.acquire('s', 'b', 2, 60_000)).toBe(true);
      expect(await store.acquire('s', 'c', 2, 60_000)).toBe(false);
      expect(await store.acquire('t', 'c', 2, 60_000)).toBe(true);
      await store.release('s', 'a');
      expect(await store.acquire('s', 'c', 2, 60_000)).toBe(true);
      expect(await store.acquire('s', 'd', 2, 60_000)).toBe(false);
    });

    it('a slot frees itself after its ttl', async () => {
      expect(await store.acquire('s', 'a', 1, 1_000)).toBe(true);
      clock.advance(999);
      expect(await store.acquire('s', 'b', 1, 1_000)).toBe(false);
      clock.advance(1);
      expect(await store.acquire('s', 'b', 1, 1_000)).toBe(true);
    });

    it('releasing a slot that is not held changes nothing', async () => {
      await store.release('nobody', 'x');
      expect(await store.acquire('nobody', 'a', 1, 60_000)).toBe(true);
      await store.release('nobody', 'x');
      expect(await store.acquire('nobody', 'b', 1, 60_000)).toBe(false);
    });
  });
}
