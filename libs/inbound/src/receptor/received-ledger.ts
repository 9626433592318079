import type { Clock } from '@app/common';
import type { RedisConnection } from '@app/redis';

/**
 * Which documents a receptor has received (Estado 3, "duplicado", PROTOCOL §8.2), keyed by
 * (receptor RNC, issuer RNC, e-NCF) and remembered for the inbound retention window
 * (INBOUND_RETENTION_HOURS): the span over which the receptor can still hold the first copy's
 * event. A port (STYLE §24): memory per process by default, Redis with SESSION_STORE=redis so a
 * resend that lands on another replica is a duplicate too. Every adapter passes
 * `describeReceivedLedgerContract`.
 */
export abstract class ReceivedLedger {
  /** True when this document was received within the window. */
  abstract has(rnc: string, rncEmisor: string, encf: string): Promise<boolean>;
  /** True and claimed when it was not: of two copies at once, exactly one wins. */
  abstract claim(rnc: string, rncEmisor: string, encf: string): Promise<boolean>;
  /** Forgets a claim whose document could not be held, so the sender's retry is not a duplicate. */
  abstract release(rnc: string, rncEmisor: string, encf: string): Promise<void>;
}

const keyOf = (rnc: string, rncEmisor: string, encf: string): string => `${rnc}|${rncEmisor}|${encf}`;

export class MemoryReceivedLedger extends ReceivedLedger {
  /** Key → received at; Map keeps insertion order, so the oldest come first. */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly windowMs: number,
    private readonly maxEntries = 200_000,
  ) {
    super();
  }

  has(rnc: string, rncEmisor: string, encf: string): Promise<boolean> {
    this.prune();
    return Promise.resolve(this.seen.has(keyOf(rnc, rncEmisor, encf)));
  }

  claim(rnc: string, rncEmisor: string, encf: string): Promise<boolean> {
    this.prune();
    const key = keyOf(rnc, rncEmisor, encf);
    if (this.seen.has(key)) return Promise.resolve(false);
    this.seen.set(key, this.clock.now());
    if (this.seen.size > this.maxEntries) this.seen.delete(this.seen.keys().next().value as string);
    return Promise.resolve(true);
  }

  release(rnc: string, rncEmisor: string, encf: string): Promise<void> {
    this.seen.delete(keyOf(rnc, rncEmisor, encf));
    return Promise.resolve();
  }

  private prune(): void {
    const oldest = this.clock.now() - this.windowMs;
    for (const [key, at] of this.seen) {
      if (at > oldest) break;
      this.seen.delete(key);
    }
  }
}

/**
 * One key per received document, `SET NX` with a TTL of the window: the claim is atomic across
 * replicas and Redis forgets it on time. RNCs and e-NCFs are not credentials; nothing else is kept.
 */
export class RedisReceivedLedger extends ReceivedLedger {
  constructor(
    private readonly redis: RedisConnection,
    private readonly windowMs: number,
  ) {
    super();
  }

  async has(rnc: string, rncEmisor: string, encf: string): Promise<boolean> {
    const name = this.nameOf(rnc, rncEmisor, encf);
    return (await this.redis.run('received ledger read', (c) => c.exists(name))) === 1;
  }

  async claim(rnc: string, rncEmisor: string, encf: string): Promise<boolean> {
    const name = this.nameOf(rnc, rncEmisor, encf);
    const set = await this.redis.run('received ledger claim', (c) =>
      c.set(name, '1', 'PX', this.windowMs, 'NX'),
    );
    return set === 'OK';
  }

  async release(rnc: string, rncEmisor: string, encf: string): Promise<void> {
    const name = this.nameOf(rnc, rncEmisor, encf);
    await this.redis.run('received ledger release', (c) => c.del(name));
  }

  private nameOf(rnc: string, rncEmisor: string, encf: string): string {
    return this.redis.key('received', `{${rnc}}`, rncEmisor, encf);
  }
}
