import { SystemClock } from '@app/common';
import { RedisConnection } from '@app/redis';
import { deleteKeysUnder, testRedisConnection, uniqueRedisPrefix } from '@app/testing';
import { BullDeliveryScheduler } from './bull-delivery.scheduler';

const PREFIX = uniqueRedisPrefix('delivery-queue');
const clock = new SystemClock();
const open: { scheduler: BullDeliveryScheduler; connection: RedisConnection }[] = [];

async function schedulerOn(prefix: string, runs: string[]): Promise<BullDeliveryScheduler> {
  const connection = await testRedisConnection(prefix);
  const scheduler = new BullDeliveryScheduler(connection, clock);
  scheduler.onDue((eventId) => {
    runs.push(eventId);
    return Promise.resolve();
  });
  open.push({ scheduler, connection });
  return scheduler;
}

async function stop(scheduler: BullDeliveryScheduler): Promise<void> {
  const entry = open.find((o) => o.scheduler === scheduler)!;
  open.splice(open.indexOf(entry), 1);
  await scheduler.onModuleDestroy();
  await entry.connection.close();
}

/** Waits until `check` holds (the queue runs jobs on its own time), failing after `ms`. */
async function until(check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

afterAll(async () => {
  for (const { scheduler } of [...open]) await stop(scheduler);
  await deleteKeysUnder(PREFIX);
});

describe('BullDeliveryScheduler (real Redis)', () => {
  it('runs a job when due; scheduling again replaces it, so the event runs once', async () => {
    const runs: string[] = [];
    const scheduler = await schedulerOn(`${PREFIX}replace:`, runs);
    await scheduler.schedule('evt_a', clock.now() + 300);
    await scheduler.schedule('evt_a', clock.now() + 50);
    await scheduler.schedule('evt_b', clock.now());
    await until(() => runs.length >= 2);
    // The replaced job of evt_a comes due too, and must do nothing.
    await until(async () => (await scheduler.waiting()) === 0);
    await new Promise((r) => setTimeout(r, 200));
    expect(runs.sort()).toEqual(['evt_a', 'evt_b']);
  });

  it('resume (a replica starting) adds a job only for an event that has none', async () => {
    const prefix = `${PREFIX}resume:`;
    const runs: string[] = [];
    const a = await schedulerOn(prefix, runs);
    const b = await schedulerOn(prefix, runs);
    await a.schedule('evt_h', clock.now() + 200);
    // Both replicas start and find evt_h pending (already queued) and evt_i pending (lost its job).
    await Promise.all([a.resume('evt_h', clock.now()), b.resume('evt_h', clock.now())]);
    await Promise.all([a.resume('evt_i', clock.now()), b.resume('evt_i', clock.now())]);
    await until(() => runs.length >= 2);
    await new Promise((r) => setTimeout(r, 400));
    expect(runs.sort()).toEqual(['evt_h', 'evt_i']);
  });

  it('a cancelled job does not run', async () => {
    const runs: string[] = [];
    const scheduler = await schedulerOn(`${PREFIX}cancel:`, runs);
    await scheduler.schedule('evt_c', clock.now() + 100);
    await scheduler.schedule('evt_d', clock.now() + 150);
    expect(await scheduler.waiting()).toBe(2);
    await scheduler.cancel('evt_c');
    await until(() => runs.length >= 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(runs).toEqual(['evt_d']);
  });

  it('a job scheduled by a replica that stopped runs on another replica', async () => {
    const prefix = `${PREFIX}survive:`;
    const runsA: string[] = [];
    const runsB: string[] = [];
    const a = await schedulerOn(prefix, runsA);
    await a.schedule('evt_e', clock.now() + 400);
    await stop(a);
    await schedulerOn(prefix, runsB);
    await until(() => runsB.length >= 1);
    expect(runsB).toEqual(['evt_e']);
    expect(runsA).toEqual([]);
  });

  it('a try that schedules the next one from inside its run keeps it (the retry path)', async () => {
    const connection = await testRedisConnection(`${PREFIX}retry:`);
    const scheduler = new BullDeliveryScheduler(connection, clock);
    open.push({ scheduler, connection });
    let tries = 0;
    scheduler.onDue(async (eventId) => {
      tries++;
      if (tries < 3) await scheduler.schedule(eventId, clock.now() + 50);
    });
    await scheduler.schedule('evt_f', clock.now());
    await until(() => tries >= 3);
    await new Promise((r) => setTimeout(r, 200));
    expect(tries).toBe(3);
  });

  it('a try that throws (the store was unreachable) is run again by the queue', async () => {
    const connection = await testRedisConnection(`${PREFIX}throw:`);
    const scheduler = new BullDeliveryScheduler(connection, clock);
    open.push({ scheduler, connection });
    let tries = 0;
    scheduler.onDue(() => {
      tries++;
      return tries === 1 ? Promise.reject(new Error('store unavailable')) : Promise.resolve();
    });
    await scheduler.schedule('evt_g', clock.now());
    await until(() => tries >= 2);
    expect(tries).toBe(2);
  });
});
