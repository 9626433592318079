/** Where a receptor's events are pushed, and the Standard Webhooks secret they are signed with. */
export interface CallbackTarget {
  callbackUrl: string;
  /** `whsec_` + base64 key. Never logged. */
  secret: string;
}

/**
 * The registrations' answer to "where do this receptor's events go" (issue 10 §1). The receptor
 * registry implements it; delivery asks on every try, so a new URL or a rotated secret applies to
 * the next try, and a deleted registration leaves its events to be pulled.
 */
export abstract class CallbackTargets {
  abstract targetOf(rnc: string): Promise<CallbackTarget | undefined>;
}

/** Targets set by hand: the default until a registry is wired, and what tests use. */
export class MemoryCallbackTargets extends CallbackTargets {
  private readonly targets = new Map<string, CallbackTarget>();

  set(rnc: string, target: CallbackTarget): void {
    this.targets.set(rnc, { ...target });
  }

  delete(rnc: string): void {
    this.targets.delete(rnc);
  }

  targetOf(rnc: string): Promise<CallbackTarget | undefined> {
    const target = this.targets.get(rnc);
    return Promise.resolve(target && { ...target });
  }
}
