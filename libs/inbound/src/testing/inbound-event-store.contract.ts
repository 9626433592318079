import { ManualClock } from '@app/common';
import {
  InboundEventStore,
  InboundEventStoreLimits,
  StoredInboundEvent,
} from '../events/inbound-event.store';

let counter = 0;

/** A held event as the sink makes it; override what a test is about. */
export function storedEvent(clock: ManualClock, over: Partial<StoredInboundEvent> = {}): StoredInboundEvent {
  counter++;
  return {
    id: `evt_test_${counter}`,
    type: 'ecf.received',
    rnc: '131880681',
    apiKeyId: 'key-a',
    receivedAt: new Date(clock.now()).toISOString(),
    document: { tipoeCF: '31', eNCF: `E31${String(counter).padStart(10, '0')}`, rncEmisor: '101672919' },
    xml: '<ECF>…</ECF>',
    arecf: { estado: '0', signedXml: '<ARECF>…</ARECF>' },
    status: 'pending',
    attempts: 0,
    round: 1,
    roundAttempts: 0,
    storedAt: clock.now(),
    ...over,
  };
}

/**
 * The behaviour every InboundEventStore adapter must show (issue 10 §3). A Redis adapter calls
 * this with its own factory; the clock is the one the adapter reads time from.
 */
export function describeInboundEventStoreContract(
  name: string,
  makeStore: (
    clock: ManualClock,
    limits: InboundEventStoreLimits,
  ) => InboundEventStore | Promise<InboundEventStore>,
  destroy: (store: InboundEventStore) => void | Promise<void> = () => undefined,
): void {
  describe(`InboundEventStore contract: ${name}`, () => {
    const HOUR = 3_600_000;
    let clock: ManualClock;
    let store: InboundEventStore;
    const limits: InboundEventStoreLimits = { maxPerReceptor: 3, retentionMs: 72 * HOUR };

    beforeEach(async () => {
      clock = new ManualClock(Date.parse('2026-04-23T17:00:00Z'));
      store = await makeStore(clock, limits);
    });
    afterEach(() => destroy(store));

    it('holds an event and gives back what it was given', async () => {
      const event = storedEvent(clock);
      expect(await store.insert(event)).toEqual({ held: true, dropped: 0 });
      expect(await store.get(event.id)).toEqual(event);
      expect(await store.get('evt_unknown')).toBeUndefined();
    });

    it('a returned event is a copy: changing it changes nothing held', async () => {
      const event = storedEvent(clock);
      await store.insert(event);
      const got = (await store.get(event.id))!;
      got.status = 'failed';
      got.document.eNCF = 'changed';
      expect(await store.get(event.id)).toEqual(event);
    });

    it('applies patches and returns the result', async () => {
      const event = storedEvent(clock);
      await store.insert(event);
      const patched = await store.update(event.id, {
        status: 'delivered',
        attempts: 2,
        deliveredAt: clock.now(),
      });
      expect(patched).toMatchObject({
        status: 'delivered',
        attempts: 2,
        deliveredAt: clock.now(),
        xml: event.xml,
      });
      expect(await store.get(event.id)).toEqual(patched);
      expect(await store.update('evt_unknown', { status: 'failed' })).toBeUndefined();
    });

    it('applies a guarded patch only while the event is in the expected status and round', async () => {
      const event = storedEvent(clock);
      await store.insert(event);
      expect(await store.update(event.id, { attempts: 1 }, { status: 'pending', round: 2 })).toBeUndefined();
      expect(await store.update(event.id, { attempts: 1 }, { status: 'failed', round: 1 })).toBeUndefined();
      expect((await store.get(event.id))?.attempts).toBe(0);
      expect(await store.update(event.id, { attempts: 1 }, { status: 'pending', round: 1 })).toMatchObject({
        attempts: 1,
      });
    });

    it('a patch can clear a field', async () => {
      const event = storedEvent(clock, { nextAttemptAt: clock.now(), acknowledgedAt: clock.now() });
      await store.insert(event);
      await store.update(event.id, { nextAttemptAt: undefined, acknowledgedAt: undefined });
      const got = await store.get(event.id);
      expect(got?.nextAttemptAt).toBeUndefined();
      expect(got?.acknowledgedAt).toBeUndefined();
    });

    it('lists an API key its own events only, oldest first, by status, up to a limit', async () => {
      const a1 = storedEvent(clock);
      const b1 = storedEvent(clock, { apiKeyId: 'key-b', rnc: '401506254' });
      clock.advance(1_000);
      const a2 = storedEvent(clock, { status: 'failed' });
      clock.advance(1_000);
      const a3 = storedEvent(clock);
      for (const e of [a1, b1, a2, a3]) await store.insert(e);
      expect((await store.list('key-a', { limit: 10 })).map((e) => e.id)).toEqual([a1.id, a2.id, a3.id]);
      expect((await store.list('key-a', { status: 'pending', limit: 10 })).map((e) => e.id)).toEqual([
        a1.id,
        a3.id,
      ]);
      expect((await store.list('key-a', { status: 'failed', limit: 10 })).map((e) => e.id)).toEqual([a2.id]);
      expect((await store.list('key-a', { limit: 1 })).map((e) => e.id)).toEqual([a1.id]);
      expect((await store.list('key-b', { limit: 10 })).map((e) => e.id)).toEqual([b1.id]);
      expect(await store.list('key-c', { limit: 10 })).toEqual([]);
    });

    it('a full receptor drops its oldest delivered or acknowledged event first, never an undelivered one', async () => {
      const undelivered = storedEvent(clock);
      const delivered = storedEvent(clock, { status: 'delivered', deliveredAt: clock.now() });
      const acked = storedEvent(clock, { status: 'delivered', acknowledgedAt: clock.now() });
      for (const e of [undelivered, delivered, acked]) await store.insert(e);
      const fourth = storedEvent(clock);
      expect(await store.insert(fourth)).toEqual({ held: true, dropped: 1 });
      expect(await store.get(delivered.id)).toBeUndefined();
      expect(await store.get(undelivered.id)).toBeDefined();
      const fifth = storedEvent(clock);
      expect(await store.insert(fifth)).toEqual({ held: true, dropped: 1 });
      expect(await store.get(acked.id)).toBeUndefined();
    });

    it('a receptor full of undelivered events (pending or failed) refuses, changing nothing', async () => {
      const held = [storedEvent(clock), storedEvent(clock, { status: 'failed' }), storedEvent(clock)];
      for (const e of held) await store.insert(e);
      const refused = storedEvent(clock);
      expect(await store.insert(refused)).toEqual({ held: false });
      expect(await store.get(refused.id)).toBeUndefined();
      for (const e of held) expect(await store.get(e.id)).toEqual(e);
      // Other receptors have their own share.
      expect(await store.insert(storedEvent(clock, { rnc: '401506254' }))).toEqual({
        held: true,
        dropped: 0,
      });
      // Acknowledging one makes room again.
      await store.update(held[1].id, { status: 'delivered', acknowledgedAt: clock.now() });
      expect(await store.insert(refused)).toEqual({ held: true, dropped: 1 });
    });

    it('holds no event past the retention, delivered or not', async () => {
      const old = storedEvent(clock);
      const oldDelivered = storedEvent(clock, { status: 'delivered', deliveredAt: clock.now() });
      await store.insert(old);
      await store.insert(oldDelivered);
      clock.advance(limits.retentionMs - 1);
      const young = storedEvent(clock);
      await store.insert(young);
      expect(await store.get(old.id)).toBeDefined();
      clock.advance(1);
      expect(await store.get(old.id)).toBeUndefined();
      expect(await store.update(old.id, { status: 'failed' })).toBeUndefined();
      expect((await store.list('key-a', { limit: 10 })).map((e) => e.id)).toEqual([young.id]);
      expect(await store.sweep()).toBeGreaterThanOrEqual(0);
      expect(await store.depth()).toEqual({ pending: 1, delivered: 0, failed: 0 });
      // Expired events no longer count against the receptor's share.
      for (let i = 0; i < limits.maxPerReceptor - 1; i++) {
        expect((await store.insert(storedEvent(clock))).held).toBe(true);
      }
    });

    it('lists every pending event for rescheduling, and counts held events by status', async () => {
      const p1 = storedEvent(clock);
      const f1 = storedEvent(clock, { status: 'failed' });
      const p2 = storedEvent(clock, {
        apiKeyId: 'key-b',
        rnc: '401506254',
        nextAttemptAt: clock.now() + 5_000,
      });
      const d1 = storedEvent(clock, { rnc: '401506254', status: 'delivered', deliveredAt: clock.now() });
      for (const e of [p1, f1, p2, d1]) await store.insert(e);
      expect((await store.pending()).map((e) => e.id)).toEqual([p1.id, p2.id]);
      expect((await store.pending())[1].nextAttemptAt).toBe(clock.now() + 5_000);
      expect(await store.depth()).toEqual({ pending: 2, delivered: 1, failed: 1 });
    });
  });
}
