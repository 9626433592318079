import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ReceptorSigners } from '@app/inbound';
import { SessionStore } from '@app/sessions';

/**
 * Detaches a receptor's signer as soon as its session ends (closed, expired, swept), so no ARECF
 * is signed by a session the integrator closed. Lives here: only the app knows both sides.
 */
@Injectable()
export class ReceptorSignerReaper implements OnModuleInit {
  constructor(
    @Inject(SessionStore) private readonly sessions: SessionStore,
    @Inject(ReceptorSigners) private readonly signers: ReceptorSigners,
  ) {}

  onModuleInit(): void {
    this.sessions.onEvicted(({ tokenHash }) => this.signers.detachSession(tokenHash));
  }
}
