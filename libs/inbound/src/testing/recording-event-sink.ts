import { randomUUID } from 'node:crypto';
import { ReceptorUnavailableError } from '@app/common';
import { InboundEvent, InboundEventSink, NewInboundEvent } from '../events/inbound-event';

/** A test sink: records every accepted event; `full = true` makes it refuse like a full store (503). */
export class RecordingEventSink extends InboundEventSink {
  readonly events: InboundEvent[] = [];
  full = false;

  accept(event: NewInboundEvent): Promise<InboundEvent> {
    if (this.full) {
      return Promise.reject(new ReceptorUnavailableError('the inbound event store is full', 30));
    }
    const held: InboundEvent = { ...event, id: `evt_${randomUUID()}`, status: 'pending', attempts: 0 };
    this.events.push(held);
    return Promise.resolve(held);
  }
}
