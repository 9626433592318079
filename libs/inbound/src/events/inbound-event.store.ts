import { InboundEvent } from './inbound-event';

/**
 * An event as held: the event itself plus what delivery needs to know about it. `storedAt` is the
 * holding clock's instant (retention counts from it); `deliveredAt` is set by a 2xx callback,
 * `acknowledgedAt` by a pull-side ack; either makes the event droppable (issue 10 §3).
 */
export interface StoredInboundEvent extends InboundEvent {
  storedAt: number;
  /** Which round of tries this is: 1, plus one per redeliver (guards a try that outlived its round). */
  round: number;
  /** Tries in the current round (a redeliver starts a new round; `attempts` counts them all). */
  roundAttempts: number;
  nextAttemptAt?: number;
  lastAttemptAt?: number;
  /** What the last try got: an HTTP status or a failure kind, never the receiver's body. */
  lastOutcome?: string;
  deliveredAt?: number;
  acknowledgedAt?: number;
}

/** The delivery fields a transition may change. */
export type InboundEventPatch = Partial<
  Pick<
    StoredInboundEvent,
    | 'status'
    | 'round'
    | 'attempts'
    | 'roundAttempts'
    | 'nextAttemptAt'
    | 'lastAttemptAt'
    | 'lastOutcome'
    | 'deliveredAt'
    | 'acknowledgedAt'
  >
>;

export type InsertOutcome =
  /** Held; `dropped` delivered or acknowledged events made room for it. */
  | { held: true; dropped: number }
  /** The receptor's share is full of undelivered events: nothing was changed. */
  | { held: false };

export interface InboundEventStoreLimits {
  /** Events held per receptor RNC. */
  maxPerReceptor: number;
  /** No event is held longer than this after it was stored. */
  retentionMs: number;
}

/** Counts of held events by status, for the queue-depth metric. */
export type InboundEventDepth = Record<InboundEvent['status'], number>;

/**
 * Where inbound events are held until delivered or acknowledged, and at most the retention
 * (issue 10 §3). Async, so a shared adapter (Redis) can stand behind it; every adapter passes
 * `describeInboundEventStoreContract`. An event is droppable once delivered or acknowledged:
 * when a receptor's share is full, the oldest droppable one makes room; when none is droppable,
 * `insert` refuses and the receptor answers 503, never silently losing an undelivered event.
 */
export abstract class InboundEventStore {
  /** Holds a new event within the limits, atomically with the room it makes. */
  abstract insert(event: StoredInboundEvent): Promise<InsertOutcome>;
  abstract get(id: string): Promise<StoredInboundEvent | undefined>;
  /**
   * Applies a patch, only if the event still matches `expected` (compare-and-set, so a try that
   * ends after an ack or a redeliver does not undo it); undefined when it is no longer held or no
   * longer matches.
   */
  abstract update(
    id: string,
    patch: InboundEventPatch,
    expected?: Pick<StoredInboundEvent, 'status' | 'round'>,
  ): Promise<StoredInboundEvent | undefined>;
  /** An API key's events, oldest first, optionally of one status, at most `limit`. */
  abstract list(
    apiKeyId: string,
    filter: { status?: InboundEvent['status']; limit: number },
  ): Promise<StoredInboundEvent[]>;
  /** Every pending event (to reschedule after a restart), oldest first. */
  abstract pending(): Promise<StoredInboundEvent[]>;
  /** Drops what outlived the retention; returns how many. */
  abstract sweep(): Promise<number>;
  abstract depth(): Promise<InboundEventDepth>;
}
