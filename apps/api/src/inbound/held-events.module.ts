import { Module } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ReceptorUnavailableError } from '@app/common';
import { InboundEvent, InboundEventSink, NewInboundEvent } from '@app/inbound';

/** Events held by the stand-in sink before the receptor answers 503 (never a silent drop). */
const MAX_HELD = 10_000;

/**
 * STAND-IN until event delivery (issue 10 §3, `InboundEventsModule`) is merged: holds accepted
 * events in memory, delivers nothing, and refuses with 503 when full. The integrator replaces
 * `HeldInboundEventsModule` with `InboundEventsModule` in app.module.ts.
 */
class HeldEventSink extends InboundEventSink {
  private readonly held: InboundEvent[] = [];

  accept(event: NewInboundEvent): Promise<InboundEvent> {
    if (this.held.length >= MAX_HELD) {
      return Promise.reject(new ReceptorUnavailableError('the inbound event store is full', 60));
    }
    const stored: InboundEvent = { ...event, id: `evt_${randomUUID()}`, status: 'pending', attempts: 0 };
    this.held.push(stored);
    return Promise.resolve(stored);
  }
}

@Module({
  providers: [{ provide: InboundEventSink, useClass: HeldEventSink }],
  exports: [InboundEventSink],
})
export class HeldInboundEventsModule {}
