import { Logger } from '@nestjs/common';
import { ManualClock } from '@app/common';
import { InProcessDeliveryScheduler } from './delivery.scheduler';

describe('InProcessDeliveryScheduler', () => {
  let clock: ManualClock;
  let scheduler: InProcessDeliveryScheduler;
  const ran: string[] = [];

  beforeEach(() => {
    ran.length = 0;
    clock = new ManualClock(0);
    scheduler = new InProcessDeliveryScheduler(clock);
    scheduler.onDue((id) => {
      ran.push(id);
      return Promise.resolve();
    });
  });
  afterEach(() => scheduler.onModuleDestroy());

  it('runs a job only once it is due by the clock, and only once', async () => {
    await scheduler.schedule('a', 1_000);
    await scheduler.runDue();
    expect(ran).toEqual([]);
    expect(await scheduler.waiting()).toBe(1);
    clock.advance(1_000);
    await scheduler.runDue();
    await scheduler.runDue();
    expect(ran).toEqual(['a']);
    expect(await scheduler.waiting()).toBe(0);
  });

  it('scheduling again replaces the job; cancel removes it', async () => {
    await scheduler.schedule('a', 1_000);
    await scheduler.schedule('a', 5_000);
    await scheduler.schedule('b', 1_000);
    await scheduler.cancel('b');
    clock.advance(1_000);
    await scheduler.runDue();
    expect(ran).toEqual([]);
    expect(scheduler.nextDueAt()).toBe(5_000);
  });

  it('a job due now runs on its own timer, with no runDue', async () => {
    await scheduler.schedule('now', clock.now());
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(ran).toEqual(['now']);
  });

  it('a failing handler does not stop other jobs', async () => {
    scheduler.onDue((id) =>
      id === 'bad' ? Promise.reject(new Error('boom')) : (ran.push(id), Promise.resolve()),
    );
    Logger.overrideLogger(false);
    await scheduler.schedule('bad', 0);
    await scheduler.schedule('good', 0);
    await scheduler.runDue();
    expect(ran).toEqual(['good']);
    Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose']);
  });

  it('runs at most maxConcurrent tries at once, and runDue waits for every due job', async () => {
    const limited = new InProcessDeliveryScheduler(clock, 2);
    let active = 0;
    let peak = 0;
    const done: string[] = [];
    limited.onDue(async (id) => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((resolve) => setImmediate(resolve));
      active--;
      done.push(id);
    });
    for (let i = 0; i < 7; i++) await limited.schedule(`e${i}`, 0);
    await limited.runDue();
    expect(done.sort()).toEqual(['e0', 'e1', 'e2', 'e3', 'e4', 'e5', 'e6']);
    expect(peak).toBe(2);
    await limited.onModuleDestroy();
  });

  it('after destroy, nothing runs', async () => {
    await scheduler.onModuleDestroy();
    await scheduler.schedule('late', 0);
    await scheduler.runDue();
    expect(ran).toEqual([]);
  });
});
