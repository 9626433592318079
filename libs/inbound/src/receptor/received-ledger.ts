/**
 * Which e-CFs each receptor has received (Estado 0), for Estado 3 "envío duplicado" (PROTOCOL
 * §8.2). In this process's memory, for `windowMs` (the events' retention window: a duplicate is
 * recognised as long as its event may still be held) and at most `maxEntries` (oldest dropped).
 * A claim is taken before the ARECF is signed and released when the event cannot be held, so
 * a sender's retry after a 503 is not called a duplicate.
 */
export class ReceivedLedger {
  /** Key → received at; Map keeps insertion order, so the oldest come first. */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly windowMs: number,
    private readonly maxEntries = 200_000,
  ) {}

  /** True and claimed when this (receptor, issuer, e-NCF) was not received within the window. */
  claim(rnc: string, rncEmisor: string, encf: string, now: number): boolean {
    this.prune(now);
    const key = `${rnc}|${rncEmisor}|${encf}`;
    if (this.seen.has(key)) return false;
    this.seen.set(key, now);
    if (this.seen.size > this.maxEntries) this.seen.delete(this.seen.keys().next().value as string);
    return true;
  }

  /** True when this (receptor, issuer, e-NCF) was received within the window. */
  has(rnc: string, rncEmisor: string, encf: string, now: number): boolean {
    this.prune(now);
    return this.seen.has(`${rnc}|${rncEmisor}|${encf}`);
  }

  release(rnc: string, rncEmisor: string, encf: string): void {
    this.seen.delete(`${rnc}|${rncEmisor}|${encf}`);
  }

  private prune(now: number): void {
    for (const [key, at] of this.seen) {
      if (at > now - this.windowMs) break;
      this.seen.delete(key);
    }
  }
}
