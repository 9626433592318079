import { Inject, Injectable, Logger } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import { Clock, MetricsService } from '@app/common';
import { APP_CONFIG, AppConfig, InboundEventsSettings } from '@app/config';
import { InboundEventStore, StoredInboundEvent } from '../events/inbound-event.store';
import { CallbackTargets } from './callback-targets';
import { CallbackTransport, CallbackTransportError } from './callback.transport';
import { DeliveryScheduler } from './delivery.scheduler';
import { retryDelayMs } from './retry-delay';
import { signWebhook } from './webhook-signature';

/** Where jitter's randomness comes from (tests pin it). */
export const DELIVERY_RANDOM = Symbol('DELIVERY_RANDOM');

/** What one try came to, as the attempts metric and the event's `lastOutcome` name it. */
type TryOutcome = 'delivered' | 'gone' | 'http_error' | 'timeout' | 'connection_error';

/**
 * The callback body: the event as the issue lists it (id, type, rnc, receivedAt, document, xml,
 * arecf), without the owning API key and without delivery bookkeeping, so every try of one event
 * sends the same bytes under the same webhook-id (Standard Webhooks: receivers dedupe by id).
 */
export function callbackBodyOf(event: StoredInboundEvent): string {
  const { id, type, rnc, receivedAt, document, xml, arecf } = event;
  return JSON.stringify(
    arecf
      ? { id, type, rnc, receivedAt, document, xml, arecf }
      : { id, type, rnc, receivedAt, document, xml },
  );
}

/**
 * One callback try of an event and what follows from it (issue 10 §3): a 2xx delivers; 410 Gone
 * stops; a timeout, connection error or any other status schedules the next try from
 * INBOUND_RETRY_SCHEDULE, and after the last one the event is `failed` (still listed, still
 * pullable). The target is asked on every try, so a new URL or rotated secret applies at once.
 */
@Injectable()
export class InboundDeliveryService {
  private readonly logger = new Logger('InboundDelivery');
  private readonly settings: InboundEventsSettings;
  private readonly attemptsTotal: Counter<'outcome'>;
  private readonly failuresTotal: Counter<'reason'>;
  private readonly latency: Histogram<'outcome'>;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(InboundEventStore) private readonly store: InboundEventStore,
    @Inject(DeliveryScheduler) private readonly scheduler: DeliveryScheduler,
    @Inject(CallbackTargets) private readonly targets: CallbackTargets,
    @Inject(CallbackTransport) private readonly transport: CallbackTransport,
    @Inject(MetricsService) metrics: MetricsService,
    @Inject(DELIVERY_RANDOM) private readonly random: () => number,
  ) {
    this.settings = config.inboundEvents;
    this.attemptsTotal = new Counter({
      name: 'fiscaliacore_inbound_callback_attempts_total',
      help: 'Callback tries of inbound events, by outcome',
      labelNames: ['outcome'] as const,
      registers: [metrics.registry],
    });
    this.failuresTotal = new Counter({
      name: 'fiscaliacore_inbound_callback_failures_total',
      help: 'Inbound events whose callbacks gave up (schedule used up, or 410 Gone)',
      labelNames: ['reason'] as const,
      registers: [metrics.registry],
    });
    this.latency = new Histogram({
      name: 'fiscaliacore_inbound_callback_duration_seconds',
      help: 'Latency of callback tries, by outcome',
      labelNames: ['outcome'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [metrics.registry],
    });
  }

  /** Runs the try the scheduler says is due. */
  async attempt(eventId: string): Promise<void> {
    const event = await this.store.get(eventId);
    if (!event || event.status !== 'pending') return;
    const guard = { status: event.status, round: event.round };
    const target = await this.targets.targetOf(event.rnc);
    if (!target) {
      // No registration (any more): nothing to push to; the event waits to be pulled.
      await this.store.update(
        eventId,
        { nextAttemptAt: undefined, lastOutcome: 'no_callback_target' },
        guard,
      );
      this.logger.log({ eventId, rnc: event.rnc }, 'inbound event has no callback target; held for pull');
      return;
    }
    const body = callbackBodyOf(event);
    const sentAt = this.clock.now();
    let headers: ReturnType<typeof signWebhook>;
    try {
      headers = signWebhook(target.secret, event.id, sentAt, body);
    } catch {
      // A registration with an unusable secret: nothing can be signed, so nothing is sent (pull still works).
      await this.store.update(
        eventId,
        { status: 'failed', nextAttemptAt: undefined, lastOutcome: 'invalid_secret' },
        guard,
      );
      this.failuresTotal.inc({ reason: 'invalid_secret' });
      this.logger.error(
        { eventId, rnc: event.rnc },
        'callback secret of the receptor is not a whsec_ key; event failed',
      );
      return;
    }
    const started = process.hrtime.bigint();
    const { outcome, status } = await this.post(target.callbackUrl, body, { ...headers });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    this.attemptsTotal.inc({ outcome });
    this.latency.observe({ outcome }, seconds);

    const attempts = event.attempts + 1;
    const roundAttempts = event.roundAttempts + 1;
    const lastOutcome = status === undefined ? outcome : `http_${status}`;
    const common = { attempts, roundAttempts, lastAttemptAt: sentAt, lastOutcome };
    const log = { eventId, rnc: event.rnc, type: event.type, attempt: attempts, outcome, status };
    if (outcome === 'delivered') {
      await this.store.update(
        eventId,
        { ...common, status: 'delivered', deliveredAt: sentAt, nextAttemptAt: undefined },
        guard,
      );
      this.logger.log(log, 'inbound event delivered');
      return;
    }
    const delay =
      outcome === 'gone'
        ? undefined
        : retryDelayMs(this.settings.retryScheduleMs, roundAttempts, this.random);
    if (delay === undefined) {
      const updated = await this.store.update(
        eventId,
        { ...common, status: 'failed', nextAttemptAt: undefined },
        guard,
      );
      if (updated) this.failuresTotal.inc({ reason: outcome === 'gone' ? 'gone' : 'exhausted' });
      this.logger.warn(
        log,
        outcome === 'gone'
          ? 'callback receiver answered 410 Gone: retries stopped'
          : 'inbound event failed: retry schedule used up',
      );
      return;
    }
    const nextAttemptAt = sentAt + delay;
    const updated = await this.store.update(eventId, { ...common, nextAttemptAt }, guard);
    // An ack or redeliver during the try owns the event now; its schedule stands.
    if (updated) await this.scheduler.schedule(eventId, nextAttemptAt);
    this.logger.log({ ...log, retryInMs: delay }, 'callback try failed; retry scheduled');
  }

  private async post(
    url: string,
    body: string,
    headers: Record<string, string>,
  ): Promise<{ outcome: TryOutcome; status?: number }> {
    try {
      const status = await this.transport.post(url, body, headers, this.settings.callbackTimeoutMs);
      if (status >= 200 && status < 300) return { outcome: 'delivered', status };
      if (status === 410) return { outcome: 'gone', status };
      return { outcome: 'http_error', status };
    } catch (err) {
      if (err instanceof CallbackTransportError && err.kind === 'timeout') return { outcome: 'timeout' };
      return { outcome: 'connection_error' };
    }
  }
}
