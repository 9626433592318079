import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Clock } from '@app/common';

/** Runs one delivery try of an event; resolves when the try is over (whatever its outcome). */
export type DeliveryHandler = (eventId: string) => Promise<void>;

/**
 * When each event's next callback try runs. A port so a durable queue (Redis + BullMQ delayed
 * jobs) can replace the in-process timers: jobs are only `(eventId, dueAt)`, every other fact
 * lives in the event store, and after a restart the service reschedules the pending events it
 * finds there. At most one job per event: scheduling again replaces it.
 */
export abstract class DeliveryScheduler {
  /** Sets who runs due jobs; called once at start, before any schedule. */
  abstract onDue(handler: DeliveryHandler): void;
  abstract schedule(eventId: string, dueAt: number): Promise<void>;
  abstract cancel(eventId: string): Promise<void>;
  /**
   * At a start: schedules a pending event found in the store unless a job for it is already
   * waiting (a durable queue keeps jobs across restarts; re-adding would run a try twice).
   */
  resume(eventId: string, dueAt: number): Promise<void> {
    return this.schedule(eventId, dueAt);
  }
  /** Jobs waiting (not running), for the queue-depth metric. */
  abstract waiting(): Promise<number>;
}

/**
 * Timers in this process, read against the injected Clock: a timer wakes at the next due
 * instant (re-checking at least every `maxSleepMs`, so a clock moved by hand is noticed) and
 * runs every job due by then, at most `maxConcurrent` at once (a burst of due events must not open
 * thousands of sockets; the rest start as slots free up). Tests call `runDue()` after moving a
 * ManualClock, so no test waits for a backoff.
 */
@Injectable()
export class InProcessDeliveryScheduler extends DeliveryScheduler implements OnModuleDestroy {
  private readonly logger = new Logger('InProcessDeliveryScheduler');
  private readonly jobs = new Map<string, number>();
  private readonly running = new Set<Promise<void>>();
  private handler?: DeliveryHandler;
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    @Inject(Clock) private readonly clock: Clock,
    private readonly maxConcurrent = 32,
    private readonly maxSleepMs = 1_000,
  ) {
    super();
  }

  onDue(handler: DeliveryHandler): void {
    this.handler = handler;
  }

  schedule(eventId: string, dueAt: number): Promise<void> {
    this.jobs.set(eventId, dueAt);
    this.arm();
    return Promise.resolve();
  }

  cancel(eventId: string): Promise<void> {
    this.jobs.delete(eventId);
    return Promise.resolve();
  }

  waiting(): Promise<number> {
    return Promise.resolve(this.jobs.size);
  }

  /** Starts every job due now and waits until all runs (these and any already going) are over. */
  async runDue(): Promise<void> {
    this.startDue();
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  /** When the next job is due (tests). */
  nextDueAt(): number | undefined {
    let next: number | undefined;
    for (const at of this.jobs.values()) if (next === undefined || at < next) next = at;
    return next;
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    // Let tries in flight finish, so none writes to a store being torn down.
    await Promise.allSettled([...this.running]);
  }

  private startDue(): void {
    const handler = this.handler;
    if (!handler || this.stopped) return;
    const now = this.clock.now();
    for (const [eventId, dueAt] of this.jobs) {
      if (this.running.size >= this.maxConcurrent) return;
      if (dueAt > now) continue;
      this.jobs.delete(eventId);
      const run: Promise<void> = handler(eventId)
        .catch((err: unknown) => this.logger.error({ err, eventId }, 'delivery try failed unexpectedly'))
        .finally(() => {
          this.running.delete(run);
          // A freed slot takes the next due job.
          this.startDue();
        });
      this.running.add(run);
    }
  }

  private arm(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const next = this.nextDueAt();
    if (next === undefined) return;
    const sleep = Math.min(Math.max(0, next - this.clock.now()), this.maxSleepMs);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.startDue();
      this.arm();
    }, sleep);
    this.timer.unref();
  }
}
