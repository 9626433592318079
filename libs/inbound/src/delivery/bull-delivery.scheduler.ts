import { Logger, OnModuleDestroy } from '@nestjs/common';
import { Job, Queue, Worker } from 'bullmq';
import { randomBytes } from 'node:crypto';
import { Clock } from '@app/common';
import { clientOf, RedisClient, RedisConnection } from '@app/redis';
import { DeliveryHandler, DeliveryScheduler } from './delivery.scheduler';

/** The queue's name (BullMQ forbids ':' in it); its keys live under `{prefix}{bull}:`. */
export const DELIVERY_QUEUE = 'inbound-delivery';

interface DeliveryJob {
  eventId: string;
}

/** Deletes the event's current-job marker only if it still names this job (a finished try). */
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/** How long a stopping replica waits for its running tries (and for Redis) before it lets go. */
const CLOSE_WAIT_MS = 5_000;

/** True when `work` settled within `ms`; never rejects. */
async function withinMs(ms: number, work: Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([
      work.then(
        () => true,
        () => true,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs of one job when its try fails unexpectedly (not a callback failure: those are the event's own retries). */
const JOB_ATTEMPTS = 8;

/** How long a marker outlives its due time: past it, the event is rescheduled at a restart anyway. */
const MARKER_SLACK_MS = 24 * 3_600_000;

/**
 * Delivery tries as BullMQ delayed jobs in Redis (issue 13 §2): a try scheduled by one replica
 * is run by whichever replica's worker is live when it is due, so retries go on after the
 * replica that received the document stops. BullMQ also re-runs a job whose worker died
 * mid-try (stalled-job recovery).
 *
 * The port says "at most one job per event: scheduling again replaces it". A BullMQ job cannot
 * be replaced while it runs (and a try schedules the next one from inside its run), so each
 * schedule adds a job with a fresh id and records it in a marker key
 * `{prefix}inbound:delivery:{eventId}`; a job whose id is no longer the marker (replaced or
 * cancelled) does nothing. Cancel deletes the marker and removes the job when it can.
 * Jobs carry the event id only; every other fact stays in the event store.
 */
export class BullDeliveryScheduler extends DeliveryScheduler implements OnModuleDestroy {
  private readonly logger = new Logger('BullDeliveryScheduler');
  private queue?: Queue<DeliveryJob>;
  private worker?: Worker<DeliveryJob>;
  private workerClient?: RedisClient;
  private handler?: DeliveryHandler;

  constructor(
    private readonly redis: RedisConnection,
    private readonly clock: Clock,
    private readonly concurrency = 32,
  ) {
    super();
  }

  /**
   * The queue shares the service connection: no offline queue, so an add fails fast (503). It is
   * made on first use (BullMQ checks the server once, when it is made, and keeps that outcome),
   * and made again after a failure, so a queue born while Redis was away does not stay broken.
   */
  private queueNow(): Queue<DeliveryJob> {
    if (this.queue) return this.queue;
    const queue = new Queue<DeliveryJob>(DELIVERY_QUEUE, {
      connection: this.redis.client,
      prefix: this.bullPrefix(),
      skipWaitingForReady: true,
      defaultJobOptions: {
        removeOnComplete: true,
        removeOnFail: 1_000,
        attempts: JOB_ATTEMPTS,
        backoff: { type: 'exponential', delay: 1_000 },
      },
    });
    queue.on('error', (error: Error) => this.logger.warn({ error: error.message.slice(0, 200) }, 'queue'));
    this.queue = queue;
    return queue;
  }

  /** Runs a queue operation; a failure drops the queue (made again next time) and is a 503. */
  private onQueue<T>(what: string, op: (queue: Queue<DeliveryJob>) => Promise<T>): Promise<T> {
    return this.redis.run(what, async () => {
      const queue = this.queueNow();
      try {
        return await op(queue);
      } catch (error) {
        if (this.queue === queue) this.queue = undefined;
        void queue.close().catch(() => undefined);
        throw error;
      }
    });
  }

  onDue(handler: DeliveryHandler): void {
    this.handler = handler;
    if (this.worker) return;
    // A worker blocks on Redis: its own connection, which waits out a Redis outage (BullMQ's rule).
    this.workerClient = clientOf(this.redis.settings.redisUrl, {
      maxRetriesPerRequest: null,
      enableOfflineQueue: true,
      retryStrategy: (times: number) => Math.min(times * 100, 1_000),
    });
    this.workerClient.on('error', () => undefined);
    this.worker = new Worker<DeliveryJob>(DELIVERY_QUEUE, (job) => this.run(job), {
      connection: this.workerClient,
      prefix: this.bullPrefix(),
      concurrency: this.concurrency,
    });
    this.worker.on('error', (error: Error) =>
      this.logger.warn({ error: error.message.slice(0, 200) }, 'delivery worker'),
    );
  }

  async schedule(eventId: string, dueAt: number): Promise<void> {
    const jobId = this.newJobId(eventId);
    const delay = Math.max(0, dueAt - this.clock.now());
    // The marker first: a job that starts at once must find itself current.
    await this.redis.run('delivery mark', (c) =>
      c.set(this.markerOf(eventId), jobId, 'PX', delay + MARKER_SLACK_MS),
    );
    await this.onQueue('delivery schedule', (queue) => queue.add('try', { eventId }, { jobId, delay }));
  }

  /** Only when no job is recorded for the event: every replica resumes at its start, one job wins. */
  override async resume(eventId: string, dueAt: number): Promise<void> {
    const jobId = this.newJobId(eventId);
    const delay = Math.max(0, dueAt - this.clock.now());
    const marked = await this.redis.run('delivery resume', (c) =>
      c.set(this.markerOf(eventId), jobId, 'PX', delay + MARKER_SLACK_MS, 'NX'),
    );
    if (marked !== 'OK') return;
    await this.onQueue('delivery schedule', (queue) => queue.add('try', { eventId }, { jobId, delay }));
  }

  async cancel(eventId: string): Promise<void> {
    const marker = this.markerOf(eventId);
    const jobId = await this.redis.run('delivery cancel', async (c) => {
      const current = await c.get(marker);
      await c.del(marker);
      return current;
    });
    // A job that is running cannot be removed; without its marker it does nothing anyway.
    if (jobId) await this.onQueue('delivery cancel', (queue) => queue.remove(jobId)).catch(() => 0);
  }

  async waiting(): Promise<number> {
    const counts = await this.onQueue('delivery depth', (queue) =>
      queue.getJobCounts('delayed', 'waiting', 'prioritized'),
    );
    return (counts.delayed ?? 0) + (counts.waiting ?? 0) + (counts.prioritized ?? 0);
  }

  /**
   * Stopping a replica leaves its jobs in Redis for the others. The worker finishes the tries
   * it is running (so none writes to a store being torn down) and takes no more.
   */
  async onModuleDestroy(): Promise<void> {
    // Bounded: with Redis away a graceful close would wait for it forever; past the bound the
    // worker is closed by force (a try it was running is re-run elsewhere as a stalled job).
    const closed = await withinMs(CLOSE_WAIT_MS, this.worker?.close() ?? Promise.resolve());
    if (!closed) await withinMs(CLOSE_WAIT_MS, this.worker?.close(true) ?? Promise.resolve());
    await withinMs(CLOSE_WAIT_MS, this.queue?.close() ?? Promise.resolve());
    if (this.workerClient) {
      if (this.workerClient.status === 'ready') await this.workerClient.quit().catch(() => undefined);
      this.workerClient.disconnect();
    }
  }

  private async run(job: Job<DeliveryJob>): Promise<void> {
    const { eventId } = job.data;
    const marker = this.markerOf(eventId);
    const current = await this.redis.client.get(marker);
    if (current !== job.id || !this.handler) return; // replaced or cancelled
    try {
      await this.handler(eventId);
    } catch (err) {
      // The try could not even read its event (Redis went away mid-try): BullMQ runs the job
      // again after a backoff, on whichever replica is live, with the marker still naming it.
      this.logger.error({ err, eventId }, 'delivery try failed unexpectedly; the queue retries it');
      throw err;
    }
    // Unless the try scheduled the next one (the marker names that job now), this job is done.
    await this.redis.client.eval(RELEASE_SCRIPT, 1, marker, job.id ?? '').catch(() => 0);
  }

  private newJobId(eventId: string): string {
    return `${eventId}-${randomBytes(6).toString('hex')}`;
  }

  private markerOf(eventId: string): string {
    return this.redis.key('inbound', 'delivery', eventId);
  }

  private bullPrefix(): string {
    // The hash tag keeps all of a queue's keys in one cluster slot (BullMQ's requirement).
    return this.redis.key('{bull}');
  }
}
