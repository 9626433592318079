import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DgiiGateway } from '@app/dgii-gateway';
import { SessionStore } from '@app/sessions';

/**
 * Drops a session's DGII tokens when it ends (closed, expired, swept; DESIGN §1.3). Lives here
 * because only the app knows both sides: the gateway knows no sessions, sessions know no DGII.
 */
@Injectable()
export class DgiiTokenReaper implements OnModuleInit {
  constructor(
    @Inject(SessionStore) private readonly sessions: SessionStore,
    @Inject(DgiiGateway) private readonly dgii: DgiiGateway,
  ) {}

  onModuleInit(): void {
    this.sessions.onEvicted((session) => this.dgii.forget(session.cacheKey));
  }
}
