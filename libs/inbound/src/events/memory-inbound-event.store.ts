import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Clock } from '@app/common';
import { InboundEvent } from './inbound-event';
import {
  InboundEventDepth,
  InboundEventPatch,
  InboundEventStore,
  InboundEventStoreLimits,
  InsertOutcome,
  StoredInboundEvent,
} from './inbound-event.store';

export const INBOUND_EVENT_STORE_LIMITS = Symbol('INBOUND_EVENT_STORE_LIMITS');

const droppable = (e: StoredInboundEvent): boolean =>
  e.deliveredAt !== undefined || e.acknowledgedAt !== undefined;

/**
 * The in-process event store (one replica). Events sit in insertion order (a Map keeps it), so
 * "oldest" is the first one met; each receptor's events are also indexed to find its share fast.
 * Expired events are swept on each insert and list, and by a timer.
 */
@Injectable()
export class MemoryInboundEventStore extends InboundEventStore implements OnModuleDestroy {
  private readonly events = new Map<string, StoredInboundEvent>();
  private readonly byReceptor = new Map<string, Set<string>>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    @Inject(Clock) private readonly clock: Clock,
    @Inject(INBOUND_EVENT_STORE_LIMITS) private readonly limits: InboundEventStoreLimits,
  ) {
    super();
    this.timer = setInterval(() => void this.sweep(), 60_000);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  insert(event: StoredInboundEvent): Promise<InsertOutcome> {
    this.sweepNow();
    const share = this.byReceptor.get(event.rnc) ?? new Set<string>();
    let dropped = 0;
    if (share.size >= this.limits.maxPerReceptor) {
      const room = share.size - this.limits.maxPerReceptor + 1;
      const victims: string[] = [];
      for (const id of share) {
        if (victims.length === room) break;
        const held = this.events.get(id);
        if (held && droppable(held)) victims.push(id);
      }
      if (victims.length < room) return Promise.resolve({ held: false });
      for (const id of victims) this.remove(id);
      dropped = victims.length;
    }
    this.events.set(event.id, { ...event, document: { ...event.document } });
    share.add(event.id);
    this.byReceptor.set(event.rnc, share);
    return Promise.resolve({ held: true, dropped });
  }

  get(id: string): Promise<StoredInboundEvent | undefined> {
    const held = this.events.get(id);
    return Promise.resolve(held && !this.expired(held) ? copy(held) : undefined);
  }

  update(
    id: string,
    patch: InboundEventPatch,
    expected?: Pick<StoredInboundEvent, 'status' | 'round'>,
  ): Promise<StoredInboundEvent | undefined> {
    const held = this.events.get(id);
    if (!held || this.expired(held)) return Promise.resolve(undefined);
    if (expected && (held.status !== expected.status || held.round !== expected.round)) {
      return Promise.resolve(undefined);
    }
    Object.assign(held, patch);
    return Promise.resolve(copy(held));
  }

  list(
    apiKeyId: string,
    filter: { status?: InboundEvent['status']; limit: number },
  ): Promise<StoredInboundEvent[]> {
    this.sweepNow();
    const out: StoredInboundEvent[] = [];
    for (const e of this.events.values()) {
      if (out.length >= filter.limit) break;
      if (e.apiKeyId !== apiKeyId) continue;
      if (filter.status && e.status !== filter.status) continue;
      out.push(copy(e));
    }
    return Promise.resolve(out);
  }

  pending(): Promise<StoredInboundEvent[]> {
    this.sweepNow();
    return Promise.resolve([...this.events.values()].filter((e) => e.status === 'pending').map(copy));
  }

  sweep(): Promise<number> {
    return Promise.resolve(this.sweepNow());
  }

  depth(): Promise<InboundEventDepth> {
    const depth: InboundEventDepth = { pending: 0, delivered: 0, failed: 0 };
    for (const e of this.events.values()) if (!this.expired(e)) depth[e.status]++;
    return Promise.resolve(depth);
  }

  /** Events held (test and bench helper). */
  size(): number {
    return this.events.size;
  }

  private sweepNow(): number {
    let removed = 0;
    // Insertion order is storedAt order, so the sweep stops at the first live event.
    for (const e of this.events.values()) {
      if (!this.expired(e)) break;
      this.remove(e.id);
      removed++;
    }
    return removed;
  }

  private expired(e: StoredInboundEvent): boolean {
    return this.clock.now() - e.storedAt >= this.limits.retentionMs;
  }

  private remove(id: string): void {
    const held = this.events.get(id);
    if (!held) return;
    this.events.delete(id);
    const share = this.byReceptor.get(held.rnc);
    share?.delete(id);
    if (share?.size === 0) this.byReceptor.delete(held.rnc);
  }
}

function copy(e: StoredInboundEvent): StoredInboundEvent {
  return { ...e, document: { ...e.document }, arecf: e.arecf && { ...e.arecf } };
}
