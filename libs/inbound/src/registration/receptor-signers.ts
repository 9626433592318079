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

/**
 * Which signing identity each receptor signs with. In this process's memory only, never in a
 * store: fiscaliacore keeps no keys at rest, so a receptor signs only while its integrator keeps
 * a session attached (re-attaching every ~14 minutes, as the guide's client reopens sessions).
 */
@Injectable()
export class ReceptorSigners {
  private readonly byRnc = new Map<string, AttachedSigner>();

  constructor(@Inject(Clock) private readonly clock: Clock) {}

  /** Attaches a session; a later call (a newer session) replaces the previous signer. */
  attach(rnc: string, signer: AttachedSigner): void {
    this.byRnc.set(rnc, signer);
  }

  /** The live signer of this receptor, or undefined when none is attached or it has expired. */
  live(rnc: string): AttachedSigner | undefined {
    const signer = this.byRnc.get(rnc);
    if (!signer) return undefined;
    if (signer.expiresAt <= this.clock.now()) {
      this.byRnc.delete(rnc);
      return undefined;
    }
    return signer;
  }

  detach(rnc: string): void {
    this.byRnc.delete(rnc);
  }

  /** A session ended: every receptor it signed for is left with no signer. */
  detachSession(sessionTokenHash: string): void {
    for (const [rnc, signer] of this.byRnc) {
      if (signer.sessionTokenHash === sessionTokenHash) this.byRnc.delete(rnc);
    }
  }
}
