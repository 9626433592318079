import { ManualClock } from '@app/common';
import { RedisConnection } from '@app/redis';
import { deleteKeysUnder, keysUnder, testRedisConnection, uniqueRedisPrefix } from '@app/testing';
import { describeInboundEventStoreContract, storedEvent } from '../testing/inbound-event-store.contract';
import { InboundEventStoreLimits } from './inbound-event.store';
import { RedisInboundEventStore } from './redis-inbound-event.store';

const PREFIX = uniqueRedisPrefix('inbound-events');
const connections: RedisConnection[] = [];
afterAll(async () => {
  await Promise.all(connections.map((c) => c.close()));
  await deleteKeysUnder(PREFIX);
});

async function storeOn(
  clock: ManualClock,
  limits: InboundEventStoreLimits,
  prefix: string,
): Promise<RedisInboundEventStore> {
  const connection = await testRedisConnection(prefix);
  connections.push(connection);
  return new RedisInboundEventStore(connection, clock, limits);
}

describeInboundEventStoreContract('RedisInboundEventStore (real Redis)', (clock, limits) =>
  storeOn(clock, limits, `${PREFIX}${Math.random().toString(36).slice(2)}:`),
);

describe('RedisInboundEventStore across replicas', () => {
  const limits = { maxPerReceptor: 2, retentionMs: 3_600_000 };

  it('two replicas share one receptor share: concurrent inserts never exceed the cap', async () => {
    const prefix = `${PREFIX}race:`;
    const clock = new ManualClock(Date.parse('2026-04-23T17:00:00Z'));
    const a = await storeOn(clock, limits, prefix);
    const b = await storeOn(clock, limits, prefix);
    const events = Array.from({ length: 6 }, () => storedEvent(clock));
    const outcomes = await Promise.all(events.map((e, i) => (i % 2 ? a : b).insert(e)));
    expect(outcomes.filter((o) => o.held)).toHaveLength(2);
    expect(await a.depth()).toEqual({ pending: 2, delivered: 0, failed: 0 });
    // A compare-and-set applies once, whichever replica asks.
    const id = events[outcomes.findIndex((o) => o.held)].id;
    const guard = { status: 'pending' as const, round: 1 };
    const [first, second] = await Promise.all([
      a.update(id, { status: 'delivered', deliveredAt: 1 }, guard),
      b.update(id, { status: 'delivered', deliveredAt: 2 }, guard),
    ]);
    expect([first, second].filter(Boolean)).toHaveLength(1);
  });

  it('the document and the ARECF are never stored in the clear', async () => {
    const prefix = `${PREFIX}scan:`;
    const clock = new ManualClock(Date.parse('2026-04-23T17:00:00Z'));
    const store = await storeOn(clock, limits, prefix);
    const event = storedEvent(clock, {
      xml: '<ECF><RazonSocialEmisor>Documento Secreto SRL</RazonSocialEmisor></ECF>',
      document: { razonSocialEmisor: 'Documento Secreto SRL', montoTotal: '987654.32' },
      arecf: { estado: '0', signedXml: '<ARECF>acuse-firmado-secreto</ARECF>' },
    });
    await store.insert(event);
    expect(await store.get(event.id)).toEqual(event);
    const raw = [...(await keysUnder(prefix)).values()].map((v) => v.toString('latin1')).join('\n');
    expect(raw).toContain(event.id);
    for (const secret of ['Documento Secreto', '987654.32', 'acuse-firmado-secreto', '<ECF>']) {
      expect(raw).not.toContain(secret);
    }
  });
});
