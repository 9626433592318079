import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Counter } from 'prom-client';
import { randomBytes } from 'node:crypto';
import { Clock, isoSeconds, MetricsService, NotFoundError, ReceptorUnavailableError } from '@app/common';
import { APP_CONFIG, AppConfig } from '@app/config';
import { DeliveryScheduler } from '../delivery/delivery.scheduler';
import { InboundDeliveryService } from '../delivery/inbound-delivery.service';
import { InboundEvent, InboundEventSink, InboundEventStatus, NewInboundEvent } from './inbound-event';
import { InboundEventStore, StoredInboundEvent } from './inbound-event.store';

/** An event as its owner sees it when pulling: the callback body plus how delivery is going. */
export interface InboundEventView extends Omit<InboundEvent, 'apiKeyId'> {
  nextAttemptAt?: string;
  lastAttemptAt?: string;
  lastOutcome?: string;
  deliveredAt?: string;
  acknowledgedAt?: string;
}

export function viewOfEvent(e: StoredInboundEvent): InboundEventView {
  const at = (ms: number | undefined) => (ms === undefined ? undefined : isoSeconds(ms));
  return {
    id: e.id,
    type: e.type,
    rnc: e.rnc,
    receivedAt: e.receivedAt,
    document: e.document,
    xml: e.xml,
    ...(e.arecf ? { arecf: e.arecf } : {}),
    status: e.status,
    attempts: e.attempts,
    ...(e.nextAttemptAt !== undefined ? { nextAttemptAt: at(e.nextAttemptAt) } : {}),
    ...(e.lastAttemptAt !== undefined ? { lastAttemptAt: at(e.lastAttemptAt) } : {}),
    ...(e.lastOutcome !== undefined ? { lastOutcome: e.lastOutcome } : {}),
    ...(e.deliveredAt !== undefined ? { deliveredAt: at(e.deliveredAt) } : {}),
    ...(e.acknowledgedAt !== undefined ? { acknowledgedAt: at(e.acknowledgedAt) } : {}),
  };
}

function publicEventOf(e: StoredInboundEvent): InboundEvent {
  const { id, type, rnc, apiKeyId, receivedAt, document, xml, arecf, status, attempts } = e;
  return {
    id,
    type,
    rnc,
    apiKeyId,
    receivedAt,
    document,
    xml,
    ...(arecf ? { arecf } : {}),
    status,
    attempts,
  };
}

/**
 * The inbound events the module holds (issue 10 §3): the receptor's sink (store, then schedule
 * the first callback try at once), and the integrator's pull side (list, ack, redeliver), where
 * an API key sees only the events of its own receptors.
 */

/** A full store drains as the integrator acks or callbacks succeed: a minute before the sender retries. */
const STORE_FULL_RETRY_SECONDS = 60;
@Injectable()
export class InboundEventsService extends InboundEventSink implements OnModuleInit {
  private readonly logger = new Logger('InboundEvents');
  private readonly refused: Counter;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(InboundEventStore) private readonly store: InboundEventStore,
    @Inject(DeliveryScheduler) private readonly scheduler: DeliveryScheduler,
    @Inject(InboundDeliveryService) private readonly delivery: InboundDeliveryService,
    @Inject(MetricsService) private readonly metrics: MetricsService,
  ) {
    super();
    this.refused = new Counter({
      name: 'fiscaliacore_inbound_events_refused_total',
      help: 'Inbound documents refused with 503 because the receptor held its maximum of undelivered events',
      registers: [metrics.registry],
    });
  }

  async onModuleInit(): Promise<void> {
    this.scheduler.onDue((eventId) => this.delivery.attempt(eventId));
    // Restart-friendly: whatever was pending in a shared store gets its next try again. A store
    // that is down at boot must not stop the boot (readiness says so); the queue keeps its jobs.
    try {
      for (const event of await this.store.pending()) {
        if (event.nextAttemptAt !== undefined) await this.scheduler.resume(event.id, event.nextAttemptAt);
      }
    } catch (error) {
      this.logger.warn({ reason: (error as Error).name }, 'pending inbound events not rescheduled at start');
    }
    for (const status of ['pending', 'delivered', 'failed'] as const) {
      this.metrics.gauge(
        `fiscaliacore_inbound_events_${status}`,
        `Inbound events held, ${status}`,
        // A shared store that is down must not break /metrics: the gauge reads NaN then.
        () =>
          this.store.depth().then(
            (depth) => depth[status],
            () => NaN,
          ),
      );
    }
    this.metrics.gauge(
      'fiscaliacore_inbound_delivery_queue_depth',
      'Callback tries waiting for their time',
      () => this.scheduler.waiting().catch(() => NaN),
    );
  }

  async accept(input: NewInboundEvent): Promise<InboundEvent> {
    const now = this.clock.now();
    const event: StoredInboundEvent = {
      ...input,
      document: { ...input.document },
      id: `evt_${randomBytes(16).toString('hex')}`,
      status: 'pending',
      attempts: 0,
      round: 1,
      roundAttempts: 0,
      storedAt: now,
      nextAttemptAt: now,
    };
    const outcome = await this.store.insert(event);
    if (!outcome.held) {
      this.refused.inc();
      this.logger.warn(
        { rnc: input.rnc, type: input.type },
        'inbound event refused: receptor store full of undelivered events',
      );
      throw new ReceptorUnavailableError(
        `receptor ${input.rnc} holds its maximum of ${this.config.inboundEvents.maxEventsPerReceptor} undelivered events; retry later`,
        STORE_FULL_RETRY_SECONDS,
      );
    }
    await this.scheduler.schedule(event.id, now);
    this.logger.log(
      { eventId: event.id, rnc: event.rnc, type: event.type, dropped: outcome.dropped },
      'inbound event held',
    );
    return publicEventOf(event);
  }

  async list(
    apiKeyId: string,
    status: InboundEventStatus | undefined,
    limit: number,
  ): Promise<InboundEventView[]> {
    return (await this.store.list(apiKeyId, { status, limit })).map(viewOfEvent);
  }

  async get(apiKeyId: string, id: string): Promise<InboundEventView> {
    return viewOfEvent(await this.owned(apiKeyId, id));
  }

  /** The integrator has the event (pulled it): no more tries; it may be dropped to make room. Idempotent. */
  async ack(apiKeyId: string, id: string): Promise<InboundEventView> {
    const event = await this.owned(apiKeyId, id);
    if (event.acknowledgedAt !== undefined) return viewOfEvent(event);
    const updated = await this.store.update(id, {
      status: 'delivered',
      acknowledgedAt: this.clock.now(),
      nextAttemptAt: undefined,
    });
    await this.scheduler.cancel(id);
    this.logger.log({ eventId: id, rnc: event.rnc }, 'inbound event acknowledged');
    return viewOfEvent(updated ?? event);
  }

  /** Starts a new round of tries now, whatever the event's status (a lost, failed or delivered one). */
  async redeliver(apiKeyId: string, id: string): Promise<InboundEventView> {
    const event = await this.owned(apiKeyId, id);
    const now = this.clock.now();
    const updated = await this.store.update(id, {
      status: 'pending',
      round: event.round + 1,
      roundAttempts: 0,
      nextAttemptAt: now,
      deliveredAt: undefined,
      acknowledgedAt: undefined,
    });
    if (!updated) throw this.notFound(id);
    await this.scheduler.schedule(id, now);
    this.logger.log(
      { eventId: id, rnc: event.rnc, round: updated.round },
      'inbound event redelivery requested',
    );
    return viewOfEvent(updated);
  }

  private async owned(apiKeyId: string, id: string): Promise<StoredInboundEvent> {
    const event = await this.store.get(id);
    // Another key's event is indistinguishable from none (DESIGN §1.3).
    if (!event || event.apiKeyId !== apiKeyId) throw this.notFound(id);
    return event;
  }

  private notFound(id: string): NotFoundError {
    return new NotFoundError(`no inbound event ${id.slice(0, 64)}`);
  }
}
