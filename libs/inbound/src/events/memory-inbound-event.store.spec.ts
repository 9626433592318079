import { ManualClock } from '@app/common';
import { MemoryInboundEventStore } from './memory-inbound-event.store';
import { describeInboundEventStoreContract, storedEvent } from '../testing/inbound-event-store.contract';

describeInboundEventStoreContract(
  'MemoryInboundEventStore',
  (clock, limits) => new MemoryInboundEventStore(clock, limits),
  (store) => (store as MemoryInboundEventStore).onModuleDestroy(),
);

describe('MemoryInboundEventStore memory bound', () => {
  it('frees expired events on the sweep, not only hides them', async () => {
    const clock = new ManualClock(0);
    const store = new MemoryInboundEventStore(clock, { maxPerReceptor: 100, retentionMs: 1_000 });
    for (let i = 0; i < 20; i++) await store.insert(storedEvent(clock, { rnc: `r${i % 3}` }));
    clock.advance(500);
    await store.insert(storedEvent(clock));
    clock.advance(500);
    expect(await store.sweep()).toBe(20);
    expect(store.size()).toBe(1);
    store.onModuleDestroy();
  });
});
