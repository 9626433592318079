import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@app/common';
import type { SigningIdentity } from '@app/signing';

/** The live session a receptor signs its ARECFs with (issue 10: "the constraint that shapes it"). */
export interface AttachedSigner {
  readonly identity: SigningIdentity;
  /** The session's end: after it the receptor answers 503 RECEPTOR_UNAVAILABLE. */
  readonly expiresAt: number;
  /** The session's token hash, so its end (close, expiry, sweep) detaches it at once. */
  readonly sessionTokenHash: string;
}

/** What attaching takes: the signer, and the session's bearer token for a shared store to reopen it. */
export interface SignerAttachment extends AttachedSigner {
  /** The bearer token (only RedisReceptorSigners keeps it, sealed); never logged. */
  readonly token?: string;
}

/**
 * Which signing identity each receptor signs with. This one (the memory default) holds it in
 * this process only, never in a store: fiscaliacore keeps no keys at rest, so a receptor signs
 * only while its integrator keeps a session attached (re-attaching every ~14 minutes, as the
 * guide's client reopens sessions). RedisReceptorSigners shares the attachment across replicas.
 * Async, so a shared adapter stands behind the same calls.
 */
@Injectable()
export class ReceptorSigners {
  private readonly byRnc = new Map<string, AttachedSigner>();

  constructor(@Inject(Clock) protected readonly clock: Clock) {}

  /** Attaches a session; a later call (a newer session) replaces the previous signer. */
  attach(rnc: string, signer: SignerAttachment): Promise<void> {
    const { identity, expiresAt, sessionTokenHash } = signer;
    this.byRnc.set(rnc, { identity, expiresAt, sessionTokenHash });
    return Promise.resolve();
  }

  /** The live signer of this receptor, or undefined when none is attached or it has expired. */
  live(rnc: string): Promise<AttachedSigner | undefined> {
    const signer = this.byRnc.get(rnc);
    if (!signer) return Promise.resolve(undefined);
    if (signer.expiresAt <= this.clock.now()) {
      this.byRnc.delete(rnc);
      return Promise.resolve(undefined);
    }
    return Promise.resolve(signer);
  }

  detach(rnc: string): Promise<void> {
    this.byRnc.delete(rnc);
    return Promise.resolve();
  }

  /** A session ended: every receptor it signed for is left with no signer. */
  detachSession(sessionTokenHash: string): void {
    for (const [rnc, signer] of this.byRnc) {
      if (signer.sessionTokenHash === sessionTokenHash) this.byRnc.delete(rnc);
    }
  }
}
