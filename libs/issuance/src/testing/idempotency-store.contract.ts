import { ManualClock } from '@app/common';
import { IDEMPOTENCY_TTL_MS, IdempotencyStore } from '../idempotency.store';

/** A result as the issuance service stores it: plain data only. */
const RESULT = { ecfNumber: 'E310000000001', status: 'Aceptado', messages: [{ code: '0', text: 'ok' }] };

/**
 * The behaviour every IdempotencyStore adapter must show (STYLE §24). A shared adapter (Redis) calls
 * this with its own factory; the clock is the one the adapter reads time from.
 */
export function describeIdempotencyStoreContract(
  name: string,
  makeStore: (clock: ManualClock) => IdempotencyStore | Promise<IdempotencyStore>,
  destroy: (store: IdempotencyStore) => void | Promise<void> = () => undefined,
): void {
  describe(`IdempotencyStore contract: ${name}`, () => {
    let clock: ManualClock;
    let store: IdempotencyStore;

    beforeEach(async () => {
      clock = new ManualClock(0);
      store = await makeStore(clock);
    });
    afterEach(() => destroy(store));

    it('claims a fresh id, then replays its completed result as plain data', async () => {
      expect(await store.claim('k', 'id', 'h1')).toEqual({ state: 'claimed' });
      expect(await store.read('k', 'id')).toEqual({ state: 'in-flight', bodyHash: 'h1' });
      await store.complete('k', 'id', structuredClone(RESULT));
      expect(await store.read('k', 'id')).toEqual({ state: 'done', bodyHash: 'h1', result: RESULT });
      expect(await store.claim('k', 'id', 'h1')).toEqual({ state: 'done', result: RESULT });
    });

    it('a duplicate claimed while the first runs waits for its result', async () => {
      await store.claim('k', 'id', 'h1');
      const second = await store.claim('k', 'id', 'h1');
      if (second.state !== 'in-flight') throw new Error(`expected in-flight, got ${second.state}`);
      const waited = second.wait();
      await store.complete('k', 'id', RESULT);
      expect(await waited).toEqual(RESULT);
    });

    it('refuses another body under the same id, in flight or done', async () => {
      await store.claim('k', 'id', 'h1');
      expect(await store.claim('k', 'id', 'h2')).toEqual({ state: 'conflict' });
      await store.complete('k', 'id', RESULT);
      expect(await store.claim('k', 'id', 'h2')).toEqual({ state: 'conflict' });
    });

    it('does not remember a released (failed) run: the id is free and its waiters fail', async () => {
      await store.claim('k', 'id', 'h1');
      const second = await store.claim('k', 'id', 'h1');
      if (second.state !== 'in-flight') throw new Error(`expected in-flight, got ${second.state}`);
      const waited = second.wait();
      await store.release('k', 'id', new Error('DGII down'));
      await expect(waited).rejects.toBeDefined();
      expect(await store.read('k', 'id')).toBeUndefined();
      expect(await store.claim('k', 'id', 'h2')).toEqual({ state: 'claimed' });
    });

    it('keeps ids per API key', async () => {
      await store.claim('k1', 'id', 'h1');
      await store.complete('k1', 'id', RESULT);
      expect(await store.claim('k2', 'id', 'h2')).toEqual({ state: 'claimed' });
      expect(await store.read('k1', 'id')).toMatchObject({ state: 'done', bodyHash: 'h1' });
    });

    it('forgets a result IDEMPOTENCY_TTL_MS after its claim', async () => {
      await store.claim('k', 'id', 'h1');
      clock.advance(1_000);
      await store.complete('k', 'id', RESULT);
      clock.advance(IDEMPOTENCY_TTL_MS - 1_001);
      expect(await store.claim('k', 'id', 'h2')).toEqual({ state: 'conflict' });
      clock.advance(1);
      expect(await store.read('k', 'id')).toBeUndefined();
      expect(await store.claim('k', 'id', 'h2')).toEqual({ state: 'claimed' });
    });

    it('keeps an unknown outcome for the next claim with the same body, once', async () => {
      const attempt = { encf: 'E310000000001', signedXml: '<ECF/>' };
      await store.claim('k', 'id', 'h1');
      const second = await store.claim('k', 'id', 'h1');
      if (second.state !== 'in-flight') throw new Error(`expected in-flight, got ${second.state}`);
      const waited = second.wait();
      await store.release('k', 'id', new Error('timeout after sending'), structuredClone(attempt));
      await expect(waited).rejects.toBeDefined();
      expect(await store.read('k', 'id')).toEqual({
        state: 'unknown-outcome',
        bodyHash: 'h1',
        unknownOutcome: attempt,
      });
      // The id stays bound to its body: the document may be at DGII.
      expect(await store.claim('k', 'id', 'h2')).toEqual({ state: 'conflict' });
      expect(await store.claim('k', 'id', 'h1')).toEqual({ state: 'claimed', unknownOutcome: attempt });
      expect(await store.claim('k', 'id', 'h1')).toMatchObject({ state: 'in-flight' });
      await store.complete('k', 'id', RESULT);
      expect(await store.read('k', 'id')).toEqual({ state: 'done', bodyHash: 'h1', result: RESULT });
    });

    it('forgets an unknown outcome IDEMPOTENCY_TTL_MS after the first claim', async () => {
      await store.claim('k', 'id', 'h1');
      await store.release('k', 'id', new Error('5xx'), { encf: 'E310000000001' });
      clock.advance(IDEMPOTENCY_TTL_MS);
      expect(await store.read('k', 'id')).toBeUndefined();
      expect(await store.claim('k', 'id', 'h1')).toEqual({ state: 'claimed' });
    });

    it('completing or releasing an id that was never claimed changes nothing', async () => {
      await store.complete('k', 'ghost', RESULT);
      await store.release('k', 'ghost');
      expect(await store.read('k', 'ghost')).toBeUndefined();
    });
  });
}
