/**
 * Memory of N inbound events held in the in-memory store (issue 10: "the memory of 10,000 held
 * events"). Each event carries its own copy of a real signed 10-line e-CF 31 (as received) and a
 * signed ARECF, as the receptor hands them over; the two XML strings dominate. Printed beside the
 * bytes of the XML themselves, so the ratio shows the store's own overhead.
 * Run: npm run bench:inbound-events (node --expose-gc …)
 */
import { ManualClock } from '@app/common';
import Redis from 'ioredis';
import { MemoryInboundEventStore, RedisInboundEventStore, StoredInboundEvent } from '@app/inbound';
import { signCanonicalXml } from '@app/signing';
import { arecfFromRequest, buildDocument } from '@app/xml-builder';
import {
  deleteKeysUnder,
  FIXTURE_SIGNED_AT,
  makeEcf,
  REDIS_TEST_URL,
  testIdentity,
  testRedisConnection,
  uniqueRedisPrefix,
} from '@app/testing';
import globalSetup from '../test/support/global-setup';

const N = Number(process.env.EVENTS ?? 10_000);
/** Events put in the machine's Redis (SESSION_STORE=redis); 0 skips it. */
const REDIS_N = Number(process.env.REDIS_EVENTS ?? 1_000);

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error('run with node --expose-gc');
  collect();
  collect();
}

const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);

/** A fresh flat copy, so no two events share a string (as with documents received one by one). */
const own = (text: string, seq: number): string =>
  Buffer.from(text.replace('E310000000001', `E31${String(seq).padStart(10, '0')}`), 'utf8').toString('utf8');

async function main(): Promise<void> {
  globalSetup();
  const identity = await testIdentity();
  const ecf = signCanonicalXml(
    buildDocument('31', makeEcf('31', { lines: 10, sequence: 1 }), { fechaHoraFirma: FIXTURE_SIGNED_AT }),
    identity,
  ).xml;
  const arecf = signCanonicalXml(
    buildDocument(
      'ARECF',
      arecfFromRequest(
        { rncEmisor: '131793916', rncComprador: '131880681', eNCF: 'E310000000001', estado: 0 },
        FIXTURE_SIGNED_AT,
      ),
    ),
    identity,
  ).xml;
  const xmlBytesPerEvent = Buffer.byteLength(ecf) + Buffer.byteLength(arecf);

  const clock = new ManualClock(Date.now());
  const eventOf = (i: number): StoredInboundEvent => ({
    id: `evt_${i.toString(16).padStart(32, '0')}`,
    type: 'ecf.received',
    rnc: `1318806${String(i % 100).padStart(2, '0')}`,
    apiKeyId: 'bench-key-id-0000000000000000000000000000',
    receivedAt: new Date(clock.now()).toISOString(),
    document: {
      tipoeCF: '31',
      eNCF: `E31${String(i).padStart(10, '0')}`,
      rncEmisor: '131793916',
      razonSocialEmisor: 'DOCUMENTOS ELECTRONICOS DE 02',
      rncComprador: '131880681',
      fechaEmision: '01-04-2026',
      montoTotal: '118000.00',
    },
    xml: own(ecf, i),
    arecf: { estado: '0', signedXml: own(arecf, i) },
    status: 'pending',
    attempts: 0,
    round: 1,
    roundAttempts: 0,
    storedAt: clock.now(),
    nextAttemptAt: clock.now(),
  });

  const store = new MemoryInboundEventStore(clock, { maxPerReceptor: N, retentionMs: 72 * 3_600_000 });
  gc();
  const before = process.memoryUsage();
  for (let i = 0; i < N; i++) {
    await store.insert(eventOf(i));
  }
  gc();
  const after = process.memoryUsage();
  const heap = after.heapUsed - before.heapUsed;
  process.stdout.write(
    `${N} events (e-CF ${Buffer.byteLength(ecf)} B + ARECF ${Buffer.byteLength(arecf)} B of XML each): ` +
      `heapUsed +${mb(heap)} MB, rss +${mb(after.rss - before.rss)} MB; ` +
      `${(heap / N / 1024).toFixed(2)} KB heap per event = ${(heap / (N * xmlBytesPerEvent)).toFixed(2)}× its XML bytes\n`,
  );
  if (store.size() !== N) throw new Error(`store holds ${store.size()} of ${N}`);
  store.onModuleDestroy();
  if (REDIS_N > 0) await inRedis(clock, eventOf, xmlBytesPerEvent);
}

/**
 * The same events in Redis (RedisInboundEventStore: delivery facts in the clear, document and
 * ARECF sealed, so base64 of the ciphertext), under a prefix of their own, then deleted:
 * `used_memory` before and after, and `MEMORY USAGE` of one event's hash.
 */
async function inRedis(
  clock: ManualClock,
  eventOf: (i: number) => StoredInboundEvent,
  xmlBytesPerEvent: number,
): Promise<void> {
  const prefix = uniqueRedisPrefix('bench-inbound');
  const connection = await testRedisConnection(prefix);
  const admin = new Redis(REDIS_TEST_URL);
  const used = async (): Promise<number> =>
    Number(/used_memory:(\d+)/.exec(await admin.info('memory'))?.[1] ?? 0);
  try {
    const store = new RedisInboundEventStore(connection, clock, {
      maxPerReceptor: REDIS_N,
      retentionMs: 72 * 3_600_000,
    });
    const before = await used();
    for (let i = 0; i < REDIS_N; i++) await store.insert(eventOf(i));
    const total = (await used()) - before;
    const one = await admin.memory('USAGE', `${prefix}inbound:{events}:ev:${eventOf(0).id}`);
    process.stdout.write(
      `Redis, ${REDIS_N} events: used_memory +${mb(total)} MB = ${(total / REDIS_N / 1024).toFixed(2)} KB per event ` +
        `(${(total / (REDIS_N * xmlBytesPerEvent)).toFixed(2)}× its XML bytes, indexes included); ` +
        `MEMORY USAGE of one event hash: ${one} B\n`,
    );
  } finally {
    await connection.close();
    admin.disconnect();
    await deleteKeysUnder(prefix);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
