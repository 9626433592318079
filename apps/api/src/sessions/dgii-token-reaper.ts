import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DgiiGateway } from '@app/dgii-gateway';
import { dgiiCacheKeyOf, SessionStore } from '@app/sessions';

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
    // The eviction event carries ids only (a shared store publishes no keys); at-least-once, so
    // forgetting twice is harmless, and a failing token store must not break the store's sweep.
    this.sessions.onEvicted(({ apiKeyId, tokenHash }) => {
      this.dgii.forget(dgiiCacheKeyOf(apiKeyId, tokenHash)).catch(() => undefined);
    });
  }
}
